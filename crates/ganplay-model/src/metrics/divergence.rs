//! KL and JS divergence between a 2D data set's density and a generator's, on a grid.
//!
//! The real side is exact: each cell's probability under the data's Gaussian mixture (every anchor
//! equally likely, σ around it), integrated over the cell. The generated side is a histogram of
//! the generated points. Points and mass outside the grid share one extra cell, so samples that
//! fly off still count. KL(real ‖ generated) punishes dropped modes; it needs a generated
//! probability above zero everywhere, so the histogram gets a small pseudo-count per cell (see
//! [`PSEUDO_COUNT`]). JS needs no smoothing and is bounded by ln 2.

use crate::data::toy::ToyDataset;

/// Cells per side of the grid over the data's view square.
pub const GRID_CELLS: usize = 32;
/// Pseudo-count added to every cell of the generated histogram: with 2,500 samples and 1,025
/// cells it moves about 0.4% of the mass, and caps what one empty cell can cost in KL.
pub const PSEUDO_COUNT: f64 = 0.01;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Divergence {
    /// KL(real ‖ generated), in nats.
    pub kl: f64,
    /// Jensen–Shannon divergence, in nats (0 to ln 2).
    pub js: f64,
}

/// The data's cell probabilities, computed once per data set and reused for every score.
#[derive(Clone, Debug, PartialEq)]
pub struct DensityGrid {
    extent: f32,
    /// `GRID_CELLS²` cells row by row from the bottom, then the outside cell.
    real: Vec<f64>,
}

impl DensityGrid {
    /// The data's probability of each cell of its view square (`data.view_extent()`).
    pub fn new(data: &ToyDataset) -> Self {
        let extent = data.view_extent();
        let edges: Vec<f64> = (0..=GRID_CELLS)
            .map(|i| -extent as f64 + 2.0 * extent as f64 * i as f64 / GRID_CELLS as f64)
            .collect();
        let sigma = data.sigma() as f64;
        // The Gaussian is separable: a cell's mass is the product of its x and y interval masses.
        let interval_masses = |centre: f64| -> Vec<f64> {
            edges
                .windows(2)
                .map(|e| normal_cdf((e[1] - centre) / sigma) - normal_cdf((e[0] - centre) / sigma))
                .collect()
        };
        let mut real = vec![0.0; GRID_CELLS * GRID_CELLS + 1];
        let weight = 1.0 / data.anchors().len() as f64;
        for anchor in data.anchors() {
            let xs = interval_masses(anchor[0] as f64);
            let ys = interval_masses(anchor[1] as f64);
            for (row, y) in ys.iter().enumerate() {
                for (col, x) in xs.iter().enumerate() {
                    real[row * GRID_CELLS + col] += weight * x * y;
                }
            }
        }
        let inside: f64 = real.iter().sum();
        real[GRID_CELLS * GRID_CELLS] = (1.0 - inside).max(0.0);
        DensityGrid { extent, real }
    }

    /// The cell a point falls in; non-finite and outside points go to the outside cell.
    fn cell(&self, p: [f32; 2]) -> usize {
        let outside = GRID_CELLS * GRID_CELLS;
        let index = |v: f32| {
            let i = ((v + self.extent) / (2.0 * self.extent) * GRID_CELLS as f32).floor();
            (i >= 0.0 && i < GRID_CELLS as f32).then_some(i as usize)
        };
        match (index(p[0]), index(p[1])) {
            (Some(col), Some(row)) => row * GRID_CELLS + col,
            _ => outside,
        }
    }

