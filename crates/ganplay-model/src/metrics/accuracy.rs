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
    let config = session
        .config()
        .image()
        .filter(|c| c.model.is_semi_supervised())
        .ok_or("only semi-supervised models classify images")?;
    if test.shape != config.image {
        return Err("the test images do not have the model's size".into());
    }
    let classes = config.class_names.len();
    let normalisation = config.model.normalisation();
    let len = test.shape.len();
    let mut predicted = Vec::with_capacity(test.len());
    let mut baseline = Vec::new();
    for chunk in test.pixels.chunks(BATCH * len) {
        let values: Vec<f32> = chunk.iter().map(|p| normalisation.value(*p)).collect();
        let images = session.tensor_from_points(values, len);
        let logits = session
            .class_logits(images.clone())
            .ok_or("no classifier")?;
        predicted.extend(read_argmax(logits).await?);
        if let Some(logits) = session.baseline_class_logits(images) {
            baseline.extend(read_argmax(logits).await?);
        }
    }
    let share = |predicted: &[usize]| {
        let right = predicted
            .iter()
            .zip(&test.labels)
            .filter(|(p, l)| **p == **l as usize)
            .count();
        right as f64 / test.len().max(1) as f64
    };
    let mut confusion = vec![vec![0u32; classes]; classes];
    for (p, l) in predicted.iter().zip(&test.labels) {
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

async fn read_argmax(logits: Tensor<2>) -> Result<Vec<usize>, String> {
    let classes = logits.dims()[1];
    let values = logits
        .into_data_async()
        .await
        .map_err(|e| format!("{e:?}"))?;
    let values: Vec<f32> = TensorData::try_into_vec_as(values).map_err(|e| format!("{e:?}"))?;
    Ok(values.chunks_exact(classes).map(argmax).collect())
}
