//! The command line as clap reads it: every command, argument and help text. `cpts completions`
//! and `cpts man` are generated from these definitions, so they document what is parsed.

use crate::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, graph};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// What each exit status means, for `--help`, the man pages and docs/cli.md.
pub(crate) const EXIT_STATUS: [(u8, &str); 3] = [
    (
        EXIT_OK,
        "success: no finding at error level (warnings and infos allowed)",
    ),
    (
        EXIT_FINDINGS,
        "findings at error level (rules, project file, failing rule), an `advance` refused (the \
         file is unchanged), a plugin that does not build or load",
    ),
    (
        EXIT_USAGE,
        "usage or IO error: bad arguments, unknown code, workflow or step, unreadable path, no \
         `.cpts` file found, output not written",
    ),
];

fn exit_status_help() -> String {
    let mut text = String::from("Exit status:");
    for (code, meaning) in EXIT_STATUS {
        text.push_str(&format!("\n  {code}  {meaning}"));
    }
    text
}

#[derive(Parser)]
#[command(
    name = "cpts",
    version,
    about = "Workflow engine and rules language for the creation of CPTS",
    after_long_help = exit_status_help()
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub plugins: PluginArgs,
}

/// Where plugins are found and what they may use; for every command that loads rules.
#[derive(clap::Args)]
pub(crate) struct PluginArgs {
    /// A folder holding plugins as `PACKAGE.wasm`, searched before `CPTS_PLUGIN_PATH` and the
    /// plugins bundled with cpts (repeatable)
    #[arg(long = "plugins", global = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Do not use the plugins bundled with cpts
    #[arg(long, global = true)]
    pub no_bundled_plugins: bool,
    /// Fuel per plugin call
    #[arg(long, global = true, value_name = "UNITS")]
    pub plugin_fuel: Option<u64>,
    /// Compile plugins in every run instead of keeping them in the cache
    /// (`$XDG_CACHE_HOME/cpts`, else `~/.cache/cpts`)
    #[arg(long, global = true)]
    pub no_plugin_cache: bool,
}

