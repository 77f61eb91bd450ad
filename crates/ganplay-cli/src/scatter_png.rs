//! PNG scatter plot of real (grey) against generated (orange) points.

use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::prelude::*;

pub fn write(path: &Path, extent: f32, real: &[[f32; 2]], fake: &[[f32; 2]]) -> Result<()> {
    let root = BitMapBackend::new(path, (640, 640)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let e = extent as f64;
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .build_cartesian_2d(-e..e, -e..e)
        .map_err(|e| anyhow!("{e}"))?;
    let axis = RGBColor(200, 200, 200);
    chart
        .draw_series(LineSeries::new([(-e, 0.0), (e, 0.0)], axis))
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .draw_series(LineSeries::new([(0.0, -e), (0.0, e)], axis))
        .map_err(|e| anyhow!("{e}"))?;
    let dots = |pts: &[[f32; 2]], colour: RGBColor| {
        pts.iter()
            .filter(|p| p[0].is_finite() && p[1].is_finite())
            .map(move |p| Circle::new((p[0] as f64, p[1] as f64), 2, colour.filled()))
            .collect::<Vec<_>>()
    };
    chart
        .draw_series(dots(real, RGBColor(120, 120, 120)))
        .map_err(|e| anyhow!("{e}"))?;
    chart
        .draw_series(dots(fake, RGBColor(240, 120, 20)))
        .map_err(|e| anyhow!("{e}"))?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(())
}
