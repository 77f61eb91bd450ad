//! Nearest real neighbours of a generated image: the closest training images in pixel space, so
//! users see whether a model memorised its data or makes new images.

use crate::data::images::{ImageSet, Normalisation};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Neighbour {
    /// Index in the image set.
    pub index: usize,
    /// Root-mean-square pixel difference, in the model's normalised units (for images in
    /// [-1, 1], 0 is identical and 2 the largest possible).
    pub rms: f32,
}

/// Stands in for a non-finite value: farther than any pixel, and finite when squared and summed.
const FAR: f32 = 1e6;

/// The `k` images of `set` closest to `query` (normalised values, as the generator writes them)
/// in Euclidean distance, nearest first; ties keep the set's order. Non-finite query values count
/// as farther than any pixel.
///
/// # Panics
/// When `query` has another size than the set's images.
pub fn nearest_images(
    set: &ImageSet,
    norm: Normalisation,
    query: &[f32],
    k: usize,
) -> Vec<Neighbour> {
    let len = set.shape.len();
    assert_eq!(
        query.len(),
        len,
        "query of {} values for images of {len}",
        query.len()
    );
    // Each pixel byte's normalised value, looked up rather than recomputed 7 million times.
    let value: Vec<f32> = (0..=255u8).map(|p| norm.value(p)).collect();
    let query: Vec<f32> = query
        .iter()
        .map(|v| if v.is_finite() { *v } else { FAR })
        .collect();
    let mut all: Vec<Neighbour> = (0..set.len())
        .map(|index| {
            let sum: f32 = set
                .image(index)
                .iter()
                .zip(&query)
                .map(|(p, q)| (value[*p as usize] - q).powi(2))
                .sum();
            Neighbour {
                index,
                rms: (sum / len as f32).sqrt(),
            }
        })
        .collect();
    all.sort_by(|a, b| a.rms.total_cmp(&b.rms));
    all.truncate(k);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::images::ImageShape;

    fn set() -> ImageSet {
        let shape = ImageShape::square(1, 2);
        // Four 2×2 images: black, white, and two half-bright ones.
        let pixels = vec![
            0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 128, 128, 128, 128,
        ];
        let names = ["black", "white", "half", "grey"]
            .map(String::from)
            .to_vec();
        ImageSet::new(shape, pixels, vec![0, 1, 2, 3], names).unwrap()
    }

    #[test]
    fn an_image_of_the_set_is_its_own_nearest_neighbour() {
        let norm = Normalisation::SIGNED;
        let white: Vec<f32> = [255u8; 4].iter().map(|p| norm.value(*p)).collect();
        let found = nearest_images(&set(), norm, &white, 3);
        assert_eq!(found[0], Neighbour { index: 1, rms: 0.0 });
        // The grey image differs everywhere by about half the range …
        assert_eq!(found[1].index, 3);
        assert!(
            (found[1].rms - (1.0 - norm.value(128))).abs() < 1e-6,
            "{:?}",
            found[1]
        );
        // … the half-bright one in half its pixels by the full range of 2.
        assert_eq!(found[2].index, 2);
        assert!((found[2].rms - 2f32.sqrt()).abs() < 1e-6, "{:?}", found[2]);
    }

    #[test]
    fn neighbours_come_nearest_first_and_k_is_capped_by_the_set() {
        let norm = Normalisation::UNIT;
        let found = nearest_images(&set(), norm, &[0.4; 4], 10);
        assert_eq!(found.len(), 4);
        assert_eq!(found[0].index, 3);
        assert!(found.windows(2).all(|w| w[0].rms <= w[1].rms));
        let nan = nearest_images(&set(), norm, &[f32::NAN; 4], 1);
        assert!(nan[0].rms.is_finite() && nan[0].rms > 1e5);
    }
}