    /// KL and JS of the generated points' histogram against the data's density.
    pub fn divergence(&self, generated: &[[f32; 2]]) -> Divergence {
        let mut counts = vec![0.0f64; self.real.len()];
        for &p in generated {
            counts[self.cell(p)] += 1.0;
        }
        let n = generated.len() as f64;
        let smoothed_total = n + PSEUDO_COUNT * counts.len() as f64;
        let mut kl = 0.0;
        let mut js = 0.0;
        for (&p, &count) in self.real.iter().zip(&counts) {
            let q_smoothed = (count + PSEUDO_COUNT) / smoothed_total;
            if p > 0.0 {
                kl += p * (p / q_smoothed).ln();
            }
            let q = if n > 0.0 { count / n } else { 0.0 };
            let m = 0.5 * (p + q);
            if p > 0.0 {
                js += 0.5 * p * (p / m).ln();
            }
            if q > 0.0 {
                js += 0.5 * q * (q / m).ln();
            }
        }
        Divergence {
            kl: kl.max(0.0),
            js: js.clamp(0.0, std::f64::consts::LN_2),
        }
    }
}

/// Φ(x), the standard normal CDF.
fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// The complementary error function (Numerical Recipes' `erfcc`, relative error below 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;
    use crate::data::toy::ToyKind;

    fn ring() -> ToyDataset {
        ToyDataset::new(ToyKind::Ring8, 0.05).unwrap()
    }

    #[test]
    fn the_normal_cdf_matches_known_values() {
        for (x, expected) in [(0.0, 0.5), (1.0, 0.841_344_746), (-1.96, 0.024_997_895)] {
            assert!((normal_cdf(x) - expected).abs() < 1e-6, "Φ({x})");
        }
    }

    #[test]
    fn the_data_density_sums_to_one() {
        let grid = DensityGrid::new(&ring());
        assert!((grid.real.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // The view square holds the whole distribution.
        assert!(grid.real[GRID_CELLS * GRID_CELLS] < 1e-6);
    }

    #[test]
    fn samples_of_the_data_itself_score_near_zero() {
        let data = ring();
        let grid = DensityGrid::new(&data);
        let samples = data.sample_points(2500, &mut StdRng::seed_from_u64(1));
        let d = grid.divergence(&samples);
        eprintln!("floor on ring8, σ = 0.05: {d:?}");
        assert!(d.kl < 0.2 && d.js < 0.05, "{d:?}");
    }

    #[test]
    fn dropping_modes_costs_and_collapse_costs_most() {
        let data = ring();
        let grid = DensityGrid::new(&data);
        let all = data.sample_points(2500, &mut StdRng::seed_from_u64(2));
        // Half the modes: every sample moved to the nearest of the even modes' anchors.
        let half: Vec<[f32; 2]> = all
            .iter()
            .filter(|p| {
                data.mode_of_anchor(data.nearest_anchor(**p).0)
                    .is_multiple_of(2)
            })
            .copied()
            .collect();
        let one_point = vec![data.anchors()[0]; 2500];
        let (d_all, d_half, d_one) = (
            grid.divergence(&all),
            grid.divergence(&half),
            grid.divergence(&one_point),
        );
        assert!(d_all.kl < d_half.kl && d_half.kl < d_one.kl);
        assert!(d_all.js < d_half.js && d_half.js < d_one.js);
        // Four of eight equal modes, twice as heavy: by hand, JS = ¼·ln 2 + ½·ln(4/3) − ¼·ln(3/2)
        // ≈ 0.2158 nats; KL = ln 2 on the kept modes plus what the dropped ones cost.
        let expected_js = 0.25 * 2f64.ln() + 0.5 * (4.0f64 / 3.0).ln() - 0.25 * 1.5f64.ln();
        assert!(
            (d_half.js - expected_js).abs() < 0.03,
            "{d_half:?} vs {expected_js}"
        );
        assert!(d_one.js <= std::f64::consts::LN_2);
    }

    #[test]
    fn points_off_the_grid_count_against_the_generator() {
        let grid = DensityGrid::new(&ring());
        let far = vec![[100.0, 100.0]; 100];
        let lost = vec![[f32::NAN, 0.0]; 100];
        for points in [far, lost] {
            let d = grid.divergence(&points);
            assert!((d.js - std::f64::consts::LN_2).abs() < 1e-3, "{d:?}");
        }
    }
}
