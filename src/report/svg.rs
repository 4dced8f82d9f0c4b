//! The report's inline SVG plots: sorted per-topic differences and precision–recall curves.
//! Plain SVG text, drawn to a fixed `viewBox` so that CSS scales them, with a `<title>` per
//! mark (a tooltip in a browser) and numbers printed at fixed decimals (the same bytes for
//! the same data).

use super::page::esc;

/// Okabe and Ito's colour-blind-safe palette, one colour per system in order.
pub const PALETTE: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000",
];

/// The colour of the `i`th system.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Bars of `system`'s per-topic differences from the baseline for one measure, sorted from
/// the largest gain to the largest loss (ties by qid): one `<rect>` per topic (a thin grey
/// one on the zero line for a tie).
/// The y axis runs from `-scale` to `scale` (the same for every system of a measure, so
/// that the plots compare).
pub fn differences(
    measure: &str,
    system: &str,
    baseline: &str,
    topics: &[String],
    diffs: &[f64],
    scale: f64,
) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 220.0, 58.0, 10.0, 26.0, 30.0);
    let mut order: Vec<usize> = (0..diffs.len().min(topics.len())).collect();
    order.sort_by(|&a, &b| {
        diffs[b]
            .total_cmp(&diffs[a])
            .then(topics[a].cmp(&topics[b]))
    });
    let max = diffs
        .iter()
        .fold(scale, |m, d| m.max(d.abs()))
        .max(f64::MIN_POSITIVE);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let zero = top + plot_h / 2.0;
    let bar = plot_w / order.len().max(1) as f64;
    let y = |v: f64| zero - v / max * (plot_h / 2.0);
    let (wins, losses) = (
        diffs.iter().filter(|d| **d > 0.0).count(),
        diffs.iter().filter(|d| **d < 0.0).count(),
    );
    let mut s = format!(
        "<svg class=\"plot diff\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{label}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title>{label}</title>\
         <text x=\"{left}\" y=\"16\" class=\"t\">{m}: {sys} − {base}, {n} topics sorted ({wins} better, {losses} worse)</text>",
        label = esc(&format!("{measure}: per-topic difference {system} minus {baseline}")),
        m = esc(measure),
        sys = esc(system),
        base = esc(baseline),
        n = order.len(),
    );
    for (v, anchor) in [(max, "max"), (0.0, "zero"), (-max, "min")] {
        let yy = y(v);
        s.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{x2:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" class=\"{cls}\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\" class=\"a\" text-anchor=\"end\">{v:+.3}</text>",
            x2 = w - right,
            cls = if anchor == "zero" { "zero" } else { "grid" },
            tx = left - 4.0,
            ty = yy + 4.0,
        ));
    }
    for (k, &i) in order.iter().enumerate() {
        let d = diffs[i];
        if d == 0.0 {
            // A tie: a short grey mark on the zero line, so that every topic is drawn.
            s.push_str(&format!(
                "<rect x=\"{x:.2}\" y=\"{y0:.2}\" width=\"{bw:.2}\" height=\"1.5\" class=\"tie\"><title>{q}: tie</title></rect>",
                x = left + k as f64 * bar + bar * 0.1,
                y0 = zero - 0.75,
                bw = (bar * 0.8).max(0.5),
                q = esc(&topics[i]),
            ));
            continue;
        }
        let (y0, y1) = if d > 0.0 { (y(d), zero) } else { (zero, y(d)) };
        s.push_str(&format!(
            "<rect x=\"{x:.2}\" y=\"{y0:.2}\" width=\"{bw:.2}\" height=\"{bh:.2}\" class=\"{c}\"><title>{q}: {d:+.4}</title></rect>",
            x = left + k as f64 * bar + bar * 0.1,
            bw = (bar * 0.8).max(0.5),
            bh = (y1 - y0).max(0.5),
            c = if d > 0.0 { "gain" } else { "loss" },
            q = esc(&topics[i]),
        ));
    }
    s.push_str(&format!(
        "<text x=\"{cx:.1}\" y=\"{by:.1}\" class=\"a\" text-anchor=\"middle\">topics, by difference</text></svg>",
        cx = left + plot_w / 2.0,
        by = h - 8.0
    ));
    s
}

