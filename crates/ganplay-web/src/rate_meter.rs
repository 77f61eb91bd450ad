//! The training speed the page shows: steps per second over the last two seconds, so it follows
//! a change of speed within a couple of frames without jumping with every frame.

use std::collections::VecDeque;

/// How far back the rate looks, in milliseconds.
const WINDOW_MS: f64 = 2000.0;

#[derive(Default)]
pub struct RateMeter {
    /// (time in ms, steps done by then), oldest first.
    samples: VecDeque<(f64, u64)>,
}

impl RateMeter {
    /// Records that `steps` steps were done by `at_ms`, and returns the steps per second since
    /// the oldest sample in the window (0 until time has passed).
    pub fn record(&mut self, at_ms: f64, steps: u64) -> f64 {
        self.samples.push_back((at_ms, steps));
        while self.samples.len() > 2 && at_ms - self.samples[0].0 > WINDOW_MS {
            self.samples.pop_front();
        }
        let (t0, s0) = self.samples[0];
        if at_ms > t0 {
            steps.saturating_sub(s0) as f64 / ((at_ms - t0) / 1000.0)
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_steps_per_second_since_the_oldest_sample_in_the_window() {
        let mut meter = RateMeter::default();
        assert_eq!(meter.record(1000.0, 0), 0.0, "no time has passed");
        assert_eq!(meter.record(1500.0, 10), 20.0);
        assert_eq!(meter.record(2000.0, 20), 20.0);
        // The run speeds up: after the window has passed, only the new speed counts.
        for (at, steps) in [(2500.0, 70), (3000.0, 120), (3500.0, 170), (4000.0, 220)] {
            meter.record(at, steps);
        }
        let rate = meter.record(4500.0, 270);
        assert_eq!(rate, 100.0);
    }

    #[test]
    fn a_long_pause_keeps_the_last_two_samples() {
        let mut meter = RateMeter::default();
        meter.record(0.0, 0);
        meter.record(100.0, 5);
        // Ten seconds later, five more steps: the rate spans the pause rather than dividing by 0.
        let rate = meter.record(10_100.0, 10);
        assert!((rate - 0.5).abs() < 1e-9, "{rate}");
    }
}
