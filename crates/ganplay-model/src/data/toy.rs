//! Toy 2D distributions (the GAN Lab data sets) and the mode layout their metrics use.
//!
//! Every distribution is a set of *anchors* (points on its ideal shape) blurred by Gaussian noise
//! of standard deviation `sigma`. Mixtures (ring8, grid25, drawn points) have one anchor per mode;
//! curves (spiral, moons, line) have many anchors spaced far below `sigma`, grouped into segments
//! that count as modes. Sampling and metrics read the same anchors, so they always agree.

use rand::Rng;
use rand::RngCore;
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

use crate::data::RealData;

/// Which toy distribution to draw from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToyKind {
    /// 8 Gaussians on a circle of radius 1 (PacGAN's ring).
    Ring8,
    /// 25 Gaussians on the grid {-4,-2,0,2,4}² (PacGAN's grid).
    Grid25,
    /// One and a half turns of an Archimedean spiral.
    Spiral,
    /// scikit-learn's two interleaved half circles.
    Moons,
    /// A straight segment from (-1,-1) to (1,1).
    Line,
    /// Gaussians centred on points the user gives (drawn on the page or read from CSV).
    Custom,
}

crate::string_ids!(ToyKind {
    Ring8 => "ring8", "Ring of 8 Gaussians",
    Grid25 => "grid25", "Grid of 25 Gaussians",
    Spiral => "spiral", "Spiral",
    Moons => "moons", "Two moons",
    Line => "line", "Line",
    Custom => "custom", "Drawn points",
});

impl ToyKind {
    /// Noise used when the user does not choose one: the PacGAN value for grid25, and a wider
    /// blur than PacGAN's 0.01 for the others so the shapes are visible when teaching.
    pub fn default_sigma(self) -> f32 {
        0.05
    }
}

/// Smallest and largest noise a user may choose.
pub const SIGMA_RANGE: std::ops::RangeInclusive<f32> = 0.001..=1.0;
/// Most points a drawn distribution may hold (each becomes a mode).
pub const MAX_CUSTOM_POINTS: usize = 512;

/// Errors building a toy distribution.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ToyError {
    #[error("noise sigma must be between {min} and {max}, got {0}", min = SIGMA_RANGE.start(), max = SIGMA_RANGE.end())]
    Sigma(f32),
    #[error("a drawn distribution needs at least one point")]
    NoPoints,
    #[error("a drawn distribution may hold at most {MAX_CUSTOM_POINTS} points, got {0}")]
    TooManyPoints(usize),
    #[error("point {0} is not a finite number pair")]
    BadPoint(usize),
}

/// A toy 2D distribution: anchors, their grouping into modes, and the blur. Serialisable so the
/// page can hand a drawn distribution to its training worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToyDataset {
    kind: ToyKind,
    sigma: f32,
    anchors: Vec<[f32; 2]>,
    mode_of_anchor: Vec<usize>,
    mode_count: usize,
}

/// Anchors per curve: dense enough that the distance to the nearest anchor is the distance to
/// the curve within a small fraction of sigma.
const CURVE_ANCHORS: usize = 400;

impl ToyDataset {
    /// A built-in distribution. `Custom` needs points: use [`ToyDataset::custom`].
    pub fn new(kind: ToyKind, sigma: f32) -> Result<Self, ToyError> {
        check_sigma(sigma)?;
        let (anchors, mode_of_anchor, mode_count) = match kind {
            ToyKind::Ring8 => mixture(
                (0..8)
                    .map(|k| {
                        let a = k as f32 * std::f32::consts::TAU / 8.0;
                        [a.cos(), a.sin()]
                    })
                    .collect(),
            ),
            ToyKind::Grid25 => mixture(
                (0..25)
                    .map(|k| [(k % 5) as f32 * 2.0 - 4.0, (k / 5) as f32 * 2.0 - 4.0])
                    .collect(),
            ),
            ToyKind::Spiral => curve(8, |t| {
                let theta = t * 3.0 * std::f32::consts::PI;
                let r = 0.15 + 0.85 * t;
                [r * theta.cos(), r * theta.sin()]
            }),
            ToyKind::Moons => {
                // Two half circles laid out end to end along t, each split into four modes.
                curve(8, |t| {
                    let (upper, u) = if t < 0.5 {
                        (true, t * 2.0)
                    } else {
                        (false, t * 2.0 - 1.0)
                    };
                    let a = u * std::f32::consts::PI;
                    if upper {
                        [a.cos() - 0.5, a.sin() - 0.25]
                    } else {
                        [0.5 - a.cos(), 0.25 - a.sin()]
                    }
                })
            }
            ToyKind::Line => curve(5, |t| [2.0 * t - 1.0, 2.0 * t - 1.0]),
            ToyKind::Custom => return Err(ToyError::NoPoints),
        };
        Ok(ToyDataset {
            kind,
            sigma,
            anchors,
            mode_of_anchor,
            mode_count,
        })
    }

