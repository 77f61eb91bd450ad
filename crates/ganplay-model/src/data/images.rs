//! Labelled image sets, their pixel normalisation, and the bridge to the training session's
//! [`RealData`]. IDX files are read by [`super::idx`], the bundled digits live in [`super::bundled`].

use std::sync::Arc;

use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};

use super::RealData;
use super::idx::{IdxError, read_idx};

/// Height, width and channels of one image (channel-first, like the networks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageShape {
    pub channels: usize,
    pub height: usize,
    pub width: usize,
}

/// `channels x height x width`, as in `1x28x28`.
impl std::fmt::Display for ImageShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}x{}", self.channels, self.height, self.width)
    }
}

impl ImageShape {
    pub const MNIST: ImageShape = ImageShape {
        channels: 1,
        height: 28,
        width: 28,
    };

    pub fn square(channels: usize, size: usize) -> Self {
        ImageShape {
            channels,
            height: size,
            width: size,
        }
    }

    /// Values per image.
    pub fn len(&self) -> usize {
        self.channels * self.height * self.width
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How pixels (0..=255) map to the values a model sees: `value = pixel / 255 * scale + offset`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Normalisation {
    pub scale: f32,
    pub offset: f32,
}

impl Normalisation {
    /// [-1, 1], for generators with a tanh output.
    pub const SIGNED: Normalisation = Normalisation {
        scale: 2.0,
        offset: -1.0,
    };
    /// [0, 1], for VAE decoders with a sigmoid output.
    pub const UNIT: Normalisation = Normalisation {
        scale: 1.0,
        offset: 0.0,
    };

    pub fn value(&self, pixel: u8) -> f32 {
        pixel as f32 / 255.0 * self.scale + self.offset
    }

    pub fn pixel(&self, value: f32) -> u8 {
        let p = (value - self.offset) / self.scale * 255.0;
        if p.is_nan() {
            0
        } else {
            p.round().clamp(0.0, 255.0) as u8
        }
    }
}

/// Images of one shape with a class label each.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageSet {
    pub shape: ImageShape,
    /// Image after image, channel-first.
    pub pixels: Vec<u8>,
    pub labels: Vec<u8>,
    pub class_names: Vec<String>,
}

#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum ImageSetError {
    #[error("{file} file: {error}")]
    Idx { file: &'static str, error: IdxError },
    #[error("{images} images but {labels} labels")]
    CountMismatch { images: usize, labels: usize },
    #[error("label {label} at position {index} is not below the {classes} classes")]
    LabelOutOfRange {
        index: usize,
        label: u8,
        classes: usize,
    },
    #[error("the set is empty")]
    Empty,
    #[error("a budget of 0 images per class leaves nothing to train on")]
    ZeroBudget,
    #[error("class {class} has {have} images, fewer than the budget of {budget} per class")]
    ClassTooSmall {
        class: String,
        have: usize,
        budget: usize,
    },
    #[error("the bundled digits' {split} split: {error}")]
    BundledSplit {
        split: &'static str,
        error: Box<ImageSetError>,
    },
}

impl ImageSet {
    pub fn new(
        shape: ImageShape,
        pixels: Vec<u8>,
        labels: Vec<u8>,
        class_names: Vec<String>,
    ) -> Result<Self, ImageSetError> {
        let images = pixels.len() / shape.len().max(1);
        if images == 0 || shape.is_empty() {
            return Err(ImageSetError::Empty);
        }
        if images != labels.len() || !pixels.len().is_multiple_of(shape.len()) {
            return Err(ImageSetError::CountMismatch {
                images,
                labels: labels.len(),
            });
        }
        if let Some((index, &label)) = labels
            .iter()
            .enumerate()
            .find(|(_, l)| **l as usize >= class_names.len())
        {
            return Err(ImageSetError::LabelOutOfRange {
                index,
                label,
                classes: class_names.len(),
            });
        }
        Ok(ImageSet {
            shape,
            pixels,
            labels,
            class_names,
        })
    }

    /// An image file and a label file in IDX format (each optionally gzipped), digits 0–9.
    pub fn from_idx(images: &[u8], labels: &[u8]) -> Result<Self, ImageSetError> {
        let idx = |bytes, rank, file| {
            read_idx(bytes, 0x08, rank).map_err(|error| ImageSetError::Idx { file, error })
        };
        let images = idx(images, 3, "image")?;
        let labels = idx(labels, 1, "label")?;
        let shape = ImageShape {
            channels: 1,
            height: images.dims[1],
            width: images.dims[2],
        };
        let classes = labels.body.iter().copied().max().unwrap_or(0).max(9) as usize + 1;
        let names = (0..classes).map(|c| c.to_string()).collect();
        ImageSet::new(shape, images.body, labels.body, names)
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn classes(&self) -> usize {
        self.class_names.len()
    }

    pub fn image(&self, index: usize) -> &[u8] {
        let n = self.shape.len();
        &self.pixels[index * n..(index + 1) * n]
    }

    /// The first `per_class` images of each class (fewer where a class has fewer), class by class.
    pub fn first_of_each_class(&self, per_class: usize) -> Vec<usize> {
        (0..self.classes() as u8)
            .flat_map(|c| {
                self.labels
                    .iter()
                    .enumerate()
                    .filter(move |(_, l)| **l == c)
                    .map(|(i, _)| i)
                    .take(per_class)
            })
            .collect()
    }
}

/// Training examples drawn at random from an image set, normalised for the model.
#[derive(Clone, Debug)]
pub struct ImageData {
    set: Arc<ImageSet>,
    normalisation: Normalisation,
}

impl ImageData {
    pub fn new(set: Arc<ImageSet>, normalisation: Normalisation) -> Self {
        ImageData { set, normalisation }
    }
}

impl RealData for ImageData {
    fn dim(&self) -> usize {
        self.set.shape.len()
    }

    fn classes(&self) -> usize {
        self.set.classes()
    }

    fn sample_labelled(
        &self,
        n: usize,
        rng: &mut dyn RngCore,
        out: &mut Vec<f32>,
        labels: &mut Vec<usize>,
    ) {
        for _ in 0..n {
            let i = rng.random_range(0..self.set.len());
            out.extend(
                self.set
                    .image(i)
                    .iter()
                    .map(|p| self.normalisation.value(*p)),
            );
            labels.push(self.set.labels[i] as usize);
        }
    }

    fn sample_into(&self, n: usize, rng: &mut dyn RngCore, out: &mut Vec<f32>) {
        let mut labels = Vec::new();
        self.sample_labelled(n, rng, out, &mut labels);
    }

    fn labelled_subset(&self, per_class: usize, seed: u64) -> Result<Box<dyn RealData>, String> {
        let subset = super::subset::labelled_subset(&self.set, per_class, seed)
            .map_err(|e| e.to_string())?;
        Ok(Box::new(ImageData::new(
            Arc::new(subset),
            self.normalisation,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_round_trips_pixels() {
        for n in [Normalisation::SIGNED, Normalisation::UNIT] {
            for p in [0u8, 1, 128, 254, 255] {
                assert_eq!(n.pixel(n.value(p)), p);
            }
        }
        assert_eq!(Normalisation::SIGNED.pixel(f32::NAN), 0);
        assert_eq!(Normalisation::SIGNED.pixel(7.0), 255);
    }
}
