//! Which samples a grid shows: the page's live grid and `ganplay sample` use the same layout, so
//! the same weights give the same pictures in both. [`grid`] turns samples into pixels.

pub mod grid;
pub mod images;
pub mod manifold;
pub mod readback;

use burn::tensor::Tensor;

use self::readback::ReadBackError;
use crate::config::image::ImageModelConfig;
use crate::train::TrainSession;

/// Seed of the noise vectors behind the page's sample grid.
pub const GRID_SEED: u64 = 7;
/// Samples in the page's grid: 64, or 8 per class for conditional models.
pub const GRID_COUNT: usize = 64;
pub const GRID_PER_CLASS: usize = 8;

/// The most pixel values one request may produce: 512 MB of f32.
pub const MAX_SAMPLE_VALUES: usize = 1 << 27;

/// Why samples could not be drawn.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SampleError {
    #[error("only image models generate images")]
    NotAnImageModel,
    #[error("the count must be at least 1")]
    NoImages,
    #[error("the {model} model is not conditional: it cannot be asked for a class")]
    Unconditional { model: &'static str },
    #[error("class {class}: the model knows {classes} classes, 0 to {last} ({names})", last = .classes - 1, names = .names.join(", "))]
    UnknownClass {
        class: usize,
        classes: usize,
        names: Vec<String>,
    },
    #[error("{images} images of {values} values would not fit in memory; ask for at most {most}{}", if *.per_class { " per class" } else { "" })]
    TooMany {
        images: usize,
        values: usize,
        most: usize,
        per_class: bool,
    },
    #[error(transparent)]
    ReadBack(#[from] ReadBackError),
}

/// Checks that `class`, if one is asked for, is one the model knows.
pub fn check_class(config: &ImageModelConfig, class: Option<usize>) -> Result<(), SampleError> {
    let classes = config.classes();
    match class {
        Some(_) if classes == 0 => Err(SampleError::Unconditional {
            model: config.model.id(),
        }),
        Some(class) if class >= classes => Err(SampleError::UnknownClass {
            class,
            classes,
            names: config.class_names.clone(),
        }),
        _ => Ok(()),
    }
}

/// Checks a request for `count` samples (per class, for conditional models, unless `class` picks
/// one) before anything is drawn.
pub fn check_request(
    config: &ImageModelConfig,
    count: usize,
    class: Option<usize>,
) -> Result<(), SampleError> {
    if count == 0 {
        return Err(SampleError::NoImages);
    }
    check_class(config, class)?;
    let rows = if class.is_none() {
        config.classes().max(1)
    } else {
        1
    };
    let images = count.saturating_mul(rows);
    if images.saturating_mul(config.image.len()) > MAX_SAMPLE_VALUES {
        return Err(SampleError::TooMany {
            images,
            values: config.image.len(),
            most: MAX_SAMPLE_VALUES / config.image.len().max(1) / rows,
            per_class: rows > 1,
        });
    }
    Ok(())
}

pub struct SampleLayout {
    /// One noise vector per sample.
    pub noise: Tensor<2>,
    /// The same noise, row by row, on the host: the page's latent walk starts from a sample's.
    pub noise_values: Vec<f32>,
    /// The class of each sample (conditional models only).
    pub labels: Option<Vec<usize>>,
    pub columns: usize,
}

impl SampleLayout {
    /// `count` samples (per class for conditional models, which get one row per class, each row
    /// reusing the same noise so a column keeps its style) or `count` of one class.
    pub fn new(session: &TrainSession, count: usize, class: Option<usize>, seed: u64) -> Self {
        let count = count.max(1);
        let classes = session.classes();
        let square_columns = (count as f64).sqrt().ceil() as usize;
        let noise = session.fixed_noise_values(count, seed);
        let (noise, labels, columns) = match (classes, class) {
            (0, _) => (noise, None, square_columns),
            (_, Some(class)) => (
                noise,
                Some(vec![class.min(classes - 1); count]),
                square_columns,
            ),
            (_, None) => (
                noise.repeat(classes),
                Some(
                    (0..classes)
                        .flat_map(|c| std::iter::repeat_n(c, count))
                        .collect(),
                ),
                count,
            ),
        };
        Self::from_values(session, noise, labels, columns)
    }

    /// A layout of the given noise vectors (row by row) and classes.
    pub fn from_values(
        session: &TrainSession,
        noise_values: Vec<f32>,
        labels: Option<Vec<usize>>,
        columns: usize,
    ) -> Self {
        SampleLayout {
            noise: session.tensor_from_points(noise_values.clone(), session.latent_dim()),
            noise_values,
            labels,
            columns,
        }
    }

    /// Sample `index`'s noise vector, if the layout has that many.
    pub fn noise_of(&self, index: usize) -> Option<&[f32]> {
        let dim = self.noise.dims()[1];
        self.noise_values.get(index * dim..(index + 1) * dim)
    }

    /// The page's grid.
    pub fn page_grid(session: &TrainSession, class: Option<usize>) -> Self {
        let count = if session.classes() > 0 && class.is_none() {
            GRID_PER_CLASS
        } else {
            GRID_COUNT
        };
        Self::new(session, count, class, GRID_SEED)
    }

    pub fn generate(&self, session: &TrainSession) -> Tensor<2> {
        session.generate_labelled(self.noise.clone(), self.labels.as_deref())
    }
}
