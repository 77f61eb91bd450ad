//! The parts of the page's layout that [`App::view`](yew::Component::view) puts together.

use ganplay_model::Losses;
use yew::prelude::*;

use super::{App, Msg};
use crate::components::plots::LossChart;
use crate::components::readouts::Readouts;
use crate::components::transport::Transport;
use crate::engine::{Parts, View};

impl App {
    pub(crate) fn view_stage(&self, link: &html::Scope<Self>) -> Html {
        let engine = self.engine.borrow();
        let trainable = engine.as_ref().is_some_and(|e| e.can_train());
        let is_vae = engine.as_ref().is_some_and(|e| e.session.is_vae());
        let conditional = engine.as_ref().is_some_and(|e| e.session.classes() > 0);
        let loss_names = engine
            .as_ref()
            .map_or(["", ""], |e| Losses::of(e.session.config()).names());
        let image = match (engine.as_ref().map(|e| &e.parts), &self.readout.view) {
            (Some(Parts::Image(p)), Some(View::Image(view))) => {
                Some((view.clone(), p.config.image, p.config.model.normalisation()))
            }
            _ => None,
        };
        let images = matches!(engine.as_ref().map(|e| &e.parts), Some(Parts::Image(_)));
        let divergence_floor = match engine.as_ref().map(|e| &e.parts) {
            Some(Parts::Toy(p)) => Some(p.divergence_floor),
            _ => None,
        };
        let has_model = engine.is_some();
        drop(engine);
        let metrics = match &self.readout.view {
            Some(View::Toy { metrics, .. }) => Some(*metrics),
            _ => None,
        };
        let divergence = match (&self.readout.view, &divergence_floor) {
            (Some(View::Toy { divergence, .. }), Some(floor)) => Some((*divergence, *floor)),
            _ => None,
        };
        let busy = !self.activity.may_use_files() || self.backend.is_none();
        // Run B stands beside run A's plot; without a comparison its picker waits below.
        let side_by_side = !images && has_model && self.state.compare_config().is_some();
        let plots_class = classes!("plots", side_by_side.then_some("side-by-side"));
        html! {
            <>
                <Transport {trainable} {busy} running={self.activity.is_training()} {is_vae}
                    on_toggle={link.callback(|_| Msg::ToggleTrain)} on_step={link.callback(Msg::StepOnce)}
                    on_reset={link.callback(|_| Msg::Reset)} />
                <Readouts steps={self.readout.steps} steps_per_sec={self.readout.steps_per_sec}
                    losses={self.readout.losses} {is_vae} {metrics} {divergence} {images} />
                if conditional { { self.view_class_picker(link) } }
                <div class={plots_class}>
                    <figure>
                        if let Some((view, shape, norm)) = &image {
                            { self.view_sample_grid(view, *shape, *norm, conditional) }
                        } else {
                            { self.view_scatter(link) }
                        }
                    </figure>
                    if side_by_side { { self.view_compare(link) } }
                    <figure>
                        <LossChart history={self.readout.history.clone()} names={loss_names} />
                        <figcaption>{"losses over training steps"}</figcaption>
                    </figure>
                    if !images && has_model { { self.view_divergence_chart() } }
                </div>
                { self.view_few_labels() }
                if let Some((view, shape, norm)) = image {
                    { self.view_discriminator(&view, shape, norm) }
                    { self.view_inspection(link) }
                    { self.view_image_panels(view, shape, norm) }
                }
                if !images && has_model && !side_by_side { { self.view_compare(link) } }
                { self.view_overview(link) }
                if !has_model && self.state.drawing() {
                    <p class="hint">{"Add points to the plot to make a distribution to train on."}</p>
                }
            </>
        }
    }
}
