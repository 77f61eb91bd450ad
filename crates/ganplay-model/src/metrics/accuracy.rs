//! How well a semi-supervised model classifies held-out images: its classifier's accuracy,
//! the supervised baseline's when the session tracks one, and the confusion matrix. Read back
//! asynchronously, so the page can call it too.

use burn::tensor::Tensor;
use burn::tensor::activation::softmax;

use crate::classifier::argmax;
use crate::config::image::ImageModelConfig;
use crate::data::images::ImageSet;
use crate::sample::readback::{ReadBackError, read_values};
use crate::train::TrainSession;

/// Why a model's classifier could not be scored.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AccuracyError {
    #[error("only semi-supervised models classify images")]
    NotAClassifier,
    #[error("the images do not have the model's size")]
    WrongSize,
    #[error(transparent)]
    ReadBack(#[from] ReadBackError),
}

/// Images per forward pass: bounded memory, few read-backs.
const BATCH: usize = 500;

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TestAccuracy {
    /// Share of the images the semi-supervised classifier labels right.
    pub accuracy: f64,
    /// The same for the baseline trained on the labelled images alone, when tracked.
    pub baseline: Option<f64>,
    /// `confusion[true class][predicted class]`: counts of the semi-supervised classifier.
    pub confusion: Vec<Vec<u32>>,
}

/// Classifies every image of `test` (labelled with the model's classes). `Err` for models that
/// do not classify, and when a read-back fails.
pub async fn test_accuracy(
    session: &TrainSession,
    test: &ImageSet,
) -> Result<TestAccuracy, AccuracyError> {
    queue_test_accuracy(session, test)?.read().await
}

/// Class logits of a test set queued on the device, read back later by [`Self::read`]: the
/// session is borrowed only while the work is queued (the page trains it meanwhile).
pub struct PendingAccuracy {
    logits: Vec<Tensor<2>>,
    baseline: Vec<Tensor<2>>,
    labels: Vec<u8>,
    classes: usize,
}

/// Queues the classification of every image of `test`. `Err` for models that do not classify
/// and for test images of another size.
pub fn queue_test_accuracy(
    session: &TrainSession,
    test: &ImageSet,
) -> Result<PendingAccuracy, AccuracyError> {
    let config = classifier_config(session, test)?;
    let mut pending = PendingAccuracy {
        logits: Vec::new(),
        baseline: Vec::new(),
        labels: test.labels.clone(),
        classes: config.class_names.len(),
    };
    for images in image_batches(session, config, test) {
        pending.logits.push(
            session
                .class_logits(images.clone())
                .ok_or(AccuracyError::NotAClassifier)?,
        );
        pending
            .baseline
            .extend(session.baseline_class_logits(images));
    }
    Ok(pending)
}

/// Each image's most likely class by the model's classifier, with that class's softmax
/// probability among the classes (the "fake" option left out): pseudo-labels for generated
/// images.
pub async fn classify(
    session: &TrainSession,
    images: &ImageSet,
) -> Result<Vec<(usize, f32)>, AccuracyError> {
    let mut queued = Vec::new();
    for batch in image_batches(session, classifier_config(session, images)?, images) {
        let logits = session
            .class_logits(batch)
            .ok_or(AccuracyError::NotAClassifier)?;
        queued.push(softmax(logits, 1));
    }
    let mut labelled = Vec::with_capacity(images.len());
    for probabilities in queued {
        let classes = probabilities.dims()[1];
        for row in read_rows(probabilities).await?.chunks_exact(classes) {
            let class = argmax(row);
            labelled.push((class, row[class]));
        }
    }
    Ok(labelled)
}

/// The configuration of a model that can classify `images`: `Err` for models that do not
/// classify and for images of another size.
fn classifier_config<'a>(
    session: &'a TrainSession,
    images: &ImageSet,
) -> Result<&'a ImageModelConfig, AccuracyError> {
    let config = session
        .config()
        .image()
        .filter(|c| c.model.is_semi_supervised())
        .ok_or(AccuracyError::NotAClassifier)?;
    if images.shape != config.image {
        return Err(AccuracyError::WrongSize);
    }
    Ok(config)
}

/// `images` as the model's normalised input, in batches of at most [`BATCH`].
fn image_batches(
    session: &TrainSession,
    config: &ImageModelConfig,
    images: &ImageSet,
) -> Vec<Tensor<2>> {
    let normalisation = config.model.normalisation();
    let len = images.shape.len();
    images
        .pixels
        .chunks(BATCH * len)
        .map(|chunk| {
            let values: Vec<f32> = chunk.iter().map(|p| normalisation.value(*p)).collect();
            session.tensor_from_points(values, len)
        })
        .collect()
}

impl PendingAccuracy {
    /// Reads the logits back and scores them.
    pub async fn read(self) -> Result<TestAccuracy, AccuracyError> {
        let mut predicted = Vec::with_capacity(self.labels.len());
        for logits in self.logits {
            predicted.extend(read_argmax(logits).await?);
        }
        let mut baseline = Vec::new();
        for logits in self.baseline {
            baseline.extend(read_argmax(logits).await?);
        }
        let labels = &self.labels;
        let share = |predicted: &[usize]| {
            let right = predicted
                .iter()
                .zip(labels)
                .filter(|(p, l)| **p == **l as usize)
                .count();
            right as f64 / labels.len().max(1) as f64
        };
        let classes = self.classes;
        let mut confusion = vec![vec![0u32; classes]; classes];
        for (p, l) in predicted.iter().zip(labels) {
            if let Some(row) = confusion.get_mut(*l as usize) {
                row[(*p).min(classes - 1)] += 1;
            }
        }
        Ok(TestAccuracy {
            accuracy: share(&predicted),
            baseline: (!baseline.is_empty()).then(|| share(&baseline)),
            confusion,
        })
    }
}

async fn read_argmax(logits: Tensor<2>) -> Result<Vec<usize>, AccuracyError> {
    let classes = logits.dims()[1];
    Ok(read_rows(logits)
        .await?
        .chunks_exact(classes)
        .map(argmax)
        .collect())
}

async fn read_rows(values: Tensor<2>) -> Result<Vec<f32>, AccuracyError> {
    Ok(read_values(values).await?)
}
