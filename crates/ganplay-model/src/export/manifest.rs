//! `manifest.json` of an exported data set: where the samples came from and what was dropped,
//! so a data set can be traced back to its weights.

use serde::{Deserialize, Serialize};

use super::{ExportFormat, LabelledSamples, QualityFilter};
use crate::ImageModelConfig;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `folder` or `idx`.
    pub format: String,
    pub model: String,
    pub weights_file: String,
    /// SHA-256 of the weight file's bytes, hex.
    pub weights_sha256: String,
    pub weights_steps: u64,
    pub seed: u64,
    pub count: usize,
    pub class_names: Vec<String>,
    pub counts_per_class: Vec<usize>,
    /// `asked class` (conditional models) or `reference classifier`.
    pub labels_from: String,
    pub filter: Option<QualityFilter>,
    pub generated: usize,
    pub dropped_low_confidence: usize,
    pub dropped_wrong_class: usize,
    pub created_by: String,
    pub created_at: String,
}

/// Where an export's samples come from and who made it, the part of a [`Manifest`] that the
/// samples themselves do not say.
pub struct Provenance<'a> {
    pub format: ExportFormat,
    pub config: &'a ImageModelConfig,
    /// The weight file's name (or, in the page, which model at which step).
    pub weights_file: String,
    pub weight_bytes: &'a [u8],
    pub weights_steps: u64,
    pub seed: u64,
    pub created_by: String,
    pub created_at: String,
}

impl Manifest {
    /// The manifest of `samples`, drawn as `provenance` says and kept by `filter`.
    pub fn describe(
        samples: &LabelledSamples,
        filter: Option<QualityFilter>,
        provenance: Provenance,
    ) -> Self {
        let config = provenance.config;
        let labels_from = if config.model.is_conditional() {
            "asked class"
        } else {
            "reference classifier"
        };
        Manifest {
            format: provenance.format.id().into(),
            model: config.model.id().into(),
            weights_file: provenance.weights_file,
            weights_sha256: sha256_hex(provenance.weight_bytes),
            weights_steps: provenance.weights_steps,
            seed: provenance.seed,
            count: samples.labels.len(),
            class_names: config.class_names.clone(),
            counts_per_class: samples.counts_per_class(config.class_names.len()),
            labels_from: labels_from.into(),
            filter,
            generated: samples.generated,
            dropped_low_confidence: samples.dropped_low_confidence,
            dropped_wrong_class: samples.dropped_wrong_class,
            created_by: provenance.created_by,
            created_at: provenance.created_at,
        }
    }
}

/// SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_a_known_string() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
