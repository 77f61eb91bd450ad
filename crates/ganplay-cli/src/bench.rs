//! `ganplay bench`: training steps per second of the benchmark GANs (`--ops`: per operation,
//! see [`crate::op_bench`]). Each line reads
//! `<name> <rate> steps/s   (<description>)`; `scripts/bench-native.sh` reads the first three
//! fields.

use std::time::Instant;

use anyhow::{Result, bail};
use ganplay_model::TrainSession;
use ganplay_model::data::bundled;
use ganplay_model::train::speed_cases::{BenchCase, bench_cases};

use crate::args::BenchArgs;
use crate::{device, losses, op_bench};

/// The cases `--ops` breaks down when none is named.
const OPS_CASES: [&str; 4] = ["toy", "mlp-gan", "dcgan", "vae"];

pub fn run(args: BenchArgs) -> Result<()> {
    let picked = device::select(args.device.choice)?;
    picked.announce();
    let cases = bench_cases(!args.page_sizes_only);
    if let Some(unknown) = args
        .cases
        .iter()
        .find(|n| !cases.iter().any(|c| c.name == **n))
    {
        let names: Vec<_> = cases.iter().map(|c| c.name).collect();
        bail!(
            "no benchmark case `{unknown}`; the cases are {}",
            names.join(", ")
        );
    }
    if args.ops {
        let names: Vec<&str> = if args.cases.is_empty() {
            OPS_CASES.to_vec()
        } else {
            args.cases.iter().map(String::as_str).collect()
        };
        let step_rate = |name: &str| {
            let case = cases.iter().find(|c| c.name == name).expect("a known case");
            steps_per_second(case, &picked.device, args.seconds)
        };
        return op_bench::run(
            &names,
            &picked.device,
            args.op_seconds,
            step_rate,
            args.ops_json.as_deref(),
        );
    }
    let wanted =
        |case: &BenchCase| args.cases.is_empty() || args.cases.iter().any(|n| n == case.name);
    for case in cases.iter().filter(|c| wanted(c)) {
        let rate = steps_per_second(case, &picked.device, args.seconds)?;
        // Ten columns fit the longest name (`mlp-small`); two decimals keep the full-size DCGAN's
        // fraction of a step per second readable.
        println!(
            "{:<10} {rate:>9.2} steps/s   ({})",
            case.name, case.description
        );
    }
    Ok(())
}

/// Warms up (kernel compilation, allocator pools), then times whole steps until `seconds` are
/// spent; waiting for the losses every few steps keeps a GPU's queue from running ahead.
fn steps_per_second(case: &BenchCase, device: &burn::tensor::Device, seconds: f64) -> Result<f64> {
    let mut session = TrainSession::new(
        case.config.clone(),
        case.data(&bundled::mnist_train()),
        device,
    )?;
    for _ in 0..3 {
        losses::wait(&session.step());
    }
    let start = Instant::now();
    let mut steps = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        let step_losses = session.step();
        steps += 1;
        if steps.is_multiple_of(10) {
            losses::wait(&step_losses);
        }
    }
    losses::wait(&session.step());
    steps += 1;
    Ok(steps as f64 / start.elapsed().as_secs_f64())
}
