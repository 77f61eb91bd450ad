//! Feature vectors of a set of images (one row per image), as the distance metrics consume them,
//! and their first two moments.

use super::linalg::Matrix;
use crate::classifier::Embedding;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MetricError {
    #[error("{what} needs at least {need} samples per set, got {got}")]
    TooFew {
        what: &'static str,
        need: usize,
        got: usize,
    },
    #[error("feature sets differ in width: {0} against {1}")]
    WidthMismatch(usize, usize),
    #[error("{0} values cannot be cut into rows of {1}")]
    Ragged(usize, usize),
    #[error("a feature holds {0}, not a finite number")]
    NotFinite(f32),
}

/// `n` feature vectors of width `dim`, one row each, in f64 (covariances of a few thousand rows
/// lose digits in f32).
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    rows: Matrix,
}

impl Features {
    /// Row after row, `dim` values each.
    pub fn new(values: &[f32], dim: usize) -> Result<Self, MetricError> {
        if dim == 0 || !values.len().is_multiple_of(dim) {
            return Err(MetricError::Ragged(values.len(), dim));
        }
        if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
            return Err(MetricError::NotFinite(*bad));
        }
        let n = values.len() / dim;
        Ok(Features {
            rows: Matrix::from_rows(n, dim, values.iter().map(|v| *v as f64).collect()),
        })
    }

    /// The penultimate-layer features of a classifier's embedding.
    pub fn of(embedding: &Embedding) -> Result<Self, MetricError> {
        Features::new(&embedding.features, embedding.feature_dim)
    }

    pub fn len(&self) -> usize {
        self.rows.rows
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn dim(&self) -> usize {
        self.rows.cols
    }

    pub(crate) fn matrix(&self) -> &Matrix {
        &self.rows
    }

    /// Rows `indices`, in that order.
    pub(crate) fn select(&self, indices: &[usize]) -> Matrix {
        self.rows.select_rows(indices)
    }

    /// Mean and unbiased covariance (divided by n − 1).
    pub fn moments(&self) -> Result<Moments, MetricError> {
        let n = self.len();
        if n < 2 {
            return Err(MetricError::TooFew {
                what: "a covariance",
                need: 2,
                got: n,
            });
        }
        let d = self.dim();
        let mut mean = vec![0.0; d];
        for i in 0..n {
            for (m, v) in mean.iter_mut().zip(self.rows.row(i)) {
                *m += v / n as f64;
            }
        }
        let mut centred = self.rows.clone();
        for i in 0..n {
            for (j, m) in mean.iter().enumerate() {
                centred[(i, j)] -= m;
            }
        }
        // Σ = Xᵀ X / (n − 1): the Gram matrix of Xᵀ's rows.
        let columns = centred.transpose();
        let mut covariance = columns.gram(&columns);
        covariance
            .data
            .iter_mut()
            .for_each(|c| *c /= n as f64 - 1.0);
        Ok(Moments { mean, covariance })
    }

    pub(crate) fn check_same_width(&self, other: &Features) -> Result<(), MetricError> {
        if self.dim() != other.dim() {
            return Err(MetricError::WidthMismatch(self.dim(), other.dim()));
        }
        Ok(())
    }
}

/// Mean vector and covariance matrix of a feature set.
#[derive(Clone, Debug, PartialEq)]
pub struct Moments {
    pub mean: Vec<f64>,
    pub covariance: Matrix,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_of_a_small_set() {
        let f = Features::new(&[1.0, 2.0, 3.0, 6.0], 2).unwrap();
        let m = f.moments().unwrap();
        assert_eq!(m.mean, vec![2.0, 4.0]);
        // Unbiased: deviations (∓1, ∓2) over n − 1 = 1.
        assert_eq!(m.covariance.data, vec![2.0, 4.0, 4.0, 8.0]);
    }

    #[test]
    fn bad_inputs_are_refused() {
        assert_eq!(Features::new(&[1.0; 5], 2), Err(MetricError::Ragged(5, 2)));
        assert!(matches!(
            Features::new(&[1.0, f32::NAN], 2),
            Err(MetricError::NotFinite(_))
        ));
        let one = Features::new(&[1.0, 2.0], 2).unwrap();
        assert!(matches!(one.moments(), Err(MetricError::TooFew { .. })));
    }
}
