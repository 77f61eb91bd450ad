//! What the quality tools share: the reference classifier (fetched once per page), the model to
//! score rebuilt from a snapshot of the one in training, and embedding in chunks that yield to the
//! browser.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use ganplay_model::classifier::bundled::FILE_NAME;
use ganplay_model::classifier::{Embedding, embed};
use ganplay_model::nets::classifier::Classifier;
use ganplay_model::weights::classifier_file::ClassifierFile;
use ganplay_model::weights::{Precision, Snapshot, WeightFile, sampling_session};
use ganplay_model::{ImageModelConfig, TrainSession};

use crate::browser::yield_to_browser;
use crate::weights_io::fetch_bytes;

/// Images per classifier call between yields: a few tens of milliseconds on the CPU backend.
pub(super) const CHUNK: usize = 100;

thread_local! {
    /// The classifier's file, fetched once per page.
    static CLASSIFIER: RefCell<Option<Rc<ClassifierFile>>> = const { RefCell::new(None) };
}

/// The reference classifier on `device` (its file fetched on first use).
pub async fn reference_classifier(
    device: &Device,
) -> Result<(Classifier, Rc<ClassifierFile>), String> {
    let cached = CLASSIFIER.with(|c| c.borrow().clone());
    let file = match cached {
        Some(file) => file,
        None => {
            let bytes = fetch_bytes(&format!("weights/{FILE_NAME}"))
                .await
                .map_err(|e| format!("The reference classifier could not be loaded: {e}."))?;
            let file = Rc::new(
                ClassifierFile::parse(&bytes)
                    .map_err(|e| format!("The reference classifier is broken: {e}."))?,
            );
            CLASSIFIER.with(|c| *c.borrow_mut() = Some(file.clone()));
            file
        }
    };
    let net = file.build(device).map_err(|e| e.to_string())?;
    Ok((net, file))
}

/// An image model to score: a model of its own, rebuilt from a snapshot of the one in training,
/// with the snapshot's bytes (whose hash the export's manifest records) and the reference
/// classifier that scores its samples.
pub struct ModelToScore {
    pub session: TrainSession,
    pub config: ImageModelConfig,
    pub weight_bytes: Vec<u8>,
    pub classifier: Classifier,
}

impl ModelToScore {
    /// `not_an_image_model`: what to say when the snapshot is a 2D model's.
    pub async fn load(
        snapshot: Snapshot,
        device: &Device,
        not_an_image_model: &str,
    ) -> Result<Self, String> {
        let weight_bytes = snapshot
            .to_bytes(Precision::F32)
            .await
            .map_err(|e| e.to_string())?;
        let file = WeightFile::parse(&weight_bytes).map_err(|e| e.to_string())?;
        let session = sampling_session(&file, device).map_err(|e| e.to_string())?;
        let config = session.config().image().ok_or(not_an_image_model)?.clone();
        let (classifier, _) = reference_classifier(device).await?;
        Ok(Self {
            session,
            config,
            weight_bytes,
            classifier,
        })
    }
}

/// The classifier's view of many images, a chunk at a time with the browser served in between.
pub async fn embed_in_chunks(
    net: &Classifier,
    pixels: &[u8],
    len: usize,
    device: &Device,
) -> Result<Embedding, String> {
    let mut all = Embedding::empty();
    for chunk in pixels.chunks(CHUNK * len) {
        all.append(
            embed(net, chunk, len, device)
                .await
                .map_err(|e| e.to_string())?,
        );
        yield_to_browser().await;
    }
    Ok(all)
}
