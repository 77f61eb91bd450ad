//! The rules of [`PageState`], checked on the host.

use ganplay_model::config::knobs::{self, GanKnob};

use super::*;

fn state(query: &[(&str, &str)]) -> PageState {
    let query: HashMap<String, String> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    PageState::from_url(|key| query.get(key).cloned())
}

#[test]
fn a_link_reproduces_the_set_up_and_ignores_nonsense() {
    let s = state(&[
        ("dataset", "grid25"),
        ("loss-select", "hinge"),
        ("g-neurons", "32"),
    ]);
    assert_eq!(s.dataset, Dataset::Toy(ToyKind::Grid25));
    assert_eq!(s.settings.config.generator.neurons, 32);
    assert_eq!(
        ChoiceKnob::Gan(GanKnob(&knobs::LOSS)).current(&s.settings),
        "hinge"
    );
    let s = state(&[
        ("dataset", "nope"),
        ("g-neurons", "100000"),
        ("model", "??"),
    ]);
    assert_eq!(s, state(&[]));
    assert_eq!(s.dataset, Dataset::Toy(ToyKind::Ring8));
}

#[test]
fn layers_switch_without_new_weights_and_stay_in_the_link() {
    let mut s = state(&[("hide", "surface,nonsense")]);
    assert_eq!(s.hidden_layers, vec![Layer::Surface]);
    let out = s.apply(Change::Layer(Layer::Real, false));
    assert!(out.redraw && !out.rebuild);
    assert_eq!(out.url, vec![("hide", "real,surface".to_string())]);
    assert!(!s.shows(Layer::Real) && s.shows(Layer::Generated));
    let out = s.apply(Change::Layer(Layer::Surface, true));
    assert_eq!(out.url, vec![("hide", "real".to_string())]);
    assert_eq!(state(&[("hide", "real")]), s);
}

#[test]
fn every_data_set_but_drawn_points_has_bundled_weights() {
    let name = |q: &[(&str, &str)]| state(q).bundled_weights().map(|(name, _)| name);
    assert_eq!(name(&[]), Some("toy-ring8".into()));
    assert_eq!(name(&[("dataset", "grid25")]), Some("toy-grid25".into()));
    assert_eq!(name(&[("dataset", "custom")]), None);
    assert_eq!(
        name(&[("dataset", "mnist"), ("model", "cvae")]),
        Some("cvae".into())
    );
}

#[test]
fn a_side_by_side_run_starts_both_again_and_stays_in_the_link() {
    let mut s = state(&[]);
    assert_eq!(s.compare_config(), None);
    let c = Comparison::new(ChoiceKnob::Gan(GanKnob(&knobs::LOSS)), "nonsaturating").unwrap();
    let out = s.apply(Change::Compare(Some(c.clone())));
    assert!(out.rebuild);
    assert_eq!(
        out.url,
        vec![("compare", "loss-select.nonsaturating".to_string())]
    );
    assert_eq!(
        s.compare_config().unwrap().loss,
        ganplay_model::config::LossKind::NonSaturating
    );
    assert_eq!(state(&[("compare", "loss-select.nonsaturating")]), s);
    // Digits have no side-by-side run; the choice waits for 2D data.
    let digits = state(&[("compare", "loss-select.hinge"), ("dataset", "mnist")]);
    assert_eq!(digits.compare_config(), None);
    let out = s.apply(Change::Compare(None));
    assert_eq!(out.url, vec![("compare", String::new())]);
}

#[test]
fn hidden_layers_cost_no_device_work() {
    assert_eq!(state(&[]).device_views(), DeviceViews::default());
    let s = state(&[("hide", "manifold,surface")]);
    assert_eq!(
        s.device_views(),
        DeviceViews {
            surface: false,
            manifold: false,
            arrows: true
        }
    );
    // Arrows hang on generated points: without the points there is nothing to push.
    let s = state(&[("hide", "generated")]);
    assert!(!s.device_views().arrows && s.device_views().manifold);
}

