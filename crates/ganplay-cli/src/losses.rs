//! A step's losses, read back from the device: the one place that knows how a session reports
//! them (training logs them, the benchmark only waits for them).

use burn::tensor::Tensor;
use ganplay_model::Losses;

/// Waits for the step's queued work and reads its losses.
pub fn read(losses: &Losses<Tensor<1>>) -> Losses<f32> {
    let values = losses
        .packed()
        .into_data()
        .try_into_vec_as::<f32>()
        .expect("f32 losses");
    losses
        .unpacked(&values)
        .expect("a step's losses read back as two values")
}

/// Waits for the step's queued work (GPU backends run ahead of the host).
pub fn wait(losses: &Losses<Tensor<1>>) {
    losses.packed().into_data();
}