    /// Gaussians centred on the given points; each point is one mode.
    pub fn custom(points: &[[f32; 2]], sigma: f32) -> Result<Self, ToyError> {
        check_sigma(sigma)?;
        if points.is_empty() {
            return Err(ToyError::NoPoints);
        }
        if points.len() > MAX_CUSTOM_POINTS {
            return Err(ToyError::TooManyPoints(points.len()));
        }
        if let Some(i) = points
            .iter()
            .position(|p| !p[0].is_finite() || !p[1].is_finite())
        {
            return Err(ToyError::BadPoint(i));
        }
        let (anchors, mode_of_anchor, mode_count) = mixture(points.to_vec());
        Ok(ToyDataset {
            kind: ToyKind::Custom,
            sigma,
            anchors,
            mode_of_anchor,
            mode_count,
        })
    }

    pub fn kind(&self) -> ToyKind {
        self.kind
    }
    pub fn sigma(&self) -> f32 {
        self.sigma
    }
    pub fn mode_count(&self) -> usize {
        self.mode_count
    }
    pub fn anchors(&self) -> &[[f32; 2]] {
        &self.anchors
    }

    /// Half-width of a square view that holds the whole distribution with a margin.
    pub fn view_extent(&self) -> f32 {
        let reach = self
            .anchors
            .iter()
            .map(|p| p[0].abs().max(p[1].abs()))
            .fold(0.0f32, f32::max);
        (reach + 4.0 * self.sigma).max(0.5) * 1.2
    }

    /// The anchor nearest to `p` and its squared distance.
    pub fn nearest_anchor(&self, p: [f32; 2]) -> (usize, f32) {
        let mut best = (0, f32::INFINITY);
        for (i, a) in self.anchors.iter().enumerate() {
            let d = (a[0] - p[0]).powi(2) + (a[1] - p[1]).powi(2);
            if d < best.1 {
                best = (i, d);
            }
        }
        best
    }

    /// The mode an anchor belongs to.
    pub fn mode_of_anchor(&self, anchor: usize) -> usize {
        self.mode_of_anchor[anchor]
    }

    /// `n` points, drawn with `rng`, as pairs.
    pub fn sample_points(&self, n: usize, rng: &mut dyn RngCore) -> Vec<[f32; 2]> {
        let mut flat = Vec::with_capacity(n * 2);
        self.sample_into(n, rng, &mut flat);
        flat.chunks_exact(2).map(|c| [c[0], c[1]]).collect()
    }
}

impl RealData for ToyDataset {
    fn dim(&self) -> usize {
        2
    }

    fn sample_into(&self, n: usize, rng: &mut dyn RngCore, out: &mut Vec<f32>) {
        let noise = Normal::new(0.0f32, self.sigma).expect("sigma was checked to be positive");
        for _ in 0..n {
            let a = self.anchors[rng.random_range(0..self.anchors.len())];
            out.push(a[0] + noise.sample(rng));
            out.push(a[1] + noise.sample(rng));
        }
    }
}

fn check_sigma(sigma: f32) -> Result<(), ToyError> {
    if SIGMA_RANGE.contains(&sigma) {
        Ok(())
    } else {
        Err(ToyError::Sigma(sigma))
    }
}

/// One anchor per mode.
fn mixture(centres: Vec<[f32; 2]>) -> (Vec<[f32; 2]>, Vec<usize>, usize) {
    let n = centres.len();
    (centres, (0..n).collect(), n)
}

