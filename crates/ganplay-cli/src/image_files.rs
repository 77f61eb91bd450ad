//! Image data from disk: MNIST IDX files or a folder of class folders, resized to the model's
//! size. (The IDX parser itself lives in the model crate, shared with the page.)

use std::path::Path;

use anyhow::{Context, Result, bail};
use ganplay_model::data::subset::hold_out_tenth;
use ganplay_model::data::{ImageSet, ImageShape, bundled};
use image::imageops::FilterType;

/// The bundled digits (`mnist`) or the data at `path`, at `shape`; `bad` says what happens to
/// images in a folder that cannot be decoded.
pub fn load(
    dataset: &str,
    path: Option<&Path>,
    shape: ImageShape,
    bad: BadImages,
) -> Result<(ImageSet, String)> {
    let (set, name) = match path {
        Some(path) => (
            from_path(path, shape, bad)?,
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ),
        None if dataset == "mnist" => (
            ImageSet::clone(&bundled::mnist_train()),
            "mnist".to_string(),
        ),
        None => bail!("unknown image dataset '{dataset}': use mnist (bundled) or --data PATH"),
    };
    Ok((resize(&set, shape)?, name))
}

fn from_path(path: &Path, shape: ImageShape, bad: BadImages) -> Result<ImageSet> {
    if !path.is_dir() {
        bail!(
            "{} is not a folder: --data takes a folder of IDX files or of class folders",
            path.display()
        );
    }
    if let Some((images, labels)) = idx_pair(path) {
        let read =
            |p: &Path| std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
        return ImageSet::from_idx(&read(&images)?, &read(&labels)?).with_context(|| {
            format!(
                "{} and {} are not a valid IDX pair",
                images.display(),
                labels.display()
            )
        });
    }
    image_folder(path, shape, bad)
}

/// Training images and held-out test images for a model that reports test accuracy: the
/// bundled test digits for `mnist`, MNIST's t10k files when they lie beside the training files,
/// else a tenth of each class of the data, held out of training.
pub fn test_split(
    set: ImageSet,
    dataset: &str,
    path: Option<&Path>,
    shape: ImageShape,
) -> Result<(ImageSet, ImageSet)> {
    match path {
        None if dataset == "mnist" => Ok((set, resize(&bundled::mnist_test(), shape)?)),
        Some(dir) if idx_pair(dir).is_some() && idx_files(dir, "t10k").is_some() => {
            let (images, labels) = idx_files(dir, "t10k").expect("checked");
            let read =
                |p: &Path| std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
            let test = ImageSet::from_idx(&read(&images)?, &read(&labels)?).with_context(|| {
                format!(
                    "{} and {} are not a valid IDX pair",
                    images.display(),
                    labels.display()
                )
            })?;
            Ok((set, resize(&test, shape)?))
        }
        _ => hold_out_tenth(&set, 0).map_err(|e| anyhow::anyhow!(e)),
    }
}

/// MNIST's training files, gzipped or not.
fn idx_pair(dir: &Path) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    idx_files(dir, "train")
}

/// `{prefix}-images-idx3-ubyte` and `{prefix}-labels-idx1-ubyte`, gzipped or not.
fn idx_files(dir: &Path, prefix: &str) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let find = |stem: String| {
        [stem.clone(), format!("{stem}.gz")]
            .into_iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    };
    Some((
        find(format!("{prefix}-images-idx3-ubyte"))?,
        find(format!("{prefix}-labels-idx1-ubyte"))?,
    ))
}

/// What to do with an image in a folder that cannot be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadImages {
    /// Leave it out and say so once, with a count and the first few names.
    Skip,
    /// Stop with its name and the reason.
    Refuse,
}

/// A side longer than this is not decoded (a 16k × 16k RGB image already takes 768 MB).
const MAX_SIDE: u32 = 16_384;
/// The most one image's decoding may allocate.
const MAX_DECODE_BYTES: u64 = 512 << 20;
/// Skipped images named in the warning; the rest are counted.
const NAMED_SKIPS: usize = 5;

/// `root/<class>/*.png|jpg|jpeg`, classes in name order, any size, grey or colour, each decoded
/// within a bound and scaled to `shape` at once, so memory grows with the model's size only.
fn image_folder(root: &Path, shape: ImageShape, bad: BadImages) -> Result<ImageSet> {
    let mut classes: Vec<_> = std::fs::read_dir(root)
        .with_context(|| format!("cannot list {}", root.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .collect();
    classes.sort_by_key(|e| e.file_name());
    if classes.is_empty() {
        bail!(
            "{} has neither MNIST IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]) \
             nor class folders of images (root/<class>/*.png)",
            root.display()
        );
    }
    if classes.len() > 255 {
        bail!(
            "{} has {} class folders; at most 255 are supported",
            root.display(),
            classes.len()
        );
    }
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    let mut skipped = Vec::new();
    for (label, class) in classes.iter().enumerate() {
        let mut files: Vec<_> = std::fs::read_dir(class.path())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                    matches!(x.to_ascii_lowercase().as_str(), "png" | "jpg" | "jpeg")
                })
            })
            .collect();
        files.sort();
        for file in files {
            match decode_bounded(&file) {
                Ok(img) => {
                    let img = img.resize_exact(
                        shape.width as u32,
                        shape.height as u32,
                        FilterType::Triangle,
                    );
                    pixels.extend(channel_first(&img, shape.channels));
                    labels.push(label as u8);
                }
                Err(e) if bad == BadImages::Refuse => {
                    return Err(e.context(format!("cannot decode {}", file.display())));
                }
                Err(e) => skipped.push((file, e)),
            }
        }
    }
    if labels.is_empty() {
        match skipped.first() {
            Some((file, e)) => bail!(
                "none of the {} images in {} could be decoded; the first, {}: {e:#}",
                skipped.len(),
                root.display(),
                file.display()
            ),
            None => bail!(
                "no PNG or JPEG images in the class folders of {}",
                root.display()
            ),
        }
    }
    if !skipped.is_empty() {
        eprintln!(
            "warning: skipped {} of {} images in {} that could not be decoded: {}{} \
             (--strict-data stops at the first instead)",
            skipped.len(),
            skipped.len() + labels.len(),
            root.display(),
            skipped
                .iter()
                .take(NAMED_SKIPS)
                .map(|(file, e)| format!("{} ({e:#})", file.display()))
                .collect::<Vec<_>>()
                .join(", "),
            if skipped.len() > NAMED_SKIPS {
                ", …"
            } else {
                ""
            }
        );
    }
    let names = classes
        .iter()
        .map(|c| c.file_name().to_string_lossy().into_owned())
        .collect();
    Ok(ImageSet::new(shape, pixels, labels, names)?)
}

