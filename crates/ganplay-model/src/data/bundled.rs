//! The 10,000 MNIST digits bundled with the project (see `web/data/README.md`): 9,003 for
//! training and a fixed held-out test split of 997.
//!
//! Natively they are compiled into the binary ([`Digits::embedded`]). The page fetches the same
//! files (1.6 MB) and decodes them with [`Digits::decode`]: compiled into its wasm they made every
//! visitor download them before anything showed, toy 2D data sets included. Either way the
//! digits are a value handed to what uses them.

use std::sync::Arc;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::OnceLock;

use crate::data::images::{ImageSet, ImageSetError};

/// The files in `web/data/`: training images and labels, test images and labels.
pub const FILE_NAMES: [&str; 4] = [
    "mnist-train-images.idx.gz",
    "mnist-train-labels.idx.gz",
    "mnist-test-images.idx.gz",
    "mnist-test-labels.idx.gz",
];

/// The bundled digits, decoded: passed to whatever trains or measures on them. Cloning shares
/// the images.
#[derive(Clone, Debug)]
pub struct Digits {
    pub train: Arc<ImageSet>,
    pub test: Arc<ImageSet>,
}

impl Digits {
    /// Decodes the four files, in [`FILE_NAMES`] order.
    pub fn decode(files: [&[u8]; 4]) -> Result<Digits, ImageSetError> {
        let split = |images, labels, split: &'static str| {
            ImageSet::from_idx(images, labels)
                .map(Arc::new)
                .map_err(|error| ImageSetError::BundledSplit {
                    split,
                    error: Box::new(error),
                })
        };
        Ok(Digits {
            train: split(files[0], files[1], "training")?,
            test: split(files[2], files[3], "test")?,
        })
    }

    /// The digits compiled into a native binary, decoded on first use and shared after.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn embedded() -> Digits {
        static EMBEDDED: OnceLock<Digits> = OnceLock::new();
        const FILES: [&[u8]; 4] = [
            include_bytes!("../../../../web/data/mnist-train-images.idx.gz"),
            include_bytes!("../../../../web/data/mnist-train-labels.idx.gz"),
            include_bytes!("../../../../web/data/mnist-test-images.idx.gz"),
            include_bytes!("../../../../web/data/mnist-test-labels.idx.gz"),
        ];
        EMBEDDED
            .get_or_init(|| Digits::decode(FILES).expect("the embedded digits are valid"))
            .clone()
    }
}

/// The embedded training split (native builds).
#[cfg(not(target_arch = "wasm32"))]
pub fn mnist_train() -> Arc<ImageSet> {
    Digits::embedded().train
}

/// The embedded test split (native builds).
#[cfg(not(target_arch = "wasm32"))]
pub fn mnist_test() -> Arc<ImageSet> {
    Digits::embedded().test
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

    #[test]
    fn broken_files_are_named_by_split() {
        let web = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/data/");
        let read = |name: &str| std::fs::read(format!("{web}{name}")).unwrap();
        let files = FILE_NAMES.map(read);
        let decoded = Digits::decode([&files[0], &files[1], &files[2], &files[3]]).unwrap();
        assert_eq!(decoded.train.len(), mnist_train().len());
        let truncated = &files[2][..files[2].len() / 2];
        let e = Digits::decode([&files[0], &files[1], truncated, &files[3]]).unwrap_err();
        assert!(
            matches!(e, ImageSetError::BundledSplit { split: "test", .. }),
            "{e}"
        );
        assert!(e.to_string().contains("test split"), "{e}");
    }
}
