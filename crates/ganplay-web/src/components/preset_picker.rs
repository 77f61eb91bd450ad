//! Lessons in one click: settings that work and failure modes, each explained, each failure with
//! its fix one more click away.

use ganplay_model::config::image_lessons::{image_lesson, image_lessons};
use ganplay_model::config::presets::{preset, presets};
use ganplay_model::data::toy::ToyDataset;
use yew::prelude::*;

use super::fields::SelectField;

#[derive(Properties, PartialEq)]
pub struct PresetPickerProps {
    /// The preset whose settings are in place.
    pub current: Option<&'static str>,
    /// A preset id, or `""` for none.
    pub onchange: Callback<String>,
}

#[function_component]
pub fn PresetPicker(props: &PresetPickerProps) -> Html {
    let mut options = vec![(String::new(), "choose a lesson…".to_string())];
    options.extend(
        presets()
            .into_iter()
            .map(|p| (p.id.to_string(), p.label.to_string())),
    );
    options.extend(
        image_lessons()
            .into_iter()
            .map(|l| (l.id.to_string(), l.label.to_string())),
    );
    let chosen = props.current.and_then(preset);
    let on_digits = props.current.and_then(image_lesson);
    html! {
        <div class="presets">
            <SelectField label="Lesson " test_id="preset-select" {options}
                selected={props.current.unwrap_or_default().to_string()} onchange={props.onchange.clone()} />
            if let Some(p) = chosen {
                <p class="hint" data-testid="preset-explanation">
                    { p.explanation }{" "}
                    <em>{ format!("This set-up {} (seed {}).", expectation(&p), p.config.seed) }</em>
                    if let Some(fix) = p.fix {
                        {" "}
                        <button data-testid="preset-fix-button" onclick={props.onchange.reform(move |_| fix.to_string())}>
                            { preset(fix).map_or("Apply the fix", |f| f.label) }
                        </button>
                    }
                </p>
            }
            if let Some(l) = on_digits {
                <p class="hint" data-testid="preset-explanation">{ l.explanation }</p>
            }
        </div>
    }
}

fn expectation(p: &ganplay_model::config::presets::Preset) -> String {
    let modes = ToyDataset::new(p.dataset, p.sigma).map_or(0, |d| d.mode_count());
    p.expect.describe(modes, p.steps)
}
