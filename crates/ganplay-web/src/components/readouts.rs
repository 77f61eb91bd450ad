//! Step count, speed, losses and (2D) mode coverage.

use ganplay_model::metrics::{Divergence, ModeMetrics};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReadoutsProps {
    pub steps: u64,
    pub steps_per_sec: f64,
    /// GANs: D and G losses; VAEs: reconstruction and KL.
    pub losses: [Option<f32>; 2],
    pub is_vae: bool,
    /// 2D models only.
    pub metrics: Option<ModeMetrics>,
    /// 2D models: the latest divergences and their floor (real samples against the data).
    pub divergence: Option<(Divergence, Divergence)>,
    pub images: bool,
}

#[function_component]
pub fn Readouts(props: &ReadoutsProps) -> Html {
    let fmt_loss = |l: Option<f32>| l.map_or("–".to_string(), |v| format!("{v:.4}"));
    let [first, second] = props.losses;
    let total = first.zip(second).map(|(a, b)| a + b);
    let metrics = props.metrics;
    html! {
        <div class="readouts">
            <span>{"step "}<b data-testid="step-count">{ props.steps }</b></span>
            <span>{"steps/s "}<b data-testid="steps-per-sec">{ format!("{:.1}", props.steps_per_sec) }</b></span>
            if props.is_vae {
                <span>{"D loss "}<b data-testid="loss-d">{"–"}</b></span>
                <span title="negative ELBO = reconstruction + KL">{"VAE loss "}<b data-testid="loss-g">{ fmt_loss(total) }</b></span>
                <span>{"reconstruction "}<b data-testid="loss-recon">{ fmt_loss(first) }</b></span>
                <span>{"KL "}<b data-testid="loss-kl">{ fmt_loss(second) }</b></span>
            } else {
                <span>{"D loss "}<b data-testid="loss-d">{ fmt_loss(first) }</b></span>
                <span>{"G loss "}<b data-testid="loss-g">{ fmt_loss(second) }</b></span>
            }
            if !props.images {
                <span title="modes with at least one generated sample within 3σ">{"modes "}
                    <b data-testid="metric-modes">{ metrics.map_or("–".into(), |m| m.modes_text()) }</b></span>
                <span title="generated samples within 3σ of the data's shape">{"high quality "}
                    <b data-testid="metric-hq">{ metrics.map_or("–".into(), |m| format!("{:.1}%", m.high_quality_percent)) }</b>
                    { metrics.map_or(String::new(), |m| format!(" (3σ, σ = {})", m.sigma)) }</span>
                <span title={floor_title(props.divergence, "KL(real ‖ generated)", |d| d.kl)}>{"KL "}
                    <b data-testid="metric-kl">{ value_or_dash(props.divergence, |d| d.kl) }</b></span>
                <span title={floor_title(props.divergence, "Jensen–Shannon divergence (at most ln 2 ≈ 0.693)", |d| d.js)}>{"JS "}
                    <b data-testid="metric-js">{ value_or_dash(props.divergence, |d| d.js) }</b></span>
            }
        </div>
    }
}

fn value_or_dash(d: Option<(Divergence, Divergence)>, pick: fn(&Divergence) -> f64) -> String {
    d.map_or("–".into(), |(now, _)| format!("{:.3}", pick(&now)))
}

/// What the divergence is, and its floor: 2,500 real samples score this much, from sampling alone.
fn floor_title(
    d: Option<(Divergence, Divergence)>,
    what: &str,
    pick: fn(&Divergence) -> f64,
) -> String {
    let floor = d.map_or(String::new(), |(_, floor)| {
        format!(
            "; floor {:.3} (2,500 real samples score this)",
            pick(&floor)
        )
    });
    format!("{what} in nats, on a 32×32 grid over the plot{floor}")
}
