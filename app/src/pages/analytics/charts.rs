//! The charts, drawn as SVG by the same code on the server and in the browser: each a named `img` with a
//! caption, the numbers as a table, and **Download CSV** of that table (a `data:` link, so it works without
//! JavaScript and costs no request).

use leptos::prelude::*;

use crate::analytics::{csv, PayloadFill, Peak, Slice, TimePoint, PAYLOAD_BANDS};
use crate::format::{axis_moment, thousands, wall_minutes};
use crate::time_zone::use_viewer_zone;

const WIDTH: f64 = 720.0;
const PLOT_LEFT: f64 = 72.0;
const PLOT_TOP: f64 = 12.0;
const PLOT_HEIGHT: f64 = 180.0;

/// The CSV as a link target: percent-encoded, so any text is safe inside the attribute.
fn csv_href(header: &[&str], rows: &[Vec<String>]) -> String {
    let text = csv(header, rows);
    let mut href = String::from("data:text/csv;charset=utf-8,");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b" -_.~".contains(&byte) {
            href.push(if byte == b' ' { '+' } else { byte as char });
        } else {
            href.push_str(&format!("%{byte:02X}"));
        }
    }
    href.replace('+', "%20")
}

/// A chart's frame: heading, the drawing (an `img` named `title`), caption, table and download.
#[component]
fn Chart(
    id: &'static str,
    title: &'static str,
    caption: String,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// The SVG's size in its own units: narrow charts scale their text up on a phone.
    width: f64,
    height: f64,
    children: Children,
) -> impl IntoView {
    let href = csv_href(&header, &rows);
    let caption_id = format!("{id}-caption");
    let heads = header.iter().map(|name| view! { <th scope="col">{*name}</th> }).collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .enumerate()
                .map(|(column, cell)| view! { <td class:number={column > 0}>{cell}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <figure class="chart" data-chart=id>
            <h2>{title}</h2>
            <svg
                role="img"
                aria-label=title
                aria-describedby=caption_id.clone()
                viewBox=format!("0 0 {width} {height}")
                preserveAspectRatio="xMinYMin meet"
            >
                {children()}
            </svg>
            <figcaption id=caption_id>{caption}</figcaption>
            <div class="chart-table-wrap">
                <table class="chart-table">
                    <caption class="visually-hidden">{title}</caption>
                    <thead><tr>{heads}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <a class="button small" href=href download=format!("{id}.csv")>"Download CSV"</a>
        </figure>
    }
}

/// A round top for an axis: 1, 2 or 5 times a power of ten, at least `max`.
fn axis_top(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for factor in [1, 2, 5] {
            if step * factor >= max {
                return (step * factor).max(1);
            }
        }
        step *= 10;
    }
}

