//! The `cpts` command line. Only this crate knows clap, colours, exit codes and the JSON output
//! schema; everything it does goes through the library crates.
//!
//! Exit codes: `0` nothing at error level, `1` findings at error level, `2` usage or IO error.
#![deny(missing_docs)]

mod check;
pub use check::check_sources;
mod explain;
mod fmt;
mod graph;
mod open;
mod plugin;
mod render;
mod scenarios;
mod schema;
mod simulate;
mod status;

use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// Exit status: nothing at error level.
pub const EXIT_OK: u8 = 0;
/// Exit status: findings at error level.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage or IO error.
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "cpts",
    version,
    about = "Workflow engine and rules language for the creation of CPTS"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    plugins: PluginArgs,
}

/// Where plugins are found and what they may use; for every command that loads rules.
#[derive(clap::Args)]
struct PluginArgs {
    /// A folder holding plugins as `PACKAGE.wasm`, searched before `CPTS_PLUGIN_PATH` and the
    /// plugins bundled with cpts (repeatable)
    #[arg(long = "plugins", global = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Do not use the plugins bundled with cpts
    #[arg(long, global = true)]
    no_bundled_plugins: bool,
    /// Fuel per plugin call
    #[arg(long, global = true, value_name = "UNITS")]
    plugin_fuel: Option<u64>,
    /// Compile plugins in every run instead of keeping them in the cache
    /// (`$XDG_CACHE_HOME/cpts`, else `~/.cache/cpts`)
    #[arg(long, global = true)]
    no_plugin_cache: bool,
}

impl PluginArgs {
    fn config(&self) -> cpts::PluginConfig {
        let mut config = cpts::PluginConfig {
            dirs: self.dirs.clone(),
            bundled: !self.no_bundled_plugins,
            ..Default::default()
        };
        if let Some(path) = std::env::var_os("CPTS_PLUGIN_PATH") {
            config
                .dirs
                .extend(std::env::split_paths(&path).filter(|p| !p.as_os_str().is_empty()));
        }
        if let Some(fuel) = self.plugin_fuel {
            config.host.limits.fuel = fuel;
        }
        if !self.no_plugin_cache {
            config.host.cache = cache_dir();
        }
        config
    }
}

/// `$XDG_CACHE_HOME/cpts`, else `$HOME/.cache/cpts`.
fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("cpts"))
}

#[derive(Subcommand)]
enum Command {
    /// Parse, resolve and type-check rules files; report every problem found
    Check {
        /// Files or folders (searched for `*.cpts`)
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Colour in human output
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
        /// Also show info-level findings (e.g. uncertain parameter values)
        #[arg(long)]
        info: bool,
        /// Verify only this region's overlay (and the national workflow it extends)
        #[arg(long)]
        region: Option<String>,
    },
    /// Draw a workflow: French labels, outcomes and deadlines on arrows, region steps set apart
    Graph {
        /// Files or folders (searched for `*.cpts`)
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = graph::GraphFormat::Svg)]
        format: graph::GraphFormat,
        /// The workflow (default: the only one, or the one the region extends)
        #[arg(long)]
        workflow: Option<String>,
        /// The version (default: the newest)
        #[arg(long)]
        version: Option<String>,
        /// Apply this region's overlay
        #[arg(long)]
        region: Option<String>,
    },
    /// Where a project stands: steps done, next, blocked (and why), deadlines, computed values
    Status(StatusArgs),
    /// The short form of `status`: what can happen next and what blocks it
    Next(StatusArgs),
    /// Record that a step was done (or a decision taken): checked first, appended atomically
    Advance(AdvanceArgs),
    /// Project the timeline: dates per step (P10/P50/P90), critical path, chance of missing deadlines
    Simulate(SimulateArgs),
    /// Print the JSON Schema of project files for a workflow (for editors and other tools)
    Schema {
        /// The workflow
        #[arg(long)]
        workflow: String,
        /// The version (default: the newest)
        #[arg(long)]
        version: Option<String>,
        /// The region overlay
        #[arg(long)]
        region: Option<String>,
        /// Where the rules are (files or folders)
        #[arg(long, default_value = "rules")]
        rules: Vec<PathBuf>,
    },
    /// Run the scenario files (`*.test.toml`) kept next to the rules; with coverage and mutants
    Test(TestArgs),
    /// Make, build and inspect regional WebAssembly plugins
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Rewrite rules files in the canonical layout (`--check`: only list those it would change)
    Fmt(fmt::Args),
    /// Print the documentation of a diagnostic code (`E0103` or `unknown-step`)
    Explain {
        /// The code or its name; omit to list every code
        code: Option<String>,
    },
}

