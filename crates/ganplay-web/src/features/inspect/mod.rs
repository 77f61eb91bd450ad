//! Looking closely at image samples: a click on the sample grid picks one, finds its nearest
//! training digits and starts a latent walk from its noise; the walk's images come from the device.

use ganplay_model::metrics::nearest::nearest_images;
use ganplay_model::sample::grid::cell_at;
use yew::prelude::*;

mod panel;

pub use panel::Inspection;
use panel::{NEAREST, SampleInspector};

use crate::app::{App, Msg};
use crate::engine::{Parts, View};
use crate::runner;

pub enum InspectMsg {
    /// A click on the image sample grid, in canvas pixels.
    GridClick((f64, f64)),
    /// A latent-walk slider: coordinate and value.
    Walk((usize, f32)),
    WalkReset,
    /// A walk image: the request it answers, the engine's generation, the pixels.
    Walked(u64, u64, Vec<f32>),
}

impl App {
    pub(crate) fn inspect_message(&mut self, ctx: &Context<Self>, msg: InspectMsg) {
        match msg {
            InspectMsg::GridClick(at) => self.grid_click(at),
            InspectMsg::Walk(to) => self.walk(ctx, to),
            InspectMsg::WalkReset => self.walk_reset(ctx),
            InspectMsg::Walked(request, generation, pixels) => {
                self.walked(request, generation, pixels)
            }
        }
    }

    /// The picked sample, its neighbours and its latent walk.
    pub(crate) fn view_inspection(&self, link: &html::Scope<Self>) -> Html {
        let Some(inspection) = self.inspection.clone() else {
            return html! {};
        };
        let engine = self.engine.borrow();
        let Some(Parts::Image(p)) = engine.as_ref().map(|e| &e.parts) else {
            return html! {};
        };
        let (shape, norm) = (p.config.image, p.config.model.normalisation());
        html! {
            <SampleInspector {inspection} {shape} {norm}
                on_walk={link.callback(|to| Msg::Inspect(InspectMsg::Walk(to)))}
                on_reset={link.callback(|_| Msg::Inspect(InspectMsg::WalkReset))} />
        }
    }

    /// A click on the image sample grid, in canvas pixels.
    fn grid_click(&mut self, (x, y): (f64, f64)) {
        let engine = self.engine.borrow();
        let (Some(e), Some(View::Image(view))) = (engine.as_ref(), &self.readout.view) else {
            return;
        };
        let Parts::Image(p) = &e.parts else { return };
        // Models of another shape than the bundled digits have no neighbours to compare with.
        let Some(digits) = &p.digits else {
            return;
        };
        let len = p.config.image.len();
        let count = view.grid.len() / len.max(1);
        let Some(index) = cell_at(x, y, p.config.image, view.grid_columns, count) else {
            return;
        };
        let (Some(sample), Some(z)) = (
            view.grid.get(index * len..(index + 1) * len),
            p.layout.noise_of(index),
        ) else {
            return;
        };
        let train = &digits.train;
        let norm = p.config.model.normalisation();
        let found = nearest_images(train, norm, sample, NEAREST);
        let mut neighbours = sample.to_vec();
        for n in &found {
            neighbours.extend(train.image(n.index).iter().map(|px| norm.value(*px)));
        }
        let inspection = Inspection {
            index,
            step: e.session.steps(),
            neighbours: neighbours.into(),
            distances: found
                .iter()
                .map(|n| (n.rms, train.labels[n.index]))
                .collect(),
            label: p.layout.labels.as_ref().and_then(|l| l.get(index).copied()),
            z: z.into(),
            walked: sample.into(),
            request: 0,
        };
        drop(engine);
        self.inspection = Some(inspection);
    }

    /// A walk slider moved: redraws the sample from the changed noise.
    fn walk(&mut self, ctx: &Context<Self>, (dim, value): (usize, f32)) {
        let Some(ins) = &mut self.inspection else {
            return;
        };
        let mut z = ins.z.to_vec();
        if let Some(coordinate) = z.get_mut(dim) {
            *coordinate = value;
        }
        self.walk_to(ctx, z);
    }

    /// Back to the picked sample's own noise.
    fn walk_reset(&mut self, ctx: &Context<Self>) {
        let Some(index) = self.inspection.as_ref().map(|i| i.index) else {
            return;
        };
        let z = match self.engine.borrow().as_ref().map(|e| &e.parts) {
            Some(Parts::Image(p)) => p.layout.noise_of(index).map(|z| z.to_vec()),
            _ => None,
        };
        if let Some(z) = z {
            self.walk_to(ctx, z);
        }
    }

    fn walk_to(&mut self, ctx: &Context<Self>, z: Vec<f32>) {
        let Some(ins) = &mut self.inspection else {
            return;
        };
        ins.z = z.clone().into();
        ins.request += 1;
        let request = ins.request;
        let link = ctx.link().clone();
        runner::generate_one(
            self.engine.clone(),
            z,
            ins.label,
            move |generation, pixels| {
                link.send_message(Msg::Inspect(InspectMsg::Walked(
                    request, generation, pixels,
                )));
            },
        );
    }

    /// A walk image arrived; only the latest request's, for the current model, is shown.
    fn walked(&mut self, request: u64, generation: u64, pixels: Vec<f32>) {
        let current = self.engine.borrow().as_ref().map(|e| e.generation);
        if let Some(ins) = &mut self.inspection
            && ins.request == request
            && current == Some(generation)
        {
            ins.walked = pixels.into();
        }
    }
}
