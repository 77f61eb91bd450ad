//! Sample quality of the image model in training (the metrics of `docs/metrics.md`, each next to
//! its floor), charted over training steps, and the labelled synthetic data set download.

use std::rc::Rc;

use ganplay_model::metrics::ImageMetrics;
use yew::prelude::*;

use super::export::{EXPORT_COUNT, MIN_CONFIDENCE};
use super::metrics::{PAGE_SAMPLES, PageMetrics};
use crate::components::plots::use_redraw;
use crate::plot_bars::{Bar, draw_bars, draw_history};

#[derive(Properties, PartialEq, Clone)]
pub struct QualityPanelProps {
    /// An image model exists and a device is ready.
    pub available: bool,
    pub computing: bool,
    pub exporting: bool,
    pub latest: Option<PageMetrics>,
    /// Fréchet distance by training step.
    pub history: Rc<[(u64, f64)]>,
    pub auto: bool,
    pub notice: Option<String>,
    pub on_compute: Callback<()>,
    pub on_auto: Callback<bool>,
    pub on_export: Callback<bool>,
}

/// How each metric reads: name, test id, how to print it.
type Row = (&'static str, &'static str, fn(&ImageMetrics) -> String);

const ROWS: [Row; 5] = [
    ("Fréchet distance ↓", "metric-fd", |m| {
        format!("{:.2}", m.frechet)
    }),
    ("KID ×1000 ↓", "metric-kid", |m| {
        format!("{:.1} ± {:.1}", 1000.0 * m.kid.mean, 1000.0 * m.kid.sd)
    }),
    ("precision ↑", "metric-precision", |m| {
        format!("{:.3}", m.precision)
    }),
    ("recall ↑", "metric-recall", |m| {
        format!("{:.3}", m.recall)
    }),
    ("inception-style score ↑ (max 10)", "metric-is", |m| {
        format!(
            "{:.2} ± {:.2}",
            m.inception_score.mean, m.inception_score.sd
        )
    }),
];

#[function_component]
pub fn QualityPanel(props: &QualityPanelProps) -> Html {
    let filter = use_state(|| false);
    let histogram = use_redraw(&props.latest, |c, latest| {
        let bars: Vec<Bar> = latest
            .as_ref()
            .map(|m| {
                m.model
                    .class_histogram
                    .counts
                    .iter()
                    .enumerate()
                    .map(|(class, n)| Bar {
                        label: class.to_string(),
                        value: *n as f64,
                        error: None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        draw_bars(c, &bars, 0.0);
    });
    let history_props = (
        props.history.clone(),
        props.latest.as_ref().map(|m| m.floor.frechet),
    );
    let history = use_redraw(&history_props, |c, (points, floor)| {
        draw_history(c, points, floor.unwrap_or(0.0))
    });
    let on_auto = props.on_auto.reform(|e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        input.checked()
    });
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            filter.set(input.checked());
        })
    };
    let export_filter = *filter;
    let value = |id: &'static str, print: fn(&ImageMetrics) -> String| match &props.latest {
        Some(m) => html! {
            <span data-testid={id} title={format!("floor (real training digits): {}", print(&m.floor))}>{ print(&m.model) }</span>
        },
        None => html! { <span data-testid={id} title="not computed yet">{"–"}</span> },
    };
    let floor = |print: fn(&ImageMetrics) -> String| {
        props
            .latest
            .as_ref()
            .map_or("–".to_string(), |m| print(&m.floor))
    };
    html! {
        <details class="quality-panel" open={true}>
            <summary>{"Sample quality and synthetic data"}</summary>
            <p class="hint">{ format!(
                "{PAGE_SAMPLES} samples scored in the features of a reference digit classifier against the 997 held-out test digits; the floor is {PAGE_SAMPLES} real training digits scored the same way (see docs/metrics.md)."
            ) }</p>
            <div class="row">
                <button data-testid="metrics-button" disabled={!props.available || props.computing}
                    onclick={props.on_compute.reform(|_| ())}>
                    { if props.computing { "Computing…" } else { "Compute metrics" } }
                </button>
                <label><input type="checkbox" data-testid="metrics-auto" checked={props.auto}
                    disabled={!props.available} onchange={on_auto} />{"every 500 steps while training"}</label>
            </div>
            <table class="metrics">
                <tr><th>{"metric"}</th><th>{"model"}</th><th>{"floor"}</th></tr>
                { for ROWS.iter().map(|(name, id, print)| html! {
                    <tr><td>{ *name }</td><td>{ value(id, *print) }</td><td>{ floor(*print) }</td></tr>
                }) }
            </table>
            if let Some(m) = &props.latest {
                <p class="hint">{ format!("at step {}; classes with no sample: {}", m.step, missing(&m.model)) }</p>
            }
            <div class="plots">
                <figure>
                    <canvas ref={histogram} data-testid="class-histogram" width="320" height="140" />
                    <figcaption>{"generated samples per class (reference classifier)"}</figcaption>
                </figure>
                <figure>
                    <canvas ref={history} data-testid="metric-history" width="320" height="140" />
                    <figcaption>{"Fréchet distance over training steps (dashed: floor)"}</figcaption>
                </figure>
            </div>
            <div class="row">
                <label><input type="checkbox" data-testid="export-filter" checked={export_filter} onchange={on_filter} />
                    { format!("keep only samples the classifier is sure of (≥ {:.0} %)", 100.0 * MIN_CONFIDENCE) }</label>
                <button data-testid="export-button" disabled={!props.available || props.exporting}
                    onclick={props.on_export.reform(move |_| export_filter)}>
                    { if props.exporting { "Exporting…".to_string() } else { format!("Download {EXPORT_COUNT} labelled samples (zip)") } }
                </button>
            </div>
            if let Some(notice) = &props.notice {
                <p class="hint" data-testid="export-notice">{ notice.clone() }</p>
            }
        </details>
    }
}

fn missing(m: &ImageMetrics) -> String {
    match m.class_histogram.missing() {
        missing if missing.is_empty() => "none".into(),
        missing => missing
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}
