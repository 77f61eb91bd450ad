//! `ganplay augment`: the augmentation benchmark (see `ganplay_model::augment_bench`). Result
//! rows are appended to `results.csv` as they finish, so an interrupted run keeps what it did;
//! at the end (or from `--merge` of several shards' CSVs) it writes `report.md`,
//! `summary.json` and `accuracy.png`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use ganplay_model::augment_bench::{
    Arm, BenchmarkPlan, BenchmarkRun, Budget, ResultRow, markdown, summarise,
};
use ganplay_model::data::bundled;
use ganplay_model::{ImageModelConfig, ImageModelKind, ImageShape};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::AugmentArgs;
use crate::weight_files::write_bytes;
use crate::{augment_png, augment_processes, device};

pub fn run(args: AugmentArgs) -> Result<()> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    if !args.merge.is_empty() {
        let rows = read_rows(&args.merge)?;
        write_report(&rows, &args.out, None)?;
        return write_merged_csv(&rows, &args.out);
    }
    let plan = plan_from(&args)?;
    let jobs = plan.jobs(args.shard);
    let picked = device::select(args.device.choice)?;
    picked.announce();
    let processes = process_count(&args, jobs.len(), picked.name)?;
    if processes > 1 {
        let (rows, elapsed) = augment_processes::run_in_children(processes, &args.out)?;
        println!("{} classifier runs in {elapsed:.0} s", rows.len());
        write_merged_csv(&rows, &args.out)?;
        return write_report(&rows, &args.out, Some(elapsed));
    }
    println!(
        "{} jobs (budget × seed{}), {} classifier runs in all, {} training steps in all",
        jobs.len(),
        args.shard
            .map_or(String::new(), |(k, n)| format!(", shard {k}/{n}")),
        jobs.iter()
            .map(|j| plan.arm_runs(j.budget).len())
            .sum::<usize>(),
        jobs.iter()
            .map(|j| plan.steps_per_job(j.budget))
            .sum::<u64>()
    );
    let mut run = BenchmarkRun::new(
        plan,
        jobs,
        bundled::mnist_train(),
        bundled::mnist_test(),
        &picked.device,
    )
    .map_err(|e| anyhow!(e))?;
    let csv_path = args.out.join("results.csv");
    let mut csv = std::fs::File::create(&csv_path)
        .with_context(|| format!("cannot write {}", csv_path.display()))?;
    writeln!(csv, "{}", ResultRow::CSV_HEADER)?;
    let bar = ProgressBar::new(run.progress().steps_total).with_style(
        ProgressStyle::with_template("{bar:30} {percent}% {elapsed} (eta {eta}) {msg}")
            .expect("valid template"),
    );
    let started = Instant::now();
    let mut written = 0;
    while !run.is_finished() {
        pollster::block_on(run.advance(25)).map_err(|e| anyhow!(e))?;
        let progress = run.progress();
        bar.set_position(progress.steps_done);
        bar.set_message(progress.doing);
        for row in &run.rows()[written..] {
            writeln!(csv, "{}", row.csv_line())?;
            bar.suspend(|| print_row(row));
        }
        written = run.rows().len();
    }
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();
    println!("{} classifier runs in {elapsed:.0} s", run.rows().len());
    write_report(run.rows(), &args.out, Some(elapsed))
}

/// One line per finished classifier run.
pub fn print_row(row: &ResultRow) {
    println!(
        "budget {:>4} seed {} {:<32} ratio {:<3} accuracy {:.2}%",
        row.budget,
        row.seed,
        row.arm.label(),
        row.ratio,
        100.0 * row.accuracy
    );
}

