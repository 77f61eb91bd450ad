//! The reduced augmentation benchmark in the page: the CLI's `ganplay augment` grid cut down to
//! one budget (10 digits per class), ratio 1 and fewer steps, run step by step between frames.
//! Dropping the handle cancels it.

use std::cell::Cell;
use std::rc::Rc;

use burn::tensor::Device;
use ganplay_model::augment_bench::{
    ArmSummary, BenchmarkPlan, BenchmarkRun, RunProgress, summarise,
};
use yew::Callback;

use crate::browser::yield_to_browser;
use crate::digits;

/// Training steps between yields to the browser.
const STEPS_PER_SLICE: u64 = 4;

/// A running benchmark; dropping it stops it at the next slice.
pub struct AugmentHandle {
    cancelled: Rc<Cell<bool>>,
}

impl Drop for AugmentHandle {
    fn drop(&mut self) {
        self.cancelled.set(true);
    }
}

pub fn start(
    device: Device,
    seeds: usize,
    on_progress: Callback<RunProgress>,
    on_done: Callback<Result<Vec<ArmSummary>, String>>,
) -> AugmentHandle {
    let cancelled = Rc::new(Cell::new(false));
    let flag = cancelled.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = run(device, seeds, &flag, &on_progress).await;
        if !flag.get() {
            on_done.emit(result);
        }
    });
    AugmentHandle { cancelled }
}

async fn run(
    device: Device,
    seeds: usize,
    cancelled: &Cell<bool>,
    on_progress: &Callback<RunProgress>,
) -> Result<Vec<ArmSummary>, String> {
    let digits = digits::load().await?;
    let plan = BenchmarkPlan::page(seeds);
    let jobs = plan.jobs(None);
    let mut run = BenchmarkRun::new(plan, jobs, digits.train, digits.test, &device)
        .map_err(|e| e.to_string())?;
    while !run.is_finished() {
        if cancelled.get() {
            return Err("cancelled".into());
        }
        run.advance(STEPS_PER_SLICE)
            .await
            .map_err(|e| e.to_string())?;
        on_progress.emit(run.progress());
        yield_to_browser().await;
    }
    Ok(summarise(run.rows()))
}
