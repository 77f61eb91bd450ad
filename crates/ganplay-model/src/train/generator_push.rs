//! Where the generator's loss pushes a sample: what the page's gradient arrows draw.

use burn::module::Module;
use burn::tensor::Tensor;

use super::TrainSession;
use super::build::Nets;
use super::gan_step::pack;
use super::objectives::generator_loss;

impl TrainSession {
    /// For each 2D point, minus the gradient of the generator's loss with respect to that point:
    /// the direction, and relative size, in which a generator step moves a sample lying there.
    /// Scaled by the number of packs, so a point's push does not shrink with how many points are
    /// asked about. Points beyond the last whole pack (packing > 1) get no push: ask for a
    /// multiple of the packing. `None` for VAEs and conditional GANs.
    pub fn generator_push(&self, points: Tensor<2>) -> Option<Tensor<2>> {
        let Nets::Gan(gan) = &self.nets else {
            return None;
        };
        if !self.has_decision_surface() {
            return None;
        }
        let packs = (points.dims()[0] / gan.plan.packing).max(1);
        let points = points.autodiff().require_grad();
        // The critic as the decision surface shows it (no dropout), back on the autodiff device
        // so gradients reach the points through it; its own weights get none.
        let critic = gan.modules.critic.valid().to_device(&self.device);
        let scores = critic.forward(pack(points.clone(), gan.plan.packing), None);
        let grads = generator_loss(gan.plan.loss, scores).backward();
        let gradient = points.grad(&grads)?;
        Some(gradient.mul_scalar(-(packs as f32)))
    }
}
