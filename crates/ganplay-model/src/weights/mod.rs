//! Weight files: safetensors whose metadata describes the model, so a file alone rebuilds it.
//! The format is documented in `docs/weights.md`.

mod checksum;
pub mod classifier_file;
mod optimizer_file;

pub use optimizer_file::OptimizerStateError;
mod tensors;

use std::collections::HashMap;

use burn::tensor::{Device, Tensor};
use safetensors::tensor::{Dtype, TensorView};

use crate::config::image::ModelConfig;
use crate::data::StandIn;
use crate::sample::readback::{ReadBackError, read_values};
use crate::train::TrainSession;
pub use checksum::Integrity;
use tensors::collect;
pub use tensors::{NamedTensors, tensor_shapes};
pub(crate) use tensors::{load_module, module_tensors};

pub const FORMAT: &str = "ganplay-weights";
/// Files of a session's optimiser state (`TrainSession::optimizer_state`).
pub const OPTIMIZER_FORMAT: &str = "ganplay-optimizer";
pub const VERSION: &str = "1";

/// Metadata keys.
pub mod keys {
    pub const FORMAT: &str = "ganplay.format";
    pub const VERSION: &str = "ganplay.version";
    pub const CONFIG: &str = "ganplay.config";
    pub const NORMALISATION: &str = "ganplay.normalisation";
    pub const CLASS_NAMES: &str = "ganplay.class_names";
    pub const STEPS: &str = "ganplay.steps";
    pub const DATASET: &str = "ganplay.dataset";
    pub const TRAINED_AT: &str = "ganplay.trained_at";
    pub const TRAINED_BY: &str = "ganplay.trained_by";
    /// SHA-256 of the tensors (names, dtypes, shapes and bytes, by name), as hex.
    pub const CHECKSUM: &str = "ganplay.sha256";
}

/// What a file records about how its weights came about.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TrainingFacts {
    pub steps: u64,
    /// `mnist`, `ring8`, a folder name …
    pub dataset: String,
    /// ISO 8601 date and time.
    pub trained_at: String,
    /// `ganplay-cli 0.1.0 (cpu)`, `ganplay page (webgpu)` …
    pub trained_by: String,
}

/// Storage precision of the tensors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    F32,
    /// Half the size; plenty for sampling from these models.
    F16,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WeightError {
    #[error("not a readable safetensors file (truncated or corrupt?): {0}")]
    NotSafetensors(String),
    #[error("a safetensors file, but not one ganplay wrote: it has no `ganplay.format` metadata")]
    Foreign,
    #[error("written by a newer ganplay (weight format {0}); this build reads format {VERSION}")]
    NewerVersion(String),
    #[error("metadata `{key}` is missing or invalid: {message}")]
    Metadata { key: &'static str, message: String },
    #[error("tensor `{name}`: {message}")]
    Tensor { name: String, message: String },
    #[error("the file does not fit the {model} model: {message}")]
    Mismatch { model: String, message: String },
    #[error("a ganplay {found} file, where a {expected} file was needed")]
    WrongKind {
        expected: &'static str,
        found: String,
    },
    #[error(
        "the tensor data does not match the file's checksum: the file was damaged after it was written"
    )]
    Checksum,
    #[error("the header names tensor `{0}` twice")]
    DuplicateTensor(String),
    #[error(transparent)]
    ReadBack(#[from] ReadBackError),
    #[error("could not write the weight file: {0}")]
    Serialize(String),
}

/// A parsed weight file: the model's config, its training facts and its tensors (as f32).
#[derive(Clone, Debug)]
pub struct WeightFile {
    pub config: ModelConfig,
    pub facts: TrainingFacts,
    /// Whether the tensor data was checked against a checksum.
    pub integrity: Integrity,
    tensors: NamedTensors,
}

impl WeightFile {
    /// Parses and checks a file without touching any model: its checksum, and that its config
    /// can be built within the size limits. Never panics, whatever the bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, WeightError> {
        let raw = RawFile::parse(bytes, FORMAT)?;
        let config: ModelConfig = raw.json(keys::CONFIG)?;
        config
            .check_buildable()
            .map_err(|e| WeightError::Metadata {
                key: keys::CONFIG,
                message: e.to_string(),
            })?;
        let facts = raw.facts()?;
        Ok(WeightFile {
            config,
            facts,
            integrity: raw.integrity,
            tensors: raw.tensors,
        })
    }

    /// Names of the tensors the file holds.
    pub fn tensor_names(&self) -> impl Iterator<Item = &str> {
        self.tensors.keys().map(String::as_str)
    }
}

