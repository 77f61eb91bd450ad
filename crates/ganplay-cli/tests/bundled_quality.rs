//! The page's bundled image models still reach the Fréchet distance that docs/augmentation.md
//! states for them: `ganplay eval` on each file (1,000 samples of seed 1, as the table's
//! command), against the table's figure.

use std::path::Path;
use std::process::Command;

/// Relative slack: the figures are reproducible to the digit on one machine; this leaves room
/// for another CPU's floating-point order, not for a worse model.
const TOLERANCE: f64 = 0.05;

/// `(model, Fréchet distance)` of each bundled model in the table of `docs/augmentation.md`,
/// rows like ``| `cgan` (step 4000) | 6.49 | …``.
fn stated_figures(doc: &str) -> Vec<(String, f64)> {
    let section = doc
        .split("## Image metrics of the bundled models")
        .nth(1)
        .expect("the bundled models' section");
    section
        .lines()
        .take_while(|line| !line.starts_with("## "))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let model = cells.get(1)?.strip_prefix('`')?.split('`').next()?;
            let fd = cells.get(2)?.parse().ok()?;
            Some((model.to_string(), fd))
        })
        .collect()
}

#[test]
fn every_bundled_image_model_reaches_its_stated_frechet_distance() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(root.join("docs/augmentation.md")).unwrap();
    let stated = stated_figures(&doc);
    let models: Vec<&str> = stated.iter().map(|(m, _)| m.as_str()).collect();
    for model in ["gan-mlp", "dcgan", "cgan", "wgan", "vae", "vae-16d", "cvae"] {
        assert!(models.contains(&model), "no figure for {model}: {models:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    for (model, fd) in stated {
        let json = dir.path().join(format!("{model}.json"));
        let weights = root.join(format!("web/weights/{model}.safetensors"));
        let out = Command::new(env!("CARGO_BIN_EXE_ganplay"))
            .args(["eval", "--device", "cpu", "--weights"])
            .arg(&weights)
            .arg("--json")
            .arg(&json)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{model}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let measured = report["model_metrics"]["frechet"].as_f64().unwrap();
        assert!(
            (measured - fd).abs() <= TOLERANCE * fd,
            "{model}: Fréchet distance {measured:.2}, the docs state {fd:.2}"
        );
    }
}

#[test]
fn the_table_reader_finds_the_rows() {
    let doc = "## Image metrics of the bundled models\n\n| samples | Fréchet |\n| --- | --- |\n\
               | real training digits (floor) | 1.50 |\n| `dcgan` (step 3000) | 36.41 |\n\n## Next\n\
               | `vae` (step 1) | 9.0 |\n";
    assert_eq!(stated_figures(doc), vec![("dcgan".to_string(), 36.41)]);
}
