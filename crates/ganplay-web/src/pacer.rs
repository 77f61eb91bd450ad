//! How many training steps to queue before each read-back.
//!
//! On the CPU backend the steps run while the page waits, so a frame must stay short. On WebGPU
//! queuing is quick and the read-back is awaited (the page stays responsive), but each read-back
//! costs a fixed delay; queuing more steps per read-back is then the only way to go faster. The
//! pacer doubles the steps per frame while that blocks the page only briefly and raises the
//! throughput, and halves them when the page is blocked too long.

/// Time the page may be blocked queuing steps, in milliseconds.
const BLOCKING_TARGET_MS: f64 = 30.0;
const MAX_STEPS_PER_FRAME: usize = 256;

pub struct Pacer {
    steps: usize,
    best_rate: f64,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer {
            steps: 1,
            best_rate: 0.0,
        }
    }
}

impl Pacer {
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Records a frame: `blocking_ms` spent queuing, `total_ms` including the read-back.
    pub fn record(&mut self, blocking_ms: f64, total_ms: f64) {
        let rate = self.steps as f64 / total_ms.max(1e-3);
        if blocking_ms > 2.0 * BLOCKING_TARGET_MS {
            if self.steps > 1 {
                self.steps /= 2;
                self.best_rate = 0.0;
            }
        } else if blocking_ms < BLOCKING_TARGET_MS / 2.0
            && self.steps < MAX_STEPS_PER_FRAME
            && (total_ms < BLOCKING_TARGET_MS || rate > 1.1 * self.best_rate)
        {
            self.best_rate = self.best_rate.max(rate);
            self.steps *= 2;
        }
    }
}
