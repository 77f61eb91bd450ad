//! Canvas drawing: the sample scatter over the discriminator's decision surface, and the loss chart.

use wasm_bindgen::Clamped;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use ganplay_model::{ImageShape, Normalisation};

use crate::engine::{LossPoint, SURFACE_CELLS};

const REAL: &str = "#4b5563";
const GENERATED: &str = "#ea580c";
const MANIFOLD: &str = "rgba(109, 40, 217, 0.55)";
const ARROW: &str = "#065f46";
/// The longest gradient arrow, as a fraction of the plot's half-width: arrows show direction and
/// relative size, the absolute size depends on the loss and is not comparable across steps.
const LONGEST_ARROW: f64 = 0.18;
const D_LOSS: &str = "#2563eb";
const G_LOSS: &str = "#ea580c";

pub(crate) fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Maps data coordinates in `[-extent, extent]²` to canvas pixels (y up).
pub struct Frame {
    pub size: f64,
    pub extent: f64,
}

impl Frame {
    pub fn to_px(&self, p: [f32; 2]) -> (f64, f64) {
        let s = self.size / (2.0 * self.extent);
        (
            (p[0] as f64 + self.extent) * s,
            (self.extent - p[1] as f64) * s,
        )
    }
    pub fn to_data(&self, x: f64, y: f64) -> [f32; 2] {
        let s = 2.0 * self.extent / self.size;
        [(x * s - self.extent) as f32, (self.extent - y * s) as f32]
    }
}

/// A generated point and where the generator's loss pushes it.
pub type Arrow = ([f32; 2], [f32; 2]);

pub struct Scatter<'a> {
    pub extent: f32,
    pub real: &'a [[f32; 2]],
    pub generated: &'a [[f32; 2]],
    /// Discriminator belief per cell; blue = "real", white = unsure, orange-ish = "fake".
    pub surface: Option<&'a [f32]>,
    /// Points of a drawn distribution, marked so the user sees what they drew.
    pub drawn: &'a [[f32; 2]],
    /// The generator's image of its noise grid: `rows` lines of `columns` points.
    pub manifold: Option<(&'a [[f32; 2]], usize, usize)>,
    /// Generated points and where the generator's loss pushes them.
    pub arrows: &'a [Arrow],
}

pub fn draw_scatter(canvas: &HtmlCanvasElement, s: &Scatter) {
    let Some(ctx) = context(canvas) else { return };
    let size = canvas.width() as f64;
    let frame = Frame {
        size,
        extent: s.extent as f64,
    };
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, size, size);
    if let Some(surface) = s.surface {
        draw_surface(&ctx, surface, size);
    }
    ctx.set_stroke_style_str("#d1d5db");
    ctx.begin_path();
    ctx.move_to(0.0, size / 2.0);
    ctx.line_to(size, size / 2.0);
    ctx.move_to(size / 2.0, 0.0);
    ctx.line_to(size / 2.0, size);
    ctx.stroke();
    if let Some((points, rows, columns)) = s.manifold {
        draw_manifold(&ctx, &frame, points, rows, columns);
    }
    // Points keep their size on the full plot and shrink on the overview's tiny ones.
    let r = (size / 240.0).clamp(1.0, 2.0);
    dots(&ctx, &frame, s.real, REAL, r);
    dots(&ctx, &frame, s.generated, GENERATED, r);
    draw_arrows(&ctx, &frame, s.arrows);
    ctx.set_stroke_style_str("#111827");
    for p in s.drawn {
        let (x, y) = frame.to_px(*p);
        ctx.stroke_rect(x - 4.0, y - 4.0, 8.0, 8.0);
    }
}

/// The warped noise grid: each row and each column of the grid as one polyline (a curve for 1-D
/// noise). Segments with a non-finite end are skipped.
fn draw_manifold(
    ctx: &CanvasRenderingContext2d,
    frame: &Frame,
    points: &[[f32; 2]],
    rows: usize,
    columns: usize,
) {
    if points.len() != rows * columns {
        return;
    }
    ctx.set_stroke_style_str(MANIFOLD);
    ctx.set_line_width(1.0);
    ctx.begin_path();
    let polyline = |indices: &mut dyn Iterator<Item = usize>| {
        let mut pen_down = false;
        for i in indices {
            let p = points[i];
            if !(p[0].is_finite() && p[1].is_finite()) {
                pen_down = false;
                continue;
            }
            let (x, y) = frame.to_px(p);
            if pen_down {
                ctx.line_to(x, y);
            } else {
                ctx.move_to(x, y);
            }
            pen_down = true;
        }
    };
    for row in 0..rows {
        polyline(&mut (row * columns..(row + 1) * columns));
    }
    if rows > 1 {
        for column in 0..columns {
            polyline(&mut (0..rows).map(|row| row * columns + column));
        }
    }
    ctx.stroke();
}

