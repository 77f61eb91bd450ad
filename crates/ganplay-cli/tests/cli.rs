//! Drives the `ganplay` binary as a user would.

use std::process::{Command, Output};

fn ganplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ganplay"))
        .args(args)
        .output()
        .expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn train_covers_ring8_and_writes_its_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = ganplay(&[
        "train",
        "--dataset",
        "ring8",
        "--steps",
        "3000",
        "--log-every",
        "500",
        // A decay that starts after the run: recorded, without changing this run's training.
        "--lr-decay-start",
        "5000",
        "--lr-decay-steps",
        "1000",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("modes covered 8/8") || stdout.contains("modes covered 7/8"),
        "{stdout}"
    );

    let csv = std::fs::read_to_string(out.join("losses.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "step,loss_d,loss_g,modes_covered,mode_count,hq_percent,kl,js"
    );
    assert_eq!(rows.len(), 1 + 6);
    let last: Vec<&str> = rows[6].split(',').collect();
    assert_eq!(last[0], "3000");
    assert!(last[5].parse::<f32>().unwrap() >= 80.0, "HQ {}", last[5]);

    let png = std::fs::read(out.join("scatter.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(png.len() > 2000);
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["batch_size"], 256);
    assert_eq!(
        config["lr_decay"],
        serde_json::json!({"start": 5000, "steps": 1000})
    );

    // The weight file the page loads: it names its data set and rebuilds the trained generator.
    let bytes = std::fs::read(out.join("weights.safetensors")).unwrap();
    let file = ganplay_model::weights::WeightFile::parse(&bytes).unwrap();
    assert_eq!(file.facts.dataset, "ring8");
    assert_eq!(file.facts.steps, 3000);
    let data = ganplay_model::ToyDataset::new(ganplay_model::ToyKind::Ring8, 0.05).unwrap();
    let device = burn::tensor::Device::flex();
    let mut session =
        ganplay_model::TrainSession::new(file.config.clone(), Box::new(data.clone()), &device)
            .unwrap();
    session.load_weights(&file).unwrap();
    let samples = session
        .generate(session.evaluation_noise())
        .into_data()
        .try_into_vec_as::<f32>()
        .unwrap();
    let metrics = ganplay_model::metrics::mode_metrics(
        &data,
        &ganplay_model::metrics::points_from_flat(&samples),
    );
    assert!(metrics.modes_covered >= 7, "{}", metrics.modes_text());
}

#[test]
fn drawn_points_train_from_csv() {
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("p.csv");
    std::fs::write(&points, "x,y\n-1,0\n1,0\n").unwrap();
    let o = ganplay(&[
        "train",
        "--dataset",
        "custom",
        "--points",
        points.to_str().unwrap(),
        "--steps",
        "50",
        "--out",
        dir.path().join("run").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("/2"));
}

#[test]
fn bad_options_fail_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["train", "--g-neurons", "500"], "between 1 and 128"),
        (&["train", "--d-lr", "fast"], "not a number"),
        (&["train", "--batch-size", "0"], "between 1 and 1024"),
        (
            &["train", "--dataset", "nope"],
            "choose one of ring8, grid25",
        ),
        (&["train", "--dataset", "custom"], "needs --points"),
        (&["train", "--loss", "magic"], "invalid value 'magic'"),
        (
            &["train", "--model", "vae", "--loss", "hinge"],
            "loss: is an option of the GANs' critic; the VAE has none",
        ),
        (&["train", "--sigma=-1"], "between 0.001 and 1"),
        (
            &["train", "--lr-decay-steps", "2000000"],
            "between 0 and 1000000",
        ),
        (&["train", "--g-output", "relu"], "invalid value 'relu'"),
        (
            &[
                "train",
                "--model",
                "dcgan",
                "--g-layers",
                "3",
                "--noise-dim",
                "4",
            ],
            "--g-layers, --noise-dim set 2D GANs only",
        ),
    ];
    for (args, expected) in cases {
        let o = ganplay(args);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_broken_points_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("p.csv");
    std::fs::write(&points, "0,0\n1,oops\n").unwrap();
    let o = ganplay(&[
        "train",
        "--dataset",
        "custom",
        "--points",
        points.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("p.csv is not a points CSV") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn divergence_stops_with_an_error_and_keeps_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let o = ganplay(&[
        "train",
        "--d-optimizer",
        "sgd",
        "--d-lr",
        "1",
        "--g-optimizer",
        "sgd",
        "--g-lr",
        "1",
        "--steps",
        "2000",
        "--log-every",
        "1",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("Training diverged at step"),
        "{}",
        stderr(&o)
    );
    assert!(dir.path().join("losses.csv").exists() && dir.path().join("scatter.png").exists());
    // Weights that produce NaN are not written.
    assert!(!dir.path().join("weights.safetensors").exists());
}

#[cfg(not(feature = "cuda"))]
#[test]
fn cuda_without_the_feature_says_how_to_get_it() {
    let o = ganplay(&["bench", "--device", "cuda"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--features cuda"), "{}", stderr(&o));
}

#[test]
#[cfg(not(feature = "torch"))]
fn torch_without_the_feature_says_how_to_get_it() {
    let o = ganplay(&["bench", "--device", "torch"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("scripts/test-tch.sh"), "{}", stderr(&o));
}

#[test]
fn a_preset_trains_as_the_page_explains_and_unknown_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = ganplay(&[
        "train",
        "--preset",
        "collapse-fixed",
        "--steps",
        "800",
        "--log-every",
        "400",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("modes covered 8/8"), "{stdout}");
    let config = std::fs::read_to_string(out.join("config.json")).unwrap();
    assert!(
        config.contains("\"packing\": 4") || config.contains("\"packing\":4"),
        "{config}"
    );

    let o = ganplay(&["train", "--preset", "nope", "--out", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("unknown preset 'nope'"),
        "{}",
        stderr(&o)
    );
    let o = ganplay(&["train", "--preset", "collapse", "--dataset", "grid25"]);
    assert!(stderr(&o).contains("drop --dataset"), "{}", stderr(&o));
}

/// `ganplay train` of the page-sized VAE for `steps` steps, with more flags.
fn train_page_vae(steps: &str, flags: &[&str]) -> Output {
    let mut args = vec![
        "train", "--model", "vae", "--scale", "page", "--steps", steps,
    ];
    args.extend(flags);
    ganplay(&args)
}

/// The error of a command that must fail.
fn fails_with(o: &Output) -> String {
    assert!(
        !o.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    stderr(o)
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn image_training_writes_grids_and_checkpoints_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("vae");
    let o = out.to_str().unwrap();
    let stdout = ok(&train_page_vae(
        "40",
        &[
            "--log-every",
            "10",
            "--sample-every",
            "20",
            "--checkpoint-every",
            "30",
            "--out",
            o,
        ],
    ));
    assert!(stdout.contains("trained vae to step 40"), "{stdout}");
    for f in [
        "samples/step-000020.png",
        "samples/step-000040.png",
        "samples.png",
        "checkpoint.safetensors",
        "checkpoint.optim",
        "weights.safetensors",
        "weights.optim",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let csv = std::fs::read_to_string(out.join("losses.csv")).unwrap();
    assert_eq!(csv.lines().next(), Some("step,loss_reconstruction,loss_kl"));
    assert_eq!(csv.lines().count(), 1 + 4);

    // Resume from the step-30 checkpoint up to step 60, in the checkpoint's own folder (the
    // default --out): the log is cut back to step 30 and goes on from there, and the
    // half-written file a killed run would leave is cleaned up.
    std::fs::write(out.join("checkpoint.partial"), b"torn").unwrap();
    let checkpoint = out.join("checkpoint.safetensors");
    let resumed = ganplay(&[
        "train",
        "--resume",
        checkpoint.to_str().unwrap(),
        "--steps",
        "60",
        "--log-every",
        "10",
    ]);
    let stdout = ok(&resumed);
    assert!(stdout.contains("trained vae to step 60"), "{stdout}");
    assert!(
        stderr(&resumed).contains("continuing with the optimiser state in"),
        "{}",
        stderr(&resumed)
    );
    let csv = std::fs::read_to_string(out.join("losses.csv")).unwrap();
    let steps: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(steps, ["10", "20", "30", "40", "50", "60"]);
    assert!(!out.join("checkpoint.partial").exists());
}

#[test]
fn a_new_run_never_lands_on_another_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = out.to_str().unwrap();
    let train = |extra: &[&str]| {
        let mut args = vec!["--log-every", "10", "--sample-every", "10", "--out", o];
        args.extend(extra);
        train_page_vae("20", &args)
    };
    ok(&train(&[]));
    let weights = std::fs::read(out.join("weights.safetensors")).unwrap();

    let refused = train(&["--seed", "7"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused)
            .contains("holds another run (config.json, losses.csv, weights.safetensors)")
            && stderr(&refused).contains("--force"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        std::fs::read(out.join("weights.safetensors")).unwrap(),
        weights
    );

    // --force replaces the run: none of the old run's samples stay beside the new weights.
    std::fs::write(out.join("samples").join("step-000090.png"), b"old").unwrap();
    ok(&train(&["--seed", "7", "--force"]));
    assert_ne!(
        std::fs::read(out.join("weights.safetensors")).unwrap(),
        weights
    );
    assert!(!out.join("samples").join("step-000090.png").exists());

    // Resuming another folder's weights into a folder with a run is refused the same way.
    let elsewhere = dir.path().join("other");
    ok(&train_page_vae(
        "10",
        &["--out", elsewhere.to_str().unwrap()],
    ));
    let resumed = ganplay(&[
        "train",
        "--resume",
        elsewhere.join("weights.safetensors").to_str().unwrap(),
        "--steps",
        "20",
        "--out",
        o,
    ]);
    assert!(
        stderr(&resumed).contains("holds another run"),
        "{}",
        stderr(&resumed)
    );
}

#[test]
fn sample_draws_grids_and_one_class_as_separate_images() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("cgan");
    ok(&ganplay(&[
        "train",
        "--model",
        "cgan",
        "--scale",
        "page",
        "--steps",
        "3",
        "--out",
        run.to_str().unwrap(),
    ]));
    let weights = run.join("weights.safetensors");
    let w = weights.to_str().unwrap();

    let grid = dir.path().join("grid.png");
    let stdout = ok(&ganplay(&[
        "sample",
        "--weights",
        w,
        "--count",
        "5",
        "--out",
        grid.to_str().unwrap(),
    ]));
    assert!(
        stdout.contains("50 samples of cgan (step 3, trained on mnist)"),
        "{stdout}"
    );
    let img = image::open(&grid).unwrap();
    assert_eq!(
        (img.width(), img.height()),
        (5 * 30 + 2, 10 * 30 + 2),
        "one row of five per class"
    );

    let threes = dir.path().join("threes");
    ok(&ganplay(&[
        "sample",
        "--weights",
        w,
        "--class",
        "3",
        "--count",
        "4",
        "--separate",
        "--out",
        threes.to_str().unwrap(),
    ]));
    let mut names: Vec<String> = std::fs::read_dir(&threes)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["0000-3.png", "0001-3.png", "0002-3.png", "0003-3.png"]
    );
    let one = image::open(threes.join("0000-3.png")).unwrap();
    assert_eq!(
        (one.width(), one.height()),
        (28, 28),
        "separate images have no border"
    );

    let o = ganplay(&[
        "sample",
        "--weights",
        w,
        "--class",
        "12",
        "--out",
        grid.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("class 12: the model knows 10 classes, 0 to 9"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn idx_files_and_image_folders_train_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // A 20-digit IDX pair, as MNIST ships it (uncompressed here).
    let idx = dir.path().join("idx");
    std::fs::create_dir(&idx).unwrap();
    let mut images = vec![0, 0, 8, 3, 0, 0, 0, 20, 0, 0, 0, 28, 0, 0, 0, 28];
    images.extend((0..20 * 784).map(|i| (i % 251) as u8));
    let mut labels = vec![0, 0, 8, 1, 0, 0, 0, 20];
    labels.extend((0..20).map(|i| (i % 10) as u8));
    std::fs::write(idx.join("train-images-idx3-ubyte"), &images).unwrap();
    std::fs::write(idx.join("train-labels-idx1-ubyte"), &labels).unwrap();
    let out = dir.path().join("out-idx");
    let stdout = ok(&ganplay(&[
        "train",
        "--model",
        "dcgan",
        "--scale",
        "page",
        "--steps",
        "2",
        "--data",
        idx.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(stdout.contains("trained dcgan to step 2"), "{stdout}");

    // Colour images of any size in class folders, resized to the model's 28x28 grey.
    let folder = dir.path().join("pets");
    for (class, shade) in [("cat", 40u8), ("dog", 200u8)] {
        std::fs::create_dir_all(folder.join(class)).unwrap();
        for i in 0..3u8 {
            let img = image::RgbImage::from_pixel(40, 30, image::Rgb([shade, i * 20, 255 - shade]));
            img.save(folder.join(class).join(format!("{i}.png")))
                .unwrap();
        }
    }
    let out = dir.path().join("out-pets");
    ok(&ganplay(&[
        "train",
        "--model",
        "cvae",
        "--scale",
        "page",
        "--steps",
        "2",
        "--data",
        folder.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    let config = std::fs::read_to_string(out.join("config.json")).unwrap();
    assert!(
        config.contains("\"cat\"") && config.contains("\"dog\""),
        "class names come from the folders: {config}"
    );

    // One step of a page VAE on `data`, written to `out` under the temporary folder.
    let train_vae_on = |data: &std::path::Path, out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        let mut args = vec![
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        train_page_vae("1", &args)
    };
    let fails = |data: &std::path::Path| fails_with(&train_vae_on(data, "x", &[]));
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(
        fails(&empty).contains("neither MNIST IDX files"),
        "{}",
        fails(&empty)
    );
    // A broken image is skipped and named; --strict-data stops at it instead.
    std::fs::write(folder.join("cat").join("broken.png"), b"not a png").unwrap();
    let o = train_vae_on(&folder, "skipping", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: skipped 1 of 7 images") && stderr(&o).contains("broken.png"),
        "{}",
        stderr(&o)
    );
    let e = fails_with(&train_vae_on(&folder, "strict", &["--strict-data"]));
    assert!(
        e.contains("cannot decode") && e.contains("broken.png"),
        "{e}"
    );
    std::fs::write(idx.join("train-images-idx3-ubyte"), &images[..1000]).unwrap();
    let e = fails(&idx);
    assert!(
        e.contains("not a valid IDX pair") && e.contains("header promises"),
        "{e}"
    );
}

#[test]
fn broken_weight_files_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.safetensors");
    std::fs::write(&garbage, b"definitely not weights").unwrap();
    let o = ganplay(&["sample", "--weights", garbage.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("is not a usable weight file: not a readable safetensors file"),
        "{}",
        stderr(&o)
    );
    let o = ganplay(&[
        "train",
        "--resume",
        garbage.to_str().unwrap(),
        "--steps",
        "5",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("not a usable weight file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_first_line_names_the_device_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let stdout = ok(&ganplay(&[
        "train", "--steps", "1", "--device", "cpu", "--out", out,
    ]));
    assert_eq!(
        stdout.lines().next(),
        Some("device: cpu (Burn flex) — chosen with --device cpu"),
        "{stdout}"
    );

    // The default is auto: whatever it finds, it says what and why before anything else.
    let again = dir.path().join("auto");
    let stdout = ok(&ganplay(&[
        "train",
        "--steps",
        "1",
        "--out",
        again.to_str().unwrap(),
    ]));
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("device: ") && first.contains(" — "),
        "{stdout}"
    );
    if cfg!(not(feature = "cuda")) {
        assert!(first.contains("no CUDA in this build"), "{first}");
    }
}

#[test]
fn bench_lines_keep_their_columns() {
    let stdout = ok(&ganplay(&[
        "bench",
        "--device",
        "cpu",
        "--seconds",
        "0.05",
        "--page-sizes-only",
    ]));
    let mut lines = stdout.lines();
    assert!(
        lines.next().unwrap().starts_with("device: cpu (Burn flex)"),
        "{stdout}"
    );
    let mut names = Vec::new();
    for line in lines {
        // `<name padded to 10> <rate in 9, two decimals> steps/s   (<description>)`
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[2], "steps/s", "{line}");
        assert_eq!(line[..10].trim_end(), fields[0], "{line}");
        let rate = line[11..20].trim_start();
        assert_eq!(rate, fields[1], "{line}");
        assert_eq!(rate.split('.').nth(1).map(str::len), Some(2), "{line}");
        assert!(line[20..].starts_with(" steps/s   ("), "{line}");
        names.push(fields[0].to_string());
    }
    assert!(names.iter().any(|n| n == "mlp-small"), "{stdout}");
}

#[test]
fn bench_ops_times_every_operation_of_a_step_and_writes_them_for_pytorch() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("ops.json");
    let stdout = ok(&ganplay(&[
        "bench",
        "--device",
        "cpu",
        "--ops",
        "--case",
        "vae",
        "--seconds",
        "0.05",
        "--op-seconds",
        "0.01",
        "--ops-json",
        json.to_str().unwrap(),
    ]));
    assert!(stdout.contains("vae: "), "{stdout}");
    for op in [
        "linear",
        "relu",
        "vae_loss",
        "adam",
        "random_normal",
        "all operations",
    ] {
        assert!(stdout.contains(op), "{op} missing: {stdout}");
    }
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let case = &cases[0];
    assert_eq!(case["name"], "vae");
    assert!(case["steps_per_sec"].as_f64().unwrap() > 0.0);
    let rows = case["rows"].as_array().unwrap();
    // Encoder 784-256, mean and log-variance heads, decoder 2-256-784: five dense layers.
    let dense = rows.iter().filter(|r| r["op"]["op"] == "linear").count();
    assert_eq!(dense, 5, "{rows:?}");
    for row in rows {
        let forward = row["forward_s"].as_f64().unwrap();
        assert!(forward > 0.0 && forward < 1.0, "{row}");
        let backward = row["backward_s"].as_f64().unwrap();
        let has_backward = row["backwards"].as_u64().unwrap() > 0;
        assert_eq!(backward > 0.0, has_backward, "{row}");
    }
    // A case it does not break down is refused by name.
    let o = ganplay(&["bench", "--device", "cpu", "--ops", "--case", "dcgan-64"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not `dcgan-64`"), "{}", stderr(&o));
}

/// Every knob of the model crate's registry is a flag, with its range and default.
#[test]
fn every_2d_knob_is_a_flag_and_sets_the_run() {
    let help = ok(&ganplay(&["train", "--help"]));
    for knob in &ganplay_model::config::knobs::ALL {
        assert!(
            help.contains(&format!("--{}", knob.key())),
            "--{} missing",
            knob.key()
        );
    }
    assert!(help.contains("Neurons per generator hidden layer. (1 to 128) [default: 64]"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = ganplay(&[
        "train",
        "--steps",
        "2",
        "--g-output",
        "tanh",
        "--noise-dim",
        "3",
        "--device",
        "cpu",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("config.json")).unwrap()).unwrap();
    assert_eq!(
        (config["g_output"].as_str(), config["noise_dim"].as_u64()),
        (Some("tanh"), Some(3))
    );
}

#[test]
fn train_help_groups_the_options_and_lists_the_ids() {
    let help = ok(&ganplay(&["train", "--help"]));
    for expected in [
        "2D GANs",
        "Image models",
        "--device <DEVICE>",
        "[default: auto]",
        "leastsquares",
        "gan-mlp",
        "[default: full]",
    ] {
        assert!(help.contains(expected), "{expected} missing from:\n{help}");
    }
}

#[test]
fn semi_supervised_training_logs_test_accuracy_and_eval_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ssgan");
    let o = out.to_str().unwrap();
    let stdout = ok(&ganplay(&[
        "train",
        "--model",
        "ssgan",
        "--scale",
        "page",
        "--labels-per-class",
        "5",
        "--consistency-weight",
        "1",
        "--hidden-noise",
        "0.25",
        "--steps",
        "20",
        "--log-every",
        "10",
        "--sample-every",
        "0",
        "--checkpoint-every",
        "0",
        "--device",
        "cpu",
        "--out",
        o,
    ]));
    assert!(stdout.contains("trained ssgan to step 20"), "{stdout}");
    assert!(
        stdout.contains("on 997 held-out images (the same network on the labelled images alone"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out.join("losses.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "step,loss_discriminator,loss_generator,test_accuracy,labels_only_test_accuracy"
    );
    assert_eq!(rows.len(), 1 + 2);
    for row in &rows[1..] {
        let accuracies: Vec<f64> = row.split(',').skip(3).map(|v| v.parse().unwrap()).collect();
        assert!(accuracies.iter().all(|a| (0.0..=1.0).contains(a)), "{row}");
    }
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["labels_per_class"], 5);
    assert_eq!(config["consistency"]["weight"], 1.0);
    assert_eq!(config["consistency"]["threshold"], 0.95);
    assert_eq!(config["tuning"]["hidden_noise"], 0.25);
    assert_eq!(config["tuning"]["input_noise"], 0.3, "the paper's");

    let weights = out.join("weights.safetensors");
    let report = ok(&ganplay(&[
        "eval",
        "--weights",
        weights.to_str().unwrap(),
        "--samples",
        "200",
        "--device",
        "cpu",
    ]));
    assert!(
        report.contains("classifier (the discriminator) test accuracy: "),
        "{report}"
    );

    assert_eq!(config["augment_real"], true, "the preset's augmentation");

    for flag in [
        "--labels-per-class",
        "--augment-real",
        "--consistency-weight",
        "--input-noise",
        "--hidden-noise",
    ] {
        let value = if flag == "--augment-real" {
            "true"
        } else {
            "5"
        };
        let o = ganplay(&["train", "--model", "dcgan", flag, value]);
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains("are for semi-supervised models (ssgan, m2)"),
            "{}",
            stderr(&o)
        );
    }
    let refused = |args: &[&str], expected: &str| {
        let message = fails_with(&ganplay(args));
        assert!(message.contains(expected), "{message}");
    };
    refused(
        &["train", "--model", "ssgan", "--consistency-weight", "1000"],
        "'--consistency-weight <CONSISTENCY_WEIGHT>': must be between 0.001 and 100, got 1000",
    );
    // The threshold needs the loss it belongs to, and is a probability.
    refused(
        &[
            "train",
            "--model",
            "ssgan",
            "--consistency-threshold",
            "0.8",
        ],
        "--consistency-weight",
    );
    refused(
        &[
            "train",
            "--model",
            "ssgan",
            "--consistency-weight",
            "1",
            "--consistency-threshold",
            "2",
        ],
        "must be between 0 and 1, got 2",
    );
    // The learning-rate decay is offered to the semi-supervised models, not to other image
    // models.
    let o = ganplay(&["train", "--model", "dcgan", "--lr-decay-steps", "100"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("semi-supervised models only"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_semi_supervised_vae_logs_its_elbo_and_test_accuracy() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m2");
    let o = out.to_str().unwrap();
    let stdout = ok(&ganplay(&[
        "train",
        "--model",
        "m2",
        "--scale",
        "page",
        "--labels-per-class",
        "5",
        "--classification-weight",
        "5",
        "--steps",
        "10",
        "--log-every",
        "5",
        "--sample-every",
        "0",
        "--checkpoint-every",
        "0",
        "--device",
        "cpu",
        "--out",
        o,
    ]));
    assert!(stdout.contains("trained m2 to step 10"), "{stdout}");
    let csv = std::fs::read_to_string(out.join("losses.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "step,loss_reconstruction,loss_kl,test_accuracy,labels_only_test_accuracy"
    );
    assert_eq!(rows.len(), 1 + 2);
    // Bernoulli reconstruction of a digit: tens to hundreds of nats, never negative.
    let reconstruction: f64 = rows[2].split(',').nth(1).unwrap().parse().unwrap();
    assert!((1.0..1000.0).contains(&reconstruction), "{csv}");
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["model"], "m2");
    assert_eq!(config["classification_weight"], 5.0);
    let report = ok(&ganplay(&[
        "eval",
        "--weights",
        out.join("weights.safetensors").to_str().unwrap(),
        "--samples",
        "200",
        "--device",
        "cpu",
    ]));
    assert!(
        report.contains("classifier (q(y|x)) test accuracy: "),
        "{report}"
    );
    // Its decoder takes the class: the samples are asked for one.
    assert!(
        report.contains("classifier agrees with the asked class"),
        "{report}"
    );
    let o = ganplay(&["train", "--model", "ssgan", "--classification-weight", "5"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("is for the semi-supervised VAE (m2)"),
        "{}",
        stderr(&o)
    );
    let o = ganplay(&["train", "--model", "m2", "--consistency-weight", "1"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("consistency"), "{}", stderr(&o));
}

#[test]
fn sample_requests_that_cannot_be_met_are_refused_with_the_reason() {
    let vae = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../web/weights/vae.safetensors"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.png");
    let out = out.to_str().unwrap();
    for (flags, reason) in [
        (&["--count", "0"][..], "the count must be at least 1"),
        (
            &["--count", "18446744073709551615"][..],
            "would not fit in memory; ask for at most",
        ),
        (&["--count", "100000000"][..], "would not fit in memory"),
        (
            &["--class", "0"][..],
            "the vae model is not conditional: it cannot be asked for a class",
        ),
    ] {
        let o = ganplay(&[&["sample", "--weights", vae, "--out", out][..], flags].concat());
        assert!(!o.status.success(), "{flags:?}");
        assert!(stderr(&o).contains(reason), "{flags:?}: {}", stderr(&o));
        assert!(
            !std::path::Path::new(out).exists(),
            "{flags:?} wrote a file"
        );
    }
}
