//! A VAE's update: one step on the negative ELBO.

use burn::optim::GradientsParams;
use burn::tensor::Tensor;

use super::batches::Batches;
use super::build::VaeNets;
use super::losses::Losses;

impl VaeNets {
    pub(super) fn update(&mut self, batches: &mut Batches) -> Losses<Tensor<1>> {
        let (x, labels) = batches.real();
        let epsilon = batches.gaussian_latents();
        let vae = &mut self.modules.vae;
        let terms = vae.elbo(x, labels, epsilon);
        let loss = terms.reconstruction.clone() + terms.kl.clone();
        let grads = GradientsParams::from_grads(loss.backward(), &*vae);
        *vae = self.optimizer.step(self.learning_rate, vae.clone(), grads);
        Losses::Vae {
            reconstruction: terms.reconstruction.inner(),
            kl: terms.kl.inner(),
        }
    }
}
