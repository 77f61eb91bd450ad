//! losses.csv: one row per logged step, flushed as it goes so an interrupted run keeps its log.

use std::fs::{File, OpenOptions};
use std::path::Path;

use anyhow::{Context, Result, bail};
use ganplay_model::Losses;

pub struct LossLog {
    writer: csv::Writer<File>,
}

impl LossLog {
    /// A new log starting with `header`; or, for a run resumed at step `continued`, the log
    /// already there cut back to that step (a checkpoint may be older than the log's last row),
    /// so the appended rows carry on without repeated or backward steps.
    pub fn open(path: &Path, header: &[String], continued: Option<u64>) -> Result<Self> {
        let append = match continued {
            Some(step) if path.exists() => {
                cut_after(path, header, step)?;
                true
            }
            _ => false,
        };
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(file);
        if !append {
            writer.write_record(header)?;
        }
        Ok(LossLog { writer })
    }

    /// `step`, both losses, then the model kind's own columns.
    pub fn write(&mut self, step: u64, losses: &Losses<f32>, columns: &[String]) -> Result<()> {
        let [first, second] = losses.values();
        let row = [step.to_string(), first.to_string(), second.to_string()];
        self.writer.write_record(row.iter().chain(columns))?;
        self.writer.flush()?;
        Ok(())
    }
}

/// Keeps the header and the rows up to `step`, after checking the log has this run's columns.
fn cut_after(path: &Path, header: &[String], step: u64) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = text.lines();
    let expected = header.join(",");
    let found = lines.next().unwrap_or_default();
    if found != expected {
        bail!(
            "{} has the columns {found:?}, not this model's {expected:?}: it is another run's log",
            path.display()
        );
    }
    let rows: Vec<&str> = lines.collect();
    let kept: Vec<&str> = rows
        .iter()
        .copied()
        .take_while(|row| row_step(row).is_some_and(|s| s <= step))
        .collect();
    if kept.len() < rows.len() {
        eprintln!(
            "note: {}: dropped {} rows after step {step}, where the resumed weights stand",
            path.display(),
            rows.len() - kept.len()
        );
    }
    let mut cut = String::with_capacity(text.len());
    for line in std::iter::once(found).chain(kept) {
        cut.push_str(line);
        cut.push('\n');
    }
    crate::weight_files::write_bytes(cut.as_bytes(), path)
}

fn row_step(row: &str) -> Option<u64> {
    row.split(',').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resumed_log_is_cut_back_to_the_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("losses.csv");
        let header = ["step", "loss_d", "loss_g"].map(String::from);
        std::fs::write(
            &path,
            "step,loss_d,loss_g\n10,1,2\n20,1,2\n30,1,2\n40,1,2\n",
        )
        .unwrap();
        let mut log = LossLog::open(&path, &header, Some(20)).unwrap();
        log.write(
            30,
            &Losses::Gan {
                discriminator: 0.5,
                generator: 0.25,
            },
            &[],
        )
        .unwrap();
        drop(log);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "step,loss_d,loss_g\n10,1,2\n20,1,2\n30,0.5,0.25\n"
        );

        let other = ["step", "loss_reconstruction", "loss_kl"].map(String::from);
        let refused = LossLog::open(&path, &other, Some(20)).err().unwrap();
        assert!(
            format!("{refused}").contains("another run's log"),
            "{refused}"
        );
    }
}
