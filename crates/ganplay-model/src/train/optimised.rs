//! Parameter ids and the optimisers that update them: the ids follow each parameter's path in
//! the module tree, so a rebuilt session of the same config has the same ones and saved
//! optimiser state finds its parameters again.

use std::collections::HashMap;

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param, ParamId};
use burn::tensor::Tensor;
use sha2::{Digest, Sha256};

use super::build::Nets;
use super::optimizer::Optimizer;

/// Gives each parameter the id its path names.
#[derive(Default)]
pub(crate) struct PathIds {
    path: Vec<String>,
}

impl ModuleMapper for PathIds {
    fn enter_module(&mut self, name: &str, _: &str) {
        self.path.push(name.to_string());
    }
    fn exit_module(&mut self, _: &str, _: &str) {
        self.path.pop();
    }
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (_, value, mapper) = param.consume();
        let digest = Sha256::digest(self.path.join(".").as_bytes());
        let id = u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"));
        Param::from_mapped_value(ParamId::from(id), value, mapper)
    }
}

impl Nets {
    /// The session's own optimisers, in a fixed order, each with the sizes of the parameters it
    /// updates (a semi-supervised model's labels-only twin is a measurement and restarts with the
    /// run).
    pub(crate) fn optimised(&self) -> Vec<(&Optimizer, HashMap<ParamId, usize>)> {
        match self {
            Nets::Gan(n) => vec![
                (&n.g_optimizer, sizes(&n.modules.generator)),
                (&n.d_optimizer, sizes(&n.modules.critic)),
            ],
            Nets::Vae(n) => vec![(&n.optimizer, sizes(&n.modules.vae))],
            Nets::SemiSupervised(n) => vec![
                (&n.g_optimizer, sizes(&n.modules.generator)),
                (&n.d_optimizer, sizes(&n.modules.discriminator)),
            ],
            Nets::SemiSupervisedVae(n) => vec![(&n.optimizer, sizes(&n.modules))],
        }
    }

    pub(crate) fn optimizers_mut(&mut self) -> Vec<&mut Optimizer> {
        match self {
            Nets::Gan(n) => vec![&mut n.g_optimizer, &mut n.d_optimizer],
            Nets::Vae(n) => vec![&mut n.optimizer],
            Nets::SemiSupervised(n) => vec![&mut n.g_optimizer, &mut n.d_optimizer],
            Nets::SemiSupervisedVae(n) => vec![&mut n.optimizer],
        }
    }
}

/// Every float parameter's id and number of values.
fn sizes<M: Module>(module: &M) -> HashMap<ParamId, usize> {
    struct Sizes(HashMap<ParamId, usize>);
    impl ModuleVisitor for Sizes {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.insert(param.id, param.shape().num_elements());
        }
    }
    let mut visitor = Sizes(HashMap::new());
    module.visit(&mut visitor);
    visitor.0
}