#[test]
fn the_weight_average_knob_reaches_image_gans_only_and_refuses_weak_decays() {
    let mut s = state(&[("dataset", "mnist"), ("model", "dcgan"), ("ema", "0.999")]);
    assert!(s.image_gan());
    assert_eq!(s.image_config().ema, 0.999);
    s.image_config().validate().unwrap();
    for refused in ["0.3", "1", "-0.5", "often"] {
        let out = s.apply(Change::Number(NumberKnob::Ema, refused.into()));
        assert!(!out.rebuild, "{refused}");
        assert_eq!(
            s.knob_text(NumberKnob::Ema),
            refused,
            "shown as typed while refused"
        );
        assert_eq!(s.image_config().ema, 0.999);
    }
    let out = s.apply(Change::Number(NumberKnob::Ema, "0".into()));
    assert!(out.rebuild);
    assert_eq!(out.url, vec![("ema", "0".to_string())]);
    assert_eq!(s.image_config().ema, 0.0);
    // A VAE has no generator to average: the knob is neither shown nor passed on.
    let vae = state(&[("dataset", "mnist"), ("model", "vae"), ("ema", "0.999")]);
    assert!(!vae.image_gan());
    assert_eq!(vae.image_config().ema, 0.0);
    vae.image_config().validate().unwrap();
}

#[test]
fn the_few_labels_lesson_sets_up_the_semi_supervised_gan_and_its_link_restores_it() {
    let mut s = state(&[("labels-per-class", "40")]);
    assert_eq!(s.settings.labels_per_class, 40);
    let out = s.apply(Change::Preset("few-labels".into()));
    assert!(out.rebuild);
    assert_eq!(s.dataset, Dataset::Mnist);
    assert_eq!(s.model, ImageModelKind::Ssgan);
    assert_eq!(s.image_config().labels_per_class, 10);
    // The lesson's recipe: a consistency loss and a learning-rate decay, both knobs of the page.
    let lesson = ganplay_model::config::image_lessons::image_lesson("few-labels").unwrap();
    assert!(!lesson.consistency.is_off() && !lesson.lr_decay.is_off());
    assert_eq!(s.image_config().consistency, lesson.consistency);
    assert_eq!(s.image_config().lr_decay, lesson.lr_decay);
    assert_eq!(s.image_config().classifier_ema, lesson.classifier_ema);
    assert_eq!(s.settings.semi_supervised_lr, lesson.learning_rate);
    s.image_config().validate().unwrap();
    assert_eq!(s.preset, Some("few-labels"));
    let borrowed: Vec<(&str, &str)> = out.url.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(state(&borrowed), s);
    // Another budget leaves the lesson and reaches the model's config.
    let out = s.apply(Change::Number(NumberKnob::LabelsPerClass, "25".into()));
    assert!(out.rebuild);
    assert_eq!(s.preset, None);
    assert_eq!(s.image_config().labels_per_class, 25);
    // The learning rate: 0 is the model's own, and out-of-range rates are refused.
    let preset = ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Page, ImageShape::MNIST);
    let rate = NumberKnob::SemiSupervisedLearningRate;
    s.apply(Change::Number(rate, "0".into()));
    assert_eq!(s.image_config().learning_rate, preset.learning_rate);
    s.apply(Change::Number(rate, "0.001".into()));
    assert_eq!(s.image_config().learning_rate, 0.001);
    s.apply(Change::Number(rate, "2".into()));
    assert!(s.knob_errors.contains_key(&rate));
    assert_eq!(s.image_config().learning_rate, 0.001);
    // The page offers 1 to 100 labelled digits per class.
    for refused in ["0", "101"] {
        s.apply(Change::Number(NumberKnob::LabelsPerClass, refused.into()));
        assert!(
            s.knob_errors.contains_key(&NumberKnob::LabelsPerClass),
            "{refused}"
        );
        assert_eq!(s.image_config().labels_per_class, 25);
    }
}

