//! losses.csv: one row per logged step, flushed as it goes so an interrupted run keeps its log.

use std::fs::{File, OpenOptions};
use std::path::Path;

use anyhow::{Context, Result};
use ganplay_model::Losses;

pub struct LossLog {
    writer: csv::Writer<File>,
}

impl LossLog {
    /// A new log starting with `header`, or with `continue_existing` (a resumed run) the rows
    /// appended to the log already there.
    pub fn open(path: &Path, header: &[String], continue_existing: bool) -> Result<Self> {
        let append = continue_existing && path.exists();
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
