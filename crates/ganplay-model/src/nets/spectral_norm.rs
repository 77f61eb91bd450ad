//! Spectral normalisation (Miyato et al. 2018): a layer's weight divided by its largest singular
//! value σ, so the layer stretches no input by more than 1 and the critic stays close to
//! 1-Lipschitz without weight clipping. σ is estimated by power iteration: one step per training
//! forward, starting from the left singular vector the previous step found, kept as running
//! state (it is saved with the weights, like batch norm's statistics).

use burn::module::{Module, RunningState};
use burn::tensor::{Device, Tensor, TensorData};
use rand::RngCore;
use rand_distr::{Distribution, StandardNormal};

/// Keeps vectors of zeros from dividing by zero.
const EPSILON: f32 = 1e-12;

#[derive(Module, Debug)]
pub struct SpectralNorm {
    /// Estimate of the weight's left singular vector, `[1, rows]`.
    u: RunningState<Tensor<2>>,
}

impl SpectralNorm {
    /// For a weight seen as a `[rows, columns]` matrix; the first estimate is drawn from `rng`.
    pub fn new(rows: usize, rng: &mut dyn RngCore, device: &Device) -> Self {
        let values: Vec<f32> = (0..rows).map(|_| StandardNormal.sample(rng)).collect();
        let u = unit(Tensor::from_data(
            TensorData::new(values, [1, rows]),
            device,
        ));
        SpectralNorm {
            u: RunningState::new(u),
        }
    }

    /// `weight / σ(weight)` for a `[rows, columns]` weight. σ = uᵀ W v is differentiated
    /// through W only (u and v are constants of the step, as in the paper). On a training
    /// device the power iteration's new u replaces the stored one; elsewhere it is left as is,
    /// so drawing from a loaded critic does not change it.
    pub fn normalise(&self, weight: Tensor<2>) -> Tensor<2> {
        let device = weight.device();
        let frozen = weight.clone().detach();
        let u = self.u.value_sync().to_device(&device);
        let v = unit(u.matmul(frozen.clone())); // [1, columns]
        let u = unit(v.clone().matmul(frozen.transpose())); // [1, rows]
        if device.is_autodiff() {
            self.u.update(u.clone().detach());
        }
        let sigma = u.matmul(weight.clone()).matmul(v.transpose()); // [1, 1]
        weight.div(sigma)
    }
}

/// `x / ‖x‖` for a `[1, n]` row.
fn unit(x: Tensor<2>) -> Tensor<2> {
    let norm = x.clone().powi_scalar(2).sum().sqrt().add_scalar(EPSILON);
    x.div(norm.reshape([1, 1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn matrix(values: &[f32], rows: usize, device: &Device) -> Tensor<2> {
        Tensor::from_data(
            TensorData::new(values.to_vec(), [rows, values.len() / rows]),
            device,
        )
    }

    /// Largest singular value of a small matrix, from the power iteration run to convergence.
    fn largest_singular_value(w: &Tensor<2>) -> f32 {
        let gram = w.clone().transpose().matmul(w.clone());
        let mut v: Tensor<2> = Tensor::ones([gram.dims()[0], 1], &w.device());
        for _ in 0..500 {
            v = gram.clone().matmul(v.clone());
            v = v.clone().div(v.powi_scalar(2).sum().sqrt().reshape([1, 1]));
        }
        let wv = w.clone().matmul(v);
        wv.powi_scalar(2).sum().sqrt().into_scalar::<f32>()
    }

    #[test]
    fn training_steps_bring_the_largest_singular_value_to_one() {
        let device = Device::flex().autodiff();
        let rng = &mut StdRng::seed_from_u64(3);
        let w = matrix(&[3.0, 1.0, 0.5, -2.0, 4.0, 1.0], 2, &device);
        assert!((largest_singular_value(&w) - 1.0).abs() > 2.0);
        let norm = SpectralNorm::new(2, rng, &device);
        let mut normalised = norm.normalise(w.clone());
        for _ in 0..30 {
            normalised = norm.normalise(w.clone());
        }
        let sigma = largest_singular_value(&normalised);
        assert!((sigma - 1.0).abs() < 1e-3, "σ after normalisation: {sigma}");
    }

    #[test]
    fn inference_leaves_the_estimate_alone() {
        let device = Device::flex();
        let rng = &mut StdRng::seed_from_u64(3);
        let w = matrix(&[3.0, 1.0, 0.5, -2.0, 4.0, 1.0], 2, &device);
        let norm = SpectralNorm::new(2, rng, &device);
        let before = norm.u.value_sync().into_data();
        norm.normalise(w);
        assert_eq!(norm.u.value_sync().into_data(), before);
    }

    #[test]
    fn the_gradient_flows_into_the_weight() {
        let device = Device::flex().autodiff();
        let rng = &mut StdRng::seed_from_u64(3);
        let w = matrix(&[3.0, 1.0, 0.5, -2.0, 4.0, 1.0], 2, &device).require_grad();
        let norm = SpectralNorm::new(2, rng, &device);
        for _ in 0..30 {
            norm.normalise(w.clone().detach());
        }
        let loss = norm.normalise(w.clone()).sum();
        let grads = loss.backward();
        let grad = w.grad(&grads).expect("a gradient");
        let total: f32 = grad.abs().sum().into_scalar();
        assert!(total > 1e-4, "{total}");
    }
}
