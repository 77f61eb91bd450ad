//! The fixed inputs the views are computed from: scored and test digits, interpolation and
//! preview noise, the surface's grid.

use std::rc::Rc;

use burn::tensor::Tensor;
use ganplay_model::data::images::ImageSet;
use ganplay_model::data::subset::labelled_subset;
use ganplay_model::sample::{GRID_SEED, SampleLayout};
use ganplay_model::{ImageModelConfig, TrainSession};

use super::{
    INTERPOLATION_STEPS, RECONSTRUCTIONS, SCATTER_DIGITS, SCORED_REAL_PER_CLASS, SURFACE_CELLS,
    ScoredReal,
};

/// The first few training digits of each class, classes interleaved, normalised.
pub(super) fn scored_real(
    session: &TrainSession,
    config: &ImageModelConfig,
    train: &ImageSet,
) -> ScoredReal {
    let by_class = train.first_of_each_class(SCORED_REAL_PER_CLASS);
    let classes = train.classes();
    // first_of_each_class lists class by class; take one of each class in turn instead.
    let order: Vec<usize> = (0..SCORED_REAL_PER_CLASS)
        .flat_map(|rank| (0..classes).map(move |c| c * SCORED_REAL_PER_CLASS + rank))
        .filter_map(|i| by_class.get(i).copied())
        .collect();
    let norm = config.model.normalisation();
    let pixels: Vec<f32> = order
        .iter()
        .flat_map(|&i| train.image(i).iter().map(move |p| norm.value(*p)))
        .collect();
    ScoredReal {
        images: session.tensor_from_points(pixels.clone(), config.image.len()),
        labels: order.iter().map(|&i| train.labels[i] as usize).collect(),
        pixels: pixels.into(),
    }
}

/// Normalised test digits (never trained on), with labels: the reconstruction row first.
pub(super) fn test_digits(
    session: &TrainSession,
    config: &ImageModelConfig,
    test: &ImageSet,
) -> (Tensor<2>, Vec<usize>) {
    let norm = config.model.normalisation();
    let mut order = test.first_of_each_class(1);
    order.truncate(RECONSTRUCTIONS);
    let rest: Vec<usize> = (0..test.len())
        .filter(|i| !order.contains(i))
        .take(SCATTER_DIGITS - RECONSTRUCTIONS)
        .collect();
    order.extend(rest);
    let values: Vec<f32> = order
        .iter()
        .flat_map(|&i| test.image(i).iter().map(move |p| norm.value(*p)))
        .collect();
    let labels = order.iter().map(|&i| test.labels[i] as usize).collect();
    (
        session.tensor_from_points(values, config.image.len()),
        labels,
    )
}

/// Noise for a strip from the grid's first sample to its second, in equal steps (the grid's noise
/// is drawn from the same seed, so its first two vectors are these).
pub(super) fn interpolation(session: &TrainSession, class: Option<usize>) -> SampleLayout {
    let ends = session.fixed_noise_values(2, GRID_SEED);
    let (a, b) = ends.split_at(session.latent_dim());
    let noise = (0..INTERPOLATION_STEPS)
        .flat_map(|i| {
            let t = i as f32 / (INTERPOLATION_STEPS - 1) as f32;
            a.iter().zip(b).map(move |(a, b)| a * (1.0 - t) + b * t)
        })
        .collect();
    let labels = (session.classes() > 0).then(|| vec![class.unwrap_or(0); INTERPOLATION_STEPS]);
    SampleLayout::from_values(session, noise, labels, INTERPOLATION_STEPS)
}

/// Noise vectors drawn in the overview's noise box.
const NOISE_PREVIEW: usize = 300;

pub(super) fn noise_preview(session: &TrainSession) -> Rc<[[f32; 2]]> {
    let dim = session.latent_dim();
    session
        .fixed_noise_values(NOISE_PREVIEW, GRID_SEED)
        .chunks_exact(dim)
        .map(|z| [z[0], z.get(1).copied().unwrap_or(0.0)])
        .collect()
}

/// Cell centres of the surface grid, row by row from the top, in data coordinates.
pub(super) fn surface_grid(extent: f32) -> Vec<f32> {
    let n = SURFACE_CELLS;
    let cell = 2.0 * extent / n as f32;
    let mut out = Vec::with_capacity(n * n * 2);
    for row in 0..n {
        for col in 0..n {
            out.push(-extent + (col as f32 + 0.5) * cell);
            out.push(extent - (row as f32 + 0.5) * cell);
        }
    }
    out
}

/// Labelled digits shown per class in the strip (the budget may be larger).
const LABELLED_SHOWN_PER_CLASS: usize = 10;

/// A semi-supervised model's labelled training digits (the same subset its session draws, by
/// budget and seed), normalised: one row per class of up to [`LABELLED_SHOWN_PER_CLASS`].
pub(super) fn labelled_strip(
    config: &ImageModelConfig,
    train: &ImageSet,
) -> Result<LabelledStrip, String> {
    let subset =
        labelled_subset(train, config.labels_per_class, config.seed).map_err(|e| e.to_string())?;
    let columns = config.labels_per_class.min(LABELLED_SHOWN_PER_CLASS);
    let norm = config.model.normalisation();
    let pixels: Vec<f32> = (0..subset.classes())
        .flat_map(|class| {
            let first = class * config.labels_per_class;
            (first..first + columns).flat_map(|i| subset.image(i).to_vec())
        })
        .map(|p| norm.value(p))
        .collect();
    Ok(LabelledStrip {
        pixels: pixels.into(),
        columns,
        per_class: config.labels_per_class,
    })
}

/// The labelled digits as the page draws them.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledStrip {
    pub pixels: Rc<[f32]>,
    pub columns: usize,
    /// The whole budget (only `columns` per class are shown).
    pub per_class: usize,
}
