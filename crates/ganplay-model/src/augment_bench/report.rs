//! From result rows to the benchmark's report: mean ± sd per budget, arm and ratio, the paired
//! 95 % interval of each arm against classic augmentation (same seeds, so the same subsets), and
//! a Markdown table that says in words where generated data helps and where it does not.

use std::collections::BTreeMap;

use serde::Serialize;

use super::stats::{PairedDifference, mean_sd};
use super::{Arm, Budget, ResultRow};

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArmSummary {
    pub budget: String,
    pub arm: Arm,
    pub ratio: f32,
    pub seeds: usize,
    pub mean: f64,
    pub sd: f64,
    /// This arm minus classic augmentation, paired by seed (`None` for classic itself or
    /// without classic runs).
    pub vs_classic: Option<PairedDifference>,
    /// This arm minus the self-training control, paired by seed (`None` for the control
    /// itself or without control runs): what a generative model adds beyond the unlabelled
    /// images themselves.
    pub vs_self_training: Option<PairedDifference>,
}

/// Budgets sort by size, `full` last.
fn budget_order(budget: &str) -> (Budget, String) {
    (budget.parse().unwrap_or(Budget::Full), budget.to_string())
}

/// A budget (in sort order, with its text), an arm and a ratio (as bits, for ordering).
type GroupKey = ((Budget, String), Arm, u32);
/// Accuracy by seed.
type BySeed = BTreeMap<u64, f64>;

pub fn summarise(rows: &[ResultRow]) -> Vec<ArmSummary> {
    let mut groups: BTreeMap<GroupKey, BySeed> = BTreeMap::new();
    for r in rows {
        groups
            .entry((budget_order(&r.budget), r.arm, r.ratio.to_bits()))
            .or_default()
            .insert(r.seed, r.accuracy);
    }
    let baseline = |of: Arm| -> BTreeMap<(Budget, String), BySeed> {
        groups
            .iter()
            .filter(|((_, arm, _), _)| *arm == of)
            .map(|((budget, _, _), seeds)| (budget.clone(), seeds.clone()))
            .collect()
    };
    let (classic, control) = (baseline(Arm::Classic), baseline(Arm::SelfTraining));
    groups
        .iter()
        .map(|((budget, arm, ratio), by_seed)| {
            let values: Vec<f64> = by_seed.values().copied().collect();
            let (mean, sd) = mean_sd(&values);
            let against = |baselines: &BTreeMap<(Budget, String), BySeed>, of: Arm| {
                let base = baselines.get(budget).filter(|_| *arm != of)?;
                let (a, b): (Vec<f64>, Vec<f64>) = by_seed
                    .iter()
                    .filter_map(|(seed, acc)| base.get(seed).map(|b| (*acc, *b)))
                    .unzip();
                PairedDifference::of(&a, &b)
            };
            ArmSummary {
                budget: budget.1.clone(),
                arm: *arm,
                ratio: f32::from_bits(*ratio),
                seeds: values.len(),
                mean,
                sd,
                vs_classic: against(&classic, Arm::Classic),
                vs_self_training: against(&control, Arm::SelfTraining),
            }
        })
        .collect()
}

/// The report as a Markdown table, one row per budget, arm and ratio, with a verdict per row.
pub fn markdown(summary: &[ArmSummary]) -> String {
    let mut out = String::from(
        "| budget/class | arm | ratio | seeds | accuracy % (mean ± sd) | vs classic, paired 95% CI (points) | verdict | vs self-training, paired 95% CI |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for s in summary {
        let ratio = if s.arm.source().is_some() {
            format!("{}×", s.ratio)
        } else {
            "–".into()
        };
        let (ci, verdict) = match (&s.vs_classic, s.arm) {
            (_, Arm::Classic) => ("baseline".to_string(), "baseline"),
            // One seed gives a difference but no spread to bound it (a shard's own report).
            (Some(d), _) if d.pairs < 2 => (interval(d), "needs 2+ seeds"),
            (Some(d), _) => (
                interval(d),
                match d.sign() {
                    1 => "helps",
                    -1 => "hurts",
                    _ => "no clear difference",
                },
            ),
            (None, _) => ("–".into(), "–"),
        };
        let vs_control = match (&s.vs_self_training, s.arm) {
            (_, Arm::SelfTraining) => "control".to_string(),
            (Some(d), _) => interval(d),
            (None, _) => "–".to_string(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {:.2} ± {:.2} | {} | {} | {} |\n",
            s.budget,
            s.arm.label(),
            ratio,
            s.seeds,
            100.0 * s.mean,
            100.0 * s.sd,
            ci,
            verdict,
            vs_control
        ));
    }
    out
}

