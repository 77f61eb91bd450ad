//! The semi-supervised classifier's twin trained on the labelled images alone: what the
//! unlabelled images and the generative model add is the difference between the two.

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::Tensor;

use super::moving_average::{blend, effective_decay};
use super::objectives::supervised_loss;
use super::optimizer::{Optimizer, optimizer};
use crate::config::{OptimizerKind, OptimizerSettings};
use crate::nets::ssgan::{NoiseDraw, SsganDiscriminator};

/// The classifier as initialised, until tracking starts; then the twin, its optimiser and, when
/// the model's classifier is a moving average, the twin's own average with the same decay.
pub(crate) enum SupervisedTwin {
    NotTracked(SsganDiscriminator),
    Tracked {
        twin: SsganDiscriminator,
        optimizer: Optimizer,
        average: Option<Box<Average>>,
    },
}

/// A moving average of the twin's weights and its decay.
pub(crate) struct Average {
    weights: SsganDiscriminator,
    decay: f64,
}

impl SupervisedTwin {
    /// Starts training the twin from the initial weights, averaged with `average_decay` when
    /// that is not 0 (no-op once started).
    pub(super) fn track(&mut self, settings: &OptimizerSettings, average_decay: f64) {
        if let SupervisedTwin::NotTracked(initial) = self {
            let average = (average_decay > 0.0).then(|| {
                Box::new(Average {
                    weights: initial.valid(),
                    decay: average_decay,
                })
            });
            *self = SupervisedTwin::Tracked {
                twin: initial.clone(),
                optimizer: optimizer(OptimizerKind::Adam, settings),
                average,
            };
        }
    }

    /// One update on the labelled batch the model itself trained on (`step` updates done),
    /// when tracked.
    pub(super) fn update(
        &mut self,
        labelled: Tensor<2>,
        targets: Tensor<2>,
        learning_rate: f64,
        step: u64,
        noise: NoiseDraw<'_>,
    ) {
        if let SupervisedTwin::Tracked {
            twin,
            optimizer,
            average,
        } = self
        {
            let logits = twin.forward(labelled, Some(noise)).logits;
            let grads = without_fixed_scales(
                GradientsParams::from_grads(supervised_loss(logits, targets).backward(), &*twin),
                twin,
            );
            *twin = optimizer.step(learning_rate, twin.clone(), grads);
            if let Some(average) = average {
                let decay = effective_decay(average.decay, step);
                average.weights = blend(&average.weights, twin, decay);
            }
        }
    }

    /// Class logits of the twin, or of its average when there is one (evaluation network);
    /// `None` until tracked.
    pub(super) fn class_logits(&self, images: Tensor<2>) -> Option<Tensor<2>> {
        match self {
            SupervisedTwin::Tracked { twin, average, .. } => {
                let classifier = average.as_ref().map_or(twin, |a| &a.weights);
                Some(classifier.valid().forward(images, None).logits)
            }
            SupervisedTwin::NotTracked(_) => None,
        }
    }
}

/// Gradients without the classifier's fixed weight lengths (see
/// [`SsganDiscriminator::fixed_scales`]).
pub(super) fn without_fixed_scales(
    mut grads: GradientsParams,
    classifier: &SsganDiscriminator,
) -> GradientsParams {
    for id in classifier.fixed_scales() {
        grads.remove::<1>(id);
    }
    grads
}
