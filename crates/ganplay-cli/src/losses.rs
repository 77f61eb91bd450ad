//! A step's two losses, read back from the device with their names: the one place that knows
//! how a session reports them (training logs them, the benchmark only waits for them).

use ganplay_model::{StepLosses, TrainSession};

pub struct LossReading {
    /// `discriminator`, `generator` for GANs; `reconstruction`, `KL` for VAEs.
    pub names: [&'static str; 2],
    pub values: [f32; 2],
}

/// The names of the two losses a session's steps return.
pub fn names(session: &TrainSession) -> [&'static str; 2] {
    session.loss_names()
}

/// Waits for the step's queued work and reads its losses.
pub fn read(session: &TrainSession, losses: StepLosses) -> LossReading {
    let v = losses.packed().into_data().try_into_vec_as::<f32>().expect("f32 losses");
    LossReading { names: names(session), values: [v[0], v[1]] }
}

/// Waits for the step's queued work (GPU backends run ahead of the host).
pub fn wait(losses: StepLosses) {
    losses.packed().into_data();
}
