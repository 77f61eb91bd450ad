//! DCGAN networks (Radford et al. 2015): a generator of transposed convolutions with batch norm
//! and a discriminator of strided convolutions with LeakyReLU. Each stage doubles (generator) or
//! halves (discriminator) the image side; the number of stages follows from the image size.

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::activation::relu;
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Tensor};
use rand::RngCore;

use super::activation::{leaky_relu, tanh};
use super::spectral_norm::SpectralNorm;
use crate::config::{ConfigError, ConvPlan};
use crate::data::images::ImageShape;

#[derive(Module, Debug)]
pub struct ConvGenerator {
    project: Linear,
    project_norm: BatchNorm,
    up: Vec<ConvTranspose2d>,
    norms: Vec<BatchNorm>,
    start: usize,
    start_channels: usize,
}

impl ConvGenerator {
    /// `input` values per sample (noise plus one-hot class, if any).
    pub fn new(
        input: usize,
        image: ImageShape,
        width: usize,
        device: &Device,
    ) -> Result<Self, ConfigError> {
        let plan = ConvPlan::for_image(image)?;
        let start_channels = plan.channels(width, 0);
        let mut up = Vec::new();
        let mut norms = Vec::new();
        for i in 0..plan.stages {
            let last = i + 1 == plan.stages;
            let out = if last {
                image.channels
            } else {
                plan.channels(width, i + 1)
            };
            up.push(
                ConvTranspose2dConfig::new([plan.channels(width, i), out], [4, 4])
                    .with_stride([2, 2])
                    .with_padding([1, 1])
                    .with_bias(last)
                    .init(device),
            );
            if !last {
                norms.push(BatchNormConfig::new(out).init(device));
            }
        }
        Ok(ConvGenerator {
            project: LinearConfig::new(input, start_channels * plan.start * plan.start)
                .with_bias(false)
                .init(device),
            project_norm: BatchNormConfig::new(start_channels).init(device),
            up,
            norms,
            start: plan.start,
            start_channels,
        })
    }

    /// `[n, input]` → `[n, channels·height·width]` in [-1, 1].
    pub fn forward(&self, input: Tensor<2>) -> Tensor<2> {
        let n = input.dims()[0];
        let x =
            self.project
                .forward(input)
                .reshape([n, self.start_channels, self.start, self.start]);
        let mut x = relu(self.project_norm.forward(x));
        for (i, conv) in self.up.iter().enumerate() {
            x = conv.forward(x);
            x = match self.norms.get(i) {
                Some(norm) => relu(norm.forward(x)),
                None => tanh(x),
            };
        }
        x.flatten(1, 3)
    }
}

/// Padding on each side of the critic's 4×4, stride-2 convolutions: each halves the side.
const CRITIC_PADDING: usize = 1;

#[derive(Module, Debug)]
pub struct ConvCritic {
    down: Vec<Conv2d>,
    norms: Vec<BatchNorm>,
    score: Linear,
    /// With spectral normalisation: one per convolution, then one for the score layer (and no
    /// batch norm, as in SN-GAN). Empty otherwise.
    spectral: Vec<SpectralNorm>,
    /// Class embedding of the projection discriminator (conditional models only).
    projection: Option<Linear>,
    /// AC-GAN's auxiliary classifier: class logits from the same features.
    classify: Option<Linear>,
    image: [usize; 3],
    #[module(skip)]
    leaky_slope: f64,
}

/// What a convolutional critic is built with, beyond its size.
#[derive(Clone, Copy, Debug)]
pub struct ConvCriticOptions {
    /// With classes, a projection discriminator (Miyato & Koyama 2018): the score gains
    /// ⟨embed(class), features⟩, so the class interacts with what the critic sees. (A one-hot
    /// simply added to the final linear layer would shift the score by a per-class constant and
    /// teach the generator nothing about classes.)
    pub classes: usize,
    pub leaky_slope: f64,
    /// Each layer's weight spectrally normalised, and no batch norm.
    pub spectral_norm: bool,
    /// AC-GAN (Odena et al. 2017): a second head that predicts the class (needs classes).
    pub auxiliary_classifier: bool,
}

/// A critic's raw score of each example and, with an auxiliary classifier, its class logits.
pub struct Verdict {
    pub score: Tensor<2>,
    pub class_logits: Option<Tensor<2>>,
}

