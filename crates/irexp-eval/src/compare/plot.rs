//! SVG plots of a [`Report`] (plotters' SVG backend, text as SVG `<text>`, no fonts read).
//!
//! * [`topic_difference_svg`]: for one measure, each system's per-topic differences from the
//!   baseline, sorted ascending, so wins, ties and losses read off as the parts of each curve
//!   above, on and below zero.
//! * [`pr_curve_svg`]: 11-point interpolated precision–recall curves (trec_eval's
//!   `iprec_at_recall`, averaged over the paired topics).

use plotters::prelude::*;

use super::Report;

const SIZE: (u32, u32) = (720, 440);

fn color(i: usize) -> RGBColor {
    // Colour-blind-safe (Okabe–Ito).
    const C: [(u8, u8, u8); 7] = [
        (0, 114, 178),
        (213, 94, 0),
        (0, 158, 115),
        (204, 121, 167),
        (230, 159, 0),
        (86, 180, 233),
        (0, 0, 0),
    ];
    let (r, g, b) = C[i % C.len()];
    RGBColor(r, g, b)
}

/// The sorted per-topic differences of every system from the baseline on measure number
/// `measure`, as an SVG document. `None` when the report has no such measure.
pub fn topic_difference_svg(report: &Report, measure: usize) -> Option<Result<String, String>> {
    let m = report.measures.get(measure)?;
    let n = report.topics.len();
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 0.0;
    for c in &m.comparisons {
        for &d in &c.differences {
            lo = lo.min(d);
            hi = hi.max(d);
        }
    }
    let pad = ((hi - lo) * 0.05).max(1e-3);
    let mut svg = String::new();
    let result = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "{}: per-topic difference from {} (sorted)",
                    m.measure, report.baseline
                ),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..(n as f64 + 1.0), (lo - pad)..(hi + pad))?;
        chart
            .configure_mesh()
            .x_desc("topics, sorted by difference")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_desc(format!("{} − {}", m.measure, report.baseline))
            .disable_x_mesh()
            .draw()?;
        chart.draw_series(LineSeries::new(
            [(0.0, 0.0), (n as f64 + 1.0, 0.0)],
            BLACK.mix(0.6).stroke_width(1),
        ))?;
        for (i, c) in m.comparisons.iter().enumerate() {
            let mut d = c.differences.clone();
            d.sort_by(f64::total_cmp);
            let col = color(i + 1);
            let points: Vec<(f64, f64)> = d
                .iter()
                .enumerate()
                .map(|(k, &v)| ((k + 1) as f64, v))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), col.stroke_width(2)))?
                .label(format!(
                    "{} (W/T/L {}/{}/{})",
                    c.system, c.wins, c.ties, c.losses
                ))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], col.stroke_width(2))
                });
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 2, col.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()?;
        root.present()?;
        Ok(())
    })();
    Some(result.map_err(|e| e.to_string()).map(|()| svg))
}

/// The 11-point interpolated precision–recall curves of every system, as an SVG document.
/// `None` when the report has no curves.
pub fn pr_curve_svg(report: &Report) -> Option<Result<String, String>> {
    if report.pr_curves.is_empty() {
        return None;
    }
    let mut svg = String::new();
    let result = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Interpolated precision–recall ({} topics)",
                    report.topics.len()
                ),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..1f64, 0f64..1.02f64)?;
        chart
            .configure_mesh()
            .x_desc("recall")
            .y_desc("interpolated precision")
            .draw()?;
        for (i, c) in report.pr_curves.iter().enumerate() {
            let col = color(i);
            let points: Vec<(f64, f64)> = c
                .precision
                .iter()
                .enumerate()
                .map(|(k, &p)| (k as f64 / 10.0, p))
                .collect();
            let label = if i == 0 {
                format!("{} (baseline)", c.system)
            } else {
                c.system.clone()
            };
            chart
                .draw_series(LineSeries::new(points.clone(), col.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], col.stroke_width(2))
                });
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, col.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()?;
        root.present()?;
        Ok(())
    })();
    Some(result.map_err(|e| e.to_string()).map(|()| svg))
}
