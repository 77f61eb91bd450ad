//! What the user has chosen (data set, model, knobs, digit, drawn points) and the rules that tie
//! those choices together and to the URL. Pure: no browser, no device, so `cargo test` checks
//! the rules on the host. The page applies a [`Change`] and acts on the returned [`Outcome`].

use std::collections::HashMap;

use ganplay_model::config::image_lessons::{ImageLesson, image_lesson};
use ganplay_model::config::knobs;
use ganplay_model::config::presets::{Preset, preset};
use ganplay_model::data::toy::MAX_CUSTOM_POINTS;
use ganplay_model::{
    GanConfig, ImageModelConfig, ImageModelKind, ImageShape, ModelConfig, Scale, ToyKind,
};

use crate::features::side_by_side::Comparison;
use crate::knobs::{ChoiceKnob, NumberKnob, PAGE_VAE_LATENT, Settings};

mod layers;
#[cfg(test)]
mod tests;

pub use layers::{DeviceViews, Layer};

/// The data a model trains on: a toy 2D distribution or the bundled digits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dataset {
    Toy(ToyKind),
    Mnist,
}

impl Dataset {
    pub fn id(self) -> &'static str {
        match self {
            Dataset::Toy(k) => k.id(),
            Dataset::Mnist => "mnist",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        if id == "mnist" {
            Some(Dataset::Mnist)
        } else {
            ToyKind::from_id(id).map(Dataset::Toy)
        }
    }
}

/// Everything the user has set.
#[derive(Clone, Debug, PartialEq)]
pub struct PageState {
    pub settings: Settings,
    pub dataset: Dataset,
    /// Image model trained on digits (2D data sets always use the MLP GAN of the knobs).
    pub model: ImageModelKind,
    /// Class shown by conditional models; `None`: one row per class.
    pub class: Option<usize>,
    pub drawn_points: Vec<[f32; 2]>,
    /// The lesson (preset) whose settings are in place, until a setting changes.
    pub preset: Option<&'static str>,
    /// Layers of the 2D plot switched off, in [`Layer::ALL`]'s order (URL `hide=surface,real`).
    pub hidden_layers: Vec<Layer>,
    /// Refused text and its reason, per knob.
    pub knob_errors: HashMap<NumberKnob, (String, String)>,
    /// 2D data: a second run, side by side, that differs in one knob (URL `compare=`).
    pub compare: Option<Comparison>,
}

/// One thing the user did.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Dataset(String),
    Model(String),
    /// Text typed into a number knob.
    Number(NumberKnob, String),
    Choice(ChoiceKnob, String),
    /// `"all"` or a digit.
    Class(String),
    AddPoint([f32; 2]),
    /// A layer of the 2D plot switched on (`true`) or off.
    Layer(Layer, bool),
    /// A preset's data set and every knob, by id (`""`: none).
    Preset(String),
    /// A second run side by side, or none.
    Compare(Option<Comparison>),
    ClearPoints,
    LoadPoints(Vec<[f32; 2]>),
    /// A model built from a weight file takes over: its data set, model and knobs.
    Adopt {
        dataset: Dataset,
        config: Box<ModelConfig>,
    },
}

/// What the page must do after a change.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    /// New weights for the new settings (step 0).
    pub rebuild: bool,
    /// The same model, drawn again: for another class, or with other layers.
    pub redraw: bool,
    /// URL parameters to write, so a link reproduces the set-up.
    pub url: Vec<(&'static str, String)>,
    /// Why the change was refused, for the error banner.
    pub error: Option<String>,
}

impl Outcome {
    fn rebuild(url: Vec<(&'static str, String)>) -> Self {
        Outcome {
            rebuild: true,
            url,
            ..Outcome::default()
        }
    }
}

/// The id of a lesson, 2D preset or lesson on the digits.
fn lesson_id(id: &str) -> Option<&'static str> {
    preset(id)
        .map(|p| p.id)
        .or_else(|| image_lesson(id).map(|l| l.id))
}

