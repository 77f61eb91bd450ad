//! The optimiser's state beside an image model's weight file (`checkpoint.optim` beside
//! `checkpoint.safetensors`), so `--resume` continues with Adam's moments instead of restarting
//! them.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use ganplay_model::TrainSession;
use ganplay_model::weights::Precision;

use crate::weight_files;

fn beside(weights: &Path) -> PathBuf {
    weights.with_extension("optim")
}

pub fn write(session: &TrainSession, weights: &Path) -> Result<()> {
    let bytes = pollster::block_on(session.optimizer_state().to_bytes(Precision::F32))
        .map_err(|e| anyhow!("the optimiser state could not be written: {e}"))?;
    weight_files::write_bytes(&bytes, &beside(weights))
}

/// Loads the state written beside `weights`, if it is there and fits; says on stderr what the
/// optimiser starts from.
pub fn resume(session: &mut TrainSession, weights: &Path) {
    let path = beside(weights);
    match std::fs::read(&path) {
        Err(_) => eprintln!(
            "note: no {} beside the weights: the optimiser's moments restart",
            path.display()
        ),
        Ok(bytes) => match session.load_optimizer_state(&bytes) {
            Ok(()) => eprintln!("continuing with the optimiser state in {}", path.display()),
            Err(e) => eprintln!(
                "note: {}: {e}; the optimiser's moments restart",
                path.display()
            ),
        },
    }
}