/// `cpts plugin …`.
#[derive(Subcommand)]
enum PluginCommand {
    /// Scaffold a plugin crate that builds and loads with no edit
    New {
        /// The plugin's name: the package name the rules declare (`bretagne`)
        name: String,
        /// Where to create it (default: a folder named NAME)
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The cpts plugin SDK to depend on (default: the one this cpts was built with)
        #[arg(long)]
        sdk: Option<PathBuf>,
    },
    /// Build a plugin crate into a component, written as PACKAGE.wasm
    Build {
        /// The plugin crate's folder
        dir: PathBuf,
        /// The folder to write PACKAGE.wasm to (default: the crate's folder)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a plugin's interface, version, functions and size
    Inspect {
        /// The component (`.wasm`)
        file: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

/// Arguments of `status` and `next`.
#[derive(clap::Args)]
struct StatusArgs {
    /// The project file (TOML)
    project: PathBuf,
    /// Where the rules are (files or folders)
    #[arg(long, default_value = "rules")]
    rules: Vec<PathBuf>,
    /// Look at the project as of this date (YYYY-MM-DD) instead of its `today` or the clock
    #[arg(long, value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

/// Arguments of `test`.
#[derive(clap::Args)]
struct TestArgs {
    /// Scenario files, or folders searched for `*.test.toml`
    #[arg(default_value = "rules")]
    paths: Vec<PathBuf>,
    /// Where the rules are (default: the folders given, or those holding the files given)
    #[arg(long)]
    rules: Vec<PathBuf>,
    /// Run only the scenarios whose name contains this text
    #[arg(long)]
    filter: Option<String>,
    /// Report which rules, and which conditions of each rule, were seen true and false
    #[arg(long)]
    coverage: bool,
    /// Fail when the rules of the national workflow or of a region are covered below P %
    /// (implies --coverage)
    #[arg(long, value_name = "P")]
    threshold: Option<f64>,
    /// Change one rule at a time (`rules`: negate each; `conditions`: also set each condition
    /// to true and to false) and report the changes no scenario notices
    #[arg(long, value_enum)]
    mutants: Option<MutantDepth>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

/// How far `cpts test --mutants` goes.
#[derive(Clone, Copy, ValueEnum)]
enum MutantDepth {
    /// Negate each rule
    Rules,
    /// Also replace each condition of a rule by `true` and by `false`
    Conditions,
}

/// Arguments of `advance`.
#[derive(clap::Args)]
struct AdvanceArgs {
    /// The project file (TOML)
    project: PathBuf,
    /// The step or decision to record
    #[arg(long)]
    step: String,
    /// The outcome, for a decision
    #[arg(long)]
    outcome: Option<String>,
    /// When it happened (default: the project's today)
    #[arg(long, value_parser = parse_date)]
    date: Option<chrono::NaiveDate>,
    /// Who did it (one of the workflow's actors)
    #[arg(long)]
    actor: Option<String>,
    /// A reference to the evidence (minutes, letter, decision)
    #[arg(long)]
    evidence: Option<String>,
    /// Free text
    #[arg(long)]
    note: Option<String>,
    /// Where the rules are (files or folders)
    #[arg(long, default_value = "rules")]
    rules: Vec<PathBuf>,
    /// The project's today (default: its `today`, else the clock)
    #[arg(long, value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
    /// Colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

/// Arguments of `simulate`.
#[derive(clap::Args)]
struct SimulateArgs {
    /// The project file (TOML)
    project: PathBuf,
    /// Stop each run when this step is done (default: the end of the workflow)
    #[arg(long)]
    until: Option<String>,
    /// Number of runs
    #[arg(long, default_value_t = 1000)]
    runs: usize,
    /// Seed of the random draws (same seed, same result)
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Assume a decision's outcome, as DECISION=OUTCOME (repeatable)
    #[arg(long)]
    assume: Vec<String>,
    /// For decisions without probabilities: the chance that they send the project back
    #[arg(long, default_value_t = 0.1)]
    rework_probability: f64,
    /// Where the rules are (files or folders)
    #[arg(long, default_value = "rules")]
    rules: Vec<PathBuf>,
    /// Simulate from this date (default: the project's today, else the clock)
    #[arg(long, value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date: write YYYY-MM-DD"))
}

/// Output formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Source snippets with underlines, labels and help
    Human,
    /// One JSON document (schema version 1)
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// Renders diagnostics as `cpts check --info` does, without colour, with the summary line.
pub fn render_human(
    sources: &cpts_diag::Sources,
    diagnostics: &[cpts_diag::Diagnostic],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    render::human(sources, diagnostics, diagnostics, false, out)
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
            let color = match color {
                Color::Auto => terminal_color,
                Color::Always => true,
                Color::Never => false,
            };
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
            workflow,
            version,
            region,
            rules,
        } => schema::run(
            &rules,
            &workflow,
            version.as_deref(),
            region.as_deref(),
            &plugins,
            out,
        ),
        Command::Plugin(PluginCommand::New { name, dir, sdk }) => {
            plugin::new(&name, dir.as_deref(), sdk.as_deref(), out)
        }
        Command::Plugin(PluginCommand::Build { dir, out: dest }) => {
            plugin::build(&dir, dest.as_deref(), out)
        }
        Command::Plugin(PluginCommand::Inspect { file, format }) => {
            plugin::inspect(&file, format, out)
        }
        Command::Explain { code } => explain::run(code.as_deref(), out),
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
                color: color(a.color, terminal_color),
            },
            &plugins,
            out,
        ),
        Command::Fmt(args) => fmt::run(args, out),
    }
}

fn color(choice: Color, terminal: bool) -> bool {
    match choice {
        Color::Auto => terminal,
        Color::Always => true,
        Color::Never => false,
    }
}

fn status_command(
    args: StatusArgs,
    short: bool,
    terminal_color: bool,
    plugins: &cpts::PluginConfig,
    out: &mut dyn Write,
) -> u8 {
    let color = match args.color {
        Color::Auto => terminal_color,
        Color::Always => true,
        Color::Never => false,
    };
    status::run(
        status::Request {
            project: args.project,
            rules: args.rules,
            today: args.today,
            format: args.format,
            color,
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
    let color = match args.color {
        Color::Auto => terminal_color,
        Color::Always => true,
        Color::Never => false,
    };
    let entry = cpts::Entry {
        step: args.step,
        outcome: args.outcome,
        date: args.date,
        actor: args.actor,
        evidence: args.evidence,
        note: args.note,
    };
    status::advance(
        &args.project,
        &args.rules,
        &entry,
        args.today,
        color,
        plugins,
        out,
    )
}
