//! The little dense linear algebra the image metrics need, in f64: row-major matrices, Gram
//! matrices of rows, products of small square matrices, and the eigen-decomposition of a
//! symmetric matrix (cyclic Jacobi). Written here rather than taken from a linear-algebra crate
//! because those change the features of crates Burn's compiler stack shares, which rebuilt all
//! of Burn.

/// A dense row-major matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    pub fn identity(n: usize) -> Self {
        let mut m = Self::zeros(n, n);
        for i in 0..n {
            m[(i, i)] = 1.0;
        }
        m
    }

    pub fn from_rows(rows: usize, cols: usize, data: Vec<f64>) -> Self {
        assert_eq!(data.len(), rows * cols, "a {rows}x{cols} matrix");
        Matrix { rows, cols, data }
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// The rows `indices`, in that order.
    pub fn select_rows(&self, indices: &[usize]) -> Matrix {
        let data = indices
            .iter()
            .flat_map(|i| self.row(*i).iter().copied())
            .collect();
        Matrix::from_rows(indices.len(), self.cols, data)
    }

    /// `self · otherᵀ`: the dot product of every row of `self` with every row of `other`.
    pub fn gram(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.cols, other.cols);
        let mut out = Matrix::zeros(self.rows, other.rows);
        for i in 0..self.rows {
            let a = self.row(i);
            for j in 0..other.rows {
                out[(i, j)] = dot(a, other.row(j));
            }
        }
        out
    }

    /// `self · other`.
    pub fn matmul(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.cols, other.rows);
        let mut out = Matrix::zeros(self.rows, other.cols);
        for i in 0..self.rows {
            for k in 0..self.cols {
                let a = self[(i, k)];
                let (row, src) = (
                    &mut out.data[i * other.cols..(i + 1) * other.cols],
                    other.row(k),
                );
                for (o, b) in row.iter_mut().zip(src) {
                    *o += a * b;
                }
            }
        }
        out
    }

    pub fn transpose(&self) -> Matrix {
        let mut out = Matrix::zeros(self.cols, self.rows);
        for i in 0..self.rows {
            for j in 0..self.cols {
                out[(j, i)] = self[(i, j)];
            }
        }
        out
    }

    pub fn trace(&self) -> f64 {
        (0..self.rows.min(self.cols)).map(|i| self[(i, i)]).sum()
    }

    /// (M + Mᵀ) / 2: removes round-off asymmetry.
    pub fn symmetrised(&self) -> Matrix {
        let t = self.transpose();
        let data = self
            .data
            .iter()
            .zip(&t.data)
            .map(|(a, b)| 0.5 * (a + b))
            .collect();
        Matrix::from_rows(self.rows, self.cols, data)
    }
}

impl std::ops::Index<(usize, usize)> for Matrix {
    type Output = f64;
    fn index(&self, (i, j): (usize, usize)) -> &f64 {
        &self.data[i * self.cols + j]
    }
}

impl std::ops::IndexMut<(usize, usize)> for Matrix {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut f64 {
        &mut self.data[i * self.cols + j]
    }
}

pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Eigenvalues and eigenvectors (the columns of the returned matrix) of a symmetric matrix, by
/// cyclic Jacobi rotations: slow for large matrices, exact to round-off, fine for the metrics'
/// 128 × 128 covariances.
pub fn symmetric_eigen(m: &Matrix) -> (Vec<f64>, Matrix) {
    assert_eq!(m.rows, m.cols, "a square matrix");
    let n = m.rows;
    let mut a = m.symmetrised();
    let mut v = Matrix::identity(n);
    let scale: f64 = a
        .data
        .iter()
        .map(|x| x * x)
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|p| ((p + 1)..n).map(move |q| (p, q)))
            .map(|(p, q)| a[(p, q)] * a[(p, q)])
            .sum();
        if off <= 1e-30 * scale {
            break;
        }
        for p in 0..n {
            for q in (p + 1)..n {
                let apq = a[(p, q)];
                if apq == 0.0 {
                    continue;
                }
                // The rotation J in the (p, q) plane that zeroes a_pq in Jᵀ A J.
                let theta = (a[(q, q)] - a[(p, p)]) / (2.0 * apq);
                let sign = if theta >= 0.0 { 1.0 } else { -1.0 };
                let t = sign / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[(k, p)], a[(k, q)]);
                    a[(k, p)] = c * akp - s * akq;
                    a[(k, q)] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[(p, k)], a[(q, k)]);
                    a[(p, k)] = c * apk - s * aqk;
                    a[(q, k)] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[(k, p)], v[(k, q)]);
                    v[(k, p)] = c * vkp - s * vkq;
                    v[(k, q)] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[(i, i)]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_decomposition_rebuilds_the_matrix() {
        let m = Matrix::from_rows(3, 3, vec![4.0, 1.0, 2.0, 1.0, 3.0, 0.5, 2.0, 0.5, 5.0]);
        let (values, vectors) = symmetric_eigen(&m);
        // V · diag(λ) · Vᵀ = M, and V is orthogonal.
        let mut scaled = vectors.clone();
        for i in 0..3 {
            for j in 0..3 {
                scaled[(i, j)] *= values[j];
            }
        }
        let rebuilt = scaled.matmul(&vectors.transpose());
        for (a, b) in rebuilt.data.iter().zip(&m.data) {
            assert!((a - b).abs() < 1e-10, "{rebuilt:?}");
        }
        let identity = vectors.transpose().matmul(&vectors);
        for (a, b) in identity.data.iter().zip(&Matrix::identity(3).data) {
            assert!((a - b).abs() < 1e-10);
        }
        assert!((values.iter().sum::<f64>() - m.trace()).abs() < 1e-10);
    }

    #[test]
    fn known_eigenvalues() {
        let m = Matrix::from_rows(2, 2, vec![2.0, 1.0, 1.0, 2.0]);
        let (mut values, _) = symmetric_eigen(&m);
        values.sort_by(f64::total_cmp);
        assert!((values[0] - 1.0).abs() < 1e-12 && (values[1] - 3.0).abs() < 1e-12);
    }

    #[test]
    fn products() {
        let a = Matrix::from_rows(2, 2, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(a.matmul(&a).data, vec![7.0, 10.0, 15.0, 22.0]);
        assert_eq!(a.gram(&a).data, vec![5.0, 11.0, 11.0, 25.0]);
        assert_eq!(a.transpose().data, vec![1.0, 3.0, 2.0, 4.0]);
        assert_eq!(a.select_rows(&[1]).data, vec![3.0, 4.0]);
    }
}
