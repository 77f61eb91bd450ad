//! Real images whose every draw is a new random view (classic augmentation), as data of their
//! own: the semi-supervised GAN's discriminator sees its labelled and unlabelled digits this way.

use rand::RngCore;

use super::RealData;
use super::classic_augmentation::ClassicAugmentation;
use super::images::{ImageShape, Normalisation};

pub struct AugmentedImages {
    inner: Box<dyn RealData>,
    shape: ImageShape,
    normalisation: Normalisation,
    augmentation: ClassicAugmentation,
}

impl AugmentedImages {
    /// `inner` yields images of `shape`, normalised by `normalisation`.
    pub fn new(
        inner: Box<dyn RealData>,
        shape: ImageShape,
        normalisation: Normalisation,
        augmentation: ClassicAugmentation,
    ) -> Self {
        AugmentedImages {
            inner,
            shape,
            normalisation,
            augmentation,
        }
    }

    /// Replaces every image from `start` on in `out` by a random view of it.
    fn augment_from(&self, start: usize, rng: &mut dyn RngCore, out: &mut [f32]) {
        augment_in_place(
            &mut out[start..],
            self.shape,
            self.normalisation,
            &self.augmentation,
            rng,
        );
    }
}

/// Replaces each image of `values` (images of `shape`, normalised by `normalisation`) by a
/// random view of it.
pub(crate) fn augment_in_place(
    values: &mut [f32],
    shape: ImageShape,
    normalisation: Normalisation,
    augmentation: &ClassicAugmentation,
    rng: &mut dyn RngCore,
) {
    let len = shape.len();
    let mut pixels = Vec::with_capacity(len);
    let mut view = Vec::with_capacity(len);
    for image in values.chunks_exact_mut(len) {
        // The values came from whole pixels, so this round trip is exact.
        pixels.clear();
        pixels.extend(image.iter().map(|v| normalisation.pixel(*v)));
        view.clear();
        augmentation.apply(&pixels, shape, rng, &mut view);
        for (value, pixel) in image.iter_mut().zip(&view) {
            *value = normalisation.value(*pixel);
        }
    }
}

impl RealData for AugmentedImages {
    fn dim(&self) -> usize {
        self.inner.dim()
    }

    fn classes(&self) -> usize {
        self.inner.classes()
    }

    fn sample_into(&self, n: usize, rng: &mut dyn RngCore, out: &mut Vec<f32>) {
        let start = out.len();
        self.inner.sample_into(n, rng, out);
        self.augment_from(start, rng, out);
    }

    fn sample_labelled(
        &self,
        n: usize,
        rng: &mut dyn RngCore,
        out: &mut Vec<f32>,
        labels: &mut Vec<usize>,
    ) {
        let start = out.len();
        self.inner.sample_labelled(n, rng, out, labels);
        self.augment_from(start, rng, out);
    }

    fn labelled_subset(&self, per_class: usize, seed: u64) -> Result<Box<dyn RealData>, String> {
        Ok(Box::new(AugmentedImages::new(
            self.inner.labelled_subset(per_class, seed)?,
            self.shape,
            self.normalisation,
            self.augmentation,
        )))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;
    use crate::data::images::{ImageData, ImageSet};

    fn one_digit() -> ImageData {
        let shape = ImageShape::MNIST;
        // A bar in the middle column.
        let pixels: Vec<u8> = (0..shape.len())
            .map(|i| {
                if i % 28 == 14 && (6..22).contains(&(i / 28)) {
                    255
                } else {
                    0
                }
            })
            .collect();
        let set = ImageSet::new(
            shape,
            pixels,
            vec![3],
            (0..10).map(|c| c.to_string()).collect(),
        )
        .unwrap();
        ImageData::new(Arc::new(set), Normalisation::UNIT)
    }

    #[test]
    fn every_draw_is_a_new_view_with_its_label_kept() {
        let data = AugmentedImages::new(
            Box::new(one_digit()),
            ImageShape::MNIST,
            Normalisation::UNIT,
            ClassicAugmentation::AFFINE,
        );
        let rng = &mut StdRng::seed_from_u64(1);
        let (mut out, mut labels) = (Vec::new(), Vec::new());
        data.sample_labelled(2, rng, &mut out, &mut labels);
        assert_eq!(labels, vec![3, 3]);
        assert_eq!(out.len(), 2 * 784);
        let (a, b) = out.split_at(784);
        assert_ne!(a, b, "two draws of the same digit differ");
        assert!(out.iter().all(|v| (0.0..=1.0).contains(v)));
        let mut plain = Vec::new();
        one_digit().sample_into(1, rng, &mut plain);
        assert_ne!(a, &plain[..], "a view is not the digit itself");
        // The ink stays roughly the same: a view moves the bar, it does not erase it.
        let ink = |x: &[f32]| x.iter().sum::<f32>();
        assert!(
            (ink(a) / ink(&plain) - 1.0).abs() < 0.3,
            "{} vs {}",
            ink(a),
            ink(&plain)
        );
    }
}
