//! Activations written with the operations Burn's autodiff runs fastest. Burn's autodiff has no
//! LeakyReLU of its own: it records a comparison, a scaling and a masked select, 30x slower than
//! ReLU on the CPU backend at the DCGAN's sizes (`ganplay bench --ops`). Its tanh runs the
//! platform's scalar `tanhf` per value.

use burn::tensor::Tensor;
use burn::tensor::activation::{relu, sigmoid};

use crate::config::Activation;

/// A hidden layer's non-linearity, with the slope LeakyReLU uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Nonlinearity {
    pub activation: Activation,
    /// LeakyReLU only: the slope of the negative side.
    pub leaky_slope: f64,
}

impl Nonlinearity {
    pub fn new(activation: Activation, leaky_slope: f64) -> Self {
        Nonlinearity {
            activation,
            leaky_slope,
        }
    }

    pub fn relu() -> Self {
        Self::new(Activation::Relu, 0.0)
    }

    pub fn apply<const D: usize>(self, x: Tensor<D>) -> Tensor<D> {
        match self.activation {
            Activation::Relu => relu(x),
            Activation::LeakyRelu => leaky_relu(x, self.leaky_slope),
            Activation::Tanh => tanh(x),
        }
    }
}

/// LeakyReLU: `x` where positive, `slope · x` elsewhere, as `x + (1 − slope) · relu(−x)`
/// (exactly `x` where positive).
pub fn leaky_relu<const D: usize>(x: Tensor<D>, slope: f64) -> Tensor<D> {
    x.clone() + relu(x.neg()).mul_scalar(1.0 - slope)
}

/// tanh as `2 · sigmoid(2x) − 1`.
pub fn tanh<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    sigmoid(x.mul_scalar(2.0)).mul_scalar(2.0).sub_scalar(1.0)
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, TensorData};

    use super::*;

    /// Values and gradients of `ours` against Burn's own `theirs` on the CPU backend.
    fn assert_same(ours: fn(Tensor<1>) -> Tensor<1>, theirs: fn(Tensor<1>) -> Tensor<1>) {
        let device = Device::flex().autodiff();
        let values = [-30.0, -3.0, -0.5, -1e-4, 0.0, 1e-4, 0.5, 3.0, 30.0];
        let run = |f: fn(Tensor<1>) -> Tensor<1>| {
            let x = Tensor::<1>::from_data(TensorData::from(values), &device).require_grad();
            let y = f(x.clone());
            // A weighted sum, so each value's gradient is checked on its own scale.
            let weights = Tensor::<1>::from_data(
                TensorData::from([1.0, -2.0, 3.0, 0.5, 1.0, 2.0, -1.0, 0.25, 4.0]),
                &device,
            );
            let grads = (y.clone() * weights).sum().backward();
            let grad = x.grad(&grads).expect("a gradient");
            (
                y.into_data().try_to_vec::<f32>().unwrap(),
                grad.into_data().try_to_vec::<f32>().unwrap(),
            )
        };
        let (ours, theirs) = (run(ours), run(theirs));
        for (a, b) in ours
            .0
            .iter()
            .zip(&theirs.0)
            .chain(ours.1.iter().zip(&theirs.1))
        {
            assert!(
                (a - b).abs() <= 1e-6 * (1.0 + b.abs()),
                "{ours:?} against {theirs:?}"
            );
        }
    }

    #[test]
    fn leaky_relu_matches_burns() {
        assert_same(
            |x| leaky_relu(x, 0.2),
            |x| burn::tensor::activation::leaky_relu(x, 0.2),
        );
    }

    #[test]
    fn tanh_matches_burns() {
        assert_same(tanh, |x| x.tanh());
    }
}
