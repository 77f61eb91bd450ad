//! Weight gradients of 2-D convolutions and transposed convolutions, computed directly.
//!
//! Burn's default rules compute a convolution's weight gradient as another convolution with the
//! batch and channel axes swapped. On this backend that convolution has a batch of one (or of
//! the channel count) and a kernel the size of the image, so it runs as a few single-threaded
//! gemms after copying both tensors. Here each block of images instead contributes one gemm of
//! its output gradient `[out_channels, positions]` with its im2col
//! `[positions, in_channels · kh · kw]`, accumulated into the gradient, with the blocks split over
//! the threads and their partial sums added at the end.
//!
//! A transposed convolution's weight gradient is the same sum with the roles of its input and
//! its output gradient exchanged, so one kernel serves both.

use alloc::vec;
use alloc::vec::Vec;

use burn_backend::DType;
use burn_std::{Bytes, Shape};

use crate::{FlexTensor, Layout};

/// The geometry shared by a convolution's forward pass and its weight gradient.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Geometry {
    pub kernel: [usize; 2],
    pub stride: [usize; 2],
    pub padding: [usize; 2],
    pub dilation: [usize; 2],
    pub groups: usize,
}

/// Element types with a native gemm in the `gemm` crate.
pub(crate) trait GradElement:
    bytemuck::Pod + burn_backend::Element + core::ops::Add<Output = Self> + Send + Sync + 'static
{
    const ZERO: Self;
    const ONE: Self;
}

impl GradElement for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
}

impl GradElement for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
}

/// The gradient of `weight` (`[O, I / groups, kh, kw]`) for `output = conv2d(input, weight)`,
/// given `input` `[B, I, H, W]` and the gradient of `output` `[B, O, OH, OW]`: for each `o`
/// (in group `g`), `i`, `kh`, `kw`,
/// `Σ_b Σ_(oh, ow) grad[b, o, oh, ow] · input[b, g·I/groups + i, oh·s − p + kh·d, ow·s − p + kw·d]`,
/// positions outside the image counting as zero. Symmetric padding only.
pub(crate) fn conv2d_weight_grad(
    input: FlexTensor,
    output_grad: FlexTensor,
    geometry: Geometry,
) -> FlexTensor {
    use crate::ops::module::{cast_from_f32, cast_to_f32};
    use half::{bf16, f16};
    match input.dtype() {
        DType::F32 => typed::<f32>(input, output_grad, geometry),
        DType::F64 => typed::<f64>(input, output_grad, geometry),
        DType::F16 => cast_from_f32(
            typed::<f32>(
                cast_to_f32(input, f16::to_f32),
                cast_to_f32(output_grad, f16::to_f32),
                geometry,
            ),
            f16::from_f32,
        ),
        DType::BF16 => cast_from_f32(
            typed::<f32>(
                cast_to_f32(input, bf16::to_f32),
                cast_to_f32(output_grad, bf16::to_f32),
                geometry,
            ),
            bf16::from_f32,
        ),
        dtype => panic!("conv weight gradient: unsupported dtype {dtype:?}"),
    }
}

fn typed<T: GradElement>(input: FlexTensor, output_grad: FlexTensor, g: Geometry) -> FlexTensor {
    let input = input.to_contiguous();
    let output_grad = output_grad.to_contiguous();
    let in_shape = dims4(input.layout().shape());
    let grad_shape = dims4(output_grad.layout().shape());
    let dtype = input.dtype();
    let grad = weight_grad::<T>(
        input.storage(),
        in_shape,
        output_grad.storage(),
        grad_shape,
        g,
    );
    let [_, in_channels, _, _] = in_shape;
    let out_channels = grad_shape[1];
    let shape = Shape::from(vec![
        out_channels,
        in_channels / g.groups,
        g.kernel[0],
        g.kernel[1],
    ]);
    FlexTensor::new(Bytes::from_elems(grad), Layout::contiguous(shape), dtype)
}

fn dims4(shape: &Shape) -> [usize; 4] {
    [shape[0], shape[1], shape[2], shape[3]]
}

/// Elements of a block's im2col (128 kB of f32: it stays in a core's cache).
const COLUMNS_ELEMENTS: usize = 32 * 1024;

