//! What an image GAN's discriminator sees: its belief "real" under training digits and generated
//! ones, the two scores' histogram now, and their means over training.

use std::rc::Rc;

use ganplay_model::{ImageShape, Normalisation};
use yew::prelude::*;

use crate::components::plots::{ImageGrid, LossChart, use_redraw};
use crate::engine::{DScores, LossPoint, SCORES_SHOWN};
use crate::plot_bars::draw_score_histogram;

#[derive(Properties, PartialEq)]
pub struct DiscriminatorViewProps {
    pub scores: DScores,
    /// The scored training digits' and the sample grid's pixels, in the same order as the scores.
    pub real_pixels: Rc<[f32]>,
    pub fake_pixels: Rc<[f32]>,
    pub shape: ImageShape,
    pub norm: Normalisation,
    pub history: Rc<[LossPoint]>,
}

#[function_component]
pub fn DiscriminatorView(props: &DiscriminatorViewProps) -> Html {
    let row = |kind: &'static str, pixels: &Rc<[f32]>, scores: &[f32]| {
        let len = props.shape.len();
        let cells = scores.iter().take(SCORES_SHOWN).enumerate().filter_map(|(i, score)| {
            let image: Rc<[f32]> = pixels.get(i * len..(i + 1) * len)?.into();
            Some(html! {
                <div class="scored" data-kind={kind} data-score={format!("{score:.4}")}>
                    <ImageGrid test_id="d-score-image" pixels={image} shape={props.shape} norm={props.norm}
                        columns={1} class="pixels" />
                    <span>{ format!("{score:.2}") }</span>
                </div>
            })
        });
        html! { <div class="scored-row"><span class="scored-label">{ kind }</span>{ for cells }</div> }
    };
    let (real, fake) = (&props.scores.real, &props.scores.fake);
    html! {
        <>
            <figure data-testid="d-scores">
                { row("real", &props.real_pixels, real) }
                { row("generated", &props.fake_pixels, fake) }
                <figcaption>{"D's belief that each image is real (1 = real, 0 = fake): training digits above, the sample grid's first images below"}</figcaption>
            </figure>
            <figure>
                <ScoreHistogram real={real.clone()} fake={fake.clone()} />
                <figcaption>{ format!("D's scores now: {} training digits (grey) and the {} grid samples (orange); apart = D tells them apart", real.len(), fake.len()) }</figcaption>
            </figure>
            <figure>
                <LossChart test_id="d-score-chart" history={props.history.clone()} names={["mean D(real)", "mean D(fake)"]} />
                <figcaption>{"mean scores over training: a GAN in balance keeps them close"}</figcaption>
            </figure>
        </>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct ScoreHistogramProps {
    real: Rc<[f32]>,
    fake: Rc<[f32]>,
}

#[function_component]
fn ScoreHistogram(props: &ScoreHistogramProps) -> Html {
    let canvas = use_redraw(props, |c, p| draw_score_histogram(c, &p.real, &p.fake));
    html! { <canvas ref={canvas} data-testid="d-histogram" width="320" height="140" /> }
}
