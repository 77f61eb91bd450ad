//! The semi-supervised GAN's two updates (Salimans et al. 2016).
//!
//! Discriminator: cross-entropy on a labelled batch, plus the real/fake loss of a K+1-class
//! classifier whose fake logit is fixed at 0, on an unlabelled and a generated batch (and,
//! optionally, FixMatch's consistency loss on a distorted copy of the unlabelled batch). With
//! Z = Σₖ exp lₖ, D(x) = Z / (Z + 1), so −log D(x) = −lse(l) + softplus(lse(l)) and
//! −log(1 − D(x)) = softplus(lse(l)). Generator: feature matching, the squared distance between
//! the mean last-hidden-layer features of a real and a generated batch.

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::Tensor;
use burn::tensor::activation::softplus;

use super::batches::Batches;
use super::build::SsganNets;
use super::moving_average::{blend, effective_decay};
use super::objectives::{log_sum_exp, supervised_loss};
use super::pseudo_labels::{confident_pseudo_labels, masked_cross_entropy};
use super::supervised_twin::without_fixed_scales;
use crate::data::classic_augmentation::ClassicAugmentation;
use crate::nets::ssgan::SsganDiscriminator;

impl SsganNets {
    /// The learning rate of both networks after `step` full steps.
    fn learning_rate_at(&self, step: u64) -> f64 {
        self.learning_rate * self.lr_decay.factor(step)
    }

    /// One discriminator update (`step` full steps done); the supervised twin, when tracked,
    /// takes its own update on the same labelled batch.
    pub(super) fn discriminator_update(&mut self, batches: &mut Batches, step: u64) -> Tensor<1> {
        let learning_rate = self.learning_rate_at(step);
        let (labelled, targets) = batches.labelled(self.labelled.as_ref(), self.classes);
        // With the consistency loss, the unlabelled batch is also its weak view, and a strongly
        // distorted copy joins the forward pass.
        let (unlabelled, distorted) = if self.consistency.is_off() {
            (batches.real().0, None)
        } else {
            let (weak, strong) = batches.real_and_distorted(
                &ClassicAugmentation::STRONG,
                self.image,
                self.normalisation,
            );
            (weak, Some(strong))
        };
        let pseudo_labels = distorted.as_ref().map(|_| {
            let logits = self
                .modules
                .discriminator
                .clone()
                .no_grad()
                .forward(unlabelled.clone(), None)
                .logits
                .detach();
            confident_pseudo_labels(logits, self.consistency.threshold)
        });
        // Without the real/fake loss (the ablation) no generated batch is drawn at all.
        let fake = (self.unsupervised_weight != 0.0).then(|| {
            let noise = batches.noise();
            self.modules.generator.clone().no_grad().forward(noise)
        });
        let (n_labelled, n_unlabelled) = (labelled.dims()[0], unlabelled.dims()[0]);
        let n_fake = fake.as_ref().map_or(0, |f| f.dims()[0]);
        let n = n_labelled + n_unlabelled + n_fake;
        let mut draw = |shape: [usize; 2]| batches.gaussian(shape);
        // Nothing in the discriminator mixes examples: the batches go through as one.
        let mut inputs = vec![labelled.clone(), unlabelled];
        inputs.extend(fake);
        inputs.extend(distorted);
        let logits = self
            .modules
            .discriminator
            .forward(Tensor::cat(inputs, 0), Some(&mut draw))
            .logits;
        let n_real = n_labelled + n_unlabelled;
        let mut loss = supervised_loss(logits.clone().slice(0..n_labelled), targets.clone());
        if n_fake > 0 {
            loss = loss
                + unsupervised_loss(
                    logits.clone().slice(n_labelled..n_real),
                    logits.clone().slice(n_real..n),
                )
                .mul_scalar(self.unsupervised_weight);
        }
        if let Some((pseudo, mask)) = pseudo_labels {
            let strong = logits.slice(n..n + n_unlabelled);
            loss = loss
                + masked_cross_entropy(strong, pseudo, mask).mul_scalar(self.consistency.weight);
        }
        let grads = without_fixed_scales(
            GradientsParams::from_grads(loss.backward(), &self.modules.discriminator),
            &self.modules.discriminator,
        );
        self.modules.discriminator =
            self.d_optimizer
                .step(learning_rate, self.modules.discriminator.clone(), grads);
        if let Some(average) = &self.modules.discriminator_ema {
            let decay = effective_decay(self.classifier_ema, step);
            self.modules.discriminator_ema =
                Some(blend(average, &self.modules.discriminator, decay));
        }
        self.twin
            .update(labelled, targets, learning_rate, step, &mut draw);
        loss.inner()
    }

    /// The classifier: the discriminator's moving average when there is one, else the
    /// discriminator itself.
    pub(super) fn classifier(&self) -> &SsganDiscriminator {
        self.modules
            .discriminator_ema
            .as_ref()
            .unwrap_or(&self.modules.discriminator)
    }

