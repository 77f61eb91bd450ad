//! How flag values are parsed: ids of enums (the model crate's `string_ids!`, one table for the
//! page's selects, URLs and these flags), and numbers checked against the model crate's ranges.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use ganplay_model::StringId;
use ganplay_model::config::{limits, parse_knob};

/// Parses any enum with string ids; `--help` lists every id with its label, and a wrong value is
/// refused with the list.
pub fn id_of<T: StringId + Send + Sync>() -> impl TypedValueParser<Value = T> {
    let values = T::ALL
        .iter()
        .map(|&v| PossibleValue::new(v.id()).help(v.label()));
    PossibleValuesParser::new(values)
        .map(|id: String| T::from_id(&id).expect("clap passes only listed ids"))
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