#[test]
fn a_preset_sets_data_and_every_knob_and_a_change_leaves_it() {
    let mut s = state(&[("dataset", "mnist"), ("model", "dcgan")]);
    let out = s.apply(Change::Preset("collapse".into()));
    assert!(out.rebuild);
    let p = preset("collapse").unwrap();
    assert_eq!(s.dataset, Dataset::Toy(p.dataset));
    assert_eq!(s.model, ImageModelKind::GanMlp);
    assert_eq!((&s.settings.config, s.settings.sigma), (&p.config, p.sigma));
    assert_eq!(s.preset, Some("collapse"));
    // The link carries everything, so it reproduces the lesson.
    let query: Vec<(&str, String)> = out.url.clone();
    let borrowed: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(state(&borrowed), s);
    // Changing a knob leaves the lesson (its explanation no longer holds).
    let out = s.apply(Change::Number(NumberKnob::gan(&knobs::PACKING), "4".into()));
    assert_eq!(s.preset, None);
    assert!(out.url.contains(&("preset", String::new())));
    // Unknown ids do nothing but clear it.
    s.apply(Change::Preset("nope".into()));
    assert_eq!(s.preset, None);
}

#[test]
fn every_lesson_link_reproduces_it_learning_rate_decay_included() {
    for p in ganplay_model::config::presets::presets() {
        let mut s = state(&[]);
        let out = s.apply(Change::Preset(p.id.into()));
        let borrowed: Vec<(&str, &str)> = out.url.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(state(&borrowed), s, "{}", p.id);
    }
    let s = state(&[("lr-decay-start", "30000"), ("lr-decay-steps", "20000")]);
    assert_eq!(
        s.settings.config.lr_decay,
        ganplay_model::config::LrDecay {
            start: 30_000,
            steps: 20_000
        }
    );
}

#[test]
fn generator_steps_and_packing_are_knobs_in_the_link() {
    let mut s = state(&[("g-steps", "3"), ("packing", "2")]);
    assert_eq!(
        (s.settings.config.g_steps, s.settings.config.packing),
        (3, 2)
    );
    let out = s.apply(Change::Number(NumberKnob::gan(&knobs::PACKING), "4".into()));
    assert!(out.rebuild);
    assert_eq!(out.url, vec![("packing", "4".to_string())]);
    // Out of range: refused with the reason, settings kept.
    s.apply(Change::Number(
        NumberKnob::gan(&knobs::G_STEPS),
        "11".into(),
    ));
    assert_eq!(s.settings.config.g_steps, 3);
    assert!(
        s.knob_errors
            .contains_key(&NumberKnob::gan(&knobs::G_STEPS))
    );
}

#[test]
fn image_models_bring_the_digits_and_2d_data_brings_the_mlp_gan() {
    let mut s = state(&[]);
    let out = s.apply(Change::Model("dcgan".into()));
    assert!(out.rebuild);
    assert_eq!(
        (s.dataset, s.model),
        (Dataset::Mnist, ImageModelKind::Dcgan)
    );
    assert_eq!(
        out.url,
        vec![("model", "dcgan".into()), ("dataset", "mnist".into())]
    );
    let out = s.apply(Change::Dataset("spiral".into()));
    assert_eq!(
        (s.dataset, s.model),
        (Dataset::Toy(ToyKind::Spiral), ImageModelKind::GanMlp)
    );
    assert_eq!(
        out.url,
        vec![("dataset", "spiral".into()), ("model", "gan-mlp".into())]
    );
}

#[test]
fn a_refused_knob_keeps_its_text_and_reason_until_corrected() {
    let mut s = state(&[]);
    let before = s.settings.clone();
    let out = s.apply(Change::Number(
        NumberKnob::gan(&knobs::G_NEURONS),
        "1000".into(),
    ));
    assert_eq!(out, Outcome::default());
    assert_eq!(s.settings, before);
    assert_eq!(s.knob_text(NumberKnob::gan(&knobs::G_NEURONS)), "1000");
    assert!(
        s.knob_errors[&NumberKnob::gan(&knobs::G_NEURONS)]
            .1
            .contains("between")
    );
    let out = s.apply(Change::Number(
        NumberKnob::gan(&knobs::G_NEURONS),
        "24".into(),
    ));
    assert!(out.rebuild && s.knob_errors.is_empty());
    assert_eq!(out.url, vec![("g-neurons", "24".into())]);
    // The same value again: nothing to rebuild.
    assert!(
        !s.apply(Change::Number(
            NumberKnob::gan(&knobs::G_NEURONS),
            "24".into()
        ))
        .rebuild
    );
}

