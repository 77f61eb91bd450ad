//! Train / pause, the three kinds of single step, and reset.

use yew::prelude::*;

use crate::engine::StepKind;

#[derive(Properties, PartialEq)]
pub struct TransportProps {
    /// A model exists and can train here.
    pub trainable: bool,
    /// A benchmark, a weight file or the device is keeping the model busy.
    pub busy: bool,
    pub running: bool,
    /// VAEs have no separate D and G steps.
    pub is_vae: bool,
    pub on_toggle: Callback<()>,
    pub on_step: Callback<StepKind>,
    pub on_reset: Callback<()>,
}

#[function_component]
pub fn Transport(props: &TransportProps) -> Html {
    let idle = props.trainable && !props.busy && !props.running;
    let step = |kind: StepKind| props.on_step.reform(move |_| kind);
    html! {
        <div class="buttons">
            <button data-testid="train-toggle" class="primary" disabled={!props.trainable || props.busy}
                onclick={props.on_toggle.reform(|_| ())} title="start or pause training (key: space)" aria-keyshortcuts="Space">
                { if props.running { "Pause" } else { "Train" } }
            </button>
            <button data-testid="step-button" disabled={!idle} onclick={step(StepKind::Full)}
                title="one training step: k discriminator updates, then k generator updates; one update for a VAE (key: s)"
                aria-keyshortcuts="S">{"Step"}</button>
            <button data-testid="d-step-button" disabled={!idle || props.is_vae} onclick={step(StepKind::Discriminator)}>{"D step"}</button>
            <button data-testid="g-step-button" disabled={!idle || props.is_vae} onclick={step(StepKind::Generator)}>{"G step"}</button>
            <button data-testid="reset-button" disabled={props.busy} onclick={props.on_reset.reform(|_| ())}>{"Reset"}</button>
        </div>
    }
}
