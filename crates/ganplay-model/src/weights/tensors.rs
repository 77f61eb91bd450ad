//! The weight file's tensors and the session's module tree, matched by name. Names are Burn's
//! module paths from the session's root module (`generator.Mlp.layers.0.weight`,
//! `vae.mean.bias`, …; see [`crate::nets::GanModules`]), so they follow the structs, not a
//! hand-kept list.

use std::collections::{BTreeMap, HashMap};

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Tensor, TensorData};

use super::{WeightError, WeightFile};
use crate::train::TrainSession;

/// Tensors by name: shape and values (as f32).
pub type NamedTensors = HashMap<String, (Vec<usize>, Vec<f32>)>;

impl TrainSession {
    /// Replaces the weights with the file's. Every tensor is checked first, so on any error the
    /// session is left exactly as it was. The step counter takes the file's.
    pub fn load_weights(&mut self, file: &WeightFile) -> Result<(), WeightError> {
        let model = self.config().model_id().to_string();
        if file.config != *self.config() {
            return Err(WeightError::Mismatch {
                model,
                message: "its config differs from this model's (build the model from the file)"
                    .into(),
            });
        }
        check_fit(&model, &tensor_shapes(self), &file.tensors)?;
        self.map_modules(&mut Load {
            tensors: &file.tensors,
            path: Vec::new(),
        });
        self.set_steps(file.facts.steps);
        Ok(())
    }
}

/// The name and shape of every tensor a file for this session must hold.
pub fn tensor_shapes(session: &TrainSession) -> BTreeMap<String, Vec<usize>> {
    let mut c = Collect::default();
    session.visit_modules(&mut c);
    shapes(c.out)
}

fn shapes(collected: Vec<(String, Tensor<1>, Vec<usize>)>) -> BTreeMap<String, Vec<usize>> {
    collected
        .into_iter()
        .map(|(name, _, shape)| (name, shape))
        .collect()
}

/// Checks that `tensors` holds exactly the tensors `expected` names, with their shapes.
fn check_fit(
    model: &str,
    expected: &BTreeMap<String, Vec<usize>>,
    tensors: &NamedTensors,
) -> Result<(), WeightError> {
    let mismatch = |message: String| WeightError::Mismatch {
        model: model.to_string(),
        message,
    };
    if let Some(name) = expected.keys().find(|n| !tensors.contains_key(*n)) {
        return Err(mismatch(format!("tensor `{name}` is missing")));
    }
    if let Some(name) = tensors.keys().find(|n| !expected.contains_key(*n)) {
        return Err(mismatch(format!("unexpected tensor `{name}`")));
    }
    for (name, shape) in expected {
        let (stored, values) = &tensors[name];
        if stored != shape || values.len() != shape.iter().product::<usize>() {
            return Err(mismatch(format!(
                "tensor `{name}` has shape {stored:?}, the model needs {shape:?}"
            )));
        }
    }
    Ok(())
}

/// Every float tensor of the session as `(name, flat tensor, shape)`, in a stable order.
pub(super) fn collect(session: &TrainSession) -> Vec<(String, Tensor<1>, Vec<usize>)> {
    let mut c = Collect::default();
    session.visit_modules(&mut c);
    c.out
}

/// Every float tensor of any module, named by its path from that module.
pub(crate) fn module_tensors<M: Module>(module: &M) -> Vec<(String, Tensor<1>, Vec<usize>)> {
    let mut c = Collect::default();
    module.visit(&mut c);
    c.out
}

/// `module` with the tensors of `tensors`, after checking that they fit it exactly.
pub(crate) fn load_module<M: Module>(
    model: &str,
    module: M,
    tensors: &NamedTensors,
) -> Result<M, WeightError> {
    check_fit(model, &shapes(module_tensors(&module)), tensors)?;
    Ok(module.map(&mut Load {
        tensors,
        path: Vec::new(),
    }))
}

#[derive(Default)]
struct Collect {
    path: Vec<String>,
    out: Vec<(String, Tensor<1>, Vec<usize>)>,
}

impl ModuleVisitor for Collect {
    fn enter_module(&mut self, name: &str, _: &str) {
        self.path.push(name.to_string());
    }
    fn exit_module(&mut self, _: &str, _: &str) {
        self.path.pop();
    }
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let tensor = param.val().inner();
        let shape = tensor.dims().to_vec();
        let flat = tensor.reshape([shape.iter().product::<usize>()]);
        self.out.push((self.path.join("."), flat, shape));
    }
}

struct Load<'a> {
    tensors: &'a NamedTensors,
    path: Vec<String>,
}

impl ModuleMapper for Load<'_> {
    fn enter_module(&mut self, name: &str, _: &str) {
        self.path.push(name.to_string());
    }
    fn exit_module(&mut self, _: &str, _: &str) {
        self.path.pop();
    }
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        // Names and shapes were checked before mapping began.
        let Some((shape, values)) = self.tensors.get(&self.path.join(".")) else {
            return param;
        };
        let data = TensorData::new(values.clone(), shape.clone());
        param.map(|t| {
            let trainable = t.is_require_grad();
            let fresh = Tensor::from_data(data, &t.device());
            if trainable {
                fresh.require_grad()
            } else {
                fresh
            }
        })
    }
}
