//! The 10,000 MNIST digits bundled with the project (see `web/data/README.md`): 9,003 for
//! training and a fixed held-out test split of 997.
//!
//! Natively they are compiled into the binary. The page fetches the same files (1.6 MB) and hands
//! them to [`provide`]: compiled into its wasm they made every visitor download them before
//! anything showed, toy 2D data sets included.

use std::sync::{Arc, OnceLock};

use crate::data::images::ImageSet;

/// The files in `web/data/`: training images and labels, test images and labels.
pub const FILE_NAMES: [&str; 4] = [
    "mnist-train-images.idx.gz",
    "mnist-train-labels.idx.gz",
    "mnist-test-images.idx.gz",
    "mnist-test-labels.idx.gz",
];

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
        ImageSet::from_idx(images, labels)
            .map(Arc::new)
            .map_err(|e| format!("the bundled digits' {what} split: {e}"))
    };
    Ok((
        split(files[0], files[1], "training")?,
        split(files[2], files[3], "test")?,
    ))
}

#[cfg(not(target_arch = "wasm32"))]
fn splits() -> &'static (Arc<ImageSet>, Arc<ImageSet>) {
    const EMBEDDED: [&[u8]; 4] = [
        include_bytes!("../../../../web/data/mnist-train-images.idx.gz"),
        include_bytes!("../../../../web/data/mnist-train-labels.idx.gz"),
        include_bytes!("../../../../web/data/mnist-test-images.idx.gz"),
        include_bytes!("../../../../web/data/mnist-test-labels.idx.gz"),
    ];
    SPLITS.get_or_init(|| decode(EMBEDDED).expect("the embedded digits are valid"))
}

#[cfg(target_arch = "wasm32")]
fn splits() -> &'static (Arc<ImageSet>, Arc<ImageSet>) {
    SPLITS
        .get()
        .expect("the page provides the bundled digits before building an image model")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::images::ImageShape;

    #[test]
    fn bundled_digits_have_a_fixed_split_with_every_class() {
        let train = mnist_train();
        let test = mnist_test();
        assert_eq!((train.len(), test.len()), (9003, 997));
        assert_eq!(train.shape, ImageShape::MNIST);
        for set in [&*train, &*test] {
            assert_eq!(set.first_of_each_class(1).len(), 10);
        }
        // Digits are mostly background with bright strokes.
        let mean = train.image(0).iter().map(|p| *p as f32).sum::<f32>() / 784.0;
        assert!((10.0..100.0).contains(&mean), "{mean}");
    }
}
