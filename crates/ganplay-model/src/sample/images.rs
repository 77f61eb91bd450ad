//! Many generated images at once, as 8-bit pixels with the class each was asked for: what the
//! metrics score and what `export` writes.

use super::readback::read_values;
use super::{SampleError, check_class};
use crate::train::TrainSession;

/// Images per generator call: bounded memory whatever the count.
const BATCH: usize = 500;

#[derive(Clone, Debug, PartialEq)]
pub struct GeneratedImages {
    /// Image after image, channel-first, 0..=255.
    pub pixels: Vec<u8>,
    /// The class each image was generated for (conditional models); `None` otherwise.
    pub labels: Option<Vec<u8>>,
}

/// `count` images from the session's generator (decoder, for VAEs), noise drawn from `seed`.
/// Conditional models get the classes in turn (0, 1, …, 0, 1, …), so counts per class differ by
/// at most one; `class` asks for one class only.
pub async fn generate_images(
    session: &TrainSession,
    count: usize,
    class: Option<usize>,
    seed: u64,
) -> Result<GeneratedImages, SampleError> {
    let config = session
        .config()
        .image()
        .ok_or(SampleError::NotAnImageModel)?;
    check_class(config, class)?;
    let classes = session.classes();
    let normalisation = config.model.normalisation();
    let noise = session.fixed_noise(count, seed);
    let latent = session.latent_dim();
    let labels: Option<Vec<usize>> =
        (classes > 0).then(|| (0..count).map(|i| class.unwrap_or(i % classes)).collect());
    let mut pixels = Vec::with_capacity(count * config.image.len());
    for start in (0..count).step_by(BATCH) {
        let end = (start + BATCH).min(count);
        let batch_labels = labels.as_ref().map(|l| &l[start..end]);
        let values = read_values(
            session.generate_labelled(noise.clone().slice([start..end, 0..latent]), batch_labels),
        )
        .await?;
        pixels.extend(values.iter().map(|v| normalisation.pixel(*v)));
    }
    Ok(GeneratedImages {
        pixels,
        labels: labels.map(|l| l.into_iter().map(|c| c as u8).collect()),
    })
}
