//! How well a semi-supervised model classifies held-out images: its discriminator's accuracy,
//! the supervised baseline's when the session tracks one, and the confusion matrix. Read back
//! asynchronously, so the page can call it too.

use burn::tensor::{Tensor, TensorData};

use super::class_histogram::argmax;
use crate::data::images::ImageSet;
use crate::train::TrainSession;

/// Images per forward pass: bounded memory, few read-backs.
const BATCH: usize = 500;

#[derive(Clone, Debug, PartialEq)]
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
) -> Result<TestAccuracy, String> {
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
) -> Result<PendingAccuracy, String> {
    let config = session
        .config()
        .image()
        .filter(|c| c.model.is_semi_supervised())
        .ok_or("only semi-supervised models classify images")?;
    if test.shape != config.image {
        return Err("the test images do not have the model's size".into());
    }
    let normalisation = config.model.normalisation();
    let len = test.shape.len();
    let mut pending = PendingAccuracy {
        logits: Vec::new(),
        baseline: Vec::new(),
        labels: test.labels.clone(),
        classes: config.class_names.len(),
    };
    for chunk in test.pixels.chunks(BATCH * len) {
        let values: Vec<f32> = chunk.iter().map(|p| normalisation.value(*p)).collect();
        let images = session.tensor_from_points(values, len);
        pending.logits.push(
            session
                .class_logits(images.clone())
                .ok_or("no classifier")?,
        );
        pending
            .baseline
            .extend(session.baseline_class_logits(images));
    }
    Ok(pending)
}

impl PendingAccuracy {
    /// Reads the logits back and scores them.
    pub async fn read(self) -> Result<TestAccuracy, String> {
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

async fn read_argmax(logits: Tensor<2>) -> Result<Vec<usize>, String> {
    let classes = logits.dims()[1];
    let values = logits
        .into_data_async()
        .await
        .map_err(|e| format!("{e:?}"))?;
    let values: Vec<f32> = TensorData::try_into_vec_as(values).map_err(|e| format!("{e:?}"))?;
    Ok(values.chunks_exact(classes).map(argmax).collect())
}
