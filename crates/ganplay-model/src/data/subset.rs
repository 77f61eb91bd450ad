//! Small labelled subsets of a training split, as a label budget allows: `n` random images of
//! each class, drawn from a seed (another seed, another subset).

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::images::{ImageSet, ImageSetError};

/// `per_class` images of every class of `set`, chosen at random from `seed`, in class order.
pub fn labelled_subset(
    set: &ImageSet,
    per_class: usize,
    seed: u64,
) -> Result<ImageSet, ImageSetError> {
    if per_class == 0 {
        return Err(ImageSetError::ZeroBudget);
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut pixels = Vec::with_capacity(per_class * set.classes() * set.shape.len());
    let mut labels = Vec::with_capacity(per_class * set.classes());
    for class in 0..set.classes() {
        let mut members: Vec<usize> = (0..set.len())
            .filter(|i| set.labels[*i] as usize == class)
            .collect();
        if members.len() < per_class {
            return Err(ImageSetError::ClassTooSmall {
                class: set.class_names[class].clone(),
                have: members.len(),
                budget: per_class,
            });
        }
        members.shuffle(&mut rng);
        for &i in &members[..per_class] {
            pixels.extend_from_slice(set.image(i));
            labels.push(class as u8);
        }
    }
    ImageSet::new(set.shape, pixels, labels, set.class_names.clone())
}

/// Splits `set` into training and held-out test images: a tenth of each class (at least one
/// of every class with two or more images), chosen at random from `seed`.
pub fn hold_out_tenth(set: &ImageSet, seed: u64) -> Result<(ImageSet, ImageSet), ImageSetError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut held = vec![false; set.len()];
    for class in 0..set.classes() {
        let mut members: Vec<usize> = (0..set.len())
            .filter(|i| set.labels[*i] as usize == class)
            .collect();
        members.shuffle(&mut rng);
        let n = if members.len() >= 2 {
            members.len().div_ceil(10)
        } else {
            0
        };
        for &i in &members[..n] {
            held[i] = true;
        }
    }
    let part = |keep: bool| {
        let chosen: Vec<usize> = (0..set.len()).filter(|i| held[*i] == keep).collect();
        let pixels = chosen.iter().flat_map(|i| set.image(*i)).copied().collect();
        let labels = chosen.iter().map(|i| set.labels[*i]).collect();
        ImageSet::new(set.shape, pixels, labels, set.class_names.clone())
    };
    Ok((part(false)?, part(true)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::bundled;

    #[test]
    fn budgets_are_respected_and_seeds_reproducible() {
        let train = bundled::mnist_train();
        let a = labelled_subset(&train, 10, 1).unwrap();
        assert_eq!(a.len(), 100);
        for class in 0..10u8 {
            assert_eq!(a.labels.iter().filter(|l| **l == class).count(), 10);
        }
        assert_eq!(a, labelled_subset(&train, 10, 1).unwrap());
        assert_ne!(a.pixels, labelled_subset(&train, 10, 2).unwrap().pixels);
    }

    #[test]
    fn no_test_digit_is_ever_drawn() {
        // Subsets come from the training split; none of their images is a test image.
        let (train, test) = (bundled::mnist_train(), bundled::mnist_test());
        let test_images: std::collections::HashSet<&[u8]> =
            (0..test.len()).map(|i| test.image(i)).collect();
        let subset = labelled_subset(&train, 100, 3).unwrap();
        let leaked = (0..subset.len())
            .filter(|i| test_images.contains(subset.image(*i)))
            .count();
        assert_eq!(leaked, 0);
    }

    #[test]
    fn a_tenth_of_each_class_is_held_out() {
        let train = bundled::mnist_train();
        let (rest, test) = hold_out_tenth(&train, 1).unwrap();
        assert_eq!(rest.len() + test.len(), train.len());
        for class in 0..10u8 {
            let all = train.labels.iter().filter(|l| **l == class).count();
            let held = test.labels.iter().filter(|l| **l == class).count();
            assert_eq!(held, all.div_ceil(10));
        }
        let held: std::collections::HashSet<&[u8]> =
            (0..test.len()).map(|i| test.image(i)).collect();
        assert!((0..rest.len()).all(|i| !held.contains(rest.image(i)) || train.len() < 2));
    }

    #[test]
    fn impossible_budgets_are_refused() {
        let train = bundled::mnist_train();
        assert_eq!(
            labelled_subset(&train, 0, 1).unwrap_err(),
            ImageSetError::ZeroBudget
        );
        let err = labelled_subset(&train, 5000, 1).unwrap_err();
        assert!(
            matches!(err, ImageSetError::ClassTooSmall { budget: 5000, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("fewer than the budget"), "{err}");
    }
}
