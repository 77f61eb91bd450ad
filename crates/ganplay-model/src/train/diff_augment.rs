//! Differentiable augmentation (DiffAugment, Zhao et al. 2020), the "translation,cutout" policy:
//! every real and generated batch is randomly shifted (by default up to 1/8 of the side, each
//! way) and has a square (by default half the side) blanked, before the critic sees it, in the critic's and the
//! generator's steps alike. The critic then cannot memorise a small training set, and because
//! both operations are differentiable the generator still learns through them.
//!
//! Both are linear maps, so they are built as constant tensors on the host from the session's
//! generator (a seed gives the same run on every backend): a shift is a product with
//! shifted-identity matrices (`S_y · image · S_xᵀ`), a cutout a product with a 0/1 mask. Vacated
//! and blanked pixels become background (the value of a black pixel), not mid-grey.

use burn::tensor::{Device, Tensor, TensorData};
use rand::Rng;
use rand::rngs::StdRng;

use crate::data::images::ImageShape;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct DiffAugment {
    pub shape: ImageShape,
    /// The model's value of a black pixel.
    pub background: f32,
    /// Largest shift each way, as a fraction of the side.
    pub shift: f64,
    /// The cut-out square's side, as a fraction of the image's side.
    pub cutout: f64,
}

impl DiffAugment {
    /// Largest shift each way along a side, rounded.
    fn max_shift(&self, side: usize) -> i64 {
        (side as f64 * self.shift).round() as i64
    }

    /// `[n, c·h·w]` → the same shape, each sample shifted and cut out at random.
    pub fn apply(&self, x: Tensor<2>, rng: &mut StdRng, device: &Device) -> Tensor<2> {
        let n = x.dims()[0];
        let ImageShape {
            channels: c,
            height: h,
            width: w,
        } = self.shape;
        let shifts: Vec<(i64, i64)> = (0..n)
            .map(|_| {
                let (sy, sx) = (self.max_shift(h), self.max_shift(w));
                (rng.random_range(-sy..=sy), rng.random_range(-sx..=sx))
            })
            .collect();
        let centres: Vec<(usize, usize)> = (0..n)
            .map(|_| (rng.random_range(0..h), rng.random_range(0..w)))
            .collect();
        let constant = |values: Vec<f32>, shape: [usize; 4]| {
            Tensor::<4>::from_data(TensorData::new(values, shape), device)
        };
        let rows = constant(shift_matrices(&shifts, c, h, true), [n, c, h, h]);
        let columns = constant(shift_matrices(&shifts, c, w, false), [n, c, w, w]);
        let mask = constant(cutout_masks(&centres, self.cutout, c, h, w), [n, c, h, w]);
        let images = x.reshape([n, c, h, w]) - self.background;
        let shifted = rows.matmul(images).matmul(columns);
        (shifted * mask + self.background).reshape([n, c * h * w])
    }
}

/// Per sample and channel, a `side × side` matrix moving content by the sample's shift: for
/// rows (`S`, applied on the left) `S[i][j] = 1` where `j = i − dy`; for columns (`M`, applied
/// on the right) `M[k][x] = 1` where `k = x − dx`. Entries that would read outside stay 0.
fn shift_matrices(shifts: &[(i64, i64)], channels: usize, side: usize, rows: bool) -> Vec<f32> {
    let mut values = vec![0.0; shifts.len() * channels * side * side];
    for (b, &(dy, dx)) in shifts.iter().enumerate() {
        for ch in 0..channels {
            let base = (b * channels + ch) * side * side;
            for i in 0..side as i64 {
                let (from, to) = if rows { (i - dy, i) } else { (i, i + dx) };
                if (0..side as i64).contains(&from) && (0..side as i64).contains(&to) {
                    let (r, col) = if rows { (to, from) } else { (from, to) };
                    values[base + r as usize * side + col as usize] = 1.0;
                }
            }
        }
    }
    values
}

/// 1 everywhere but a square of `fraction` of the side around each sample's centre (clipped to
/// the image).
fn cutout_masks(
    centres: &[(usize, usize)],
    fraction: f64,
    channels: usize,
    h: usize,
    w: usize,
) -> Vec<f32> {
    let half = |side: usize| (side as f64 * fraction / 2.0) as usize;
    let (half_h, half_w) = (half(h), half(w));
    let mut values = vec![1.0; centres.len() * channels * h * w];
    for (b, &(cy, cx)) in centres.iter().enumerate() {
        for ch in 0..channels {
            let base = (b * channels + ch) * h * w;
            for y in cy.saturating_sub(half_h)..(cy + half_h).min(h) {
                for x in cx.saturating_sub(half_w)..(cx + half_w).min(w) {
                    values[base + y * w + x] = 0.0;
                }
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    /// `image` (h × w) moved by (dy, dx) with the matrices, on the host.
    fn shift_on_host(image: &[f32], h: usize, w: usize, dy: i64, dx: i64) -> Vec<f32> {
        let s = shift_matrices(&[(dy, dx)], 1, h, true);
        let m = shift_matrices(&[(dy, dx)], 1, w, false);
        let mut left = vec![0.0; h * w];
        for i in 0..h {
            for x in 0..w {
                left[i * w + x] = (0..h).map(|j| s[i * h + j] * image[j * w + x]).sum();
            }
        }
        let mut out = vec![0.0; h * w];
        for y in 0..h {
            for x in 0..w {
                out[y * w + x] = (0..w).map(|k| left[y * w + k] * m[k * w + x]).sum();
            }
        }
        out
    }

    #[test]
    fn shifts_move_content_and_leave_zeros_behind() {
        let image: Vec<f32> = (1..=12).map(|v| v as f32).collect(); // 3 × 4
        let moved = shift_on_host(&image, 3, 4, 1, -1);
        // Row y takes row y − 1; column x takes column x + 1.
        assert_eq!(moved, vec![0., 0., 0., 0., 2., 3., 4., 0., 6., 7., 8., 0.]);
        assert_eq!(shift_on_host(&image, 3, 4, 0, 0), image);
    }

    #[test]
    fn cutout_blanks_a_clipped_square() {
        let mask = cutout_masks(&[(0, 0)], 0.5, 1, 8, 8);
        let zeros = mask.iter().filter(|v| **v == 0.0).count();
        assert_eq!(zeros, 4); // rows 0–1, columns 0–1
        let mask = cutout_masks(&[(4, 4)], 0.5, 1, 8, 8);
        assert_eq!(mask.iter().filter(|v| **v == 0.0).count(), 16);
    }

    #[test]
    fn the_tensor_version_keeps_background_and_shape() {
        let device = Device::flex();
        let aug = DiffAugment {
            shape: ImageShape::square(1, 8),
            background: -1.0,
            shift: 0.125,
            cutout: 0.5,
        };
        // An all-background batch stays background whatever the shifts and cutouts.
        let x = Tensor::<2>::full([3, 64], -1.0, &device);
        let out = aug.apply(x, &mut StdRng::seed_from_u64(1), &device);
        assert_eq!(out.dims(), [3, 64]);
        let values = out.into_data().try_to_vec::<f32>().unwrap();
        assert!(values.iter().all(|v| (*v + 1.0).abs() < 1e-6));
        // A white image loses ink to the cutout and, usually, to the shift.
        let x = Tensor::<2>::full([4, 64], 1.0, &device);
        let values = aug
            .apply(x, &mut StdRng::seed_from_u64(2), &device)
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        for sample in values.chunks(64) {
            let white = sample.iter().filter(|v| **v > 0.0).count();
            assert!((20..64).contains(&white), "{white}");
        }
    }
}
