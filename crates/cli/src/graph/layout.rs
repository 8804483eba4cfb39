//! A layered (Sugiyama-style) layout for the SVG: each node one layer below its latest
//! prerequisite; an arrow spanning several layers gets a virtual point on each layer it crosses,
//! so that it takes part in the ordering and runs between boxes instead of through them; nodes
//! are ordered within layers by the barycentre of their neighbours (a few sweeps); layers are
//! centred.

use super::{Drawing, EdgeKind};

/// Box size and spacing, in SVG units.
pub(crate) const WIDTH: f64 = 210.0;
pub(crate) const HEIGHT: f64 = 62.0;
const VIRTUAL_WIDTH: f64 = 22.0;
const GAP_X: f64 = 30.0;
const GAP_Y: f64 = 84.0;
pub(crate) const MARGIN: f64 = 40.0;
pub(crate) const TOP: f64 = 70.0;
/// Room on the left for rework arrows and on the right for deadlines.
pub(crate) const SIDE: f64 = 120.0;

/// Centre of each node, the points each prerequisite arrow passes through, and the size.
pub(crate) struct Layout {
    pub centre: Vec<(f64, f64)>,
    /// Per drawn edge (same index as `Drawing::edges`): intermediate points, top to bottom.
    pub bends: Vec<Vec<(f64, f64)>>,
    pub width: f64,
    pub height: f64,
}

pub(crate) fn layout(d: &Drawing) -> Layout {
    let n = d.all().len();
    let forward: Vec<(usize, usize, usize)> = d
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.kind, EdgeKind::After | EdgeKind::Outcome))
        .map(|(i, e)| (i, e.from, e.to))
        .collect();
    let layer = layers(n, &forward);
    let layers_count = layer.iter().max().copied().unwrap_or(0) + 1;

    // Graph of real and virtual nodes: virtual ones split long arrows, one per crossed layer.
    let mut level = layer.clone();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut chains: Vec<(usize, Vec<usize>)> = Vec::new();
    for &(edge, a, b) in &forward {
        let mut previous = a;
        let mut chain = Vec::new();
        if layer[b] > layer[a] {
            for l in layer[a] + 1..layer[b] {
                let v = level.len();
                level.push(l);
                up.push(vec![previous]);
                down.push(Vec::new());
                down[previous].push(v);
                chain.push(v);
                previous = v;
            }
        }
        down[previous].push(b);
        up[b].push(previous);
        chains.push((edge, chain));
    }
    let total = level.len();
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers_count];
    for v in 0..total {
        rows[level[v]].push(v);
    }
    let mut position = vec![0.0f64; total];
    let index_rows = |rows: &Vec<Vec<usize>>, position: &mut Vec<f64>| {
        for row in rows {
            for (i, &v) in row.iter().enumerate() {
                position[v] = i as f64;
            }
        }
    };
    index_rows(&rows, &mut position);
    for sweep in 0..8 {
        let going_down = sweep % 2 == 0;
        let order: Vec<usize> = if going_down {
            (1..layers_count).collect()
        } else {
            (0..layers_count.saturating_sub(1)).rev().collect()
        };
        for l in order {
            let mut keyed: Vec<(f64, usize)> = rows[l]
                .iter()
                .map(|&v| {
                    let ns = if going_down { &up[v] } else { &down[v] };
                    let key = if ns.is_empty() {
                        position[v]
                    } else {
                        ns.iter().map(|&u| position[u]).sum::<f64>() / ns.len() as f64
                    };
                    (key, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[l] = keyed.into_iter().map(|(_, v)| v).collect();
            index_rows(&rows, &mut position);
        }
    }
    let width_of = |v: usize| if v < n { WIDTH } else { VIRTUAL_WIDTH };
    let row_span = |row: &[usize]| {
        row.iter().map(|&v| width_of(v)).sum::<f64>() + GAP_X * (row.len().max(1) - 1) as f64
    };
    let span = rows.iter().map(|r| row_span(r)).fold(WIDTH, f64::max);
    let mut centre = vec![(0.0, 0.0); total];
    for (l, row) in rows.iter().enumerate() {
        let mut x = MARGIN + SIDE + (span - row_span(row)) / 2.0;
        let y = TOP + l as f64 * (HEIGHT + GAP_Y) + HEIGHT / 2.0;
        for &v in row {
            centre[v] = (x + width_of(v) / 2.0, y);
            x += width_of(v) + GAP_X;
        }
    }
    let mut bends = vec![Vec::new(); d.edges.len()];
    for (edge, chain) in chains {
        bends[edge] = chain.iter().map(|&v| centre[v]).collect();
    }
    centre.truncate(n);
    Layout {
        centre,
        bends,
        width: span + 2.0 * (MARGIN + SIDE),
        height: TOP + layers_count as f64 * (HEIGHT + GAP_Y) + 60.0,
    }
}

/// Longest-path layering (Kahn). Nodes on cycles go below everything placed; the end goes last.
fn layers(n: usize, forward: &[(usize, usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(_, a, b) in forward {
        indegree[b] += 1;
        out[a].push(b);
    }
    let mut layer = vec![usize::MAX; n];
    let mut queue: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    for &q in &queue {
        layer[q] = 0;
    }
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &w in &out[v] {
            layer[w] = if layer[w] == usize::MAX {
                layer[v] + 1
            } else {
                layer[w].max(layer[v] + 1)
            };
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push(w);
            }
        }
    }
    let placed = layer
        .iter()
        .filter(|&&l| l != usize::MAX)
        .max()
        .copied()
        .unwrap_or(0);
    for l in layer.iter_mut().filter(|l| **l == usize::MAX) {
        *l = placed + 1;
    }
    let end = n - 1;
    let deepest = layer[..end].iter().max().copied().unwrap_or(0);
    layer[end] = layer[end].max(deepest + 1);
    layer
}
