//! Weight files on disk: read with the path in every error, written so that an interrupted run
//! never leaves half a file.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use burn::tensor::Device;
use ganplay_model::TrainSession;
use ganplay_model::weights::{self, Precision, TrainingFacts, WeightFile};

/// Reads and checks a weight file; says so on stderr when its data could not be verified.
pub fn read(path: &Path) -> Result<WeightFile> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file = WeightFile::parse(&bytes)
        .with_context(|| format!("{} is not a usable weight file", path.display()))?;
    if let Some(note) = file.integrity.note() {
        eprintln!("note: {}: {note}", path.display());
    }
    Ok(file)
}

/// A session holding an image model's weight file, ready to sample.
pub fn image_session(file: &WeightFile, path: &Path, device: &Device) -> Result<TrainSession> {
    weights::sampling_session(file, device).map_err(|e| anyhow!("{}: {e}", path.display()))
}

pub fn write(
    session: &TrainSession,
    facts: &TrainingFacts,
    precision: Precision,
    path: &Path,
) -> Result<()> {
    let bytes = pollster::block_on(weights::to_bytes(session, facts, precision))?;
    write_bytes(&bytes, path)
}

/// Writes then renames: a file is either the old one or the new one, never a torn mix.
pub fn write_bytes(bytes: &[u8], path: &Path) -> Result<()> {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// UTC now as `YYYY-MM-DDTHH:MM:SSZ` (days-to-civil conversion, Howard Hinnant's algorithm), so
/// no date crate is needed for one timestamp.
pub fn iso_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