/// One arrow per point along its push, scaled so the longest is [`LONGEST_ARROW`] of the plot.
fn draw_arrows(ctx: &CanvasRenderingContext2d, frame: &Frame, arrows: &[Arrow]) {
    let finite = |v: &[f32; 2]| v[0].is_finite() && v[1].is_finite();
    let longest = arrows
        .iter()
        .filter(|(p, v)| finite(p) && finite(v))
        .map(|(_, v)| (v[0] as f64).hypot(v[1] as f64))
        .fold(0.0, f64::max);
    if longest <= 0.0 {
        return;
    }
    let scale = LONGEST_ARROW * frame.extent / longest;
    ctx.set_stroke_style_str(ARROW);
    ctx.set_line_width(1.2);
    ctx.begin_path();
    for (p, v) in arrows.iter().filter(|(p, v)| finite(p) && finite(v)) {
        let (x0, y0) = frame.to_px(*p);
        let tip = [
            p[0] + (v[0] as f64 * scale) as f32,
            p[1] + (v[1] as f64 * scale) as f32,
        ];
        let (x1, y1) = frame.to_px(tip);
        let (dx, dy) = (x1 - x0, y1 - y0);
        let length = dx.hypot(dy);
        if length < 1.0 {
            continue;
        }
        ctx.move_to(x0, y0);
        ctx.line_to(x1, y1);
        // A small head: two strokes back from the tip at ±25°.
        let head = length.min(6.0);
        let angle = dy.atan2(dx);
        for side in [-0.45_f64, 0.45] {
            ctx.move_to(x1, y1);
            ctx.line_to(
                x1 - head * (angle + side).cos(),
                y1 - head * (angle + side).sin(),
            );
        }
    }
    ctx.stroke();
}

/// All points in one path and one fill: thousands of separate fills are slow in the browser.
fn dots(ctx: &CanvasRenderingContext2d, frame: &Frame, points: &[[f32; 2]], colour: &str, r: f64) {
    ctx.set_fill_style_str(colour);
    ctx.begin_path();
    for p in points
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
    {
        let (x, y) = frame.to_px(*p);
        ctx.rect(x - r, y - r, 2.0 * r, 2.0 * r);
    }
    ctx.fill();
}

/// The decision surface as a `SURFACE_CELLS²` image scaled up to the canvas: from warm ("fake")
/// through white to blue ("real").
fn draw_surface(ctx: &CanvasRenderingContext2d, surface: &[f32], size: f64) {
    let mut rgba = Vec::with_capacity(surface.len() * 4);
    for &b in surface {
        let b = if b.is_finite() {
            b.clamp(0.0, 1.0) as f64
        } else {
            0.5
        };
        let (r, g, bl) = if b >= 0.5 {
            let t = (b - 0.5) * 2.0;
            (255.0 - 120.0 * t, 255.0 - 80.0 * t, 255.0)
        } else {
            let t = (0.5 - b) * 2.0;
            (255.0, 255.0 - 60.0 * t, 255.0 - 120.0 * t)
        };
        rgba.extend([r as u8, g as u8, bl as u8, 255]);
    }
    let n = SURFACE_CELLS as u32;
    let Some(small) = scratch_canvas(n) else {
        return;
    };
    let Some(small_ctx) = context(&small) else {
        return;
    };
    let Ok(image) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), n, n) else {
        return;
    };
    let _ = small_ctx.put_image_data(&image, 0.0, 0.0);
    let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&small, 0.0, 0.0, size, size);
}

/// An off-screen canvas of `n`×`n` pixels, made once.
fn scratch_canvas(n: u32) -> Option<HtmlCanvasElement> {
    thread_local!(static CANVAS: std::cell::OnceCell<Option<HtmlCanvasElement>> = const { std::cell::OnceCell::new() });
    CANVAS.with(|c| {
        c.get_or_init(|| {
            let canvas: HtmlCanvasElement = web_sys::window()?
                .document()?
                .create_element("canvas")
                .ok()?
                .dyn_into()
                .ok()?;
            canvas.set_width(n);
            canvas.set_height(n);
            Some(canvas)
        })
        .clone()
    })
}

