//! The last run, kept in the browser so a reload or a closed tab does not lose it: its weight
//! file (which carries the config, so every training knob, and the step count), its optimiser
//! state and its curves.

use js_sys::{Float64Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::idb;
use crate::engine::{Engine, LossPoint};

/// The one slot: the page keeps the latest run, not a history of them.
const KEY: &str = "last";

/// How often a training run is kept (each save reads every weight and the optimiser state back
/// from the device).
pub const KEEP_EVERY_MS: f64 = 10_000.0;

/// The curves the page draws, as the engine records them.
#[derive(Clone, Default)]
pub struct Curves {
    pub losses: Vec<LossPoint>,
    pub divergence: Vec<LossPoint>,
    pub d_scores: Vec<LossPoint>,
    pub accuracy: Vec<LossPoint>,
}

impl Curves {
    pub fn of(engine: &Engine) -> Self {
        Curves {
            losses: engine.history.clone(),
            divergence: engine.divergence_history.clone(),
            d_scores: engine.d_score_history.clone(),
            accuracy: engine.accuracy_history.clone(),
        }
    }

    pub fn restore(self, engine: &mut Engine) {
        engine.history = self.losses;
        engine.divergence_history = self.divergence;
        engine.d_score_history = self.d_scores;
        engine.accuracy_history = self.accuracy;
    }

    /// Field names in the stored record, with each curve.
    fn fields(&self) -> [(&'static str, &Vec<LossPoint>); 4] {
        [
            ("losses", &self.losses),
            ("divergence", &self.divergence),
            ("dScores", &self.d_scores),
            ("accuracy", &self.accuracy),
        ]
    }
}

#[derive(Clone)]
pub struct SavedRun {
    /// A weight file (f32, with its checksum).
    pub weights: Vec<u8>,
    /// The optimiser state of those weights (a `ganplay-optimizer` file; empty in runs kept
    /// without one).
    pub optimizer: Vec<u8>,
    pub model: String,
    pub steps: u64,
    /// ISO 8601, for the offer to continue.
    pub saved_at: String,
    pub curves: Curves,
}

pub async fn save(run: &SavedRun) -> Result<(), String> {
    let record = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&record, &key.into(), &value).map(|_| ());
    let stored = (|| {
        set("weights", Uint8Array::from(run.weights.as_slice()).into())?;
        set(
            "optimizer",
            Uint8Array::from(run.optimizer.as_slice()).into(),
        )?;
        set("model", run.model.as_str().into())?;
        set("steps", (run.steps as f64).into())?;
        set("savedAt", run.saved_at.as_str().into())?;
        for (name, curve) in run.curves.fields() {
            set(name, Float64Array::from(flatten(curve).as_slice()).into())?;
        }
        Ok::<_, JsValue>(())
    })();
    stored.map_err(|e| format!("{e:?}"))?;
    idb::put(KEY, &record.into()).await
}

/// The saved run, if there is one; a record this page cannot read counts as none.
pub async fn load() -> Result<Option<SavedRun>, String> {
    let Some(record) = idb::get(KEY).await? else {
        return Ok(None);
    };
    let get = |key: &str| Reflect::get(&record, &key.into()).ok();
    let curve = |key: &str| {
        get(key)
            .and_then(|v| v.dyn_into::<Float64Array>().ok())
            .map(|a| unflatten(&a.to_vec()))
            .unwrap_or_default()
    };
    let weights = get("weights").and_then(|v| v.dyn_into::<Uint8Array>().ok());
    let Some(weights) = weights else {
        return Ok(None);
    };
    let optimizer = get("optimizer").and_then(|v| v.dyn_into::<Uint8Array>().ok());
    Ok(Some(SavedRun {
        weights: weights.to_vec(),
        optimizer: optimizer.map(|o| o.to_vec()).unwrap_or_default(),
        model: get("model").and_then(|v| v.as_string()).unwrap_or_default(),
        steps: get("steps").and_then(|v| v.as_f64()).unwrap_or(0.0) as u64,
        saved_at: get("savedAt")
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        curves: Curves {
            losses: curve("losses"),
            divergence: curve("divergence"),
            d_scores: curve("dScores"),
            accuracy: curve("accuracy"),
        },
    }))
}

pub async fn discard() -> Result<(), String> {
    idb::delete(KEY).await
}

/// `step, first, second` for each point.
fn flatten(points: &[LossPoint]) -> Vec<f64> {
    points
        .iter()
        .flat_map(|p| [p.step as f64, f64::from(p.first), f64::from(p.second)])
        .collect()
}

fn unflatten(values: &[f64]) -> Vec<LossPoint> {
    values
        .chunks_exact(3)
        .map(|c| LossPoint {
            step: c[0] as u64,
            first: c[1] as f32,
            second: c[2] as f32,
        })
        .collect()
}
