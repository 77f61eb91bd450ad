//! The augmentation benchmark: does synthetic data help a classifier trained on few real digits?
//!
//! For each label budget (images per class) and seed, a random subset of the training split is
//! drawn; a conditional GAN (with DiffAugment) and a conditional VAE are trained on that subset
//! only; then the same classifier, with the same number of steps, is trained on each arm's data
//! and tested once on the held-out test split. At label budgets, arms also see the rest of the
//! training split without its labels: the semi-supervised GAN (its discriminator is the
//! classifier); as the control without a generative model, the classifier self-trained on
//! pseudo-labels; and two that put the semi-supervised GAN's samples to work (labelled by its
//! discriminator for the classifier, or as more unlabelled images for the control). [`run`] does
//! the work step by step (the CLI and the page drive it), [`report`] turns result rows into
//! means, paired intervals and tables.

pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod stats;

use serde::Serialize;

use crate::config::ConfigError;
use crate::config::image::{ImageModelConfig, ImageModelKind, Scale};
use crate::data::images::ImageShape;
use crate::nets::classifier::ClassifierConfig;

pub use report::{ArmSummary, markdown, summarise};
pub use run::{BenchError, BenchmarkRun, RunProgress};

/// What a classifier is trained on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arm {
    Real,
    Classic,
    Gan,
    Vae,
    ClassicGan,
    ClassicVae,
    GanOnly,
    VaeOnly,
    /// The classifier with classic augmentation, self-trained on the unlabelled pool
    /// (FixMatch): the control that uses the unlabelled images without a generative model.
    SelfTraining,
    /// The semi-supervised GAN's discriminator, trained on the labelled subset and the pool.
    Ssgan,
    /// Real + classic augmentation + the semi-supervised GAN's samples (its generator learnt
    /// the whole pool), each labelled by its discriminator and kept only when confident.
    ClassicSsgan,
    /// The self-training control with the semi-supervised GAN's samples added to its
    /// unlabelled pool: does the generator give pseudo-labelling anything the pool does not?
    SelfTrainingSsgan,
    /// The semi-supervised GAN with the control's consistency loss in its discriminator.
    SsganConsistency,
    /// Its ablation: the same discriminator with the consistency loss and no GAN (no real/fake
    /// loss, no generator), so that what the GAN adds can be told apart.
    ConsistencyWithoutGan,
    /// The semi-supervised VAE's classifier (M2), trained on the labelled subset and the pool.
    M2,
}

crate::string_ids!(Arm {
    Real => "real", "real only",
    Classic => "classic", "real + classic augmentation",
    Gan => "gan", "real + cGAN samples",
    Vae => "vae", "real + cVAE samples",
    ClassicGan => "classic+gan", "real + classic + cGAN samples",
    ClassicVae => "classic+vae", "real + classic + cVAE samples",
    GanOnly => "gan-only", "cGAN samples only (CAS)",
    VaeOnly => "vae-only", "cVAE samples only (CAS)",
    SelfTraining => "self-training", "real + classic + self-training on the unlabelled pool",
    Ssgan => "ssgan", "semi-supervised GAN (labelled + unlabelled pool)",
    ClassicSsgan => "classic+ssgan", "real + classic + semi-supervised GAN samples (confident labels)",
    SelfTrainingSsgan => "self-training+ssgan", "self-training on the pool + semi-supervised GAN samples",
    SsganConsistency => "ssgan+consistency", "semi-supervised GAN + FixMatch consistency in its discriminator",
    ConsistencyWithoutGan => "consistency-without-gan", "its discriminator with FixMatch consistency, no GAN (ablation)",
    M2 => "m2", "semi-supervised VAE (M2; labelled + unlabelled pool)",
});

/// Reports name arms by id (`classic+gan`), as the CSV does.
impl Serialize for Arm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// Which generator an arm draws samples from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Gan,
    Vae,
    /// The semi-supervised GAN: unconditional, labelled by its own discriminator.
    Ssgan,
}

impl Arm {
    pub fn source(self) -> Option<Source> {
        match self {
            Arm::Gan | Arm::ClassicGan | Arm::GanOnly => Some(Source::Gan),
            Arm::Vae | Arm::ClassicVae | Arm::VaeOnly => Some(Source::Vae),
            Arm::ClassicSsgan => Some(Source::Ssgan),
            Arm::Real
            | Arm::Classic
            | Arm::SelfTraining
            | Arm::Ssgan
            | Arm::SelfTrainingSsgan
            | Arm::SsganConsistency
            | Arm::ConsistencyWithoutGan
            | Arm::M2 => None,
        }
    }