impl ConvCritic {
    /// `rng` draws the power iteration's start when the layers are spectrally normalised.
    pub fn new(
        image: ImageShape,
        width: usize,
        options: ConvCriticOptions,
        rng: &mut dyn RngCore,
        device: &Device,
    ) -> Result<Self, ConfigError> {
        let ConvCriticOptions {
            classes,
            leaky_slope,
            spectral_norm,
            auxiliary_classifier,
        } = options;
        let plan = ConvPlan::for_image(image)?;
        let mut down = Vec::new();
        let mut norms = Vec::new();
        let mut spectral = Vec::new();
        let mut channels = image.channels;
        for i in (0..plan.stages).rev() {
            let out = plan.channels(width, i);
            let first = channels == image.channels && down.is_empty();
            down.push(
                Conv2dConfig::new([channels, out], [4, 4])
                    .with_stride([2, 2])
                    .with_padding(PaddingConfig2d::Explicit(
                        CRITIC_PADDING,
                        CRITIC_PADDING,
                        CRITIC_PADDING,
                        CRITIC_PADDING,
                    ))
                    .with_bias(first)
                    .init(device),
            );
            if spectral_norm {
                spectral.push(SpectralNorm::new(out, rng, device));
            } else if !first {
                // No batch norm on the first layer, as in DCGAN.
                norms.push(BatchNormConfig::new(out).init(device));
            }
            channels = out;
        }
        let features = channels * plan.start * plan.start;
        if spectral_norm {
            spectral.push(SpectralNorm::new(features, rng, device));
        }
        Ok(ConvCritic {
            down,
            norms,
            score: LinearConfig::new(features, 1).init(device),
            spectral,
            projection: (classes > 0).then(|| {
                LinearConfig::new(classes, features)
                    .with_bias(false)
                    .init(device)
            }),
            classify: (auxiliary_classifier && classes > 0)
                .then(|| LinearConfig::new(features, classes).init(device)),
            image: [image.channels, image.height, image.width],
            leaky_slope,
        })
    }

    /// `[n, channels·height·width]` (and `[n, classes]` one-hot) → `[n, 1]` raw scores.
    pub fn forward(&self, images: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
        self.judge(images, labels).score
    }

    /// The raw scores and, with an auxiliary classifier, `[n, classes]` class logits.
    pub fn judge(&self, images: Tensor<2>, labels: Option<Tensor<2>>) -> Verdict {
        let n = images.dims()[0];
        let [c, h, w] = self.image;
        let mut x = images.reshape([n, c, h, w]);
        for (i, conv) in self.down.iter().enumerate() {
            x = match self.spectral.get(i) {
                Some(norm) => normalised_conv(conv, norm, x),
                None => conv.forward(x),
            };
            if let Some(batch_norm) = i.checked_sub(1).and_then(|i| self.norms.get(i)) {
                x = batch_norm.forward(x);
            }
            x = leaky_relu(x, self.leaky_slope);
        }
        let features: Tensor<2> = x.flatten(1, 3);
        let score = match self.spectral.last() {
            Some(norm) => burn::tensor::module::linear(
                features.clone(),
                norm.normalise(self.score.weight.val()),
                self.score.bias.as_ref().map(|b| b.val()),
            ),
            None => self.score.forward(features.clone()),
        };
        let class_logits = self
            .classify
            .as_ref()
            .map(|head| head.forward(features.clone()));
        let score = match (&self.projection, labels) {
            (Some(embed), Some(labels)) => score + (embed.forward(labels) * features).sum_dim(1),
            _ => score,
        };
        Verdict {
            score,
            class_logits,
        }
    }
}

/// `conv.forward(x)` with the weight, seen as `[out, in·k·k]`, spectrally normalised.
fn normalised_conv(conv: &Conv2d, norm: &SpectralNorm, x: Tensor<4>) -> Tensor<4> {
    let weight = conv.weight.val();
    let dims = weight.dims();
    let weight = norm
        .normalise(weight.reshape([dims[0], dims[1] * dims[2] * dims[3]]))
        .reshape(dims);
    let padding = [CRITIC_PADDING; 2];
    let options = ConvOptions::new(conv.stride, padding, conv.dilation, conv.groups);
    conv2d(x, weight, conv.bias.as_ref().map(|b| b.val()), options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_follow_the_image_size() {
        assert_eq!(
            ConvPlan::for_image(ImageShape::MNIST),
            Ok(ConvPlan {
                stages: 2,
                start: 7
            })
        );
        assert_eq!(
            ConvPlan::for_image(ImageShape::square(3, 64)),
            Ok(ConvPlan {
                stages: 4,
                start: 4
            })
        );
        assert!(ConvPlan::for_image(ImageShape::square(1, 7)).is_err());
        assert!(
            ConvPlan::for_image(ImageShape {
                channels: 1,
                height: 28,
                width: 32
            })
            .is_err()
        );
    }

    #[test]
    fn shapes_round_trip_through_both_networks() {
        let device = Device::flex();
        for image in [ImageShape::MNIST, ImageShape::square(3, 32)] {
            let g = ConvGenerator::new(8 + 10, image, 4, &device).unwrap();
            let rng = &mut <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
            let options = ConvCriticOptions {
                classes: 10,
                leaky_slope: 0.2,
                spectral_norm: false,
                auxiliary_classifier: true,
            };
            let d = ConvCritic::new(image, 4, options, rng, &device).unwrap();
            let fake = g.forward(Tensor::zeros([3, 18], &device));
            assert_eq!(fake.dims(), [3, image.len()]);
            let verdict = d.judge(fake, Some(Tensor::zeros([3, 10], &device)));
            assert_eq!(verdict.score.dims(), [3, 1]);
            assert_eq!(verdict.class_logits.unwrap().dims(), [3, 10]);
        }
    }
}
