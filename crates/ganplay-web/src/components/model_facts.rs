//! What the chosen image model is, in a sentence.

use ganplay_model::config::LossKind;
use ganplay_model::{ImageModelConfig, ImageModelKind};
use yew::prelude::*;

pub fn model_facts(c: &ImageModelConfig) -> Html {
    html! { <p class="hint" data-testid="model-facts">{ describe(c) }</p> }
}

fn describe(c: &ImageModelConfig) -> String {
    let mut text = architecture(c);
    if let Some(loss) = c.loss {
        text.push_str(&format!(" Trained with the {} loss instead.", loss.label()));
    }
    if c.spectral_norm {
        text.push_str(" Every D layer is spectrally normalised (no batch norm in D");
        text.push_str(if c.loss() == LossKind::Wasserstein {
            ", no weight clipping)."
        } else {
            ")."
        });
    }
    if let Some(rate) = c.d_learning_rate {
        text.push_str(&format!(" D's learning rate: {rate}."));
    }
    if c.auxiliary_classifier > 0.0 {
        text.push_str(&format!(
            " D also names each digit's class (AC-GAN), its cross-entropy weighted {} in both losses.",
            c.auxiliary_classifier
        ));
    }
    if c.ema > 0.0 {
        text.push_str(&format!(
            " Samples come from a moving average of G's weights (decay {}).",
            c.ema
        ));
    }
    text
}

fn architecture(c: &ImageModelConfig) -> String {
    let widths = |v: &[usize]| {
        v.iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join("→")
    };
    let conditional = c.model.is_conditional();
    match c.model {
        ImageModelKind::GanMlp => format!(
            "G {}→{}→784 (ReLU, tanh out), D 784→{}→1 (LeakyReLU {}, dropout {}); Adam {}, batch {}.",
            c.latent_dim,
            widths(&c.hidden),
            widths(&c.hidden.iter().rev().copied().collect::<Vec<_>>()),
            c.tuning.leaky_slope,
            c.dropout,
            c.learning_rate,
            c.batch_size
        ),
        ImageModelKind::Dcgan | ImageModelKind::Cgan | ImageModelKind::Wgan => format!(
            "Transposed-convolution G ({} noise{} → 7x7 → 14x14 → 28x28, batch norm), strided-convolution {} \
             (LeakyReLU {}{}), width {}; {}Adam {}, batch {}.",
            c.latent_dim,
            if conditional { " + one-hot digit" } else { "" },
            if c.model == ImageModelKind::Wgan {
                "critic"
            } else {
                "D"
            },
            c.tuning.leaky_slope,
            if conditional {
                ", projection of the digit's class onto its features"
            } else {
                ""
            },
            c.conv_width,
            if c.model == ImageModelKind::Wgan {
                format!(
                    "Wasserstein loss, critic weights clipped to ±{}, {} critic steps per G step; ",
                    c.clip, c.d_steps
                )
            } else {
                String::new()
            },
            c.learning_rate,
            c.batch_size
        ),
        ImageModelKind::Vae | ImageModelKind::Cvae => format!(
            "Encoder 784→{}→{}-D latent (mean, log-variance), decoder back to 784 (sigmoid){}; loss = \
             reconstruction (Bernoulli) + KL; Adam {}, batch {}.",
            widths(&c.hidden),
            c.latent_dim,
            if conditional {
                "; both see the digit's class"
            } else {
                ""
            },
            c.learning_rate,
            c.batch_size
        ),
        ImageModelKind::Ssgan => format!(
            "G {}→{}→784 (batch norm, softplus, sigmoid out); D 784→{}→{} classes (weight \
             normalisation, ReLU, Gaussian noise σ {} on the input and {} after each layer), \
             which also tells real from generated: D(x) = Z/(Z+1), Z = Σ exp(logits). {} labelled \
             digits per class, every training digit unlabelled{}; G trains by feature \
             matching. Adam {}, batch {}.",
            c.latent_dim,
            widths(&c.hidden),
            widths(&c.discriminator_hidden),
            c.class_names.len(),
            c.tuning.input_noise,
            c.tuning.hidden_noise,
            c.labels_per_class,
            if c.augment_real {
                ", D sees each real digit randomly rotated, scaled and shifted"
            } else {
                ""
            },
            c.learning_rate,
            c.batch_size
        ),
        ImageModelKind::M2 => format!(
            "Classifier q(y|x) 784→{}→{} classes (the semi-supervised GAN's discriminator:              weight normalisation, Gaussian noise); encoder q(z|x,y) 784+{}→{}→{}-D latent,              decoder p(x|y,z) back to 784 (sigmoid). {} labelled digits per class: their ELBO              given the class, plus {} × the classifier's cross-entropy; every training digit              unlabelled: its ELBO under each class, weighted by q(y|x). Adam {}, batch {}.",
            widths(&c.discriminator_hidden),
            c.class_names.len(),
            c.class_names.len(),
            widths(&c.hidden),
            c.latent_dim,
            c.labels_per_class,
            c.classification_weight,
            c.learning_rate,
            c.batch_size
        ),
    }
}
