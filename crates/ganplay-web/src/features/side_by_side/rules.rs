//! Side-by-side runs: run B is run A with one choice knob set to another value (the
//! non-saturating against the least-squares loss, SGD against Adam, …), on the same data, from the
//! same seed, trained in lockstep. Pure, so the rules are unit-tested on the host.

use ganplay_model::GanConfig;

use crate::knobs::{ChoiceKnob, Settings};

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub knob: ChoiceKnob,
    /// The option run B uses (an id of `knob.options()`).
    pub value: &'static str,
}

impl Comparison {
    /// Run B for `knob`: its first option that differs from run A's.
    pub fn differing_in(knob: ChoiceKnob, a: &Settings) -> Self {
        let current = knob.current(a);
        let value = knob
            .options()
            .into_iter()
            .map(|(id, _)| id)
            .find(|id| *id != current)
            .or_else(|| knob.options().first().map(|(id, _)| *id))
            .unwrap_or_default();
        Comparison { knob, value }
    }

    /// `knob` set to the option `value`; `None` for an option the knob does not have.
    pub fn new(knob: ChoiceKnob, value: &str) -> Option<Self> {
        let value = knob.options().into_iter().find(|(id, _)| *id == value)?.0;
        Some(Comparison { knob, value })
    }

    /// The URL form, `loss-select.leastsquares`.
    pub fn to_url(&self) -> String {
        format!("{}.{}", self.knob.test_id(), self.value)
    }

    pub fn from_url(text: &str) -> Option<Self> {
        let (knob, value) = text.split_once('.')?;
        let knob = ChoiceKnob::toy().find(|k| k.test_id() == knob)?;
        Self::new(knob, value)
    }

    /// Run B's knobs: run A's with this one changed.
    pub fn config(&self, a: &Settings) -> GanConfig {
        let mut b = a.clone();
        self.knob.apply(&mut b, self.value);
        b.config
    }

    /// `loss: Least squares`.
    pub fn describe(&self) -> String {
        let label = self
            .knob
            .options()
            .into_iter()
            .find(|(id, _)| *id == self.value)
            .map_or(self.value, |(_, label)| label);
        format!("{}: {label}", self.knob.label())
    }
}

#[cfg(test)]
mod tests {
    use ganplay_model::ToyKind;
    use ganplay_model::config::LossKind;
    use ganplay_model::config::knobs::{self, GanKnob};

    use super::*;

    fn settings() -> Settings {
        Settings::new(GanConfig::default(), ToyKind::Ring8.default_sigma())
    }

    #[test]
    fn run_b_differs_from_run_a_in_one_knob_only() {
        let a = settings();
        let c = Comparison::differing_in(ChoiceKnob::Gan(GanKnob(&knobs::LOSS)), &a);
        assert_ne!(c.value, ChoiceKnob::Gan(GanKnob(&knobs::LOSS)).current(&a));
        let b = c.config(&a);
        assert_ne!(b.loss, a.config.loss);
        assert_eq!(
            GanConfig {
                loss: a.config.loss,
                ..b
            },
            a.config
        );
    }

    #[test]
    fn a_comparison_survives_the_link_and_nonsense_is_ignored() {
        let c = Comparison::new(ChoiceKnob::Gan(GanKnob(&knobs::LOSS)), "nonsaturating").unwrap();
        assert_eq!(c.to_url(), "loss-select.nonsaturating");
        assert_eq!(Comparison::from_url(&c.to_url()), Some(c.clone()));
        assert_eq!(c.config(&settings()).loss, LossKind::NonSaturating);
        assert_eq!(c.describe(), "loss: Non-saturating (log)");
        for bad in ["", "loss-select", "loss-select.nope", "seed.3", "nope.adam"] {
            assert_eq!(Comparison::from_url(bad), None, "{bad}");
        }
    }
}