    pub fn classic(self) -> bool {
        matches!(
            self,
            Arm::Classic
                | Arm::ClassicGan
                | Arm::ClassicVae
                | Arm::SelfTraining
                | Arm::ClassicSsgan
                | Arm::SelfTrainingSsgan
        )
    }

    /// Arms whose classifier learns by FixMatch self-training.
    pub fn self_trains(self) -> bool {
        matches!(self, Arm::SelfTraining | Arm::SelfTrainingSsgan)
    }

    /// Arms that train on the semi-supervised GAN's generated digits.
    pub fn uses_ssgan_samples(self) -> bool {
        matches!(self, Arm::ClassicSsgan | Arm::SelfTrainingSsgan)
    }

    /// Arms that need the job's semi-supervised GAN trained.
    pub fn needs_ssgan(self) -> bool {
        self == Arm::Ssgan || self.uses_ssgan_samples()
    }

    /// Arms whose classifier is part of a semi-supervised generative model (a GAN's
    /// discriminator, a VAE's q(y|x)), trained with the generators rather than as a classifier
    /// run.
    pub fn is_semi_supervised_model(self) -> bool {
        matches!(
            self,
            Arm::Ssgan | Arm::SsganConsistency | Arm::ConsistencyWithoutGan | Arm::M2
        )
    }

    /// Arms that also learn from the training split's other images, unlabelled: run at label
    /// budgets only (with the whole split labelled there is no unlabelled pool).
    pub fn uses_unlabelled_pool(self) -> bool {
        self.self_trains() || self.needs_ssgan() || self.is_semi_supervised_model()
    }

    pub fn includes_real(self) -> bool {
        !matches!(self, Arm::GanOnly | Arm::VaeOnly)
    }

    /// Arms that add samples to real data are run at every ratio; the others once.
    pub fn sweeps_ratio(self) -> bool {
        self.source().is_some() && self.includes_real()
    }
}

/// Real training images per class, or the whole training split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Budget {
    PerClass(usize),
    Full,
}

impl std::fmt::Display for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Budget::PerClass(n) => write!(f, "{n}"),
            Budget::Full => write!(f, "full"),
        }
    }
}

impl std::str::FromStr for Budget {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "full" => Ok(Budget::Full),
            n => match n.parse::<usize>() {
                Ok(n) if n > 0 => Ok(Budget::PerClass(n)),
                _ => Err(format!(
                    "budget '{s}' is neither a positive count per class nor 'full'"
                )),
            },
        }
    }
}

/// Everything the benchmark runs: the grid (budgets × seeds × arms × ratios) and the fixed
/// training budgets of the generators and the classifier.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchmarkPlan {
    pub budgets: Vec<Budget>,
    pub seeds: Vec<u64>,
    /// Generated examples per real example, for the arms that add samples to real data.
    pub ratios: Vec<f32>,
    pub arms: Vec<Arm>,
    pub gan: ImageModelConfig,
    pub gan_steps: u64,
    pub vae: ImageModelConfig,
    pub vae_steps: u64,
    pub classifier: ClassifierConfig,
    pub classifier_steps: u64,
    pub classifier_batch: usize,
    /// The semi-supervised GAN (its labels per class are each job's budget).
    pub ssgan: ImageModelConfig,
    /// The semi-supervised VAE, likewise.
    pub m2: ImageModelConfig,
    /// Training steps of each semi-supervised model.
    pub ssgan_steps: u64,
    /// Classifier steps of the self-training arms.
    pub self_training_steps: u64,
    /// The discriminator's softmax confidence a semi-supervised GAN sample needs to be kept
    /// with its label (FixMatch's threshold).
    pub ssgan_sample_confidence: f32,
}

/// One (budget, seed) cell of the grid: one subset, one pair of generators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    pub budget: Budget,
    pub seed: u64,
}

/// One classifier training of a job.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArmRun {
    pub arm: Arm,
    /// Generated examples per real example (1 for the generated-only arms, 0 without samples).
    pub ratio: f32,
}

