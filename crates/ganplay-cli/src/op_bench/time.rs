//! Each operation of [`Op`] run with Burn on the autodiff device, as the training steps run it:
//! the same `burn::nn` layers and the model crate's activations, inputs that need their gradient (so a
//! convolution's backward computes both the input's and the weights' gradients).

use std::time::{Duration, Instant};

use burn::nn::conv::{Conv2dConfig, ConvTranspose2dConfig};
use burn::nn::{BatchNormConfig, DropoutConfig, LinearConfig};
use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::activation::{relu, softplus};
use burn::tensor::{Device, Distribution, Tensor};
use ganplay_model::nets::activation::{leaky_relu, tanh};

use super::plan::Op;

/// Mean seconds of one forward and one backward pass (the backward's time includes summing the
/// output to a scalar to start it; 0 where the operation has none).
#[derive(Clone, Copy, Debug, Default)]
pub struct Timing {
    pub forward: f64,
    pub backward: f64,
}

/// Times `op` for about `seconds` (after two warm-up runs) on `device`.
pub fn time_op(op: &Op, device: &Device, seconds: f64) -> Timing {
    let device = device.clone().autodiff();
    let mut pass = pass_for(op, &device);
    for _ in 0..2 {
        pass(&device);
    }
    let (mut forward, mut backward, mut runs) = (Duration::ZERO, Duration::ZERO, 0u32);
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < seconds || runs == 0 {
        let (f, b) = pass(&device);
        forward += f;
        backward += b;
        runs += 1;
    }
    Timing {
        forward: forward.as_secs_f64() / f64::from(runs),
        backward: backward.as_secs_f64() / f64::from(runs),
    }
}

/// One timed run: (forward, backward).
type Pass = Box<dyn FnMut(&Device) -> (Duration, Duration)>;

fn sync(device: &Device) {
    device.sync().expect("the device ran the operation");
}

fn normal<const D: usize>(shape: [usize; D], device: &Device) -> Tensor<D> {
    Tensor::random(shape, Distribution::Normal(0.0, 1.0), device)
}

/// A pass over a function of one input that needs its gradient.
fn with_input<const D: usize, const E: usize>(
    shape: [usize; D],
    f: impl Fn(Tensor<D>) -> Tensor<E> + 'static,
) -> Pass {
    let mut input: Option<Tensor<D>> = None;
    Box::new(move |device| {
        let x = input
            .get_or_insert_with(|| normal(shape, device).require_grad())
            .clone();
        let t0 = Instant::now();
        let y = f(x);
        sync(device);
        let t1 = Instant::now();
        let _grads = y.sum().backward();
        sync(device);
        (t1 - t0, t1.elapsed())
    })
}

fn pass_for(op: &Op, device: &Device) -> Pass {
    match *op {
        Op::Linear {
            batch,
            inputs,
            outputs,
            bias,
        } => {
            let layer = LinearConfig::new(inputs, outputs)
                .with_bias(bias)
                .init(device);
            with_input([batch, inputs], move |x| layer.forward(x))
        }
        Op::Conv2d {
            batch,
            channels_in,
            channels_out,
            side,
            bias,
        } => {
            let layer = Conv2dConfig::new([channels_in, channels_out], [4, 4])
                .with_stride([2, 2])
                .with_padding(burn::nn::PaddingConfig2d::Explicit(1, 1, 1, 1))
                .with_bias(bias)
                .init(device);
            with_input([batch, channels_in, side, side], move |x| layer.forward(x))
        }
        Op::ConvTranspose2d {
            batch,
            channels_in,
            channels_out,
            side,
            bias,
        } => {
            let layer = ConvTranspose2dConfig::new([channels_in, channels_out], [4, 4])
                .with_stride([2, 2])
                .with_padding([1, 1])
                .with_bias(bias)
                .init(device);
            with_input([batch, channels_in, side, side], move |x| layer.forward(x))
        }
        Op::BatchNorm2d {
            batch,
            channels,
            side,
        } => {
            let layer = BatchNormConfig::new(channels).init(device);
            with_input([batch, channels, side, side], move |x| layer.forward(x))
        }
        Op::Relu { batch, features } => with_input([batch, features], relu),
        Op::LeakyRelu { batch, features } => with_input([batch, features], |x| leaky_relu(x, 0.2)),
        Op::Tanh { batch, features } => with_input([batch, features], tanh),
        Op::Dropout { batch, features } => {
            let layer = DropoutConfig::new(0.3).init();
            with_input([batch, features], move |x| layer.forward(x))
        }
        Op::LogitLoss { batch } => {
            with_input([batch, 1], |x: Tensor<2>| softplus(x.neg(), 1.0).mean())
        }
        Op::VaeLoss {
            batch,
            features,
            latent,
        } => vae_loss(batch, features, latent, device),
        Op::Adam { params } => adam(params),
        Op::RandomNormal { batch, features } => Box::new(move |device| {
            let t0 = Instant::now();
            let noise = normal([batch, features], device);
            sync(device);
            drop(noise);
            (t0.elapsed(), Duration::ZERO)
        }),
    }
}

/// `nets/vae.rs`'s loss: pixels, their logits, and the latent mean and log-variance.
fn vae_loss(batch: usize, features: usize, latent: usize, device: &Device) -> Pass {
    let pixels: Tensor<2> =
        Tensor::random([batch, features], Distribution::Uniform(0.0, 1.0), device);
    let mut inputs: Option<[Tensor<2>; 3]> = None;
    Box::new(move |device| {
        let [logits, mean, log_variance] = inputs
            .get_or_insert_with(|| {
                [
                    normal([batch, features], device).require_grad(),
                    normal([batch, latent], device).require_grad(),
                    normal([batch, latent], device).require_grad(),
                ]
            })
            .clone();
        let t0 = Instant::now();
        let reconstruction = (softplus(logits.clone(), 1.0) - pixels.clone() * logits).sum_dim(1);
        let kl = ((mean.powi_scalar(2) + log_variance.clone().exp() - log_variance - 1.0) * 0.5)
            .sum_dim(1);
        let loss = reconstruction.mean() + kl.mean();
        sync(device);
        let t1 = Instant::now();
        let _grads = loss.backward();
        sync(device);
        (t1 - t0, t1.elapsed())
    })
}

/// Adam (the cases' settings) on one weight of `params` values; the gradient is made outside
/// the timed part.
fn adam(params: usize) -> Pass {
    let mut optimizer = AdamConfig::new()
        .with_beta_1(0.5)
        .with_beta_2(0.999)
        .with_epsilon(1e-5)
        .init();
    let mut layer = None;
    Box::new(move |device| {
        let module = layer
            .take()
            .unwrap_or_else(|| LinearConfig::new(params, 1).with_bias(false).init(device));
        let grads = GradientsParams::from_grads(module.weight.val().sum().backward(), &module);
        sync(device);
        let t0 = Instant::now();
        let module = optimizer.step(2e-4, module, grads);
        sync(device);
        let elapsed = t0.elapsed();
        layer = Some(module);
        (elapsed, Duration::ZERO)
    })
}
