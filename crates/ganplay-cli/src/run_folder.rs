//! A training run's folder: one run per folder, held by one process at a time. A new run never
//! lands on another run's files unless told to replace them, and a resumed run continues the
//! folder it came from.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Files a run writes whose presence means the folder holds a run.
const RUN_MARKERS: [&str; 4] = [
    "config.json",
    "losses.csv",
    "weights.safetensors",
    "checkpoint.safetensors",
];

/// Every other file a run writes, removed with the markers when a run is replaced.
const RUN_OUTPUTS: [&str; 4] = [
    "samples.png",
    "scatter.png",
    "checkpoint.optim",
    "weights.optim",
];

/// Held open for the whole run: the operating system releases the lock when the process ends,
/// however it ends, so a killed run never leaves a stale lock behind.
const LOCK_FILE: &str = ".ganplay-run.lock";

/// What the run means to do with a folder that already holds a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Refuse it.
    New,
    /// Remove that run's files first.
    Replace,
    /// Continue it: the folder holds the weights being resumed.
    Continue,
}

/// The folder, locked for this process until the value is dropped.
pub struct RunFolder {
    _lock: File,
}

impl RunFolder {
    /// Creates or takes `path` for a run, refusing a folder another run is using or (unless
    /// `claim` says otherwise) holds, and removes the half-written files an interrupted run left.
    pub fn claim(path: &Path, claim: Claim) -> Result<Self> {
        std::fs::create_dir_all(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let lock = lock(path)?;
        let found = run_files(path);
        if !found.is_empty() {
            match claim {
                Claim::Continue => {}
                Claim::Replace => remove_run(path)?,
                Claim::New => bail!(
                    "{} holds another run ({}); pick a new --out, pass --force to replace it, \
                     or --resume its checkpoint to continue it",
                    path.display(),
                    found.join(", ")
                ),
            }
        }
        remove_partial_files(path)?;
        Ok(RunFolder { _lock: lock })
    }
}

/// The first of `runs/<model>`, `runs/<model>-2`, … that does not exist yet.
pub fn fresh_default(model_id: &str) -> PathBuf {
    let base = Path::new("runs");
    (1..)
        .map(|n| match n {
            1 => base.join(model_id),
            n => base.join(format!("{model_id}-{n}")),
        })
        .find(|p| !p.exists())
        .expect("an unused name")
}

/// Whether `weights` lies directly in `folder` (a resumed run continuing its own folder).
pub fn holds(folder: &Path, weights: &Path) -> bool {
    match (folder_of(weights).canonicalize(), folder.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The folder a weight file lies in (`.` for a bare file name).
pub fn folder_of(weights: &Path) -> PathBuf {
    match weights.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn lock(folder: &Path) -> Result<File> {
    let path = folder.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another ganplay run is using {}; wait for it to end or pick another --out",
            folder.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

fn run_files(folder: &Path) -> Vec<&'static str> {
    RUN_MARKERS
        .into_iter()
        .filter(|name| folder.join(name).exists())
        .collect()
}

/// Removes the files a run writes and nothing else: `--out .` must not empty the user's folder.
fn remove_run(folder: &Path) -> Result<()> {
    for name in RUN_MARKERS.iter().chain(&RUN_OUTPUTS) {
        remove_if_present(&folder.join(name))?;
    }
    let samples = folder.join("samples");
    if samples.is_dir() {
        for entry in std::fs::read_dir(&samples)?.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("step-") && name.ends_with(".png") {
                remove_if_present(&entry.path())?;
            }
        }
        // Left in place if the user keeps something of their own in it.
        let _ = std::fs::remove_dir(&samples);
    }
    Ok(())
}

/// `*.partial`: files an interrupted write left; with the lock held, no run is writing them.
fn remove_partial_files(folder: &Path) -> Result<()> {
    for entry in std::fs::read_dir(folder)?.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "partial") && path.is_file() {
            remove_if_present(&path)?;
        }
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"x").unwrap();
    }

    #[test]
    fn a_folder_with_a_run_is_refused_replaced_or_continued() {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("run");
        for f in [
            "config.json",
            "losses.csv",
            "samples/step-000010.png",
            "notes.txt",
        ] {
            touch(&run.join(f));
        }
        let refused = RunFolder::claim(&run, Claim::New).err().unwrap();
        assert!(
            format!("{refused}").contains("holds another run (config.json, losses.csv)"),
            "{refused}"
        );
        drop(RunFolder::claim(&run, Claim::Continue).unwrap());
        assert!(run.join("losses.csv").exists());

        drop(RunFolder::claim(&run, Claim::Replace).unwrap());
        assert!(!run.join("losses.csv").exists());
        assert!(!run.join("samples").exists());
        assert!(run.join("notes.txt").exists(), "the user's own file stays");
        drop(RunFolder::claim(&run, Claim::New).unwrap());
    }

    #[test]
    fn a_folder_in_use_is_refused_and_free_again_after() {
        let dir = tempfile::tempdir().unwrap();
        let held = RunFolder::claim(dir.path(), Claim::New).unwrap();
        let refused = RunFolder::claim(dir.path(), Claim::Continue).err().unwrap();
        assert!(format!("{refused}").contains("another ganplay run is using"));
        drop(held);
        RunFolder::claim(dir.path(), Claim::New).unwrap();
    }

    #[test]
    fn half_written_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        touch(&dir.path().join("checkpoint.partial"));
        RunFolder::claim(dir.path(), Claim::New).unwrap();
        assert!(!dir.path().join("checkpoint.partial").exists());
    }
}
