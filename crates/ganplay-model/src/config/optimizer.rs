//! Optimiser settings. They are part of a model's config, so a weight file records how its
//! weights were trained; fields added later carry serde defaults equal to the values used before
//! them, so older files still load (and compare equal to a fresh default config).

use serde::{Deserialize, Serialize};

use super::{ConfigError, OptimizerKind, check_range};

/// One network's optimiser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerSpec {
    pub kind: OptimizerKind,
    pub learning_rate: f64,
    /// Written next to `kind` and `learning_rate` in JSON.
    #[serde(flatten)]
    pub settings: OptimizerSettings,
}

impl OptimizerSpec {
    /// The given optimiser with the default [`OptimizerSettings`].
    pub fn new(kind: OptimizerKind, learning_rate: f64) -> Self {
        OptimizerSpec {
            kind,
            learning_rate,
            settings: OptimizerSettings::default(),
        }
    }
}

/// Everything about an optimiser but its kind and learning rate. Adam reads all of it, SGD only
/// the weight decay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerSettings {
    /// Adam's first-moment decay. 0.5 rather than Adam's usual 0.9: the usual choice for GANs
    /// (DCGAN paper).
    #[serde(default = "defaults::beta_1")]
    pub beta_1: f32,
    /// Adam's second-moment decay.
    #[serde(default = "defaults::beta_2")]
    pub beta_2: f32,
    /// Adam's numerical-stability term (Burn's default).
    #[serde(default = "defaults::epsilon")]
    pub epsilon: f32,
    /// L2 penalty added to the gradients; 0 turns it off.
    #[serde(default)]
    pub weight_decay: f32,
}

impl Default for OptimizerSettings {
    fn default() -> Self {
        OptimizerSettings {
            beta_1: defaults::beta_1(),
            beta_2: defaults::beta_2(),
            epsilon: defaults::epsilon(),
            weight_decay: 0.0,
        }
    }
}

impl OptimizerSettings {
    /// Betas in [0, 1), a positive epsilon, a weight decay of at least 0.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (field, beta) in [("beta 1", self.beta_1), ("beta 2", self.beta_2)] {
            if !(0.0..1.0).contains(&beta) {
                return Err(ConfigError {
                    field,
                    message: format!("must be at least 0 and below 1, got {beta}"),
                });
            }
        }
        if !(self.epsilon.is_finite() && self.epsilon > 0.0) {
            return Err(ConfigError {
                field: "epsilon",
                message: format!("must be a positive number, got {}", self.epsilon),
            });
        }
        check_range("weight decay", self.weight_decay, &(0.0..=1.0))?;
        Ok(())
    }
}

/// The values every model trained with before they were settings.
mod defaults {
    pub fn beta_1() -> f32 {
        0.5
    }
    pub fn beta_2() -> f32 {
        0.999
    }
    pub fn epsilon() -> f32 {
        1e-5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_travel_with_the_spec_and_old_json_gets_the_old_values() {
        let spec = OptimizerSpec {
            settings: OptimizerSettings {
                beta_1: 0.9,
                weight_decay: 1e-4,
                ..OptimizerSettings::default()
            },
            ..OptimizerSpec::new(OptimizerKind::Adam, 2e-4)
        };
        let json = serde_json::to_string(&spec).unwrap();
        assert!(
            json.contains(r#""beta_1":0.9"#) && json.contains(r#""learning_rate":0.0002"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<OptimizerSpec>(&json).unwrap(), spec);
        let old: OptimizerSpec =
            serde_json::from_str(r#"{"kind":"adam","learning_rate":0.001}"#).unwrap();
        assert_eq!(old, OptimizerSpec::new(OptimizerKind::Adam, 1e-3));
        assert_eq!(
            (
                old.settings.beta_1,
                old.settings.beta_2,
                old.settings.epsilon
            ),
            (0.5, 0.999, 1e-5)
        );
        let bad = OptimizerSettings {
            beta_2: 1.0,
            ..OptimizerSettings::default()
        };
        assert_eq!(bad.validate().unwrap_err().field, "beta 2");
    }
}