/// Dense anchors along a curve `t ∈ [0, 1] → point`, split into `modes` equal stretches of t.
fn curve(modes: usize, at: impl Fn(f32) -> [f32; 2]) -> (Vec<[f32; 2]>, Vec<usize>, usize) {
    let anchors = (0..CURVE_ANCHORS)
        .map(|i| at(i as f32 / (CURVE_ANCHORS - 1) as f32))
        .collect();
    let mode_of = (0..CURVE_ANCHORS)
        .map(|i| (i * modes / CURVE_ANCHORS).min(modes - 1))
        .collect();
    (anchors, mode_of, modes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn ring8_samples_lie_near_the_unit_circle() {
        let data = ToyDataset::new(ToyKind::Ring8, 0.01).unwrap();
        let pts = data.sample_points(1000, &mut StdRng::seed_from_u64(1));
        for p in &pts {
            let r = (p[0] * p[0] + p[1] * p[1]).sqrt();
            assert!((r - 1.0).abs() < 0.06, "radius {r}");
        }
        assert_eq!(data.mode_count(), 8);
    }

    #[test]
    fn grid25_visits_every_mode_evenly() {
        let data = ToyDataset::new(ToyKind::Grid25, 0.05).unwrap();
        let pts = data.sample_points(25_000, &mut StdRng::seed_from_u64(2));
        let mut counts = [0usize; 25];
        for p in pts {
            let (a, d2) = data.nearest_anchor(p);
            assert!(d2.sqrt() < 0.4);
            counts[data.mode_of_anchor(a)] += 1;
        }
        for c in counts {
            assert!((800..1200).contains(&c), "uneven mode count {c}");
        }
    }

    #[test]
    fn curves_group_anchors_into_contiguous_modes() {
        for kind in [ToyKind::Spiral, ToyKind::Moons, ToyKind::Line] {
            let data = ToyDataset::new(kind, 0.05).unwrap();
            let modes: Vec<usize> = (0..data.anchors().len())
                .map(|a| data.mode_of_anchor(a))
                .collect();
            assert!(
                modes.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1),
                "{kind:?}"
            );
            assert_eq!(*modes.last().unwrap() + 1, data.mode_count());
            // Adjacent anchors are much closer than sigma, so "near an anchor" means "near the curve".
            let a = data.anchors();
            let widest_gap = (1..a.len())
                .filter(|&i| modes[i] == modes[i - 1])
                .map(|i| ((a[i][0] - a[i - 1][0]).powi(2) + (a[i][1] - a[i - 1][1]).powi(2)).sqrt())
                .fold(0.0f32, f32::max);
            assert!(widest_gap < 0.03, "{kind:?}: {widest_gap}");
        }
    }

    #[test]
    fn sampling_is_reproducible_from_a_seed() {
        let data = ToyDataset::new(ToyKind::Spiral, 0.05).unwrap();
        let a = data.sample_points(10, &mut StdRng::seed_from_u64(7));
        let b = data.sample_points(10, &mut StdRng::seed_from_u64(7));
        assert_eq!(a, b);
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert_eq!(
            ToyDataset::new(ToyKind::Ring8, 0.0),
            Err(ToyError::Sigma(0.0))
        );
        assert!(
            ToyDataset::new(ToyKind::Ring8, f32::NAN)
                .unwrap_err()
                .to_string()
                .contains("sigma")
        );
        assert_eq!(ToyDataset::custom(&[], 0.1), Err(ToyError::NoPoints));
        assert_eq!(
            ToyDataset::custom(&[[0.0, f32::INFINITY]], 0.1),
            Err(ToyError::BadPoint(0))
        );
        let many = vec![[0.0, 0.0]; MAX_CUSTOM_POINTS + 1];
        assert_eq!(
            ToyDataset::custom(&many, 0.1),
            Err(ToyError::TooManyPoints(MAX_CUSTOM_POINTS + 1))
        );
    }

    #[test]
    fn custom_points_become_modes() {
        let data = ToyDataset::custom(&[[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]], 0.05).unwrap();
        assert_eq!(data.mode_count(), 3);
        assert_eq!(data.kind().id(), "custom");
        assert!(data.view_extent() >= 1.0);
    }
}
