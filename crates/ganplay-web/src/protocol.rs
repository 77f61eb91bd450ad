//! The messages between the page and its training worker: commands in; frames, weights and
//! accuracies out. Each crosses as one bincode-encoded byte buffer, so a view's values and a
//! weight file travel without being turned into JavaScript objects.

use ganplay_model::ToyDataset;
use ganplay_model::metrics::TestAccuracy;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::state::DeviceViews;

/// Which update a button asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    Full,
    Discriminator,
    Generator,
}

/// The model in training, and run B of a side-by-side comparison, trained in lockstep with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunId {
    A,
    B,
}

/// What one frame of training read back from the device, before the page unpacks it into its
/// model's charts and views.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// The model it belongs to; frames of a replaced model are dropped.
    pub generation: u64,
    pub steps: u64,
    /// Discriminator and generator losses (GANs), reconstruction and KL terms (VAEs).
    pub losses: [Option<f32>; 2],
    /// The packed view values, with the revision of the view settings they were made with.
    pub view: Option<(u64, Vec<f32>)>,
    pub steps_per_sec: Option<f64>,
    pub diverged: Option<String>,
    /// Time the loop was blocked queuing the steps.
    pub blocking_ms: f64,
}

/// What the views show: the class of the image grids and the 2D plot's device-computed layers.
/// `revision` changes with each change, so values packed for other settings are not misread.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewSettings {
    pub class: Option<usize>,
    pub views: DeviceViews,
    pub revision: u64,
}

/// One of the page's models, as the worker rebuilds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    pub generation: u64,
    pub steps: u64,
    /// A weight file (config, weights, step); the worker keeps its own copy of a model it
    /// trained last, with its optimiser state, when generation and step still match.
    pub weights: Vec<u8>,
    /// The optimiser state of those weights (a `ganplay-optimizer` file), for a rebuilt model.
    pub optimizer: Vec<u8>,
    /// 2D models: the data they train on.
    pub toy: Option<ToyDataset>,
    /// A new model never trained: built from its seed, which also starts a semi-supervised
    /// model's labels-only twin.
    pub fresh: bool,
    pub dataset: String,
    pub view: ViewSettings,
}

/// How long the worker trains.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Work {
    /// Until stopped.
    Live,
    /// One update (the step buttons, slow motion).
    Once(StepKind),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    Train {
        backend: String,
        work: Work,
        runs: Vec<(RunId, ModelSpec)>,
    },
    /// Other view settings for a model in training.
    Configure {
        run: RunId,
        generation: u64,
        view: ViewSettings,
    },
    Stop,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The worker is listening.
    Ready,
    /// The worker cannot train these models; the page trains them itself.
    Refused(String),
    Frame(RunId, Frame),
    Failed(RunId, u64, String),
    /// A model's weights as a weight file. `last` once training has stopped: the page's copy
    /// is then the model as trained, and the optimiser state of those weights comes with it.
    Weights {
        run: RunId,
        generation: u64,
        bytes: Vec<u8>,
        optimizer: Option<Vec<u8>>,
        last: bool,
    },
    /// A semi-supervised model's test accuracy at a step.
    Accuracy {
        generation: u64,
        step: u64,
        result: Result<TestAccuracy, String>,
    },
}

pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    bincode::serialize(message).expect("the messages hold no maps with non-string keys")
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    bincode::deserialize(bytes).map_err(|e| format!("a message could not be read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganplay_model::ToyKind;

    #[test]
    fn commands_and_events_survive_encoding() {
        let view = ViewSettings {
            class: Some(3),
            views: DeviceViews {
                surface: true,
                manifold: false,
                arrows: true,
            },
            revision: 7,
        };
        let train = Command::Train {
            backend: "cpu".into(),
            work: Work::Once(StepKind::Generator),
            runs: vec![(
                RunId::B,
                ModelSpec {
                    generation: 4,
                    steps: 120,
                    weights: vec![1, 2, 3],
                    optimizer: vec![4, 5],
                    toy: Some(ToyDataset::new(ToyKind::Ring8, 0.05).unwrap()),
                    fresh: false,
                    dataset: "ring8".into(),
                    view,
                },
            )],
        };
        assert_eq!(decode::<Command>(&encode(&train)).unwrap(), train);
        let frame = Event::Frame(
            RunId::A,
            Frame {
                generation: 4,
                steps: 121,
                losses: [Some(0.5), None],
                view: Some((7, vec![0.25; 10])),
                steps_per_sec: Some(31.5),
                diverged: None,
                blocking_ms: 2.0,
            },
        );
        assert_eq!(decode::<Event>(&encode(&frame)).unwrap(), frame);
        let accuracy = Event::Accuracy {
            generation: 4,
            step: 50,
            result: Ok(TestAccuracy {
                accuracy: 0.9,
                baseline: None,
                confusion: vec![vec![1, 0], vec![0, 1]],
            }),
        };
        assert_eq!(decode::<Event>(&encode(&accuracy)).unwrap(), accuracy);
        let weights = Event::Weights {
            run: RunId::A,
            generation: 4,
            bytes: vec![1, 2],
            optimizer: Some(vec![3]),
            last: true,
        };
        assert_eq!(decode::<Event>(&encode(&weights)).unwrap(), weights);
    }

    #[test]
    fn a_damaged_message_is_an_error() {
        let bytes = encode(&Command::Stop);
        assert!(decode::<Event>(&[bytes.as_slice(), &[9, 9, 9]].concat()).is_err());
        assert!(decode::<Command>(&[200, 1]).is_err());
    }
}
