//! The reference classifier: a LeNet-sized CNN (LeCun et al. 1998, with ReLU and max pooling)
//! that labels digits and whose penultimate layer is the feature space of the image metrics.
//!
//! Input: `[n, channels·height·width]` pixels scaled to [0, 1]. Two 5×5 convolutions (padding
//! 2) with ReLU, each followed by 2×2 max pooling, a dense layer with ReLU (the features), and
//! a dense layer to class logits. Dropout before the last layer in training only.

use burn::module::{Module, ModuleMapper, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Dropout, DropoutConfig, Linear, LinearConfig, PaddingConfig2d};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};
use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};

use crate::data::images::ImageShape;

/// Sizes of the classifier; weight files carry it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassifierConfig {
    pub image: ImageShape,
    pub classes: usize,
    /// Channels of the two convolutions.
    pub channels: [usize; 2],
    /// Width of the feature layer.
    pub features: usize,
    pub dropout: f64,
}

impl ClassifierConfig {
    /// The bundled classifier's sizes for an image shape and class count (also the classifier
    /// of the classification accuracy score and of the augmentation benchmark).
    pub fn lenet(image: ImageShape, classes: usize) -> Self {
        ClassifierConfig {
            image,
            classes,
            channels: [16, 32],
            features: 128,
            dropout: 0.3,
        }
    }

    /// Sizes within the image models' limits and a network under
    /// [`crate::config::MAX_PARAMETERS`], checked before anything is built.
    pub fn validate(&self) -> Result<(), crate::config::ConfigError> {
        use crate::config::{check_range, image::image_limits as l};
        let ImageShape { height, width, .. } = self.image;
        let ranges = [
            check_range("image height", height, &l::IMAGE_SIDE),
            check_range("image width", width, &l::IMAGE_SIDE),
            check_range("image channels", self.image.channels, &l::CHANNELS),
            check_range("classes", self.classes, &(2..=*l::CLASSES.end())),
            check_range(
                "first convolution's channels",
                self.channels[0],
                &l::CONV_WIDTH,
            ),
            check_range(
                "second convolution's channels",
                self.channels[1],
                &l::CONV_WIDTH,
            ),
            check_range("feature width", self.features, &l::WIDTH),
        ];
        for range in ranges {
            range?;
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(crate::config::ConfigError {
                field: "dropout",
                message: format!("{} is not in [0, 1)", self.dropout),
            });
        }
        crate::config::check_parameter_count(self.parameter_count())
    }

    /// Weights and biases of the layers (valid sizes cannot overflow a u64).
    fn parameter_count(&self) -> u64 {
        let [c0, c1] = self.channels.map(|c| c as u64);
        let (input, features) = (self.image.channels as u64, self.features as u64);
        (input * 25 + 1) * c0
            + (c0 * 25 + 1) * c1
            + (self.flat_width() as u64 + 1) * features
            + (features + 1) * self.classes as u64
    }

    fn flat_width(&self) -> usize {
        self.channels[1] * (self.image.height / 4) * (self.image.width / 4)
    }
}

#[derive(Module, Debug)]
pub struct Classifier {
    conv1: Conv2d,
    conv2: Conv2d,
    pool: MaxPool2d,
    hidden: Linear,
    output: Linear,
    dropout: Dropout,
    image: [usize; 3],
}

/// Feature vectors and class logits of a batch.
pub struct ClassifierOutput {
    pub features: Tensor<2>,
    pub logits: Tensor<2>,
}

impl Classifier {
    /// Weights He-uniform from `rng` (so a seed gives the same network on every backend), biases 0.
    pub fn new(config: &ClassifierConfig, rng: &mut dyn RngCore, device: &Device) -> Self {
        let conv = |input, output| {
            Conv2dConfig::new([input, output], [5, 5])
                .with_padding(PaddingConfig2d::Explicit(2, 2, 2, 2))
                .init(device)
        };
        let net = Classifier {
            conv1: conv(config.image.channels, config.channels[0]),
            conv2: conv(config.channels[0], config.channels[1]),
            pool: MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
            hidden: LinearConfig::new(config.flat_width(), config.features).init(device),
            output: LinearConfig::new(config.features, config.classes).init(device),
            dropout: DropoutConfig::new(config.dropout).init(),
            image: [
                config.image.channels,
                config.image.height,
                config.image.width,
            ],
        };
        net.map(&mut HeUniform {
            rng,
            path: Vec::new(),
        })
    }

    pub fn classes(&self) -> usize {
        self.output.weight.val().dims()[1]
    }

    pub fn forward(&self, pixels: Tensor<2>) -> ClassifierOutput {
        let n = pixels.dims()[0];
        let [c, h, w] = self.image;
        let x = pixels.reshape([n, c, h, w]);
        let x = self.pool.forward(relu(self.conv1.forward(x)));
        let x = self.pool.forward(relu(self.conv2.forward(x)));
        let features = relu(self.hidden.forward(x.flatten(1, 3)));
        let logits = self.output.forward(self.dropout.forward(features.clone()));
        ClassifierOutput { features, logits }
    }
}

/// He-uniform weights (bound √(6 / fan-in), right for ReLU) drawn from the caller's generator;
/// biases 0. Fan-in is the product of all but the output dimension: `[out, in, kh, kw]` for
/// convolutions, `[in, out]` for Burn's dense layers.
struct HeUniform<'a> {
    rng: &'a mut dyn RngCore,
    path: Vec<String>,
}

impl ModuleMapper for HeUniform<'_> {
    fn enter_module(&mut self, name: &str, _: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _: &str, _: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let is_weight = self.path.last().map(String::as_str) == Some("weight");
        let rng = &mut *self.rng;
        param.map(|t| {
            let dims = t.dims();
            let fan_in: usize = match D {
                4 => dims[1..].iter().product(),
                _ => dims[0],
            };
            let bound = if is_weight {
                (6.0 / fan_in as f32).sqrt()
            } else {
                0.0
            };
            let values: Vec<f32> = (0..t.shape().num_elements())
                .map(|_| {
                    if bound > 0.0 {
                        rng.random_range(-bound..bound)
                    } else {
                        0.0
                    }
                })
                .collect();
            let trainable = t.is_require_grad();
            let fresh = Tensor::from_data(TensorData::new(values, t.shape()), &t.device());
            if trainable {
                fresh.require_grad()
            } else {
                fresh
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn shapes_and_seeded_weights() {
        let device = Device::flex();
        let config = ClassifierConfig::lenet(ImageShape::MNIST, 10);
        config.validate().unwrap();
        let net = Classifier::new(&config, &mut StdRng::seed_from_u64(1), &device);
        let out = net.forward(Tensor::zeros([3, 784], &device));
        assert_eq!(out.features.dims(), [3, 128]);
        assert_eq!(out.logits.dims(), [3, 10]);
        let again = Classifier::new(&config, &mut StdRng::seed_from_u64(1), &device);
        let a = net.conv1.weight.val().into_data();
        let b = again.conv1.weight.val().into_data();
        assert_eq!(a, b);
    }

    #[test]
    fn absurd_sizes_are_refused() {
        let mut config = ClassifierConfig::lenet(ImageShape::square(1, 2), 10);
        assert!(config.validate().is_err());
        config = ClassifierConfig::lenet(ImageShape::MNIST, 1);
        assert!(config.validate().is_err());
    }
}
