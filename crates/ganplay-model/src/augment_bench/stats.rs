//! Mean ± sd over seeds and paired 95 % confidence intervals (Student's t), the statistics of
//! the augmentation benchmark's report.

/// Mean and sample standard deviation (n − 1); sd is 0 for a single value.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, 0.0);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// Two-sided 97.5 % quantile of Student's t with `df` degrees of freedom.
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        _ => 1.96,
    }
}

/// Mean difference `a − b` over paired values (same seeds) and its 95 % confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PairedDifference {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    pub pairs: usize,
}

impl PairedDifference {
    pub fn of(a: &[f64], b: &[f64]) -> Option<Self> {
        if a.len() != b.len() || a.is_empty() {
            return None;
        }
        let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
        let (mean, sd) = mean_sd(&d);
        let half = t_975(d.len() - 1) * sd / (d.len() as f64).sqrt();
        Some(PairedDifference {
            mean,
            low: mean - half,
            high: mean + half,
            pairs: d.len(),
        })
    }

    /// Whether the interval lies wholly above (1), below (−1) or across (0) zero.
    pub fn sign(&self) -> i8 {
        if self.low > 0.0 {
            1
        } else if self.high < 0.0 {
            -1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_paired_interval() {
        // Differences 1, 2, 3, 4, 5: mean 3, sd √2.5, t(4) = 2.776,
        // half-width 2.776 · 1.5811 / √5 = 1.9629.
        let a = [11.0, 12.0, 13.0, 14.0, 15.0];
        let b = [10.0; 5];
        let d = PairedDifference::of(&a, &b).unwrap();
        assert!((d.mean - 3.0).abs() < 1e-12);
        assert!((d.low - (3.0 - 1.96290)).abs() < 1e-4, "{d:?}");
        assert!((d.high - (3.0 + 1.96290)).abs() < 1e-4, "{d:?}");
        assert_eq!(d.sign(), 1);
    }

    #[test]
    fn mean_and_sd() {
        assert_eq!(mean_sd(&[2.0, 4.0]), (3.0, 2f64.sqrt()));
        assert_eq!(mean_sd(&[5.0]), (5.0, 0.0));
        assert!(PairedDifference::of(&[1.0], &[1.0, 2.0]).is_none());
    }
}
