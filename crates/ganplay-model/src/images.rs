//! Labelled image sets: the IDX reader (MNIST's format, optionally gzipped), the bundled digits,
//! and the bridge to the training session's [`RealData`].

use std::sync::Arc;

use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};

use crate::data::RealData;

/// Height, width and channels of one image (channel-first, like the networks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageShape {
    pub channels: usize,
    pub height: usize,
    pub width: usize,
}

impl ImageShape {
    pub const MNIST: ImageShape = ImageShape { channels: 1, height: 28, width: 28 };

    pub fn square(channels: usize, size: usize) -> Self {
        ImageShape { channels, height: size, width: size }
    }

    /// Values per image.
    pub fn len(&self) -> usize {
        self.channels * self.height * self.width
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How pixels (0..=255) map to the values a model sees: `value = pixel / 255 * scale + offset`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Normalisation {
    pub scale: f32,
    pub offset: f32,
}

impl Normalisation {
    /// [-1, 1], for generators with a tanh output.
    pub const SIGNED: Normalisation = Normalisation { scale: 2.0, offset: -1.0 };
    /// [0, 1], for VAE decoders with a sigmoid output.
    pub const UNIT: Normalisation = Normalisation { scale: 1.0, offset: 0.0 };

    pub fn value(&self, pixel: u8) -> f32 {
        pixel as f32 / 255.0 * self.scale + self.offset
    }

    pub fn pixel(&self, value: f32) -> u8 {
        let p = (value - self.offset) / self.scale * 255.0;
        if p.is_nan() { 0 } else { p.round().clamp(0.0, 255.0) as u8 }
    }
}

/// Images of one shape with a class label each.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageSet {
    pub shape: ImageShape,
    /// Image after image, channel-first.
    pub pixels: Vec<u8>,
    pub labels: Vec<u8>,
    pub class_names: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImageSetError {
    #[error("{0}")]
    Idx(String),
    #[error("{images} images but {labels} labels")]
    CountMismatch { images: usize, labels: usize },
    #[error("label {label} at position {index} is not below the {classes} classes")]
    LabelOutOfRange { index: usize, label: u8, classes: usize },
    #[error("the set is empty")]
    Empty,
}

impl ImageSet {
    pub fn new(shape: ImageShape, pixels: Vec<u8>, labels: Vec<u8>, class_names: Vec<String>) -> Result<Self, ImageSetError> {
        let images = pixels.len() / shape.len().max(1);
        if images == 0 || shape.is_empty() {
            return Err(ImageSetError::Empty);
        }
        if images != labels.len() || pixels.len() % shape.len() != 0 {
            return Err(ImageSetError::CountMismatch { images, labels: labels.len() });
        }
        if let Some((index, &label)) = labels.iter().enumerate().find(|(_, l)| **l as usize >= class_names.len()) {
            return Err(ImageSetError::LabelOutOfRange { index, label, classes: class_names.len() });
        }
        Ok(ImageSet { shape, pixels, labels, class_names })
    }

    /// An image file and a label file in IDX format (each optionally gzipped), digits 0–9.
    pub fn from_idx(images: &[u8], labels: &[u8]) -> Result<Self, ImageSetError> {
        let images = read_idx(images, 0x08, 3).map_err(|e| ImageSetError::Idx(format!("image file: {e}")))?;
        let labels = read_idx(labels, 0x08, 1).map_err(|e| ImageSetError::Idx(format!("label file: {e}")))?;
        let shape = ImageShape { channels: 1, height: images.dims[1], width: images.dims[2] };
        let classes = labels.body.iter().copied().max().unwrap_or(0).max(9) as usize + 1;
        let names = (0..classes).map(|c| c.to_string()).collect();
        ImageSet::new(shape, images.body, labels.body, names)
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn classes(&self) -> usize {
        self.class_names.len()
    }

    pub fn image(&self, index: usize) -> &[u8] {
        let n = self.shape.len();
        &self.pixels[index * n..(index + 1) * n]
    }

    /// The first `per_class` images of each class (fewer where a class has fewer), class by class.
    pub fn first_of_each_class(&self, per_class: usize) -> Vec<usize> {
        (0..self.classes() as u8)
            .flat_map(|c| self.labels.iter().enumerate().filter(move |(_, l)| **l == c).map(|(i, _)| i).take(per_class))
            .collect()
    }
}

/// The 10,000 MNIST digits bundled with the project (see `web/data/README.md`): 9,003 for
/// training and a fixed held-out test split of 997.
///
/// Natively they are compiled into the binary. The page fetches the same files (1.6 MB) and hands
/// them to [`provide`]: compiled into its wasm they made every visitor download them before
/// anything showed, toy 2D data sets included.
pub mod bundled {
    use std::sync::OnceLock;

    use super::*;

    /// The files in `web/data/`: training images and labels, test images and labels.
    pub const FILE_NAMES: [&str; 4] =
        ["mnist-train-images.idx.gz", "mnist-train-labels.idx.gz", "mnist-test-images.idx.gz", "mnist-test-labels.idx.gz"];

    /// Training and test split, decoded once per process and shared: the page rebuilds models often.
    static SPLITS: OnceLock<(Arc<ImageSet>, Arc<ImageSet>)> = OnceLock::new();

    /// Decodes the four files (in [`FILE_NAMES`] order) and keeps them for [`mnist_train`] and
    /// [`mnist_test`]; a second call keeps the first files.
    pub fn provide(files: [&[u8]; 4]) -> Result<(), String> {
        if SPLITS.get().is_none() {
            let splits = decode(files)?;
            let _ = SPLITS.set(splits);
        }
        Ok(())
    }

    /// Whether [`mnist_train`] and [`mnist_test`] can be called: always natively, in the page once
    /// [`provide`] succeeded.
    pub fn is_available() -> bool {
        cfg!(not(target_arch = "wasm32")) || SPLITS.get().is_some()
    }

    pub fn mnist_train() -> Arc<ImageSet> {
        splits().0.clone()
    }

    pub fn mnist_test() -> Arc<ImageSet> {
        splits().1.clone()
    }

    fn decode(files: [&[u8]; 4]) -> Result<(Arc<ImageSet>, Arc<ImageSet>), String> {
        let split = |images, labels, what: &str| {
            ImageSet::from_idx(images, labels).map(Arc::new).map_err(|e| format!("the bundled digits' {what} split: {e}"))
        };
        Ok((split(files[0], files[1], "training")?, split(files[2], files[3], "test")?))
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn splits() -> &'static (Arc<ImageSet>, Arc<ImageSet>) {
        const EMBEDDED: [&[u8]; 4] = [
            include_bytes!("../../../web/data/mnist-train-images.idx.gz"),
            include_bytes!("../../../web/data/mnist-train-labels.idx.gz"),
            include_bytes!("../../../web/data/mnist-test-images.idx.gz"),
            include_bytes!("../../../web/data/mnist-test-labels.idx.gz"),
        ];
        SPLITS.get_or_init(|| decode(EMBEDDED).expect("the embedded digits are valid"))
    }

    #[cfg(target_arch = "wasm32")]
    fn splits() -> &'static (Arc<ImageSet>, Arc<ImageSet>) {
        SPLITS.get().expect("the page provides the bundled digits before building an image model")
    }
}

struct Idx {
    dims: Vec<usize>,
    body: Vec<u8>,
}

/// Reads an IDX file of unsigned bytes with `rank` dimensions; gzip is detected by its magic.
fn read_idx(bytes: &[u8], type_code: u8, rank: usize) -> Result<Idx, String> {
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) { gunzip(bytes)? } else { bytes.to_vec() };
    if bytes.len() < 4 {
        return Err(format!("only {} bytes, too short for an IDX header", bytes.len()));
    }
    if bytes[0] != 0 || bytes[1] != 0 {
        return Err("not an IDX file (its first two bytes must be zero)".into());
    }
    if bytes[2] != type_code {
        return Err(format!("holds data of type 0x{:02x}, expected unsigned bytes (0x{type_code:02x})", bytes[2]));
    }
    if bytes[3] as usize != rank {
        return Err(format!("has {} dimensions, expected {rank}", bytes[3]));
    }
    let header = 4 + 4 * rank;
    if bytes.len() < header {
        return Err("truncated header".into());
    }
    let dims: Vec<usize> = (0..rank)
        .map(|i| u32::from_be_bytes(bytes[4 + 4 * i..8 + 4 * i].try_into().unwrap()) as usize)
        .collect();
    let expected = dims.iter().try_fold(1usize, |acc, d| acc.checked_mul(*d)).ok_or("dimensions overflow")?;
    let body = &bytes[header..];
    if body.len() != expected {
        return Err(format!("header promises {expected} bytes of data ({dims:?}) but the file holds {}", body.len()));
    }
    Ok(Idx { dims, body: body.to_vec() })
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).map_err(|e| format!("broken gzip data: {e}"))?;
    Ok(out)
}

