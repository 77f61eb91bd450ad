//! What a redraw needs from the model, packed into one tensor so one read-back fetches it, and
//! unpacked by the same [`PackedLayout`].

use std::rc::Rc;

use burn::tensor::Tensor;
use ganplay_model::TrainSession;
use ganplay_model::metrics::{Divergence, ModeMetrics, mode_metrics, points_from_flat};
use ganplay_model::sample::readback::PackedLayout;

use super::{
    Engine, INTERPOLATION_STEPS, ImageParts, LATENT_EXTENT, LATENT_MAP_SIDE, Parts,
    RECONSTRUCTIONS, SURFACE_CELLS,
};

#[derive(Clone, Debug, PartialEq)]
pub enum View {
    Toy {
        generated: Rc<[[f32; 2]]>,
        /// D's belief "real" on a `SURFACE_CELLS²` grid, row by row from the top.
        surface: Option<Rc<[f32]>>,
        metrics: ModeMetrics,
        /// KL and JS of the generated points against the data's density.
        divergence: Divergence,
        manifold: Option<Manifold>,
        /// Where the generator's loss pushes each of the first generated points.
        arrows: Option<Rc<[[f32; 2]]>>,
    },
    Image(ImageView),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImageView {
    pub grid: Rc<[f32]>,
    pub grid_columns: usize,
    pub interpolation: Rc<[f32]>,
    /// VAEs: `RECONSTRUCTIONS` test digits, then their reconstructions.
    pub reconstructions: Option<Rc<[f32]>>,
    /// VAEs: first two latent coordinates of test digits, with their classes.
    pub encodings: Option<Rc<[Encoded]>>,
    /// 2-D latent VAEs: decoded images over the latent plane, top row first.
    pub latent_map: Option<Rc<[f32]>>,
    /// GANs: the discriminator's belief "real" for the scored training digits and the grid.
    pub d_scores: Option<DScores>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DScores {
    pub real: Rc<[f32]>,
    pub fake: Rc<[f32]>,
}

/// The generator's image of a grid over its noise space, row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifold {
    pub points: Rc<[[f32; 2]]>,
    pub rows: usize,
    pub columns: usize,
}

/// A test digit's first two latent coordinates and its class.
pub type Encoded = ([f32; 2], u8);

impl Engine {
    /// Everything a redraw needs, concatenated so one read-back fetches it.
    pub fn view_tensor(&self) -> Tensor<1> {
        let s = &self.session;
        let flat = |t: Tensor<2>| t.flatten::<1>(0, 1);
        let mut pieces = Vec::new();
        match &self.parts {
            Parts::Toy(p) => {
                let generated = s.generate(p.noise.clone());
                pieces.push(flat(generated.clone()));
                if self.views.surface
                    && let Some(surface) = s.discriminator_belief(p.surface_grid.clone())
                {
                    pieces.push(flat(surface));
                }
                if self.views.manifold {
                    pieces.push(flat(s.generate(p.manifold_noise.clone())));
                }
                if self.views.arrows
                    && let Some(push) = s.generator_push(generated.narrow(0, 0, p.arrow_points))
                {
                    pieces.push(flat(push));
                }
            }
            Parts::Image(p) => {
                let grid = p.layout.generate(s);
                pieces.push(flat(grid.clone()));
                pieces.push(flat(p.interpolation.generate(s)));
                if let Some((images, labels)) = &p.test_images {
                    let shown = images.clone().narrow(0, 0, RECONSTRUCTIONS);
                    pieces.push(flat(shown.clone()));
                    pieces.push(flat(
                        s.reconstruct(shown, &labels[..RECONSTRUCTIONS])
                            .expect("VAE"),
                    ));
                    let means = s.encode(images.clone(), labels).expect("VAE");
                    pieces.push(flat(means.narrow(1, 0, encoding_dims(s))));
                }
                if let Some(real) = &p.scored_real
                    && let Some(real_scores) =
                        s.discriminator_scores(real.images.clone(), Some(&real.labels))
                    && let Some(fake_scores) =
                        s.discriminator_scores(grid, p.layout.labels.as_deref())
                {
                    pieces.push(flat(real_scores));
                    pieces.push(flat(fake_scores));
                }
                if has_latent_map(s, p) {
                    let z = latent_map_noise(s);
                    pieces.push(flat(s.generate_labelled(
                        z,
                        Some(&vec![
                            p.class.unwrap_or(0);
                            LATENT_MAP_SIDE * LATENT_MAP_SIDE
                        ]),
                    )));
                }
            }
        }
        self.view_layout().pack(pieces)
    }

