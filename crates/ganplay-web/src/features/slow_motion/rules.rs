//! Slow motion: one GAN training step cut into its phases, each naming the parts of the model
//! overview it involves, with one sentence on what happens and why. Pure, so the order and the
//! highlighting are unit-tested on the host.

/// A box of the model-overview diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Noise,
    Generator,
    Samples,
    Real,
    Discriminator,
    Prediction,
    Loss,
    Gradients,
    Update,
}

impl Part {
    /// The diagram's `data-part` attribute.
    pub fn id(self) -> &'static str {
        match self {
            Part::Noise => "noise",
            Part::Generator => "generator",
            Part::Samples => "samples",
            Part::Real => "real",
            Part::Discriminator => "discriminator",
            Part::Prediction => "prediction",
            Part::Loss => "loss",
            Part::Gradients => "gradients",
            Part::Update => "update",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Part::Noise => "noise z",
            Part::Generator => "generator G",
            Part::Samples => "samples G(z)",
            Part::Real => "real data x",
            Part::Discriminator => "discriminator D",
            Part::Prediction => "prediction D(·)",
            Part::Loss => "loss",
            Part::Gradients => "gradients",
            Part::Update => "update (Adam/SGD)",
        }
    }
}

/// Which network a phase updates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Updated {
    Discriminator,
    Generator,
}

/// A phase of one training step: a discriminator update, then a generator update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    SampleNoise,
    Generate,
    Score,
    DiscriminatorLoss,
    DiscriminatorGradients,
    UpdateDiscriminator,
    GeneratorLoss,
    GeneratorGradients,
    UpdateGenerator,
}

impl Phase {
    pub const ALL: [Phase; 9] = [
        Phase::SampleNoise,
        Phase::Generate,
        Phase::Score,
        Phase::DiscriminatorLoss,
        Phase::DiscriminatorGradients,
        Phase::UpdateDiscriminator,
        Phase::GeneratorLoss,
        Phase::GeneratorGradients,
        Phase::UpdateGenerator,
    ];

    /// The phase after this one; after the generator's update a new step begins.
    pub fn next(self) -> Phase {
        let at = Phase::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Phase::ALL[(at + 1) % Phase::ALL.len()]
    }

    /// 1-based position in the step, for "3/9".
    pub fn number(self) -> usize {
        Phase::ALL.iter().position(|p| *p == self).unwrap_or(0) + 1
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::SampleNoise => "sample noise",
            Phase::Generate => "generate",
            Phase::Score => "score real and fake",
            Phase::DiscriminatorLoss => "discriminator loss",
            Phase::DiscriminatorGradients => "backpropagate into D",
            Phase::UpdateDiscriminator => "update D",
            Phase::GeneratorLoss => "generator loss",
            Phase::GeneratorGradients => "backpropagate through D into G",
            Phase::UpdateGenerator => "update G",
        }
    }

    pub fn sentence(self) -> &'static str {
        match self {
            Phase::SampleNoise => {
                "A batch of random noise vectors z is drawn: the raw material the generator shapes."
            }
            Phase::Generate => {
                "The generator maps every z to a point G(z); with untrained weights they land \
                 anywhere."
            }
            Phase::Score => {
                "The discriminator scores a batch of real points and the generated batch: D(x) \
                 should be near 1, D(G(z)) near 0."
            }
            Phase::DiscriminatorLoss => {
                "D's loss is small when it calls real points real and generated points fake; \
                 its mistakes make it large."
            }
            Phase::DiscriminatorGradients => {
                "Backpropagation works out how each of D's weights should change to lower that \
                 loss; the generator is left alone."
            }
            Phase::UpdateDiscriminator => {
                "D's weights take one optimiser step: the decision surface moves, the generated \
                 points do not (this click ran a real D update)."
            }
            Phase::GeneratorLoss => {
                "Fresh noise goes through G and the updated D; G's loss is small when D calls \
                 its samples real."
            }
            Phase::GeneratorGradients => {
                "Gradients flow back through D, whose weights stay fixed, into G: the arrows \
                 show where each sample is pushed."
            }
            Phase::UpdateGenerator => {
                "G's weights take one optimiser step: the generated points move along the \
                 arrows, the surface does not (this click ran a real G update)."
            }
        }
    }

    /// The overview's boxes this phase involves.
    pub fn parts(self) -> &'static [Part] {
        use Part::*;
        match self {
            Phase::SampleNoise => &[Noise],
            Phase::Generate => &[Noise, Generator, Samples],
            Phase::Score => &[Samples, Real, Discriminator, Prediction],
            Phase::DiscriminatorLoss => &[Prediction, Loss],
            Phase::DiscriminatorGradients => &[Loss, Gradients, Discriminator],
            Phase::UpdateDiscriminator => &[Update, Discriminator],
            Phase::GeneratorLoss => &[Noise, Generator, Samples, Discriminator, Prediction, Loss],
            Phase::GeneratorGradients => &[Loss, Gradients, Discriminator, Generator],
            Phase::UpdateGenerator => &[Update, Generator],
        }
    }

    /// The update this phase runs on the model, if any.
    pub fn update(self) -> Option<Updated> {
        match self {
            Phase::UpdateDiscriminator => Some(Updated::Discriminator),
            Phase::UpdateGenerator => Some(Updated::Generator),
            _ => None,
        }
    }
}

/// The overview's highlighted boxes: the slow-motion phase's, or while training runs the two
/// networks being updated in turn, or after a single D or G step that network.
pub fn active_parts(
    phase: Option<Phase>,
    training: bool,
    last: Option<Updated>,
) -> &'static [Part] {
    match (phase, training, last) {
        (Some(phase), _, _) => phase.parts(),
        (None, true, _) => &[Part::Generator, Part::Discriminator, Part::Update],
        (None, false, Some(Updated::Discriminator)) => &[Part::Discriminator, Part::Update],
        (None, false, Some(Updated::Generator)) => &[Part::Generator, Part::Update],
        (None, false, None) => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_runs_d_then_g_and_starts_over() {
        let mut phase = Phase::ALL[0];
        let mut updates = Vec::new();
        for _ in 0..Phase::ALL.len() {
            updates.extend(phase.update());
            phase = phase.next();
        }
        assert_eq!(phase, Phase::SampleNoise);
        assert_eq!(updates, [Updated::Discriminator, Updated::Generator]);
        assert_eq!(Phase::UpdateGenerator.number(), 9);
    }

    #[test]
    fn every_phase_highlights_something_and_an_update_its_network() {
        for phase in Phase::ALL {
            assert!(!phase.parts().is_empty(), "{phase:?}");
            assert!(phase.sentence().ends_with('.'), "{phase:?}");
        }
        assert!(
            Phase::UpdateDiscriminator
                .parts()
                .contains(&Part::Discriminator)
        );
        assert!(
            !Phase::UpdateDiscriminator
                .parts()
                .contains(&Part::Generator)
        );
        assert!(Phase::UpdateGenerator.parts().contains(&Part::Generator));
    }

    #[test]
    fn outside_slow_motion_the_networks_being_updated_light_up() {
        assert!(active_parts(None, false, None).is_empty());
        assert!(active_parts(None, true, None).contains(&Part::Discriminator));
        assert_eq!(
            active_parts(None, false, Some(Updated::Generator)),
            &[Part::Generator, Part::Update]
        );
        assert_eq!(
            active_parts(Some(Phase::SampleNoise), true, None),
            &[Part::Noise]
        );
    }
}