/// A paired difference in points: with its 95 % interval, or saying one seed gives none.
fn interval(d: &PairedDifference) -> String {
    if d.pairs < 2 {
        format!("{:+.2} (one seed: no interval)", 100.0 * d.mean)
    } else {
        format!(
            "{:+.2} [{:+.2}, {:+.2}]",
            100.0 * d.mean,
            100.0 * d.low,
            100.0 * d.high
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(budget: &str, seed: u64, arm: Arm, ratio: f32, accuracy: f64) -> ResultRow {
        ResultRow {
            budget: budget.into(),
            seed,
            arm,
            ratio,
            real: 100,
            synthetic: 100,
            accuracy,
        }
    }

    #[test]
    fn summaries_pair_seeds_against_classic() {
        let mut rows = Vec::new();
        for seed in 1..=3 {
            rows.push(row(
                "10",
                seed,
                Arm::Classic,
                0.0,
                0.80 + 0.01 * seed as f64,
            ));
            // Always 5 points better than classic on the same seed.
            rows.push(row("10", seed, Arm::Gan, 1.0, 0.85 + 0.01 * seed as f64));
            rows.push(row("full", seed, Arm::Classic, 0.0, 0.98));
        }
        let summary = summarise(&rows);
        assert_eq!(summary.len(), 3);
        assert_eq!(summary[0].budget, "10");
        assert_eq!(summary[2].budget, "full");
        let gan = summary.iter().find(|s| s.arm == Arm::Gan).unwrap();
        let d = gan.vs_classic.unwrap();
        assert!(
            (d.mean - 0.05).abs() < 1e-9 && (d.high - d.low) < 1e-9,
            "{d:?}"
        );
        let table = markdown(&summary);
        assert!(table.contains("| 10 | real + cGAN samples | 1× | 3 | 87.00 ± 1.00 | +5.00"));
        assert!(table.contains("helps"));
    }

    #[test]
    fn arms_pair_against_the_self_training_control_too() {
        let mut rows = Vec::new();
        for seed in 1..=3 {
            let base = 0.01 * seed as f64;
            rows.push(row("10", seed, Arm::Classic, 0.0, 0.90 + base));
            rows.push(row("10", seed, Arm::SelfTraining, 0.0, 0.95 + base));
            rows.push(row("10", seed, Arm::Ssgan, 0.0, 0.96 + base));
        }
        let summary = summarise(&rows);
        let ssgan = summary.iter().find(|s| s.arm == Arm::Ssgan).unwrap();
        assert!((ssgan.vs_classic.unwrap().mean - 0.06).abs() < 1e-9);
        assert!((ssgan.vs_self_training.unwrap().mean - 0.01).abs() < 1e-9);
        let control = summary.iter().find(|s| s.arm == Arm::SelfTraining).unwrap();
        assert!(control.vs_self_training.is_none());
        let table = markdown(&summary);
        assert!(
            table.contains("| helps | +1.00 [+1.00, +1.00] |"),
            "{table}"
        );
        assert!(table.contains("| helps | control |"), "{table}");
    }

    #[test]
    fn one_seed_gives_a_difference_without_an_interval() {
        let rows = [
            row("10", 1, Arm::Classic, 0.0, 0.90),
            row("10", 1, Arm::Gan, 1.0, 0.85),
        ];
        let table = markdown(&summarise(&rows));
        assert!(
            table.contains("| -5.00 (one seed: no interval) | needs 2+ seeds |"),
            "{table}"
        );
        assert!(!table.contains("NaN"), "{table}");
    }
}
