//! The tensor data's checksum, written into every file's metadata and verified on load, and the
//! header check that no tensor is named twice (safetensors' parser keeps the last silently).

use std::collections::HashMap;

use safetensors::SafeTensors;
use safetensors::tensor::{Dtype, TensorView};
use sha2::{Digest, Sha256};

use super::WeightError;

/// What loading could say about the tensor data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Integrity {
    /// The data matches the checksum the writer stored.
    Verified,
    /// The file carries no checksum (written before files had one): it loads, unverified.
    Unverified,
}

impl Integrity {
    /// A line for the user where the data could not be checked.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Integrity::Verified => None,
            Integrity::Unverified => Some(
                "the file has no checksum (an older ganplay wrote it), so damage to its tensor data cannot be detected",
            ),
        }
    }
}

/// SHA-256, as hex, of every tensor's name, dtype, shape and bytes, in name order.
pub(super) fn digest<'a>(
    tensors: impl Iterator<Item = (&'a str, Dtype, &'a [usize], &'a [u8])>,
) -> String {
    let mut tensors: Vec<_> = tensors.collect();
    tensors.sort_by_key(|(name, ..)| *name);
    let mut hash = Sha256::new();
    for (name, dtype, shape, bytes) in tensors {
        // Lengths first, so no two different tensor lists hash the same byte stream.
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        hash.update(format!("{dtype:?}").as_bytes());
        hash.update((shape.len() as u64).to_le_bytes());
        for d in shape {
            hash.update((*d as u64).to_le_bytes());
        }
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A safetensors file of `tensors` (name, dtype, shape, little-endian bytes) whose metadata
/// carries their checksum.
pub(super) fn serialize_with_checksum(
    tensors: &[(String, Dtype, Vec<usize>, Vec<u8>)],
    mut metadata: HashMap<String, String>,
) -> Result<Vec<u8>, WeightError> {
    metadata.insert(
        super::keys::CHECKSUM.to_string(),
        digest(
            tensors
                .iter()
                .map(|(name, dtype, shape, bytes)| (name.as_str(), *dtype, &shape[..], &bytes[..])),
        ),
    );
    let views = tensors
        .iter()
        .map(|(name, dtype, shape, bytes)| {
            TensorView::new(*dtype, shape.clone(), bytes)
                .map(|view| (name.clone(), view))
                .map_err(|e| WeightError::Serialize(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    safetensors::serialize(views, Some(metadata)).map_err(|e| WeightError::Serialize(e.to_string()))
}

/// Compares the file's tensors with its stored checksum, if it has one.
pub(super) fn verify(
    file: &SafeTensors<'_>,
    stored: Option<&String>,
) -> Result<Integrity, WeightError> {
    let Some(stored) = stored else {
        return Ok(Integrity::Unverified);
    };
    let tensors = file.tensors();
    let actual = digest(
        tensors
            .iter()
            .map(|(name, view)| (name.as_str(), view.dtype(), view.shape(), view.data())),
    );
    if actual == *stored {
        Ok(Integrity::Verified)
    } else {
        Err(WeightError::Checksum)
    }
}

/// Refuses a header that names a tensor twice. Called after safetensors has parsed the header,
/// so its length prefix is known to be sound.
pub(super) fn check_unique_names(bytes: &[u8]) -> Result<(), WeightError> {
    let header = bytes
        .get(..8)
        .and_then(|n| usize::try_from(u64::from_le_bytes(n.try_into().ok()?)).ok())
        .and_then(|n| bytes.get(8..8usize.checked_add(n)?))
        .ok_or_else(|| WeightError::NotSafetensors("no header".into()))?;
    let mut deserializer = serde_json::Deserializer::from_slice(header);
    match serde::de::Deserializer::deserialize_map(&mut deserializer, FirstDuplicate) {
        Ok(None) => Ok(()),
        Ok(Some(name)) => Err(WeightError::DuplicateTensor(name)),
        Err(e) => Err(WeightError::NotSafetensors(e.to_string())),
    }
}

/// Visits the header's keys and returns the first one seen twice.
struct FirstDuplicate;

impl<'de> serde::de::Visitor<'de> for FirstDuplicate {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a safetensors header (a JSON object)")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut seen = std::collections::HashSet::new();
        let mut duplicate = None;
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<serde::de::IgnoredAny>()?;
            if !seen.insert(key.clone()) && duplicate.is_none() {
                duplicate = Some(key);
            }
        }
        Ok(duplicate)
    }
}
