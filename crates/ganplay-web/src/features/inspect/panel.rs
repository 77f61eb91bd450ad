//! One generated image looked at closely: its nearest training digits (did the model memorise?)
//! and a latent walk, sliders that move its noise vector one coordinate at a time and redraw it.

use std::rc::Rc;

use ganplay_model::{ImageShape, Normalisation};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::plots::ImageGrid;

/// Nearest training digits shown.
pub const NEAREST: usize = 5;
/// Noise coordinates with a slider (all of them for small latents, e.g. a 2-D VAE's two axes).
pub const WALK_SLIDERS: usize = 8;
/// Each slider's reach: most of a standard normal's mass.
const WALK_REACH: f32 = 3.0;

/// The picked sample, its neighbours and where the walk has taken its noise.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// Its cell in the sample grid.
    pub index: usize,
    /// The training step it was picked at.
    pub step: u64,
    /// The sample, then its nearest training digits, as pixels.
    pub neighbours: Rc<[f32]>,
    /// Per neighbour: RMS pixel difference and class.
    pub distances: Rc<[(f32, u8)]>,
    /// Its class (conditional models).
    pub label: Option<usize>,
    /// The walk's noise vector and the image it gives.
    pub z: Rc<[f32]>,
    pub walked: Rc<[f32]>,
    /// The latest walk request, so late answers to earlier ones are dropped.
    pub request: u64,
}

#[derive(Properties, PartialEq)]
pub struct SampleInspectorProps {
    pub inspection: Inspection,
    pub shape: ImageShape,
    pub norm: Normalisation,
    /// A slider moved: the coordinate and its new value.
    pub on_walk: Callback<(usize, f32)>,
    pub on_reset: Callback<()>,
}

#[function_component]
pub fn SampleInspector(props: &SampleInspectorProps) -> Html {
    let ins = &props.inspection;
    let (shape, norm) = (props.shape, props.norm);
    let distances = ins
        .distances
        .iter()
        .map(|(rms, class)| format!("{rms:.3} (a {class})"))
        .collect::<Vec<_>>()
        .join(", ");
    let slider = |dim: usize| {
        let oninput = props.on_walk.reform(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            (dim, input.value().parse().unwrap_or(0.0))
        });
        html! {
            <label>{ format!("z{dim} ") }
                <input type="range" data-testid="walk-slider" data-dim={dim.to_string()}
                    min={(-WALK_REACH).to_string()} max={WALK_REACH.to_string()} step="0.05"
                    value={format!("{:.2}", ins.z[dim])} {oninput} />
            </label>
        }
    };
    html! {
        <div class="plots" data-testid="sample-inspector">
            <figure>
                <ImageGrid test_id="nearest-canvas" pixels={ins.neighbours.clone()} {shape} {norm}
                    columns={NEAREST + 1} class={classes!("pixels", "strip")} />
                <figcaption>
                    { format!("sample {} at step {} (left) and its {NEAREST} nearest training digits, by RMS pixel difference: ", ins.index + 1, ins.step) }
                    <span data-testid="nearest-distance">{ distances }</span>
                    {". Neighbours that are near copies mean the model memorised; click another sample to compare."}
                </figcaption>
            </figure>
            <figure>
                <ImageGrid test_id="walk-canvas" pixels={ins.walked.clone()} {shape} {norm} columns={1}
                    class={classes!("pixels", "walk")} />
                <div class="walk-sliders">
                    { for (0..ins.z.len().min(WALK_SLIDERS)).map(slider) }
                </div>
                <button data-testid="walk-reset" onclick={props.on_reset.reform(|_| ())}>{"back to the sample"}</button>
                <figcaption>{"latent walk: each slider moves one coordinate of the sample's noise vector; the image is redrawn by the current model"}</figcaption>
            </figure>
        </div>
    }
}