    /// The parts [`Self::view_tensor`] packs, in order, with their sizes: the one description
    /// that packing and [`Self::view_from`] share.
    fn view_layout(&self) -> PackedLayout {
        let s = &self.session;
        match &self.parts {
            Parts::Toy(p) => {
                let mut layout = PackedLayout::new().part("generated", p.noise.dims()[0] * 2);
                if self.views.surface && s.has_decision_surface() {
                    layout = layout.part("surface", SURFACE_CELLS * SURFACE_CELLS);
                }
                if self.views.manifold {
                    layout = layout.part("manifold", p.manifold.len() * 2);
                }
                if self.views.arrows && s.has_decision_surface() {
                    layout = layout.part("arrows", p.arrow_points * 2);
                }
                layout
            }
            Parts::Image(p) => {
                let image = p.config.image.len();
                let mut layout = PackedLayout::new()
                    .part("grid", p.layout.noise.dims()[0] * image)
                    .part("interpolation", INTERPOLATION_STEPS * image);
                if let Some((_, labels)) = &p.test_images {
                    layout = layout
                        .part("originals", RECONSTRUCTIONS * image)
                        .part("reconstructions", RECONSTRUCTIONS * image)
                        .part("encodings", labels.len() * encoding_dims(s));
                }
                if let Some(real) = &p.scored_real {
                    layout = layout
                        .part("real scores", real.labels.len())
                        .part("fake scores", p.layout.noise.dims()[0]);
                }
                if has_latent_map(s, p) {
                    layout = layout.part("latent map", LATENT_MAP_SIDE * LATENT_MAP_SIDE * image);
                }
                layout
            }
        }
    }

    /// Splits a read-back of [`Self::view_tensor`].
    pub fn view_from(&self, flat: &[f32]) -> Result<View, String> {
        let parts = self
            .view_layout()
            .unpack(flat)
            .map_err(|e| format!("the page's view could not be read: {e}"))?;
        let part = |name: &str| Rc::from(parts.get(name).unwrap_or_default());
        Ok(match &self.parts {
            Parts::Toy(p) => {
                let generated = points_from_flat(parts.get("generated").unwrap_or_default());
                let metrics = mode_metrics(&p.data, &generated);
                let divergence = p.density.divergence(&generated);
                View::Toy {
                    generated: generated.into(),
                    surface: parts.get("surface").map(Rc::from),
                    metrics,
                    divergence,
                    manifold: parts.get("manifold").map(|values| Manifold {
                        points: points_from_flat(values).into(),
                        rows: p.manifold.rows,
                        columns: p.manifold.columns,
                    }),
                    arrows: parts.get("arrows").map(|v| points_from_flat(v).into()),
                }
            }
            Parts::Image(p) => {
                let reconstructions = parts
                    .get("originals")
                    .zip(parts.get("reconstructions"))
                    .map(|(a, b)| Rc::from([a, b].concat()));
                let dims = encoding_dims(&self.session);
                let encodings = p.test_images.as_ref().zip(parts.get("encodings")).map(
                    |((_, labels), codes)| {
                        codes
                            .chunks_exact(dims)
                            .zip(labels)
                            .map(|(c, l)| ([c[0], *c.get(1).unwrap_or(&0.0)], *l as u8))
                            .collect::<Rc<[_]>>()
                    },
                );
                View::Image(ImageView {
                    grid: part("grid"),
                    grid_columns: p.layout.columns,
                    interpolation: part("interpolation"),
                    reconstructions,
                    encodings,
                    latent_map: parts.get("latent map").map(Rc::from),
                    d_scores: parts.get("real scores").zip(parts.get("fake scores")).map(
                        |(real, fake)| DScores {
                            real: real.into(),
                            fake: fake.into(),
                        },
                    ),
                })
            }
        })
    }
}

/// Latent coordinates drawn per encoded test digit: the first two.
fn encoding_dims(session: &TrainSession) -> usize {
    2.min(session.latent_dim())
}

/// Only VAEs with a 2-D latent have a map to draw.
fn has_latent_map(session: &TrainSession, parts: &ImageParts) -> bool {
    parts.config.model.is_vae() && session.latent_dim() == 2
}

/// Grid of 2-D latent points, top row first.
fn latent_map_noise(session: &TrainSession) -> Tensor<2> {
    let n = LATENT_MAP_SIDE;
    let at = |i: usize| -LATENT_EXTENT + 2.0 * LATENT_EXTENT * i as f32 / (n - 1) as f32;
    let values: Vec<f32> = (0..n)
        .flat_map(|row| (0..n).flat_map(move |col| [at(col), -at(row)]))
        .collect();
    session.tensor_from_points(values, 2)
}
