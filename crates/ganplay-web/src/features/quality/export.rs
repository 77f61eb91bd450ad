//! A labelled synthetic data set of the model in training, downloaded as a zip: the same files
//! as `ganplay export --format folder` (class folders of PNGs and `manifest.json`), stored
//! uncompressed (PNGs are compressed already).

use std::io::Write;

use burn::tensor::Device;
use ganplay_model::export::manifest::Provenance;
use ganplay_model::export::{
    ExportFormat, ExportedFile, Manifest, QualityFilter, export_files, labelled_samples,
};
use ganplay_model::weights::Snapshot;

use super::classifier::ModelToScore;

/// Samples in the page's export.
pub const EXPORT_COUNT: usize = 1000;
/// The quality filter's threshold when it is on.
pub const MIN_CONFIDENCE: f32 = 0.9;

/// The zip's bytes and its file name.
pub async fn export_zip(
    snapshot: Snapshot,
    device: Device,
    filter: bool,
    backend: &str,
) -> Result<(Vec<u8>, String), String> {
    let ModelToScore {
        session,
        config,
        weight_bytes,
        classifier,
    } = ModelToScore::load(snapshot, &device, "only image models can be exported").await?;
    let filter = filter.then_some(QualityFilter {
        min_confidence: MIN_CONFIDENCE,
    });
    let samples = labelled_samples(&session, &classifier, &device, EXPORT_COUNT, 1, filter)
        .await
        .map_err(|e| e.to_string())?;
    let provenance = Provenance {
        format: ExportFormat::Folder,
        config: &config,
        weights_file: format!("page model at step {}", session.steps()),
        weight_bytes: &weight_bytes,
        weights_steps: session.steps(),
        seed: 1,
        created_by: format!("ganplay page ({backend})"),
        created_at: String::from(js_sys::Date::new_0().to_iso_string()),
    };
    let manifest = Manifest::describe(&samples, filter, provenance);
    let files = export_files(&samples, config.image, ExportFormat::Folder, &manifest)?;
    let name = format!(
        "ganplay-{}-step{}-synthetic.zip",
        config.model.id(),
        session.steps()
    );
    Ok((zip(&files)?, name))
}

fn zip(files: &[ExportedFile]) -> Result<Vec<u8>, String> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for f in files {
        writer
            .start_file(f.path.as_str(), options)
            .map_err(|e| e.to_string())?;
        writer.write_all(&f.bytes).map_err(|e| e.to_string())?;
    }
    Ok(writer.finish().map_err(|e| e.to_string())?.into_inner())
}
