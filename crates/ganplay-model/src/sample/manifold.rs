//! The generator's manifold: a grid over the noise space, to be pushed through the generator and
//! drawn as a warped mesh over the data plane, so users see how G folds space onto the modes.
//!
//! The grid spans the first two noise coordinates (the others stay at 0, the noise's mean); 1-D
//! noise gives a single curve.

use burn::tensor::Tensor;

use crate::config::NoiseKind;
use crate::train::TrainSession;

/// Points per grid line.
pub const MANIFOLD_SIDE: usize = 21;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManifoldGrid {
    /// Grid lines along the first noise coordinate (1 for 1-D noise).
    pub rows: usize,
    /// Points on each of those lines.
    pub columns: usize,
}

impl ManifoldGrid {
    pub fn for_noise(noise_dim: usize) -> Self {
        if noise_dim >= 2 {
            Self {
                rows: MANIFOLD_SIDE,
                columns: MANIFOLD_SIDE,
            }
        } else {
            Self {
                rows: 1,
                columns: MANIFOLD_SIDE * 4,
            }
        }
    }

    pub fn len(&self) -> usize {
        self.rows * self.columns
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Noise vectors row by row: the first coordinate varies along a row, the second down the
    /// rows; the range covers where the noise has most of its mass (±1 uniform, ±2σ Gaussian).
    pub fn noise_values(&self, noise_dim: usize, kind: NoiseKind) -> Vec<f32> {
        let reach = match kind {
            NoiseKind::Uniform => 1.0,
            NoiseKind::Gaussian => 2.0,
        };
        let at = |i: usize, n: usize| {
            if n == 1 {
                0.0
            } else {
                -reach + 2.0 * reach * i as f32 / (n - 1) as f32
            }
        };
        let mut values = Vec::with_capacity(self.len() * noise_dim);
        for row in 0..self.rows {
            for column in 0..self.columns {
                let mut z = vec![0.0; noise_dim];
                z[0] = at(column, self.columns);
                if noise_dim >= 2 {
                    z[1] = at(row, self.rows);
                }
                values.extend(z);
            }
        }
        values
    }

    /// The grid's noise for this session's generator, on its device.
    pub fn noise(&self, session: &TrainSession) -> Tensor<2> {
        let dim = session.latent_dim();
        session.tensor_from_points(self.noise_values(dim, session.noise_kind()), dim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_d_noise_gets_a_square_grid_over_its_first_two_coordinates() {
        let grid = ManifoldGrid::for_noise(3);
        assert_eq!((grid.rows, grid.columns), (MANIFOLD_SIDE, MANIFOLD_SIDE));
        let values = grid.noise_values(3, NoiseKind::Uniform);
        assert_eq!(values.len(), grid.len() * 3);
        let point = |i: usize| &values[i * 3..i * 3 + 3];
        assert_eq!(point(0), &[-1.0, -1.0, 0.0]);
        assert_eq!(point(MANIFOLD_SIDE - 1), &[1.0, -1.0, 0.0]);
        assert_eq!(point(grid.len() - 1), &[1.0, 1.0, 0.0]);
        assert_eq!(
            point(MANIFOLD_SIDE / 2 * (MANIFOLD_SIDE + 1)),
            &[0.0, 0.0, 0.0]
        );
    }

    #[test]
    fn one_d_noise_gets_one_curve_and_gaussian_noise_a_wider_reach() {
        let grid = ManifoldGrid::for_noise(1);
        assert_eq!(grid.rows, 1);
        let values = grid.noise_values(1, NoiseKind::Gaussian);
        assert_eq!(values.len(), grid.columns);
        assert_eq!(values.first(), Some(&-2.0));
        assert_eq!(values.last(), Some(&2.0));
    }
}
