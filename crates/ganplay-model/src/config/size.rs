//! Whether a config can be built at all: its structure, and how many parameters its networks
//! would hold. Every config passes here before a network is allocated, whether a user typed it
//! or a weight file carried it, so no file can ask for more memory than a machine has.

use super::image::{ImageModelConfig, ImageModelKind, ModelConfig};
use super::{ConfigError, GanConfig, knobs};
use crate::config::ConvPlan;

/// The most parameters a model's networks may hold together: 200 MB of f32, about six times the
/// largest preset (the full-size DCGAN), so training with Adam stays under a gigabyte.
pub const MAX_PARAMETERS: u64 = 50_000_000;

/// Refuses networks of more than [`MAX_PARAMETERS`] parameters.
pub(crate) fn check_parameter_count(count: u64) -> Result<(), ConfigError> {
    if count > MAX_PARAMETERS {
        return Err(ConfigError {
            field: "network size",
            message: format!(
                "the networks would hold {count} parameters; the limit is {MAX_PARAMETERS}"
            ),
        });
    }
    Ok(())
}

/// Values per point of the 2D GANs' data.
const TOY_DIM: usize = 2;

impl ModelConfig {
    /// Checks ranges (image models), structure (2D GANs) and size, before anything is built.
    pub fn check_buildable(&self) -> Result<(), ConfigError> {
        match self {
            ModelConfig::Toy(c) => c.check_structure()?,
            ModelConfig::Image(c) => c.validate()?,
        }
        check_parameter_count(self.parameter_count())
    }

    /// Weights and biases of every network the config describes (saturating: a config from a
    /// damaged file may name sizes whose product overflows).
    pub fn parameter_count(&self) -> u64 {
        match self {
            ModelConfig::Toy(c) => c.parameter_count(),
            ModelConfig::Image(c) => c.parameter_count(),
        }
    }
}

impl GanConfig {
    /// Sizes every network needs to exist, and packs that fit a batch. The playground's
    /// narrower knob ranges are [`GanConfig::validate`]'s job.
    pub(crate) fn check_structure(&self) -> Result<(), ConfigError> {
        let positive = |field: &'static str, v: usize| {
            if v == 0 {
                Err(ConfigError {
                    field,
                    message: "must be at least 1".into(),
                })
            } else {
                Ok(())
            }
        };
        positive(knobs::NOISE_DIM.label, self.noise_dim)?;
        positive(knobs::G_NEURONS.label, self.generator.neurons)?;
        positive(knobs::D_NEURONS.label, self.discriminator.neurons)?;
        positive(knobs::BATCH_SIZE.label, self.batch_size)?;
        positive(knobs::D_STEPS.label, self.d_steps)?;
        positive(knobs::G_STEPS.label, self.g_steps)?;
        positive(knobs::PACKING.label, self.packing)?;
        if self.batch_size < self.packing {
            return Err(ConfigError {
                field: knobs::PACKING.label,
                message: format!(
                    "packs of {} need a batch of at least {} samples, got {}",
                    self.packing, self.packing, self.batch_size
                ),
            });
        }
        for (field, lr) in [
            (knobs::G_LR.label, self.g_optimizer.learning_rate),
            (knobs::D_LR.label, self.d_optimizer.learning_rate),
        ] {
            if !(lr.is_finite() && lr > 0.0) {
                return Err(ConfigError {
                    field,
                    message: format!("must be a positive number, got {lr}"),
                });
            }
        }
        Ok(())
    }

    fn parameter_count(&self) -> u64 {
        let (g, d) = (&self.generator, &self.discriminator);
        let repeat = |n: usize, width: usize| std::iter::repeat_n(width, n.min(1 << 20));
        let generator = dense(
            [self.noise_dim]
                .into_iter()
                .chain(repeat(g.hidden_layers, g.neurons))
                .chain([TOY_DIM]),
        );
        let critic = dense(
            [TOY_DIM.saturating_mul(self.packing)]
                .into_iter()
                .chain(repeat(d.hidden_layers, d.neurons))
                .chain([1]),
        );
        generator.saturating_add(critic)
    }
}

impl ImageModelConfig {
    fn parameter_count(&self) -> u64 {
        let pixels = self.image.len();
        let classes = self.classes().max(self.classified_classes());
        let hidden = || self.hidden.iter().copied();
        let mlp_generator = || {
            dense(
                [self.latent_dim + classes]
                    .into_iter()
                    .chain(hidden())
                    .chain([pixels]),
            )
        };
        let vae = || {
            let last = self.hidden.last().copied().unwrap_or(0);
            dense([pixels + classes].into_iter().chain(hidden()))
                .saturating_add(2 * dense([last, self.latent_dim]))
                .saturating_add(dense(
                    [self.latent_dim + classes]
                        .into_iter()
                        .chain(hidden().rev())
                        .chain([pixels]),
                ))
        };
        let classifier = || {
            dense(
                [pixels]
                    .into_iter()
                    .chain(self.discriminator_hidden.iter().copied())
                    .chain([classes]),
            )
        };
        match self.model {
            ImageModelKind::Vae | ImageModelKind::Cvae => vae(),
            ImageModelKind::M2 => vae().saturating_add(classifier()),
            ImageModelKind::Ssgan => mlp_generator().saturating_add(classifier()),
            ImageModelKind::GanMlp => {
                let critic = dense(
                    [pixels + classes]
                        .into_iter()
                        .chain(hidden().rev())
                        .chain([1]),
                );
                // The generator's moving average is a second copy of it.
                let copies = if self.ema > 0.0 { 2 } else { 1 };
                mlp_generator()
                    .saturating_mul(copies)
                    .saturating_add(critic)
            }
            ImageModelKind::Dcgan | ImageModelKind::Cgan | ImageModelKind::Wgan => {
                let (generator, critic) = conv_pair(self, classes);
                let copies = if self.ema > 0.0 { 2 } else { 1 };
                generator.saturating_mul(copies).saturating_add(critic)
            }
        }
    }
}

