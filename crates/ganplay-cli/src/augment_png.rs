//! `accuracy.png` of the augmentation benchmark: test accuracy against the label budget, one
//! line per arm (arms with samples at ratio 1×, or their only ratio), error bars ± 1 sd over
//! seeds.

use std::path::Path;

use anyhow::{Result, anyhow};
use ganplay_model::augment_bench::{Arm, ArmSummary, Budget};
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

/// DejaVu Sans Mono (see `assets/FONT-LICENSE.txt`): plotters has no font of its own.
static FONT: &[u8] = include_bytes!("../assets/DejaVuSansMono.ttf");

const COLOURS: [RGBColor; 8] = [
    RGBColor(90, 90, 90),
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
];

pub fn write(path: &Path, summary: &[ArmSummary]) -> Result<()> {
    // A second registration (another plot in the same process) is harmless.
    let _ = register_font("sans-serif", FontStyle::Normal, FONT);
    let mut budgets: Vec<Budget> = summary
        .iter()
        .filter_map(|s| s.budget.parse().ok())
        .collect();
    budgets.sort();
    budgets.dedup();
    let position = |s: &ArmSummary| {
        let b: Budget = s.budget.parse().ok()?;
        budgets.iter().position(|x| *x == b)
    };
    let shown: Vec<&ArmSummary> = summary.iter().filter(|s| is_shown(s, summary)).collect();
    let low = shown
        .iter()
        .map(|s| 100.0 * (s.mean - s.sd))
        .fold(100.0f64, f64::min);
    let low = (low - 2.0).clamp(0.0, 95.0).floor();

    let err = |e: &dyn std::fmt::Display| anyhow!("cannot draw {}: {e}", path.display());
    let root = BitMapBackend::new(path, (900, 600)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let labels: Vec<String> = budgets.iter().map(|b| b.to_string()).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Test accuracy against label budget (mean ± sd over seeds)",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(-0.3f64..(budgets.len() as f64 - 0.7), low..100.0f64)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("real training digits per class")
        .y_desc("accuracy %")
        .x_labels(budgets.len())
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 0.01 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .draw()
        .map_err(|e| err(&e))?;
    for (i, arm) in Arm::ALL.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        // Nudge arms apart so error bars do not hide each other.
        let nudge = (i as f64 - 3.5) * 0.02;
        let mut points: Vec<(f64, f64, f64)> = shown
            .iter()
            .filter(|s| s.arm == *arm)
            .filter_map(|s| Some((position(s)? as f64 + nudge, 100.0 * s.mean, 100.0 * s.sd)))
            .collect();
        if points.is_empty() {
            continue;
        }
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|p| (p.0, p.1)),
                colour.stroke_width(2),
            ))
            .map_err(|e| err(&e))?
            .label(arm.label())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(2)));
        chart
            .draw_series(points.iter().map(|p| {
                ErrorBar::new_vertical(p.0, p.1 - p.2, p.1, p.1 + p.2, colour.filled(), 6)
            }))
            .map_err(|e| err(&e))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// Arms with samples are drawn at ratio 1× when it was run, else at their only (first) ratio.
fn is_shown(s: &ArmSummary, all: &[ArmSummary]) -> bool {
    if !s.arm.sweeps_ratio() {
        return true;
    }
    let ratios: Vec<f32> = all
        .iter()
        .filter(|o| o.arm == s.arm && o.budget == s.budget)
        .map(|o| o.ratio)
        .collect();
    let preferred = if ratios.contains(&1.0) {
        1.0
    } else {
        ratios[0]
    };
    s.ratio == preferred
}
