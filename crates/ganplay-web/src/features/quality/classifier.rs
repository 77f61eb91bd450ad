//! What the quality tools share: the reference classifier (fetched once per page), a sampling
//! session from a snapshot of the model in training, and embedding in chunks that yield to the
//! browser.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use ganplay_model::TrainSession;
use ganplay_model::classifier::bundled::FILE_NAME;
use ganplay_model::classifier::{Embedding, embed};
use ganplay_model::nets::classifier::Classifier;
use ganplay_model::weights::classifier_file::ClassifierFile;
use ganplay_model::weights::{Precision, Snapshot, WeightFile, sampling_session};

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

/// A model of its own, rebuilt from a snapshot of the one in training (and the snapshot's bytes,
/// whose hash the export's manifest records).
pub async fn session_from(
    snapshot: Snapshot,
    device: &Device,
) -> Result<(TrainSession, Vec<u8>), String> {
    let bytes = snapshot
        .to_bytes(Precision::F32)
        .await
        .map_err(|e| e.to_string())?;
    let file = WeightFile::parse(&bytes).map_err(|e| e.to_string())?;
    Ok((
        sampling_session(&file, device).map_err(|e| e.to_string())?,
        bytes,
    ))
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