/// Decodes one image, refusing sides over [`MAX_SIDE`] or a decode over [`MAX_DECODE_BYTES`]
/// before allocating for it.
fn decode_bounded(file: &Path) -> Result<image::DynamicImage> {
    let mut limits = image::io::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = image::io::Reader::open(file)?.with_guessed_format()?;
    reader.limits(limits);
    Ok(reader.decode()?)
}

fn channel_first(img: &image::DynamicImage, channels: usize) -> Vec<u8> {
    if channels == 1 {
        return img.to_luma8().into_raw();
    }
    let rgb = img.to_rgb8();
    let plane = (rgb.width() * rgb.height()) as usize;
    let raw = rgb.into_raw();
    (0..3)
        .flat_map(|c| (0..plane).map(move |i| (c, i)))
        .map(|(c, i)| raw[i * 3 + c])
        .collect()
}

/// Scales (and converts the channels of) every image to `shape`.
pub fn resize(set: &ImageSet, shape: ImageShape) -> Result<ImageSet> {
    if set.shape == shape {
        return Ok(set.clone());
    }
    if set.shape.channels != shape.channels && set.shape.channels != 1 {
        bail!(
            "cannot turn {}-channel images into {}-channel ones",
            set.shape.channels,
            shape.channels
        );
    }
    let (w, h) = (set.shape.width as u32, set.shape.height as u32);
    let mut pixels = Vec::with_capacity(set.len() * shape.len());
    for i in 0..set.len() {
        let image = set.image(i);
        let plane = set.shape.height * set.shape.width;
        for c in 0..shape.channels {
            let source = &image[c.min(set.shape.channels - 1) * plane..][..plane];
            let buffer =
                image::GrayImage::from_raw(w, h, source.to_vec()).context("image buffer size")?;
            let scaled = image::imageops::resize(
                &buffer,
                shape.width as u32,
                shape.height as u32,
                FilterType::Triangle,
            );
            pixels.extend(scaled.into_raw());
        }
    }
    Ok(ImageSet::new(
        shape,
        pixels,
        set.labels.clone(),
        set.class_names.clone(),
    )?)
}

/// Writes RGBA pixels as a PNG.
pub fn write_png(path: &Path, grid: &ganplay_model::sample::grid::Rgba) -> Result<()> {
    let img =
        image::RgbaImage::from_raw(grid.width as u32, grid.height as u32, grid.pixels.clone())
            .context("grid size")?;
    img.save(path)
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGIT: ImageShape = ImageShape {
        channels: 1,
        height: 28,
        width: 28,
    };

    #[test]
    fn a_huge_image_is_scaled_on_decode_and_one_past_the_bound_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let class = dir.path().join("a");
        std::fs::create_dir(&class).unwrap();
        // Sorted first, so it used to set the size every other image was decoded at.
        image::GrayImage::from_pixel(3000, 3000, image::Luma([200]))
            .save(class.join("0-large.png"))
            .unwrap();
        image::GrayImage::from_pixel(30, 20, image::Luma([10]))
            .save(class.join("1-small.png"))
            .unwrap();
        image::GrayImage::new(MAX_SIDE + 1, 2)
            .save(class.join("2-too-wide.png"))
            .unwrap();

        let set = image_folder(dir.path(), DIGIT, BadImages::Skip).unwrap();
        assert_eq!((set.shape, set.len()), (DIGIT, 2));
        assert!(set.image(0).iter().all(|&p| p == 200));
        assert!(set.image(1).iter().all(|&p| p == 10));

        let refused = image_folder(dir.path(), DIGIT, BadImages::Refuse).unwrap_err();
        assert!(
            format!("{refused:#}").contains("2-too-wide.png"),
            "{refused:#}"
        );
    }

    #[test]
    fn a_folder_of_only_broken_images_names_the_first() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a").join("x.png"), b"not a png").unwrap();
        let e = image_folder(dir.path(), DIGIT, BadImages::Skip).unwrap_err();
        assert!(
            format!("{e:#}").contains("none of the 1 images") && format!("{e:#}").contains("x.png"),
            "{e:#}"
        );
    }
}
