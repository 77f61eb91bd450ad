//! The benchmark as a state machine that advances a few training steps per call, so the CLI
//! (in a loop with a progress bar) and the page (between animation frames, cancellable) run the
//! same code.

use std::sync::Arc;

use burn::tensor::Device;

use super::{Arm, ArmRun, BenchmarkPlan, Budget, Job, PlanError, ResultRow, Source};
use crate::classifier::fit::SelfTraining;
use crate::classifier::{ClassifierError, ClassifierTraining, FitOptions, embed};
use crate::config::image::ImageModelConfig;
use crate::config::{ConfigError, Consistency, LrDecay};
use crate::data::classic_augmentation::ClassicAugmentation;
use crate::data::images::{ImageData, ImageSet, ImageSetError};
use crate::data::subset::labelled_subset;
use crate::metrics::{AccuracyError, classify, test_accuracy};
use crate::sample::SampleError;
use crate::sample::images::generate_images;
use crate::sample::readback::ReadBackError;
use crate::train::TrainSession;

/// Why the benchmark stopped.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("the training and test images must have the classifier's shape")]
    Shape,
    #[error(transparent)]
    Data(#[from] ImageSetError),
    #[error(transparent)]
    Model(#[from] ConfigError),
    #[error(transparent)]
    Classifier(#[from] ClassifierError),
    #[error(transparent)]
    Accuracy(#[from] AccuracyError),
    #[error(transparent)]
    Sample(#[from] SampleError),
    #[error(transparent)]
    ReadBack(#[from] ReadBackError),
    #[error("the benchmark's generators must be conditional")]
    Unconditional,
    #[error("the semi-supervised GAN's samples are missing")]
    MissingSamples,
}

/// Where a run stands, for progress bars.
#[derive(Clone, Debug, PartialEq)]
pub struct RunProgress {
    pub steps_done: u64,
    pub steps_total: u64,
    /// What is being trained now, in words.
    pub doing: String,
}

pub struct BenchmarkRun {
    plan: BenchmarkPlan,
    jobs: Vec<Job>,
    device: Device,
    train: Arc<ImageSet>,
    test: Arc<ImageSet>,
    job: usize,
    phase: Phase,
    rows: Vec<ResultRow>,
    steps_done: u64,
}

/// The current job's stage.
enum Phase {
    /// Draw the subset, build the generators.
    Start,
    Generators(Box<JobState>),
    Classifiers(Box<JobState>),
    Finished,
}

/// One job's data and models.
struct JobState {
    subset: Arc<ImageSet>,
    gan: Option<Generator>,
    vae: Option<Generator>,
    /// The semi-supervised GAN: its row is written once it is trained.
    ssgan: Option<Generator>,
    /// Its samples, once it is trained, for the arms that use them.
    ssgan_samples: Option<SsganSamples>,
    /// The semi-supervised GAN with the consistency loss.
    ssgan_consistency: Option<Generator>,
    /// Its discriminator with the consistency loss and no GAN.
    consistency_without_gan: Option<Generator>,
    /// The semi-supervised VAE.
    m2: Option<Generator>,
    runs: Vec<ArmRun>,
    next_run: usize,
    current: Option<(ArmRun, ClassifierTraining, u64)>,
}

/// The semi-supervised GAN's samples, each labelled by its discriminator.
struct SsganSamples {
    /// The whole training split followed by every sample: the self-training pool of the arm
    /// that adds samples to it.
    pool_with_samples: Arc<ImageSet>,
    samples: usize,
    /// The samples whose label the discriminator is confident of, in the order drawn (there
    /// may be none).
    confident_pixels: Vec<u8>,
    confident_labels: Vec<u8>,
}

struct Generator {
    session: TrainSession,
    steps: u64,
    target: u64,
    /// Samples, generated once training is done: enough for the largest ratio.
    pool: Option<ImageSet>,
}

impl BenchmarkRun {
    pub fn new(
        plan: BenchmarkPlan,
        jobs: Vec<Job>,
        train: Arc<ImageSet>,
        test: Arc<ImageSet>,
        device: &Device,
    ) -> Result<Self, BenchError> {
        plan.validate()?;
        if train.shape != plan.classifier.image || test.shape != train.shape {
            return Err(BenchError::Shape);
        }
        Ok(BenchmarkRun {
            plan,
            jobs,
            device: device.clone(),
            train,
            test,
            job: 0,
            phase: Phase::Start,
            rows: Vec::new(),
            steps_done: 0,
        })
    }

    pub fn rows(&self) -> &[ResultRow] {
        &self.rows
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.phase, Phase::Finished)
    }

    pub fn progress(&self) -> RunProgress {
        let doing = match (&self.phase, self.jobs.get(self.job)) {
            (Phase::Finished, _) | (_, None) => "finished".to_string(),
            (Phase::Start, Some(job)) => format!(
                "budget {} seed {}: drawing the subset",
                job.budget, job.seed
            ),
            (Phase::Generators(state), Some(job)) => {
                let busy = |g: &Option<Generator>| g.as_ref().is_some_and(|g| g.steps < g.target);
                let what = if busy(&state.gan) {
                    "training the cGAN"
                } else if busy(&state.vae) {
                    "training the cVAE"
                } else if busy(&state.ssgan) {
                    "training the semi-supervised GAN"
                } else if busy(&state.m2) {
                    "training the semi-supervised VAE"
                } else if busy(&state.consistency_without_gan) {
                    "training the discriminator with the consistency loss, no GAN"
                } else {
                    "training the semi-supervised GAN with the consistency loss"
                };
                format!("budget {} seed {}: {what}", job.budget, job.seed)
            }
            (Phase::Classifiers(state), Some(job)) => match &state.current {
                Some((run, _, _)) => format!(
                    "budget {} seed {}: classifier on {} (ratio {})",
                    job.budget,
                    job.seed,
                    run.arm.label(),
                    run.ratio
                ),
                None => format!("budget {} seed {}: classifiers", job.budget, job.seed),
            },
        };
        RunProgress {
            steps_done: self.steps_done,
            steps_total: self
                .jobs
                .iter()
                .map(|job| self.plan.steps_per_job(job.budget))
                .sum(),
            doing,
        }
    }

    /// Does up to `max_steps` training steps (or one stage change), then returns; new result
    /// rows appear in [`Self::rows`].
    pub async fn advance(&mut self, max_steps: u64) -> Result<(), BenchError> {
        let phase = std::mem::replace(&mut self.phase, Phase::Finished);
        self.phase = match phase {
            Phase::Finished => Phase::Finished,
            Phase::Start => match self.jobs.get(self.job).copied() {
                None => Phase::Finished,
                Some(job) => Phase::Generators(Box::new(self.start_job(job)?)),
            },
            Phase::Generators(mut state) => {
                let mut budget = max_steps;
                let generators = [
                    &mut state.gan,
                    &mut state.vae,
                    &mut state.ssgan,
                    &mut state.ssgan_consistency,
                    &mut state.consistency_without_gan,
                    &mut state.m2,
                ];
                for generator in generators.into_iter().flatten() {
                    while generator.steps < generator.target && budget > 0 {
                        generator.session.step();
                        generator.steps += 1;
                        budget -= 1;
                        self.steps_done += 1;
                    }
                }
                let trained = [
                    &state.gan,
                    &state.vae,
                    &state.ssgan,
                    &state.ssgan_consistency,
                    &state.consistency_without_gan,
                    &state.m2,
                ]
                .into_iter()
                .flatten()
                .all(|g| g.steps >= g.target);
                if trained {
                    let pool_size = self.pool_size(state.subset.len());
                    let job = self.jobs[self.job];
                    let semi_supervised = [
                        (Arm::Ssgan, &state.ssgan),
                        (Arm::SsganConsistency, &state.ssgan_consistency),
                        (Arm::ConsistencyWithoutGan, &state.consistency_without_gan),
                        (Arm::M2, &state.m2),
                    ];
                    for (arm, generator) in semi_supervised {
                        let Some(generator) = generator.as_ref() else {
                            continue;
                        };
                        if self.plan.arms.contains(&arm) {
                            let result = test_accuracy(&generator.session, &self.test).await?;
                            self.rows.push(ResultRow {
                                budget: job.budget.to_string(),
                                seed: job.seed,
                                arm,
                                ratio: 0.0,
                                real: state.subset.len(),
                                synthetic: 0,
                                accuracy: result.accuracy,
                            });
                        }
                    }
                    let seed = job.seed;
                    let samples_wanted = self.plan.arms.iter().any(|a| a.uses_ssgan_samples());
                    if let Some(ssgan) = state.ssgan.as_ref().filter(|_| samples_wanted) {
                        state.ssgan_samples =
                            Some(self.ssgan_samples(&ssgan.session, pool_size, seed).await?);
                    }
                    for generator in [&mut state.gan, &mut state.vae].into_iter().flatten() {
                        generator.pool =
                            Some(sample_pool(&generator.session, pool_size, seed).await?);
                    }
                    Phase::Classifiers(state)
                } else {
                    Phase::Generators(state)
                }
            }
            Phase::Classifiers(mut state) => {
                if state.current.is_none() {
                    match state.runs.get(state.next_run).copied() {
                        Some(run) => {
                            let training = self.classifier_for(&state, run)?;
                            state.current = Some((run, training, 0));
                            state.next_run += 1;
                        }
                        None => {
                            self.job += 1;
                            self.phase = Phase::Start;
                            return Ok(());
                        }
                    }
                }
                let (run, training, steps) = state.current.as_mut().expect("set above");
                let target = self.plan.steps_of(*run);
                let mut budget = max_steps;
                while *steps < target && budget > 0 {
                    training.step();
                    *steps += 1;
                    budget -= 1;
                    self.steps_done += 1;
                }
                if *steps >= target {
                    let run = *run;
                    let net = training.classifier();
                    let seen =
                        embed(&net, &self.test.pixels, self.test.shape.len(), &self.device).await?;
                    let (real, synthetic) = self.sizes(&state, run);
                    self.rows.push(ResultRow {
                        budget: self.jobs[self.job].budget.to_string(),
                        seed: self.jobs[self.job].seed,
                        arm: run.arm,
                        ratio: run.ratio,
                        real,
                        synthetic,
                        accuracy: seen.accuracy(&self.test.labels),
                    });
                    state.current = None;
                }
                Phase::Classifiers(state)
            }
        };
        Ok(())
    }

    fn start_job(&self, job: Job) -> Result<JobState, BenchError> {
        let subset = Arc::new(match job.budget {
            Budget::PerClass(n) => labelled_subset(&self.train, n, job.seed)?,
            Budget::Full => ImageSet::clone(&self.train),
        });
        let generator = |config: &ImageModelConfig, steps: u64| -> Result<Generator, BenchError> {
            let config = ImageModelConfig {
                seed: job.seed,
                class_names: subset.class_names.clone(),
                ..config.clone()
            };
            let data = ImageData::new(subset.clone(), config.model.normalisation());
            let session = TrainSession::new(config, Box::new(data), &self.device)?;
            Ok(Generator {
                session,
                steps: 0,
                target: steps,
                pool: None,
            })
        };
        let semi_supervised =
            |wanted: bool, model: &ImageModelConfig, consistency: Consistency| match job.budget {
                Budget::PerClass(n) if wanted => {
                    // Labelled: the same subset as every other arm (same draw, same seed); the
                    // whole training split besides, unlabelled.
                    // The learning rates fall over the second half of the arm's steps (the paper
                    // decays them to the end of training too).
                    let half = self.plan.ssgan_steps / 2;
                    let config = ImageModelConfig {
                        seed: job.seed,
                        labels_per_class: n,
                        class_names: self.train.class_names.clone(),
                        lr_decay: LrDecay {
                            start: half,
                            steps: half,
                        },
                        consistency,
                        ..model.clone()
                    };
                    let data = ImageData::new(self.train.clone(), config.model.normalisation());
                    let session = TrainSession::new(config, Box::new(data), &self.device)?;
                    Ok(Some(Generator {
                        session,
                        steps: 0,
                        target: self.plan.ssgan_steps,
                        pool: None,
                    }))
                }
                _ => Ok::<_, BenchError>(None),
            };
        Ok(JobState {
            ssgan: semi_supervised(
                self.plan.trains_ssgan(job.budget),
                &self.plan.ssgan,
                Consistency::default(),
            )?,
            ssgan_consistency: semi_supervised(
                self.plan.runs_at(Arm::SsganConsistency, job.budget),
                &self.plan.ssgan,
                Consistency::FIXMATCH,
            )?,
            consistency_without_gan: semi_supervised(
                self.plan.runs_at(Arm::ConsistencyWithoutGan, job.budget),
                &ImageModelConfig {
                    unsupervised_weight: 0.0,
                    ..self.plan.ssgan.clone()
                },
                Consistency::FIXMATCH,
            )?,
            m2: semi_supervised(
                self.plan.runs_at(Arm::M2, job.budget),
                &self.plan.m2,
                Consistency::default(),
            )?,
            ssgan_samples: None,
            gan: if self.plan.needs(Source::Gan) {
                Some(generator(&self.plan.gan, self.plan.gan_steps)?)
            } else {
                None
            },
            vae: if self.plan.needs(Source::Vae) {
                Some(generator(&self.plan.vae, self.plan.vae_steps)?)
            } else {
                None
            },
            subset,
            runs: self.plan.arm_runs(job.budget),
            next_run: 0,
            current: None,
        })
    }

    /// Samples each generator makes: enough for the largest ratio and for the generated-only
    /// arms (as many as the real subset).
    fn pool_size(&self, real: usize) -> usize {
        let largest = self.plan.ratios.iter().fold(1.0f32, |a, b| a.max(*b));
        (largest * real as f32).ceil() as usize
    }

    /// `pool_size` samples of the trained semi-supervised GAN labelled with confidence (fewer
    /// if not that many are), and as many samples as the training split for the self-training
    /// pool.
    async fn ssgan_samples(
        &self,
        session: &TrainSession,
        pool_size: usize,
        seed: u64,
    ) -> Result<SsganSamples, BenchError> {
        let count = self.train.len().max(2 * pool_size);
        let generated = generate_images(session, count, None, seed.wrapping_add(0x55)).await?;
        let shape = self.train.shape;
        let unlabelled = ImageSet::new(
            shape,
            generated.pixels,
            vec![0; count],
            self.train.class_names.clone(),
        )?;
        let predicted = classify(session, &unlabelled).await?;
        let (mut pixels, mut labels) = (Vec::new(), Vec::new());
        for (i, (class, confidence)) in predicted.iter().enumerate() {
            if *confidence >= self.plan.ssgan_sample_confidence && labels.len() < pool_size {
                pixels.extend_from_slice(unlabelled.image(i));
                labels.push(*class as u8);
            }
        }
        let pool_with_samples = ImageSet::new(
            shape,
            [self.train.pixels.as_slice(), &unlabelled.pixels].concat(),
            [self.train.labels.as_slice(), &unlabelled.labels].concat(),
            self.train.class_names.clone(),
        )?;
        Ok(SsganSamples {
            pool_with_samples: Arc::new(pool_with_samples),
            samples: count,
            confident_pixels: pixels,
            confident_labels: labels,
        })
    }

    /// The generated examples (pixels, labels) an arm run draws its labelled samples from.
    fn pool_of<'a>(&self, state: &'a JobState, arm: Arm) -> Option<(&'a [u8], &'a [u8])> {
        let generated = |g: &'a Option<Generator>| {
            g.as_ref()
                .and_then(|g| g.pool.as_ref())
                .map(|p| (p.pixels.as_slice(), p.labels.as_slice()))
        };
        match arm.source() {
            Some(Source::Gan) => generated(&state.gan),
            Some(Source::Vae) => generated(&state.vae),
            Some(Source::Ssgan) => state
                .ssgan_samples
                .as_ref()
                .map(|s| (s.confident_pixels.as_slice(), s.confident_labels.as_slice())),
            None => None,
        }
    }

    /// Real and synthetic examples of an arm run (synthetic: labelled samples added to the
    /// real ones, or for self-training on samples, those added to the unlabelled pool).
    fn sizes(&self, state: &JobState, run: ArmRun) -> (usize, usize) {
        let real = if run.arm.includes_real() {
            state.subset.len()
        } else {
            0
        };
        let synthetic = match (run.arm, self.pool_of(state, run.arm)) {
            (Arm::SelfTrainingSsgan, _) => state.ssgan_samples.as_ref().map_or(0, |s| s.samples),
            (_, Some((_, labels))) => {
                ((run.ratio * state.subset.len() as f32).round() as usize).min(labels.len())
            }
            (_, None) => 0,
        };
        (real, synthetic)
    }

    fn classifier_for(
        &self,
        state: &JobState,
        run: ArmRun,
    ) -> Result<ClassifierTraining, BenchError> {
        let (real, synthetic) = self.sizes(state, run);
        let pool = self.pool_of(state, run.arm);
        let mut pixels = Vec::new();
        let mut labels = Vec::new();
        if real > 0 {
            pixels.extend_from_slice(&state.subset.pixels);
            labels.extend_from_slice(&state.subset.labels);
        }
        if let Some((pool_pixels, pool_labels)) = pool {
            pixels.extend_from_slice(&pool_pixels[..synthetic * state.subset.shape.len()]);
            labels.extend_from_slice(&pool_labels[..synthetic]);
        }
        let data = ImageSet::new(
            state.subset.shape,
            pixels,
            labels,
            state.subset.class_names.clone(),
        )?;
        let options = FitOptions {
            batch_size: self.plan.classifier_batch,
            seed: self.jobs[self.job].seed,
            augmentation: run.arm.classic().then_some(ClassicAugmentation::DIGITS),
            self_training: match run.arm {
                Arm::SelfTraining => Some(SelfTraining::fixmatch(self.train.clone())),
                Arm::SelfTrainingSsgan => Some(SelfTraining::fixmatch(
                    state
                        .ssgan_samples
                        .as_ref()
                        .ok_or(BenchError::MissingSamples)?
                        .pool_with_samples
                        .clone(),
                )),
                _ => None,
            },
            ..FitOptions::default()
        };
        let training =
            ClassifierTraining::new(&self.plan.classifier, Arc::new(data), options, &self.device)?;
        Ok(training)
    }
}

/// `count` samples of a conditional generator, the classes in turn, labelled with the class
/// asked for.
async fn sample_pool(
    session: &TrainSession,
    count: usize,
    seed: u64,
) -> Result<ImageSet, BenchError> {
    let generated = generate_images(session, count, None, seed.wrapping_add(0xB00C)).await?;
    let labels = generated.labels.ok_or(BenchError::Unconditional)?;
    let config = session
        .config()
        .image()
        .ok_or(SampleError::NotAnImageModel)?;
    Ok(ImageSet::new(
        config.image,
        generated.pixels,
        labels,
        config.class_names.clone(),
    )?)
}
