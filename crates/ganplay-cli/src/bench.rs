//! `ganplay bench`: training steps per second of the benchmark GANs.

use std::time::Instant;

use anyhow::Result;
use ganplay_model::TrainSession;
use ganplay_model::bench::bench_cases;

use crate::args::BenchArgs;
use crate::device;

pub fn run(args: BenchArgs) -> Result<()> {
    let (device, name) = device::select(args.device)?;
    println!("device: {name}");
    for case in bench_cases(!args.page_sizes_only) {
        let mut session = TrainSession::new(case.config.clone(), case.data(), &device)?;
        // Warm up (kernel compilation, allocator pools), then time whole steps until the budget
        // is spent; reading the last loss waits for queued GPU work.
        for _ in 0..3 {
            session.step().packed().into_data();
        }
        let start = Instant::now();
        let mut steps = 0u64;
        while start.elapsed().as_secs_f64() < args.seconds {
            let losses = session.step();
            steps += 1;
            if steps % 10 == 0 {
                losses.packed().into_data();
            }
        }
        session.step().packed().into_data();
        steps += 1;
        let rate = steps as f64 / start.elapsed().as_secs_f64();
        println!("{:<8} {rate:>9.1} steps/s   ({})", case.name, case.description);
    }
    Ok(())
}
