//! The semi-supervised VAE's update (Kingma et al. 2014, "M2").
//!
//! A labelled image's loss is its negative ELBO given its class, L(x, y) = E[−log p(x|y,z)] +
//! KL(q(z|x,y) ‖ N(0, I)) (the constant −log p(y) left out). An unlabelled image's class is one
//! more latent variable: U(x) = Σ_y q(y|x) L(x, y) + KL(q(y|x) ‖ uniform), so each one goes
//! through the VAE once per class. The classifier q(y|x) learns from U (which classes explain
//! the image well) and from α times its cross-entropy on the labelled batch.

use burn::optim::GradientsParams;
use burn::tensor::Tensor;
use burn::tensor::activation::log_softmax;

use super::batches::Batches;
use super::build::M2Nets;
use super::losses::Losses;
use super::objectives::supervised_loss;
use super::supervised_twin::without_fixed_scales;

impl M2Nets {
    /// One update of both networks (`step` full steps done). Reports the ELBO's terms per
    /// image over the labelled and the unlabelled batch.
    pub(super) fn update(&mut self, batches: &mut Batches, step: u64) -> Losses<Tensor<1>> {
        let learning_rate = self.learning_rate * self.lr_decay.factor(step);
        let (labelled, targets) = batches.labelled(self.labelled.as_ref(), self.classes);
        let (unlabelled, _) = batches.real();
        let (n_labelled, n_unlabelled, dim) = (
            labelled.dims()[0],
            unlabelled.dims()[0],
            unlabelled.dims()[1],
        );
        let logits = {
            let mut draw = |shape: [usize; 2]| batches.gaussian(shape);
            // Nothing in the classifier mixes examples: both batches go through as one.
            let logits = self
                .modules
                .classifier
                .forward(
                    Tensor::cat(vec![labelled.clone(), unlabelled.clone()], 0),
                    Some(&mut draw),
                )
                .logits;
            self.twin.update(
                labelled.clone(),
                targets.clone(),
                learning_rate,
                step,
                &mut draw,
            );
            logits
        };
        let classes = self.classes;
        let vae = &self.modules.vae;
        let epsilon = batches.gaussian([n_labelled, self.latent]);
        let (labelled_reconstruction, labelled_kl) =
            vae.elbo_per_image(labelled, Some(targets.clone()), epsilon);
        // Row i·K + k: unlabelled image i with class k.
        let every_class = unlabelled
            .repeat_dim(1, classes)
            .reshape([n_unlabelled * classes, dim]);
        let class_rows = Tensor::eye(classes, &every_class.device()).repeat_dim(0, n_unlabelled);
        let epsilon = batches.gaussian([n_unlabelled * classes, self.latent]);
        let (reconstruction, kl) = vae.elbo_per_image(every_class, Some(class_rows), epsilon);
        let log_q = log_softmax(
            logits.clone().slice(n_labelled..n_labelled + n_unlabelled),
            1,
        );
        let (unlabelled_reconstruction, unlabelled_kl) = unlabelled_terms(
            log_q,
            reconstruction.reshape([n_unlabelled, classes]),
            kl.reshape([n_unlabelled, classes]),
        );
        let cross_entropy = supervised_loss(logits.slice(0..n_labelled), targets);
        let loss = labelled_reconstruction.clone().mean()
            + labelled_kl.clone().mean()
            + unlabelled_reconstruction.clone().mean()
            + unlabelled_kl.clone().mean()
            + cross_entropy.mul_scalar(self.classification_weight);
        let grads = without_fixed_scales(
            GradientsParams::from_grads(loss.backward(), &self.modules),
            &self.modules.classifier,
        );
        self.modules = self
            .optimizer
            .step(learning_rate, self.modules.clone(), grads);
        let per_image = |a: Tensor<2>, b: Tensor<2>| Tensor::cat(vec![a, b], 0).mean().inner();
        Losses::Vae {
            reconstruction: per_image(labelled_reconstruction, unlabelled_reconstruction),
            kl: per_image(labelled_kl, unlabelled_kl),
        }
    }
}

/// An unlabelled image's two ELBO terms, `[n, 1]` each, from each class's terms `[n, K]` and
/// the classifier's log-probabilities `[n, K]`: Σ_y q(y|x)·reconstruction(x, y), and
/// Σ_y q(y|x)·KL_z(x, y) + KL(q(y|x) ‖ uniform).
pub(crate) fn unlabelled_terms(
    log_q: Tensor<2>,
    reconstruction: Tensor<2>,
    kl: Tensor<2>,
) -> (Tensor<2>, Tensor<2>) {
    let classes = log_q.dims()[1];
    let q = log_q.clone().exp();
    let reconstruction = (q.clone() * reconstruction).sum_dim(1);
    // Σ q (KL_z + log q) + log K = Σ q KL_z + Σ q log(q / (1/K)).
    let kl = (q * (kl + log_q))
        .sum_dim(1)
        .add_scalar((classes as f32).ln());
    (reconstruction, kl)
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, TensorData};

    use super::*;

    #[test]
    fn unlabelled_terms_match_hand_computed_values() {
        let device = Device::flex();
        let matrix =
            |v: &[f32]| Tensor::<2>::from_data(TensorData::new(v.to_vec(), [1, 2]), &device);
        // q = (1/4, 3/4); reconstructions 100 and 80; KL_z 4 and 8.
        let log_q = matrix(&[0.25f32.ln(), 0.75f32.ln()]);
        let (reconstruction, kl) =
            unlabelled_terms(log_q, matrix(&[100.0, 80.0]), matrix(&[4.0, 8.0]));
        let value = |t: Tensor<2>| t.into_data().try_into_vec_as::<f32>().unwrap()[0];
        assert!((value(reconstruction) - 85.0).abs() < 1e-4);
        // 0.25·4 + 0.75·8 + KL((1/4, 3/4) ‖ (1/2, 1/2)).
        let expected = 7.0 + 0.25 * (0.5f32).ln() + 0.75 * (1.5f32).ln();
        let kl = value(kl);
        assert!((kl - expected).abs() < 1e-5, "{kl} vs {expected}");
        // A uniform classifier adds nothing to KL_z's mean.
        let half = 0.5f32.ln();
        let (_, kl) = unlabelled_terms(
            matrix(&[half, half]),
            matrix(&[0.0, 0.0]),
            matrix(&[4.0, 8.0]),
        );
        assert!((value(kl) - 6.0).abs() < 1e-5);
    }
}
