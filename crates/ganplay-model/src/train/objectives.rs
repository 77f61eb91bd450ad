//! Adversarial and class losses, written on the networks' raw outputs (logits / critic scores).

use burn::tensor::Tensor;
use burn::tensor::activation::{relu, softplus};

use crate::config::LossKind;

/// Discriminator (critic) loss from its outputs on real and generated examples, shape `[n, 1]`.
pub fn discriminator_loss(kind: LossKind, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
    match kind {
        // -log σ(r) - log(1 - σ(f)) = softplus(-r) + softplus(f)
        LossKind::NonSaturating | LossKind::Minimax => {
            softplus(real.neg(), 1.0).mean() + softplus(fake, 1.0).mean()
        }
        LossKind::LeastSquares => (real.sub_scalar(1.0).powi_scalar(2).mean()
            + fake.powi_scalar(2).mean())
        .mul_scalar(0.5),
        LossKind::Hinge => {
            relu(real.neg().add_scalar(1.0)).mean() + relu(fake.add_scalar(1.0)).mean()
        }
        LossKind::Wasserstein => fake.mean() - real.mean(),
    }
}

/// Generator loss from the discriminator's outputs on generated examples, shape `[n, 1]`.
pub fn generator_loss(kind: LossKind, fake: Tensor<2>) -> Tensor<1> {
    match kind {
        // Non-saturating: -log σ(f) = softplus(-f).
        LossKind::NonSaturating => softplus(fake.neg(), 1.0).mean(),
        // log(1 − σ(f)) = −softplus(f): flat where D rejects the sample (f ≪ 0).
        LossKind::Minimax => softplus(fake, 1.0).mean().neg(),
        LossKind::LeastSquares => fake.sub_scalar(1.0).powi_scalar(2).mean().mul_scalar(0.5),
        LossKind::Hinge | LossKind::Wasserstein => fake.mean().neg(),
    }
}

/// log Σₖ exp lₖ of each row: `[n, k]` → `[n, 1]`, computed without overflow.
pub(crate) fn log_sum_exp(logits: Tensor<2>) -> Tensor<2> {
    // The shift's own gradient cancels out (Σ softmax = 1), so it needs no tape.
    let max = logits.clone().max_dim(1).detach();
    max.clone() + (logits - max).exp().sum_dim(1).log()
}

/// Mean cross-entropy of class logits `[n, k]` against one-hot targets `[n, k]`.
pub(crate) fn supervised_loss(logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    let chosen = (logits.clone() * targets).sum_dim(1);
    (log_sum_exp(logits) - chosen).mean()
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Device, TensorData};

    fn column(values: &[f32]) -> Tensor<2> {
        Tensor::from_data(
            TensorData::new(values.to_vec(), [values.len(), 1]),
            &Device::flex(),
        )
    }

    fn value(t: Tensor<1>) -> f32 {
        t.into_scalar::<f32>()
    }

    fn close(a: f32, b: f32) {
        assert!((a - b).abs() < 1e-5, "{a} != {b}");
    }

    #[test]
    fn non_saturating_matches_the_cross_entropy_formula() {
        let (r, f) = (2.0f32, -1.0f32);
        let sig = |x: f32| 1.0 / (1.0 + (-x).exp());
        let expected_d = -(sig(r).ln()) - (1.0 - sig(f)).ln();
        close(
            value(discriminator_loss(
                LossKind::NonSaturating,
                column(&[r]),
                column(&[f]),
            )),
            expected_d,
        );
        close(
            value(generator_loss(LossKind::NonSaturating, column(&[f]))),
            -(sig(f).ln()),
        );
    }

    #[test]
    fn minimax_is_the_saturating_log_and_vanishes_where_d_rejects() {
        let sig = |x: f32| 1.0 / (1.0 + (-x).exp());
        let f = -1.0f32;
        close(
            value(generator_loss(LossKind::Minimax, column(&[f]))),
            (1.0 - sig(f)).ln(),
        );
        // Its slope at a confidently rejected sample is tiny; the non-saturating one's is not.
        let slope = |kind: LossKind, f: f32| {
            let h = 1e-2;
            (value(generator_loss(kind, column(&[f + h])))
                - value(generator_loss(kind, column(&[f - h]))))
                / (2.0 * h)
        };
        assert!(slope(LossKind::Minimax, -8.0).abs() < 1e-3);
        assert!(slope(LossKind::NonSaturating, -8.0).abs() > 0.9);
    }

    #[test]
    fn non_saturating_stays_finite_for_huge_logits() {
        let d = value(discriminator_loss(
            LossKind::NonSaturating,
            column(&[-500.0]),
            column(&[500.0]),
        ));
        assert!(d.is_finite());
        close(d, 1000.0);
    }

    #[test]
    fn least_squares_targets_one_and_zero() {
        close(
            value(discriminator_loss(
                LossKind::LeastSquares,
                column(&[1.0, 1.0]),
                column(&[0.0, 0.0]),
            )),
            0.0,
        );
        close(
            value(discriminator_loss(
                LossKind::LeastSquares,
                column(&[0.0]),
                column(&[1.0]),
            )),
            1.0,
        );
        close(
            value(generator_loss(LossKind::LeastSquares, column(&[0.0, 2.0]))),
            0.5,
        );
    }

    #[test]
    fn hinge_is_zero_beyond_the_margin() {
        close(
            value(discriminator_loss(
                LossKind::Hinge,
                column(&[1.5]),
                column(&[-2.0]),
            )),
            0.0,
        );
        close(
            value(discriminator_loss(
                LossKind::Hinge,
                column(&[0.0]),
                column(&[0.0]),
            )),
            2.0,
        );
        close(
            value(generator_loss(LossKind::Hinge, column(&[0.5, 1.5]))),
            -1.0,
        );
    }

    #[test]
    fn wasserstein_is_the_score_gap() {
        close(
            value(discriminator_loss(
                LossKind::Wasserstein,
                column(&[3.0, 1.0]),
                column(&[0.5, -0.5]),
            )),
            -2.0,
        );
        close(
            value(generator_loss(LossKind::Wasserstein, column(&[3.0, 1.0]))),
            -2.0,
        );
    }
}