#[component]
pub fn OverTime(points: Vec<TimePoint>, hourly: bool, peak: Option<Peak>) -> impl IntoView {
    let zone = use_viewer_zone().get_untracked();
    let top = axis_top(points.iter().filter_map(|point| point.active).max().unwrap_or(0));
    let step = (WIDTH - PLOT_LEFT - 8.0) / (points.len().max(2) - 1) as f64;
    let x = move |index: usize| PLOT_LEFT + step * index as f64;
    let y = move |active: i64| PLOT_TOP + PLOT_HEIGHT * (1.0 - active as f64 / top as f64);
    // One path, lifted over hours without a record: a gap, not a fall to zero.
    let mut line = String::new();
    let mut drawing = false;
    for (index, point) in points.iter().enumerate() {
        match point.active {
            Some(active) => {
                line.push_str(&format!(
                    "{}{:.1},{:.1} ",
                    if drawing { "L" } else { "M" },
                    x(index),
                    y(active)
                ));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    let grid = [0, top / 2, top]
        .into_iter()
        .map(|value| {
            view! {
                <line class="grid" x1=PLOT_LEFT x2=WIDTH - 8.0 y1=y(value) y2=y(value)/>
                <text class="axis" x=PLOT_LEFT - 6.0 y=y(value) + 4.0 text-anchor="end">{thousands(value)}</text>
            }
        })
        .collect_view();
    let label_at = |index: usize| {
        let at = points[index].at_ms;
        axis_moment(at, zone.offset_minutes(at), hourly && points.len() <= 24)
    };
    let ticks = if points.is_empty() {
        Vec::new()
    } else {
        vec![(0, "start"), (points.len() / 2, "middle"), (points.len() - 1, "end")]
    };
    let x_labels = ticks
        .into_iter()
        .map(|(index, anchor)| {
            view! { <text class="axis" x=x(index) y=PLOT_TOP + PLOT_HEIGHT + 18.0 text-anchor=anchor>{label_at(index)}</text> }
        })
        .collect_view();
    let what = if hourly { "hour" } else { "day" };
    let caption = match &peak {
        Some(peak) => format!(
            "The most active sessions seen in each {what}. Peak: {} at {}.",
            thousands(peak.active),
            wall_minutes(peak.at_ms, zone.offset_minutes(peak.at_ms))
        ),
        None => format!("The most active sessions seen in each {what}; none recorded in this range yet."),
    };
    let rows = points
        .iter()
        .map(|point| {
            vec![
                wall_minutes(point.at_ms, zone.offset_minutes(point.at_ms)),
                point.active.map_or_else(|| "-".into(), thousands),
            ]
        })
        .collect();
    let header = vec![if hourly { "Hour" } else { "Day" }, "Active sessions"];
    view! {
        <Chart id="active-sessions-over-time" title="Active sessions over time" caption header rows width=WIDTH height=PLOT_TOP + PLOT_HEIGHT + 28.0>
            {grid}
            <path class="line" d=line/>
            {x_labels}
        </Chart>
    }
}

/// Bar charts are narrower than the time chart, so their labels stay readable when a phone scales them down.
const BAR_WIDTH: f64 = 480.0;
const BAR_ROW: f64 = 40.0;

/// Horizontal bars, one per slice, longest first as given; each label above its bar, the count at its end.
#[component]
pub fn Bars(
    id: &'static str,
    title: &'static str,
    /// The table's first column.
    what: &'static str,
    caption: String,
    slices: Vec<Slice>,
) -> impl IntoView {
    let max = slices.iter().map(|slice| slice.sessions).max().unwrap_or(0).max(1);
    let bars = slices
        .iter()
        .enumerate()
        .map(|(index, slice)| {
            let y = BAR_ROW * index as f64;
            let width = BAR_WIDTH * slice.sessions as f64 / max as f64;
            view! {
                <text class="label" x="0" y=y + 15.0>{slice.label.clone()}</text>
                <text class="value" x=BAR_WIDTH y=y + 15.0 text-anchor="end">{thousands(slice.sessions)}</text>
                <rect class="bar" x="0" y=y + 21.0 width=format!("{width:.1}") height="12" rx="3"/>
            }
        })
        .collect_view();
    let rows = slices.iter().map(|slice| vec![slice.label.clone(), slice.sessions.to_string()]).collect();
    let height = BAR_ROW * slices.len().max(1) as f64;
    view! {
        <Chart id title caption header=vec![what, "Active sessions"] rows width=BAR_WIDTH height>
            {bars}
        </Chart>
    }
}

#[component]
pub fn PayloadBands(fill: Vec<PayloadFill>) -> impl IntoView {
    // The legend: two rows of three.
    const LEGEND: f64 = 48.0;
    let bars = fill
        .iter()
        .enumerate()
        .map(|(index, app)| {
            let y = LEGEND + BAR_ROW * index as f64;
            let total: i64 = app.bands.iter().sum();
            let mut x = 0.0;
            let parts = app
                .bands
                .iter()
                .enumerate()
                .filter(|(_, count)| **count > 0)
                .map(|(band, count)| {
                    let width = BAR_WIDTH * *count as f64 / total.max(1) as f64;
                    let part = view! { <rect class=format!("band band-{band}") x=format!("{x:.1}") y=y + 21.0 width=format!("{width:.1}") height="12"/> };
                    x += width;
                    part
                })
                .collect_view();
            view! {
                <text class="label" x="0" y=y + 15.0>{app.app.clone()}</text>
                <text class="value" x=BAR_WIDTH y=y + 15.0 text-anchor="end">{thousands(total)}</text>
                {parts}
            }
        })
        .collect_view();
    let legend = PAYLOAD_BANDS
        .iter()
        .enumerate()
        .map(|(band, (_, name))| {
            let (x, y) = (160.0 * (band % 3) as f64, 20.0 * (band / 3) as f64);
            view! {
                <rect class=format!("band band-{band}") x=x y=y + 2.0 width="12" height="12"/>
                <text class="axis" x=x + 18.0 y=y + 13.0>{*name}</text>
            }
        })
        .collect_view();
    let near_limit: i64 = fill.iter().map(|app| app.bands[4] + app.bands[5]).sum();
    let caption = format!(
        "Active sessions of each app by payload size as a share of the app's limit; {} at 90 % or more.",
        thousands(near_limit)
    );
    let mut header = vec!["App", "Limit (bytes)"];
    header.extend(PAYLOAD_BANDS.iter().map(|(_, name)| *name));
    let rows = fill
        .iter()
        .map(|app| {
            let mut row = vec![app.app.clone(), app.limit_bytes.to_string()];
            row.extend(app.bands.iter().map(|count| count.to_string()));
            row
        })
        .collect();
    let height = LEGEND + BAR_ROW * fill.len().max(1) as f64;
    view! {
        <Chart id="payload-size-against-limit" title="Payload size against limit" caption header rows width=BAR_WIDTH height>
            {legend}
            {bars}
        </Chart>
    }
}