#[test]
fn points_are_drawn_only_on_the_drawn_data_set_and_up_to_the_limit() {
    let mut s = state(&[]);
    assert_eq!(s.apply(Change::AddPoint([0.0, 0.0])), Outcome::default());
    let out = s.apply(Change::LoadPoints(vec![[0.5, 0.5]; MAX_CUSTOM_POINTS]));
    assert!(s.drawing() && out.rebuild);
    let out = s.apply(Change::AddPoint([0.0, 0.0]));
    assert!(out.error.is_some() && !out.rebuild);
    assert!(s.apply(Change::ClearPoints).rebuild);
    assert!(s.drawn_points.is_empty());
    assert!(s.apply(Change::AddPoint([0.1, 0.2])).rebuild);
    assert_eq!(s.drawn_points, vec![[0.1, 0.2]]);
}

#[test]
fn the_digit_picker_redraws_without_new_weights() {
    let mut s = state(&[("model", "cgan"), ("dataset", "mnist")]);
    let out = s.apply(Change::Class("3".into()));
    assert!(out.redraw && !out.rebuild);
    assert_eq!(s.class, Some(3));
    s.apply(Change::Class("all".into()));
    assert_eq!(s.class, None);
}

#[test]
fn an_adopted_model_sets_data_set_model_and_knobs() {
    let mut s = state(&[]);
    let config = GanConfig {
        noise_dim: 5,
        ..GanConfig::default()
    };
    let out = s.apply(Change::Adopt {
        dataset: Dataset::Toy(ToyKind::Moons),
        config: Box::new(config.clone().into()),
    });
    assert!(!out.rebuild);
    assert_eq!(s.settings.config, config);
    assert_eq!(
        out.url,
        vec![("dataset", "moons".into()), ("model", "gan-mlp".into())]
    );

    // An image GAN's file sets the image GAN knobs, so they show what the model trained with.
    let file_config = ImageModelConfig {
        spectral_norm: true,
        loss: Some(ganplay_model::config::LossKind::Hinge),
        auxiliary_classifier: 0.5,
        ..ImageModelConfig::preset(ImageModelKind::Cgan, Scale::Page, ImageShape::MNIST)
    };
    let out = s.apply(Change::Adopt {
        dataset: Dataset::Mnist,
        config: Box::new(file_config.clone().into()),
    });
    assert_eq!(s.image_config().spectral_norm, file_config.spectral_norm);
    assert_eq!(s.image_config().loss, file_config.loss);
    assert_eq!(s.image_config().auxiliary_classifier, 0.5);
    assert!(
        out.url
            .contains(&("critic-weights-select", "spectral".into()))
    );
    assert!(out.url.contains(&("model", "cgan".into())));
}

#[test]
fn the_seed_knob_seeds_image_models() {
    let mut s = state(&[("model", "vae"), ("dataset", "mnist")]);
    s.apply(Change::Number(NumberKnob::seed(), "77".into()));
    assert_eq!(s.image_config().seed, 77);
    assert_eq!(s.image_config().model, ImageModelKind::Vae);
}