impl BenchmarkPlan {
    /// One budget, three seeds, ratio 1, short runs: about 9 minutes on a 2-core CPU without the
    /// arms that use the unlabelled pool, about 18 with them.
    pub fn quick() -> Self {
        BenchmarkPlan {
            budgets: vec![Budget::PerClass(10)],
            seeds: vec![1, 2, 3],
            ratios: vec![1.0],
            gan_steps: 400,
            vae_steps: 800,
            classifier_steps: 120,
            ssgan: ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Page, ImageShape::MNIST),
            m2: ImageModelConfig::preset(ImageModelKind::M2, Scale::Page, ImageShape::MNIST),
            ssgan_steps: 300,
            // Each self-training step also augments and labels 7 unlabelled digits per labelled
            // one (about a second here): a third of the other classifiers' steps keeps it short.
            self_training_steps: 40,
            // Every arm but the semi-supervised VAE, whose steps (each unlabelled digit decoded
            // once per class) would add minutes, and the discriminator without a GAN, an
            // ablation of its own; `--arms` asks for them.
            arms: Arm::ALL
                .iter()
                .copied()
                .filter(|a| !matches!(a, Arm::M2 | Arm::ConsistencyWithoutGan))
                .collect(),
            ..Self::full()
        }
    }

    /// The page's reduced run: budget 10, `seeds` seeds, ratio 1, fewer steps.
    pub fn page(seeds: usize) -> Self {
        BenchmarkPlan {
            budgets: vec![Budget::PerClass(10)],
            seeds: (1..=seeds.max(1) as u64).collect(),
            ratios: vec![1.0],
            gan_steps: 300,
            vae_steps: 500,
            classifier_steps: 150,
            arms: Arm::ALL
                .iter()
                .copied()
                .filter(|a| !a.uses_unlabelled_pool())
                .collect(),
            ..Self::full()
        }
    }

    /// The full grid: four budgets, five seeds, four ratios, every arm.
    pub fn full() -> Self {
        let mnist = ImageShape::MNIST;
        let gan = ImageModelConfig {
            diff_augment: true,
            ..ImageModelConfig::preset(ImageModelKind::Cgan, Scale::Page, mnist)
        };
        let vae = ImageModelConfig::preset(ImageModelKind::Cvae, Scale::Full, mnist);
        BenchmarkPlan {
            budgets: vec![
                Budget::PerClass(10),
                Budget::PerClass(50),
                Budget::PerClass(100),
                Budget::Full,
            ],
            seeds: (1..=5).collect(),
            ratios: vec![0.5, 1.0, 2.0, 5.0],
            arms: Arm::ALL.to_vec(),
            gan,
            gan_steps: 2000,
            vae,
            vae_steps: 3000,
            classifier: ClassifierConfig::lenet(mnist, 10),
            classifier_steps: 600,
            classifier_batch: 64,
            ssgan: ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Full, mnist),
            m2: ImageModelConfig::preset(ImageModelKind::M2, Scale::Full, mnist),
            ssgan_steps: 3000,
            self_training_steps: 3000,
            ssgan_sample_confidence: 0.95,
        }
    }

    /// The grid's jobs in order; with a shard `k` of `n` (1-based), every n-th from the k-th.
    pub fn jobs(&self, shard: Option<(usize, usize)>) -> Vec<Job> {
        let all = self
            .budgets
            .iter()
            .flat_map(|&budget| self.seeds.iter().map(move |&seed| Job { budget, seed }));
        match shard {
            Some((k, n)) => all
                .enumerate()
                .filter(|(i, _)| i % n == k - 1)
                .map(|(_, j)| j)
                .collect(),
            None => all.collect(),
        }
    }

    /// The classifier trainings of a job at `budget` (the semi-supervised models' classifiers
    /// are trained with the generators, not here).
    pub fn arm_runs(&self, budget: Budget) -> Vec<ArmRun> {
        self.arms
            .iter()
            .filter(|arm| !arm.is_semi_supervised_model() && self.runs_at(**arm, budget))
            .flat_map(|&arm| {
                let ratios = if arm.sweeps_ratio() {
                    self.ratios.clone()
                } else if arm.source().is_some() {
                    vec![1.0]
                } else {
                    vec![0.0]
                };
                ratios.into_iter().map(move |ratio| ArmRun { arm, ratio })
            })
            .collect()
    }

    /// Whether `arm` runs at `budget`: arms that use the unlabelled pool need a label budget.
    pub fn runs_at(&self, arm: Arm, budget: Budget) -> bool {
        self.arms.contains(&arm) && (!arm.uses_unlabelled_pool() || budget != Budget::Full)
    }

    pub fn needs(&self, source: Source) -> bool {
        self.arms.iter().any(|a| a.source() == Some(source))
    }

    /// Whether the jobs at `budget` train a semi-supervised GAN.
    pub fn trains_ssgan(&self, budget: Budget) -> bool {
        self.arms
            .iter()
            .any(|arm| arm.needs_ssgan() && self.runs_at(*arm, budget))
    }

    /// Training steps of one classifier run.
    pub fn steps_of(&self, run: ArmRun) -> u64 {
        if run.arm.self_trains() {
            self.self_training_steps
        } else {
            self.classifier_steps
        }
    }

    /// Training steps of one job at `budget`, the unit of progress.
    pub fn steps_per_job(&self, budget: Budget) -> u64 {
        let generator = |source, steps| if self.needs(source) { steps } else { 0 };
        let ssgan = self.ssgan_steps
            * (u64::from(self.trains_ssgan(budget))
                + u64::from(self.runs_at(Arm::SsganConsistency, budget))
                + u64::from(self.runs_at(Arm::ConsistencyWithoutGan, budget))
                + u64::from(self.runs_at(Arm::M2, budget)));
        generator(Source::Gan, self.gan_steps)
            + generator(Source::Vae, self.vae_steps)
            + ssgan
            + self
                .arm_runs(budget)
                .into_iter()
                .map(|run| self.steps_of(run))
                .sum::<u64>()
    }

    pub fn validate(&self) -> Result<(), PlanError> {
        if self.budgets.is_empty() || self.seeds.is_empty() || self.arms.is_empty() {
            return Err(PlanError::Empty);
        }
        if let Some(r) = self
            .ratios
            .iter()
            .find(|r| !(0.0..=100.0).contains(*r) || **r == 0.0)
        {
            return Err(PlanError::Ratio(*r));
        }
        if self.ratios.is_empty() && self.arms.iter().any(|a| a.sweeps_ratio()) {
            return Err(PlanError::NoRatios);
        }
        let invalid = |model: &'static str| move |error| PlanError::Model { model, error };
        self.classifier.validate().map_err(invalid("classifier"))?;
        self.gan.validate().map_err(invalid("cGAN"))?;
        if !(0.0..=1.0).contains(&self.ssgan_sample_confidence) {
            return Err(PlanError::SampleConfidence(self.ssgan_sample_confidence));
        }
        let semi_supervised = [
            (&self.ssgan, ImageModelKind::Ssgan, "semi-supervised GAN"),
            (&self.m2, ImageModelKind::M2, "semi-supervised VAE"),
        ];
        for (config, kind, model) in semi_supervised {
            let wanted = self.arms.iter().any(|a| match kind {
                ImageModelKind::M2 => *a == Arm::M2,
                _ => {
                    a.needs_ssgan()
                        || matches!(a, Arm::SsganConsistency | Arm::ConsistencyWithoutGan)
                }
            });
            if wanted {
                config.validate().map_err(invalid(model))?;
                if config.model != kind {
                    return Err(PlanError::WrongModel {
                        model,
                        expected: kind.id(),
                    });
                }
            }
        }
        for (config, model) in [(&self.gan, "GAN"), (&self.vae, "VAE")] {
            config.validate().map_err(invalid(model))?;
            if !config.model.is_conditional() {
                return Err(PlanError::NotConditional(model));
            }
        }
        Ok(())
    }
}