impl PageState {
    /// The state a link describes; `get` reads a URL parameter. Unknown or out-of-range values
    /// are ignored.
    pub fn from_url(get: impl Fn(&str) -> Option<String>) -> Self {
        let mut settings = Settings::new(GanConfig::default(), ToyKind::Ring8.default_sigma());
        for knob in ChoiceKnob::all() {
            if let Some(v) = get(knob.test_id()) {
                knob.apply(&mut settings, &v);
            }
        }
        for knob in NumberKnob::all() {
            if let Some(v) = get(knob.test_id()) {
                let _ = knob.apply(&mut settings, &v);
            }
        }
        let dataset = get("dataset").and_then(|d| Dataset::from_id(&d));
        let hidden = get("hide").unwrap_or_default();
        let hidden_layers = Layer::ALL
            .into_iter()
            .filter(|l| hidden.split(',').any(|id| Layer::from_id(id) == Some(*l)))
            .collect();
        let model = get("model").and_then(|m| ImageModelKind::from_id(&m));
        PageState {
            settings,
            dataset: dataset.unwrap_or(Dataset::Toy(ToyKind::Ring8)),
            model: model.unwrap_or(ImageModelKind::GanMlp),
            class: None,
            drawn_points: Vec::new(),
            preset: get("preset").and_then(|id| lesson_id(&id)),
            hidden_layers,
            knob_errors: HashMap::new(),
            compare: get("compare").and_then(|c| Comparison::from_url(&c)),
        }
    }

    /// Run B's knobs, when a side-by-side run is asked for and the data is 2D.
    pub fn compare_config(&self) -> Option<GanConfig> {
        match (&self.compare, self.dataset) {
            (Some(c), Dataset::Toy(_)) => Some(c.config(&self.settings)),
            _ => None,
        }
    }

    pub fn shows(&self, layer: Layer) -> bool {
        !self.hidden_layers.contains(&layer)
    }

    /// The bundled weight file for the chosen data and model (`web/weights/<name>.safetensors`)
    /// and what to call it in messages: each image model has one, and each bundled 2D shape one
    /// (trained by `scripts/pretrain-2d.sh`); drawn points have none.
    /// VAEs have one at the page's 2-D latent, and the plain VAE one at 16-D (`vae-16d`).
    pub fn bundled_weights(&self) -> Option<(String, String)> {
        match self.dataset {
            Dataset::Mnist
                if self.model.is_vae() && self.settings.vae_latent != PAGE_VAE_LATENT =>
            {
                (self.model == ImageModelKind::Vae && self.settings.vae_latent == 16)
                    .then(|| ("vae-16d".to_string(), "VAE with a 16-D latent".to_string()))
            }
            Dataset::Mnist => Some((self.model.id().to_string(), self.model.label().to_string())),
            Dataset::Toy(ToyKind::Custom) => None,
            Dataset::Toy(kind) => Some((
                format!("toy-{}", kind.id()),
                format!("{} 2D GAN", kind.label()),
            )),
        }
    }

    /// The layers whose data the device computes at each redraw.
    pub fn device_views(&self) -> DeviceViews {
        DeviceViews {
            surface: self.shows(Layer::Surface),
            manifold: self.shows(Layer::Manifold),
            arrows: self.shows(Layer::Generated) && self.shows(Layer::Arrows),
        }
    }

    pub fn images(&self) -> bool {
        self.dataset == Dataset::Mnist
    }

    pub fn drawing(&self) -> bool {
        self.dataset == Dataset::Toy(ToyKind::Custom)
    }

    /// The page-size preset of the chosen image model, with the seed knob's seed and, for
    /// image GANs, the GAN knobs (the conditional GAN's class loss for it alone).
    pub fn image_config(&self) -> ImageModelConfig {
        let preset = ImageModelConfig::preset(self.model, Scale::Page, ImageShape::MNIST);
        let labels_per_class = if self.model.is_semi_supervised() {
            self.settings.labels_per_class
        } else {
            preset.labels_per_class
        };
        let (consistency, classifier_ema) = match self.model {
            ImageModelKind::Ssgan => (self.settings.consistency(), self.settings.classifier_ema),
            _ => (preset.consistency, preset.classifier_ema),
        };
        // The 2D knobs' learning-rate decay, which the CLI's flags also set for these models.
        let lr_decay = if self.model.is_semi_supervised() {
            self.settings.config.lr_decay
        } else {
            preset.lr_decay
        };
        let learning_rate = match self.settings.semi_supervised_lr {
            rate if rate > 0.0 && self.model.is_semi_supervised() => rate,
            _ => preset.learning_rate,
        };
        let config = ImageModelConfig {
            seed: self.settings.config.seed,
            learning_rate,
            labels_per_class,
            consistency,
            classifier_ema,
            lr_decay,
            ..preset
        };
        if self.model.is_vae() {
            return ImageModelConfig {
                latent_dim: self.settings.vae_latent,
                ..config
            };
        }
        if !self.image_gan() {
            return config;
        }
        let s = &self.settings;
        ImageModelConfig {
            ema: s.ema,
            loss: s.image_loss.filter(|loss| *loss != self.model.loss()),
            spectral_norm: s.spectral_norm,
            d_learning_rate: (s.image_d_lr > 0.0).then_some(s.image_d_lr),
            auxiliary_classifier: if self.model == ImageModelKind::Cgan {
                s.auxiliary_classifier
            } else {
                0.0
            },
            ..config
        }
    }

