//! The optimisers' state (Adam's moment estimates and step counts) out of a session and back
//! into one of the same config, so a resumed run continues exactly where it stopped.
//!
//! Burn keys an optimiser's state by parameter id, and ids are random. The session therefore
//! gives every parameter an id derived from its path ([`PathIds`]): a session rebuilt from the
//! same config has the same ids, and a saved state fits it.

use burn::module::{ModuleMapper, Param, ParamId};
use burn::optim::{ModuleOptimizer, OptimizerRecord};
use burn::tensor::{Bytes, Tensor};
use sha2::{Digest, Sha256};

use super::TrainSession;
use super::build::Nets;

/// The first bytes of a saved state, with its format's version.
const MAGIC: &[u8; 8] = b"gpoptim1";

/// Gives each parameter the id its path names.
#[derive(Default)]
pub(super) struct PathIds {
    path: Vec<String>,
}

impl ModuleMapper for PathIds {
    fn enter_module(&mut self, name: &str, _: &str) {
        self.path.push(name.to_string());
    }
    fn exit_module(&mut self, _: &str, _: &str) {
        self.path.pop();
    }
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (_, value, mapper) = param.consume();
        let digest = Sha256::digest(self.path.join(".").as_bytes());
        let id = u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"));
        Param::from_mapped_value(ParamId::from(id), value, mapper)
    }
}

impl TrainSession {
    /// The optimisers' state as bytes, for [`Self::load_optimizer_state`] on a session of the
    /// same config. Burn reads the state synchronously, which a browser's WebGPU cannot do:
    /// call it on the CPU backend or natively.
    pub fn optimizer_state(&self) -> Result<Vec<u8>, String> {
        let mut out = MAGIC.to_vec();
        out.extend(config_digest(self));
        for optimizer in optimizers(&self.nets) {
            let bytes = optimizer
                .to_record()
                .into_bytes()
                .map_err(|e| format!("the optimiser state could not be written: {e:?}"))?;
            out.extend((bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(&bytes);
        }
        Ok(out)
    }

    /// Restores the optimisers' state that [`Self::optimizer_state`] wrote for this config; on
    /// any error the session keeps the state it had.
    pub fn load_optimizer_state(&mut self, bytes: &[u8]) -> Result<(), String> {
        let damaged = || "the optimiser state is damaged or truncated".to_string();
        let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(damaged)?;
        let (digest, mut rest) = rest.split_at_checked(32).ok_or_else(damaged)?;
        if digest != config_digest(self).as_slice() {
            return Err("the optimiser state belongs to a model of another config".into());
        }
        let mut records = Vec::new();
        while !rest.is_empty() {
            let (len, after) = rest.split_at_checked(8).ok_or_else(damaged)?;
            let len = usize::try_from(u64::from_le_bytes(len.try_into().expect("8 bytes")))
                .map_err(|_| damaged())?;
            let (record, after) = after.split_at_checked(len).ok_or_else(damaged)?;
            let record = OptimizerRecord::from_bytes(Bytes::from_bytes_vec(record.to_vec()))
                .map_err(|e| format!("the optimiser state cannot be read: {e:?}"))?;
            records.push(record);
            rest = after;
        }
        let slots = optimizers_mut(&mut self.nets);
        if records.len() != slots.len() {
            return Err(damaged());
        }
        for (slot, record) in slots.into_iter().zip(records) {
            *slot = slot.clone().load_record(record);
        }
        Ok(())
    }
}

/// SHA-256 of the config, so a state never lands on a model it was not made for.
fn config_digest(session: &TrainSession) -> Vec<u8> {
    let json = serde_json::to_string(session.config()).expect("configs serialise");
    Sha256::digest(json.as_bytes()).to_vec()
}

/// The session's own optimisers, in a fixed order (a semi-supervised model's labels-only twin
/// is a measurement and restarts with the run).
fn optimizers(nets: &Nets) -> Vec<&ModuleOptimizer> {
    match nets {
        Nets::Gan(n) => vec![&n.g_optimizer, &n.d_optimizer],
        Nets::Vae(n) => vec![&n.optimizer],
        Nets::SemiSupervised(n) => vec![&n.g_optimizer, &n.d_optimizer],
        Nets::SemiSupervisedVae(n) => vec![&n.optimizer],
    }
}

fn optimizers_mut(nets: &mut Nets) -> Vec<&mut ModuleOptimizer> {
    match nets {
        Nets::Gan(n) => vec![&mut n.g_optimizer, &mut n.d_optimizer],
        Nets::Vae(n) => vec![&mut n.optimizer],
        Nets::SemiSupervised(n) => vec![&mut n.g_optimizer, &mut n.d_optimizer],
        Nets::SemiSupervisedVae(n) => vec![&mut n.optimizer],
    }
}
