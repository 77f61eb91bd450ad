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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_frames_double_the_steps_up_to_the_cap() {
        let mut pacer = Pacer::default();
        assert_eq!(pacer.steps(), 1);
        // WebGPU-like: queuing is quick and a frame is short whatever it holds.
        for expected in [2, 4, 8, 16, 32, 64, 128, 256, 256] {
            pacer.record(1.0, 10.0);
            assert_eq!(pacer.steps(), expected);
        }
    }

    #[test]
    fn a_blocked_page_halves_the_steps_and_never_goes_below_one() {
        let mut pacer = Pacer::default();
        pacer.record(1.0, 10.0);
        pacer.record(1.0, 10.0);
        assert_eq!(pacer.steps(), 4);
        pacer.record(2.5 * BLOCKING_TARGET_MS, 80.0);
        assert_eq!(pacer.steps(), 2);
        pacer.record(2.5 * BLOCKING_TARGET_MS, 80.0);
        pacer.record(2.5 * BLOCKING_TARGET_MS, 80.0);
        assert_eq!(pacer.steps(), 1);
    }

    #[test]
    fn long_read_backs_grow_the_steps_only_while_the_rate_improves() {
        let mut pacer = Pacer::default();
        // Each read-back costs 50 ms: more steps per frame raise the rate, until queuing them
        // costs as much as they gain.
        pacer.record(1.0, 50.0);
        assert_eq!(pacer.steps(), 2, "the first frame sets the best rate");
        pacer.record(2.0, 52.0);
        assert_eq!(pacer.steps(), 4, "2 steps / 52 ms beats 1 / 50 ms");
        pacer.record(4.0, 104.0);
        assert_eq!(pacer.steps(), 4, "4 steps / 104 ms is no faster: stay");
    }
}
