//! Inception-style score (Salimans et al. 2016) from the reference classifier's class
//! probabilities: exp(E_x KL(p(y|x) ‖ p(y))). It is high when each sample is classified
//! confidently and the classes are used evenly; at most the number of classes, 1 at worst. As
//! usual the samples are cut into splits and the mean ± sd over splits reported.

use super::features::MetricError;

/// Splits of the usual protocol.
pub const DEFAULT_SPLITS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct ScoreEstimate {
    pub mean: f64,
    pub sd: f64,
}

/// `probabilities`: one row of `classes` probabilities (summing to 1) per sample.
pub fn inception_score(
    probabilities: &[f32],
    classes: usize,
    splits: usize,
) -> Result<ScoreEstimate, MetricError> {
    if classes == 0 || !probabilities.len().is_multiple_of(classes) {
        return Err(MetricError::Ragged(probabilities.len(), classes));
    }
    if let Some(bad) = probabilities.iter().find(|p| !p.is_finite()) {
        return Err(MetricError::NotFinite(*bad));
    }
    let rows: Vec<&[f32]> = probabilities.chunks_exact(classes).collect();
    let splits = splits.max(1);
    if rows.len() < splits {
        return Err(MetricError::TooFew {
            what: "the inception score",
            need: splits,
            got: rows.len(),
        });
    }
    let size = rows.len() / splits;
    let scores: Vec<f64> = rows
        .chunks_exact(size)
        .take(splits)
        .map(|split| split_score(split, classes))
        .collect();
    let n = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / n;
    let sd = (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n).sqrt();
    Ok(ScoreEstimate { mean, sd })
}

fn split_score(rows: &[&[f32]], classes: usize) -> f64 {
    let mut marginal = vec![0.0f64; classes];
    for row in rows {
        for (m, p) in marginal.iter_mut().zip(row.iter()) {
            *m += *p as f64 / rows.len() as f64;
        }
    }
    let mean_kl = rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(&marginal)
                .filter(|(p, _)| **p > 0.0)
                .map(|(p, m)| *p as f64 * (*p as f64 / m).ln())
                .sum::<f64>()
        })
        .sum::<f64>()
        / rows.len() as f64;
    mean_kl.exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_hot(n: usize, classes: usize) -> Vec<f32> {
        (0..n)
            .flat_map(|i| (0..classes).map(move |c| if c == i % classes { 1.0 } else { 0.0 }))
            .collect()
    }

    #[test]
    fn confident_and_even_scores_the_number_of_classes() {
        let score = inception_score(&one_hot(1000, 10), 10, 10).unwrap();
        assert!(
            (score.mean - 10.0).abs() < 1e-9 && score.sd < 1e-9,
            "{score:?}"
        );
    }

    #[test]
    fn undecided_or_collapsed_scores_one() {
        let uniform = vec![0.1f32; 1000 * 10];
        let score = inception_score(&uniform, 10, 10).unwrap();
        assert!((score.mean - 1.0).abs() < 1e-6, "{score:?}");
        // Always the same confident class: no variety.
        let collapsed: Vec<f32> = (0..1000)
            .flat_map(|_| (0..10).map(|c| if c == 3 { 1.0 } else { 0.0 }))
            .collect();
        let score = inception_score(&collapsed, 10, 10).unwrap();
        assert!((score.mean - 1.0).abs() < 1e-9, "{score:?}");
    }

    #[test]
    fn half_the_classes_score_half() {
        let score = inception_score(
            &one_hot(1000, 5)
                .iter()
                .flat_map(|p| [*p, 0.0])
                .collect::<Vec<_>>(),
            10,
            1,
        );
        assert!((score.unwrap().mean - 5.0).abs() < 1e-9);
    }

    #[test]
    fn bad_inputs_are_refused() {
        assert!(inception_score(&[0.5; 7], 2, 1).is_err());
        assert!(inception_score(&[0.5, f32::NAN], 2, 1).is_err());
        assert!(inception_score(&[0.5, 0.5], 2, 10).is_err());
    }
}