/// The kernel on plain slices (row-major NCHW), returning `[O, I / groups, kh, kw]`.
pub(crate) fn weight_grad<T: GradElement>(
    input: &[T],
    [batch, in_channels, in_h, in_w]: [usize; 4],
    grad: &[T],
    [grad_batch, out_channels, out_h, out_w]: [usize; 4],
    g: Geometry,
) -> Vec<T> {
    assert_eq!(
        batch, grad_batch,
        "conv weight gradient: batch sizes differ"
    );
    let in_per_group = in_channels / g.groups;
    let out_per_group = out_channels / g.groups;
    let col_len = in_per_group * g.kernel[0] * g.kernel[1];
    let positions = out_h * out_w;
    let sizes = Sizes {
        in_channels,
        in_h,
        in_w,
        out_channels,
        out_h,
        out_w,
        in_per_group,
        out_per_group,
        col_len,
        positions,
    };
    let grad_len = out_channels * col_len;
    // Images per gemm: enough to give it a long inner dimension, few enough that the block's
    // im2col stays near the size of a core's cache.
    let block = (COLUMNS_ELEMENTS / (col_len * positions).max(1)).clamp(1, batch.max(1));
    let images = |range: core::ops::Range<usize>| -> Vec<T> {
        let mut sum = vec![T::ZERO; grad_len];
        let width = block.min(range.len()) * positions;
        let mut columns = vec![T::ZERO; col_len * width];
        let mut grads = vec![T::ZERO; out_per_group * width];
        let mut first = range.start;
        while first < range.end {
            let images = first..(first + block).min(range.end);
            for group in 0..g.groups {
                let width = images.len() * positions;
                for (slot, b) in images.clone().enumerate() {
                    im2col_transposed(&mut columns, width, slot, input, b, group, &sizes, &g);
                    gather_grad(&mut grads, width, slot, grad, b, group, &sizes);
                }
                accumulate(&mut sum, &grads, &columns, width, group, &sizes);
            }
            first = images.end;
        }
        sum
    };

    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        let chunks = rayon::current_num_threads().clamp(1, batch.max(1));
        let per_chunk = batch.div_ceil(chunks);
        let partials: Vec<Vec<T>> = (0..chunks)
            .into_par_iter()
            .map(|c| images(c * per_chunk..((c + 1) * per_chunk).min(batch)))
            .collect();
        let mut partials = partials.into_iter();
        let mut total = partials.next().unwrap_or_else(|| vec![T::ZERO; grad_len]);
        for partial in partials {
            for (t, p) in total.iter_mut().zip(partial) {
                *t = *t + p;
            }
        }
        total
    }
    #[cfg(not(feature = "rayon"))]
    images(0..batch)
}

struct Sizes {
    in_channels: usize,
    in_h: usize,
    in_w: usize,
    out_channels: usize,
    out_h: usize,
    out_w: usize,
    in_per_group: usize,
    out_per_group: usize,
    col_len: usize,
    positions: usize,
}

/// Fills image `b`'s columns (`slot` of a block) of `columns` `[col_len, width]` (row
/// `(i · kh + y) · kw + x`, one column per output position) from its channels of `group`: rows
/// run along the image, so the copies are contiguous.
#[allow(clippy::too_many_arguments)]
fn im2col_transposed<T: GradElement>(
    columns: &mut [T],
    width: usize,
    slot: usize,
    input: &[T],
    b: usize,
    group: usize,
    s: &Sizes,
    g: &Geometry,
) {
    let [kh, kw] = g.kernel;
    let plane = s.in_h * s.in_w;
    for i in 0..s.in_per_group {
        let channel = b * s.in_channels + group * s.in_per_group + i;
        let image = &input[channel * plane..(channel + 1) * plane];
        for y in 0..kh {
            for x in 0..kw {
                let row = (i * kh + y) * kw + x;
                let start = row * width + slot * s.positions;
                let out = &mut columns[start..start + s.positions];
                for oh in 0..s.out_h {
                    let line = &mut out[oh * s.out_w..(oh + 1) * s.out_w];
                    let ih =
                        (oh * g.stride[0] + y * g.dilation[0]) as isize - g.padding[0] as isize;
                    if ih < 0 || ih as usize >= s.in_h {
                        line.fill(T::ZERO);
                        continue;
                    }
                    let source = &image[ih as usize * s.in_w..(ih as usize + 1) * s.in_w];
                    for (ow, value) in line.iter_mut().enumerate() {
                        let iw =
                            (ow * g.stride[1] + x * g.dilation[1]) as isize - g.padding[1] as isize;
                        *value = if iw < 0 || iw as usize >= s.in_w {
                            T::ZERO
                        } else {
                            source[iw as usize]
                        };
                    }
                }
            }
        }
    }
}

/// Copies image `b`'s output gradient for `group`'s channels into its columns (`slot`) of
/// `grads` `[out_per_group, width]`.
fn gather_grad<T: GradElement>(
    grads: &mut [T],
    width: usize,
    slot: usize,
    grad: &[T],
    b: usize,
    group: usize,
    s: &Sizes,
) {
    for o in 0..s.out_per_group {
        let channel = b * s.out_channels + group * s.out_per_group + o;
        let start = o * width + slot * s.positions;
        grads[start..start + s.positions]
            .copy_from_slice(&grad[channel * s.positions..(channel + 1) * s.positions]);
    }
}

/// `sum[group's rows] += grads · columnsᵀ`: `[out_per_group, width]` times `[width, col_len]`.
fn accumulate<T: GradElement>(
    sum: &mut [T],
    grads: &[T],
    columns: &[T],
    width: usize,
    group: usize,
    s: &Sizes,
) {
    let rows = group * s.out_per_group * s.col_len..(group + 1) * s.out_per_group * s.col_len;
    let dst = &mut sum[rows];
    // SAFETY: the slices hold exactly the matrices the dimensions and strides describe: dst
    // [out_per_group, col_len] and grads [out_per_group, width] row-major (the first `width`
    // columns of each row), and the rhs [width, col_len] read from `columns` [col_len, width].
    unsafe {
        gemm::gemm(
            s.out_per_group,
            s.col_len,
            width,
            dst.as_mut_ptr(),
            1,
            s.col_len as isize,
            true,
            grads.as_ptr(),
            1,
            width as isize,
            columns.as_ptr(),
            width as isize,
            1,
            T::ONE,
            T::ONE,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}
