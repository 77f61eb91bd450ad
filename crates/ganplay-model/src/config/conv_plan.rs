//! The DCGAN's layout for an image size: part of what a config means, checked when it is
//! validated, and followed by the networks that build it.

use super::ConfigError;
use crate::data::images::ImageShape;

/// How a square image is built up: `start` × `start` feature maps, doubled `stages` times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvPlan {
    pub stages: usize,
    pub start: usize,
}

impl ConvPlan {
    /// Halve the side while it stays even and at least 4 after halving: 28 → 7 (2 stages),
    /// 32 → 4 (3), 64 → 4 (4).
    pub fn for_image(image: ImageShape) -> Result<Self, ConfigError> {
        let refuse = |message| ConfigError {
            field: "image size",
            message,
        };
        if image.height != image.width {
            return Err(refuse(format!(
                "convolutional models need square images, got {}x{}",
                image.width, image.height
            )));
        }
        let (mut start, mut stages) = (image.height, 0);
        while start % 2 == 0 && start / 2 >= 4 {
            start /= 2;
            stages += 1;
        }
        if stages == 0 {
            return Err(refuse(format!(
                "image side {} cannot be halved to a 4x4 or larger map",
                image.height
            )));
        }
        Ok(ConvPlan { stages, start })
    }

    /// Channels entering stage `i` of the generator (widest first); the discriminator mirrors it.
    pub(crate) fn channels(&self, width: usize, i: usize) -> usize {
        width << (self.stages - 1 - i)
    }
}
