//! `ganplay bench`: training steps per second of the benchmark GANs. Each line reads
//! `<name> <rate> steps/s   (<description>)`; `scripts/bench-native.sh` reads the first three
//! fields.

use std::time::Instant;

use anyhow::Result;
use ganplay_model::TrainSession;
use ganplay_model::train::bench::{BenchCase, bench_cases};

use crate::args::BenchArgs;
use crate::{device, losses};

pub fn run(args: BenchArgs) -> Result<()> {
    let picked = device::select(args.device.choice)?;
    picked.announce();
    for case in bench_cases(!args.page_sizes_only) {
        let rate = steps_per_second(&case, &picked.device, args.seconds)?;
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
    let mut session = TrainSession::new(case.config.clone(), case.data(), device)?;
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