#[test]
fn the_image_gan_knobs_reach_the_config_and_a_link_restores_them() {
    use ganplay_model::config::LossKind;
    let wgan = state(&[
        ("dataset", "mnist"),
        ("model", "wgan"),
        ("image-loss-select", "hinge"),
        ("critic-weights-select", "spectral"),
        ("image-d-lr", "0.0004"),
        ("aux-classifier", "1"),
    ]);
    let c = wgan.image_config();
    assert_eq!(c.loss, Some(LossKind::Hinge));
    assert!(c.spectral_norm);
    assert_eq!(c.d_learning_rate, Some(4e-4));
    // The class loss is the conditional GAN's alone.
    assert_eq!(c.auxiliary_classifier, 0.0);
    c.validate().unwrap();

    let mut cgan = state(&[
        ("dataset", "mnist"),
        ("model", "cgan"),
        ("aux-classifier", "1"),
    ]);
    assert_eq!(cgan.image_config().auxiliary_classifier, 1.0);
    let out = cgan.apply(Change::Number(
        NumberKnob::AuxiliaryClassifier,
        "1000".into(),
    ));
    assert!(!out.rebuild && out.error.is_none());
    assert_eq!(cgan.knob_text(NumberKnob::AuxiliaryClassifier), "1000");
    assert_eq!(cgan.image_config().auxiliary_classifier, 1.0);
    let out = cgan.apply(Change::Choice(ChoiceKnob::ImageLoss, "leastsquares".into()));
    assert!(out.rebuild);
    assert_eq!(
        out.url,
        vec![("image-loss-select", "leastsquares".to_string())]
    );
    assert_eq!(cgan.image_config().loss, Some(LossKind::LeastSquares));
    cgan.apply(Change::Choice(ChoiceKnob::ImageLoss, "own".into()));
    assert_eq!(cgan.image_config().loss, None);

    // Choosing a model's own loss by name records no change of loss.
    let own = state(&[
        ("dataset", "mnist"),
        ("model", "wgan"),
        ("image-loss-select", "wasserstein"),
    ]);
    assert_eq!(own.image_config().loss, None);

    // VAEs have no critic: the knobs are not passed on, and the config stays valid.
    let vae = state(&[
        ("dataset", "mnist"),
        ("model", "vae"),
        ("image-loss-select", "hinge"),
        ("critic-weights-select", "spectral"),
    ]);
    assert!(!vae.image_gan());
    assert!(!vae.image_config().spectral_norm && vae.image_config().loss.is_none());
    vae.image_config().validate().unwrap();

    // A side-by-side comparison differs in a 2D knob only.
    assert!(
        crate::features::side_by_side::Comparison::from_url("image-loss-select.hinge").is_none()
    );
}

#[test]
fn the_vae_latent_knob_sizes_the_vae_and_picks_its_bundled_file() {
    let name = |s: &PageState| s.bundled_weights().map(|(name, _)| name);
    let mut s = state(&[("dataset", "mnist"), ("model", "vae"), ("latent-dim", "16")]);
    assert_eq!(s.image_config().latent_dim, 16);
    s.image_config().validate().unwrap();
    assert_eq!(name(&s), Some("vae-16d".into()));
    // Other sizes have no bundled file; the page's 2-D VAEs keep theirs.
    let out = s.apply(Change::Number(NumberKnob::VaeLatent, "8".into()));
    assert!(out.rebuild);
    assert_eq!(name(&s), None);
    assert_eq!(
        name(&state(&[
            ("dataset", "mnist"),
            ("model", "cvae"),
            ("latent-dim", "16")
        ])),
        None
    );
    assert_eq!(
        name(&state(&[("dataset", "mnist"), ("model", "cvae")])),
        Some("cvae".into())
    );
    for refused in ["0", "65", "many"] {
        assert!(
            !s.apply(Change::Number(NumberKnob::VaeLatent, refused.into()))
                .rebuild
        );
        assert_eq!(s.image_config().latent_dim, 8);
    }
    // GANs keep their noise size.
    let dcgan = state(&[
        ("dataset", "mnist"),
        ("model", "dcgan"),
        ("latent-dim", "16"),
    ]);
    assert_eq!(dcgan.image_config().latent_dim, 100);
}

/// Links people have shared name the knobs by these keys: they must keep loading.
#[test]
fn every_url_key_of_a_2d_knob_is_stable() {
    let stable = [
        "sigma",
        "g-layers",
        "g-neurons",
        "d-layers",
        "d-neurons",
        "noise-dim",
        "g-lr",
        "d-lr",
        "d-steps",
        "g-steps",
        "packing",
        "batch-size",
        "clip",
        "lr-decay-start",
        "lr-decay-steps",
        "seed",
        "loss-select",
        "noise-select",
        "g-activation-select",
        "d-activation-select",
        "g-optimizer-select",
        "d-optimizer-select",
        "g-output-select",
    ];
    let s = state(&[("dataset", "ring8")]);
    let written: Vec<&str> = s.toy_url().iter().map(|(k, _)| *k).collect();
    for key in stable {
        assert!(written.contains(&key), "{key} is no longer written");
    }
    let s = state(&[
        ("g-lr", "0.01"),
        ("lr-decay-start", "300"),
        ("noise-select", "uniform"),
        ("g-output-select", "tanh"),
        ("sigma", "0.2"),
    ]);
    let c = &s.settings.config;
    assert_eq!(c.g_optimizer.learning_rate, 0.01);
    assert_eq!(c.lr_decay.start, 300);
    assert_eq!(c.noise, ganplay_model::config::NoiseKind::Uniform);
    assert_eq!(c.g_output, ganplay_model::config::GeneratorOutput::Tanh);
    assert_eq!(s.settings.sigma, 0.2);
}

