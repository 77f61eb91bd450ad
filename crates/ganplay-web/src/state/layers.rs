//! The layers of the 2D plot, and which of them cost device work.

/// A view of the 2D plot that can be switched off. The surface, manifold and arrows also cost
/// device work at every redraw, which stops when they are off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    Real,
    Generated,
    Surface,
    Manifold,
    Arrows,
}

impl Layer {
    pub const ALL: [Layer; 5] = [
        Layer::Real,
        Layer::Generated,
        Layer::Surface,
        Layer::Manifold,
        Layer::Arrows,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Layer::Real => "real",
            Layer::Generated => "generated",
            Layer::Surface => "surface",
            Layer::Manifold => "manifold",
            Layer::Arrows => "arrows",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Layer::Real => "real samples",
            Layer::Generated => "generated samples",
            Layer::Surface => "decision surface",
            Layer::Manifold => "generator manifold",
            Layer::Arrows => "gradient arrows",
        }
    }

    /// What the layer shows, for its tooltip.
    pub fn explanation(self) -> &'static str {
        match self {
            Layer::Real => "Samples of the real data (grey).",
            Layer::Generated => "The generator's samples (orange), always from the same noise.",
            Layer::Surface => {
                "What the discriminator believes at each point: blue = real, orange = fake."
            }
            Layer::Manifold => {
                "A grid over the noise space pushed through the generator: how G folds and \
                 stretches space onto the modes."
            }
            Layer::Arrows => {
                "Where the generator's loss pushes each generated sample (direction and relative \
                 size): the next G step moves samples along these."
            }
        }
    }

    pub(super) fn from_id(id: &str) -> Option<Self> {
        Layer::ALL.into_iter().find(|l| l.id() == id)
    }
}

/// Which of the 2D views that cost device work a redraw computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceViews {
    pub surface: bool,
    pub manifold: bool,
    /// Arrows sit on generated points: hidden points need none.
    pub arrows: bool,
}

impl Default for DeviceViews {
    fn default() -> Self {
        Self {
            surface: true,
            manifold: true,
            arrows: true,
        }
    }
}
