//! Fréchet distance between two feature sets, each summarised as a Gaussian (Heusel et al. 2017's
//! FID formula; here on the reference classifier's features, not Inception's):
//!
//! d² = |μ₁ − μ₂|² + tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½).
//!
//! The cross term is computed through symmetric matrices only: Σ₁^½ from an eigen-decomposition,
//! then the eigenvalues of the symmetric Σ₁^½ Σ₂ Σ₁^½. Both are positive semi-definite in exact
//! arithmetic; round-off below zero is clamped (see [`super::linalg`]). This avoids the non-symmetric `sqrtm(Σ₁Σ₂)` of
//! common implementations, whose complex parts must be thrown away by hand.

use super::features::{Features, MetricError, Moments};
use super::linalg::{Matrix, symmetric_eigen};

/// Fréchet distance (squared, as FID is reported) between two feature sets.
pub fn frechet_distance(real: &Features, generated: &Features) -> Result<f64, MetricError> {
    real.check_same_width(generated)?;
    Ok(frechet_from_moments(
        &real.moments()?,
        &generated.moments()?,
    ))
}

pub fn frechet_from_moments(a: &Moments, b: &Moments) -> f64 {
    let mean_term: f64 = a
        .mean
        .iter()
        .zip(&b.mean)
        .map(|(x, y)| (x - y).powi(2))
        .sum();
    let root_a = psd_sqrt(&a.covariance);
    let cross = root_a.matmul(&b.covariance).matmul(&root_a);
    let cross_trace: f64 = symmetric_eigen(&cross)
        .0
        .iter()
        .map(|l| l.max(0.0).sqrt())
        .sum();
    let d = mean_term + a.covariance.trace() + b.covariance.trace() - 2.0 * cross_trace;
    // Round-off can leave a tiny negative for identical sets.
    d.max(0.0)
}

/// Square root of a symmetric positive semi-definite matrix: V · diag(√λ) · Vᵀ.
fn psd_sqrt(m: &Matrix) -> Matrix {
    let (values, vectors) = symmetric_eigen(m);
    let mut scaled = vectors.clone();
    for i in 0..scaled.rows {
        for (j, l) in values.iter().enumerate() {
            scaled[(i, j)] *= l.max(0.0).sqrt();
        }
    }
    scaled.matmul(&vectors.transpose())
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rand_distr::{Distribution, Normal};

    use super::*;

    fn gaussian(n: usize, mean: &[f32], sd: &[f32], seed: u64) -> Features {
        let mut rng = StdRng::seed_from_u64(seed);
        let values: Vec<f32> = (0..n)
            .flat_map(|_| {
                mean.iter()
                    .zip(sd)
                    .map(|(m, s)| Normal::new(*m, *s).unwrap().sample(&mut rng))
                    .collect::<Vec<_>>()
            })
            .collect();
        Features::new(&values, mean.len()).unwrap()
    }

    #[test]
    fn identical_sets_are_at_distance_zero() {
        let f = gaussian(500, &[0.0, 1.0, -2.0], &[1.0, 0.5, 2.0], 1);
        assert!(frechet_distance(&f, &f).unwrap() < 1e-9);
    }

    #[test]
    fn two_gaussians_match_the_closed_form() {
        // Diagonal covariances commute, so d² = |μ₁ − μ₂|² + Σ (σ₁ − σ₂)².
        let a = Moments {
            mean: vec![0.0, 0.0],
            covariance: Matrix::from_rows(2, 2, vec![1.0, 0.0, 0.0, 4.0]),
        };
        let b = Moments {
            mean: vec![3.0, 4.0],
            covariance: Matrix::from_rows(2, 2, vec![9.0, 0.0, 0.0, 1.0]),
        };
        let expected = 25.0 + (1.0f64 - 3.0).powi(2) + (2.0f64 - 1.0).powi(2);
        assert!((frechet_from_moments(&a, &b) - expected).abs() < 1e-9);

        // A full (non-commuting) pair against the general formula, worked out by hand:
        // Σ₁ = I, so the cross term is tr(Σ₂^½).
        let full = Matrix::from_rows(2, 2, vec![2.0, 1.0, 1.0, 2.0]); // eigenvalues 3 and 1
        let c = Moments {
            mean: vec![0.0, 0.0],
            covariance: Matrix::identity(2),
        };
        let d = Moments {
            mean: vec![0.0, 0.0],
            covariance: full,
        };
        let expected = 2.0 + 4.0 - 2.0 * (3f64.sqrt() + 1.0);
        assert!((frechet_from_moments(&c, &d) - expected).abs() < 1e-9);
    }

    #[test]
    fn sampled_gaussians_approach_the_closed_form() {
        let a = gaussian(20_000, &[0.0, 0.0], &[1.0, 2.0], 2);
        let b = gaussian(20_000, &[1.0, -1.0], &[2.0, 2.0], 3);
        let expected = 2.0 + 1.0;
        let d = frechet_distance(&a, &b).unwrap();
        assert!((d - expected).abs() < 0.1, "{d}");
    }

    #[test]
    fn sets_of_different_widths_are_refused() {
        let a = gaussian(10, &[0.0, 0.0], &[1.0, 1.0], 4);
        let b = gaussian(10, &[0.0], &[1.0], 5);
        assert_eq!(
            frechet_distance(&a, &b),
            Err(MetricError::WidthMismatch(2, 1))
        );
    }
}
