//! Helpers shared by the integration tests.

use burn::tensor::Tensor;
use ganplay_model::metrics::{ModeMetrics, mode_metrics, points_from_flat};
use ganplay_model::{ToyDataset, TrainSession};

/// PacGAN's metrics of the samples `session` draws for `noise`.
pub fn mode_score(session: &TrainSession, noise: &Tensor<2>, data: &ToyDataset) -> ModeMetrics {
    let flat = session
        .generate(noise.clone())
        .into_data()
        .try_into_vec_as::<f32>()
        .unwrap();
    mode_metrics(data, &points_from_flat(&flat))
}
