//! The CPU backend's convolutions and their gradients (its im2col over blocks of images, its own
//! weight-gradient kernel and threaded transposed convolution, `vendor/burn-flex`) against the
//! sums that define them, at the page DCGAN's shapes and at odd ones (stride 1, dilation, groups,
//! a non-square kernel, padding past the image).

use burn::tensor::module::{conv_transpose2d, conv2d};
use burn::tensor::ops::{ConvOptions, ConvTransposeOptions};
use burn::tensor::{Device, Tensor, TensorData};

/// A convolution's shapes: input `[batch, in_channels, h, w]`, `out_channels`, kernel, stride,
/// padding, dilation, groups.
#[derive(Clone, Copy, Debug)]
struct Case {
    input: [usize; 4],
    out_channels: usize,
    kernel: [usize; 2],
    stride: usize,
    padding: usize,
    dilation: usize,
    groups: usize,
}

const CASES: [Case; 5] = [
    // The page DCGAN's critic (its first layer), and its generator's last layer transposed.
    Case {
        input: [64, 1, 28, 28],
        out_channels: 16,
        kernel: [4, 4],
        stride: 2,
        padding: 1,
        dilation: 1,
        groups: 1,
    },
    // The critic's second layer, and the generator's first transposed convolution.
    Case {
        input: [64, 16, 14, 14],
        out_channels: 32,
        kernel: [4, 4],
        stride: 2,
        padding: 1,
        dilation: 1,
        groups: 1,
    },
    Case {
        input: [3, 4, 9, 7],
        out_channels: 6,
        kernel: [3, 2],
        stride: 1,
        padding: 0,
        dilation: 2,
        groups: 2,
    },
    Case {
        input: [2, 3, 5, 6],
        out_channels: 2,
        kernel: [3, 3],
        stride: 3,
        padding: 2,
        dilation: 1,
        groups: 1,
    },
    Case {
        input: [5, 2, 8, 8],
        out_channels: 4,
        kernel: [1, 1],
        stride: 1,
        padding: 0,
        dilation: 1,
        groups: 2,
    },
];

/// Reproducible values in [-1, 1).
fn values(len: usize, seed: u64) -> Vec<f32> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

fn tensor(data: &[f32], shape: [usize; 4], device: &Device) -> Tensor<4> {
    Tensor::<4>::from_data(TensorData::new(data.to_vec(), shape), device)
}

fn out_size(input: usize, kernel: usize, c: &Case) -> usize {
    (input + 2 * c.padding - c.dilation * (kernel - 1) - 1) / c.stride + 1
}

/// Every (input position, weight, output position) a convolution multiplies together:
/// `f(input index, weight index, output index)` for `out[o] += input[i] · weight[w]`, with the
/// weight laid out `[out_channels, in_channels / groups, kh, kw]`.
fn for_each_product(
    c: &Case,
    [oh_len, ow_len]: [usize; 2],
    mut f: impl FnMut(usize, usize, usize),
) {
    let [batch, in_channels, h, w] = c.input;
    let [kh, kw] = c.kernel;
    let (in_per_group, out_per_group) = (in_channels / c.groups, c.out_channels / c.groups);
    for b in 0..batch {
        for o in 0..c.out_channels {
            let group = o / out_per_group;
            for i in 0..in_per_group {
                let channel = group * in_per_group + i;
                for y in 0..kh {
                    for x in 0..kw {
                        for oh in 0..oh_len {
                            let ih = (oh * c.stride + y * c.dilation) as isize - c.padding as isize;
                            if ih < 0 || ih as usize >= h {
                                continue;
                            }
                            for ow in 0..ow_len {
                                let iw =
                                    (ow * c.stride + x * c.dilation) as isize - c.padding as isize;
                                if iw < 0 || iw as usize >= w {
                                    continue;
                                }
                                let input = ((b * in_channels + channel) * h + ih as usize) * w
                                    + iw as usize;
                                let weight = ((o * in_per_group + i) * kh + y) * kw + x;
                                let out = ((b * c.out_channels + o) * oh_len + oh) * ow_len + ow;
                                f(input, weight, out);
                            }
                        }
                    }
                }
            }
        }
    }
}

fn assert_close(ours: &[f32], expected: &[f32], what: &str, c: &Case) {
    assert_eq!(ours.len(), expected.len(), "{what}: length, {c:?}");
    let scale = expected.iter().fold(1.0f32, |m, v| m.max(v.abs()));
    for (k, (a, e)) in ours.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= 1e-4 * scale,
            "{what}[{k}]: {a} against {e}, {c:?}"
        );
    }
}

