//! Load pre-trained weights, load a weight file, download the current weights.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WeightsPanelProps {
    /// A weight file is being fetched, read or saved, or there is no device yet.
    pub busy: bool,
    /// Bundled weights exist for the chosen data and model (not for drawn points).
    pub has_bundled: bool,
    pub has_model: bool,
    /// What the last weight-file action did.
    pub notice: Option<String>,
    /// The step of the run last kept in the browser for a reload.
    pub kept_steps: Option<u64>,
    pub on_pretrained: Callback<()>,
    pub on_download: Callback<()>,
    pub on_file: Callback<web_sys::File>,
}

#[function_component]
pub fn WeightsPanel(props: &WeightsPanelProps) -> Html {
    let on_file = {
        let chosen = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let file = input.files().and_then(|f| f.get(0));
            // Clear the input so choosing the same file again still fires.
            input.set_value("");
            if let Some(file) = file {
                chosen.emit(file);
            }
        })
    };
    let busy = props.busy;
    html! {
        <fieldset>
            <legend>{"Weights"}</legend>
            <div class="row">
                <button data-testid="load-pretrained-button" disabled={busy || !props.has_bundled}
                    title="load weights trained natively with the CLI (see docs/cli.md) and sample at once"
                    onclick={props.on_pretrained.reform(|_| ())}>{"Load pre-trained"}</button>
                <button data-testid="download-weights-button" disabled={busy || !props.has_model}
                    onclick={props.on_download.reform(|_| ())}>{"Download weights"}</button>
            </div>
            <label>{"load a weight file "}
                <input type="file" accept=".safetensors" data-testid="weights-file-input" disabled={busy} onchange={on_file} />
            </label>
            if let Some(notice) = &props.notice { <p class="note" data-testid="weights-notice">{ notice }</p> }
            if let Some(steps) = props.kept_steps {
                <p class="hint" data-testid="saved-run-note">{ format!("Kept in this browser at step {steps}: a reload offers to continue.") }</p>
            }
        </fieldset>
    }
}