/// Each control's test id is its URL key: two knobs with one key would overwrite each other in
/// a link. The image models' keys, older than their CLI flags, stay as links have them.
#[test]
fn every_page_control_has_its_own_url_key_and_image_keys_are_stable() {
    let mut keys: Vec<&str> = NumberKnob::all().map(NumberKnob::test_id).collect();
    keys.extend(ChoiceKnob::all().map(ChoiceKnob::test_id));
    let mut unique = keys.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "a key is used twice: {keys:?}");
    for stable in [
        "labels-per-class",
        "ema",
        "image-d-lr",
        "aux-classifier",
        "latent-dim",
        "image-loss-select",
        "critic-weights-select",
    ] {
        assert!(keys.contains(&stable), "{stable} is no longer a key");
    }
}

#[test]
fn the_consistency_weight_reaches_the_semi_supervised_gan_alone_and_a_file_brings_it_back() {
    use ganplay_model::config::Consistency;
    let mut s = state(&[
        ("dataset", "mnist"),
        ("model", "ssgan"),
        ("consistency-weight", "2"),
    ]);
    assert_eq!(s.image_config().consistency, Consistency::with_weight(2.0));
    s.image_config().validate().unwrap();
    s.apply(Change::Number(
        NumberKnob::ConsistencyThreshold,
        "0.7".into(),
    ));
    assert_eq!(s.image_config().consistency.threshold, 0.7);
    let out = s.apply(Change::Number(NumberKnob::ConsistencyWeight, "0".into()));
    assert!(out.rebuild);
    assert!(s.image_config().consistency.is_off());
    for refused in ["-1", "1000", "lots"] {
        let out = s.apply(Change::Number(
            NumberKnob::ConsistencyWeight,
            refused.into(),
        ));
        assert!(!out.rebuild, "{refused}");
        assert!(s.image_config().consistency.is_off());
    }
    // The semi-supervised VAE has no such loss: the knob does not reach it.
    let m2 = state(&[
        ("dataset", "mnist"),
        ("model", "m2"),
        ("consistency-weight", "2"),
    ]);
    assert!(m2.image_config().consistency.is_off());
    m2.image_config().validate().unwrap();
    // Nor does the classifier's weight average, which averages the GAN's discriminator.
    let m2 = state(&[
        ("dataset", "mnist"),
        ("model", "m2"),
        ("classifier-ema", "0.99"),
    ]);
    assert_eq!(m2.image_config().classifier_ema, 0.0);
    m2.image_config().validate().unwrap();

    // A weight file's budget and consistency loss become the page's knobs.
    let file = ImageModelConfig {
        labels_per_class: 30,
        consistency: Consistency::FIXMATCH,
        classifier_ema: 0.995,
        ..ImageModelConfig::preset(ImageModelKind::Ssgan, Scale::Page, ImageShape::MNIST)
    };
    let mut page = state(&[("dataset", "mnist"), ("model", "dcgan")]);
    let out = page.apply(Change::Adopt {
        dataset: Dataset::Mnist,
        config: Box::new(file.clone().into()),
    });
    assert_eq!(page.image_config().labels_per_class, 30);
    assert_eq!(page.image_config().consistency, Consistency::FIXMATCH);
    assert!(out.url.contains(&("consistency-weight", "1".into())));
    assert!(out.url.contains(&("consistency-threshold", "0.95".into())));
    assert!(out.url.contains(&("labels-per-class", "30".into())));
    assert_eq!(page.image_config().classifier_ema, 0.995);
    assert!(out.url.contains(&("classifier-ema", "0.995".into())));
    // The page refuses what the CLI refuses.
    let out = page.apply(Change::Number(NumberKnob::ClassifierEma, "0.2".into()));
    assert!(!out.rebuild);
    assert!(page.knob_errors.contains_key(&NumberKnob::ClassifierEma));
}
