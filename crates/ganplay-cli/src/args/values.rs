//! How flag values are parsed: ids of enums (the model crate's `string_ids!`, one table for the
//! page's selects, URLs and these flags), and knobs checked against the ranges the page enforces.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use ganplay_model::StringId;
use ganplay_model::config::{limits, parse_knob};
use ganplay_model::data::toy::SIGMA_RANGE;

/// Parses any enum with string ids; `--help` lists every id with its label, and a wrong value is
/// refused with the list.
pub fn id_of<T: StringId + Send + Sync>() -> impl TypedValueParser<Value = T> {
    let values = T::ALL
        .iter()
        .map(|&v| PossibleValue::new(v.id()).help(v.label()));
    PossibleValuesParser::new(values)
        .map(|id: String| T::from_id(&id).expect("clap passes only listed ids"))
}

pub fn hidden_layers(s: &str) -> Result<usize, String> {
    parse_knob("hidden layers", s, &limits::HIDDEN_LAYERS).map_err(|e| e.message)
}

pub fn neurons(s: &str) -> Result<usize, String> {
    parse_knob("neurons", s, &limits::NEURONS).map_err(|e| e.message)
}

pub fn noise_dim(s: &str) -> Result<usize, String> {
    parse_knob("noise dimension", s, &limits::NOISE_DIM).map_err(|e| e.message)
}

pub fn learning_rate(s: &str) -> Result<f64, String> {
    parse_knob("learning rate", s, &limits::LEARNING_RATE).map_err(|e| e.message)
}

pub fn d_steps(s: &str) -> Result<usize, String> {
    parse_knob("discriminator steps", s, &limits::D_STEPS).map_err(|e| e.message)
}

pub fn g_steps(s: &str) -> Result<usize, String> {
    parse_knob("generator steps", s, &limits::G_STEPS).map_err(|e| e.message)
}

pub fn packing(s: &str) -> Result<usize, String> {
    parse_knob("packing", s, &limits::PACKING).map_err(|e| e.message)
}

pub fn decay_steps(s: &str) -> Result<u64, String> {
    parse_knob("decay steps", s, &limits::DECAY_STEPS).map_err(|e| e.message)
}

pub fn batch_size(s: &str) -> Result<usize, String> {
    parse_knob("batch size", s, &limits::BATCH_SIZE).map_err(|e| e.message)
}

pub fn clip(s: &str) -> Result<f32, String> {
    parse_knob("clip", s, &limits::CLIP).map_err(|e| e.message)
}

pub fn sigma(s: &str) -> Result<f32, String> {
    parse_knob("sigma", s, &SIGMA_RANGE).map_err(|e| e.message)
}

pub fn sample_count(s: &str) -> Result<usize, String> {
    parse_knob("samples", s, &limits::METRIC_SAMPLES).map_err(|e| e.message)
}

pub fn confidence(s: &str) -> Result<f32, String> {
    parse_knob("minimum confidence", s, &(0.0..=1.0)).map_err(|e| e.message)
}

/// `K/N` with 1 ≤ K ≤ N.
pub fn shard(s: &str) -> Result<(usize, usize), String> {
    let parsed = s
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
    match parsed {
        Some((k, n)) if k >= 1 && k <= n => Ok((k, n)),
        _ => Err(format!(
            "'{s}' is not a shard K/N with 1 <= K <= N, e.g. 2/4"
        )),
    }
}
