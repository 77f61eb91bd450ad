//! Multi-layer perceptron: both networks of the 2D GAN, the MLP GANs on images and the VAE's
//! encoder and decoder.

use burn::module::{Module, Param};
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::tensor::{Device, Tensor, TensorData};
use rand::Rng;
use rand::RngCore;

use super::activation::{Nonlinearity, tanh};
use super::spectral_norm::SpectralNorm;

/// Dense layers with one non-linearity (and optional dropout) between them; the output is
/// linear, or tanh for generators of images in [-1, 1].
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    #[module(skip)]
    nonlinearity: Nonlinearity,
    dropout: Dropout,
    tanh_output: bool,
    /// One per layer when the layers are spectrally normalised (critics only); empty otherwise.
    spectral: Vec<SpectralNorm>,
}

impl Mlp {
    /// `input → hidden_layers × neurons → output`, with weights drawn from `rng`.
    pub fn new(
        input: usize,
        hidden_layers: usize,
        neurons: usize,
        output: usize,
        nonlinearity: Nonlinearity,
        rng: &mut dyn RngCore,
        device: &Device,
    ) -> Self {
        let mut dims = vec![input];
        dims.extend(std::iter::repeat_n(neurons, hidden_layers));
        dims.push(output);
        Self::with_widths(&dims, nonlinearity, 0.0, false, rng, device)
    }

    /// Layers of the given widths, `widths[0]` being the input and the last the output.
    pub fn with_widths(
        widths: &[usize],
        nonlinearity: Nonlinearity,
        dropout: f64,
        tanh_output: bool,
        rng: &mut dyn RngCore,
        device: &Device,
    ) -> Self {
        let layers = widths
            .windows(2)
            .map(|w| seeded_linear(w[0], w[1], rng, device))
            .collect();
        Mlp {
            layers,
            nonlinearity,
            dropout: DropoutConfig::new(dropout).init(),
            tanh_output,
            spectral: Vec::new(),
        }
    }

    /// The same layers with a tanh after the last one (or without, for `false`).
    pub fn with_tanh_output(self, tanh_output: bool) -> Self {
        Mlp {
            tanh_output,
            ..self
        }
    }

    /// The same layers, each weight spectrally normalised in the forward pass.
    pub fn with_spectral_norm(self, rng: &mut dyn RngCore, device: &Device) -> Self {
        let spectral = self
            .layers
            .iter()
            .map(|layer| SpectralNorm::new(layer.weight.dims()[0], rng, device))
            .collect();
        Mlp { spectral, ..self }
    }

    pub fn forward(&self, mut x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            x = match self.spectral.get(i) {
                Some(norm) => burn::tensor::module::linear(
                    x,
                    norm.normalise(layer.weight.val()),
                    layer.bias.as_ref().map(|b| b.val()),
                ),
                None => layer.forward(x),
            };
            if i < last {
                x = self.dropout.forward(self.nonlinearity.apply(x));
            }
        }
        if self.tanh_output { tanh(x) } else { x }
    }
}

/// A dense layer initialised like PyTorch's (and Burn's) default, U(-k, k) with k = 1/√fan_in,
/// but from the caller's generator: Burn's own generator is global to the process, so two
/// sessions created at once would disturb each other's seeds, and it differs between backends.
pub(crate) fn seeded_linear(
    fan_in: usize,
    fan_out: usize,
    rng: &mut dyn RngCore,
    device: &Device,
) -> Linear {
    let k = 1.0 / (fan_in as f32).sqrt();
    let mut draw = |n: usize| -> Vec<f32> { (0..n).map(|_| rng.random_range(-k..=k)).collect() };
    let weight = Tensor::from_data(
        TensorData::new(draw(fan_in * fan_out), [fan_in, fan_out]),
        device,
    );
    let bias = Tensor::from_data(TensorData::new(draw(fan_out), [fan_out]), device);
    Linear {
        weight: Param::from_tensor(weight),
        bias: Some(Param::from_tensor(bias)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Activation;

    #[test]
    fn shapes_follow_the_configuration() {
        let device = Device::flex();
        let rng = &mut <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
        let mlp = Mlp::new(
            3,
            2,
            8,
            1,
            Nonlinearity::new(Activation::Tanh, 0.0),
            rng,
            &device,
        );
        assert_eq!(mlp.num_params(), (3 * 8 + 8) + (8 * 8 + 8) + (8 + 1));
        let out = mlp.forward(Tensor::zeros([5, 3], &device));
        assert_eq!(out.dims(), [5, 1]);
        // No hidden layers: a single linear map.
        let linear = Mlp::new(2, 0, 99, 2, Nonlinearity::relu(), rng, &device);
        assert_eq!(linear.num_params(), 2 * 2 + 2);
    }
}
