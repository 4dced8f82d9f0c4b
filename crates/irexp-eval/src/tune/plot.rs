//! A sweep's plot (plotters' SVG backend): a heatmap of the measure's mean over a
//! two-parameter grid, or a line over a one-parameter grid.

use plotters::prelude::*;

use super::GridRow;
use crate::eval::Measure;

const SIZE: (u32, u32) = (720, 480);

/// A white-to-blue scale for `t` in 0..=1.
fn shade(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(247.0, 8.0), mix(251.0, 69.0), mix(255.0, 148.0))
}

/// The plot of `measure` over the grid: `params` names its axes (one or two; `None` for more),
/// `rows` are the points in grid order (the last parameter varying fastest), `best` the
/// index of the point to mark. The heatmap's rows are the first parameter's values, its
/// columns the second's; each cell shows the mean with 4 decimals.
pub fn grid_svg(
    title: &str,
    params: &[&str],
    rows: &[GridRow<'_>],
    measure: &Measure,
    best: Option<usize>,
) -> Option<Result<String, String>> {
    let means: Vec<f64> = rows
        .iter()
        .map(|r| r.evaluation.get(measure).unwrap_or(f64::NAN))
        .collect();
    let distinct = |axis: usize| {
        let mut v: Vec<&str> = Vec::new();
        for r in rows {
            if !v.contains(&r.values[axis].as_str()) {
                v.push(&r.values[axis]);
            }
        }
        v
    };
    let finite = means.iter().copied().filter(|m| m.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        return None;
    }
    let mut svg = String::new();
    let result = match params.len() {
        1 => {
            let xs: Vec<f64> = rows
                .iter()
                .map(|r| r.values[0].parse().unwrap_or(f64::NAN))
                .collect();
            if xs.iter().any(|x| !x.is_finite()) {
                return None;
            }
            let (x0, x1) = xs
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            let xpad = ((x1 - x0) * 0.05).max(1e-6);
            let ypad = ((hi - lo) * 0.1).max(1e-4);
            (|| -> Result<(), Box<dyn std::error::Error + '_>> {
                let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                root.fill(&WHITE)?;
                let mut chart = ChartBuilder::on(&root)
                    .caption(title, ("sans-serif", 18))
                    .margin(12)
                    .x_label_area_size(40)
                    .y_label_area_size(70)
                    .build_cartesian_2d((x0 - xpad)..(x1 + xpad), (lo - ypad)..(hi + ypad))?;
                chart
                    .configure_mesh()
                    .x_desc(params[0])
                    .y_desc(format!("mean {measure}"))
                    .draw()?;
                let pts: Vec<(f64, f64)> = xs.iter().copied().zip(means.iter().copied()).collect();
                let col = RGBColor(0, 114, 178);
                chart.draw_series(LineSeries::new(pts.clone(), col.stroke_width(2)))?;
                chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, col.filled())))?;
                if let Some(b) = best {
                    chart.draw_series(std::iter::once(Circle::new(
                        pts[b],
                        7,
                        RGBColor(213, 94, 0).stroke_width(2),
                    )))?;
                }
                root.present()?;
                Ok(())
            })()
        }
        2 => {
            let (ys, xs) = (distinct(0), distinct(1));
            if ys.len() * xs.len() != rows.len() {
                return None;
            }
            let (nx, ny) = (xs.len(), ys.len());
            (|| -> Result<(), Box<dyn std::error::Error + '_>> {
                let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                root.fill(&WHITE)?;
                let mut chart = ChartBuilder::on(&root)
                    .caption(title, ("sans-serif", 18))
                    .margin(12)
                    .x_label_area_size(40)
                    .y_label_area_size(60)
                    .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)?;
                let xl = |v: &f64| {
                    let i = v.floor() as usize;
                    if (v - i as f64 - 0.5).abs() < 1e-9 {
                        xs.get(i).map_or(String::new(), |s| s.to_string())
                    } else {
                        String::new()
                    }
                };
                let yl = |v: &f64| {
                    let i = v.floor() as usize;
                    if (v - i as f64 - 0.5).abs() < 1e-9 {
                        ys.get(i).map_or(String::new(), |s| s.to_string())
                    } else {
                        String::new()
                    }
                };
                chart
                    .configure_mesh()
                    .disable_mesh()
                    .x_labels(2 * nx + 1)
                    .y_labels(2 * ny + 1)
                    .x_label_formatter(&xl)
                    .y_label_formatter(&yl)
                    .x_desc(params[1])
                    .y_desc(params[0])
                    .draw()?;
                let span = if hi > lo { hi - lo } else { 1.0 };
                for (i, m) in means.iter().enumerate() {
                    let (r, c) = (i / nx, i % nx);
                    let t = (m - lo) / span;
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(c as f64, r as f64), (c as f64 + 1.0, r as f64 + 1.0)],
                        shade(t).filled(),
                    )))?;
                    if best == Some(i) {
                        chart.draw_series(std::iter::once(Rectangle::new(
                            [
                                (c as f64 + 0.04, r as f64 + 0.04),
                                (c as f64 + 0.96, r as f64 + 0.96),
                            ],
                            RGBColor(213, 94, 0).stroke_width(3),
                        )))?;
                    }
                    let ink = if t > 0.55 { WHITE } else { BLACK };
                    let text = if m.is_finite() {
                        format!("{m:.4}")
                    } else {
                        "–".to_string()
                    };
                    chart.draw_series(std::iter::once(Text::new(
                        text,
                        (c as f64 + 0.5, r as f64 + 0.5),
                        ("sans-serif", 12).into_font().color(&ink).pos(
                            plotters::style::text_anchor::Pos::new(
                                plotters::style::text_anchor::HPos::Center,
                                plotters::style::text_anchor::VPos::Center,
                            ),
                        ),
                    )))?;
                }
                root.present()?;
                Ok(())
            })()
        }
        _ => return None,
    };
    Some(result.map_err(|e| e.to_string()).map(|()| svg))
}
