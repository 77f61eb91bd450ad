//! When the training loop reads a view back (samples, metrics, the decision surface).
//!
//! A view costs device work and a larger read-back on top of the frame's steps. A few views a
//! second look live, so they come every [`MIN_INTERVAL_MS`]; where one costs more than
//! [`MAX_VIEW_SHARE`] of that (a slow device, such as a software WebGPU adapter, where a view
//! takes as long as a training step), they come rarer, so that training keeps the rest of the
//! loop's time.

/// The shortest time between two views.
pub const MIN_INTERVAL_MS: f64 = 200.0;
/// The longest: below one view in this long the page looks stuck.
pub const MAX_INTERVAL_MS: f64 = 5000.0;
/// The share of the loop's time views may take.
pub const MAX_VIEW_SHARE: f64 = 1.0 / 6.0;
/// Weight of the newest frame in the running estimates.
const SMOOTHING: f64 = 0.3;

#[derive(Debug, Default)]
pub struct ViewClock {
    /// When the last view was asked for (`None`: never).
    last_view_ms: Option<f64>,
    /// Time per training step in frames without a view.
    step_ms: Option<f64>,
    /// Extra time a view adds to its frame.
    view_ms: f64,
}

impl ViewClock {
    /// Whether the frame starting at `now_ms` should read a view back.
    pub fn due(&self, now_ms: f64) -> bool {
        let Some(last) = self.last_view_ms else {
            return true;
        };
        // A view's cost is measured against a frame without one, so one must come first.
        if self.step_ms.is_none() {
            return false;
        }
        now_ms - last >= self.interval_ms()
    }

    /// Time between views: the shortest that keeps views within their share.
    pub fn interval_ms(&self) -> f64 {
        (self.view_ms / MAX_VIEW_SHARE).clamp(MIN_INTERVAL_MS, MAX_INTERVAL_MS)
    }

    /// Records a frame that started at `started_ms`, ran `steps` steps and took `total_ms`.
    pub fn record(&mut self, started_ms: f64, steps: usize, total_ms: f64, had_view: bool) {
        let steps = steps.max(1) as f64;
        if had_view {
            self.last_view_ms = Some(started_ms);
            if let Some(step_ms) = self.step_ms {
                let cost = (total_ms - steps * step_ms).max(0.0);
                self.view_ms = smooth(self.view_ms, cost);
            }
        } else {
            let per_step = total_ms / steps;
            self.step_ms = Some(self.step_ms.map_or(per_step, |s| smooth(s, per_step)));
        }
    }
}

fn smooth(old: f64, new: f64) -> f64 {
    old + SMOOTHING * (new - old)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the loop for `seconds` with frames of `steps` steps at `step_ms` each, plus
    /// `view_ms` when a view is read; returns the share of time spent on views and the views.
    fn simulate(step_ms: f64, steps: usize, view_ms: f64, seconds: f64) -> (f64, usize) {
        let mut clock = ViewClock::default();
        let (mut now, mut in_views, mut views) = (0.0, 0.0, 0);
        while now < seconds * 1000.0 {
            let view = clock.due(now);
            let total = steps as f64 * step_ms + if view { view_ms } else { 0.0 };
            clock.record(now, steps, total, view);
            if view {
                in_views += view_ms;
                views += 1;
            }
            now += total;
        }
        (in_views / now, views)
    }

    #[test]
    fn cheap_views_come_every_min_interval() {
        // 20 ms frames, 2 ms views: five views a second.
        let (share, views) = simulate(1.0, 20, 2.0, 10.0);
        assert!((45..=52).contains(&views), "{views} views in 10 s");
        assert!(share < 0.02, "{share}");
    }

    #[test]
    fn costly_views_are_spaced_to_their_share() {
        // A software adapter: 140 ms steps, 90 ms views. Reading one every frame would spend
        // 39% of the time on views.
        let (share, views) = simulate(140.0, 1, 90.0, 60.0);
        assert!(
            share <= MAX_VIEW_SHARE + 0.02,
            "views took {share:.2} of the time"
        );
        assert!(views >= 60, "only {views} views in a minute");
    }

    #[test]
    fn very_costly_views_still_come_every_max_interval() {
        let (_, views) = simulate(50.0, 1, 3000.0, 60.0);
        assert!(
            views >= 60_000 / (MAX_INTERVAL_MS as usize + 3050),
            "{views} views"
        );
    }

    #[test]
    fn the_first_frame_has_a_view_and_the_second_measures_a_step() {
        let mut clock = ViewClock::default();
        assert!(clock.due(0.0));
        clock.record(0.0, 1, 500.0, true);
        assert!(
            !clock.due(10_000.0),
            "no step time yet: a frame without a view comes first"
        );
        clock.record(500.0, 1, 100.0, false);
        assert!(clock.due(10_000.0));
    }
}
