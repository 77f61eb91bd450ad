//! The two form fields every control is built from.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    pub label: &'static str,
    pub test_id: &'static str,
    /// The text shown: the current value, or the refused text while it is refused.
    pub value: String,
    /// Why the typed text was refused.
    #[prop_or_default]
    pub error: Option<String>,
    pub onchange: Callback<String>,
}

/// A text field for a number, with its refusal shown beside it.
#[function_component]
pub fn NumberField(props: &NumberFieldProps) -> Html {
    let onchange = props
        .onchange
        .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().value());
    let invalid = props.error.is_some();
    html! {
        <label class={classes!(invalid.then_some("invalid"))}>{ props.label }{" "}
            <input type="text" inputmode="decimal" data-testid={props.test_id} value={props.value.clone()}
                {onchange} aria-invalid={invalid.to_string()} />
            if let Some(why) = &props.error {
                <span class="knob-error" data-testid={format!("{}-error", props.test_id)}>{ why }</span>
            }
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    /// Shown before the list, spacing included.
    pub label: AttrValue,
    pub test_id: &'static str,
    /// `(id, label)` per option.
    pub options: Vec<(String, String)>,
    pub selected: String,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub title: Option<&'static str>,
}

/// A labelled drop-down list; reports the chosen option's id.
#[function_component]
pub fn SelectField(props: &SelectFieldProps) -> Html {
    let onchange = props
        .onchange
        .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    html! {
        <label>{ props.label.clone() }
            <select data-testid={props.test_id} {onchange} title={props.title}>
                { for props.options.iter().map(|(id, label)| html! {
                    <option value={id.clone()} selected={*id == props.selected}>{ label }</option>
                }) }
            </select>
        </label>
    }
}

/// Options from `(id, label)` pairs of `&'static str`.
pub fn options<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(id, label)| (id.to_string(), label.to_string()))
        .collect()
}