    /// Whether the chosen image model is a GAN, which the image GANs' knobs apply to.
    pub fn image_gan(&self) -> bool {
        self.images() && !self.model.is_vae() && !self.model.is_semi_supervised()
    }

    /// The text a number knob shows: the refused text while it is refused.
    pub fn knob_text(&self, knob: NumberKnob) -> String {
        self.knob_errors
            .get(&knob)
            .map_or_else(|| knob.current(&self.settings), |(t, _)| t.clone())
    }

    pub fn apply(&mut self, change: Change) -> Outcome {
        // A preset's explanation holds for its settings only: any other change leaves the lesson.
        let leaves_preset = matches!(
            change,
            Change::Dataset(_) | Change::Model(_) | Change::Number(..) | Change::Choice(..)
        );
        let mut outcome = self.apply_change(change);
        if leaves_preset && self.preset.take().is_some() {
            outcome.url.push(("preset", String::new()));
        }
        outcome
    }

    /// The URL pairs of the data set and of every 2D knob.
    fn toy_url(&self) -> Vec<(&'static str, String)> {
        let mut url = vec![
            ("dataset", self.dataset.id().to_string()),
            ("model", self.model.id().to_string()),
        ];
        url.extend(
            NumberKnob::all()
                .filter(|k| k.shown_in_2d())
                .map(|k| (k.test_id(), k.current(&self.settings))),
        );
        url.extend(ChoiceKnob::toy().map(|k| (k.test_id(), k.current(&self.settings))));
        url
    }

    /// The URL pairs of the image GANs' knobs.
    fn image_gan_url(&self) -> Vec<(&'static str, String)> {
        let numbers = NumberKnob::IMAGE_GAN
            .iter()
            .map(|k| (k.test_id(), k.current(&self.settings)));
        let choices = ChoiceKnob::IMAGE_GAN
            .iter()
            .map(|k| (k.test_id(), k.current(&self.settings)));
        numbers.chain(choices).collect()
    }

    /// The semi-supervised models' knobs (the consistency loss is the GAN's).
    pub fn semi_supervised_knobs(&self) -> Vec<NumberKnob> {
        let mut knobs = vec![
            NumberKnob::LabelsPerClass,
            NumberKnob::SemiSupervisedLearningRate,
            NumberKnob::gan(&knobs::LR_DECAY_START),
            NumberKnob::gan(&knobs::LR_DECAY_STEPS),
        ];
        if self.model == ImageModelKind::Ssgan {
            knobs.extend([
                NumberKnob::ConsistencyWeight,
                NumberKnob::ConsistencyThreshold,
                NumberKnob::ClassifierEma,
            ]);
        }
        knobs
    }

    /// The URL pairs of the semi-supervised models' knobs.
    fn semi_supervised_url(&self) -> Vec<(&'static str, String)> {
        let knobs = self.semi_supervised_knobs();
        knobs
            .into_iter()
            .map(|k| (k.test_id(), k.current(&self.settings)))
            .collect()
    }

    fn apply_image_lesson(&mut self, l: ImageLesson) -> Outcome {
        self.dataset = Dataset::Mnist;
        self.model = l.model;
        self.settings.labels_per_class = l.labels_per_class;
        self.settings.adopt_consistency(l.consistency);
        self.settings.classifier_ema = l.classifier_ema;
        self.settings.semi_supervised_lr = l.learning_rate;
        self.settings.config.lr_decay = l.lr_decay;
        self.settings.config.seed = l.seed;
        self.knob_errors.clear();
        self.preset = Some(l.id);
        let mut url = vec![
            ("dataset", Dataset::Mnist.id().to_string()),
            ("model", l.model.id().to_string()),
        ];
        url.extend(self.semi_supervised_url());
        url.push((NumberKnob::seed().test_id(), l.seed.to_string()));
        url.push(("preset", l.id.to_string()));
        Outcome::rebuild(url)
    }

    fn apply_preset(&mut self, p: Preset) -> Outcome {
        self.dataset = Dataset::Toy(p.dataset);
        self.model = ImageModelKind::GanMlp;
        self.settings = Settings {
            config: p.config,
            sigma: p.sigma,
            ..self.settings.clone()
        };
        self.knob_errors.clear();
        self.preset = Some(p.id);
        let mut url = self.toy_url();
        url.push(("preset", p.id.to_string()));
        Outcome::rebuild(url)
    }

