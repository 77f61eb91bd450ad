//! Canvas charts of the quality panels: bars with optional error bars (the class histogram, the
//! augmentation benchmark's arms) and one metric over training steps.

use web_sys::HtmlCanvasElement;

use crate::plot::context;

const BAR: &str = "#2563eb";
const TEXT: &str = "#374151";
const AXIS: &str = "#d1d5db";

/// One bar: its label, its height and an optional ± error.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub error: Option<f64>,
}

/// Bars from `floor` (bottom of the chart) to the top of the tallest bar plus its error.
pub fn draw_bars(canvas: &HtmlCanvasElement, bars: &[Bar], floor: f64) {
    let Some(ctx) = context(canvas) else { return };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    if bars.is_empty() {
        return;
    }
    let top = bars
        .iter()
        .map(|b| b.value + b.error.unwrap_or(0.0))
        .fold(floor + 1e-9, f64::max);
    let (left, bottom, head) = (4.0, 18.0, 14.0);
    let plot_h = h - bottom - head;
    let y_of = |v: f64| head + plot_h * (1.0 - ((v - floor) / (top - floor)).clamp(0.0, 1.0));
    let slot = (w - left) / bars.len() as f64;
    ctx.set_font("11px sans-serif");
    ctx.set_text_align("center");
    for (i, bar) in bars.iter().enumerate() {
        let x = left + slot * i as f64;
        let centre = x + slot / 2.0;
        ctx.set_fill_style_str(BAR);
        let y = y_of(bar.value);
        ctx.fill_rect(x + slot * 0.15, y, slot * 0.7, h - bottom - y);
        if let Some(e) = bar.error {
            ctx.set_stroke_style_str(TEXT);
            ctx.begin_path();
            ctx.move_to(centre, y_of(bar.value - e));
            ctx.line_to(centre, y_of(bar.value + e));
            ctx.stroke();
        }
        ctx.set_fill_style_str(TEXT);
        let _ = ctx.fill_text(&bar.label, centre, h - 5.0);
        let _ = ctx.fill_text(&short(bar.value), centre, (y - 3.0).max(11.0));
    }
    ctx.set_stroke_style_str(AXIS);
    ctx.begin_path();
    ctx.move_to(0.0, h - bottom);
    ctx.line_to(w, h - bottom);
    ctx.stroke();
}

/// `(step, value)` points as a line with dots, and a dashed line at `floor`.
pub fn draw_history(canvas: &HtmlCanvasElement, points: &[(u64, f64)], floor: f64) {
    let Some(ctx) = context(canvas) else { return };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    if points.is_empty() {
        return;
    }
    let max_step = points.iter().map(|p| p.0).max().unwrap_or(1).max(1) as f64;
    let top = points.iter().map(|p| p.1).fold(floor, f64::max) * 1.1 + 1e-9;
    let pad = 12.0;
    let x_of = |s: u64| pad + (w - 2.0 * pad) * s as f64 / max_step;
    let y_of = |v: f64| pad + (h - 2.0 * pad) * (1.0 - (v / top).clamp(0.0, 1.0));
    ctx.set_stroke_style_str(AXIS);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&4.into(), &4.into()));
    ctx.begin_path();
    ctx.move_to(pad, y_of(floor));
    ctx.line_to(w - pad, y_of(floor));
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    ctx.set_stroke_style_str(BAR);
    ctx.set_fill_style_str(BAR);
    ctx.begin_path();
    for (i, (s, v)) in points.iter().enumerate() {
        if i == 0 {
            ctx.move_to(x_of(*s), y_of(*v));
        } else {
            ctx.line_to(x_of(*s), y_of(*v));
        }
    }
    ctx.stroke();
    for (s, v) in points {
        ctx.fill_rect(x_of(*s) - 2.0, y_of(*v) - 2.0, 4.0, 4.0);
    }
    ctx.set_fill_style_str(TEXT);
    ctx.set_font("11px sans-serif");
    ctx.set_text_align("right");
    let _ = ctx.fill_text(
        &format!("floor {}", short(floor)),
        w - pad,
        y_of(floor) - 3.0,
    );
}

/// Bins of the score histogram over [0, 1].
const SCORE_BINS: usize = 10;
const REAL: &str = "#4b5563";
const FAKE: &str = "#ea580c";

/// Two histograms of scores in [0, 1], side by side in each bin: real examples (grey) and
/// generated ones (orange), each as a share of its own count.
pub fn draw_score_histogram(canvas: &HtmlCanvasElement, real: &[f32], fake: &[f32]) {
    let Some(ctx) = context(canvas) else { return };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let shares = |scores: &[f32]| {
        let mut bins = [0.0f64; SCORE_BINS];
        let finite: Vec<f32> = scores.iter().copied().filter(|s| s.is_finite()).collect();
        for s in &finite {
            bins[((s.clamp(0.0, 1.0) * SCORE_BINS as f32) as usize).min(SCORE_BINS - 1)] += 1.0;
        }
        bins.map(|b| b / finite.len().max(1) as f64)
    };
    let (real, fake) = (shares(real), shares(fake));
    let top = real.iter().chain(&fake).copied().fold(1e-9, f64::max);
    let (bottom, head) = (18.0, 8.0);
    let slot = w / SCORE_BINS as f64;
    for (i, (r, f)) in real.iter().zip(&fake).enumerate() {
        for (offset, share, colour) in [(0.1, r, REAL), (0.5, f, FAKE)] {
            let bar = (h - bottom - head) * share / top;
            ctx.set_fill_style_str(colour);
            ctx.fill_rect(
                slot * (i as f64 + offset),
                h - bottom - bar,
                slot * 0.4,
                bar,
            );
        }
    }
    ctx.set_stroke_style_str(AXIS);
    ctx.begin_path();
    ctx.move_to(0.0, h - bottom);
    ctx.line_to(w, h - bottom);
    ctx.stroke();
    ctx.set_fill_style_str(TEXT);
    ctx.set_font("11px sans-serif");
    ctx.set_text_align("left");
    let _ = ctx.fill_text("D = 0 (fake)", 2.0, h - 4.0);
    ctx.set_text_align("right");
    let _ = ctx.fill_text("D = 1 (real)", w - 2.0, h - 4.0);
}

fn short(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}
