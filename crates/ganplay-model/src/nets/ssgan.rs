//! The semi-supervised GAN's networks, after Salimans et al. 2016 ("Improved techniques for
//! training GANs", their MNIST model).
//!
//! The discriminator is a K-class classifier: weight-normalised dense layers with ReLU, Gaussian
//! noise on its input and after every hidden layer (in training only), and K class logits. Its
//! belief that an image is real is Z / (Z + 1) with Z = Σₖ exp lₖ (the "fake" logit is fixed
//! at 0). The generator is dense layers with batch norm and softplus, and a weight-normalised
//! sigmoid output: images in [0, 1].

use burn::module::{Module, Param, ParamId};
use burn::nn::{BatchNorm, BatchNormConfig, Linear};
use burn::tensor::activation::{relu, sigmoid, softplus};
use burn::tensor::{Device, Tensor, TensorData};
use rand::RngCore;
use rand_distr::{Distribution, Normal};

use super::mlp::seeded_linear;

/// Standard deviations of the noise added to the discriminator's input, and after each of its
/// hidden layers (the paper's are 0.3 and 0.5, `Tuning`'s defaults).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DiscriminatorNoise {
    pub input: f32,
    pub hidden: f32,
}

/// A dense layer with weight normalisation (Salimans & Kingma 2016): each output unit's weight
/// vector is `scale · direction / ‖direction‖`, so its length is learnt apart from its direction.
///
/// # Shapes
/// `[n, fan_in]` → `[n, fan_out]`.
#[derive(Module, Debug)]
pub struct WeightNormLinear {
    /// `[fan_in, fan_out]`; only each column's direction matters.
    pub direction: Param<Tensor<2>>,
    /// `[fan_out]`: the length of each unit's weight vector.
    pub scale: Param<Tensor<1>>,
    /// `[fan_out]`.
    pub bias: Param<Tensor<1>>,
}

impl WeightNormLinear {
    /// Directions N(0, 0.05) from `rng` (the paper's), unit lengths, zero biases.
    pub fn new(fan_in: usize, fan_out: usize, rng: &mut dyn RngCore, device: &Device) -> Self {
        let normal = Normal::new(0.0f32, 0.05).expect("valid parameters");
        let values: Vec<f32> = (0..fan_in * fan_out).map(|_| normal.sample(rng)).collect();
        WeightNormLinear {
            direction: param(values, [fan_in, fan_out], device),
            scale: param(vec![1.0; fan_out], [fan_out], device),
            bias: param(vec![0.0; fan_out], [fan_out], device),
        }
    }

    /// Salimans & Kingma's data-dependent initialisation: sets scale and bias so that this
    /// layer's outputs on `x` have mean 0 and variance 1 per unit, and returns those outputs.
    /// Computed on the device, kept off the tape.
    pub fn initialise_from(&mut self, x: Tensor<2>) -> Tensor<2> {
        let direction = self.direction.val().detach();
        let length = direction.clone().square().sum_dim(0).sqrt();
        let projected = x.detach().matmul(direction) / length;
        let mean = projected.clone().mean_dim(0);
        let std = (projected.clone() - mean.clone())
            .square()
            .mean_dim(0)
            .add_scalar(1e-6)
            .sqrt();
        let scale = std.clone().recip();
        let bias = -(mean.clone() / std.clone());
        let out = (projected - mean) / std;
        let units = out.dims()[1];
        self.scale = self
            .scale
            .clone()
            .map(|_| scale.reshape([units]).detach().require_grad());
        self.bias = self
            .bias
            .clone()
            .map(|_| bias.reshape([units]).detach().require_grad());
        out
    }

    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let direction = self.direction.val();
        // (x · v) · (g / ‖v‖) column by column: the same as x · w without building w.
        let length = direction.clone().square().sum_dim(0).sqrt();
        let factor = self.scale.val().unsqueeze::<2>() / length;
        x.matmul(direction) * factor + self.bias.val().unsqueeze()
    }
}

