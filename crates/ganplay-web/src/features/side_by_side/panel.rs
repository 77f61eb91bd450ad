//! Side-by-side runs: the picker (which knob run B changes, and to what) and run B's plot and
//! read-outs next to run A's.

use std::rc::Rc;

use ganplay_model::metrics::{Divergence, ModeMetrics};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::Comparison;
use crate::components::plots::ScatterPlot;
use crate::knobs::{ChoiceKnob, Settings};

/// What run B's panel draws.
#[derive(Clone, Debug, PartialEq)]
pub struct RunB {
    pub extent: f32,
    pub real: Rc<[[f32; 2]]>,
    pub generated: Rc<[[f32; 2]]>,
    pub surface: Option<Rc<[f32]>>,
    pub steps: u64,
    pub losses: [Option<f32>; 2],
    pub metrics: ModeMetrics,
    pub divergence: Divergence,
}

#[derive(Properties, PartialEq)]
pub struct ComparePanelProps {
    pub comparison: Option<Comparison>,
    /// Run A's knobs.
    pub settings: Settings,
    pub run_b: Option<Rc<RunB>>,
    /// Why run B stopped or could not start.
    pub note: Option<String>,
    pub onchange: Callback<Option<Comparison>>,
}

#[function_component]
pub fn ComparePanel(props: &ComparePanelProps) -> Html {
    let settings = props.settings.clone();
    let on_knob = props.onchange.reform(move |e: Event| {
        let id = e.target_unchecked_into::<HtmlSelectElement>().value();
        ChoiceKnob::toy()
            .find(|k| k.test_id() == id)
            .map(|k| Comparison::differing_in(k, &settings))
    });
    let knob = props.comparison.as_ref().map(|c| c.knob);
    let value_picker = props.comparison.as_ref().map(|c| {
        let knob = c.knob;
        let onchange = props.onchange.reform(move |e: Event| {
            Comparison::new(knob, &e.target_unchecked_into::<HtmlSelectElement>().value())
        });
        let run_a = knob.current(&props.settings);
        html! {
            <label>{"set to "}
                <select data-testid="compare-value" {onchange}>
                    { for knob.options().into_iter().map(|(id, label)| html! {
                        <option value={id} selected={id == c.value}>
                            { if id == run_a { format!("{label} (as run A)") } else { label.to_string() } }
                        </option>
                    }) }
                </select>
            </label>
        }
    });
    let number = |v: Option<f32>| v.map_or("–".to_string(), |v| format!("{v:.4}"));
    let run_b = props.run_b.as_ref().zip(props.comparison.as_ref()).map(|(b, c)| {
        html! {
            <>
                <ScatterPlot test_id="compare-canvas" extent={b.extent} real={b.real.clone()}
                    generated={b.generated.clone()} surface={b.surface.clone()} drawn={Rc::from([])}
                    onclick={Callback::noop()} />
                <p class="compare-readouts">
                    <strong>{ format!("run B ({}) ", c.describe()) }</strong>
                    {"step "}<span data-testid="compare-step-count">{ b.steps }</span>
                    {" · D loss "}<span data-testid="compare-loss-d">{ number(b.losses[0]) }</span>
                    {" · G loss "}<span data-testid="compare-loss-g">{ number(b.losses[1]) }</span>
                    {" · modes "}<span data-testid="compare-modes">{ b.metrics.modes_text() }</span>
                    {" · high quality "}<span data-testid="compare-hq">{ format!("{:.1}%", b.metrics.high_quality_percent) }</span>
                    {" · KL "}<span data-testid="compare-kl">{ format!("{:.3}", b.divergence.kl) }</span>
                    {" · JS "}<span data-testid="compare-js">{ format!("{:.3}", b.divergence.js) }</span>
                </p>
            </>
        }
    });
    html! {
        <figure class="compare" data-testid="compare-panel">
            <div class="compare-picker">
                <label>{"side by side: run B differs in "}
                    <select data-testid="compare-knob" onchange={on_knob}>
                        <option value="" selected={knob.is_none()}>{"nothing (one run)"}</option>
                        { for ChoiceKnob::toy().map(|k| html! {
                            <option value={k.test_id()} selected={knob == Some(k)}>{ k.label() }</option>
                        }) }
                    </select>
                </label>
                { for value_picker }
            </div>
            { for run_b }
            if let Some(note) = &props.note { <p class="note" data-testid="compare-note">{ note }</p> }
            <figcaption>{"run B starts from the same seed and trains in lockstep with run A (the same updates, the same steps per frame), so any difference comes from the one knob"}</figcaption>
        </figure>
    }
}