    /// One generator update by feature matching against the current discriminator.
    pub(super) fn generator_update(&mut self, batches: &mut Batches, step: u64) -> Tensor<1> {
        let learning_rate = self.learning_rate_at(step);
        let (real, _) = batches.real();
        let noise = batches.noise();
        let fake = self.modules.generator.forward(noise);
        let n = real.dims()[0];
        let total = n + fake.dims()[0];
        // Gradients reach the samples through the discriminator, not its weights.
        let discriminator = self.modules.discriminator.clone().no_grad();
        let mut draw = |shape: [usize; 2]| batches.gaussian(shape);
        let features = discriminator
            .forward(Tensor::cat(vec![real, fake], 0), Some(&mut draw))
            .features;
        let loss = feature_matching(features.clone().slice(0..n), features.slice(n..total));
        let grads = GradientsParams::from_grads(loss.backward(), &self.modules.generator);
        self.modules.generator =
            self.g_optimizer
                .step(learning_rate, self.modules.generator.clone(), grads);
        loss.inner()
    }
}

/// The real/fake half of the discriminator's loss: ½ E[−log D(x)] on unlabelled real images
/// plus ½ E[−log(1 − D(G(z)))] on generated ones (the paper's weighting).
pub(crate) fn unsupervised_loss(real_logits: Tensor<2>, fake_logits: Tensor<2>) -> Tensor<1> {
    let real = log_sum_exp(real_logits);
    let fake = log_sum_exp(fake_logits);
    (softplus(real.clone(), 1.0) - real).mean().mul_scalar(0.5)
        + softplus(fake, 1.0).mean().mul_scalar(0.5)
}

/// Mean squared distance between the mean features of a real and a generated batch.
pub(crate) fn feature_matching(real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
    (real.mean_dim(0) - fake.mean_dim(0)).square().mean()
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, TensorData};

    use super::*;

    fn matrix(values: &[f32], cols: usize, device: &Device) -> Tensor<2> {
        Tensor::from_data(
            TensorData::new(values.to_vec(), [values.len() / cols, cols]),
            device,
        )
    }

    fn scalar(t: Tensor<1>) -> f32 {
        t.into_scalar()
    }

    #[test]
    fn k_plus_one_losses_match_hand_computed_values() {
        let device = Device::flex();
        // Logits (0, ln 3): Z = 1 + 3 = 4.
        let logits = matrix(&[0.0, 3f32.ln()], 2, &device);
        // Class 1: p = 3/4, cross-entropy ln(4/3).
        let target = matrix(&[0.0, 1.0], 2, &device);
        let ce = scalar(supervised_loss(logits.clone(), target));
        assert!((ce - (4.0f32 / 3.0).ln()).abs() < 1e-6, "{ce}");
        // D(real) = Z/(Z+1) = 4/5: −½ log(4/5). Fake logits (ln 1, ln 1): Z = 2, D = 2/3,
        // −½ log(1 − 2/3) = ½ ln 3.
        let fake = matrix(&[0.0, 0.0], 2, &device);
        let unsupervised = scalar(unsupervised_loss(logits, fake));
        let expected = -0.5 * (0.8f32).ln() + 0.5 * 3f32.ln();
        assert!(
            (unsupervised - expected).abs() < 1e-6,
            "{unsupervised} vs {expected}"
        );
        // Huge logits neither overflow nor lose the answer: lse(1000, 1000) = 1000 + ln 2.
        let lse = log_sum_exp(matrix(&[1000.0, 1000.0], 2, &device))
            .into_data()
            .try_into_vec_as::<f32>()
            .unwrap()[0];
        assert!((lse - (1000.0 + 2f32.ln())).abs() < 1e-3, "{lse}");
    }

    #[test]
    fn feature_matching_gradient_matches_finite_differences() {
        let device = Device::flex().autodiff();
        let real = matrix(&[0.5, -1.0, 2.0, 1.5, 0.0, -0.5], 3, &device);
        let fake_values = [0.1f32, 0.7, -0.3, 1.2, -0.8, 0.4];
        let loss_at = |values: &[f32]| {
            scalar(feature_matching(real.clone(), matrix(values, 3, &device)).inner())
        };
        let fake = matrix(&fake_values, 3, &device).require_grad();
        let grads = feature_matching(real.clone(), fake.clone()).backward();
        let analytic = fake
            .grad(&grads)
            .unwrap()
            .into_data()
            .try_into_vec_as::<f32>()
            .unwrap();
        let h = 1e-2;
        for i in 0..fake_values.len() {
            let mut up = fake_values;
            let mut down = fake_values;
            up[i] += h;
            down[i] -= h;
            let numeric = (loss_at(&up) - loss_at(&down)) / (2.0 * h);
            assert!(
                (numeric - analytic[i]).abs() < 1e-3,
                "value {i}: finite differences {numeric}, autodiff {}",
                analytic[i]
            );
        }
    }
}
