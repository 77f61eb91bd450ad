//! Classic data augmentation for digits: a random affine map (rotation, scale, shift; never a
//! flip, which turns digits into other symbols) and elastic distortion (Simard et al. 2003).
//! The baseline that generated data must beat.

use rand::{Rng, RngCore};
use rand_distr::{Distribution, Uniform};
use serde::{Deserialize, Serialize};

use super::images::ImageShape;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassicAugmentation {
    /// Largest rotation either way, in degrees.
    pub rotation_degrees: f32,
    /// Largest relative change of size either way (0.1: 90 % to 110 %).
    pub scale: f32,
    /// Largest shift either way, in pixels.
    pub shift: f32,
    /// Elastic distortion: displacement (pixels) before smoothing, and the smoothing's σ.
    /// An `alpha` of 0 turns it off.
    pub elastic_alpha: f32,
    pub elastic_sigma: f32,
    /// Side of a square, at a random place, set to background (DeVries & Taylor 2017's
    /// cutout); 0 turns it off.
    #[serde(default)]
    pub cutout: usize,
}

impl ClassicAugmentation {
    /// Settings common for MNIST-sized digits.
    pub const DIGITS: ClassicAugmentation = ClassicAugmentation {
        rotation_degrees: 12.0,
        scale: 0.1,
        shift: 2.5,
        elastic_alpha: 34.0,
        elastic_sigma: 4.0,
        cutout: 0,
    };

    /// Self-training's weak view of a digit: a small shift only (FixMatch's "weak" view is a
    /// flip and a shift; digits take no flip).
    pub const WEAK: ClassicAugmentation = ClassicAugmentation {
        rotation_degrees: 0.0,
        scale: 0.0,
        shift: 2.0,
        elastic_alpha: 0.0,
        elastic_sigma: 4.0,
        cutout: 0,
    };

    /// A random affine view (rotation ±10°, scale ±10 %, shift ±2 px), without the elastic
    /// distortion: cheap enough for every real batch of the semi-supervised GAN.
    pub const AFFINE: ClassicAugmentation = ClassicAugmentation {
        rotation_degrees: 10.0,
        scale: 0.1,
        shift: 2.0,
        elastic_alpha: 0.0,
        elastic_sigma: 4.0,
        cutout: 0,
    };

    /// Self-training's strong view: every distortion of [`Self::DIGITS`] plus a cutout.
    pub const STRONG: ClassicAugmentation = ClassicAugmentation {
        cutout: 10,
        ..Self::DIGITS
    };

    /// A new randomly distorted copy of `image`, appended to `out`.
    pub fn apply(&self, image: &[u8], shape: ImageShape, rng: &mut dyn RngCore, out: &mut Vec<u8>) {
        let (h, w) = (shape.height, shape.width);
        let angle = symmetric(rng, self.rotation_degrees).to_radians();
        let scale = 1.0 + symmetric(rng, self.scale);
        let (dx, dy) = (symmetric(rng, self.shift), symmetric(rng, self.shift));
        let (dx_field, dy_field) = if self.elastic_alpha > 0.0 {
            (
                self.displacement_field(h, w, rng),
                self.displacement_field(h, w, rng),
            )
        } else {
            (vec![0.0; h * w], vec![0.0; h * w])
        };
        let (cy, cx) = ((h as f32 - 1.0) / 2.0, (w as f32 - 1.0) / 2.0);
        let (sin, cos) = angle.sin_cos();
        // The cut square's top-left corner (drawn only when on, so other settings' draws stay).
        let cut = (self.cutout > 0).then(|| {
            let side = self.cutout.min(h).min(w);
            (
                rng.random_range(0..=h - side),
                rng.random_range(0..=w - side),
                side,
            )
        });
        let inside_cut = |y: usize, x: usize| {
            cut.is_some_and(|(top, left, side)| {
                (top..top + side).contains(&y) && (left..left + side).contains(&x)
            })
        };
        for channel in image.chunks_exact(h * w) {
            for y in 0..h {
                for x in 0..w {
                    if inside_cut(y, x) {
                        out.push(0);
                        continue;
                    }
                    // Inverse map: where in the source this output pixel comes from.
                    let (u, v) = (x as f32 - cx - dx, y as f32 - cy - dy);
                    let sx = (cos * u + sin * v) / scale + cx + dx_field[y * w + x];
                    let sy = (-sin * u + cos * v) / scale + cy + dy_field[y * w + x];
                    out.push(bilinear(channel, h, w, sx, sy));
                }
            }
        }
    }

    /// Uniform(−1, 1) displacements, Gaussian-smoothed, scaled by alpha.
    fn displacement_field(&self, h: usize, w: usize, rng: &mut dyn RngCore) -> Vec<f32> {
        let uniform = Uniform::new(-1.0f32, 1.0).expect("valid range");
        let raw: Vec<f32> = (0..h * w).map(|_| uniform.sample(rng)).collect();
        let kernel = gaussian_kernel(self.elastic_sigma);
        let rows = convolve(&raw, h, w, &kernel, true);
        let both = convolve(&rows, h, w, &kernel, false);
        both.into_iter().map(|v| v * self.elastic_alpha).collect()
    }
}

fn symmetric(rng: &mut dyn RngCore, limit: f32) -> f32 {
    if limit > 0.0 {
        rng.random_range(-limit..=limit)
    } else {
        0.0
    }
}

