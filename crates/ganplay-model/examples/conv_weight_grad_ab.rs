//! Times the CPU backend's convolution weight gradient (`vendor/burn-flex`: one gemm per block of
//! images with their im2col) against Burn's default rule for it (a convolution with the batch and
//! channel axes swapped), in one run, at the page DCGAN's convolutions.
//!
//! ```sh
//! cargo run -p ganplay-model --example conv_weight_grad_ab            # every thread
//! RAYON_NUM_THREADS=1 cargo run -p ganplay-model --example conv_weight_grad_ab
//! ```

use std::time::{Duration, Instant};

use burn::tensor::module::{conv2d, conv2d_weight_backward};
use burn::tensor::ops::ConvOptions;
use burn::tensor::{Device, Distribution, Tensor};

/// One weight gradient: the convolution's input, its output gradient and its weight's shape.
struct Case {
    name: &'static str,
    input: [usize; 4],
    grad: [usize; 4],
    weight: [usize; 4],
}

/// The page DCGAN's layers (kernel 4, stride 2, padding 1). A transposed convolution's weight
/// gradient is a convolution's, with its output gradient as the input and its input as the
/// output gradient, so each case stands for a critic layer and a generator layer alike.
const CASES: [Case; 2] = [
    Case {
        name: "conv2d 64x1x28x28 → 16, conv_transpose2d 64x16x14x14 → 1",
        input: [64, 1, 28, 28],
        grad: [64, 16, 14, 14],
        weight: [16, 1, 4, 4],
    },
    Case {
        name: "conv2d 64x16x14x14 → 32, conv_transpose2d 64x32x7x7 → 16",
        input: [64, 16, 14, 14],
        grad: [64, 32, 7, 7],
        weight: [32, 16, 4, 4],
    },
];

/// Milliseconds per call, over calls repeated for at least `budget`.
fn time(budget: Duration, mut f: impl FnMut()) -> f64 {
    for _ in 0..3 {
        f();
    }
    let start = Instant::now();
    let mut calls = 0u32;
    while start.elapsed() < budget {
        f();
        calls += 1;
    }
    start.elapsed().as_secs_f64() * 1000.0 / f64::from(calls)
}

fn main() {
    let device = Device::flex();
    let budget = Duration::from_millis(1500);
    let options = ConvOptions::new([2, 2], [1, 1], [1, 1], 1);
    let threads = std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "all".into());
    println!("weight gradients on Burn's CPU backend, threads: {threads} (ms a call)");
    println!(
        "| {:<58} | {:>13} | {:>13} | {:>7} |",
        "layer", "default rule", "direct kernel", "speed-up"
    );
    for case in &CASES {
        let normal = Distribution::Normal(0.0, 1.0);
        let x = Tensor::<4>::random(case.input, normal, &device);
        let grad = Tensor::<4>::random(case.grad, normal, &device);
        let weight = Tensor::<4>::random(case.weight, normal, &device);
        let default_rule = || {
            let swapped = conv2d(
                x.clone().swap_dims(0, 1),
                grad.clone().swap_dims(0, 1),
                None,
                ConvOptions::new(options.dilation, options.padding_begin(), options.stride, 1),
            );
            swapped.swap_dims(0, 1).into_data()
        };
        let direct = || {
            conv2d_weight_backward(x.clone(), weight.clone(), grad.clone(), options.clone())
                .into_data()
        };
        let (a, b) = (default_rule(), direct());
        a.assert_approx_eq::<f32>(&b, burn::tensor::Tolerance::rel_abs(1e-4, 1e-3));
        let old = time(budget, || {
            default_rule();
        });
        let new = time(budget, || {
            direct();
        });
        println!(
            "| {:<58} | {old:>13.3} | {new:>13.3} | {:>6.2}x |",
            case.name,
            old / new
        );
    }
}
