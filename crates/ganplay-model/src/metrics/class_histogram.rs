//! How generated samples spread over the classes, as the reference classifier sees them. Mode
//! collapse shows as classes with no samples.

use crate::classifier::argmax;

/// Samples per class.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ClassHistogram {
    pub counts: Vec<usize>,
}

impl ClassHistogram {
    /// Each sample counts for its most probable class (`probabilities`: one row of `classes`
    /// per sample).
    pub fn from_probabilities(probabilities: &[f32], classes: usize) -> Self {
        let mut counts = vec![0; classes];
        for row in probabilities.chunks_exact(classes.max(1)) {
            counts[argmax(row)] += 1;
        }
        ClassHistogram { counts }
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Classes no sample fell into.
    pub fn missing(&self) -> Vec<usize> {
        (0..self.counts.len())
            .filter(|c| self.counts[*c] == 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_most_probable_class_and_names_missing_ones() {
        let probabilities = [0.1, 0.7, 0.2, 0.8, 0.1, 0.1, 0.0, 0.4, 0.6, 0.3, 0.6, 0.1];
        let h = ClassHistogram::from_probabilities(&probabilities, 3);
        assert_eq!(h.counts, vec![1, 2, 1]);
        assert_eq!(h.total(), 4);
        assert!(h.missing().is_empty());
        let collapsed = ClassHistogram::from_probabilities(&[0.9, 0.1, 0.8, 0.2], 2);
        assert_eq!(collapsed.missing(), vec![1]);
    }

    #[test]
    fn argmax_ignores_nan() {
        assert_eq!(argmax(&[f32::NAN, 0.2, 0.5]), 2);
    }
}
