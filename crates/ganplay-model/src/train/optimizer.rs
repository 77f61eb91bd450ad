//! Optimisers built from a config's settings: every knob (betas, epsilon, weight decay) comes
//! from the config, so a weight file records how its weights were trained.

use burn::optim::decay::WeightDecayConfig;
use burn::optim::{AdamConfig, ModuleOptimizer, SgdConfig};

use crate::config::{OptimizerKind, OptimizerSettings};

pub(crate) fn optimizer(kind: OptimizerKind, settings: &OptimizerSettings) -> ModuleOptimizer {
    // Burn's weight decay is off unless configured; 0 keeps it off.
    let decay =
        (settings.weight_decay > 0.0).then(|| WeightDecayConfig::new(settings.weight_decay));
    match kind {
        OptimizerKind::Adam => AdamConfig::new()
            .with_beta_1(settings.beta_1)
            .with_beta_2(settings.beta_2)
            .with_epsilon(settings.epsilon)
            .with_weight_decay(decay)
            .init(),
        OptimizerKind::Sgd => SgdConfig::new().with_weight_decay(decay).init(),
    }
}
