//! The files of an exported data set, as paths and bytes: `folder` is `<class>/<n>.png` (the
//! layout `ganplay train --data` reads), `idx` is MNIST's `train-images-idx3-ubyte` and
//! `train-labels-idx1-ubyte`; both with `manifest.json`.

use crate::data::idx::write_idx;
use crate::data::images::ImageShape;

use super::{LabelledSamples, Manifest};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Folder,
    Idx,
}

crate::string_ids!(ExportFormat {
    Folder => "folder", "one folder of PNGs per class",
    Idx => "idx", "MNIST's IDX files (images and labels)",
});

pub const MANIFEST: &str = "manifest.json";
pub const IDX_IMAGES: &str = "train-images-idx3-ubyte";
pub const IDX_LABELS: &str = "train-labels-idx1-ubyte";

/// A file of the data set: its path relative to the data set's root, and its bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportedFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub fn export_files(
    samples: &LabelledSamples,
    shape: ImageShape,
    format: ExportFormat,
    manifest: &Manifest,
) -> Result<Vec<ExportedFile>, String> {
    let mut files = Vec::new();
    match format {
        ExportFormat::Folder => {
            for (i, (pixels, label)) in samples
                .pixels
                .chunks_exact(shape.len())
                .zip(&samples.labels)
                .enumerate()
            {
                let class = safe_name(&manifest.class_names[*label as usize]);
                files.push(ExportedFile {
                    path: format!("{class}/{i:05}.png"),
                    bytes: png_bytes(pixels, shape)?,
                });
            }
        }
        ExportFormat::Idx => {
            if shape.channels != 1 {
                return Err("IDX holds grey images only; use the folder format".into());
            }
            let n = samples.labels.len();
            files.push(ExportedFile {
                path: IDX_IMAGES.into(),
                bytes: write_idx(&[n, shape.height, shape.width], &samples.pixels),
            });
            files.push(ExportedFile {
                path: IDX_LABELS.into(),
                bytes: write_idx(&[n], &samples.labels),
            });
        }
    }
    files.push(ExportedFile {
        path: MANIFEST.into(),
        bytes: serde_json::to_vec_pretty(manifest).map_err(|e| e.to_string())?,
    });
    Ok(files)
}

/// A class name usable as a folder name everywhere.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "_".into()
    } else {
        cleaned
    }
}

/// A channel-first image as an 8-bit grey or RGB PNG.
fn png_bytes(pixels: &[u8], shape: ImageShape) -> Result<Vec<u8>, String> {
    let plane = shape.height * shape.width;
    let (colour, interleaved) = match shape.channels {
        1 => (png::ColorType::Grayscale, pixels.to_vec()),
        3 => (
            png::ColorType::Rgb,
            (0..plane)
                .flat_map(|i| (0..3).map(move |c| pixels[c * plane + i]))
                .collect(),
        ),
        c => return Err(format!("cannot write {c}-channel images as PNG")),
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, shape.width as u32, shape.height as u32);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&interleaved)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::images::ImageSet;

    fn manifest() -> Manifest {
        Manifest {
            format: "idx".into(),
            model: "cgan".into(),
            weights_file: "cgan.safetensors".into(),
            weights_sha256: "00".into(),
            weights_steps: 1,
            seed: 0,
            count: 3,
            class_names: vec!["zero".into(), "o/ne".into()],
            counts_per_class: vec![2, 1],
            labels_from: "asked class".into(),
            filter: None,
            generated: 3,
            dropped_low_confidence: 0,
            dropped_wrong_class: 0,
            created_by: "test".into(),
            created_at: "now".into(),
        }
    }

    fn samples() -> LabelledSamples {
        LabelledSamples {
            pixels: (0..3 * 4).map(|i| (i * 20) as u8).collect(),
            labels: vec![0, 1, 0],
            generated: 3,
            dropped_low_confidence: 0,
            dropped_wrong_class: 0,
        }
    }

    #[test]
    fn idx_export_reads_back_as_the_same_set() {
        let shape = ImageShape::square(1, 2);
        let files = export_files(&samples(), shape, ExportFormat::Idx, &manifest()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, [IDX_IMAGES, IDX_LABELS, MANIFEST]);
        let set = ImageSet::from_idx(&files[0].bytes, &files[1].bytes).unwrap();
        assert_eq!((set.pixels, set.labels), (samples().pixels, vec![0, 1, 0]));
        let read: Manifest = serde_json::from_slice(&files[2].bytes).unwrap();
        assert_eq!(read, manifest());
    }

    #[test]
    fn folder_export_has_one_png_per_sample_under_its_class() {
        let shape = ImageShape::square(1, 2);
        let files = export_files(&samples(), shape, ExportFormat::Folder, &manifest()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "zero/00000.png",
                "o_ne/00001.png",
                "zero/00002.png",
                MANIFEST
            ]
        );
        let decoder = png::Decoder::new(std::io::Cursor::new(files[1].bytes.clone()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut buf).unwrap();
        assert_eq!(&buf[..4], &[80, 100, 120, 140]);
    }
}
