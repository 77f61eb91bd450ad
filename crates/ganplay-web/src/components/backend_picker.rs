//! Which backend trains (WebGPU or the CPU in WebAssembly), and why.

use yew::prelude::*;

use super::fields::{SelectField, options};
use crate::backend::BackendKind;

#[derive(Properties, PartialEq)]
pub struct BackendPickerProps {
    pub current: Option<BackendKind>,
    /// Why the automatic choice is the CPU.
    pub note: Option<String>,
    pub onchange: Callback<String>,
}

#[function_component]
pub fn BackendPicker(props: &BackendPickerProps) -> Html {
    let current = props.current.map_or("starting", |b| b.id());
    let backends = options(BackendKind::ALL.iter().map(|k| (k.id(), k.label())));
    html! {
        <div class="backend">
            <span>{"backend: "}<b data-testid="backend-name">{ current }</b></span>
            <SelectField label=" use " test_id="backend-select" options={backends} selected={current}
                onchange={props.onchange.clone()} title="Switching backend restarts training" />
            if let Some(note) = &props.note { <p class="note" data-testid="backend-note">{ note }</p> }
        </div>
    }
}
