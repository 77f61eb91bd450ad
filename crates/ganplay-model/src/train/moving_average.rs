//! An exponential moving average of the generator's weights (Yazıcı et al. 2019, "The unusual
//! effectiveness of averaging in GAN training"): the average of the last few thousand updates
//! samples better than the weights as last updated, which oscillate around it.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::Tensor;

/// The decay used after `updates` generator updates: `decay`, but smaller early on
/// (`(1 + updates) / (10 + updates)`), so the average is not anchored to the random start.
pub(crate) fn effective_decay(decay: f64, updates: u64) -> f64 {
    decay.min((1.0 + updates as f64) / (10.0 + updates as f64))
}

/// `decay · average + (1 − decay) · current`, weight by weight, on the plain device. Batch norm's
/// running statistics are the current generator's: they describe its activations.
pub(crate) fn blend<M: Module>(average: &M, current: &M, decay: f64) -> M {
    let mut old = Collect(Vec::new());
    average.visit(&mut old);
    current.valid().map(&mut Blend {
        old: old.0.into_iter(),
        decay,
    })
}

/// Every float parameter, flattened, in the module's visiting order.
struct Collect(Vec<Tensor<1>>);

impl ModuleVisitor for Collect {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.push(param.val().reshape([-1]));
    }
}

/// Replaces each parameter by its blend with the next collected one; the average and the
/// current generator share their structure, so the orders agree.
struct Blend {
    old: std::vec::IntoIter<Tensor<1>>,
    decay: f64,
}

impl ModuleMapper for Blend {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let old = self
            .old
            .next()
            .expect("the average has the generator's structure");
        let decay = self.decay;
        param.map(|current| {
            let shape = current.shape();
            old.reshape(shape)
                .mul_scalar(decay)
                .add(current.mul_scalar(1.0 - decay))
        })
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, TensorData};
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;
    use crate::nets::Generator;
    use crate::nets::activation::Nonlinearity;
    use crate::nets::mlp::Mlp;

    fn values(g: &Generator) -> Vec<f32> {
        let mut c = Collect(Vec::new());
        g.visit(&mut c);
        c.0.into_iter()
            .flat_map(|t| t.into_data().try_into_vec_as::<f32>().unwrap())
            .collect()
    }

    fn generator(seed: u64) -> Generator {
        let device = Device::flex();
        let rng = &mut StdRng::seed_from_u64(seed);
        Generator::Mlp(Mlp::new(3, 1, 4, 2, Nonlinearity::relu(), rng, &device))
    }

    #[test]
    fn a_blend_moves_each_weight_part_of_the_way() {
        let (average, current) = (generator(1), generator(2));
        let blended = values(&blend(&average, &current, 0.75));
        let (a, c) = (values(&average), values(&current));
        assert_eq!(blended.len(), a.len());
        for ((b, a), c) in blended.iter().zip(&a).zip(&c) {
            assert!((b - (0.75 * a + 0.25 * c)).abs() < 1e-6, "{b} {a} {c}");
        }
        // The blend is a generator like the others: it samples.
        let noise =
            Tensor::<2>::from_data(TensorData::new(vec![0.5f32; 3], [1, 3]), &Device::flex());
        let g = blend(&average, &current, 0.75);
        assert_eq!(g.forward(noise, None).dims(), [1, 2]);
    }

    #[test]
    fn the_decay_warms_up() {
        assert!((effective_decay(0.999, 0) - 0.1).abs() < 1e-12);
        assert!(effective_decay(0.999, 100) < 0.92);
        assert_eq!(effective_decay(0.999, 1_000_000), 0.999);
    }
}
