//! A frame read back from the device, taken into the model's charts and views: the same on the
//! page whether the frame was trained on the page or in the training worker.

use ganplay_model::{Losses, divergence_message};

use super::{Engine, LossPoint, View};
use crate::protocol::Frame;

/// What one read-back brings to the page.
pub struct Progress {
    /// The model it belongs to; results for a replaced model are dropped.
    pub generation: u64,
    pub steps: u64,
    /// Discriminator and generator losses (GANs), reconstruction and KL terms (VAEs).
    pub losses: [Option<f32>; 2],
    pub view: Option<View>,
    pub steps_per_sec: Option<f64>,
    pub diverged: Option<String>,
}

impl Engine {
    /// Whether `first`/`second` say training diverged at `steps`.
    pub fn divergence(&self, steps: u64, [first, second]: [Option<f32>; 2]) -> Option<String> {
        let read =
            Losses::of(self.session.config()).with([first.unwrap_or(0.0), second.unwrap_or(0.0)]);
        divergence_message(steps, &read)
    }

    /// Records the frame's losses and view for the charts and unpacks its view. A view packed
    /// for other view settings (the class changed while it was on its way) is dropped.
    pub fn absorb(&mut self, frame: Frame) -> Result<Progress, String> {
        let Frame {
            generation,
            steps,
            losses: [first, second],
            view,
            steps_per_sec,
            diverged,
            ..
        } = frame;
        let previous = self.history.last().copied();
        if first.is_some() || second.is_some() {
            self.record(LossPoint {
                step: steps,
                first: first.or(previous.map(|p| p.first)).unwrap_or(f32::NAN),
                second: second.or(previous.map(|p| p.second)).unwrap_or(f32::NAN),
            });
        }
        let view = match view {
            Some((revision, values)) if revision == self.view_revision => {
                let view = self.view_from(&values)?;
                self.record_view(steps, &view);
                Some(view)
            }
            _ => None,
        };
        Ok(Progress {
            generation,
            steps,
            losses: [first, second],
            view,
            steps_per_sec,
            diverged,
        })
    }
}
