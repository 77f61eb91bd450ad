//! A GAN's two updates: one discriminator (critic) step and one generator step, plus WGAN's
//! weight clipping.

use burn::module::{Module, ModuleMapper, Param};
use burn::optim::GradientsParams;
use burn::tensor::Tensor;

use super::batches::Batches;
use super::build::GanNets;
use super::moving_average::{blend, effective_decay};
use super::objectives::supervised_loss;
use super::objectives::{discriminator_loss, generator_loss};

impl GanNets {
    /// One critic update on a fresh real batch and a fresh generated batch, `step` full steps
    /// into training (for the learning-rate schedule).
    pub(super) fn critic_update(&mut self, batches: &mut Batches, step: u64) -> Tensor<1> {
        let (real, real_labels) = batches.real();
        let fake_labels = batches.random_labels();
        let noise = batches.noise();
        let nets = &mut self.modules;
        // The generator runs without a tape (still in training mode: batch norm uses batch
        // statistics, as in the G step), so no backward graph is built only to be detached.
        let fake = nets
            .generator
            .clone()
            .no_grad()
            .forward(noise, fake_labels.clone());
        let (real, fake) = match &self.plan.diff_augment {
            Some(augment) => (
                batches.diff_augment(real, augment),
                batches.diff_augment(fake, augment),
            ),
            None => (real, fake),
        };
        let packing = self.plan.packing;
        let (real_verdict, fake_verdict) = nets.critic.judge_real_and_fake(
            (pack(real, packing), real_labels.clone()),
            (pack(fake, packing), fake_labels.clone()),
        );
        let mut loss = discriminator_loss(self.plan.loss, real_verdict.score, fake_verdict.score);
        // AC-GAN: the critic also learns to name the class of real and generated images.
        if let (Some(real), Some(fake), Some(real_labels), Some(fake_labels)) = (
            real_verdict.class_logits,
            fake_verdict.class_logits,
            real_labels,
            fake_labels,
        ) {
            let class_loss =
                supervised_loss(real, real_labels) + supervised_loss(fake, fake_labels);
            loss = loss + class_loss.mul_scalar(self.plan.auxiliary_classifier);
        }
        let grads = GradientsParams::from_grads(loss.backward(), &nets.critic);
        let learning_rate = self.plan.d_learning_rate * self.plan.lr_decay.factor(step);
        nets.critic = self
            .d_optimizer
            .step(learning_rate, nets.critic.clone(), grads);
        if let Some(clip) = self.plan.clip {
            nets.critic = nets.critic.clone().map(&mut ClipWeights(clip));
        }
        loss.inner()
    }

    /// One generator update against the current critic, `step` full steps into training.
    pub(super) fn generator_update(&mut self, batches: &mut Batches, step: u64) -> Tensor<1> {
        let labels = batches.random_labels();
        let noise = batches.noise();
        let nets = &mut self.modules;
        let mut fake = nets.generator.forward(noise, labels.clone());
        if let Some(augment) = &self.plan.diff_augment {
            fake = batches.diff_augment(fake, augment);
        }
        // Gradients flow through the critic to the samples but not into its weights, which this
        // step does not update: backward skips the critic's weight gradients.
        let critic = nets.critic.clone().no_grad();
        let verdict = critic.judge(pack(fake, self.plan.packing), labels.clone());
        let mut loss = generator_loss(self.plan.loss, verdict.score);
        // AC-GAN: the generator is also trained to make its class recognisable.
        if let (Some(logits), Some(labels)) = (verdict.class_logits, labels) {
            loss =
                loss + supervised_loss(logits, labels).mul_scalar(self.plan.auxiliary_classifier);
        }
        let grads = GradientsParams::from_grads(loss.backward(), &nets.generator);
        let learning_rate = self.plan.g_learning_rate * self.plan.lr_decay.factor(step);
        nets.generator = self
            .g_optimizer
            .step(learning_rate, nets.generator.clone(), grads);
        if let Some(average) = &nets.generator_ema {
            let decay = effective_decay(self.plan.ema, step);
            nets.generator_ema = Some(blend(average, &nets.generator, decay));
        }
        loss.inner()
    }
}

/// PacGAN's packs: `[n, d]` samples → `[n / m, m·d]`, each row `m` consecutive samples side by
/// side (a remainder of fewer than `m` samples is left out). Packing is for unconditional 2D
/// GANs only, so there are no labels to pack.
pub(super) fn pack(samples: Tensor<2>, m: usize) -> Tensor<2> {
    if m == 1 {
        return samples;
    }
    let [n, d] = samples.dims();
    let packs = n / m;
    samples.slice(0..packs * m).reshape([packs, m * d])
}

/// Clamps every weight to [-c, c] (WGAN's Lipschitz constraint).
struct ClipWeights(f32);

impl ModuleMapper for ClipWeights {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let c = self.0;
        param.map(|t| {
            let trainable = t.is_require_grad();
            // The clamp's output is not a leaf: detach it and mark it trainable again.
            let t = t.clamp(-c, c).detach();
            if trainable { t.require_grad() } else { t }
        })
    }
}
