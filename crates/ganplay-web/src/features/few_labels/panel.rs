//! Semi-supervised models: test accuracy over training next to the same classifier trained on
//! the labels alone, the confusion matrix, and the labelled digits themselves.

use std::rc::Rc;

use ganplay_model::{ImageShape, Normalisation};
use yew::prelude::*;

use crate::components::plots::{ImageGrid, LossChart};
use crate::engine::{LabelledStrip, LossPoint};

#[derive(Properties, PartialEq)]
pub struct FewLabelsProps {
    /// Test accuracy in percent: the classifier (`first`), its labels-only twin (`second`).
    pub history: Rc<[LossPoint]>,
    pub confusion: Option<Rc<[Vec<u32>]>>,
    pub labelled: Option<LabelledStrip>,
    pub shape: ImageShape,
    pub norm: Normalisation,
}

#[function_component]
pub fn FewLabelsPanel(props: &FewLabelsProps) -> Html {
    let latest = props.history.last();
    let percent = |v: Option<f32>| {
        v.filter(|v| v.is_finite())
            .map_or("–".to_string(), |v| format!("{v:.1}%"))
    };
    let twin_title = if latest.is_some_and(|p| !p.second.is_finite()) {
        "a loaded classifier has no labels-only twin: train a new model to compare"
    } else {
        "the same network from the same initial weights, trained in lockstep on the labelled digits alone"
    };
    html! {
        <div class="plots few-labels">
            <figure>
                <div class="readouts">
                    <span title="the model's classifier (the GAN's discriminator, the VAE's q(y|x)) on the 997 held-out test digits">
                        {"test accuracy "}<b data-testid="metric-accuracy">{ percent(latest.map(|p| p.first)) }</b></span>
                    <span title={twin_title}>{"labels only "}
                        <b data-testid="metric-accuracy-supervised">{ percent(latest.map(|p| p.second)) }</b></span>
                </div>
                <LossChart test_id="accuracy-chart" history={props.history.clone()}
                    names={["semi-supervised %", "labels only %"]} />
                <figcaption>{"test accuracy over training steps: the model's classifier using every training digit, and the same classifier trained on the labelled digits alone"}</figcaption>
            </figure>
            if let Some(confusion) = &props.confusion {
                <figure>
                    { confusion_table(confusion) }
                    <figcaption>{"test digits by true class (rows) and predicted class (columns)"}</figcaption>
                </figure>
            }
            if let Some(strip) = &props.labelled {
                <figure>
                    <ImageGrid test_id="labelled-strip" pixels={strip.pixels.clone()} shape={props.shape}
                        norm={props.norm} columns={strip.columns} class="pixels labelled" />
                    <figcaption>{ labelled_caption(strip) }</figcaption>
                </figure>
            }
        </div>
    }
}

fn labelled_caption(strip: &LabelledStrip) -> String {
    let shown = if strip.columns < strip.per_class {
        format!(" (the first {} of each class shown)", strip.columns)
    } else {
        String::new()
    };
    format!(
        "the only labels it gets: {} digits per class, one row per class{shown}; the other training digits are used without labels",
        strip.per_class
    )
}

fn confusion_table(confusion: &[Vec<u32>]) -> Html {
    let classes = confusion.len();
    html! {
        <table class="confusion" data-testid="confusion-matrix">
            <thead><tr><th>{"true \\ predicted"}</th>
                { for (0..classes).map(|c| html! { <th>{ c }</th> }) }</tr></thead>
            <tbody>
                { for confusion.iter().enumerate().map(|(truth, row)| html! {
                    <tr><th>{ truth }</th>
                        { for row.iter().enumerate().map(|(predicted, count)| {
                            let class = if predicted == truth { "right" } else if *count > 0 { "wrong" } else { "" };
                            html! { <td class={class}>{ count }</td> }
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
