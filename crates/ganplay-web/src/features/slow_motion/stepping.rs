//! The slow motion in the page: which phase is shown, the network a single update last changed,
//! and the model overview that draws both.

use std::rc::Rc;

use yew::prelude::*;

use super::overview::Overview;
use super::{Phase, Updated, active_parts};
use crate::app::{App, Msg};
use crate::engine::{Parts, StepKind, View};

/// What the overview highlights.
#[derive(Default)]
pub struct SlowMotion {
    /// The phase shown, once the user has started it.
    phase: Option<Phase>,
    /// The network the last single update changed.
    last_update: Option<Updated>,
}

impl SlowMotion {
    /// Training or a whole step leaves the slow motion.
    pub fn leave(&mut self) {
        self.phase = None;
    }

    /// A single update (or a whole step) was asked for: the overview lights what it changes.
    pub fn single_step(&mut self, kind: StepKind) {
        self.phase = None;
        self.last_update = match kind {
            StepKind::Discriminator => Some(Updated::Discriminator),
            StepKind::Generator => Some(Updated::Generator),
            StepKind::Full => None,
        };
    }
}

impl App {
    /// Shows the next phase of a step; the two update phases run that update on the model for
    /// real.
    pub(crate) fn advance_slow_motion(&mut self, ctx: &Context<Self>) {
        if !self.can_start() {
            return;
        }
        let phase = self.slow_motion.phase.map_or(Phase::ALL[0], Phase::next);
        match phase.update() {
            Some(Updated::Discriminator) => self.step_once(ctx, StepKind::Discriminator),
            Some(Updated::Generator) => self.step_once(ctx, StepKind::Generator),
            None => {}
        }
        self.slow_motion.phase = Some(phase);
    }

    /// 2D GANs: the model overview with its slow motion.
    pub(crate) fn view_overview(&self, link: &html::Scope<Self>) -> Html {
        let engine = self.engine.borrow();
        let Some(Parts::Toy(p)) = engine.as_ref().map(|e| &e.parts) else {
            return html! {};
        };
        let (generated, surface) = match &self.readout.view {
            Some(View::Toy {
                generated, surface, ..
            }) => (generated.clone(), surface.clone()),
            _ => (Rc::from([]), None),
        };
        let motion = &self.slow_motion;
        let active = active_parts(
            motion.phase,
            self.activity.is_training(),
            motion.last_update,
        );
        let can_advance = self.can_start();
        html! {
            <Overview {active} extent={p.extent} noise={p.noise_preview.clone()} real={p.real_points.clone()}
                {generated} {surface} losses={self.readout.losses} phase={motion.phase} {can_advance}
                on_advance={link.callback(|_| Msg::SlowMotion)} />
        }
    }
}