/// `--processes`, or by default on the CPU one per job, at most one more than the cores: a
/// process of one thread each keeps a core busy better than extra threads in one process, and
/// one spare process fills the gap while another waits. A shard or a GPU runs in this process.
fn process_count(args: &AugmentArgs, jobs: usize, device: &str) -> Result<usize> {
    if let Some(n) = args.processes {
        if n > 1 && args.shard.is_some() {
            bail!("--processes runs shards of its own: leave out --shard");
        }
        return Ok(n.min(jobs).max(1));
    }
    if args.shard.is_some() || !device.starts_with("cpu") {
        return Ok(1);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(jobs.min(cores + 1).max(1))
}

fn plan_from(args: &AugmentArgs) -> Result<BenchmarkPlan> {
    let mut plan = if args.quick {
        BenchmarkPlan::quick()
    } else {
        BenchmarkPlan::full()
    };
    if let Some(budgets) = &args.budgets {
        plan.budgets = budgets
            .split(',')
            .map(|b| b.parse::<Budget>())
            .collect::<Result<_, _>>()
            .map_err(|e| anyhow!(e))?;
    }
    if let Some(seeds) = args.seeds {
        plan.seeds = (1..=seeds as u64).collect();
    }
    if let Some(ratios) = &args.ratios {
        plan.ratios = ratios
            .split(',')
            .map(|r| {
                r.trim()
                    .parse::<f32>()
                    .map_err(|_| anyhow!("ratio '{r}' is not a number"))
            })
            .collect::<Result<_>>()?;
    }
    for (value, target) in [
        (args.gan_steps, &mut plan.gan_steps),
        (args.vae_steps, &mut plan.vae_steps),
        (args.classifier_steps, &mut plan.classifier_steps),
        (args.ssgan_steps, &mut plan.ssgan_steps),
        (args.self_training_steps, &mut plan.self_training_steps),
    ] {
        if let Some(v) = value {
            *target = v;
        }
    }
    if let Some(on) = args.gan_diff_augment {
        plan.gan.diff_augment = on;
    }
    if let Some(weight) = args.gan_auxiliary_classifier {
        plan.gan.auxiliary_classifier = weight;
    }
    if let Some(scale) = args.ssgan_scale {
        plan.ssgan = ImageModelConfig::preset(ImageModelKind::Ssgan, scale, ImageShape::MNIST);
        plan.m2 = ImageModelConfig::preset(ImageModelKind::M2, scale, ImageShape::MNIST);
    }
    if let Some(arms) = &args.arms {
        plan.arms = arms
            .split(',')
            .map(|id| Arm::from_id(id.trim()).ok_or_else(|| anyhow!("unknown arm '{id}'")))
            .collect::<Result<_>>()?;
    }
    plan.validate().map_err(|e| anyhow!(e))?;
    // A budget larger than a class holds is refused before any training.
    let train = bundled::mnist_train();
    for budget in &plan.budgets {
        if let Budget::PerClass(n) = budget {
            let smallest = (0..train.classes() as u8)
                .map(|c| train.labels.iter().filter(|l| **l == c).count())
                .min()
                .unwrap_or(0);
            if *n > smallest {
                bail!(
                    "budget {n} per class: the smallest class of the training split has {smallest} images"
                );
            }
        }
    }
    Ok(plan)
}

fn read_rows(paths: &[PathBuf]) -> Result<Vec<ResultRow>> {
    let mut rows = Vec::new();
    for path in paths {
        rows.extend(augment_processes::read_csv(path)?);
    }
    Ok(rows)
}

/// The shards' rows as one `results.csv`, replacing the one an earlier merge left there.
fn write_merged_csv(rows: &[ResultRow], out: &Path) -> Result<()> {
    let mut csv = String::from(ResultRow::CSV_HEADER);
    for row in rows {
        csv.push('\n');
        csv.push_str(&row.csv_line());
    }
    csv.push('\n');
    write_bytes(csv.as_bytes(), &out.join("results.csv"))
}

fn write_report(rows: &[ResultRow], out: &Path, elapsed: Option<f64>) -> Result<()> {
    if rows.is_empty() {
        bail!("no results to report");
    }
    let summary = summarise(rows);
    let mut report = markdown(&summary);
    if let Some(seconds) = elapsed {
        report.push_str(&format!("\nWall time: {seconds:.0} s.\n"));
    }
    write_bytes(report.as_bytes(), &out.join("report.md"))?;
    write_bytes(
        serde_json::to_string_pretty(&summary)?.as_bytes(),
        &out.join("summary.json"),
    )?;
    augment_png::write(&out.join("accuracy.png"), &summary)?;
    println!("{report}");
    println!("report: {}", out.join("report.md").display());
    Ok(())
}