/// Why a benchmark plan cannot run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("the grid needs at least one budget, seed and arm")]
    Empty,
    #[error("ratio {0} is not in (0, 100]")]
    Ratio(f32),
    #[error("arms that add samples need at least one ratio")]
    NoRatios,
    #[error("sample confidence {0} is not in [0, 1]")]
    SampleConfidence(f32),
    #[error("the benchmark's {model}: {error}")]
    Model {
        model: &'static str,
        error: ConfigError,
    },
    #[error("the benchmark's {model} must be {expected}")]
    WrongModel {
        model: &'static str,
        expected: &'static str,
    },
    #[error("the benchmark's {0} must be conditional")]
    NotConditional(&'static str),
}

/// Why a line of a results file could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ResultLineError {
    #[error("expected 7 fields, found {found}: '{line}'")]
    Fields { found: usize, line: String },
    #[error("'{field}' is not a number in '{line}'")]
    NotANumber { field: String, line: String },
    #[error("{0}")]
    Budget(String),
    #[error("unknown arm '{0}'")]
    UnknownArm(String),
}

/// One classifier's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultRow {
    pub budget: String,
    pub seed: u64,
    pub arm: Arm,
    pub ratio: f32,
    pub real: usize,
    pub synthetic: usize,
    pub accuracy: f64,
}

