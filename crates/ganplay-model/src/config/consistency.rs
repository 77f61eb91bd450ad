//! FixMatch's consistency loss inside the semi-supervised GAN's discriminator.

use serde::{Deserialize, Serialize};

/// Each discriminator update also labels the unlabelled batch with the discriminator's own
/// most likely class (no noise, no gradient) and, where that class's softmax probability
/// among the classes reaches `threshold`, trains the discriminator to give the same class to a
/// strongly distorted copy (`ClassicAugmentation::STRONG`), weighted by `weight` (Sohn et al.
/// 2020). It puts the self-training control's loss inside the generative model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Consistency {
    /// Weight of the loss against the discriminator's own; 0: off.
    pub weight: f32,
    pub threshold: f32,
}

impl Consistency {
    /// FixMatch's settings (λ 1, τ 0.95), as the self-training control uses them.
    pub const FIXMATCH: Consistency = Consistency {
        weight: 1.0,
        threshold: 0.95,
    };

    /// FixMatch's threshold with `weight`; a weight of 0 turns the loss off.
    pub fn with_weight(weight: f32) -> Consistency {
        Consistency::with(weight, Consistency::FIXMATCH.threshold)
    }

    /// The loss with `weight` and `threshold`; a weight of 0 turns it off (threshold dropped).
    pub fn with(weight: f32, threshold: f32) -> Consistency {
        if weight == 0.0 {
            Consistency::default()
        } else {
            Consistency { weight, threshold }
        }
    }

    pub fn is_off(&self) -> bool {
        self.weight == 0.0
    }
}