/// Training examples drawn at random from an image set, normalised for the model.
#[derive(Clone, Debug)]
pub struct ImageData {
    set: Arc<ImageSet>,
    normalisation: Normalisation,
}

impl ImageData {
    pub fn new(set: Arc<ImageSet>, normalisation: Normalisation) -> Self {
        ImageData { set, normalisation }
    }
}

impl RealData for ImageData {
    fn dim(&self) -> usize {
        self.set.shape.len()
    }

    fn classes(&self) -> usize {
        self.set.classes()
    }

    fn sample_labelled(&self, n: usize, rng: &mut dyn RngCore, out: &mut Vec<f32>, labels: &mut Vec<usize>) {
        for _ in 0..n {
            let i = rng.random_range(0..self.set.len());
            out.extend(self.set.image(i).iter().map(|p| self.normalisation.value(*p)));
            labels.push(self.set.labels[i] as usize);
        }
    }

    fn sample_into(&self, n: usize, rng: &mut dyn RngCore, out: &mut Vec<f32>) {
        let mut labels = Vec::new();
        self.sample_labelled(n, rng, out, &mut labels);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx_bytes(magic: [u8; 4], dims: &[u32], body: &[u8]) -> Vec<u8> {
        let mut v = magic.to_vec();
        for d in dims {
            v.extend(d.to_be_bytes());
        }
        v.extend(body);
        v
    }

    #[test]
    fn bundled_digits_have_a_fixed_split_with_every_class() {
        let train = bundled::mnist_train();
        let test = bundled::mnist_test();
        assert_eq!((train.len(), test.len()), (9003, 997));
        assert_eq!(train.shape, ImageShape::MNIST);
        for set in [&*train, &*test] {
            assert_eq!(set.first_of_each_class(1).len(), 10);
        }
        // Digits are mostly background with bright strokes.
        let mean = train.image(0).iter().map(|p| *p as f32).sum::<f32>() / 784.0;
        assert!((10.0..100.0).contains(&mean), "{mean}");
    }

    #[test]
    fn idx_round_trips_and_bad_files_are_named() {
        let images = idx_bytes([0, 0, 8, 3], &[2, 2, 2], &[0, 1, 2, 3, 4, 5, 6, 7]);
        let labels = idx_bytes([0, 0, 8, 1], &[2], &[3, 9]);
        let set = ImageSet::from_idx(&images, &labels).unwrap();
        assert_eq!((set.len(), set.shape.height, set.image(1)), (2, 2, &[4u8, 5, 6, 7][..]));

        let err = |images: &[u8], labels: &[u8]| ImageSet::from_idx(images, labels).unwrap_err().to_string();
        assert!(err(&images[..10], &labels).contains("truncated header"));
        assert!(err(&images[..20], &labels).contains("promises 8 bytes"));
        assert!(err(&labels, &labels).contains("image file: has 1 dimensions"));
        assert!(err(b"PNG....", &labels).contains("not an IDX file"));
        assert!(err(&[0x1f, 0x8b, 1, 2], &labels).contains("broken gzip"));
        let three = idx_bytes([0, 0, 8, 1], &[3], &[1, 2, 3]);
        assert!(err(&images, &three).contains("2 images but 3 labels"));
    }

    #[test]
    fn normalisation_round_trips_pixels() {
        for n in [Normalisation::SIGNED, Normalisation::UNIT] {
            for p in [0u8, 1, 128, 254, 255] {
                assert_eq!(n.pixel(n.value(p)), p);
            }
        }
        assert_eq!(Normalisation::SIGNED.pixel(f32::NAN), 0);
        assert_eq!(Normalisation::SIGNED.pixel(7.0), 255);
    }

    /// The loader must never panic, whatever the bytes.
    #[test]
    fn idx_reader_never_panics_on_mangled_files() {
        use rand::SeedableRng;
        let images = idx_bytes([0, 0, 8, 3], &[2, 2, 2], &[0, 1, 2, 3, 4, 5, 6, 7]);
        let labels = idx_bytes([0, 0, 8, 1], &[2], &[3, 9]);
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..5000 {
            let mut a = images.clone();
            let mut b = labels.clone();
            for buf in [&mut a, &mut b] {
                match rng.random_range(0..3) {
                    0 => buf.truncate(rng.random_range(0..buf.len())),
                    1 => {
                        let i = rng.random_range(0..buf.len());
                        buf[i] = rng.random();
                    }
                    _ => buf.extend((0..rng.random_range(0..9)).map(|_| rng.random::<u8>())),
                }
            }
            let _ = ImageSet::from_idx(&a, &b);
        }
    }
}
