//! `ganplay augment` over several child processes of one thread each. The benchmark's networks
//! are too small for Burn's CPU backend to keep several cores busy from one process (a second
//! thread adds about a fifth to a step's speed), so separate jobs in separate processes use a
//! small CPU far better. Each child runs one shard (`--shard K/N`) into `OUT/shard-K`, with its
//! log beside it; the parent prints their rows as they finish and merges them at the end.

use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use ganplay_model::augment_bench::ResultRow;

/// One child: its shard's folder and how many of its rows are printed.
struct Shard {
    child: Child,
    folder: PathBuf,
    printed: usize,
    finished: bool,
}

/// Runs the benchmark in `processes` children with the command line of this process plus
/// `--shard K/N --out OUT/shard-K`, and returns every child's rows with the wall time.
pub fn run_in_children(processes: usize, out: &Path) -> Result<(Vec<ResultRow>, f64)> {
    let exe = std::env::current_exe().context("cannot find the ganplay binary to start")?;
    let own_args: Vec<OsString> = std::env::args_os().skip(1).collect();
    println!(
        "{processes} processes of one thread each; their logs: {}",
        out.join("shard-K/log.txt").display()
    );
    let started = Instant::now();
    let mut shards = Vec::with_capacity(processes);
    for k in 1..=processes {
        let folder = out.join(format!("shard-{k}"));
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let log = File::create(folder.join("log.txt"))
            .with_context(|| format!("cannot write {}", folder.join("log.txt").display()))?;
        // Later flags override earlier ones (the command allows it), so the child's shard,
        // folder and process count replace the parent's.
        let child = Command::new(&exe)
            .args(&own_args)
            .arg("--shard")
            .arg(format!("{k}/{processes}"))
            .arg("--processes")
            .arg("1")
            .arg("--out")
            .arg(&folder)
            .env("RAYON_NUM_THREADS", "1")
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("cannot start a child process")?;
        shards.push(Shard {
            child,
            folder,
            printed: 0,
            finished: false,
        });
    }
    let mut failed = Vec::new();
    while shards.iter().any(|s| !s.finished) {
        sleep(Duration::from_millis(500));
        for shard in shards.iter_mut().filter(|s| !s.finished) {
            print_new_rows(shard);
            if let Some(status) = shard.child.try_wait()? {
                shard.finished = true;
                if !status.success() {
                    failed.push(shard.folder.join("log.txt"));
                }
            }
        }
    }
    if !failed.is_empty() {
        let logs: Vec<String> = failed.iter().map(|p| p.display().to_string()).collect();
        bail!("a child process failed; see {}", logs.join(", "));
    }
    let mut rows = Vec::new();
    for shard in &mut shards {
        print_new_rows(shard);
        rows.extend(read_csv(&shard.folder.join("results.csv"))?);
    }
    Ok((rows, started.elapsed().as_secs_f64()))
}

/// Prints the rows a child has written since the last look. Only whole lines count: a child
/// may be writing the last one.
fn print_new_rows(shard: &mut Shard) {
    let path = shard.folder.join("results.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let whole = &text[..text.rfind('\n').map_or(0, |end| end + 1)];
    let Ok(rows) = parse_csv(whole, &path) else {
        return;
    };
    for row in rows.iter().skip(shard.printed) {
        crate::augment::print_row(row);
    }
    shard.printed = shard.printed.max(rows.len());
}

/// The rows of a `results.csv` written by `ganplay augment`.
pub fn read_csv(path: &Path) -> Result<Vec<ResultRow>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_csv(&text, path)
}

fn parse_csv(text: &str, path: &Path) -> Result<Vec<ResultRow>> {
    let mut lines = text.lines();
    if lines.next() != Some(ResultRow::CSV_HEADER) {
        bail!(
            "{} is not a results.csv of `ganplay augment`",
            path.display()
        );
    }
    lines
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            ResultRow::parse_csv_line(line)
                .map_err(|e| anyhow::anyhow!("{} line {}: {e}", path.display(), i + 2))
        })
        .collect()
}
