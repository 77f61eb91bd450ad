//! `manifest.json` of an exported data set: where the samples came from and what was dropped,
//! so a data set can be traced back to its weights.

use serde::{Deserialize, Serialize};

use super::QualityFilter;

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
