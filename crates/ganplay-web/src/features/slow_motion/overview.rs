//! The model overview: the data flow of a GAN (noise → G → samples → D → prediction → loss →
//! gradients → update) as boxes, each with a tiny live view where there is one to show; the
//! part being updated carries class `active`. Slow motion walks one step through its phases.

use std::rc::Rc;

use yew::prelude::*;

use super::{Part, Phase};
use crate::components::plots::use_redraw;
use crate::plot::{Scatter, draw_scatter};

/// Side of a box's live view, in canvas pixels.
const MINI_PX: u32 = 84;

#[derive(Properties, PartialEq)]
pub struct OverviewProps {
    pub active: &'static [Part],
    /// Data extent of the plane, and what the boxes show of it.
    pub extent: f32,
    pub noise: Rc<[[f32; 2]]>,
    pub real: Rc<[[f32; 2]]>,
    pub generated: Rc<[[f32; 2]]>,
    pub surface: Option<Rc<[f32]>>,
    pub losses: [Option<f32>; 2],
    pub phase: Option<Phase>,
    /// Slow motion can advance (a model is idle and trainable).
    pub can_advance: bool,
    pub on_advance: Callback<()>,
}

#[function_component]
pub fn Overview(props: &OverviewProps) -> Html {
    let part = |p: Part, view: Html| {
        let class = classes!("part", props.active.contains(&p).then_some("active"));
        html! {
            <div {class} data-part={p.id()} style={format!("grid-area: {}", p.id())}>
                <span class="part-label">{ p.label() }</span>
                { view }
            </div>
        }
    };
    let mini = |points: &Rc<[[f32; 2]]>, real: bool, extent: f32| {
        html! { <MiniScatter {extent} points={points.clone()} {real} surface={None::<Rc<[f32]>>} /> }
    };
    let noise_extent = noise_extent(&props.noise);
    let loss = |i: usize| props.losses[i].map_or("–".to_string(), |l| format!("{l:.3}"));
    let phase = props.phase.map(|phase| {
        html! {
            <>
                <span data-testid="slowmo-phase" class="slowmo-phase">
                    { format!("{}/{} {}", phase.number(), Phase::ALL.len(), phase.name()) }
                </span>
                <span data-testid="slowmo-explanation">{ phase.sentence() }</span>
            </>
        }
    });
    html! {
        <figure class="overview">
            <div class="overview-diagram" data-testid="overview-diagram">
                { part(Part::Noise, mini(&props.noise, false, noise_extent)) }
                { part(Part::Generator, html! { <span class="part-arrow">{"→"}</span> }) }
                { part(Part::Samples, mini(&props.generated, false, props.extent)) }
                { part(Part::Real, mini(&props.real, true, props.extent)) }
                { part(Part::Discriminator, html! {
                    <MiniScatter extent={props.extent} points={Rc::from([])} real={false} surface={props.surface.clone()} />
                }) }
                { part(Part::Prediction, html! { <span class="part-note">{"real or fake?"}</span> }) }
                { part(Part::Loss, html! { <span class="part-note">{ format!("D {} · G {}", loss(0), loss(1)) }</span> }) }
                { part(Part::Gradients, html! { <span class="part-note">{"∂loss/∂weights"}</span> }) }
                { part(Part::Update, html! { <span class="part-note">{"one optimiser step"}</span> }) }
            </div>
            <div class="slowmo">
                <button data-testid="slowmo-button" disabled={!props.can_advance}
                    onclick={props.on_advance.reform(|_| ())}
                    title="walk through one training step, one phase per click; the update phases really update the model">
                    { if props.phase.is_some() { "Next phase ▸" } else { "Slow motion ▸" } }
                </button>
                { for phase }
            </div>
            <figcaption>{"how a GAN trains: highlighted boxes are the ones at work"}</figcaption>
        </figure>
    }
}

/// Gaussian noise needs about ±3 to show its spread, uniform noise ±1.
fn noise_extent(noise: &[[f32; 2]]) -> f32 {
    let widest = noise
        .iter()
        .flat_map(|p| [p[0].abs(), p[1].abs()])
        .filter(|v| v.is_finite())
        .fold(0.0f32, f32::max);
    if widest > 1.05 { 3.0 } else { 1.2 }
}

#[derive(Properties, PartialEq, Clone)]
struct MiniScatterProps {
    extent: f32,
    points: Rc<[[f32; 2]]>,
    /// Drawn in the real data's colour rather than the generated samples'.
    real: bool,
    surface: Option<Rc<[f32]>>,
}

#[function_component]
fn MiniScatter(props: &MiniScatterProps) -> Html {
    let canvas = use_redraw(props, |c, p| {
        let (real, generated): (&[[f32; 2]], &[[f32; 2]]) = if p.real {
            (&p.points, &[])
        } else {
            (&[], &p.points)
        };
        draw_scatter(
            c,
            &Scatter {
                extent: p.extent,
                real,
                generated,
                surface: p.surface.as_deref(),
                drawn: &[],
                manifold: None,
                arrows: &[],
            },
        );
    });
    let px = MINI_PX.to_string();
    html! { <canvas ref={canvas} class="mini" width={px.clone()} height={px} /> }
}
