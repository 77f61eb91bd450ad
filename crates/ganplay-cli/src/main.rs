//! `ganplay`: trains, samples and scores the playground's models natively and measures their
//! speed.

mod args;
mod augment;
mod augment_png;
mod augment_processes;
mod bench;
mod classifier;
mod device;
mod eval;
mod export;
mod image_files;
mod losses;
mod npy;
mod op_bench;
mod plan;
mod run_folder;
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
        args::Command::Classifier(a) => classifier::run(a),
        args::Command::Eval(a) => eval::run(a),
        args::Command::Export(a) => export::run(a),
        args::Command::Augment(a) => augment::run(a),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
