//! The image metrics of the model in training, against the held-out test digits, next to their
//! floor (real training digits scored the same way, computed once per page). Fewer samples and
//! KID subsets than `ganplay eval` (see `PAGE_SAMPLES`), so the numbers come within seconds
//! on a CPU; compare page figures with page figures.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use ganplay_model::data::bundled::Digits;
use ganplay_model::metrics::kid::KidOptions;
use ganplay_model::metrics::{ImageMetrics, MetricProtocol};
use ganplay_model::sample::images::generate_images;
use ganplay_model::weights::Snapshot;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::index::sample;

use super::classifier::{CHUNK, ModelToScore, embed_in_chunks};
use crate::browser::yield_to_browser;
use crate::digits;

/// Generated samples (and real training digits for the floor) scored in the page.
pub const PAGE_SAMPLES: usize = 500;
const SEED: u64 = 1;

fn protocol() -> MetricProtocol {
    MetricProtocol {
        kid: KidOptions {
            subsets: 20,
            subset_size: 250,
            seed: 0,
        },
        ..MetricProtocol::default()
    }
}

/// One computation's results.
#[derive(Clone, Debug, PartialEq)]
pub struct PageMetrics {
    pub step: u64,
    pub model: ImageMetrics,
    pub floor: Rc<ImageMetrics>,
}

thread_local! {
    /// The test digits' embedding and the floor, which do not change within a page.
    static BASELINE: RefCell<Option<(Rc<ganplay_model::classifier::Embedding>, Rc<ImageMetrics>)>> =
        const { RefCell::new(None) };
}

pub async fn compute(snapshot: Snapshot, step: u64, device: Device) -> Result<PageMetrics, String> {
    let digits = digits::load().await?;
    let ModelToScore {
        session,
        config,
        classifier: net,
        ..
    } = ModelToScore::load(snapshot, &device, "metrics are for image models").await?;
    let (test_embedding, floor) = baseline(&net, &digits, &device).await?;
    let mut pixels = Vec::with_capacity(PAGE_SAMPLES * config.image.len());
    for (i, start) in (0..PAGE_SAMPLES).step_by(CHUNK).enumerate() {
        let n = CHUNK.min(PAGE_SAMPLES - start);
        let batch = generate_images(&session, n, None, SEED.wrapping_add(i as u64))
            .await
            .map_err(|e| e.to_string())?;
        pixels.extend(batch.pixels);
        yield_to_browser().await;
    }
    let scored = embed_in_chunks(&net, &pixels, config.image.len(), &device).await?;
    yield_to_browser().await;
    let model =
        ImageMetrics::compare(&test_embedding, &scored, &protocol()).map_err(|e| e.to_string())?;
    Ok(PageMetrics { step, model, floor })
}

async fn baseline(
    net: &ganplay_model::nets::classifier::Classifier,
    digits: &Digits,
    device: &Device,
) -> Result<(Rc<ganplay_model::classifier::Embedding>, Rc<ImageMetrics>), String> {
    if let Some(cached) = BASELINE.with(|b| b.borrow().clone()) {
        return Ok(cached);
    }
    let (train, test) = (&digits.train, &digits.test);
    let test_embedding =
        Rc::new(embed_in_chunks(net, &test.pixels, test.shape.len(), device).await?);
    let mut rng = StdRng::seed_from_u64(SEED);
    let floor_pixels: Vec<u8> = sample(&mut rng, train.len(), PAGE_SAMPLES)
        .into_iter()
        .flat_map(|i| train.image(i).iter().copied())
        .collect();
    let floor_embedding = embed_in_chunks(net, &floor_pixels, train.shape.len(), device).await?;
    let floor = Rc::new(
        ImageMetrics::compare(&test_embedding, &floor_embedding, &protocol())
            .map_err(|e| e.to_string())?,
    );
    BASELINE.with(|b| *b.borrow_mut() = Some((test_embedding.clone(), floor.clone())));
    Ok((test_embedding, floor))
}
