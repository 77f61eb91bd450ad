//! Adam and SGD over a module's parameters, built from a config's settings (every knob comes
//! from the config, so a weight file records how its weights were trained).
//!
//! The arithmetic is Burn's (`burn::optim::Adam`, `Sgd` without momentum), written here so that
//! the state, Adam's moment estimates, is ours: it can be read back asynchronously (a browser's
//! WebGPU cannot read synchronously) and restored onto the session's own device, which Burn's
//! optimiser record does not allow. A test checks the updates against Burn's.

use std::collections::HashMap;

use burn::module::{Module, ModuleMapper, Param, ParamId};
use burn::optim::GradientsParams;
use burn::tensor::Tensor;

use crate::config::{OptimizerKind, OptimizerSettings};

/// One optimiser with its per-parameter state.
#[derive(Clone)]
pub(crate) struct Optimizer {
    kind: OptimizerKind,
    settings: OptimizerSettings,
    moments: HashMap<ParamId, Moments>,
}

/// Adam's running estimates for one parameter, flattened to one dimension.
#[derive(Clone)]
pub(crate) struct Moments {
    /// Updates made so far, for the bias correction.
    pub(crate) time: u32,
    pub(crate) first: Tensor<1>,
    pub(crate) second: Tensor<1>,
}

pub(crate) fn optimizer(kind: OptimizerKind, settings: &OptimizerSettings) -> Optimizer {
    Optimizer {
        kind,
        settings: settings.clone(),
        moments: HashMap::new(),
    }
}

impl Optimizer {
    /// Updates every parameter of `module` that has a gradient in `grads`.
    pub(crate) fn step<M: Module>(
        &mut self,
        learning_rate: f64,
        module: M,
        mut grads: GradientsParams,
    ) -> M {
        module.map(&mut Update {
            optimizer: self,
            grads: &mut grads,
            learning_rate,
        })
    }

    /// The state, one entry per parameter updated so far.
    pub(crate) fn moments(&self) -> &HashMap<ParamId, Moments> {
        &self.moments
    }

    /// Replaces the state (the caller checked that it belongs to this optimiser's parameters).
    pub(crate) fn set_moments(&mut self, moments: HashMap<ParamId, Moments>) {
        self.moments = moments;
    }

    /// The new value of one parameter (both on the inner, non-autodiff backend).
    fn update<const D: usize>(
        &mut self,
        id: ParamId,
        value: Tensor<D>,
        mut grad: Tensor<D>,
        learning_rate: f64,
    ) -> Tensor<D> {
        let s = &self.settings;
        if s.weight_decay > 0.0 {
            grad = value.clone().mul_scalar(s.weight_decay).add(grad);
        }
        let delta = match self.kind {
            OptimizerKind::Sgd => grad,
            OptimizerKind::Adam => {
                let shape = grad.shape();
                let flat: Tensor<1> = grad.reshape([shape.num_elements()]);
                let moments = match self.moments.remove(&id) {
                    Some(m) => Moments {
                        time: m.time + 1,
                        first: m
                            .first
                            .mul_scalar(s.beta_1)
                            .add(flat.clone().mul_scalar(1.0 - s.beta_1)),
                        second: m
                            .second
                            .mul_scalar(s.beta_2)
                            .add(flat.square().mul_scalar(1.0 - s.beta_2)),
                    },
                    None => Moments {
                        time: 1,
                        first: flat.clone().mul_scalar(1.0 - s.beta_1),
                        second: flat.square().mul_scalar(1.0 - s.beta_2),
                    },
                };
                let time = moments.time as i32;
                let bias_correction2_sqrt = (1.0 - s.beta_2.powi(time)).sqrt();
                let combined_factor = bias_correction2_sqrt / (1.0 - s.beta_1.powi(time));
                let direction = moments.first.clone().mul_scalar(combined_factor).div(
                    moments
                        .second
                        .clone()
                        .sqrt()
                        .add_scalar(s.epsilon * bias_correction2_sqrt),
                );
                self.moments.insert(id, moments);
                direction.reshape(shape)
            }
        };
        value - delta.mul_scalar(learning_rate)
    }
}

/// Walks a module, replacing each parameter that has a gradient by its updated value.
struct Update<'a> {
    optimizer: &'a mut Optimizer,
    grads: &'a mut GradientsParams,
    learning_rate: f64,
}

