//! The response-time chart of a monitor's last day, drawn as SVG on the server: a polyline
//! of response times over time, failed checks marked, the axes labelled with the lowest and
//! highest times and the window's start and end. The template writes the elements, so every
//! text goes through askama's escaping; this module only computes coordinates and words.

use alcance_app::monitoring::CheckRow;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::millis;
use crate::pages::PageCtx;
use crate::view;

/// The drawing's size in SVG units; CSS scales it to the page's width.
pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 220.0;
/// The plot area inside the drawing (room for the labels around it).
pub const LEFT: f64 = 78.0;
pub const RIGHT: f64 = WIDTH - 12.0;
pub const TOP: f64 = 14.0;
pub const BOTTOM: f64 = HEIGHT - 34.0;

/// A failed check on the chart.
pub struct Marker {
    pub x: String,
    pub y: String,
    /// When it failed and why ("27/11/2026 2:05 p. m. · timeout"), as the marker's tooltip.
    pub label: String,
}

/// Everything the template draws.
pub struct Chart {
    /// The polyline's points ("x,y x,y …"); empty when no check measured a time.
    pub line: String,
    pub failures: Vec<Marker>,
    pub max_label: String,
    pub min_label: String,
    pub start_label: String,
    pub end_label: String,
    pub title: String,
    /// The chart in words for screen readers: how many checks, the range, the failures.
    pub desc: String,
}

impl Chart {
    pub fn width(&self) -> String {
        coordinate(WIDTH)
    }

    pub fn height(&self) -> String {
        coordinate(HEIGHT)
    }

    pub fn left(&self) -> String {
        coordinate(LEFT)
    }

    pub fn right(&self) -> String {
        coordinate(RIGHT)
    }

    pub fn top(&self) -> String {
        coordinate(TOP)
    }

    pub fn bottom(&self) -> String {
        coordinate(BOTTOM)
    }

    /// Where the y labels end (right-aligned), the x labels' baseline, the labels' baselines.
    pub fn label_x(&self) -> String {
        coordinate(LEFT - 8.0)
    }

    pub fn time_y(&self) -> String {
        coordinate(HEIGHT - 10.0)
    }

    pub fn max_y(&self) -> String {
        coordinate(TOP + 4.0)
    }

    pub fn min_y(&self) -> String {
        coordinate(BOTTOM + 4.0)
    }
}

fn coordinate(value: f64) -> String {
    format!("{value:.1}")
}

/// The plotted positions: the line's points, the failures' points, and the time range.
#[derive(Debug, PartialEq)]
struct Geometry {
    line: Vec<(f64, f64)>,
    failures: Vec<(f64, f64)>,
    lowest: i64,
    highest: i64,
}

fn geometry(checks: &[CheckRow], start: DateTime<Utc>, end: DateTime<Utc>) -> Geometry {
    // The line and its scale are the answered checks': a timeout's ten seconds would flatten
    // every normal answer against the axis.
    let times: Vec<i64> = checks.iter().filter(|c| c.ok).filter_map(|c| c.response_ms).collect();
    let lowest = times.iter().copied().min().unwrap_or(0);
    let highest = times.iter().copied().max().unwrap_or(0);
    // A flat series sits on the bottom line rather than dividing by zero.
    let span = (highest - lowest).max(1) as f64;
    let window = (end - start).num_milliseconds().max(1) as f64;
    let x = |at: DateTime<Utc>| {
        let share = ((at - start).num_milliseconds() as f64 / window).clamp(0.0, 1.0);
        LEFT + share * (RIGHT - LEFT)
    };
    let y = |ms: i64| (BOTTOM - ((ms - lowest) as f64 / span) * (BOTTOM - TOP)).clamp(TOP, BOTTOM);
    let line =
        checks.iter().filter(|c| c.ok).filter_map(|c| c.response_ms.map(|ms| (x(c.checked_at), y(ms)))).collect();
    // A failure sits at its time on the scale (held inside the plot), or on the time axis
    // when nothing answered.
    let failures = checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| (x(c.checked_at), c.response_ms.filter(|_| !times.is_empty()).map_or(BOTTOM, y)))
        .collect();
    Geometry { line, failures, lowest, highest }
}

/// The chart of `checks` (oldest first) over `start..end`, times written in `tz`; `None`
/// when there is nothing to draw.
pub fn chart(ctx: &PageCtx, tz: Tz, checks: &[CheckRow], start: DateTime<Utc>, end: DateTime<Utc>) -> Option<Chart> {
    if checks.is_empty() {
        return None;
    }
    let g = geometry(checks, start, end);
    let line = g.line.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let failures = checks
        .iter()
        .filter(|c| !c.ok)
        .zip(&g.failures)
        .map(|(c, (x, y))| Marker {
            x: coordinate(*x),
            y: coordinate(*y),
            label: format!("{} · {}", view::datetime(ctx.lang, tz, c.checked_at), c.code),
        })
        .collect::<Vec<_>>();
    let measured = !g.line.is_empty();
    let desc = if measured {
        ctx.lang.text(
            "monitors-chart-desc",
            &[
                ("checks", checks.len().to_string()),
                ("min", millis(g.lowest)),
                ("max", millis(g.highest)),
                ("failures", failures.len().to_string()),
            ],
        )
    } else {
        ctx.lang.text(
            "monitors-chart-desc-untimed",
            &[("checks", checks.len().to_string()), ("failures", failures.len().to_string())],
        )
    };
    Some(Chart {
        line,
        max_label: if measured { ctx.t1("monitors-chart-max", "ms", millis(g.highest)) } else { String::new() },
        min_label: if measured { ctx.t1("monitors-chart-min", "ms", millis(g.lowest)) } else { String::new() },
        start_label: view::datetime(ctx.lang, tz, start),
        end_label: view::datetime(ctx.lang, tz, end),
        title: ctx.t("monitors-chart-title"),
        desc,
        failures,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn check(minutes: i64, ok: bool, ms: Option<i64>) -> CheckRow {
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 0, 0, 0).unwrap();
        CheckRow { checked_at: start + chrono::Duration::minutes(minutes), ok, response_ms: ms, code: "x".into() }
    }

    #[test]
    fn times_span_the_plot_and_failures_are_marked() {
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 0, 0, 0).unwrap();
        let end = start + chrono::Duration::hours(24);
        let checks = [
            check(0, true, Some(100)),
            check(720, false, None),
            check(1080, false, Some(10_000)),
            check(1440, true, Some(300)),
            check(1500, true, Some(200)),
        ];
        let g = geometry(&checks, start, end);
        assert_eq!((g.lowest, g.highest), (100, 300), "failures do not stretch the scale");
        assert_eq!(g.line.len(), 3, "the line joins the answered checks");
        assert_eq!(g.line[0], (LEFT, BOTTOM), "the fastest check at the start sits on the bottom-left corner");
        assert_eq!(g.line[1], (RIGHT, TOP), "the slowest at the end sits on the top-right corner");
        assert_eq!(g.line[2].0, RIGHT, "a check past the window is kept inside it");
        assert_eq!(g.failures[0], ((LEFT + RIGHT) / 2.0, BOTTOM), "a failure without a time on the time axis");
        assert_eq!(g.failures[1].1, TOP, "a slow failure held at the top of the plot");
    }

    #[test]
    fn a_flat_series_stays_inside_the_plot() {
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 0, 0, 0).unwrap();
        let g = geometry(&[check(60, true, Some(50)), check(120, true, Some(50))], start, start);
        assert!(g.line.iter().all(|(x, y)| x.is_finite() && *y == BOTTOM));
    }
}
