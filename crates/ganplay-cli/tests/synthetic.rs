//! `eval`, `export` and `augment` driven as a user would, on the bundled weights.

use std::path::Path;
use std::process::{Command, Output};

fn ganplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ganplay"))
        .args(args)
        .output()
        .expect("runs")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn bundled(model: &str) -> String {
    format!(
        "{}/../../web/weights/{model}.safetensors",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn eval_scores_bundled_weights_next_to_the_floor() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("m.json");
    let out = ok(&ganplay(&[
        "eval",
        "--weights",
        &bundled("cgan"),
        "--samples",
        "300",
        "--device",
        "cpu",
        "--json",
        json.to_str().unwrap(),
    ]));
    assert!(out.contains("Fréchet distance"), "{out}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let model = &report["model_metrics"];
    let floor = &report["floor"];
    let fd = model["frechet"].as_f64().unwrap();
    let floor_fd = floor["frechet"].as_f64().unwrap();
    assert!(
        fd.is_finite() && floor_fd < fd,
        "model {fd}, floor {floor_fd}"
    );
    assert!(floor["precision"].as_f64().unwrap() > 0.5);
    assert_eq!(
        model["class_histogram"]["counts"].as_array().unwrap().len(),
        10
    );
    assert!(model["inception_score"]["mean"].as_f64().unwrap() > 5.0);

    // A classifier file where a generator is needed is refused with a clear message.
    let classifier = bundled("classifier");
    let o = ganplay(&["eval", "--weights", &classifier, "--device", "cpu"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("classifier file, where a generator file was needed"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn export_round_trips_through_train_in_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["folder", "idx"] {
        let out = dir.path().join(format);
        let printed = ok(&ganplay(&[
            "export",
            "--weights",
            &bundled("cvae"),
            "--count",
            "50",
            "--format",
            format,
            "--min-confidence",
            "0.5",
            "--device",
            "cpu",
            "--out",
            out.to_str().unwrap(),
        ]));
        assert!(printed.contains("50 samples"), "{printed}");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
                .unwrap();
        assert_eq!(manifest["count"], 50);
        assert_eq!(manifest["counts_per_class"], serde_json::json!(vec![5; 10]));
        assert_eq!(manifest["labels_from"], "asked class");
        assert_eq!(manifest["weights_sha256"].as_str().unwrap().len(), 64);
        assert!(!dir.path().join(format!("{format}.partial")).exists());
        let trained = ok(&ganplay(&[
            "train",
            "--model",
            "cvae",
            "--scale",
            "page",
            "--data",
            out.to_str().unwrap(),
            "--steps",
            "2",
            "--sample-every",
            "0",
            "--device",
            "cpu",
            "--out",
            dir.path().join(format!("run-{format}")).to_str().unwrap(),
        ]));
        assert!(trained.contains("trained cvae to step 2"), "{trained}");
    }
    count_pngs(&dir.path().join("folder"), 50);

    // An unconditional model's samples are labelled by the reference classifier.
    let dcgan = dir.path().join("dcgan");
    ok(&ganplay(&[
        "export",
        "--weights",
        &bundled("dcgan"),
        "--count",
        "30",
        "--device",
        "cpu",
        "--out",
        dcgan.to_str().unwrap(),
    ]));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dcgan.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["labels_from"], "reference classifier");
    count_pngs(&dcgan, 30);
}

fn count_pngs(root: &Path, expected: usize) {
    let mut n = 0;
    for class in std::fs::read_dir(root).unwrap() {
        let class = class.unwrap().path();
        if class.is_dir() {
            n += std::fs::read_dir(&class).unwrap().count();
        }
    }
    assert_eq!(n, expected);
}

#[test]
fn export_refuses_bad_requests_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A filter nothing passes.
    let o = ganplay(&[
        "export",
        "--weights",
        &bundled("dcgan"),
        "--count",
        "20",
        "--min-confidence",
        "1.0",
        "--device",
        "cpu",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("lower the minimum confidence"),
        "{err}"
    );
    assert!(!out.exists() && !dir.path().join("out.partial").exists());
    // Out-of-range values are refused by the parser.
    for args in [
        vec!["--count", "0"],
        vec!["--count", "5", "--min-confidence", "1.5"],
        vec!["--count", "5", "--format", "jpeg"],
    ] {
        let mut all = vec!["export", "--weights", "x", "--out", "y"];
        all.extend(args);
        assert!(!ganplay(&all).status.success());
    }
    // An existing, non-empty folder is not overwritten.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let o = ganplay(&[
        "export",
        "--weights",
        &bundled("cgan"),
        "--count",
        "10",
        "--device",
        "cpu",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn augment_runs_jobs_in_child_processes_and_merges_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid");
    let printed = ok(&ganplay(&[
        "augment",
        "--arms",
        "real,classic,ssgan",
        "--budgets",
        "10",
        "--seeds",
        "3",
        "--classifier-steps",
        "3",
        "--ssgan-steps",
        "3",
        "--processes",
        "2",
        "--device",
        "cpu",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(
        printed.contains("2 processes of one thread each"),
        "{printed}"
    );
    // Each child's rows are printed by the parent as they finish.
    let rows = printed.lines().filter(|l| l.starts_with("budget ")).count();
    assert_eq!(rows, 3 * 3, "{printed}");
    for k in 1..=2 {
        let log = std::fs::read_to_string(out.join(format!("shard-{k}/log.txt"))).unwrap();
        assert!(log.contains(&format!("shard {k}/2")), "{log}");
    }
    // Shard 1 has seeds 1 and 3, shard 2 seed 2; the merge holds all three.
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3 * 3, "{csv}");
    for seed in 1..=3 {
        assert_eq!(csv.matches(&format!(",{seed},real,")).count(), 1, "{csv}");
    }
    assert!(out.join("report.md").exists() && out.join("accuracy.png").exists());
    // A shard of its own and child processes do not mix.
    let o = ganplay(&[
        "augment",
        "--seeds",
        "2",
        "--shard",
        "1/2",
        "--processes",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("leave out --shard"));
}

#[test]
fn augment_runs_a_tiny_grid_and_merges_shards() {
    let dir = tempfile::tempdir().unwrap();
    let common = [
        "--budgets",
        "10",
        "--seeds",
        "2",
        "--ratios",
        "1",
        "--gan-steps",
        "3",
        "--vae-steps",
        "3",
        "--classifier-steps",
        "3",
        "--ssgan-steps",
        "3",
        "--self-training-steps",
        "3",
        "--device",
        "cpu",
    ];
    for shard in ["1/2", "2/2"] {
        let out = dir.path().join(shard.replace('/', "-"));
        let mut args = vec!["augment", "--shard", shard, "--out", out.to_str().unwrap()];
        args.extend(common);
        let printed = ok(&ganplay(&args));
        assert!(printed.contains("1 jobs"), "{printed}");
        let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
        // Fifteen arms, one ratio: eleven classifier runs, two semi-supervised GANs, the
        // discriminator without a GAN and the semi-supervised VAE per job.
        assert_eq!(csv.lines().count(), 1 + 15, "{csv}");
        assert!(
            csv.contains(",ssgan,")
                && csv.contains(",ssgan+consistency,")
                && csv.contains(",consistency-without-gan,")
                && csv.contains(",m2,")
                && csv.contains(",self-training,"),
            "{csv}"
        );
        // The semi-supervised GAN's samples: as many as the training split's 9,003 digits
        // join the self-training pool; at most one per real digit (ratio 1) joins the labelled
        // data, only those its discriminator is confident of.
        assert!(csv.contains(",self-training+ssgan,0,100,9003,"), "{csv}");
        let confident: usize = csv
            .lines()
            .find(|l| l.contains(",classic+ssgan,"))
            .and_then(|l| l.split(',').nth(5))
            .and_then(|n| n.parse().ok())
            .expect("a classic+ssgan row");
        assert!(confident <= 100, "{csv}");
    }
    let merged = dir.path().join("merged");
    // A merge of the first shard alone, then of both: the second replaces the first's CSV.
    ok(&ganplay(&[
        "augment",
        "--merge",
        dir.path().join("1-2/results.csv").to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]));
    let printed = ok(&ganplay(&[
        "augment",
        "--merge",
        dir.path().join("1-2/results.csv").to_str().unwrap(),
        dir.path().join("2-2/results.csv").to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]));
    assert!(
        printed.contains("| 10 | real + classic augmentation | – | 2 |"),
        "{printed}"
    );
    let png = std::fs::read(merged.join("accuracy.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(merged.join("summary.json").exists() && merged.join("report.md").exists());
    let csv = std::fs::read_to_string(merged.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 15, "{csv}");
    assert!(
        printed.contains("| semi-supervised GAN (labelled + unlabelled pool) | – | 2 |")
            && printed.contains("| semi-supervised VAE (M2; labelled + unlabelled pool) | – | 2 |"),
        "{printed}"
    );
    // Budgets a class cannot hold are refused before any training.
    let o = ganplay(&[
        "augment",
        "--budgets",
        "5000",
        "--out",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("smallest class"));
}
