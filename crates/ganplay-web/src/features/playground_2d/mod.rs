//! The 2D playground: the sample plot (real and generated points, what the discriminator says
//! everywhere, the generator's push), its layer toggles, drawing a distribution point by point or
//! from a CSV file, and how far the generated density is from the data's.

mod layer_toggles;

use std::rc::Rc;

use ganplay_model::data::points_csv::parse_points_csv;
use yew::prelude::*;

use layer_toggles::LayerToggles;

use crate::app::{App, Msg};
use crate::components::plots::{LossChart, SAMPLE_CANVAS_PX, ScatterPlot};
use crate::engine::{Parts, View};
use crate::plot::Frame;
use crate::state::{Change, Layer};

/// Extent of the drawing area for a drawn distribution.
const DRAW_EXTENT: f32 = 2.0;

pub enum PlaygroundMsg {
    /// A click on the sample plot, in canvas pixels.
    CanvasClick((f64, f64)),
    PointsFile(web_sys::File),
    PointsLoaded(Result<Vec<[f32; 2]>, String>),
}

impl App {
    pub(crate) fn playground_message(&mut self, ctx: &Context<Self>, msg: PlaygroundMsg) {
        match msg {
            PlaygroundMsg::CanvasClick(at) => self.canvas_click(ctx, at),
            PlaygroundMsg::PointsFile(file) => read_points(ctx, file),
            PlaygroundMsg::PointsLoaded(Ok(points)) => {
                self.error = None;
                self.change(ctx, Change::LoadPoints(points));
            }
            PlaygroundMsg::PointsLoaded(Err(e)) => self.error = Some(e),
        }
    }

    fn canvas_click(&mut self, ctx: &Context<Self>, (x, y): (f64, f64)) {
        let frame = Frame {
            size: SAMPLE_CANVAS_PX as f64,
            extent: self.drawn_extent() as f64,
        };
        self.change(ctx, Change::AddPoint(frame.to_data(x, y)));
    }

    /// The sample plot with its layer toggles and legend.
    pub(crate) fn view_scatter(&self, link: &html::Scope<Self>) -> Html {
        html! {
            <>
                { self.scatter_plot() }
                <LayerToggles hidden={self.state.hidden_layers.clone()}
                    onchange={link.callback(|(layer, on)| Msg::Change(Change::Layer(layer, on)))} />
                <figcaption>
                    <span class="swatch real"></span>{"real "}
                    <span class="swatch fake"></span>{"generated "}
                    <span class="swatch surface"></span>{"background: where D says \"real\" (blue) or \"fake\" (orange)"}
                </figcaption>
            </>
        }
    }

    pub(crate) fn view_divergence_chart(&self) -> Html {
        html! {
            <figure>
                <LossChart test_id="divergence-chart" history={self.readout.divergence_history.clone()}
                    names={["KL(real ‖ generated)", "JS"]} />
                <figcaption>{"how far the generated density is from the data's, in nats, over training steps (grid estimate; JS is at most ln 2 ≈ 0.69)"}</figcaption>
            </figure>
        }
    }

    fn scatter_plot(&self) -> Html {
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

    fn drawn_extent(&self) -> f32 {
        match self.engine.borrow().as_ref().map(|e| &e.parts) {
            Some(Parts::Toy(p)) => p.extent.max(DRAW_EXTENT),
            _ => DRAW_EXTENT,
        }
    }
}

fn read_points(ctx: &Context<App>, file: web_sys::File) {
    ctx.link().send_future(async move {
        let blob = gloo::file::Blob::from(file);
        let result = match gloo::file::futures::read_as_text(&blob).await {
            Ok(text) => {
                parse_points_csv(&text).map_err(|e| format!("That CSV file cannot be used: {e}."))
            }
            Err(e) => Err(format!("The file could not be read: {e}")),
        };
        Msg::Playground(PlaygroundMsg::PointsLoaded(result))
    });
}
