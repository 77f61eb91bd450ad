//! Step count, speed, losses and (2D) mode coverage.

use ganplay_model::metrics::ModeMetrics;
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
            }
        </div>
    }
}