impl ResultRow {
    pub const CSV_HEADER: &'static str = "budget,seed,arm,ratio,real,synthetic,accuracy";

    pub fn csv_line(&self) -> String {
        format!(
            "{},{},{},{},{},{},{:.6}",
            self.budget,
            self.seed,
            self.arm.id(),
            self.ratio,
            self.real,
            self.synthetic,
            self.accuracy
        )
    }

    pub fn parse_csv_line(line: &str) -> Result<Self, ResultLineError> {
        let f: Vec<&str> = line.trim().split(',').collect();
        if f.len() != 7 {
            return Err(ResultLineError::Fields {
                found: f.len(),
                line: line.to_string(),
            });
        }
        let number = |i: usize| -> Result<f64, ResultLineError> {
            f[i].parse::<f64>()
                .map_err(|_| ResultLineError::NotANumber {
                    field: f[i].to_string(),
                    line: line.to_string(),
                })
        };
        f[0].parse::<Budget>().map_err(ResultLineError::Budget)?;
        Ok(ResultRow {
            budget: f[0].to_string(),
            seed: number(1)? as u64,
            arm: Arm::from_id(f[2]).ok_or_else(|| ResultLineError::UnknownArm(f[2].to_string()))?,
            ratio: number(3)? as f32,
            real: number(4)? as usize,
            synthetic: number(5)? as usize,
            accuracy: number(6)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_and_shards_cover_the_grid_once() {
        let plan = BenchmarkPlan::full();
        plan.validate().unwrap();
        let all = plan.jobs(None);
        assert_eq!(all.len(), 20);
        let mut sharded: Vec<Job> = (1..=3).flat_map(|k| plan.jobs(Some((k, 3)))).collect();
        sharded.sort_by_key(|j| (j.budget, j.seed));
        let mut expected = all.clone();
        expected.sort_by_key(|j| (j.budget, j.seed));
        assert_eq!(sharded, expected);
        // 2 arms without samples, 4 sweeping arms × 4 ratios, 2 generated-only arms; at label
        // budgets also the two self-training arms and the semi-supervised GAN's samples at
        // every ratio (the semi-supervised GAN itself trains with the generators).
        assert_eq!(
            plan.arm_runs(Budget::PerClass(10)).len(),
            2 + 16 + 2 + 2 + 4
        );
        assert_eq!(plan.arm_runs(Budget::Full).len(), 2 + 16 + 2);
        assert!(plan.runs_at(Arm::Ssgan, Budget::PerClass(10)));
        assert!(!plan.runs_at(Arm::Ssgan, Budget::Full));
        assert!(!plan.trains_ssgan(Budget::Full));
        // The semi-supervised GAN is trained for its samples even when its own row is not asked.
        let samples_only = BenchmarkPlan {
            arms: vec![Arm::Classic, Arm::SelfTrainingSsgan],
            ..BenchmarkPlan::full()
        };
        assert!(samples_only.trains_ssgan(Budget::PerClass(10)));
        samples_only.validate().unwrap();
        BenchmarkPlan::quick().validate().unwrap();
    }

    #[test]
    fn rows_round_trip_through_csv() {
        let row = ResultRow {
            budget: "10".into(),
            seed: 3,
            arm: Arm::ClassicGan,
            ratio: 0.5,
            real: 100,
            synthetic: 50,
            accuracy: 0.8125,
        };
        assert_eq!(ResultRow::parse_csv_line(&row.csv_line()).unwrap(), row);
        assert!(ResultRow::parse_csv_line("10,1,nonsense,1,1,1,0.5").is_err());
        assert!(ResultRow::parse_csv_line("0,1,real,1,1,1,0.5").is_err());
    }
}