impl ModuleMapper for Update<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, value, mapper) = param.consume();
        let Some(grad) = self.grads.remove::<D>(id) else {
            return Param::from_mapped_value(id, value, mapper);
        };
        // The updated value leaves the autodiff graph and comes back with the parameter's own
        // autodiff settings (as Burn's optimisers do).
        let require_grad = value.is_require_grad();
        let checkpointing = value.gradient_checkpointing_strategy();
        let updated = self
            .optimizer
            .update(id, value.inner(), grad, self.learning_rate);
        let mut value = Tensor::from_inner(updated);
        if let Some(strategy) = checkpointing {
            value = value.with_gradient_checkpointing_strategy(strategy);
        }
        if require_grad {
            value = value.require_grad();
        }
        Param::from_mapped_value(id, value, mapper)
    }
}

#[cfg(test)]
mod tests {
    use burn::nn::{Linear, LinearConfig};
    use burn::optim::decay::WeightDecayConfig;
    use burn::optim::{AdamConfig, GradientsParams, SgdConfig};
    use burn::tensor::{Device, Distribution, Tensor};

    use super::optimizer;
    use crate::config::{OptimizerKind, OptimizerSettings};

    fn loss(net: &Linear, x: Tensor<2>) -> Tensor<1> {
        net.forward(x).tanh().powi_scalar(2).mean()
    }

    /// Three updates of one network by ours and by Burn's optimiser of the same settings.
    fn both(kind: OptimizerKind) -> (Vec<f32>, Vec<f32>) {
        let device = Device::flex().autodiff();
        let settings = OptimizerSettings {
            beta_1: 0.5,
            weight_decay: 0.01,
            ..OptimizerSettings::default()
        };
        let decay = Some(WeightDecayConfig::new(settings.weight_decay));
        let mut burns = match kind {
            OptimizerKind::Adam => AdamConfig::new()
                .with_beta_1(settings.beta_1)
                .with_beta_2(settings.beta_2)
                .with_epsilon(settings.epsilon)
                .with_weight_decay(decay)
                .init(),
            OptimizerKind::Sgd => SgdConfig::new().with_weight_decay(decay).init(),
        };
        let mut ours = optimizer(kind, &settings);
        let start = LinearConfig::new(6, 4).init(&device);
        let (mut a, mut b) = (start.clone(), start);
        for _ in 0..3 {
            let x = Tensor::<2>::random([8, 6], Distribution::Normal(0.0, 1.0), &device);
            let grads = GradientsParams::from_grads(loss(&a, x.clone()).backward(), &a);
            a = ours.step(1e-2, a, grads);
            let grads = GradientsParams::from_grads(loss(&b, x).backward(), &b);
            b = burns.step(1e-2, b, grads);
        }
        let values = |net: Linear| {
            let weight = net.weight.val().inner().reshape([-1]);
            let bias = net.bias.unwrap().val().inner();
            Tensor::cat(vec![weight, bias], 0)
                .into_data()
                .try_into_vec_as::<f32>()
                .unwrap()
        };
        (values(a), values(b))
    }

    #[test]
    fn updates_match_burns_adam_and_sgd() {
        for kind in [OptimizerKind::Adam, OptimizerKind::Sgd] {
            let (ours, burns) = both(kind);
            let worst = ours
                .iter()
                .zip(&burns)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(worst < 1e-6, "{kind:?}: largest difference {worst}");
        }
    }

    #[test]
    fn parameters_stay_trainable_after_an_update() {
        let device = Device::flex().autodiff();
        let net = LinearConfig::new(3, 2).init(&device);
        let x = Tensor::<2>::ones([2, 3], &device);
        let grads = GradientsParams::from_grads(loss(&net, x.clone()).backward(), &net);
        let mut adam = optimizer(OptimizerKind::Adam, &OptimizerSettings::default());
        let net = adam.step(1e-2, net, grads);
        assert!(net.weight.val().is_require_grad());
        let grads = GradientsParams::from_grads(loss(&net, x).backward(), &net);
        assert_eq!(
            grads.len(),
            2,
            "the weight and the bias still get gradients"
        );
        assert_eq!(adam.moments().len(), 2);
    }
}