    fn apply_change(&mut self, change: Change) -> Outcome {
        match change {
            Change::Compare(compare) => {
                let url = compare.as_ref().map(Comparison::to_url).unwrap_or_default();
                self.compare = compare;
                // Both runs start again from step 0, so they stay in lockstep.
                Outcome::rebuild(vec![("compare", url)])
            }
            Change::Preset(id) => match (preset(&id), image_lesson(&id)) {
                (Some(p), _) => self.apply_preset(p),
                (None, Some(l)) => self.apply_image_lesson(l),
                (None, None) => {
                    self.preset = None;
                    Outcome {
                        url: vec![("preset", String::new())],
                        ..Outcome::default()
                    }
                }
            },
            Change::Dataset(id) => {
                let Some(dataset) = Dataset::from_id(&id) else {
                    return Outcome::default();
                };
                self.dataset = dataset;
                let mut url = vec![("dataset", dataset.id().to_string())];
                if dataset != Dataset::Mnist {
                    // Only the MLP GAN trains on 2D points.
                    self.model = ImageModelKind::GanMlp;
                    url.push(("model", self.model.id().to_string()));
                }
                Outcome::rebuild(url)
            }
            Change::Model(id) => {
                let Some(model) = ImageModelKind::from_id(&id) else {
                    return Outcome::default();
                };
                self.model = model;
                let mut url = vec![("model", model.id().to_string())];
                if model != ImageModelKind::GanMlp && !self.images() {
                    // The image models need images: switch to the digits.
                    self.dataset = Dataset::Mnist;
                    url.push(("dataset", "mnist".to_string()));
                }
                Outcome::rebuild(url)
            }
            Change::Number(knob, text) => {
                let mut trial = self.settings.clone();
                match knob.apply(&mut trial, &text) {
                    Ok(()) => {
                        self.knob_errors.remove(&knob);
                        let url = vec![(knob.test_id(), knob.current(&trial))];
                        let changed = trial != self.settings;
                        self.settings = trial;
                        Outcome {
                            rebuild: changed,
                            url,
                            ..Outcome::default()
                        }
                    }
                    Err(why) => {
                        self.knob_errors.insert(knob, (text, why));
                        Outcome::default()
                    }
                }
            }
            Change::Choice(knob, id) => {
                knob.apply(&mut self.settings, &id);
                Outcome::rebuild(vec![(
                    knob.test_id(),
                    knob.current(&self.settings).to_string(),
                )])
            }
            Change::Layer(layer, on) => {
                let hidden: Vec<Layer> = Layer::ALL
                    .into_iter()
                    .filter(|l| if *l == layer { !on } else { !self.shows(*l) })
                    .collect();
                let ids: Vec<&str> = hidden.iter().map(|l| l.id()).collect();
                self.hidden_layers = hidden;
                Outcome {
                    redraw: true,
                    url: vec![("hide", ids.join(","))],
                    ..Outcome::default()
                }
            }
            Change::Class(id) => {
                self.class = id.parse().ok();
                Outcome {
                    redraw: true,
                    ..Outcome::default()
                }
            }
            Change::AddPoint(_) | Change::ClearPoints if !self.drawing() => Outcome::default(),
            Change::AddPoint(_) if self.drawn_points.len() >= MAX_CUSTOM_POINTS => Outcome {
                error: Some(format!(
                    "A drawn distribution holds at most {MAX_CUSTOM_POINTS} points."
                )),
                ..Outcome::default()
            },
            Change::AddPoint(p) => {
                self.drawn_points.push(p);
                Outcome::rebuild(Vec::new())
            }
            Change::ClearPoints => {
                self.drawn_points.clear();
                Outcome::rebuild(Vec::new())
            }
            Change::LoadPoints(points) => {
                self.drawn_points = points;
                self.dataset = Dataset::Toy(ToyKind::Custom);
                Outcome::rebuild(vec![("dataset", "custom".to_string())])
            }
            Change::Adopt { dataset, config } => {
                self.dataset = dataset;
                let mut url = vec![("dataset", dataset.id().to_string())];
                match *config {
                    ModelConfig::Toy(config) => {
                        self.model = ImageModelKind::GanMlp;
                        self.settings.config = config;
                    }
                    ModelConfig::Image(config) => {
                        self.model = config.model;
                        if self.image_gan() {
                            self.settings.adopt_image_gan_options(&config);
                            url.extend(self.image_gan_url());
                        }
                        if config.model.is_semi_supervised() {
                            self.settings.adopt_semi_supervised_options(&config);
                            url.extend(self.semi_supervised_url());
                        }
                        if config.model.is_vae() {
                            self.settings.vae_latent = config.latent_dim;
                            let knob = NumberKnob::VaeLatent;
                            url.push((knob.test_id(), knob.current(&self.settings)));
                        }
                    }
                }
                url.insert(1, ("model", self.model.id().to_string()));
                Outcome {
                    url,
                    ..Outcome::default()
                }
            }
        }
    }
}