/// A ganplay safetensors file of any kind (`format`), its metadata and tensors checked to be
/// readable and finite.
pub(crate) struct RawFile {
    metadata: HashMap<String, String>,
    pub tensors: NamedTensors,
    pub integrity: Integrity,
}

/// The kinds of files ganplay writes, by their `ganplay.format`.
const KINDS: [(&str, &str); 3] = [
    (FORMAT, "generator"),
    (classifier_file::FORMAT, "classifier"),
    (OPTIMIZER_FORMAT, "saved optimiser"),
];

fn kind_name(format: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(f, _)| *f == format)
        .map_or("model", |(_, name)| name)
}

impl RawFile {
    pub fn parse(bytes: &[u8], format: &'static str) -> Result<Self, WeightError> {
        let file = safetensors::SafeTensors::deserialize(bytes)
            .map_err(|e| WeightError::NotSafetensors(e.to_string()))?;
        let (_, header) = safetensors::SafeTensors::read_metadata(bytes)
            .map_err(|e| WeightError::NotSafetensors(e.to_string()))?;
        let metadata = header.metadata().clone().unwrap_or_default();
        match metadata.get(keys::FORMAT) {
            Some(f) if f == format => {}
            Some(f) if KINDS.iter().any(|(k, _)| k == f) => {
                return Err(WeightError::WrongKind {
                    expected: kind_name(format),
                    found: kind_name(f).to_string(),
                });
            }
            _ => return Err(WeightError::Foreign),
        }
        let version = metadata.get(keys::VERSION).cloned().unwrap_or_default();
        if version != VERSION {
            return Err(WeightError::NewerVersion(version));
        }
        checksum::check_unique_names(bytes)?;
        let integrity = checksum::verify(&file, metadata.get(keys::CHECKSUM))?;
        let mut tensors = HashMap::new();
        for (name, view) in file.tensors() {
            let values = decode(&view).map_err(|message| WeightError::Tensor {
                name: name.clone(),
                message,
            })?;
            if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
                return Err(WeightError::Tensor {
                    name,
                    message: format!("holds {bad}, not a finite number"),
                });
            }
            tensors.insert(name, (view.shape().to_vec(), values));
        }
        Ok(RawFile {
            metadata,
            tensors,
            integrity,
        })
    }

    pub fn text(&self, key: &'static str) -> Result<String, WeightError> {
        self.metadata
            .get(key)
            .cloned()
            .ok_or(WeightError::Metadata {
                key,
                message: "missing".into(),
            })
    }

    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        key: &'static str,
    ) -> Result<T, WeightError> {
        serde_json::from_str(&self.text(key)?).map_err(|e| WeightError::Metadata {
            key,
            message: e.to_string(),
        })
    }

    pub fn facts(&self) -> Result<TrainingFacts, WeightError> {
        let steps = self
            .text(keys::STEPS)?
            .parse()
            .map_err(|e: std::num::ParseIntError| WeightError::Metadata {
                key: keys::STEPS,
                message: e.to_string(),
            })?;
        Ok(TrainingFacts {
            steps,
            dataset: self.text(keys::DATASET).unwrap_or_default(),
            trained_at: self.text(keys::TRAINED_AT).unwrap_or_default(),
            trained_by: self.text(keys::TRAINED_BY).unwrap_or_default(),
        })
    }
}

fn decode(view: &TensorView<'_>) -> Result<Vec<f32>, String> {
    let data = view.data();
    match view.dtype() {
        Dtype::F32 => Ok(data
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()),
        Dtype::F16 => Ok(data
            .chunks_exact(2)
            .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
            .collect()),
        Dtype::BF16 => Ok(data
            .chunks_exact(2)
            .map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32())
            .collect()),
        other => Err(format!(
            "stored as {other:?}; ganplay reads F32, F16 and BF16"
        )),
    }
}

/// A session holding an image model's weight file, for sampling and scoring. It never trains:
/// a stand-in for the data with the right shape and classes satisfies it.
pub fn sampling_session(file: &WeightFile, device: &Device) -> Result<TrainSession, WeightError> {
    let ModelConfig::Image(config) = file.config.clone() else {
        return Err(WeightError::WrongKind {
            expected: "image model",
            found: "2D GAN".into(),
        });
    };
    let data = StandIn::for_model(&config);
    let model = config.model.label().to_string();
    let mut session =
        TrainSession::new(config, Box::new(data), device).map_err(|e| WeightError::Mismatch {
            model,
            message: e.to_string(),
        })?;
    session.load_weights(file)?;
    Ok(session)
}

