//! Confident pseudo-labels and their loss, shared by the self-training classifier and the
//! semi-supervised GAN's consistency loss (FixMatch, Sohn et al. 2020).

use burn::tensor::Tensor;
use burn::tensor::activation::{log_softmax, softmax};

/// The most likely class of each row of `logits` `[n, k]` as one-hot rows `[n, k]`, and which
/// rows are confident enough to train on (`[n, 1]`, 1 where that class's softmax probability
/// reaches `threshold`, else 0). The caller keeps `logits` off the tape.
pub(crate) fn confident_pseudo_labels(logits: Tensor<2>, threshold: f32) -> (Tensor<2>, Tensor<2>) {
    let probabilities = softmax(logits, 1);
    let top = probabilities.clone().max_dim(1);
    let one_hot = probabilities.equal(top.clone()).float();
    (one_hot, top.greater_equal_elem(threshold).float())
}

/// Mean over all rows of the masked cross-entropy of `logits` `[n, k]` against one-hot
/// `targets`: rows whose `mask` is 0 count as zero, so the weight of the loss grows with the
/// share of confident rows (as in FixMatch).
pub(crate) fn masked_cross_entropy(
    logits: Tensor<2>,
    targets: Tensor<2>,
    mask: Tensor<2>,
) -> Tensor<1> {
    let per_row = -(log_softmax(logits, 1) * targets).sum_dim(1);
    (per_row * mask).mean()
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, TensorData};

    use super::*;

    fn matrix(values: &[f32], cols: usize) -> Tensor<2> {
        Tensor::from_data(
            TensorData::new(values.to_vec(), [values.len() / cols, cols]),
            &Device::flex(),
        )
    }

    fn values(t: Tensor<2>) -> Vec<f32> {
        t.into_data().try_into_vec_as::<f32>().unwrap()
    }

    #[test]
    fn only_confident_rows_count() {
        // Row 0: probabilities (0.9, 0.1) (logit gap ln 9); row 1: (0.5, 0.5).
        let logits = matrix(&[9f32.ln(), 0.0, 0.0, 0.0], 2);
        let (one_hot, mask) = confident_pseudo_labels(logits.clone(), 0.8);
        assert_eq!(values(one_hot.clone())[..2], [1.0, 0.0]);
        assert_eq!(values(mask.clone()), [1.0, 0.0]);
        // Row 0's cross-entropy against its own class is −ln 0.9; row 1 is masked; the mean
        // is over both rows.
        let loss: f32 = masked_cross_entropy(logits, one_hot, mask).into_scalar();
        assert!((loss - (-(0.9f32).ln() / 2.0)).abs() < 1e-6, "{loss}");
    }
}
