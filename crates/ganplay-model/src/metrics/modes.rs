//! Mode coverage and sample quality for 2D distributions, as defined by PacGAN: a sample is
//! high quality when it lies within 3σ of the distribution's shape, and a mode is covered when at
//! least one high-quality sample is nearest to it.

use crate::data::toy::ToyDataset;

/// How many samples the metrics are computed on (PacGAN's setting): the session's evaluation noise.
pub use crate::train::EVALUATION_SAMPLES as METRIC_SAMPLES;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModeMetrics {
    /// Modes with at least one high-quality sample.
    pub modes_covered: usize,
    /// Modes the distribution has.
    pub mode_count: usize,
    /// Share of samples within 3σ of the shape, in percent.
    pub high_quality_percent: f32,
    /// The σ the quality threshold used.
    pub sigma: f32,
}

impl ModeMetrics {
    /// `k/N`, as the page shows it.
    pub fn modes_text(&self) -> String {
        format!("{}/{}", self.modes_covered, self.mode_count)
    }
}

/// Scores generated points against `data`. Non-finite points count as low quality.
pub fn mode_metrics(data: &ToyDataset, samples: &[[f32; 2]]) -> ModeMetrics {
    let threshold2 = (3.0 * data.sigma()).powi(2);
    let mut covered = vec![false; data.mode_count()];
    let mut high_quality = 0usize;
    for &p in samples {
        if !(p[0].is_finite() && p[1].is_finite()) {
            continue;
        }
        let (anchor, d2) = data.nearest_anchor(p);
        if d2 <= threshold2 {
            high_quality += 1;
            covered[data.mode_of_anchor(anchor)] = true;
        }
    }
    ModeMetrics {
        modes_covered: covered.iter().filter(|c| **c).count(),
        mode_count: data.mode_count(),
        high_quality_percent: if samples.is_empty() {
            0.0
        } else {
            100.0 * high_quality as f32 / samples.len() as f32
        },
        sigma: data.sigma(),
    }
}

/// The mode nearest to the most samples (whatever their quality) and the share of samples nearest
/// to it, in [0, 1]: a generator that piles onto one mode has a share near 1, one that spreads
/// evenly over N modes about 1/N. Non-finite samples count as nearest to no mode.
pub fn dominant_mode(data: &ToyDataset, samples: &[[f32; 2]]) -> (usize, f32) {
    let mut counts = vec![0usize; data.mode_count()];
    for &p in samples
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
    {
        counts[data.mode_of_anchor(data.nearest_anchor(p).0)] += 1;
    }
    let (mode, most) = counts
        .iter()
        .enumerate()
        .max_by_key(|(mode, n)| (**n, std::cmp::Reverse(*mode)))
        .map_or((0, 0), |(mode, n)| (mode, *n));
    (mode, most as f32 / samples.len().max(1) as f32)
}

/// Pairs from a flat `[x0, y0, x1, y1, …]` read-back.
pub fn points_from_flat(flat: &[f32]) -> Vec<[f32; 2]> {
    flat.chunks_exact(2).map(|c| [c[0], c[1]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::toy::ToyKind;

    fn ring() -> ToyDataset {
        ToyDataset::new(ToyKind::Ring8, 0.01).unwrap()
    }

    #[test]
    fn samples_on_every_mode_score_full_marks() {
        let data = ring();
        let samples: Vec<[f32; 2]> = data
            .anchors()
            .iter()
            .map(|a| [a[0] + 0.01, a[1] - 0.01])
            .collect();
        let m = mode_metrics(&data, &samples);
        assert_eq!(m.modes_text(), "8/8");
        assert_eq!(m.high_quality_percent, 100.0);
    }

    #[test]
    fn a_collapsed_generator_covers_one_mode() {
        let data = ring();
        let m = mode_metrics(&data, &vec![[1.0, 0.0]; 100]);
        assert_eq!(m.modes_covered, 1);
        assert_eq!(m.high_quality_percent, 100.0);
    }

    #[test]
    fn samples_beyond_three_sigma_are_low_quality_and_cover_nothing() {
        let data = ring();
        // 0.031 from the mode at (1, 0): just past 3σ = 0.03.
        let m = mode_metrics(&data, &[[1.031, 0.0], [0.0, 0.0]]);
        assert_eq!(m.modes_covered, 0);
        assert_eq!(m.high_quality_percent, 0.0);
        // 0.029 is inside.
        let m = mode_metrics(&data, &[[1.029, 0.0], [0.0, 0.0]]);
        assert_eq!((m.modes_covered, m.high_quality_percent), (1, 50.0));
    }

    #[test]
    fn non_finite_samples_count_as_bad() {
        let m = mode_metrics(&ring(), &[[f32::NAN, 0.0], [1.0, 0.0]]);
        assert_eq!((m.modes_covered, m.high_quality_percent), (1, 50.0));
    }

    #[test]
    fn samples_along_a_curve_are_high_quality() {
        let data = ToyDataset::new(ToyKind::Line, 0.05).unwrap();
        let samples: Vec<[f32; 2]> = (0..100)
            .map(|i| {
                let t = i as f32 / 50.0 - 1.0;
                [t, t]
            })
            .collect();
        let m = mode_metrics(&data, &samples);
        assert_eq!(m.modes_text(), "5/5");
        assert_eq!(m.high_quality_percent, 100.0);
        let off = mode_metrics(&data, &[[0.5, -0.5]]);
        assert_eq!(off.high_quality_percent, 0.0);
    }

    #[test]
    fn the_dominant_mode_holds_the_most_samples() {
        let ring = ring();
        let at = |angle: f32| [angle.cos(), angle.sin()];
        let step = std::f32::consts::TAU / 8.0;
        // Three samples near mode 2, one near mode 5, one off the plane.
        let samples = [
            at(2.0 * step),
            at(2.0 * step + 0.1),
            at(2.0 * step - 0.1),
            at(5.0 * step),
            [f32::NAN, 0.0],
        ];
        let (mode, share) = dominant_mode(&ring, &samples);
        assert_eq!(
            ring.mode_of_anchor(ring.nearest_anchor(at(2.0 * step)).0),
            mode
        );
        assert!((share - 0.6).abs() < 1e-6, "{share}");
        assert_eq!(dominant_mode(&ring, &[]), (0, 0.0));
    }
}
