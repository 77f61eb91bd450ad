//! The image models' extra views: the latent interpolation and, for VAEs, reconstructions, the
//! encoded test digits and the decoded latent map.

use ganplay_model::{ImageShape, Normalisation};
use yew::prelude::*;

use crate::components::plots::{EncodingsPlot, ImageGrid};
use crate::engine::{
    INTERPOLATION_STEPS, ImageView, LATENT_EXTENT, LATENT_MAP_SIDE, RECONSTRUCTIONS,
};
use crate::plot::CLASS_COLOURS;

#[derive(Properties, PartialEq)]
pub struct ImagePanelsProps {
    pub view: ImageView,
    pub shape: ImageShape,
    pub norm: Normalisation,
}

#[function_component]
pub fn ImagePanels(props: &ImagePanelsProps) -> Html {
    let (view, shape, norm) = (&props.view, props.shape, props.norm);
    let strip = classes!("pixels", "strip");
    html! {
        <div class="plots">
            <figure>
                <ImageGrid test_id="interpolation-canvas" pixels={view.interpolation.clone()} {shape} {norm}
                    columns={INTERPOLATION_STEPS} class={strip.clone()} />
                <figcaption>{"latent interpolation: ten steps on the line from the grid's first sample (top left) to its second"}</figcaption>
            </figure>
            if let Some(pixels) = &view.reconstructions {
                <figure>
                    <ImageGrid test_id="reconstruction-canvas" pixels={pixels.clone()} {shape} {norm}
                        columns={RECONSTRUCTIONS} class={strip} />
                    <figcaption>{"held-out test digits (top) and their reconstructions (bottom)"}</figcaption>
                </figure>
            }
            if let Some(points) = &view.encodings {
                <figure>
                    <EncodingsPlot points={points.clone()} />
                    <figcaption>{"600 test digits at their encoded means (first two latent axes), coloured by class: "}
                        { for CLASS_COLOURS.iter().enumerate().map(|(c, colour)| html! {
                            <span class="class-key" style={format!("color:{colour}")}>{ format!("■{c} ") }</span>
                        }) }
                    </figcaption>
                </figure>
            }
            if let Some(pixels) = &view.latent_map {
                <figure>
                    <ImageGrid test_id="latent-map-canvas" pixels={pixels.clone()} {shape} {norm}
                        columns={LATENT_MAP_SIDE} class="pixels" />
                    <figcaption>{ format!("decoded latent map: z over [-{0}, {0}]², up is +z₂", LATENT_EXTENT) }</figcaption>
                </figure>
            }
        </div>
    }
}
