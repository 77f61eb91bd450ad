//! The error banner: what went wrong, with Reset and dismiss.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ErrorBannerProps {
    pub error: Option<String>,
    pub on_reset: Callback<()>,
    pub on_dismiss: Callback<()>,
}

#[function_component]
pub fn ErrorBanner(props: &ErrorBannerProps) -> Html {
    let Some(error) = &props.error else {
        return html! {};
    };
    html! {
        <div class="error-banner" data-testid="error-banner" role="alert">
            <span>{ error }</span>
            <button data-testid="error-reset-button" onclick={props.on_reset.reform(|_| ())}>{"Reset"}</button>
            <button class="dismiss" aria-label="dismiss" onclick={props.on_dismiss.reform(|_| ())}>{"×"}</button>
        </div>
    }
}
