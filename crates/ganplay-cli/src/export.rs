//! `ganplay export`: a labelled synthetic data set from a weight file, as a folder of class
//! folders of PNGs or as IDX files, with a manifest. Written under a temporary name and renamed
//! when complete, so a failed export leaves nothing half-written.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use ganplay_model::ModelConfig;
use ganplay_model::export::manifest::Provenance;
use ganplay_model::export::{Manifest, QualityFilter, export_files, labelled_samples};

use crate::args::ExportArgs;
use crate::{classifier, device, weight_files};

pub fn run(args: ExportArgs) -> Result<()> {
    let bytes = std::fs::read(&args.weights)
        .with_context(|| format!("cannot read {}", args.weights.display()))?;
    let file = weight_files::read(&args.weights)?;
    let ModelConfig::Image(config) = &file.config else {
        bail!(
            "{} holds a 2D GAN; `export` writes image data sets",
            args.weights.display()
        );
    };
    let occupied = match std::fs::read_dir(&args.out) {
        Ok(mut entries) => entries.next().is_some(),
        Err(_) => args.out.exists(),
    };
    if occupied {
        bail!(
            "{} already exists and is not empty; pick a new --out",
            args.out.display()
        );
    }
    let picked = device::select(args.device.choice)?;
    picked.announce();
    let device = &picked.device;
    let (net, classifier_file) = classifier::load_reference(args.classifier.as_deref(), device)?;
    if classifier_file.config.image != config.image {
        bail!("the classifier reads other images than the model makes; pass --classifier");
    }
    let session = weight_files::image_session(&file, &args.weights, device)?;
    let filter = args
        .min_confidence
        .map(|min_confidence| QualityFilter { min_confidence });
    let samples = pollster::block_on(labelled_samples(
        &session, &net, device, args.count, args.seed, filter,
    ))
    .map_err(|e| anyhow!(e))?;
    let provenance = Provenance {
        format: args.format,
        config,
        weights_file: args
            .weights
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        weight_bytes: &bytes,
        weights_steps: file.facts.steps,
        seed: args.seed,
        created_by: format!(
            "ganplay-cli {} ({})",
            env!("CARGO_PKG_VERSION"),
            picked.name
        ),
        created_at: weight_files::iso_now(),
    };
    let manifest = Manifest::describe(&samples, filter, provenance);
    let files =
        export_files(&samples, config.image, args.format, &manifest).map_err(|e| anyhow!(e))?;
    write_atomically(&args.out, &files)?;
    println!(
        "{} samples ({} per class: {:?}) → {} ({}); generated {}, dropped {} unsure and {} of another class",
        manifest.count,
        manifest.labels_from,
        manifest.counts_per_class,
        args.out.display(),
        args.format.id(),
        manifest.generated,
        manifest.dropped_low_confidence,
        manifest.dropped_wrong_class
    );
    Ok(())
}

/// Writes every file under `<out>.partial`, then renames that folder to `out`.
fn write_atomically(out: &Path, files: &[ganplay_model::export::ExportedFile]) -> Result<()> {
    let partial = out.with_extension("partial");
    let _ = std::fs::remove_dir_all(&partial);
    let written = write_all(&partial, files).and_then(|()| {
        if out.exists() {
            // Only an empty folder gets here (checked before generating).
            std::fs::remove_dir(out)
                .with_context(|| format!("cannot replace {}", out.display()))?;
        }
        std::fs::rename(&partial, out).with_context(|| format!("cannot write {}", out.display()))
    });
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    written
}

fn write_all(root: &Path, files: &[ganplay_model::export::ExportedFile]) -> Result<()> {
    for f in files {
        let path = root.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, &f.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
