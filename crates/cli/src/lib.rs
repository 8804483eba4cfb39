//! The `cpts` command line. Only this crate knows clap, colours and exit codes; its JSON output is
//! the library's result types serialised (`cpts::report`); everything it does goes through the
//! library crates.
//!
//! Exit codes: `0` nothing at error level, `1` findings at error level, `2` usage or IO error.
#![deny(missing_docs)]

mod advance;
mod args;
mod check;
pub use check::check_sources;
mod explain;
mod fmt;
mod graph;
mod manual;
mod open;
mod plugin;
mod render;
mod scenarios;
mod schema;
pub use schema::{output_names, output_schema};
mod simulate;
mod status;
pub use status::report as status_report;

pub(crate) use args::Format;
use args::{AdvanceArgs, Cli, Command, MutantDepth, PluginCommand, StatusArgs};
use clap::Parser;
use std::ffi::OsString;
use std::io::Write;

/// Exit status: nothing at error level.
pub const EXIT_OK: u8 = 0;
/// Exit status: findings at error level.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage or IO error.
pub const EXIT_USAGE: u8 = 2;

/// Renders diagnostics as `cpts check --info` does, without colour, with the summary line.
pub fn render_human(
    sources: &cpts_diag::Sources,
    diagnostics: &[cpts_diag::Diagnostic],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    render::human(sources, diagnostics, diagnostics, false, out)
}

/// The command line as clap defines it (for generators and tests; `run` parses with it).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Runs `cpts` with `args` (the first is the program name), writing to `out`. `terminal_color` says
/// whether `--color auto` should colour. Returns the exit status.
pub fn run<I, T>(args: I, out: &mut dyn Write, terminal_color: bool) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = write!(out, "{}", e.render());
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    let plugins = cli.plugins.config();
    match cli.command {
        Command::Check {
            paths,
            format,
            color,
            info,
            region,
        } => {
            let color = color.resolve(terminal_color);
            check::run(&paths, region, format, color, info, &plugins, out)
        }
        Command::Graph {
            paths,
            format,
            workflow,
            version,
            region,
        } => graph::run(
            graph::Request {
                paths,
                workflow,
                version,
                region,
                format,
            },
            &plugins,
            out,
        ),
        Command::Status(args) => status_command(args, false, terminal_color, &plugins, out),
        Command::Next(args) => status_command(args, true, terminal_color, &plugins, out),
        Command::Advance(args) => advance_command(args, terminal_color, &plugins, out),
        Command::Simulate(a) => simulate::run(
            simulate::Request {
                project: a.project,
                rules: a.rules,
                today: a.today,
                until: a.until,
                runs: a.runs,
                seed: a.seed,
                assume: a.assume,
                rework_probability: a.rework_probability,
                format: a.format,
            },
            &plugins,
            out,
        ),
        Command::Schema {
            output: Some(output),
            ..
        } => schema::output(output, out),
        Command::Schema {
            workflow,
            version,
            region,
            rules,
            ..
        } => schema::run(
            &rules,
            workflow.as_deref().unwrap_or_default(),
            version.as_deref(),
            region.as_deref(),
            &plugins,
            out,
        ),
        Command::Plugin(PluginCommand::New {
            name,
            dir,
            sdk,
            format,
        }) => plugin::new(&name, dir.as_deref(), sdk.as_deref(), format, out),
        Command::Plugin(PluginCommand::Build {
            dir,
            out: dest,
            format,
        }) => plugin::build(&dir, dest.as_deref(), format, out),
        Command::Plugin(PluginCommand::Inspect { file, format }) => {
            plugin::inspect(&file, format, out)
        }
        Command::Explain { code, format } => explain::run(code.as_deref(), format, out),
        Command::Test(a) => scenarios::run(
            scenarios::Request {
                paths: a.paths,
                rules: a.rules,
                filter: a.filter,
                coverage: a.coverage,
                threshold: a.threshold,
                mutants: a.mutants.map(|m| match m {
                    MutantDepth::Rules => cpts_scenario::mutate::Depth::Rules,
                    MutantDepth::Conditions => cpts_scenario::mutate::Depth::Conditions,
                }),
                format: a.format,
                color: a.color.resolve(terminal_color),
            },
            &plugins,
            out,
        ),
        Command::Fmt(args) => fmt::run(args, out),
        Command::Completions { shell } => manual::completions(shell, out),
        Command::Man { out: dir } => manual::man(dir.as_deref(), out),
    }
}

fn status_command(
    args: StatusArgs,
    short: bool,
    terminal_color: bool,
    plugins: &cpts::PluginConfig,
    out: &mut dyn Write,
) -> u8 {
    status::run(
        status::Request {
            project: args.project,
            rules: args.rules,
            today: args.today,
            format: args.format,
            color: args.color.resolve(terminal_color),
            short,
        },
        plugins,
        out,
    )
}

fn advance_command(
    args: AdvanceArgs,
    terminal_color: bool,
    plugins: &cpts::PluginConfig,
    out: &mut dyn Write,
) -> u8 {
    let entry = cpts::Entry {
        step: args.step,
        outcome: args.outcome,
        date: args.date,
        actor: args.actor,
        evidence: args.evidence,
        note: args.note,
    };
    advance::run(
        advance::Request {
            path: &args.project,
            rules: &args.rules,
            entry: &entry,
            today: args.today,
            format: args.format,
            color: args.color.resolve(terminal_color),
        },
        plugins,
        out,
    )
}
