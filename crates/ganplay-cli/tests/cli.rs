//! Drives the `ganplay` binary as a user would.

use std::process::{Command, Output};

fn ganplay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ganplay")).args(args).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn train_covers_ring8_and_writes_its_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = ganplay(&["train", "--dataset", "ring8", "--steps", "3000", "--log-every", "500", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("modes covered 8/8") || stdout.contains("modes covered 7/8"), "{stdout}");

    let csv = std::fs::read_to_string(out.join("losses.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "step,loss_d,loss_g,modes_covered,mode_count,hq_percent");
    assert_eq!(rows.len(), 1 + 6);
    let last: Vec<&str> = rows[6].split(',').collect();
    assert_eq!(last[0], "3000");
    assert!(last[5].parse::<f32>().unwrap() >= 80.0, "HQ {}", last[5]);

    let png = std::fs::read(out.join("scatter.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(png.len() > 2000);
    let config: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["batch_size"], 256);
}

#[test]
fn drawn_points_train_from_csv() {
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("p.csv");
    std::fs::write(&points, "x,y\n-1,0\n1,0\n").unwrap();
    let o = ganplay(&["train", "--dataset", "custom", "--points", points.to_str().unwrap(), "--steps", "50",
        "--out", dir.path().join("run").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("/2"));
}

#[test]
fn bad_options_fail_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["train", "--g-neurons", "500"], "between 1 and 128"),
        (&["train", "--d-lr", "fast"], "not a number"),
        (&["train", "--batch-size", "0"], "between 1 and 1024"),
        (&["train", "--dataset", "nope"], "choose one of ring8, grid25"),
        (&["train", "--dataset", "custom"], "needs --points"),
        (&["train", "--loss", "magic"], "invalid value 'magic'"),
        (&["train", "--sigma=-1"], "between 0.001 and 1"),
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
    let o = ganplay(&["train", "--dataset", "custom", "--points", points.to_str().unwrap(), "--out", dir.path().to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("p.csv is not a points CSV") && err.contains("line 2"), "{err}");
}

#[test]
fn divergence_stops_with_an_error_and_keeps_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let o = ganplay(&["train", "--d-optimizer", "sgd", "--d-lr", "1", "--g-optimizer", "sgd", "--g-lr", "1",
        "--steps", "2000", "--log-every", "1", "--out", dir.path().to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("Training diverged at step"), "{}", stderr(&o));
    assert!(dir.path().join("losses.csv").exists() && dir.path().join("scatter.png").exists());
}

#[cfg(not(feature = "cuda"))]
#[test]
fn cuda_without_the_feature_says_how_to_get_it() {
    let o = ganplay(&["bench", "--device", "cuda"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--features cuda"), "{}", stderr(&o));
}