/// Serialises a session's weights (reading them back asynchronously, as the browser requires).
pub async fn to_bytes(
    session: &TrainSession,
    facts: &TrainingFacts,
    precision: Precision,
) -> Result<Vec<u8>, WeightError> {
    Snapshot::of(session, facts).to_bytes(precision).await
}

/// A session's tensors and metadata, taken synchronously so that the session need not stay
/// borrowed while the (asynchronous) read-back runs.
pub struct Snapshot {
    tensors: Vec<(String, Tensor<1>, Vec<usize>)>,
    metadata: HashMap<String, String>,
}

impl Snapshot {
    pub fn of(session: &TrainSession, facts: &TrainingFacts) -> Self {
        let config = session.config();
        let (normalisation, class_names) = match config.image() {
            Some(c) => (
                serde_json::to_string(&c.model.normalisation()),
                serde_json::to_string(&c.class_names),
            ),
            None => (Ok("null".into()), Ok("[]".into())),
        };
        let metadata = [
            (keys::FORMAT, FORMAT.to_string()),
            (keys::VERSION, VERSION.to_string()),
            (
                keys::CONFIG,
                serde_json::to_string(config).expect("configs serialise"),
            ),
            (keys::NORMALISATION, normalisation.expect("serialises")),
            (keys::CLASS_NAMES, class_names.expect("serialises")),
            (keys::STEPS, facts.steps.to_string()),
            (keys::DATASET, facts.dataset.clone()),
            (keys::TRAINED_AT, facts.trained_at.clone()),
            (keys::TRAINED_BY, facts.trained_by.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Snapshot {
            tensors: collect(session),
            metadata,
        }
    }

    /// Any module's tensors with the given metadata (format and version are added).
    pub(crate) fn of_module<M: burn::module::Module>(
        module: &M,
        format: &str,
        metadata: Vec<(&str, String)>,
    ) -> Self {
        Self::of_tensors(module_tensors(module), format, metadata)
    }

    /// Named tensors (flattened, with their shapes) with the given metadata (format and version
    /// are added).
    pub(crate) fn of_tensors(
        tensors: Vec<(String, Tensor<1>, Vec<usize>)>,
        format: &str,
        metadata: Vec<(&str, String)>,
    ) -> Self {
        let metadata = [
            (keys::FORMAT, format.to_string()),
            (keys::VERSION, VERSION.to_string()),
        ]
        .into_iter()
        .chain(metadata)
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Snapshot { tensors, metadata }
    }

    pub async fn to_bytes(self, precision: Precision) -> Result<Vec<u8>, WeightError> {
        let mut named = Vec::new();
        for (name, tensor, shape) in self.tensors {
            let values = read_values(tensor).await?;
            let (dtype, bytes): (Dtype, Vec<u8>) = match precision {
                Precision::F32 => (
                    Dtype::F32,
                    values.iter().flat_map(|v| v.to_le_bytes()).collect(),
                ),
                Precision::F16 => (
                    Dtype::F16,
                    values
                        .iter()
                        .flat_map(|v| half::f16::from_f32(*v).to_le_bytes())
                        .collect(),
                ),
            };
            named.push((name, dtype, shape, bytes));
        }
        checksum::serialize_with_checksum(&named, self.metadata)
    }
}

/// A ganplay file of any kind with the checksum of its tensors added to its metadata, tensors
/// and other metadata byte for byte as they were, so files written before checksums existed
/// can be verified from now on. A file that fails its own checks is refused, not sealed.
pub fn add_checksum(bytes: &[u8]) -> Result<Vec<u8>, WeightError> {
    let (_, header) = safetensors::SafeTensors::read_metadata(bytes)
        .map_err(|e| WeightError::NotSafetensors(e.to_string()))?;
    let mut metadata = header.metadata().clone().unwrap_or_default();
    let format = metadata.get(keys::FORMAT).cloned().unwrap_or_default();
    let (format, _) = KINDS
        .iter()
        .find(|(f, _)| *f == format)
        .ok_or(WeightError::Foreign)?;
    RawFile::parse(bytes, format)?;
    let file = safetensors::SafeTensors::deserialize(bytes)
        .map_err(|e| WeightError::NotSafetensors(e.to_string()))?;
    let named: Vec<_> = file
        .tensors()
        .into_iter()
        .map(|(name, view)| {
            (
                name,
                view.dtype(),
                view.shape().to_vec(),
                view.data().to_vec(),
            )
        })
        .collect();
    metadata.remove(keys::CHECKSUM);
    checksum::serialize_with_checksum(&named, metadata)
}
