//! The offer, after a reload, to continue the run the page kept or to drop it.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SavedRunBannerProps {
    /// The kept run's model, step and save time; nothing shows without one.
    pub offer: Option<(String, u64, String)>,
    pub on_resume: Callback<()>,
    pub on_discard: Callback<()>,
}

#[function_component]
pub fn SavedRunBanner(props: &SavedRunBannerProps) -> Html {
    let Some((model, steps, saved_at)) = &props.offer else {
        return html! {};
    };
    // `2026-12-06T04:12:09.123Z` reads as `2026-12-06 04:12 UTC`.
    let when = saved_at.get(..16).unwrap_or(saved_at).replace('T', " ");
    html! {
        <div class="saved-run" data-testid="saved-run-offer" role="status">
            <span>{ format!("Your last run, {model} at step {steps} (saved {when} UTC), was kept. \
                Continue it, or it is replaced once you train something else.") }</span>
            <button data-testid="resume-run-button" onclick={props.on_resume.reform(|_| ())}>{"Continue"}</button>
            <button data-testid="discard-run-button" onclick={props.on_discard.reform(|_| ())}>{"Discard"}</button>
        </div>
    }
}
