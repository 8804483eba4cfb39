//! JSON: [`cpts::report::GraphReport`], schema `cpts-graph/1`.

use super::Drawing;

pub(crate) fn render(d: &Drawing) -> String {
    let mut text =
        serde_json::to_string_pretty(&cpts::report::GraphReport::new(d.model)).unwrap_or_default();
    text.push('\n');
    text
}
