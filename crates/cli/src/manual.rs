//! `cpts completions SHELL` and `cpts man [--out DIR]`, generated from the clap definitions
//! (`args.rs`) so that they always describe what is parsed. Their output is a file format (a
//! shell script, roff pages), so they take no `--format`.

use crate::args::{Cli, EXIT_STATUS};
use crate::{EXIT_OK, EXIT_USAGE, render};
use clap::CommandFactory;
use clap_mangen::roff::{Roff, bold, roman};
use std::io::Write;
use std::path::Path;

/// Prints the completion script of `shell`.
pub(crate) fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> u8 {
    // Into memory first: the generators panic when their writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cpts", &mut script);
    match out.write_all(&script) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// Prints the page of `cpts`, or writes every page (`cpts.1`, `cpts-check.1`,
/// `cpts-plugin-new.1`, …) into `dir` and lists them.
pub(crate) fn man(dir: Option<&Path>, out: &mut dyn Write) -> u8 {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let written = match dir {
        None => page(&cli).and_then(|text| out.write_all(&text)),
        Some(dir) => {
            let mut pages = Vec::new();
            collect(&cli, &mut pages);
            std::fs::create_dir_all(dir).and_then(|()| {
                pages.iter().try_for_each(|cmd| {
                    let name = cmd.get_display_name().unwrap_or(cmd.get_name());
                    let path = dir.join(format!("{name}.1"));
                    std::fs::write(&path, page(cmd)?)?;
                    writeln!(out, "{}", path.display())
                })
            })
        }
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let message = format!("cannot write the manual pages: {e}");
            render::error(crate::Format::Human, &message, None, out);
            EXIT_USAGE
        }
    }
}

/// `cmd` and its subcommands, depth first.
fn collect(cmd: &clap::Command, pages: &mut Vec<clap::Command>) {
    pages.push(cmd.clone());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages);
    }
}

/// One page in roff, with an EXIT STATUS section (before VERSION).
fn page(cmd: &clap::Command) -> std::io::Result<Vec<u8>> {
    // The top command's long help ends with the exit statuses: a section of its own here.
    let cmd = match cmd.get_name() {
        "cpts" => cmd.clone().after_long_help(None::<&str>),
        _ => cmd.clone(),
    };
    let mut text = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut text)?;
    let text = String::from_utf8_lossy(&text).into_owned();
    let mut section = Roff::new();
    section.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        section.control("TP", [] as [&str; 0]);
        section.text([bold(code.to_string())]);
        section.text([roman(meaning)]);
    }
    let section = section.to_roff();
    let at = text.find(".SH VERSION").unwrap_or(text.len());
    Ok(format!("{}{section}{}", &text[..at], &text[at..]).into_bytes())
}
