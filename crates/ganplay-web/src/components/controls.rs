//! The data set and model pickers, the drawn-points tools and the knobs.

use ganplay_model::{ImageModelKind, ToyKind};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::fields::{NumberField, SelectField, options};
use super::model_facts::model_facts;
use crate::knobs::{ChoiceKnob, NumberKnob};
use crate::state::{Change, PageState};

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub state: PageState,
    pub onchange: Callback<Change>,
    pub on_points_file: Callback<web_sys::File>,
    /// Shown between the data and model pickers and the knobs (the weights panel).
    #[prop_or_default]
    pub children: Html,
}

#[function_component]
pub fn Controls(props: &ControlsProps) -> Html {
    let PageState { settings, .. } = &props.state;
    let change = |make: fn(String) -> Change| props.onchange.reform(make);
    let mut datasets = options(ToyKind::ALL.iter().map(|k| (k.id(), k.label())));
    datasets.push(("mnist".into(), "MNIST digits (9,003 to train on)".into()));
    let models = options(ImageModelKind::ALL.iter().map(|k| (k.id(), k.label())));
    let on_file = {
        let chosen = props.on_points_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                chosen.emit(file);
            }
        })
    };
    let on_clear = props.onchange.reform(|_| Change::ClearPoints);
    let number = |knob: NumberKnob| {
        let onchange = props
            .onchange
            .reform(move |text| Change::Number(knob, text));
        let error = props
            .state
            .knob_errors
            .get(&knob)
            .map(|(_, why)| why.clone());
        html! {
            <NumberField label={knob.label()} test_id={knob.test_id()}
                value={props.state.knob_text(knob)} {error} {onchange} />
        }
    };
    let choice = |knob: ChoiceKnob| {
        let onchange = props.onchange.reform(move |id| Change::Choice(knob, id));
        html! {
            <SelectField label={format!("{} ", knob.label())} test_id={knob.test_id()}
                options={options(knob.options())} selected={knob.current(settings)} {onchange} />
        }
    };
    let legend = "Knobs (changing one restarts from new weights)";
    html! {
        <>
            <fieldset>
                <legend>{"Data and model"}</legend>
                <SelectField label="data set " test_id="dataset-select" options={datasets}
                    selected={props.state.dataset.id()} onchange={change(Change::Dataset)} />
                <SelectField label="model " test_id="model-select" options={models}
                    selected={props.state.model.id()} onchange={change(Change::Model)} />
                if props.state.images() { { model_facts(&props.state.image_config()) } }
                if props.state.drawing() {
                    <p class="hint">{"Click on the plot to add points, or load a CSV of x,y pairs."}</p>
                    <div class="row">
                        <button data-testid="clear-points-button" onclick={on_clear}>{"Clear points"}</button>
                        <input type="file" accept=".csv,text/csv,text/plain" data-testid="points-file-input" onchange={on_file} />
                    </div>
                }
            </fieldset>
            { props.children.clone() }
            <fieldset>
                <legend>{ legend }</legend>
                if props.state.images() {
                    { number(NumberKnob::seed()) }
                    if props.state.model.is_semi_supervised() {
                        { for props.state.semi_supervised_knobs().into_iter().map(number) }
                    }
                    if props.state.model.is_vae() {
                        { number(NumberKnob::VaeLatent) }
                    }
                    if props.state.image_gan() {
                        { for ChoiceKnob::IMAGE_GAN.iter().map(|k| choice(*k)) }
                        { number(NumberKnob::ImageDLearningRate) }
                        { number(NumberKnob::Ema) }
                        if props.state.model == ImageModelKind::Cgan {
                            { number(NumberKnob::AuxiliaryClassifier) }
                        }
                    }
                } else {
                    { for ChoiceKnob::toy().map(choice) }
                    { for NumberKnob::all().filter(|k| k.shown(settings)).map(number) }
                }
            </fieldset>
        </>
    }
}
