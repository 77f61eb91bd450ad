//! Weight files in the page: load the bundled weights or a user's file, download the current
//! model's.

use burn::tensor::Device;
use ganplay_model::data::bundled::Digits;
use ganplay_model::weights::WeightFile;
use yew::prelude::*;

mod panel;

use panel::WeightsPanel;

use crate::app::{App, Msg};
use crate::engine::{Engine, trains_on_digits};
use crate::{digits, weights_io};

/// What the weights panel reports, and a download that waits for the worker.
#[derive(Default)]
pub struct Weights {
    /// What the last weight-file action did.
    pub notice: Option<String>,
    /// A download asked for while the worker was handing the model back.
    pub download_when_back: bool,
}

#[allow(
    clippy::large_enum_variant,
    reason = "a new model arrives in a message once per load"
)]
pub enum WeightsMsg {
    LoadPretrained,
    File(web_sys::File),
    /// A model built from a weight file, or why it could not be.
    Ready(Result<(Engine, String), String>),
    Download,
    Downloaded(Result<String, String>),
}

impl App {
    pub(crate) fn weights_message(&mut self, ctx: &Context<Self>, msg: WeightsMsg) {
        match msg {
            WeightsMsg::LoadPretrained => self.load_pretrained(ctx),
            WeightsMsg::File(file) => self.load_weight_file(ctx, file),
            WeightsMsg::Ready(result) => self.weights_ready(ctx, result),
            WeightsMsg::Download => self.download_weights(ctx),
            WeightsMsg::Downloaded(result) => self.downloaded(result),
        }
    }

    /// Bundled weights, a file of the user's, a download, and the last kept run's step.
    pub(crate) fn view_weights(&self, link: &html::Scope<Self>) -> Html {
        let weights = |m: WeightsMsg| Msg::Weights(m);
        html! {
            <WeightsPanel busy={!self.activity.may_use_files() || self.device.is_none()}
                has_bundled={self.state.bundled_weights().is_some()}
                has_model={self.engine.borrow().is_some()} notice={self.weights.notice.clone()}
                kept_steps={self.kept.saved_steps}
                on_pretrained={link.callback(move |_| weights(WeightsMsg::LoadPretrained))}
                on_download={link.callback(move |_| weights(WeightsMsg::Download))}
                on_file={link.callback(move |file| weights(WeightsMsg::File(file)))} />
        }
    }

    fn load_pretrained(&mut self, ctx: &Context<Self>) {
        let Some((name, label)) = self.state.bundled_weights() else {
            return;
        };
        self.load_weights(ctx, async move {
            let url = weights_io::bundled_url(&name);
            let bytes = weights_io::fetch_bytes(&url)
                .await
                .map_err(|e| format!("The bundled weights could not be loaded: {e}."))?;
            let file = weights_io::parse(&bytes, &format!("The bundled {label} weights"))?;
            Ok((file, "bundled weights".to_string()))
        });
    }

    fn load_weight_file(&mut self, ctx: &Context<Self>, file: web_sys::File) {
        self.load_weights(ctx, async move {
            let name = file.name();
            let bytes = weights_io::read_file(file)
                .await
                .map_err(|e| format!("{name}: {e}"))?;
            Ok((weights_io::parse(&bytes, &name)?, name))
        });
    }

    /// Pauses training and builds a model from the weight file that `load` reads (and names);
    /// the current model stays until that succeeds.
    pub(crate) fn load_weights<Load>(&mut self, ctx: &Context<Self>, load: Load)
    where
        Load: std::future::Future<Output = Result<(WeightFile, String), String>> + 'static,
    {
        let Some(device) = self.device.clone() else {
            return;
        };
        if !self.activity.load() {
            return;
        }
        let (class, sigma) = (self.state.class, self.state.settings.sigma);
        ctx.link().send_future(async move {
            let built = async {
                let (file, source) = load.await?;
                // 2D models never wait for the digits; image models join a download under way.
                let digits = if trains_on_digits(&file.config) {
                    Some(digits::load().await?)
                } else {
                    None
                };
                build_from_file(&file, class, sigma, digits.as_ref(), &device, &source)
            };
            Msg::Weights(WeightsMsg::Ready(built.await))
        });
    }

    fn weights_ready(&mut self, ctx: &Context<Self>, result: Result<(Engine, String), String>) {
        self.activity.finished();
        match result {
            Ok((engine, notice)) => {
                self.error = None;
                self.adopt(ctx, engine);
                let with_optimizer = self.restore_kept_run(true);
                self.weights.notice = Some(if with_optimizer {
                    format!("{notice} Training goes on with its optimiser state (Adam's moments).")
                } else {
                    notice
                });
            }
            // The current model and its training state stay as they were; if the page was
            // waiting for these weights instead of building a new model, it builds one now.
            Err(e) => {
                self.error = Some(e);
                self.restore_kept_run(false);
                if self.engine.borrow().is_none() {
                    self.rebuild(ctx);
                }
            }
        }
    }

    pub(crate) fn download_weights(&mut self, ctx: &Context<Self>) {
        if !self.activity.may_use_files() || self.engine.borrow().is_none() {
            return;
        }
        self.activity.stop_training();
        // The worker's model is what it saves: wait until its weights are back.
        if self.activity.held().is_some() {
            self.weights.download_when_back = true;
            return;
        }
        self.activity.save();
        let dataset = self.state.dataset.id();
        let backend = self.backend.map_or("cpu", |b| b.id());
        let snapshot = self
            .engine
            .borrow()
            .as_ref()
            .map(|e| weights_io::snapshot(&e.session, dataset, backend));
        ctx.link().send_future(async move {
            let saved = match snapshot {
                Some((snapshot, name)) => weights_io::download(snapshot, name).await,
                None => Err("no model to save".into()),
            };
            Msg::Weights(WeightsMsg::Downloaded(saved))
        });
    }

    fn downloaded(&mut self, result: Result<String, String>) {
        self.activity.finished();
        match result {
            Ok(name) => self.weights.notice = Some(format!("Saved {name}.")),
            Err(e) => self.error = Some(format!("The weights could not be saved: {e}")),
        }
    }
}

/// Builds a model from a weight file; the page's current model is untouched until it succeeds.
fn build_from_file(
    file: &WeightFile,
    class: Option<usize>,
    sigma: f32,
    digits: Option<&Digits>,
    device: &Device,
    source: &str,
) -> Result<(Engine, String), String> {
    let mut engine = Engine::from_weights(file, class, sigma, digits, device)
        .map_err(|e| format!("{source} cannot be loaded: {e}."))?;
    engine.origin = source.to_string();
    let f = &file.facts;
    let mut notice = format!(
        "Loaded {source}: {} at step {}, trained on {} by {}{}.",
        file.config.model_id(),
        f.steps,
        if f.dataset.is_empty() {
            "unknown data"
        } else {
            &f.dataset
        },
        if f.trained_by.is_empty() {
            "an unknown trainer"
        } else {
            &f.trained_by
        },
        if f.trained_at.is_empty() {
            String::new()
        } else {
            format!(" on {}", f.trained_at)
        }
    );
    if let Some(note) = file.integrity.note() {
        notice.push_str(&format!(" Note: {note}."));
    }
    if !engine.can_train() {
        notice.push_str(" Its images are not 28x28 digits, so it samples but does not train here.");
    }
    Ok((engine, notice))
}
