//! Variational autoencoder (Kingma & Welling 2013) with MLP encoder and decoder; conditional when
//! a one-hot class joins the encoder's and the decoder's input (as in the semi-supervised M2).

use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::activation::{sigmoid, softplus};
use burn::tensor::{Device, Tensor};
use rand::RngCore;

use super::activation::Nonlinearity;
use super::mlp::{Mlp, seeded_linear};

#[derive(Module, Debug)]
pub struct Vae {
    encoder: Mlp,
    mean: Linear,
    log_variance: Linear,
    decoder: Mlp,
}

/// One pass's ELBO terms, averaged over the batch.
pub struct ElboTerms {
    /// Bernoulli negative log-likelihood of the input, summed over pixels.
    pub reconstruction: Tensor<1>,
    /// KL(q(z|x) ‖ N(0, I)).
    pub kl: Tensor<1>,
}

impl Vae {
    pub fn new(
        data_dim: usize,
        hidden: &[usize],
        latent: usize,
        classes: usize,
        rng: &mut dyn RngCore,
        device: &Device,
    ) -> Self {
        let encoder_widths: Vec<usize> = std::iter::once(data_dim + classes)
            .chain(hidden.iter().copied())
            .collect();
        let decoder_widths: Vec<usize> = std::iter::once(latent + classes)
            .chain(hidden.iter().rev().copied())
            .chain(std::iter::once(data_dim))
            .collect();
        // Mlp leaves its last layer linear; `encode` applies the ReLU before the two heads.
        let last_hidden = *encoder_widths.last().unwrap();
        Vae {
            encoder: Mlp::with_widths(
                &encoder_widths,
                Nonlinearity::relu(),
                0.0,
                false,
                rng,
                device,
            ),
            mean: seeded_linear(last_hidden, latent, rng, device),
            log_variance: seeded_linear(last_hidden, latent, rng, device),
            decoder: Mlp::with_widths(
                &decoder_widths,
                Nonlinearity::relu(),
                0.0,
                false,
                rng,
                device,
            ),
        }
    }

    /// Mean and log-variance of q(z | x, class).
    pub fn encode(&self, x: Tensor<2>, labels: Option<Tensor<2>>) -> (Tensor<2>, Tensor<2>) {
        let h = burn::tensor::activation::relu(self.encoder.forward(with_labels(x, labels)));
        (self.mean.forward(h.clone()), self.log_variance.forward(h))
    }

    /// Decoder logits; [`Self::decode`] turns them into pixel values in [0, 1].
    fn decode_logits(&self, z: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
        self.decoder.forward(with_labels(z, labels))
    }

    pub fn decode(&self, z: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
        sigmoid(self.decode_logits(z, labels))
    }

    /// ELBO terms for data in [0, 1], with `epsilon` ~ N(0, I) drawn by the caller
    /// (reparameterisation: z = μ + σ·ε).
    pub fn elbo(&self, x: Tensor<2>, labels: Option<Tensor<2>>, epsilon: Tensor<2>) -> ElboTerms {
        let (reconstruction, kl) = self.elbo_per_image(x, labels, epsilon);
        ElboTerms {
            reconstruction: reconstruction.mean(),
            kl: kl.mean(),
        }
    }

    /// [`Self::elbo`]'s two terms for each image, `[n, 1]` each.
    pub fn elbo_per_image(
        &self,
        x: Tensor<2>,
        labels: Option<Tensor<2>>,
        epsilon: Tensor<2>,
    ) -> (Tensor<2>, Tensor<2>) {
        let (mean, log_variance) = self.encode(x.clone(), labels.clone());
        let z = mean.clone() + (log_variance.clone() * 0.5).exp() * epsilon;
        let logits = self.decode_logits(z, labels);
        // Binary cross-entropy with logits, in its stable form: softplus(l) − x·l.
        let reconstruction = (softplus(logits.clone(), 1.0) - x * logits).sum_dim(1);
        let kl = ((mean.powi_scalar(2) + log_variance.clone().exp() - log_variance - 1.0) * 0.5)
            .sum_dim(1);
        (reconstruction, kl)
    }
}

fn with_labels(x: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
    match labels {
        Some(labels) => Tensor::cat(vec![x, labels], 1),
        None => x,
    }
}