impl PluginArgs {
    /// The library's default configuration ([`cpts::PluginConfig::default`]: `CPTS_PLUGIN_PATH`,
    /// the bundled plugins, the compilation cache) with the command line's changes.
    pub fn config(&self) -> cpts::PluginConfig {
        let mut config = cpts::PluginConfig::default();
        // `--plugins` folders come before those of `CPTS_PLUGIN_PATH`.
        config.dirs.splice(0..0, self.dirs.iter().cloned());
        config.bundled = !self.no_bundled_plugins;
        if let Some(fuel) = self.plugin_fuel {
            config.host.limits.fuel = fuel;
        }
        if self.no_plugin_cache {
            config.host.cache = None;
        }
        config
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
    /// Print a JSON Schema: of project files for a workflow (`--workflow`), or of a command's
    /// JSON output (`--output`), for editors and other tools
    Schema {
        /// The workflow whose project files the schema describes
        #[arg(long, required_unless_present = "output", conflicts_with = "output")]
        workflow: Option<String>,
        /// The output document whose schema to print instead (`cpts-status/2`, …)
        #[arg(long, value_enum)]
        output: Option<crate::schema::Output>,
        /// The version (default: the newest)
        #[arg(long)]
        version: Option<String>,
        /// The region overlay
        #[arg(long)]
        region: Option<String>,
        /// Where the rules are (files or folders)
        #[arg(long, default_value = "rules")]
        rules: Vec<PathBuf>,
        /// Output format: a JSON Schema is JSON (accepted so that every command takes it)
        #[arg(long, value_enum, default_value_t = JsonOnly::Json)]
        format: JsonOnly,
    },
    /// Run the scenario files (`*.test.toml`) kept next to the rules; with coverage and mutants
    Test(TestArgs),
    /// Rewrite rules files in the canonical layout (`--check`: only list those it would change)
    Fmt(crate::fmt::Args),
    /// Make, build and inspect regional WebAssembly plugins
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Print the documentation of a diagnostic code (`E0103` or `unknown-step`)
    Explain {
        /// The code or its name; omit to list every code
        code: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout
    #[command(
        after_long_help = "Bash: cpts completions bash > ~/.local/share/bash-completion/completions/cpts\n\
                                 Zsh: cpts completions zsh > \"${fpath[1]}/_cpts\"\n\
                                 Fish: cpts completions fish > ~/.config/fish/completions/cpts.fish"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page of cpts (roff), or write one page per command into a folder
    Man {
        /// Write `cpts.1`, `cpts-check.1`, … into this folder instead
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// `cpts plugin …`.
#[derive(Subcommand)]
pub(crate) enum PluginCommand {
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
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Build a plugin crate into a component, written as PACKAGE.wasm
    Build {
        /// The plugin crate's folder
        dir: PathBuf,
        /// The folder to write PACKAGE.wasm to (default: the crate's folder)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
pub(crate) struct StatusArgs {
    /// The project file (TOML)
    pub project: PathBuf,
    /// Where the rules are (files or folders)
    #[arg(long, default_value = "rules")]
    pub rules: Vec<PathBuf>,
    /// Look at the project as of this date (YYYY-MM-DD) instead of its `today` or the clock
    #[arg(long, value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// Arguments of `advance`.
#[derive(clap::Args)]
pub(crate) struct AdvanceArgs {
    /// The project file (TOML)
    pub project: PathBuf,
    /// The step or decision to record
    #[arg(long)]
    pub step: String,
    /// The outcome, for a decision
    #[arg(long)]
    pub outcome: Option<String>,
    /// When it happened (default: the project's today)
    #[arg(long, value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
    /// Who did it (one of the workflow's actors)
    #[arg(long)]
    pub actor: Option<String>,
    /// A reference to the evidence (minutes, letter, decision)
    #[arg(long)]
    pub evidence: Option<String>,
    /// Free text
    #[arg(long)]
    pub note: Option<String>,
    /// Where the rules are (files or folders)
    #[arg(long, default_value = "rules")]
    pub rules: Vec<PathBuf>,
    /// The project's today (default: its `today`, else the clock)
    #[arg(long, value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// Arguments of `simulate`.
#[derive(clap::Args)]
pub(crate) struct SimulateArgs {
    /// The project file (TOML)
    pub project: PathBuf,
    /// Stop each run when this step is done (default: the end of the workflow)
    #[arg(long)]
    pub until: Option<String>,
    /// Number of runs
    #[arg(long, default_value_t = 1000)]
    pub runs: usize,
    /// Seed of the random draws (same seed, same result)
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Assume a decision's outcome, as DECISION=OUTCOME (repeatable)
    #[arg(long)]
    pub assume: Vec<String>,
    /// For decisions without probabilities: the chance that they send the project back
    #[arg(long, default_value_t = 0.1)]
    pub rework_probability: f64,
    /// Where the rules are (files or folders)
    #[arg(long, default_value = "rules")]
    pub rules: Vec<PathBuf>,
    /// Simulate from this date (default: the project's today, else the clock)
    #[arg(long, value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
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
    /// One JSON document with a versioned `schema` field (docs/cli.md)
    Json,
}

/// The output format of commands whose output is JSON only.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum JsonOnly {
    /// One JSON document
    Json,
}

/// Colour in human output.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour, `terminal` saying whether `auto` should.
    pub fn resolve(self, terminal: bool) -> bool {
        match self {
            Color::Auto => terminal,
            Color::Always => true,
            Color::Never => false,
        }
    }
}

/// Arguments of `test`.
#[derive(clap::Args)]
pub(crate) struct TestArgs {
    /// Scenario files, or folders searched for `*.test.toml`
    #[arg(default_value = "rules")]
    pub paths: Vec<PathBuf>,
    /// Where the rules are (default: the folders given, or those holding the files given)
    #[arg(long)]
    pub rules: Vec<PathBuf>,
    /// Run only the scenarios whose name contains this text
    #[arg(long)]
    pub filter: Option<String>,
    /// Report which rules, and which conditions of each rule, were seen true and false
    #[arg(long)]
    pub coverage: bool,
    /// Fail when the rules of the national workflow or of a region are covered below P %
    /// (implies --coverage)
    #[arg(long, value_name = "P")]
    pub threshold: Option<f64>,
    /// Change one rule at a time (`rules`: negate each; `conditions`: also set each condition
    /// to true and to false) and report the changes no scenario notices
    #[arg(long, value_enum)]
    pub mutants: Option<MutantDepth>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// How far `cpts test --mutants` goes.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum MutantDepth {
    /// Negate each rule
    Rules,
    /// Also replace each condition of a rule by `true` and by `false`
    Conditions,
}
