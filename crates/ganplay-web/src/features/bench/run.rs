//! One benchmark run: each shared case timed the way the training loop runs (queue a chunk of
//! steps, read the last loss back).

use burn::tensor::Device;
use ganplay_model::TrainSession;
use ganplay_model::train::speed_cases::bench_cases;

use crate::browser::{mark_timeline, now_ms, yield_to_browser};
use crate::event_loop::read_back;
use crate::pacer::Pacer;

pub async fn run(device: Device, seconds_per_case: f64) -> Result<Vec<String>, String> {
    let digits = crate::digits::load().await?;
    let mut lines = Vec::new();
    for case in bench_cases(false) {
        let mut session = TrainSession::new(case.config.clone(), case.data(&digits.train), &device)
            .map_err(|e| e.to_string())?;
        for _ in 0..2 {
            read_back(session.step().packed()).await?;
        }
        mark_timeline(&format!("ganplay-bench {} start", case.name));
        let start = now_ms();
        let (mut steps, mut pacer) = (0u64, Pacer::default());
        while now_ms() - start < seconds_per_case * 1000.0 {
            let chunk_start = now_ms();
            let mut last = session.step();
            for _ in 1..pacer.steps() {
                last = session.step();
            }
            steps += pacer.steps() as u64;
            let blocking = now_ms() - chunk_start;
            read_back(last.packed()).await?;
            pacer.record(blocking, now_ms() - chunk_start);
            yield_to_browser().await;
        }
        let rate = steps as f64 / ((now_ms() - start) / 1000.0);
        mark_timeline(&format!("ganplay-bench {} end {steps}", case.name));
        lines.push(format!(
            "{}: {rate:.2} steps/s ({})",
            case.name, case.description
        ));
    }
    Ok(lines)
}