fn grads_of(
    x: &Tensor<4>,
    w: &Tensor<4>,
    out: Tensor<4>,
    weights: &[f32],
    device: &Device,
) -> (Vec<f32>, Vec<f32>) {
    let shape = out.dims();
    let loss = (out * tensor(weights, shape, device)).sum();
    let grads = loss.backward();
    let read = |t: Tensor<4>| t.into_data().try_to_vec::<f32>().unwrap();
    (
        read(x.grad(&grads).expect("input gradient")),
        read(w.grad(&grads).expect("weight gradient")),
    )
}

#[test]
fn conv2d_and_its_gradients_are_the_sums_that_define_them() {
    let device = Device::flex().autodiff();
    for (n, c) in CASES.iter().enumerate() {
        let [batch, in_channels, h, w] = c.input;
        let out = [out_size(h, c.kernel[0], c), out_size(w, c.kernel[1], c)];
        let w_shape = [
            c.out_channels,
            in_channels / c.groups,
            c.kernel[0],
            c.kernel[1],
        ];
        let x_values = values(c.input.iter().product(), 3 * n as u64);
        let w_values = values(w_shape.iter().product(), 3 * n as u64 + 1);
        let r = values(batch * c.out_channels * out[0] * out[1], 3 * n as u64 + 2);

        let x = tensor(&x_values, c.input, &device).require_grad();
        let weight = tensor(&w_values, w_shape, &device).require_grad();
        let options = ConvOptions::new([c.stride; 2], [c.padding; 2], [c.dilation; 2], c.groups);
        let y = conv2d(x.clone(), weight.clone(), None, options);
        let y_values = y.clone().into_data().try_to_vec::<f32>().unwrap();
        let (x_grad, w_grad) = grads_of(&x, &weight, y, &r, &device);

        let mut expected_y = vec![0.0; r.len()];
        let mut expected_x = vec![0.0; x_values.len()];
        let mut expected_w = vec![0.0; w_values.len()];
        for_each_product(c, out, |i, k, o| {
            expected_y[o] += x_values[i] * w_values[k];
            expected_x[i] += r[o] * w_values[k];
            expected_w[k] += r[o] * x_values[i];
        });
        assert_close(&y_values, &expected_y, "conv2d output", c);
        assert_close(&w_grad, &expected_w, "conv2d weight gradient", c);
        assert_close(&x_grad, &expected_x, "conv2d input gradient", c);
    }
}

/// A transposed convolution runs a convolution's products backwards: its input is the
/// convolution's output, its output the convolution's input.
#[test]
fn conv_transpose2d_gradients_are_the_sums_that_define_them() {
    let device = Device::flex().autodiff();
    for (n, c) in CASES.iter().enumerate() {
        let [batch, channels, h, w] = c.input;
        let small = [out_size(h, c.kernel[0], c), out_size(w, c.kernel[1], c)];
        // Its input [batch, out_channels, small], its output the convolution's input shape
        // (the rows and columns no window reaches restored by the output padding).
        let x_shape = [batch, c.out_channels, small[0], small[1]];
        let produced =
            |len: usize, k: usize| (len - 1) * c.stride + c.dilation * (k - 1) + 1 - 2 * c.padding;
        let padding_out = [
            h - produced(small[0], c.kernel[0]),
            w - produced(small[1], c.kernel[1]),
        ];
        if padding_out.iter().any(|&p| p >= c.stride.max(c.dilation)) {
            continue;
        }
        let w_shape = [
            c.out_channels,
            channels / c.groups,
            c.kernel[0],
            c.kernel[1],
        ];
        let x_values = values(x_shape.iter().product(), 5 * n as u64);
        let w_values = values(w_shape.iter().product(), 5 * n as u64 + 1);
        let r = values(c.input.iter().product(), 5 * n as u64 + 2);

        let x = tensor(&x_values, x_shape, &device).require_grad();
        let weight = tensor(&w_values, w_shape, &device).require_grad();
        let options = ConvTransposeOptions::new(
            [c.stride; 2],
            [c.padding; 2],
            padding_out,
            [c.dilation; 2],
            c.groups,
        );
        let y = conv_transpose2d(x.clone(), weight.clone(), None, options);
        assert_eq!(y.dims(), c.input, "{c:?}");
        let (x_grad, w_grad) = grads_of(&x, &weight, y, &r, &device);

        // The convolution's products, read the other way: its input is this output.
        let mut expected_x = vec![0.0; x_values.len()];
        let mut expected_w = vec![0.0; w_values.len()];
        for_each_product(c, small, |big, k, s| {
            expected_x[s] += r[big] * w_values[k];
            expected_w[k] += r[big] * x_values[s];
        });
        assert_close(&w_grad, &expected_w, "conv_transpose2d weight gradient", c);
        assert_close(&x_grad, &expected_x, "conv_transpose2d input gradient", c);
    }
}
