//! What a step reports: the two losses of one update, typed by model family so no caller has to
//! remember which number is which.

use burn::tensor::Tensor;

use crate::config::image::ModelConfig;

/// The losses of one full step: on the device (`Losses<Tensor<1>>`, from
/// [`TrainSession::step`](super::TrainSession::step)) or read back (`Losses<f32>`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Losses<T> {
    Gan {
        discriminator: T,
        generator: T,
    },
    /// The two terms of the negative ELBO.
    Vae {
        reconstruction: T,
        kl: T,
    },
}

impl Losses<()> {
    /// The kind of losses a model's steps report, known before any step (log headers, legends).
    pub fn of(config: &ModelConfig) -> Self {
        match config.image() {
            Some(c) if c.model.trains_on_elbo() => Losses::Vae {
                reconstruction: (),
                kl: (),
            },
            _ => Losses::Gan {
                discriminator: (),
                generator: (),
            },
        }
    }
}

impl<T> Losses<T> {
    /// Display names, in [`Self::values`] order.
    pub fn names(&self) -> [&'static str; 2] {
        match self {
            Losses::Gan { .. } => ["discriminator", "generator"],
            Losses::Vae { .. } => ["reconstruction", "KL"],
        }
    }

    /// The values, in [`Self::names`] order.
    pub fn into_values(self) -> [T; 2] {
        match self {
            Losses::Gan {
                discriminator,
                generator,
            } => [discriminator, generator],
            Losses::Vae { reconstruction, kl } => [reconstruction, kl],
        }
    }

    pub fn values(&self) -> [T; 2]
    where
        T: Clone,
    {
        self.clone().into_values()
    }

    /// The same kind of losses holding `values` (in [`Self::names`] order).
    pub fn with<U>(&self, values: [U; 2]) -> Losses<U> {
        let [a, b] = values;
        match self {
            Losses::Gan { .. } => Losses::Gan {
                discriminator: a,
                generator: b,
            },
            Losses::Vae { .. } => Losses::Vae {
                reconstruction: a,
                kl: b,
            },
        }
    }
}

impl Losses<Tensor<1>> {
    /// Both losses in one tensor, so one read-back fetches both; [`Self::unpacked`] reads it.
    pub fn packed(&self) -> Tensor<1> {
        Tensor::cat(self.values().to_vec(), 0)
    }

    /// The read-back of [`Self::packed`] as values; `None` unless it holds exactly two.
    pub fn unpacked(&self, values: &[f32]) -> Option<Losses<f32>> {
        let values: [f32; 2] = values.try_into().ok()?;
        Some(self.with(values))
    }
}

/// `None` while every loss is finite; otherwise what went wrong and what to do, worded for the
/// page's banner and the CLI's error alike.
pub fn divergence_message(step: u64, losses: &Losses<f32>) -> Option<String> {
    let (name, value) = losses
        .names()
        .into_iter()
        .zip(losses.values())
        .find(|(_, v)| !v.is_finite())?;
    let what = if value.is_nan() { "NaN" } else { "infinite" };
    Some(format!(
        "Training diverged at step {step}: the {name} loss became {what}. \
         Lower the learning rates or pick another loss, and start again."
    ))
}

#[cfg(test)]
mod tests {
    use burn::tensor::Device;

    use super::*;
    use crate::config::GanConfig;
    use crate::config::image::{ImageModelConfig, ImageModelKind, Scale};
    use crate::data::ImageShape;

    fn gan(d: f32, g: f32) -> Losses<f32> {
        Losses::Gan {
            discriminator: d,
            generator: g,
        }
    }

    #[test]
    fn divergence_is_named() {
        assert_eq!(divergence_message(3, &gan(0.5, 0.7)), None);
        let m = divergence_message(12, &gan(f32::NAN, 0.7)).unwrap();
        assert!(
            m.contains("step 12") && m.contains("discriminator loss became NaN"),
            "{m}"
        );
        assert!(
            divergence_message(1, &gan(0.1, f32::INFINITY))
                .unwrap()
                .contains("generator loss became infinite")
        );
        let vae = Losses::Vae {
            reconstruction: 1.0,
            kl: f32::NAN,
        };
        assert!(
            divergence_message(1, &vae)
                .unwrap()
                .contains("KL loss became NaN")
        );
    }

    #[test]
    fn the_kind_follows_the_config() {
        assert_eq!(
            Losses::of(&GanConfig::default().into()).names(),
            ["discriminator", "generator"]
        );
        let vae = ImageModelConfig::preset(ImageModelKind::Cvae, Scale::Page, ImageShape::MNIST);
        assert_eq!(
            Losses::of(&vae.into()).with([1.0, 2.0]),
            Losses::Vae {
                reconstruction: 1.0,
                kl: 2.0
            }
        );
    }

    #[test]
    fn packed_losses_read_back_in_order() {
        let device = Device::flex();
        let scalar = |v: f32| Tensor::<1>::from_floats([v], &device);
        let losses = Losses::Vae {
            reconstruction: scalar(3.0),
            kl: scalar(0.5),
        };
        let flat = losses
            .packed()
            .into_data()
            .try_into_vec_as::<f32>()
            .unwrap();
        assert_eq!(
            losses.unpacked(&flat),
            Some(Losses::Vae {
                reconstruction: 3.0,
                kl: 0.5
            })
        );
        assert_eq!(losses.unpacked(&[1.0]), None);
    }
}
