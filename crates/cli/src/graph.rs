//! `cpts graph`: the workflow drawn with its French labels, outcomes and deadlines on edges,
//! region steps set apart. Formats: DOT, Mermaid, SVG (laid out here, no external program) and
//! JSON (schema `cpts-graph/1`, [`cpts::report::GraphReport`]).

mod dot;
mod json;
mod layout;
mod mermaid;
mod svg;

use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Format, render};
use cpts_diag::{Diagnostic, codes};
use cpts_lang::model::{self, Model, Origin, Target};
use std::io::Write;
use std::path::PathBuf;

/// Graph output formats.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum GraphFormat {
    /// Graphviz DOT
    Dot,
    /// Mermaid flowchart
    Mermaid,
    /// SVG image, laid out by cpts
    Svg,
    /// JSON (schema "cpts-graph/1")
    Json,
}

/// What `cpts graph` draws.
pub(crate) struct Request {
    pub paths: Vec<PathBuf>,
    pub workflow: Option<String>,
    pub version: Option<String>,
    pub region: Option<String>,
    pub format: GraphFormat,
}

pub(crate) fn run(request: Request, plugins: &cpts::PluginConfig, out: &mut dyn Write) -> u8 {
    let rules = cpts::Rules::load_unchecked_with(&request.paths, plugins);
    let (sources, checked) = (rules.sources(), rules.checked());
    let mut errors: Vec<Diagnostic> = rules.load_problems().to_vec();
    errors.extend(
        checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == cpts_diag::Severity::Error)
            .cloned(),
    );
    // Problems are JSON (`cpts-check/2`) when the drawing would have been.
    let format = match request.format {
        GraphFormat::Json => Format::Json,
        _ => Format::Human,
    };
    if !errors.is_empty() {
        let intro = Some("the rules have errors; `cpts check` shows them all:");
        let _ = render::problems(sources, &errors, intro, format, false, out);
        return if errors
            .iter()
            .any(|d| d.code == &codes::UNREADABLE_FILE || d.code == &codes::NO_RULES)
        {
            EXIT_USAGE
        } else {
            EXIT_FINDINGS
        };
    }
    let target = match choose(checked, &request) {
        Ok(t) => t,
        Err(d) => {
            let _ = render::problems(sources, &[d], None, format, false, out);
            return EXIT_USAGE;
        }
    };
    let model = match model::build(checked, &target) {
        Ok((m, _)) => m,
        Err(d) => {
            let _ = render::problems(sources, &[*d], None, format, false, out);
            return EXIT_USAGE;
        }
    };
    let drawing = Drawing::new(&model);
    let text = match request.format {
        GraphFormat::Dot => dot::render(&drawing),
        GraphFormat::Mermaid => mermaid::render(&drawing),
        GraphFormat::Svg => svg::render(&drawing),
        GraphFormat::Json => json::render(&drawing),
    };
    match out.write_all(text.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// The workflow, version and region to draw: given, or the only one, or the newest version.
fn choose(checked: &cpts_lang::Checked, request: &Request) -> Result<Target, Diagnostic> {
    let targets = model::targets(checked);
    let mut workflows: Vec<&str> = targets.iter().map(|t| t.workflow.as_str()).collect();
    workflows.dedup();
    let region_workflow = request.region.as_ref().and_then(|r| {
        targets
            .iter()
            .find(|t| t.region.as_ref() == Some(r))
            .map(|t| t.workflow.clone())
    });
    if let Some(r) = &request.region
        && region_workflow.is_none()
    {
        return Err(
            Diagnostic::new(&codes::UNKNOWN_REGION, format!("unknown region `{r}`"))
                .help("`--region` takes the name after `region` in an overlay, e.g. `bfc`"),
        );
    }
    let workflow = match (&request.workflow, region_workflow, workflows.as_slice()) {
        (Some(w), _, _) => w.clone(),
        (None, Some(w), _) => w,
        (None, None, [only]) => (*only).to_owned(),
        (None, None, many) => {
            return Err(Diagnostic::new(
                &codes::UNKNOWN_WORKFLOW,
                "several workflows: choose one with `--workflow`",
            )
            .note(format!("workflows: {}", many.join(", "))));
        }
    };
    let version = match &request.version {
        Some(v) => v.clone(),
        None => match targets.iter().rfind(|t| t.workflow == workflow) {
            Some(t) => t.version.clone(),
            None => {
                return Err(Diagnostic::new(
                    &codes::UNKNOWN_WORKFLOW,
                    format!("unknown workflow `{workflow}`"),
                )
                .note(format!("workflows: {}", workflows.join(", "))));
            }
        },
    };
    Ok(Target {
        workflow,
        version,
        region: request.region.clone(),
    })
}

/// What every format draws, in one place: boxes and labelled arrows.
pub(crate) struct Drawing<'m> {
    pub model: &'m Model,
    pub edges: Vec<Edge>,
    /// The end box, drawn after the model's nodes (index `model.nodes.len()`).
    pub end_label: String,
}

/// A drawn arrow between node indices (`model.nodes.len()` is the end).
pub(crate) use cpts::report::DrawnEdge as Edge;
pub(crate) use cpts::report::EdgeKind;

impl<'m> Drawing<'m> {
    pub(crate) fn new(model: &'m Model) -> Drawing<'m> {
        Drawing {
            model,
            edges: cpts::report::drawn_edges(model),
            end_label: cpts::report::GraphReport::END_LABEL.to_owned(),
        }
    }

    /// Label of node `i` (the end included).
    pub(crate) fn label(&self, i: usize) -> &str {
        self.model
            .nodes
            .get(i)
            .map_or(self.end_label.as_str(), |n| n.label.as_str())
    }

    /// Identifier of node `i` (the end is `end`).
    pub(crate) fn id(&self, i: usize) -> &str {
        self.model.nodes.get(i).map_or("end", |n| n.name.as_str())
    }

    /// The region a node comes from, if any.
    pub(crate) fn region_of(&self, i: usize) -> Option<&str> {
        match self.model.nodes.get(i).map(|n| &n.origin) {
            Some(Origin::Region(r)) => Some(r.as_str()),
            _ => None,
        }
    }

    /// Every node index, the end last.
    pub(crate) fn all(&self) -> std::ops::Range<usize> {
        0..self.model.nodes.len() + 1
    }
}
