//! When the training worker sends the model it trains back to the page: its weights at most once
//! a second (what the page samples, downloads or keeps is at most that far behind), and with
//! them the optimiser's state at most every `keep_every_ms` (for the run the page keeps for a
//! reload). Pure, so the schedule is tested on the host.

/// Weights go to the page at most this often while the worker trains.
pub const SYNC_EVERY_MS: f64 = 1000.0;

/// What a frame sends along with itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    Nothing,
    Weights,
    WeightsAndState,
}

#[derive(Clone, Copy, Debug)]
pub struct WeightSync {
    last_weights_ms: f64,
    last_state_ms: f64,
    keep_every_ms: f64,
}

impl WeightSync {
    /// A schedule starting at `now_ms` (the page has the model as it was then).
    pub fn new(now_ms: f64, keep_every_ms: f64) -> Self {
        WeightSync {
            last_weights_ms: now_ms,
            last_state_ms: now_ms,
            keep_every_ms,
        }
    }

    /// What to send at `now_ms`; what it says is counted as sent.
    pub fn due(&mut self, now_ms: f64) -> Due {
        if now_ms - self.last_weights_ms < SYNC_EVERY_MS {
            return Due::Nothing;
        }
        self.last_weights_ms = now_ms;
        if now_ms - self.last_state_ms < self.keep_every_ms {
            return Due::Weights;
        }
        self.last_state_ms = now_ms;
        Due::WeightsAndState
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_go_every_second_and_the_optimiser_state_with_them_when_a_keep_is_due() {
        let mut sync = WeightSync::new(0.0, 3000.0);
        assert_eq!(sync.due(500.0), Due::Nothing);
        assert_eq!(sync.due(1000.0), Due::Weights);
        assert_eq!(
            sync.due(1500.0),
            Due::Nothing,
            "a second since the last weights"
        );
        assert_eq!(sync.due(2100.0), Due::Weights);
        assert_eq!(sync.due(3200.0), Due::WeightsAndState);
        assert_eq!(sync.due(4300.0), Due::Weights, "the state was just sent");
        // A long frame: both are due at once, and both count as sent.
        assert_eq!(sync.due(20_000.0), Due::WeightsAndState);
        assert_eq!(sync.due(20_500.0), Due::Nothing);
    }
}