/// Interpolated precision at the 11 standard recall levels, one line per system.
pub fn precision_recall(title: &str, curves: &[(String, Vec<f64>)]) -> String {
    let (w, h, left, right, top, bottom) = (520.0, 330.0, 48.0, 150.0, 26.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let x = |r: f64| left + r * plot_w;
    let y = |p: f64| top + (1.0 - p) * plot_h;
    let mut s = format!(
        "<svg class=\"plot pr\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title>{t}</title><text x=\"{left}\" y=\"16\" class=\"t\">{t}</text>",
        t = esc(title)
    );
    for k in 0..=5 {
        let v = k as f64 / 5.0;
        s.push_str(&format!(
            "<line x1=\"{x0:.1}\" x2=\"{x1:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" class=\"grid\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\" class=\"a\" text-anchor=\"end\">{v:.1}</text>\
             <line x1=\"{xx:.1}\" x2=\"{xx:.1}\" y1=\"{y0:.1}\" y2=\"{y1:.1}\" class=\"grid\"/>\
             <text x=\"{xx:.1}\" y=\"{by:.1}\" class=\"a\" text-anchor=\"middle\">{v:.1}</text>",
            x0 = x(0.0),
            x1 = x(1.0),
            yy = y(v),
            tx = left - 4.0,
            ty = y(v) + 4.0,
            xx = x(v),
            y0 = y(0.0),
            y1 = y(1.0),
            by = y(0.0) + 14.0,
        ));
    }
    s.push_str(&format!(
        "<text x=\"{cx:.1}\" y=\"{by:.1}\" class=\"a\" text-anchor=\"middle\">recall</text>\
         <text x=\"12\" y=\"{cy:.1}\" class=\"a\" text-anchor=\"middle\" transform=\"rotate(-90 12 {cy:.1})\">interpolated precision</text>",
        cx = x(0.5),
        by = h - 6.0,
        cy = y(0.5)
    ));
    for (i, (system, precision)) in curves.iter().enumerate() {
        let points: Vec<(f64, f64)> = precision
            .iter()
            .enumerate()
            .map(|(k, p)| (k as f64 / (precision.len().max(2) - 1) as f64, *p))
            .collect();
        let path: Vec<String> = points
            .iter()
            .map(|(r, p)| format!("{:.1},{:.1}", x(*r), y(*p)))
            .collect();
        s.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" class=\"curve\"><title>{sys}</title></polyline>",
            path.join(" "),
            c = colour(i),
            sys = esc(system)
        ));
        for (r, p) in &points {
            s.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{c}\"><title>{sys}: recall {r:.1}, precision {p:.4}</title></circle>",
                x(*r),
                y(*p),
                c = colour(i),
                sys = esc(system)
            ));
        }
        let ly = top + 10.0 + 18.0 * i as f64;
        s.push_str(&format!(
            "<line x1=\"{lx:.1}\" x2=\"{lx2:.1}\" y1=\"{ly:.1}\" y2=\"{ly:.1}\" stroke=\"{c}\" stroke-width=\"3\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\" class=\"a\">{sys}</text>",
            lx = w - right + 12.0,
            lx2 = w - right + 32.0,
            c = colour(i),
            tx = w - right + 38.0,
            ty = ly + 4.0,
            sys = esc(system)
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_per_topic_that_differs_sorted_by_difference() {
        let topics: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let s = differences("map", "x", "y", &topics, &[0.1, 0.0, -0.2, 0.3], 0.0);
        assert_eq!(s.matches("<rect").count(), 4);
        assert_eq!(s.matches("class=\"tie\"").count(), 1);
        let d = s.find("<title>d: +0.3000").unwrap();
        let a = s.find("<title>a: +0.1000").unwrap();
        let c = s.find("<title>c: -0.2000").unwrap();
        assert!(d < a && a < c);
        assert!(s.contains("2 better, 1 worse"));
    }

    #[test]
    fn a_line_and_eleven_points_per_system() {
        let s = precision_recall(
            "PR",
            &[("a".into(), vec![0.5; 11]), ("b<".into(), vec![0.25; 11])],
        );
        assert_eq!(s.matches("<polyline").count(), 2);
        assert_eq!(s.matches("<circle").count(), 22);
        assert!(s.contains("b&lt;") && !s.contains("b<"));
    }
}