/// Both losses against step, scaled to the range of both; `names` label them.
pub fn draw_losses(canvas: &HtmlCanvasElement, history: &[LossPoint], names: [&str; 2]) {
    let Some(ctx) = context(canvas) else { return };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let finite: Vec<f32> = history
        .iter()
        .flat_map(|p| [p.first, p.second])
        .filter(|v| v.is_finite())
        .collect();
    if history.len() < 2 || finite.is_empty() {
        return;
    }
    let lo = finite.iter().copied().fold(f32::INFINITY, f32::min) as f64;
    let hi = finite.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let span = (hi - lo).max(1e-6);
    let (first, last) = (
        history[0].step as f64,
        history[history.len() - 1].step as f64,
    );
    let x_of = |step: u64| 30.0 + (step as f64 - first) / (last - first).max(1.0) * (w - 40.0);
    let y_of = |v: f32| 10.0 + (hi - v as f64) / span * (h - 30.0);
    for (colour, pick) in [(D_LOSS, 0), (G_LOSS, 1)] {
        ctx.set_stroke_style_str(colour);
        ctx.begin_path();
        let mut pen_down = false;
        for p in history {
            let v = if pick == 0 { p.first } else { p.second };
            if !v.is_finite() {
                pen_down = false;
                continue;
            }
            let (x, y) = (x_of(p.step), y_of(v));
            if pen_down {
                ctx.line_to(x, y)
            } else {
                ctx.move_to(x, y)
            }
            pen_down = true;
        }
        ctx.stroke();
    }
    ctx.set_fill_style_str("#374151");
    ctx.set_font("11px sans-serif");
    let _ = ctx.fill_text(&format!("{hi:.3}"), 2.0, 14.0);
    let _ = ctx.fill_text(&format!("{lo:.3}"), 2.0, h - 18.0);
    let _ = ctx.fill_text(
        &format!("step {}", history[history.len() - 1].step),
        w - 90.0,
        h - 4.0,
    );
    ctx.set_fill_style_str(D_LOSS);
    let _ = ctx.fill_text(names[0], 40.0, h - 4.0);
    ctx.set_fill_style_str(G_LOSS);
    let _ = ctx.fill_text(names[1], 140.0, h - 4.0);
}

/// Images in a grid at one canvas pixel per image pixel (CSS scales the canvas up). The layout is
/// the model crate's, the same the CLI writes as PNG.
pub fn draw_images(
    canvas: &HtmlCanvasElement,
    values: &[f32],
    shape: ImageShape,
    norm: Normalisation,
    columns: usize,
) {
    let grid = ganplay_model::sample::grid::compose(values, shape, norm, columns);
    canvas.set_width(grid.width as u32);
    canvas.set_height(grid.height as u32);
    let Some(ctx) = context(canvas) else { return };
    let Ok(image) = ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(&grid.pixels),
        grid.width as u32,
        grid.height as u32,
    ) else {
        return;
    };
    let _ = ctx.put_image_data(&image, 0.0, 0.0);
}

/// One colour per class (Tableau 10).
pub const CLASS_COLOURS: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// Encoded test digits in the latent plane, coloured by class.
pub fn draw_encodings(canvas: &HtmlCanvasElement, points: &[([f32; 2], u8)]) {
    let Some(ctx) = context(canvas) else { return };
    let size = canvas.width() as f64;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, size, size);
    let extent = points
        .iter()
        .flat_map(|(p, _)| [p[0].abs(), p[1].abs()])
        .filter(|v| v.is_finite())
        .fold(1.0f32, f32::max) as f64
        * 1.05;
    let frame = Frame { size, extent };
    for class in 0..CLASS_COLOURS.len() as u8 {
        let of_class: Vec<[f32; 2]> = points
            .iter()
            .filter(|(_, c)| *c == class)
            .map(|(p, _)| *p)
            .collect();
        dots(&ctx, &frame, &of_class, CLASS_COLOURS[class as usize], 2.0);
    }
    ctx.set_fill_style_str("#374151");
    ctx.set_font("11px sans-serif");
    let _ = ctx.fill_text(&format!("±{extent:.1}"), 4.0, 12.0);
}
