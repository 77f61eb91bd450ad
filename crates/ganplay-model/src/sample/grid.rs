//! Lays images out in a grid of RGBA pixels: the page draws it on a canvas, the CLI writes it as
//! a PNG, so both show the same pixels for the same samples.

use crate::data::images::{ImageShape, Normalisation};

/// Gap between cells, in pixels.
pub const PADDING: usize = 2;
const BACKGROUND: [u8; 4] = [24, 24, 32, 255];

pub struct Rgba {
    pub width: usize,
    pub height: usize,
    /// Row after row, four bytes per pixel.
    pub pixels: Vec<u8>,
}

/// `values` holds images one after another (channel-first, in the model's normalisation);
/// they fill `columns` cells per row.
pub fn compose(
    values: &[f32],
    shape: ImageShape,
    normalisation: Normalisation,
    columns: usize,
) -> Rgba {
    compose_padded(values, shape, normalisation, columns, PADDING)
}

/// The cell of a [`compose`]d grid of `count` images under pixel (`x`, `y`); `None` on the
/// padding or past the last image.
pub fn cell_at(x: f64, y: f64, shape: ImageShape, columns: usize, count: usize) -> Option<usize> {
    let (pitch_x, pitch_y) = (
        (shape.width + PADDING) as f64,
        (shape.height + PADDING) as f64,
    );
    let (cx, cy) = (x - PADDING as f64, y - PADDING as f64);
    if cx < 0.0
        || cy < 0.0
        || cx % pitch_x >= shape.width as f64
        || cy % pitch_y >= shape.height as f64
    {
        return None;
    }
    let (column, row) = ((cx / pitch_x) as usize, (cy / pitch_y) as usize);
    let index = row * columns + column;
    (column < columns && index < count).then_some(index)
}

/// One image, without a border.
pub fn single(values: &[f32], shape: ImageShape, normalisation: Normalisation) -> Rgba {
    compose_padded(
        &values[..shape.len().min(values.len())],
        shape,
        normalisation,
        1,
        0,
    )
}

fn compose_padded(
    values: &[f32],
    shape: ImageShape,
    normalisation: Normalisation,
    columns: usize,
    padding: usize,
) -> Rgba {
    let count = values.len() / shape.len().max(1);
    let columns = columns.clamp(1, count.max(1));
    let rows = count.div_ceil(columns).max(1);
    let width = columns * (shape.width + padding) + padding;
    let height = rows * (shape.height + padding) + padding;
    let mut pixels: Vec<u8> = BACKGROUND
        .iter()
        .copied()
        .cycle()
        .take(width * height * 4)
        .collect();
    let plane = shape.height * shape.width;
    for (i, image) in values.chunks_exact(shape.len()).enumerate() {
        let (x0, y0) = (
            (i % columns) * (shape.width + padding) + padding,
            (i / columns) * (shape.height + padding) + padding,
        );
        for y in 0..shape.height {
            for x in 0..shape.width {
                let at = y * shape.width + x;
                // Grey images repeat their one channel; colour images use their first three.
                let channel =
                    |c: usize| normalisation.pixel(image[c.min(shape.channels - 1) * plane + at]);
                let out = ((y0 + y) * width + x0 + x) * 4;
                pixels[out..out + 4].copy_from_slice(&[channel(0), channel(1), channel(2), 255]);
            }
        }
    }
    Rgba {
        width,
        height,
        pixels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_land_where_expected() {
        let shape = ImageShape {
            channels: 1,
            height: 2,
            width: 3,
        };
        // Three images: all black, all white, mid grey; two per row.
        let mut values = vec![-1.0; 6];
        values.extend([1.0; 6]);
        values.extend([0.0; 6]);
        let g = compose(&values, shape, Normalisation::SIGNED, 2);
        assert_eq!((g.width, g.height), (2 * 5 + 2, 2 * 4 + 2));
        let at = |x: usize, y: usize| &g.pixels[(y * g.width + x) * 4..(y * g.width + x) * 4 + 4];
        assert_eq!(at(2, 2), &[0, 0, 0, 255]);
        assert_eq!(at(2 + 5, 2), &[255, 255, 255, 255]);
        assert_eq!(at(2, 2 + 4 + 1), &[128, 128, 128, 255]);
        assert_eq!(at(0, 0), &BACKGROUND);
        assert_eq!(at(2 + 5, 2 + 4), &BACKGROUND, "no fourth image");
    }

    #[test]
    fn a_pixel_finds_its_cell_and_padding_finds_none() {
        let shape = ImageShape::square(1, 28);
        // 10 images, 4 per row: pitch 30, first cell from pixel 2.
        assert_eq!(cell_at(2.0, 2.0, shape, 4, 10), Some(0));
        assert_eq!(cell_at(29.9, 29.9, shape, 4, 10), Some(0));
        assert_eq!(cell_at(30.5, 10.0, shape, 4, 10), None, "padding");
        assert_eq!(cell_at(33.0, 33.0, shape, 4, 10), Some(5));
        assert_eq!(
            cell_at(2.0 + 30.0 * 2.0, 2.0 + 30.0 * 2.0, shape, 4, 10),
            None,
            "past the last"
        );
        assert_eq!(
            cell_at(2.0 + 30.0 * 4.0, 2.0, shape, 4, 10),
            None,
            "past the last column"
        );
        assert_eq!(cell_at(1.0, 5.0, shape, 4, 10), None);
    }
}
