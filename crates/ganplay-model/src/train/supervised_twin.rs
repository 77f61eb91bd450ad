//! The semi-supervised classifier's twin trained on the labelled images alone: what the
//! unlabelled images and the generative model add is the difference between the two.

use burn::module::Module;
use burn::optim::GradientsParams;
use burn::tensor::Tensor;

use super::objectives::supervised_loss;
use super::optimizer::{Optimizer, optimizer};
use crate::config::{OptimizerKind, OptimizerSettings};
use crate::nets::ssgan::{NoiseDraw, SsganDiscriminator};

/// The classifier as initialised, until tracking starts; then the twin and its optimiser.
pub(crate) enum SupervisedTwin {
    NotTracked(SsganDiscriminator),
    Tracked(SsganDiscriminator, Optimizer),
}

impl SupervisedTwin {
    /// Starts training the twin from the initial weights (no-op once started).
    pub(super) fn track(&mut self, settings: &OptimizerSettings) {
        if let SupervisedTwin::NotTracked(initial) = self {
            *self =
                SupervisedTwin::Tracked(initial.clone(), optimizer(OptimizerKind::Adam, settings));
        }
    }

    /// One update on the labelled batch the model itself trained on, when tracked.
    pub(super) fn update(
        &mut self,
        labelled: Tensor<2>,
        targets: Tensor<2>,
        learning_rate: f64,
        noise: NoiseDraw<'_>,
    ) {
        if let SupervisedTwin::Tracked(twin, optimizer) = self {
            let logits = twin.forward(labelled, Some(noise)).logits;
            let grads = without_fixed_scales(
                GradientsParams::from_grads(supervised_loss(logits, targets).backward(), &*twin),
                twin,
            );
            *twin = optimizer.step(learning_rate, twin.clone(), grads);
        }
    }

    /// Class logits of the twin (evaluation network); `None` until tracked.
    pub(super) fn class_logits(&self, images: Tensor<2>) -> Option<Tensor<2>> {
        match self {
            SupervisedTwin::Tracked(twin, _) => Some(twin.valid().forward(images, None).logits),
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
