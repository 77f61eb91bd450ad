//! The benchmark panel: steps per second of the shared benchmark cases on this device.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BenchPanelProps {
    pub disabled: bool,
    pub lines: Vec<String>,
    pub on_run: Callback<()>,
}

#[function_component]
pub fn BenchPanel(props: &BenchPanelProps) -> Html {
    html! {
        <details>
            <summary>{"Benchmark this device"}</summary>
            <p>{"Times training steps of the toy GAN and of the MLP GAN, DCGAN and VAE at the page's sizes on the backend in use (pauses training)."}</p>
            <button data-testid="bench-button" disabled={props.disabled}
                onclick={props.on_run.reform(|_| ())}>{"Run benchmark"}</button>
            <pre data-testid="bench-result">{ props.lines.join("\n") }</pre>
        </details>
    }
}
