//! A labelled synthetic data set of the model in training, downloaded as a zip: the same files
//! as `ganplay export --format folder` (class folders of PNGs and `manifest.json`), stored
//! uncompressed (PNGs are compressed already).

use std::io::Write;

use burn::tensor::Device;
use ganplay_model::export::manifest::sha256_hex;
use ganplay_model::export::{
    ExportFormat, ExportedFile, Manifest, QualityFilter, export_files, labelled_samples,
};
use ganplay_model::weights::Snapshot;

use super::classifier::{reference_classifier, session_from};

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
    let (session, weight_bytes) = session_from(snapshot, &device).await?;
    let config = session
        .config()
        .image()
        .ok_or("only image models can be exported")?
        .clone();
    let (net, _) = reference_classifier(&device).await?;
    let filter = filter.then_some(QualityFilter {
        min_confidence: MIN_CONFIDENCE,
    });
    let samples = labelled_samples(&session, &net, &device, EXPORT_COUNT, 1, filter)
        .await
        .map_err(|e| e.to_string())?;
    let conditional = config.model.is_conditional();
    let manifest = Manifest {
        format: ExportFormat::Folder.id().into(),
        model: config.model.id().into(),
        weights_file: format!("page model at step {}", session.steps()),
        weights_sha256: sha256_hex(&weight_bytes),
        weights_steps: session.steps(),
        seed: 1,
        count: samples.labels.len(),
        class_names: config.class_names.clone(),
        counts_per_class: samples.counts_per_class(config.class_names.len()),
        labels_from: if conditional {
            "asked class"
        } else {
            "reference classifier"
        }
        .into(),
        filter,
        generated: samples.generated,
        dropped_low_confidence: samples.dropped_low_confidence,
        dropped_wrong_class: samples.dropped_wrong_class,
        created_by: format!("ganplay page ({backend})"),
        created_at: String::from(js_sys::Date::new_0().to_iso_string()),
    };
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
