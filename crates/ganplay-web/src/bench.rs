//! The page's benchmark: training steps per second of the shared benchmark cases on the backend
//! in use, timed the way the training loop runs (queue a chunk of steps, read the last loss back).

use burn::tensor::{Device, Tensor};
use ganplay_model::TrainSession;
use ganplay_model::bench::bench_cases;

use crate::app::now_ms;

pub async fn run(device: Device, seconds_per_case: f64) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    for case in bench_cases() {
        let mut session = TrainSession::new(case.config.clone(), case.data(), &device).map_err(|e| e.to_string())?;
        for _ in 0..2 {
            read(session.step().packed()).await?;
        }
        let start = now_ms();
        let (mut steps, mut chunk) = (0u64, 1usize);
        while now_ms() - start < seconds_per_case * 1000.0 {
            let chunk_start = now_ms();
            let mut last = session.step();
            for _ in 1..chunk {
                last = session.step();
            }
            steps += chunk as u64;
            read(last.packed()).await?;
            // Grow chunks while they are short, so read-backs do not dominate.
            if now_ms() - chunk_start < 30.0 && chunk < 256 {
                chunk *= 2;
            }
            gloo::timers::future::TimeoutFuture::new(0).await;
        }
        let rate = steps as f64 / ((now_ms() - start) / 1000.0);
        lines.push(format!("{}: {rate:.1} steps/s ({})", case.name, case.description));
    }
    Ok(lines)
}

async fn read(t: Tensor<1>) -> Result<(), String> {
    t.into_data_async().await.map(|_| ()).map_err(|e| format!("{e:?}"))
}
