//! Kernel Inception Distance (Bińkowski et al. 2018), here on the reference classifier's
//! features: the unbiased estimate of the squared maximum mean discrepancy with the cubic
//! polynomial kernel k(x, y) = (x·y / d + 1)³, averaged over random subsets. Unlike the Fréchet
//! distance it is unbiased, so small sample counts compare fairly; its expectation is 0 when both
//! sets come from the same distribution (single estimates can be slightly negative).

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::index::sample;

use super::features::{Features, MetricError};
use super::linalg::Matrix;

/// How many subsets, of how many samples each (capped at the smaller set).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KidOptions {
    pub subsets: usize,
    pub subset_size: usize,
    pub seed: u64,
}

impl Default for KidOptions {
    /// As torch-fidelity and clean-fid: 100 subsets of 1,000.
    fn default() -> Self {
        KidOptions {
            subsets: 100,
            subset_size: 1000,
            seed: 0,
        }
    }
}

/// Mean and standard deviation of the subsets' estimates.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct KidEstimate {
    pub mean: f64,
    pub sd: f64,
}

pub fn kernel_inception_distance(
    real: &Features,
    generated: &Features,
    options: KidOptions,
) -> Result<KidEstimate, MetricError> {
    real.check_same_width(generated)?;
    let m = options.subset_size.min(real.len()).min(generated.len());
    if m < 2 {
        return Err(MetricError::TooFew {
            what: "KID",
            need: 2,
            got: m,
        });
    }
    let mut rng = StdRng::seed_from_u64(options.seed);
    let estimates: Vec<f64> = (0..options.subsets.max(1))
        .map(|_| {
            let x = real.select(&sample(&mut rng, real.len(), m).into_vec());
            let y = generated.select(&sample(&mut rng, generated.len(), m).into_vec());
            unbiased_mmd2(&x, &y)
        })
        .collect();
    let n = estimates.len() as f64;
    let mean = estimates.iter().sum::<f64>() / n;
    let sd = (estimates.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / n).sqrt();
    Ok(KidEstimate { mean, sd })
}

/// Unbiased MMD² between two equally large sets (rows are samples).
fn unbiased_mmd2(x: &Matrix, y: &Matrix) -> f64 {
    let m = x.rows as f64;
    let d = x.cols as f64;
    let k = |v: f64| (v / d + 1.0).powi(3);
    // Sum of k over all pairs, and over the diagonal (a sample with itself).
    let sums = |a: &Matrix, b: &Matrix| -> (f64, f64) {
        let g = a.gram(b);
        let all = g.data.iter().map(|v| k(*v)).sum::<f64>();
        let diagonal = (0..g.rows.min(g.cols)).map(|i| k(g[(i, i)])).sum::<f64>();
        (all, diagonal)
    };
    let (xx, xx_diagonal) = sums(x, x);
    let (yy, yy_diagonal) = sums(y, y);
    let (xy, _) = sums(x, y);
    (xx - xx_diagonal + yy - yy_diagonal) / (m * (m - 1.0)) - 2.0 * xy / (m * m)
}

#[cfg(test)]
mod tests {
    use rand_distr::{Distribution, Normal};

    use super::*;

    fn gaussian(n: usize, dim: usize, mean: f32, seed: u64) -> Features {
        let mut rng = StdRng::seed_from_u64(seed);
        let normal = Normal::new(mean, 1.0).unwrap();
        let values: Vec<f32> = (0..n * dim).map(|_| normal.sample(&mut rng)).collect();
        Features::new(&values, dim).unwrap()
    }

    #[test]
    fn a_hand_computed_case() {
        // X = {0, 1}, Y = {0, 2} in one dimension: k = (xy + 1)³.
        // Within X: k(0,1) = 1 twice → 2 / (2·1) = 1; within Y likewise 1;
        // across: 1 + 1 + 1 + 27 = 30 → 2·30 / 4 = 15. MMD² = 1 + 1 − 15.
        let x = Features::new(&[0.0, 1.0], 1).unwrap();
        let y = Features::new(&[0.0, 2.0], 1).unwrap();
        let options = KidOptions {
            subsets: 3,
            subset_size: 2,
            seed: 1,
        };
        let kid = kernel_inception_distance(&x, &y, options).unwrap();
        assert!((kid.mean + 13.0).abs() < 1e-12, "{kid:?}");
        assert!(kid.sd < 1e-12);
    }

    #[test]
    fn same_distribution_is_zero_in_expectation_and_a_shift_is_not() {
        let options = KidOptions {
            subsets: 50,
            subset_size: 200,
            seed: 2,
        };
        let a = gaussian(1000, 8, 0.0, 3);
        let b = gaussian(1000, 8, 0.0, 4);
        let shifted = gaussian(1000, 8, 0.5, 5);
        let same = kernel_inception_distance(&a, &b, options).unwrap();
        let apart = kernel_inception_distance(&a, &shifted, options).unwrap();
        // The mean of 50 estimates lies within a few standard errors of 0.
        assert!(
            same.mean.abs() < 4.0 * same.sd / 50f64.sqrt() + 1e-3,
            "{same:?}"
        );
        assert!(
            apart.mean > 10.0 * same.mean.abs().max(same.sd),
            "{apart:?} {same:?}"
        );
        // A set against itself, drawn in different subsets, is also 0 in expectation.
        let itself = kernel_inception_distance(&a, &a, options).unwrap();
        assert!(itself.mean.abs() < apart.mean / 10.0, "{itself:?}");
    }

    #[test]
    fn too_few_samples_are_refused() {
        let one = Features::new(&[1.0, 2.0], 2).unwrap();
        assert!(matches!(
            kernel_inception_distance(&one, &one, KidOptions::default()),
            Err(MetricError::TooFew { .. })
        ));
    }
}
