//! The optimisers' state (Adam's moment estimates and step counts) out of a session and back
//! into one of the same config, so a resumed run continues exactly where it stopped.
//!
//! The state is a file of its own kind (`ganplay-optimizer`, `docs/weights.md`): the weight
//! files' layout and checksum, one pair of flattened tensors per parameter, read back
//! asynchronously like the weights, so the page can keep it too.
//!
//! Optimisers key their state by parameter id, and Burn's ids are random. The session therefore
//! gives every parameter an id derived from its path (`train::optimised`): a session rebuilt from the
//! same config has the same ids, and a saved state fits it.

use std::collections::{BTreeMap, HashMap};

use burn::module::ParamId;
use burn::tensor::{Tensor, TensorData};
use sha2::{Digest, Sha256};

use super::{OPTIMIZER_FORMAT, RawFile, Snapshot, WeightError};
use crate::train::TrainSession;
use crate::train::optimizer::Moments;

/// The SHA-256 of the config the state was made for.
const CONFIG_SHA256: &str = "ganplay.config_sha256";
/// Each parameter's update count, by the name its tensors share.
const TIMES: &str = "ganplay.optimizer_times";

/// Why an optimiser state was not restored (the session keeps the state it had).
#[derive(Debug, thiserror::Error)]
pub enum OptimizerStateError {
    #[error("the optimiser state cannot be read: {0}")]
    Unreadable(#[source] WeightError),
    #[error("the optimiser state belongs to a model of another config")]
    OtherConfig,
    #[error("the optimiser state is damaged: {0}")]
    Damaged(String),
}

impl TrainSession {
    /// The optimisers' state, taken now; `to_bytes` on it reads it back (asynchronously) as a
    /// file for [`Self::load_optimizer_state`] on a session of the same config.
    pub fn optimizer_state(&self) -> Snapshot {
        let mut tensors = Vec::new();
        let mut times = BTreeMap::new();
        for (index, (optimizer, _)) in self.nets().optimised().into_iter().enumerate() {
            for (id, moments) in optimizer.moments() {
                let name = entry_name(index, *id);
                let len = moments.first.dims()[0];
                tensors.push((format!("{name}/first"), moments.first.clone(), vec![len]));
                tensors.push((format!("{name}/second"), moments.second.clone(), vec![len]));
                times.insert(name, moments.time);
            }
        }
        Snapshot::of_tensors(
            tensors,
            OPTIMIZER_FORMAT,
            vec![
                (CONFIG_SHA256, config_digest(self)),
                (
                    TIMES,
                    serde_json::to_string(&times).expect("maps of numbers serialise"),
                ),
            ],
        )
    }

    /// Restores the optimisers' state that [`Self::optimizer_state`] wrote for this config; on
    /// any error the session keeps the state it had.
    pub fn load_optimizer_state(&mut self, bytes: &[u8]) -> Result<(), OptimizerStateError> {
        let mut file =
            RawFile::parse(bytes, OPTIMIZER_FORMAT).map_err(OptimizerStateError::Unreadable)?;
        let damaged = |why: &str| OptimizerStateError::Damaged(why.to_string());
        if file.text(CONFIG_SHA256).ok() != Some(config_digest(self)) {
            return Err(OptimizerStateError::OtherConfig);
        }
        let times: BTreeMap<String, u32> = file.json(TIMES).map_err(|e| damaged(&e.to_string()))?;
        if file.tensors.len() != 2 * times.len() {
            return Err(damaged("its tensors and step counts do not match"));
        }
        let device = self.device().clone();
        let slots = self.nets().optimised();
        let mut restored: Vec<HashMap<ParamId, Moments>> = vec![HashMap::new(); slots.len()];
        for (index, (_, sizes)) in slots.iter().enumerate() {
            for (id, len) in sizes {
                let name = entry_name(index, *id);
                let Some(&time) = times.get(&name) else {
                    continue; // not updated yet when the state was taken
                };
                let mut moment = |which: &str| {
                    let (shape, values) = file
                        .tensors
                        .remove(&format!("{name}/{which}"))
                        .ok_or_else(|| damaged(&format!("{name}/{which} is missing")))?;
                    if shape != [*len] {
                        return Err(damaged(&format!("{name}/{which} has the wrong size")));
                    }
                    Ok(Tensor::from_data(TensorData::new(values, shape), &device))
                };
                let (first, second) = (moment("first")?, moment("second")?);
                restored[index].insert(
                    *id,
                    Moments {
                        time,
                        first,
                        second,
                    },
                );
            }
        }
        if !file.tensors.is_empty() {
            return Err(damaged("it holds parameters this model does not have"));
        }
        for (slot, moments) in self.nets_mut().optimizers_mut().into_iter().zip(restored) {
            slot.set_moments(moments);
        }
        Ok(())
    }
}

impl TrainSession {
    /// Forgets the optimisers' state: the next update starts Adam's moments afresh. For a
    /// session whose weights were replaced by ones trained elsewhere, so that the state it keeps
    /// is always the one of its weights (or none).
    pub fn clear_optimizer_state(&mut self) {
        for slot in self.nets_mut().optimizers_mut() {
            slot.set_moments(HashMap::new());
        }
    }
}

/// The name an optimiser's entry for one parameter has in the file.
fn entry_name(optimizer: usize, id: ParamId) -> String {
    format!("{optimizer}/{:016x}", id.val())
}

/// SHA-256 of the config as hex, so a state never lands on a model it was not made for.
fn config_digest(session: &TrainSession) -> String {
    let json = serde_json::to_string(session.config()).expect("configs serialise");
    Sha256::digest(json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