fn param<const D: usize>(values: Vec<f32>, shape: [usize; D], device: &Device) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// Draws standard normal values of a shape, for the noise layers in training; the training
/// step passes its seeded generator's draws, so a seed gives the same run on every backend.
pub type NoiseDraw<'a> = &'a mut dyn FnMut([usize; 2]) -> Tensor<2>;

/// What the discriminator computes for a batch.
pub struct DiscriminatorOutput {
    /// `[n, last hidden width]`: the last hidden layer's activations, which the generator's
    /// feature matching compares.
    pub features: Tensor<2>,
    /// `[n, classes]`.
    pub logits: Tensor<2>,
}

#[derive(Module, Debug)]
pub struct SsganDiscriminator {
    hidden: Vec<WeightNormLinear>,
    output: WeightNormLinear,
    #[module(skip)]
    noise: DiscriminatorNoise,
}

impl SsganDiscriminator {
    /// `input → hidden… → classes`, weights from `rng`. `hidden` must not be empty.
    pub fn new(
        input: usize,
        hidden: &[usize],
        classes: usize,
        noise: DiscriminatorNoise,
        rng: &mut dyn RngCore,
        device: &Device,
    ) -> Self {
        let widths: Vec<usize> = [input].into_iter().chain(hidden.iter().copied()).collect();
        SsganDiscriminator {
            hidden: widths
                .windows(2)
                .map(|w| WeightNormLinear::new(w[0], w[1], rng, device))
                .collect(),
            output: WeightNormLinear::new(*widths.last().expect("an input"), classes, rng, device),
            noise,
        }
    }

    /// Features and class logits of `[n, pixels]` images in [0, 1]. With `noise`, the training
    /// network (noise layers on); without, the evaluation network.
    pub fn forward(&self, x: Tensor<2>, mut noise: Option<NoiseDraw<'_>>) -> DiscriminatorOutput {
        let mut h = perturb(x, self.noise.input, &mut noise);
        let mut features = h.clone();
        for layer in &self.hidden {
            features = relu(layer.forward(h));
            h = perturb(features.clone(), self.noise.hidden, &mut noise);
        }
        DiscriminatorOutput {
            features,
            logits: self.output.forward(h),
        }
    }

    /// The hidden layers' weight lengths: as in the paper, they stay where the data-dependent
    /// initialisation put them (only the output layer learns its own), so the discriminator
    /// cannot grow its activations past the noise layers' reach. Updates leave them out.
    pub fn fixed_scales(&self) -> Vec<ParamId> {
        self.hidden.iter().map(|layer| layer.scale.id).collect()
    }

    /// Data-dependent initialisation of every layer (Salimans & Kingma 2016) on a batch of
    /// real images: each unit starts with outputs of mean 0 and variance 1, so the noise
    /// layers do not drown the signal of a freshly drawn network.
    pub fn initialise_from(mut self, x: Tensor<2>) -> Self {
        let mut h = x;
        for layer in &mut self.hidden {
            h = relu(layer.initialise_from(h));
        }
        self.output.initialise_from(h);
        self
    }
}

fn perturb(x: Tensor<2>, std: f32, noise: &mut Option<NoiseDraw<'_>>) -> Tensor<2> {
    match noise {
        Some(draw) => {
            let n = draw(x.dims());
            x + n.mul_scalar(std)
        }
        None => x,
    }
}

/// Noise → image in [0, 1].
#[derive(Module, Debug)]
pub struct SsganGenerator {
    hidden: Vec<Linear>,
    norms: Vec<BatchNorm>,
    output: WeightNormLinear,
}

