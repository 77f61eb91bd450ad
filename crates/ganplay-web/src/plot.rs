//! Canvas drawing: the sample scatter over the discriminator's decision surface, and the loss chart.

use wasm_bindgen::Clamped;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use ganplay_model::{ImageShape, Normalisation};

use crate::engine::{LossPoint, SURFACE_CELLS};

const REAL: &str = "#4b5563";
const GENERATED: &str = "#ea580c";
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

pub struct Scatter<'a> {
    pub extent: f32,
    pub real: &'a [[f32; 2]],
    pub generated: &'a [[f32; 2]],
    /// Discriminator belief per cell; blue = "real", white = unsure, orange-ish = "fake".
    pub surface: Option<&'a [f32]>,
    /// Points of a drawn distribution, marked so the user sees what they drew.
    pub drawn: &'a [[f32; 2]],
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
    dots(&ctx, &frame, s.real, REAL, 2.0);
    dots(&ctx, &frame, s.generated, GENERATED, 2.0);
    ctx.set_stroke_style_str("#111827");
    for p in s.drawn {
        let (x, y) = frame.to_px(*p);
        ctx.stroke_rect(x - 4.0, y - 4.0, 8.0, 8.0);
    }
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
