//! The 2D GAN's knobs as flags, built from the model crate's registry (`config::knobs`): each
//! knob's flag, help, choices and range come from there, the same ones the page shows.

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use ganplay_model::config::knobs::{self, Choice, GanKnob, Number};
use ganplay_model::{GanConfig, StringId};

/// Knobs that image models take too, with their own defaults and ranges: their flags check only
/// the syntax, and the run's config checks the range.
pub const SHARED_WITH_IMAGE_MODELS: [&str; 8] = [
    "seed",
    "batch-size",
    "d-steps",
    "clip",
    "loss",
    "d-lr",
    "lr-decay-start",
    "lr-decay-steps",
];

/// The knob flags given on the command line, as typed.
#[derive(Clone, Debug, Default)]
pub struct KnobFlags {
    given: Vec<(GanKnob, String)>,
}

impl KnobFlags {
    /// The 2D defaults with every given knob applied (each checked against its range).
    pub fn gan_config(&self, mut config: GanConfig) -> Result<GanConfig, anyhow::Error> {
        for (knob, text) in &self.given {
            knob.write(&mut config, text)
                .map_err(|e| anyhow::anyhow!("--{}: {e}", knob.key()))?;
        }
        Ok(config)
    }

    /// A number flag's value, if given (syntax checked by clap, range left to the caller).
    pub fn number<T>(&self, knob: &'static Number<T>) -> Option<T>
    where
        T: std::str::FromStr + std::fmt::Display + PartialOrd + Copy,
    {
        let text = self.text(knob.key)?;
        knob.parse_unchecked(text).ok()
    }

    pub fn choice<T: StringId>(&self, knob: &'static Choice<T>) -> Option<T> {
        T::from_id(self.text(knob.key)?)
    }

    /// The given flags that image models ignore.
    pub fn only_for_2d(&self) -> Vec<String> {
        self.given
            .iter()
            .filter(|(k, _)| !SHARED_WITH_IMAGE_MODELS.contains(&k.key()))
            .map(|(k, _)| format!("--{}", k.key()))
            .collect()
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.given
            .iter()
            .find(|(k, _)| k.key() == key)
            .map(|(_, t)| t.as_str())
    }
}

impl FromArgMatches for KnobFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let given = knobs::ALL
            .iter()
            .filter_map(|k| Some((*k, matches.get_one::<String>(k.key())?.clone())))
            .collect();
        Ok(KnobFlags { given })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for KnobFlags {
    fn augment_args(cmd: Command) -> Command {
        cmd.args(knobs::ALL.iter().map(|k| flag(*k)))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// One knob's flag; its help gives the 2D default (image models take the preset's).
fn flag(knob: GanKnob) -> Arg {
    let shared = SHARED_WITH_IMAGE_MODELS.contains(&knob.key());
    let default = match shared {
        true => format!(
            "[2D default: {}; image models: the preset's]",
            knob.default_text()
        ),
        false => format!("[default: {}]", knob.default_text()),
    };
    let range = knob
        .range_text()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let arg = Arg::new(knob.key())
        .long(knob.key())
        .help(format!("{}{range} {default}", knob.doc()));
    match knob.options() {
        Some(options) => arg.value_name("ID").value_parser(PossibleValuesParser::new(
            options
                .into_iter()
                .map(|(id, label)| PossibleValue::new(id).help(label)),
        )),
        None => arg.value_name("N").value_parser(move |text: &str| {
            let checked = match shared {
                true => knob.check_syntax(text),
                false => knob.check_text(text),
            };
            checked.map(|()| text.to_string()).map_err(|e| e.message)
        }),
    }
}

/// A value parser for a number with a registry knob's range (for flags of other commands that
/// mean the same thing, e.g. the classifier's batch size).
pub fn ranged<T, C>(knob: &'static Number<T, C>) -> impl Fn(&str) -> Result<T, String> + Clone
where
    T: std::str::FromStr + std::fmt::Display + PartialOrd + Copy + Send + Sync + 'static,
    C: 'static,
{
    move |text| knob.parse(text).map_err(|e| e.message)
}