impl SsganGenerator {
    pub fn new(
        noise: usize,
        hidden: &[usize],
        output: usize,
        rng: &mut dyn RngCore,
        device: &Device,
    ) -> Self {
        let widths: Vec<usize> = [noise].into_iter().chain(hidden.iter().copied()).collect();
        SsganGenerator {
            hidden: widths
                .windows(2)
                .map(|w| seeded_linear(w[0], w[1], rng, device))
                .collect(),
            norms: hidden
                .iter()
                .map(|w| BatchNormConfig::new(*w).init(device))
                .collect(),
            output: WeightNormLinear::new(*widths.last().expect("an input"), output, rng, device),
        }
    }

    pub fn forward(&self, noise: Tensor<2>) -> Tensor<2> {
        let mut h = noise;
        for (layer, norm) in self.hidden.iter().zip(&self.norms) {
            h = softplus(norm.forward(layer.forward(h)), 1.0);
        }
        sigmoid(self.output.forward(h))
    }
}

/// The semi-supervised GAN's networks as one module tree; its paths
/// (`generator.hidden.0.weight`, `discriminator.output.direction`, …) name the weight file's
/// tensors.
#[derive(Module, Debug)]
pub struct SsganModules {
    pub generator: SsganGenerator,
    pub discriminator: SsganDiscriminator,
    /// The discriminator's moving average, which classifies, when the config asks for one
    /// (`discriminator_ema.…` in weight files).
    pub discriminator_ema: Option<SsganDiscriminator>,
}

/// The semi-supervised VAE (M2) as one module tree: the classifier q(y|x) is the
/// semi-supervised GAN's discriminator; the VAE's encoder q(z|x,y) and decoder p(x|y,z) take
/// the class. Paths `classifier.hidden.0.direction`, `vae.decoder.layers.0.weight`, …
#[derive(Module, Debug)]
pub struct M2Modules {
    pub classifier: SsganDiscriminator,
    pub vae: super::vae::Vae,
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn weight_norm_fixes_each_units_length() {
        let device = Device::flex();
        let layer = WeightNormLinear::new(3, 2, &mut StdRng::seed_from_u64(1), &device);
        // Unit inputs along each axis give the columns of w = g · v / ‖v‖; with g = 1 every
        // column has length 1 whatever v was drawn as.
        let w = layer
            .forward(Tensor::eye(3, &device))
            .into_data()
            .try_into_vec_as::<f32>()
            .unwrap();
        for unit in 0..2 {
            let length: f32 = (0..3).map(|i| w[i * 2 + unit].powi(2)).sum::<f32>().sqrt();
            assert!((length - 1.0).abs() < 1e-5, "{length}");
        }
    }

    const PAPER_NOISE: DiscriminatorNoise = DiscriminatorNoise {
        input: 0.3,
        hidden: 0.5,
    };

    #[test]
    fn shapes_and_noise_only_in_training() {
        let device = Device::flex();
        let rng = &mut StdRng::seed_from_u64(2);
        let d = SsganDiscriminator::new(784, &[20, 10], 10, PAPER_NOISE, rng, &device);
        let x = Tensor::<2>::ones([4, 784], &device).mul_scalar(0.5);
        let clean = d.forward(x.clone(), None);
        assert_eq!(clean.features.dims(), [4, 10]);
        assert_eq!(clean.logits.dims(), [4, 10]);
        let mut draw = |shape: [usize; 2]| Tensor::<2>::ones(shape, &device);
        let noisy = d.forward(x, Some(&mut draw));
        let a = clean.logits.into_data().try_into_vec_as::<f32>().unwrap();
        let b = noisy.logits.into_data().try_into_vec_as::<f32>().unwrap();
        assert_ne!(a, b);
        let g = SsganGenerator::new(8, &[16, 16], 784, rng, &device);
        let images = g
            .forward(Tensor::zeros([3, 8], &device))
            .into_data()
            .try_into_vec_as::<f32>()
            .unwrap();
        assert_eq!(images.len(), 3 * 784);
        assert!(images.iter().all(|v| (0.0..=1.0).contains(v)));
    }
}
