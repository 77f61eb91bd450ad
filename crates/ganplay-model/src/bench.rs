//! The benchmark cases, defined once for the CLI's `bench` command and the page's benchmark.

use crate::config::{Activation, GanConfig, LossKind, MlpShape, NoiseKind, OptimizerKind, OptimizerSpec};
use crate::data::{RealData, UniformData};
use crate::toy::{ToyDataset, ToyKind};

pub struct BenchCase {
    pub name: &'static str,
    pub description: &'static str,
    pub config: GanConfig,
}

impl BenchCase {
    pub fn data(&self) -> Box<dyn RealData> {
        if self.name == "toy" {
            Box::new(ToyDataset::new(ToyKind::Ring8, 0.05).expect("valid sigma"))
        } else {
            Box::new(UniformData { dim: 784 })
        }
    }
}

fn gan(noise_dim: usize, neurons: usize, batch_size: usize) -> GanConfig {
    let shape = MlpShape { hidden_layers: 2, neurons, activation: Activation::Relu };
    let adam = OptimizerSpec { kind: OptimizerKind::Adam, learning_rate: 2e-4 };
    GanConfig {
        generator: shape.clone(),
        discriminator: shape,
        noise_dim,
        noise: NoiseKind::Gaussian,
        loss: LossKind::NonSaturating,
        d_optimizer: adam.clone(),
        g_optimizer: adam,
        batch_size,
        ..GanConfig::default()
    }
}

/// Toy 2D GAN (G 2-16-16-2, D 2-16-16-1, batch 256) and image-sized MLP GAN
/// (G 64-256-256-784, D 784-256-256-1, batch 64), both with Adam.
pub fn bench_cases() -> Vec<BenchCase> {
    vec![
        BenchCase {
            name: "toy",
            description: "toy MLP GAN: G 2-16-16-2, D 2-16-16-1, batch 256, Adam",
            config: gan(2, 16, 256),
        },
        BenchCase {
            name: "image",
            description: "image-sized MLP GAN: G 64-256-256-784, D 784-256-256-1, batch 64, Adam",
            config: gan(64, 256, 64),
        },
    ]
}
