//! Improved precision and recall (Kynkäänniemi et al. 2019). Each set's manifold is the union of
//! balls around its samples, each ball reaching the sample's k-th nearest neighbour within its own
//! set. Precision: the share of generated samples inside the real manifold (are samples
//! realistic?). Recall: the share of real samples inside the generated manifold (is the data's
//! variety covered?).

use super::features::{Features, MetricError};
use super::linalg::{Matrix, dot};

/// k of the paper's experiments.
pub const DEFAULT_K: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrecisionRecall {
    pub precision: f64,
    pub recall: f64,
}

pub fn precision_recall(
    real: &Features,
    generated: &Features,
    k: usize,
) -> Result<PrecisionRecall, MetricError> {
    real.check_same_width(generated)?;
    let need = k + 1;
    for set in [real, generated] {
        if set.len() < need {
            return Err(MetricError::TooFew {
                what: "precision and recall",
                need,
                got: set.len(),
            });
        }
    }
    let real_radii = kth_neighbour_radii(real.matrix(), k);
    let generated_radii = kth_neighbour_radii(generated.matrix(), k);
    let mut realistic = 0;
    let mut recalled = vec![false; real.len()];
    for (first, chunk) in row_chunks(generated.matrix()) {
        let across = squared_distances(&chunk, real.matrix()); // [generated, real]
        for g in 0..chunk.rows {
            let row = across.row(g);
            if row.iter().zip(&real_radii).any(|(d, r)| d <= r) {
                realistic += 1;
            }
            for (covered, d) in recalled.iter_mut().zip(row) {
                *covered |= *d <= generated_radii[first + g];
            }
        }
    }
    Ok(PrecisionRecall {
        precision: realistic as f64 / generated.len() as f64,
        recall: recalled.iter().filter(|c| **c).count() as f64 / real.len() as f64,
    })
}

/// Rows in blocks, so that distance matrices stay a few MB however large the sets.
const CHUNK_ROWS: usize = 256;

fn row_chunks(x: &Matrix) -> impl Iterator<Item = (usize, Matrix)> + '_ {
    (0..x.rows).step_by(CHUNK_ROWS).map(|first| {
        let rows: Vec<usize> = (first..(first + CHUNK_ROWS).min(x.rows)).collect();
        (first, x.select_rows(&rows))
    })
}

/// Squared distance from each row to its k-th nearest other row.
fn kth_neighbour_radii(x: &Matrix, k: usize) -> Vec<f64> {
    let mut radii = Vec::with_capacity(x.rows);
    for (_, chunk) in row_chunks(x) {
        let d = squared_distances(&chunk, x);
        for i in 0..d.rows {
            let mut row: Vec<f64> = d.row(i).to_vec();
            // Index 0 is the sample itself (distance 0), so index k is its k-th neighbour.
            row.select_nth_unstable_by(k, f64::total_cmp);
            radii.push(row[k]);
        }
    }
    radii
}

/// `[a rows, b rows]` squared Euclidean distances, |a|² + |b|² − 2 a·b, clamped at 0.
fn squared_distances(a: &Matrix, b: &Matrix) -> Matrix {
    let norms = |m: &Matrix| -> Vec<f64> { (0..m.rows).map(|i| dot(m.row(i), m.row(i))).collect() };
    let (a_norms, b_norms) = (norms(a), norms(b));
    let mut d = a.gram(b);
    for j in 0..b.rows {
        for i in 0..a.rows {
            d[(i, j)] = (a_norms[i] + b_norms[j] - 2.0 * d[(i, j)]).max(0.0);
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rand_distr::{Distribution, Normal};

    use super::*;

    fn cluster(n: usize, centre: f32, seed: u64) -> Features {
        let mut rng = StdRng::seed_from_u64(seed);
        let normal = Normal::new(centre, 1.0).unwrap();
        let values: Vec<f32> = (0..n * 4).map(|_| normal.sample(&mut rng)).collect();
        Features::new(&values, 4).unwrap()
    }

    #[test]
    fn a_set_against_itself_is_fully_precise_and_recalled() {
        let a = cluster(200, 0.0, 1);
        let pr = precision_recall(&a, &a, DEFAULT_K).unwrap();
        assert_eq!((pr.precision, pr.recall), (1.0, 1.0));
    }

    #[test]
    fn a_disjoint_cluster_is_neither() {
        let a = cluster(200, 0.0, 2);
        let far = cluster(200, 100.0, 3);
        let pr = precision_recall(&a, &far, DEFAULT_K).unwrap();
        assert_eq!((pr.precision, pr.recall), (0.0, 0.0));
    }

    #[test]
    fn a_collapsed_generator_is_precise_but_recalls_little() {
        let real = cluster(300, 0.0, 4);
        // Every generated sample sits near one real sample: realistic, no variety.
        let first: Vec<f32> = (0..4).map(|j| real.matrix()[(0, j)] as f32).collect();
        let collapsed: Vec<f32> = (0..300)
            .flat_map(|i| first.iter().map(move |v| v + 1e-3 * (i % 7) as f32))
            .collect();
        let collapsed = Features::new(&collapsed, 4).unwrap();
        let pr = precision_recall(&real, &collapsed, DEFAULT_K).unwrap();
        assert_eq!(pr.precision, 1.0);
        assert!(pr.recall < 0.05, "{pr:?}");
    }

    #[test]
    fn distances_are_right() {
        let a = Matrix::from_rows(2, 2, vec![0.0, 0.0, 3.0, 4.0]);
        let b = Matrix::from_rows(1, 2, vec![0.0, 4.0]);
        let d = squared_distances(&a, &b);
        assert_eq!(d.data, vec![16.0, 9.0]);
    }
}
