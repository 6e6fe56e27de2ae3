//! `binhan`: the Bình An command line, for trainers, support staff and
//! scripted tests. Every capability of the core, JSON in and out.
//!
//! The PIN is read from `BINHAN_PIN` or from the first line of standard
//! input, never from an argument (arguments are visible to other programs).

mod commands;
mod console;
mod demo;
mod input;
mod output;
mod report;
mod shelters;
mod sync;

use clap::Parser;

fn main() {
    let cli = commands::Cli::parse();
    let code = match commands::run(cli) {
        Ok(value) => {
            output::print_json(&value);
            0
        }
        Err(err) => output::print_error(&err),
    };
    std::process::exit(code);
}
