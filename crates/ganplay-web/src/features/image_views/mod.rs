//! Image models' views: the sample grid (a click picks a sample to inspect), the digit picker of
//! conditional models, what the discriminator sees, and the VAE's panels (reconstructions, the
//! latent map).

mod discriminator_view;
mod panels;

use ganplay_model::{ImageShape, Normalisation};
use yew::prelude::*;

use discriminator_view::DiscriminatorView;
use panels::ImagePanels;

use crate::app::{App, Msg};
use crate::components::plots::ImageGrid;
use crate::engine::{ImageView, Parts};
use crate::state::Change;

impl App {
    /// Samples from fixed noise, redrawn at every read-back.
    pub(crate) fn view_sample_grid(
        &self,
        view: &ImageView,
        shape: ImageShape,
        norm: Normalisation,
        conditional: bool,
    ) -> Html {
        html! {
            <>
                <ImageGrid test_id="sample-canvas" pixels={view.grid.clone()} {shape} {norm}
                    columns={view.grid_columns} class="pixels" onclick={self.grid_click.clone()} />
                <figcaption>{ if conditional && self.state.class.is_none() {
                    "samples from fixed noise, one row per class: the same noise vectors at every step"
                } else {
                    "samples from 64 fixed noise vectors: the same vectors at every step"
                } }{". Click a sample to see its nearest training digits and walk its noise."}</figcaption>
            </>
        }
    }

    /// The VAE's reconstructions and latent map, or a GAN's interpolations.
    pub(crate) fn view_image_panels(
        &self,
        view: ImageView,
        shape: ImageShape,
        norm: Normalisation,
    ) -> Html {
        html! { <ImagePanels {view} {shape} {norm} /> }
    }

    /// Image GANs: what the discriminator sees.
    pub(crate) fn view_discriminator(
        &self,
        view: &ImageView,
        shape: ImageShape,
        norm: Normalisation,
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

    pub(crate) fn view_class_picker(&self, link: &html::Scope<Self>) -> Html {
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
}
