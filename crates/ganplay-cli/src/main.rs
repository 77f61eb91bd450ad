//! `ganplay`: trains and samples the playground's models natively and measures their speed.

mod args;
mod bench;
mod device;
mod image_files;
mod losses;
mod plan;
mod sample;
mod scatter_png;
mod train;
mod weight_files;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Train(a) => train::run(a),
        args::Command::Sample(a) => sample::run(a),
        args::Command::Bench(a) => bench::run(a),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
