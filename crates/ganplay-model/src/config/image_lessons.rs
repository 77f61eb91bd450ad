//! Lessons on the digits: an image model set up in one click, with what to watch. The figures
//! they quote are measured natively (`docs/semi-supervised.md` has the commands).

use super::image::ImageModelKind;
use super::{Consistency, LrDecay};

#[derive(Clone, Debug, PartialEq)]
pub struct ImageLesson {
    pub id: &'static str,
    pub label: &'static str,
    /// What happens, why, and what to watch.
    pub explanation: &'static str,
    pub model: ImageModelKind,
    /// Semi-supervised models: labelled digits per class.
    pub labels_per_class: usize,
    /// The semi-supervised GAN: FixMatch's consistency loss in its discriminator.
    pub consistency: Consistency,
    pub lr_decay: LrDecay,
    /// Adam's learning rate (0: the model's own).
    pub learning_rate: f64,
    /// The semi-supervised GAN: the decay of its classifier's weight average (0: none).
    pub classifier_ema: f64,
    pub seed: u64,
}

/// Every lesson on the digits.
pub fn image_lessons() -> Vec<ImageLesson> {
    vec![
        ImageLesson {
            id: "few-labels",
            label: "Few labels: a GAN whose discriminator learns to classify",
            explanation: "The semi-supervised GAN gets 10 labelled digits per class (the strip below) and \
            uses every other training digit without its label. Its discriminator is a classifier \
            with ten classes plus \"fake\": telling real digits from the generator's teaches it \
            features that 100 labels alone cannot, and FixMatch's consistency loss teaches each \
            confident label of an unlabelled digit to a distorted copy (a weight of 0 leaves the \
            paper's GAN alone). The accuracy chart shows it against the same network trained in \
            lockstep, from the same weights, on the labelled digits alone; the confusion matrix \
            shows which digits it mixes up. The lesson is tuned for about five minutes here: \
            labels trusted from 60% confidence, the learning rate decayed from step 600 to 1,750, \
            and both classifiers read through a moving average of their weights (in the page it \
            passes 90% about 45 seconds sooner). Measured natively (seed 1): 92% against 88% at \
            step 1,000, 94% against 89% at 1,750. \
            The bundled weights, trained 6,000 steps, reach 96.8% against 89.8%: above \
            self-training without a generative model (95.4%) and a LeNet on classically \
            augmented labelled digits (94%). The paper's 99% took 60,000 unlabelled digits and \
            about 180,000 steps.",
            model: ImageModelKind::Ssgan,
            labels_per_class: 10,
            // Tuned natively for the page's budget (about 1,750 steps in 5 minutes): the best of
            // the recipes tried on seed 1, though over three seeds not shown better than
            // FixMatch's threshold without decay (docs/semi-supervised.md).
            consistency: Consistency {
                weight: 1.0,
                threshold: 0.6,
            },
            lr_decay: LrDecay {
                start: 600,
                steps: 1150,
            },
            // Over three seeds: +1.3 points at step 500, none by step 1,750
            // (docs/semi-supervised.md).
            classifier_ema: 0.99,
            learning_rate: 0.0,
            seed: 1,
        },
        ImageLesson {
            id: "few-labels-vae",
            label: "Few labels: a VAE that explains each digit by its class",
            explanation: "The semi-supervised VAE (Kingma et al.'s M2) gets the same 10 labelled \
            digits per class and the same classifier network as the semi-supervised GAN. A VAE \
            whose encoder and decoder take the class learns the labelled digits with their class; \
            an unlabelled digit is decoded once per class, and the classifier learns which class \
            explains it best, plus a cross-entropy on the labels. The samples are drawn one row \
            per class. Measured natively (seed 1): 76% against the labels-only twin's 77% at step \
            500, 79% against 75% at 2,000, and 83% against 76% at 6,000 with the learning rate \
            decayed over the second half (the bundled weights): the unlabelled digits help, but \
            far less than the GAN's or plain classic augmentation (94%).",
            model: ImageModelKind::M2,
            labels_per_class: 10,
            consistency: Consistency::default(),
            lr_decay: LrDecay::default(),
            classifier_ema: 0.0,
            learning_rate: 0.0,
            seed: 1,
        },
    ]
}

/// A lesson on the digits by id.
pub fn image_lesson(id: &str) -> Option<ImageLesson> {
    image_lessons().into_iter().find(|l| l.id == id)
}
