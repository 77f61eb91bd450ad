//! Weight files of the reference classifier: the same safetensors layout as generator files
//! (`docs/weights.md`), with `ganplay.format` = `ganplay-classifier`, the
//! [`ClassifierConfig`] as `ganplay.config` and the held-out accuracy it reached.

use burn::tensor::Device;
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::{NamedTensors, Precision, RawFile, Snapshot, TrainingFacts, WeightError, keys};
use crate::nets::classifier::{Classifier, ClassifierConfig};

pub const FORMAT: &str = "ganplay-classifier";
/// Accuracy on the held-out test split, as a fraction.
pub const TEST_ACCURACY: &str = "ganplay.test_accuracy";

/// A parsed classifier file.
#[derive(Clone, Debug)]
pub struct ClassifierFile {
    pub config: ClassifierConfig,
    pub facts: TrainingFacts,
    pub test_accuracy: Option<f64>,
    /// Whether the tensor data was checked against a checksum.
    pub integrity: super::Integrity,
    tensors: NamedTensors,
}

impl ClassifierFile {
    /// Parses and checks a file. Never panics, whatever the bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, WeightError> {
        let raw = RawFile::parse(bytes, FORMAT)?;
        let config: ClassifierConfig = raw.json(keys::CONFIG)?;
        config.validate().map_err(|e| WeightError::Metadata {
            key: keys::CONFIG,
            message: e.to_string(),
        })?;
        Ok(ClassifierFile {
            config,
            facts: raw.facts()?,
            test_accuracy: raw.text(TEST_ACCURACY).ok().and_then(|a| a.parse().ok()),
            integrity: raw.integrity,
            tensors: raw.tensors,
        })
    }

    /// The network with the file's weights, on `device`.
    pub fn build(&self, device: &Device) -> Result<Classifier, WeightError> {
        let fresh = Classifier::new(&self.config, &mut StdRng::seed_from_u64(0), device);
        super::load_module("classifier", fresh, &self.tensors)
    }
}

/// Serialises a classifier (reading its weights back asynchronously, as the browser requires).
pub async fn to_bytes(
    net: &Classifier,
    config: &ClassifierConfig,
    facts: &TrainingFacts,
    test_accuracy: f64,
    precision: Precision,
) -> Result<Vec<u8>, WeightError> {
    let metadata = vec![
        (
            keys::CONFIG,
            serde_json::to_string(config).expect("configs serialise"),
        ),
        (keys::STEPS, facts.steps.to_string()),
        (keys::DATASET, facts.dataset.clone()),
        (keys::TRAINED_AT, facts.trained_at.clone()),
        (keys::TRAINED_BY, facts.trained_by.clone()),
        (TEST_ACCURACY, format!("{test_accuracy:.6}")),
    ];
    Snapshot::of_module(net, FORMAT, metadata)
        .to_bytes(precision)
        .await
}
