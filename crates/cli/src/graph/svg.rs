//! SVG, laid out by [`super::layout`]: steps as rounded boxes, decisions as diamonds, the end as a
//! circle; regional steps in blue, optional ones dashed; rework arrows dashed on the left,
//! deadlines dotted red on the right, outcome names on their arrows.

use super::layout::{HEIGHT, MARGIN, WIDTH, layout};
use super::{Drawing, EdgeKind};
use cpts_lang::syntax::NodeKind;
use std::fmt::Write;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!(
            "{}…",
            s.chars().take(max - 1).collect::<String>().trim_end()
        )
    }
}

/// Splits a label into at most three lines of about 28 characters.
fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= 28 => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2].push('…');
    }
    lines
}

pub(crate) fn render(d: &Drawing) -> String {
    let l = layout(d);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{:.0}" height="{:.0}" viewBox="0 0 {:.0} {:.0}" font-family="Helvetica, Arial, sans-serif">"#,
        l.width, l.height, l.width, l.height
    );
    s.push_str(concat!(
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker>"##,
        r##"<marker id="arrow-red" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#b03030"/></marker></defs>"##,
        "\n"
    ));
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let mut title = format!("{} — version {}", d.model.label, d.model.version);
    if let Some((_, label)) = &d.model.region {
        title.push_str(&format!(" — région {label}"));
    }
    let _ = writeln!(
        s,
        r##"<text x="{MARGIN}" y="36" font-size="20" font-weight="bold" fill="#222">{}</text>"##,
        escape(&title)
    );

    let mut labelled = std::collections::BTreeSet::new();
    for (i, e) in d.edges.iter().enumerate() {
        let (x1, y1) = l.centre[e.from];
        let (x2, y2) = l.centre[e.to];
        let (path, colour, dash, label_at) = match e.kind {
            EdgeKind::After | EdgeKind::Outcome => {
                // Through the virtual points of a long arrow, with vertical tangents.
                let mut points = vec![(x1, y1 + HEIGHT / 2.0)];
                points.extend(l.bends[i].iter().copied());
                points.push((x2, y2 - HEIGHT / 2.0));
                let mut path = format!("M{:.1},{:.1}", points[0].0, points[0].1);
                for w in points.windows(2) {
                    let ((px, py), (qx, qy)) = (w[0], w[1]);
                    let mid = (py + qy) / 2.0;
                    path.push_str(&format!(
                        " C{px:.1},{mid:.1} {qx:.1},{mid:.1} {qx:.1},{qy:.1}"
                    ));
                }
                // Outcome names sit near the decision, where arrows are still apart.
                let (ax, ay) = points[0];
                let (bx, by) = points[1];
                (
                    path,
                    "#444",
                    "",
                    (ax + (bx - ax) * 0.3, ay + (by - ay) * 0.3 + 4.0),
                )
            }
            EdgeKind::Route => {
                let (sx, tx) = (x1 - WIDTH / 2.0, x2 - WIDTH / 2.0);
                let bend = sx.min(tx) - 70.0 - (i % 3) as f64 * 12.0;
                (
                    format!(
                        "M{sx:.1},{y1:.1} C{bend:.1},{y1:.1} {bend:.1},{y2:.1} {tx:.1},{y2:.1}"
                    ),
                    "#444",
                    r#" stroke-dasharray="6 4""#,
                    (bend + 8.0, (y1 + y2) / 2.0),
                )
            }
            EdgeKind::Deadline => {
                let (sx, tx) = (x1 + WIDTH / 2.0, x2 + WIDTH / 2.0);
                let bend = sx.max(tx) + 60.0 + (i % 4) as f64 * 14.0;
                (
                    format!(
                        "M{sx:.1},{y1:.1} C{bend:.1},{y1:.1} {bend:.1},{y2:.1} {tx:.1},{y2:.1}"
                    ),
                    "#b03030",
                    r#" stroke-dasharray="2 3""#,
                    (bend - 8.0, (y1 + y2) / 2.0),
                )
            }
        };
        let marker = if e.kind == EdgeKind::Deadline {
            "arrow-red"
        } else {
            "arrow"
        };
        let _ = writeln!(
            s,
            r#"<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.4"{dash} marker-end="url(#{marker})"/>"#
        );
        // One label per outcome, even when several steps wait for it.
        if !e.label.is_empty() && labelled.insert((e.from, e.kind as u8, e.label.clone())) {
            let label = shorten(&e.label, 38);
            let width = label.chars().count() as f64 * 6.2 + 8.0;
            let (lx, ly) = label_at;
            let _ = writeln!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="{width:.1}" height="16" rx="3" fill="#ffffff" fill-opacity="0.9"/><text x="{lx:.1}" y="{:.1}" font-size="11" fill="{colour}" text-anchor="middle">{}</text>"##,
                lx - width / 2.0,
                ly - 11.0,
                ly + 1.0,
                escape(&label)
            );
        }
    }

    for i in d.all() {
        let (x, y) = l.centre[i];
        let regional = d.region_of(i).is_some();
        let (fill, stroke) = if regional {
            ("#e8f1ff", "#2f6fc0")
        } else {
            ("#fdfdfd", "#333333")
        };
        let optional = d.model.nodes.get(i).is_some_and(|n| n.optional);
        let dash = if optional {
            r#" stroke-dasharray="5 3""#
        } else {
            ""
        };
        match d.model.nodes.get(i).map(|n| n.kind) {
            Some(NodeKind::Step) => {
                let _ = writeln!(
                    s,
                    r#"<rect x="{:.1}" y="{:.1}" width="{WIDTH}" height="{HEIGHT}" rx="10" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>"#,
                    x - WIDTH / 2.0,
                    y - HEIGHT / 2.0
                );
            }
            Some(NodeKind::Decision) => {
                let (w, h) = (WIDTH / 2.0 + 8.0, HEIGHT / 2.0 + 8.0);
                let _ = writeln!(
                    s,
                    r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>"#,
                    x,
                    y - h,
                    x + w,
                    y,
                    x,
                    y + h,
                    x - w,
                    y
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="28" fill="#f4f4f4" stroke="#333" stroke-width="3"/>"##
                );
            }
        }
        let lines = wrap(d.label(i));
        let first = y - (lines.len() as f64 - 1.0) * 7.0 - 4.0;
        for (k, line) in lines.iter().enumerate() {
            let _ = writeln!(
                s,
                r##"<text x="{x:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="#111">{}</text>"##,
                first + k as f64 * 14.0,
                escape(line)
            );
        }
        if i < d.model.nodes.len() {
            let _ = writeln!(
                s,
                r##"<text x="{x:.1}" y="{:.1}" font-size="9" text-anchor="middle" fill="#777">{}</text>"##,
                y + HEIGHT / 2.0 - 5.0,
                escape(d.id(i))
            );
        }
    }

    let legend_y = l.height - 24.0;
    let _ = writeln!(
        s,
        r##"<text x="{MARGIN}" y="{legend_y:.1}" font-size="11" fill="#555">trait plein : prérequis ou issue · tirets : reprise · pointillés rouges : échéance · bleu : étape régionale · bordure en tirets : étape facultative</text>"##
    );
    s.push_str("</svg>\n");
    s
}
