//! `ganplay bench --ops`: where a training step's time goes. For each case, the operations its
//! step runs (at the case's shapes) are timed one by one, forward and backward, and each one's
//! time per step is set against the whole step's measured time. `--ops-json FILE` writes the
//! same list with the timings for `bench/torch_bench.py --ops FILE`, which times the operations
//! in PyTorch and prints both side by side.

mod plan;
mod time;

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use plan::{Row, step_ops};
use time::{Timing, time_op};

/// One case's breakdown.
#[derive(Serialize)]
struct CaseOps {
    name: String,
    steps_per_sec: f64,
    rows: Vec<TimedRow>,
}

#[derive(Serialize)]
struct TimedRow {
    #[serde(flatten)]
    row: Row,
    forward_s: f64,
    backward_s: f64,
}

impl TimedRow {
    fn seconds_per_step(&self) -> f64 {
        f64::from(self.row.forwards) * self.forward_s
            + f64::from(self.row.backwards) * self.backward_s
    }
}

/// Times the operations of `cases` (their names as `ganplay bench` knows them), each for
/// `seconds_per_op`, next to each case's whole step measured by `step_rate`.
pub fn run(
    cases: &[&str],
    device: &burn::tensor::Device,
    seconds_per_op: f64,
    step_rate: impl Fn(&str) -> Result<f64>,
    json: Option<&Path>,
) -> Result<()> {
    let mut report = Vec::new();
    for &name in cases {
        let Some(rows) = step_ops(name) else {
            bail!("`bench --ops` breaks down toy, mlp-small, mlp-gan, dcgan and vae, not `{name}`");
        };
        let steps_per_sec = step_rate(name)?;
        let rows = rows
            .into_iter()
            .map(|row| {
                let Timing { forward, backward } = time_op(&row.op, device, seconds_per_op);
                TimedRow {
                    row,
                    forward_s: forward,
                    backward_s: backward,
                }
            })
            .collect();
        let case = CaseOps {
            name: name.to_string(),
            steps_per_sec,
            rows,
        };
        print_case(&case);
        report.push(case);
    }
    if let Some(path) = json {
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn print_case(case: &CaseOps) {
    let step_ms = 1e3 / case.steps_per_sec;
    println!(
        "{}: {:.2} steps/s, {step_ms:.3} ms a step",
        case.name, case.steps_per_sec
    );
    println!(
        "  {:<17} {:<26} {:>9} {:>9} {:>6} {:>9} {:>6} {:>8}",
        "operation", "shape", "fwd ms", "bwd ms", "f/b", "ms/step", "share", "GFLOP/s"
    );
    let mut total = 0.0;
    for timed in &case.rows {
        let per_step = timed.seconds_per_step();
        total += per_step;
        let op = &timed.row.op;
        // Forward: 2 FLOPs a multiply-add; backward: twice the forward's (input and weight
        // gradients).
        let flops = 2.0 * op.forward_macs() as f64;
        let achieved = if flops > 0.0 {
            let work = f64::from(timed.row.forwards) * flops
                + f64::from(timed.row.backwards) * 2.0 * flops;
            format!("{:.2}", work / per_step / 1e9)
        } else {
            "-".to_string()
        };
        println!(
            "  {:<17} {:<26} {:>9.4} {:>9.4} {:>6} {:>9.3} {:>5.1}% {:>8}",
            op.name(),
            op.shape(),
            timed.forward_s * 1e3,
            timed.backward_s * 1e3,
            format!("{}/{}", timed.row.forwards, timed.row.backwards),
            per_step * 1e3,
            100.0 * per_step * case.steps_per_sec,
            achieved,
        );
    }
    // Each backward here computes every gradient it can; a step skips some (the critic's weights
    // in the generator's update, the real batch's input gradient), so the sum can pass 100%.
    println!(
        "  {:<17} {:<26} {:>9} {:>9} {:>6} {:>9.3} {:>5.1}%",
        "all operations",
        "",
        "",
        "",
        "",
        total * 1e3,
        100.0 * total * case.steps_per_sec
    );
}
