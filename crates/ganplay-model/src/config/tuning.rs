//! The finer settings of the image models' networks and their training: each defaults to the
//! value of the paper the model follows, so most runs never change them.

use serde::{Deserialize, Serialize};

use super::image::image_limits;
use super::{ConfigError, check_range, limits};

/// Settings below the knobs a user usually turns. A weight file records them only when one
/// differs from its default, so files of default runs read as before.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tuning {
    /// Slope of LeakyReLU's negative side in the discriminators that use it (DCGAN's 0.2).
    pub leaky_slope: f64,
    /// Standard deviation of DCGAN's initialisation: convolution weights N(0, σ), batch-norm
    /// scales N(1, σ).
    pub init_std: f64,
    /// DiffAugment's largest shift each way, as a fraction of the image's side (1/8).
    pub diff_augment_shift: f64,
    /// DiffAugment's cut-out square, its side as a fraction of the image's side (1/2).
    pub diff_augment_cutout: f64,
    /// Semi-supervised GAN: σ of the Gaussian noise on the discriminator's input (0.3).
    pub input_noise: f32,
    /// Semi-supervised GAN: σ of the Gaussian noise after each hidden layer (0.5).
    pub hidden_noise: f32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            leaky_slope: 0.2,
            init_std: 0.02,
            diff_augment_shift: 0.125,
            diff_augment_cutout: 0.5,
            input_noise: 0.3,
            hidden_noise: 0.5,
        }
    }
}

impl Tuning {
    pub fn is_default(&self) -> bool {
        *self == Tuning::default()
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        check_range("LeakyReLU slope", self.leaky_slope, &limits::LEAKY_SLOPE)?;
        check_range("initialisation σ", self.init_std, &(0.0..=1.0))?;
        check_range("DiffAugment shift", self.diff_augment_shift, &(0.0..=0.5))?;
        check_range("DiffAugment cutout", self.diff_augment_cutout, &(0.0..=1.0))?;
        check_range("input noise", self.input_noise, &image_limits::NOISE)?;
        check_range("hidden noise", self.hidden_noise, &image_limits::NOISE)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_take_their_defaults() {
        let tuning: Tuning = serde_json::from_str(r#"{"leaky_slope":0.1}"#).unwrap();
        assert_eq!(
            tuning,
            Tuning {
                leaky_slope: 0.1,
                ..Tuning::default()
            }
        );
        assert!(Tuning::default().is_default());
        assert!(!tuning.is_default());
    }

    #[test]
    fn out_of_range_settings_are_refused() {
        let bad = Tuning {
            diff_augment_shift: 0.9,
            ..Tuning::default()
        };
        assert_eq!(bad.validate().unwrap_err().field, "DiffAugment shift");
        let nan = Tuning {
            input_noise: f32::NAN,
            ..Tuning::default()
        };
        assert!(nan.validate().is_err());
        Tuning::default().validate().unwrap();
    }
}
