//! The reduced augmentation benchmark: run, watch its progress, cancel, read its table and plot.

use std::rc::Rc;

use ganplay_model::augment_bench::{ArmSummary, RunProgress};
use yew::prelude::*;

use crate::components::plots::use_redraw;
use crate::plot_bars::{Bar, draw_bars};

#[derive(Properties, PartialEq, Clone)]
pub struct AugmentPanelProps {
    pub disabled: bool,
    pub running: bool,
    pub progress: Option<RunProgress>,
    pub result: Option<Rc<[ArmSummary]>>,
    pub on_start: Callback<usize>,
    pub on_cancel: Callback<()>,
}

#[function_component]
pub fn AugmentPanel(props: &AugmentPanelProps) -> Html {
    let seeds = use_state(|| 1usize);
    let chart = use_redraw(&props.result, |c, result| {
        let bars: Vec<Bar> = result
            .iter()
            .flat_map(|r| r.iter())
            .map(|s| Bar {
                label: short_name(s),
                value: 100.0 * s.mean,
                error: Some(100.0 * s.sd),
            })
            .collect();
        let floor = bars
            .iter()
            .map(|b| b.value - b.error.unwrap_or(0.0))
            .fold(100.0, f64::min);
        draw_bars(c, &bars, (floor - 5.0).clamp(0.0, 90.0).floor());
    });
    let on_seeds = {
        let seeds = seeds.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            seeds.set(select.value().parse().unwrap_or(1));
        })
    };
    let chosen = *seeds;
    let (value, max) = props
        .progress
        .as_ref()
        .map_or((0, 1), |p| (p.steps_done, p.steps_total.max(1)));
    html! {
        <details class="augment">
            <summary>{"Does synthetic data help? (augmentation benchmark)"}</summary>
            <p class="hint">{"Trains a conditional GAN (with DiffAugment) and a conditional VAE on 10 real digits per class, then the same small classifier on: the real digits alone, with classic augmentation (random affine and elastic distortion), with as many generated digits added, with both, and on generated digits only. Each is tested on the 997 held-out digits. A reduced version of `ganplay augment`; pauses nothing, but training shares the CPU."}</p>
            <div class="row">
                <label>{"seeds "}
                    <select data-testid="augment-size" onchange={on_seeds} disabled={props.running}>
                        <option value="1" selected={chosen == 1}>{"1 (quick look)"}</option>
                        <option value="3" selected={chosen == 3}>{"3 (mean ± sd)"}</option>
                    </select>
                </label>
                <button data-testid="augment-button" disabled={props.disabled || props.running}
                    onclick={props.on_start.reform(move |_| chosen)}>{"Run benchmark"}</button>
                <button data-testid="augment-cancel" disabled={!props.running}
                    onclick={props.on_cancel.reform(|_| ())}>{"Cancel"}</button>
            </div>
            <progress data-testid="augment-progress" value={value.to_string()} max={max.to_string()} />
            if let Some(p) = &props.progress {
                <span class="hint">{ p.doing.clone() }</span>
            }
            if let Some(result) = &props.result {
                <div data-testid="augment-result">
                    <table class="metrics">
                        <tr><th>{"arm"}</th><th>{"seeds"}</th><th>{"accuracy %"}</th><th>{"vs classic (paired 95% CI)"}</th></tr>
                        { for result.iter().map(|s| html! {
                            <tr>
                                <td>{ s.arm.label() }</td>
                                <td>{ s.seeds }</td>
                                <td>{ format!("{:.1} ± {:.1}", 100.0 * s.mean, 100.0 * s.sd) }</td>
                                <td>{ versus_classic(s) }</td>
                            </tr>
                        }) }
                    </table>
                    <canvas ref={chart} data-testid="augment-chart" width="480" height="180" />
                </div>
            }
        </details>
    }
}

fn versus_classic(s: &ArmSummary) -> String {
    match &s.vs_classic {
        Some(d) if d.pairs > 1 => format!(
            "{:+.1} [{:+.1}, {:+.1}]",
            100.0 * d.mean,
            100.0 * d.low,
            100.0 * d.high
        ),
        Some(d) => format!("{:+.1} (one seed: no interval)", 100.0 * d.mean),
        None => "baseline".into(),
    }
}

fn short_name(s: &ArmSummary) -> String {
    s.arm.id().to_string()
}
