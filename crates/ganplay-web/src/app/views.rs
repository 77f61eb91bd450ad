//! The parts of the page's layout that [`App::view`](yew::Component::view) puts together.

use std::rc::Rc;

use ganplay_model::Losses;
use yew::prelude::*;

use super::quality::QualityMsg;
use super::{App, DRAW_EXTENT, Msg};
use crate::components::augment_panel::AugmentPanel;
use crate::components::discriminator_view::DiscriminatorView;
use crate::components::few_labels_panel::FewLabelsPanel;
use crate::components::image_panels::ImagePanels;
use crate::components::layer_toggles::LayerToggles;
use crate::components::overview::Overview;
use crate::components::plots::{ImageGrid, LossChart, ScatterPlot};
use crate::components::quality_panel::QualityPanel;
use crate::components::readouts::Readouts;
use crate::components::sample_inspector::SampleInspector;
use crate::components::transport::Transport;
use crate::engine::{Parts, View};
use crate::slow_motion::active_parts;
use crate::state::{Change, Layer};

impl App {
    pub(super) fn view_stage(&self, link: &html::Scope<Self>) -> Html {
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
        let semi_supervised = match engine.as_ref().map(|e| &e.parts) {
            Some(Parts::Image(p)) if p.config.model.is_semi_supervised() && !p.sample_only() => {
                Some(p.labelled.clone())
            }
            _ => None,
        };
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
                            <ImageGrid test_id="sample-canvas" pixels={view.grid.clone()} shape={*shape} norm={*norm}
                                columns={view.grid_columns} class="pixels" onclick={self.grid_click.clone()} />
                            <figcaption>{ if conditional && self.state.class.is_none() {
                                "samples from fixed noise, one row per class: the same noise vectors at every step"
                            } else {
                                "samples from 64 fixed noise vectors: the same vectors at every step"
                            } }{". Click a sample to see its nearest training digits and walk its noise."}</figcaption>
                        } else {
                            { self.view_scatter() }
                            <LayerToggles hidden={self.state.hidden_layers.clone()}
                                onchange={link.callback(|(layer, on)| Msg::Change(Change::Layer(layer, on)))} />
                            <figcaption>
                                <span class="swatch real"></span>{"real "}
                                <span class="swatch fake"></span>{"generated "}
                                <span class="swatch surface"></span>{"background: where D says \"real\" (blue) or \"fake\" (orange)"}
                            </figcaption>
                        }
                    </figure>
                    if side_by_side { { self.view_compare(link) } }
                    <figure>
                        <LossChart history={self.readout.history.clone()} names={loss_names} />
                        <figcaption>{"losses over training steps"}</figcaption>
                    </figure>
                    if !images && has_model {
                        <figure>
                            <LossChart test_id="divergence-chart" history={self.readout.divergence_history.clone()}
                                names={["KL(real ‖ generated)", "JS"]} />
                            <figcaption>{"how far the generated density is from the data's, in nats, over training steps (grid estimate; JS is at most ln 2 ≈ 0.69)"}</figcaption>
                        </figure>
                    }
                </div>
                if let (Some(labelled), Some((_, shape, norm))) = (semi_supervised, &image) {
                    <FewLabelsPanel history={self.readout.accuracy_history.clone()}
                        confusion={self.readout.confusion.clone()} {labelled} shape={*shape} norm={*norm} />
                }
                if let Some((view, shape, norm)) = image {
                    { self.view_discriminator(&view, shape, norm) }
                    if let Some(inspection) = self.inspection.clone() {
                        <SampleInspector {inspection} {shape} {norm}
                            on_walk={link.callback(Msg::Walk)} on_reset={link.callback(|_| Msg::WalkReset)} />
                    }
                    <ImagePanels {view} {shape} {norm} />
                }
                if !images && has_model && !side_by_side { { self.view_compare(link) } }
                { self.view_overview(link) }
                if !has_model && self.state.drawing() {
                    <p class="hint">{"Add points to the plot to make a distribution to train on."}</p>
                }
            </>
        }
    }

    /// Image GANs: what the discriminator sees.
    pub(super) fn view_discriminator(
        &self,
        view: &crate::engine::ImageView,
        shape: ganplay_model::ImageShape,
        norm: ganplay_model::Normalisation,
    ) -> Html {
        let engine = self.engine.borrow();
        let (Some(Parts::Image(p)), Some(scores)) =
            (engine.as_ref().map(|e| &e.parts), &view.d_scores)
        else {
            return html! {};
        };
        let Some(real) = &p.scored_real else {
            return html! {};
        };
        html! {
            <div class="plots">
                <DiscriminatorView scores={scores.clone()} real_pixels={real.pixels.clone()}
                    fake_pixels={view.grid.clone()} {shape} {norm} history={self.readout.d_score_history.clone()} />
            </div>
        }
    }

    /// 2D GANs: the model overview with its slow motion.
    pub(super) fn view_overview(&self, link: &html::Scope<Self>) -> Html {
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
        let active = active_parts(
            self.slow_motion,
            self.activity.is_training(),
            self.last_update,
        );
        let can_advance = self.can_start();
        html! {
            <Overview {active} extent={p.extent} noise={p.noise_preview.clone()} real={p.real_points.clone()}
                {generated} {surface} losses={self.readout.losses} phase={self.slow_motion} {can_advance}
                on_advance={link.callback(|_| Msg::SlowMotion)} />
        }
    }

    pub(super) fn view_quality(&self, link: &html::Scope<Self>) -> Html {
        let q = &self.quality;
        let available = self.has_image_model();
        let quality = |m: QualityMsg| Msg::Quality(m);
        html! {
            <>
                <QualityPanel {available} computing={q.computing} exporting={q.exporting}
                    latest={q.latest.clone()} history={q.history.clone()} auto={q.auto} notice={q.notice.clone()}
                    on_compute={link.callback(move |_| quality(QualityMsg::Compute))}
                    on_auto={link.callback(move |on| quality(QualityMsg::Auto(on)))}
                    on_export={link.callback(move |filter| quality(QualityMsg::Export(filter)))} />
                <AugmentPanel disabled={self.device.is_none()} running={q.augment.is_some()}
                    progress={q.augment_progress.clone()} result={q.augment_result.clone()}
                    on_start={link.callback(move |seeds| quality(QualityMsg::AugmentStart(seeds)))}
                    on_cancel={link.callback(move |_| quality(QualityMsg::AugmentCancel))} />
            </>
        }
    }

    pub(super) fn view_scatter(&self) -> Html {
        let engine = self.engine.borrow();
        let drawing = self.state.drawing();
        let (extent, real) = match engine.as_ref().map(|e| &e.parts) {
            Some(Parts::Toy(p)) if drawing => (p.extent.max(DRAW_EXTENT), p.real_points.clone()),
            Some(Parts::Toy(p)) => (p.extent, p.real_points.clone()),
            _ => (DRAW_EXTENT, Rc::from([])),
        };
        let (generated, surface, manifold, arrows) = match &self.readout.view {
            Some(View::Toy {
                generated,
                surface,
                manifold,
                arrows,
                ..
            }) => {
                let arrows = arrows.as_ref().map(|push| {
                    generated
                        .iter()
                        .copied()
                        .zip(push.iter().copied())
                        .collect()
                });
                (generated.clone(), surface.clone(), manifold.clone(), arrows)
            }
            _ => (Rc::from([]), None, None, None),
        };
        let shows = |layer| self.state.shows(layer);
        let manifold = manifold.filter(|_| shows(Layer::Manifold));
        let arrows = arrows.filter(|_| shows(Layer::Arrows) && shows(Layer::Generated));
        let real = if shows(Layer::Real) {
            real
        } else {
            Rc::from([])
        };
        let generated = if shows(Layer::Generated) {
            generated
        } else {
            Rc::from([])
        };
        let surface = surface.filter(|_| shows(Layer::Surface));
        let drawn: Rc<[[f32; 2]]> = if drawing {
            self.state.drawn_points.as_slice().into()
        } else {
            Rc::from([])
        };
        html! {
            <ScatterPlot {extent} {real} {generated} {surface} {drawn} {manifold} {arrows} onclick={self.canvas_click.clone()} />
        }
    }

    pub(super) fn view_class_picker(&self, link: &html::Scope<Self>) -> Html {
        let mut classes = vec![("all".to_string(), "all (one row each)".to_string())];
        classes.extend((0..10usize).map(|c| (c.to_string(), c.to_string())));
        let selected = self
            .state
            .class
            .map_or("all".to_string(), |c| c.to_string());
        html! {
            <crate::components::fields::SelectField label="digit " test_id="class-select" options={classes}
                {selected} onchange={link.callback(|id| Msg::Change(Change::Class(id)))} />
        }
    }

    pub(super) fn drawn_extent(&self) -> f32 {
        match self.engine.borrow().as_ref().map(|e| &e.parts) {
            Some(Parts::Toy(p)) => p.extent.max(DRAW_EXTENT),
            _ => DRAW_EXTENT,
        }
    }
}