/// Pixel at a fractional position; outside the image is background (0).
fn bilinear(channel: &[u8], h: usize, w: usize, x: f32, y: f32) -> u8 {
    let at = |xi: i64, yi: i64| -> f32 {
        if xi < 0 || yi < 0 || xi >= w as i64 || yi >= h as i64 {
            0.0
        } else {
            channel[yi as usize * w + xi as usize] as f32
        }
    };
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (x0, y0) = (x0 as i64, y0 as i64);
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
    let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
    (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8
}

/// A normalised Gaussian reaching 3σ each way.
fn gaussian_kernel(sigma: f32) -> Vec<f32> {
    let radius = (3.0 * sigma).ceil().max(1.0) as i64;
    let k: Vec<f32> = (-radius..=radius)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f32 = k.iter().sum();
    k.into_iter().map(|v| v / sum).collect()
}

/// One-dimensional convolution along rows (`horizontal`) or columns, zero-padded.
fn convolve(field: &[f32], h: usize, w: usize, kernel: &[f32], horizontal: bool) -> Vec<f32> {
    let radius = (kernel.len() / 2) as i64;
    let mut out = vec![0.0; h * w];
    for y in 0..h as i64 {
        for x in 0..w as i64 {
            let mut sum = 0.0;
            for (i, k) in kernel.iter().enumerate() {
                let offset = i as i64 - radius;
                let (sx, sy) = if horizontal {
                    (x + offset, y)
                } else {
                    (x, y + offset)
                };
                if sx >= 0 && sy >= 0 && sx < w as i64 && sy < h as i64 {
                    sum += k * field[(sy * w as i64 + sx) as usize];
                }
            }
            out[(y * w as i64 + x) as usize] = sum;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    fn square_digit() -> Vec<u8> {
        (0..784)
            .map(|i| {
                let (y, x) = (i / 28, i % 28);
                if (10..18).contains(&y) && (10..18).contains(&x) {
                    255
                } else {
                    0
                }
            })
            .collect()
    }

    fn centre_of_mass(image: &[u8]) -> (f32, f32) {
        let total: f32 = image.iter().map(|p| *p as f32).sum();
        let x = image
            .iter()
            .enumerate()
            .map(|(i, p)| (i % 28) as f32 * *p as f32)
            .sum::<f32>();
        let y = image
            .iter()
            .enumerate()
            .map(|(i, p)| (i / 28) as f32 * *p as f32)
            .sum::<f32>();
        (x / total, y / total)
    }

    #[test]
    fn nothing_asked_changes_nothing() {
        let none = ClassicAugmentation {
            rotation_degrees: 0.0,
            scale: 0.0,
            shift: 0.0,
            elastic_alpha: 0.0,
            elastic_sigma: 4.0,
            cutout: 0,
        };
        let image = square_digit();
        let mut out = Vec::new();
        none.apply(
            &image,
            ImageShape::MNIST,
            &mut StdRng::seed_from_u64(1),
            &mut out,
        );
        assert_eq!(out, image);
    }

    #[test]
    fn cutout_blanks_one_square_of_its_side() {
        let cut_only = ClassicAugmentation {
            rotation_degrees: 0.0,
            scale: 0.0,
            shift: 0.0,
            elastic_alpha: 0.0,
            elastic_sigma: 4.0,
            cutout: 6,
        };
        let image = vec![255u8; 784];
        let mut rng = StdRng::seed_from_u64(3);
        for _ in 0..10 {
            let mut out = Vec::new();
            cut_only.apply(&image, ImageShape::MNIST, &mut rng, &mut out);
            assert_eq!(out.iter().filter(|p| **p == 0).count(), 36);
        }
    }

    #[test]
    fn distortions_keep_the_shape_and_move_the_ink_a_little() {
        let image = square_digit();
        let mut rng = StdRng::seed_from_u64(2);
        let mut changed = 0;
        for _ in 0..20 {
            let mut out = Vec::new();
            ClassicAugmentation::DIGITS.apply(&image, ImageShape::MNIST, &mut rng, &mut out);
            assert_eq!(out.len(), 784);
            changed += usize::from(out != image);
            let (x, y) = centre_of_mass(&out);
            // The square's centre is 13.5; a shift of 2.5 px plus distortion stays near it.
            assert!((x - 13.5).abs() < 5.0 && (y - 13.5).abs() < 5.0, "{x} {y}");
            let ink: f32 = out.iter().map(|p| *p as f32).sum::<f32>() / (255.0 * 64.0);
            // Scaling and elastic stretching change the area, within limits.
            assert!((0.4..2.0).contains(&ink), "{ink}");
        }
        assert_eq!(changed, 20);
    }

    #[test]
    fn a_pure_shift_moves_the_centre_by_that_much() {
        // Self-training's weak view: a shift of up to 2 pixels and nothing else.
        let shift_only = ClassicAugmentation::WEAK;
        let image = square_digit();
        let mut rng = StdRng::seed_from_u64(3);
        let mut out = Vec::new();
        shift_only.apply(&image, ImageShape::MNIST, &mut rng, &mut out);
        // The same draws, made again: the shift is the first two.
        let mut again = StdRng::seed_from_u64(3);
        let dx: f32 = again.random_range(-2.0..=2.0);
        let dy: f32 = again.random_range(-2.0..=2.0);
        let (x, y) = centre_of_mass(&out);
        assert!(
            (x - 13.5 - dx).abs() < 0.05 && (y - 13.5 - dy).abs() < 0.05,
            "{x} {y} {dx} {dy}"
        );
    }
}
