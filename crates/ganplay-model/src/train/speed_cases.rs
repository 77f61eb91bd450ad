//! The benchmark cases, defined once for the CLI's `bench` command and the page's benchmark.

use std::sync::Arc;

use crate::config::image::{ImageModelConfig, ImageModelKind, ModelConfig, Scale};
use crate::config::{
    Activation, GanConfig, LossKind, MlpShape, NoiseKind, OptimizerKind, OptimizerSpec,
};
use crate::data::images::{ImageData, ImageSet, ImageShape};
use crate::data::toy::{ToyDataset, ToyKind};
use crate::data::{RealData, UniformData};

pub struct BenchCase {
    pub name: &'static str,
    pub description: String,
    pub config: ModelConfig,
}

impl BenchCase {
    /// The case's training data; digit-shaped models train on `digits`.
    pub fn data(&self, digits: &Arc<ImageSet>) -> Box<dyn RealData> {
        match &self.config {
            ModelConfig::Toy(_) => {
                Box::new(ToyDataset::new(ToyKind::Ring8, 0.05).expect("valid sigma"))
            }
            ModelConfig::Image(c) if c.image == ImageShape::MNIST => {
                Box::new(ImageData::new(digits.clone(), c.model.normalisation()))
            }
            // Speed does not depend on the pixels: uniform noise stands in for resized digits.
            ModelConfig::Image(c) => Box::new(UniformData { dim: c.image.len() }),
        }
    }
}

fn toy_gan() -> GanConfig {
    let shape = MlpShape {
        hidden_layers: 2,
        neurons: 16,
        activation: Activation::Relu,
    };
    let adam = OptimizerSpec::new(OptimizerKind::Adam, 2e-4);
    GanConfig {
        generator: shape.clone(),
        discriminator: shape,
        noise_dim: 2,
        noise: NoiseKind::Gaussian,
        loss: LossKind::NonSaturating,
        d_optimizer: adam.clone(),
        g_optimizer: adam,
        batch_size: 256,
        ..GanConfig::default()
    }
}

fn image_case(
    name: &'static str,
    kind: ImageModelKind,
    scale: Scale,
    image: ImageShape,
    what: &str,
) -> BenchCase {
    let c = ImageModelConfig::preset(kind, scale, image);
    BenchCase {
        name,
        description: format!("{what}, batch {}, Adam", c.batch_size),
        config: c.into(),
    }
}

/// DESIGN §4's reference network: G 64-256-256-784, D 784-256-256-1, batch 64 (the seeds' MLP
/// GAN's layers, dropout and Adam, only narrower).
fn small_mlp_gan() -> BenchCase {
    let c = ImageModelConfig {
        latent_dim: 64,
        hidden: vec![256, 256],
        ..ImageModelConfig::preset(ImageModelKind::GanMlp, Scale::Page, ImageShape::MNIST)
    };
    BenchCase {
        name: "mlp-small",
        description: format!(
            "MLP GAN: G 64-256-256-784, D 784-256-256-1, batch {}, Adam",
            c.batch_size
        ),
        config: c.into(),
    }
}

/// The toy GAN and the page-size image models; with `full_size`, also the CLI's 64x64 DCGAN.
pub fn bench_cases(full_size: bool) -> Vec<BenchCase> {
    let mnist = ImageShape::MNIST;
    let mut cases = vec![
        BenchCase {
            name: "toy",
            description: "toy MLP GAN: G 2-16-16-2, D 2-16-16-1, batch 256, Adam".into(),
            config: toy_gan().into(),
        },
        small_mlp_gan(),
        image_case(
            "mlp-gan",
            ImageModelKind::GanMlp,
            Scale::Page,
            mnist,
            "MLP GAN: G 100-256-512-1024-784, D 784-1024-512-256-1",
        ),
        image_case(
            "dcgan",
            ImageModelKind::Dcgan,
            Scale::Page,
            mnist,
            "page DCGAN 28x28, width 16",
        ),
        image_case(
            "vae",
            ImageModelKind::Vae,
            Scale::Page,
            mnist,
            "page VAE 784-256-2",
        ),
    ];
    if full_size {
        cases.push(image_case(
            "dcgan-64",
            ImageModelKind::Dcgan,
            Scale::Full,
            ImageShape::square(1, 64),
            "full-size DCGAN 64x64, width 64",
        ));
    }
    cases
}