/// A convolutional generator and its mirrored critic (their counts, in that order): 4x4
/// kernels between the plan's stages, a dense projection at the smallest map.
fn conv_pair(config: &ImageModelConfig, classes: usize) -> (u64, u64) {
    let Ok(plan) = ConvPlan::for_image(config.image) else {
        return (0, 0);
    };
    let channels = |i: usize| (config.conv_width as u64).saturating_mul(1 << (plan.stages - 1 - i));
    let smallest = (plan.start * plan.start) as u64;
    let mut convs = 0u64;
    for i in 0..plan.stages {
        let next = if i + 1 < plan.stages {
            channels(i + 1)
        } else {
            config.image.channels as u64
        };
        convs = convs.saturating_add(channels(i).saturating_mul(next).saturating_mul(16));
    }
    let projection = smallest
        .saturating_mul(channels(0))
        .saturating_mul((config.latent_dim + classes) as u64 + 1);
    // The critic mirrors the convolutions and ends in one score (and a class embedding).
    let score = smallest.saturating_mul(channels(0)).saturating_add(1);
    (
        convs.saturating_add(projection),
        convs
            .saturating_add(score)
            .saturating_add(channels(0).saturating_mul(classes as u64)),
    )
}

/// Weights and biases of dense layers between consecutive widths.
fn dense(widths: impl IntoIterator<Item = usize>) -> u64 {
    let widths: Vec<u64> = widths.into_iter().map(|w| w as u64).collect();
    widths
        .windows(2)
        .map(|w| w[0].saturating_add(1).saturating_mul(w[1]))
        .fold(0, u64::saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::image::Scale;
    use crate::data::images::ImageShape;

    #[test]
    fn every_preset_fits_and_a_huge_network_is_refused_before_it_is_built() {
        for model in ImageModelKind::ALL {
            for scale in [Scale::Page, Scale::Full] {
                let shape = if scale == Scale::Full && model.is_convolutional() {
                    ImageShape {
                        channels: 3,
                        height: 64,
                        width: 64,
                    }
                } else {
                    ImageShape::MNIST
                };
                let config = ModelConfig::Image(ImageModelConfig::preset(*model, scale, shape));
                assert!(config.check_buildable().is_ok(), "{model:?} {scale:?}");
                assert!(config.parameter_count() > 10_000, "{model:?}");
            }
        }
        let mut vae = ImageModelConfig::preset(ImageModelKind::Vae, Scale::Page, ImageShape::MNIST);
        vae.hidden = vec![4096; 16];
        let error = ModelConfig::Image(vae).check_buildable().unwrap_err();
        assert_eq!(error.field, "network size", "{error}");
        let mut dcgan = ImageModelConfig::preset(
            ImageModelKind::Dcgan,
            Scale::Full,
            ImageShape {
                channels: 3,
                height: 256,
                width: 256,
            },
        );
        dcgan.conv_width = 512;
        assert!(ModelConfig::Image(dcgan).check_buildable().is_err());
    }

    #[test]
    fn the_count_matches_the_built_networks_of_the_page_presets() {
        use crate::data::StandIn;
        use crate::train::TrainSession;
        use burn::tensor::Device;
        for model in ImageModelKind::ALL {
            let config = ImageModelConfig::preset(*model, Scale::Page, ImageShape::MNIST);
            let estimate = ModelConfig::Image(config.clone()).parameter_count();
            let session = TrainSession::new(
                config.clone(),
                Box::new(StandIn::for_model(&config)),
                &Device::flex(),
            )
            .unwrap();
            let built: u64 = crate::weights::tensor_shapes(&session)
                .values()
                .map(|s| s.iter().product::<usize>() as u64)
                .sum();
            let ratio = estimate as f64 / built as f64;
            assert!(
                (0.8..1.25).contains(&ratio),
                "{model:?}: estimate {estimate}, built {built}"
            );
        }
    }

    #[test]
    fn a_toy_config_with_absurd_sizes_is_refused() {
        let mut config = GanConfig::default();
        config.generator.hidden_layers = usize::MAX;
        config.generator.neurons = 1 << 30;
        let error = ModelConfig::Toy(config).check_buildable().unwrap_err();
        assert_eq!(error.field, "network size");
    }
}
