//! One checkbox per layer of the 2D plot.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::Layer;

#[derive(Properties, PartialEq)]
pub struct LayerTogglesProps {
    pub hidden: Vec<Layer>,
    /// A layer switched on (`true`) or off.
    pub onchange: Callback<(Layer, bool)>,
}

#[function_component]
pub fn LayerToggles(props: &LayerTogglesProps) -> Html {
    let toggle = |layer: Layer| {
        let onchange = props.onchange.reform(move |e: Event| {
            (
                layer,
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            )
        });
        html! {
            <label title={layer.explanation()}>
                <input type="checkbox" data-layer={layer.id()} checked={!props.hidden.contains(&layer)} {onchange} />
                { layer.label() }
            </label>
        }
    };
    html! {
        <fieldset class="layer-toggles" data-testid="layer-toggles">
            <legend>{"show"}</legend>
            { for Layer::ALL.into_iter().map(toggle) }
        </fieldset>
    }
}
