//! Reading values back from the device: [`read_values`] for one tensor, and several flat tensors
//! packed into one, so that one read-back fetches them all, and the read-back split again. One
//! [`PackedLayout`] describes both directions: the parts' names, order and lengths live in one
//! place, and both directions check them.

use burn::tensor::Tensor;

/// Named parts of a packed tensor, in order, with their lengths in values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PackedLayout {
    parts: Vec<(&'static str, usize)>,
}

/// A tensor's values could not be read back from its device.
#[derive(Clone, Debug, thiserror::Error, PartialEq)]
#[error("could not read values back from the device: {0}")]
pub struct ReadBackError(String);

/// A tensor's values as f32, read without blocking (a synchronous read panics on WebGPU).
pub async fn read_values<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>, ReadBackError> {
    let data = tensor
        .into_data_async()
        .await
        .map_err(|e| ReadBackError(format!("{e:?}")))?;
    data.try_into_vec_as::<f32>()
        .map_err(|e| ReadBackError(format!("{e:?}")))
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PackError {
    #[error("{got} values to unpack, the layout holds {expected}")]
    Length { expected: usize, got: usize },
}

impl PackedLayout {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a part of `len` values after the others.
    pub fn part(mut self, name: &'static str, len: usize) -> Self {
        self.parts.push((name, len));
        self
    }

    /// Values in all parts.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|(_, len)| len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The parts' tensors, in layout order, as one tensor.
    ///
    /// # Panics
    /// When the tensors do not match the layout's parts in number and length: a bug in the code
    /// that builds both, caught before any read-back.
    pub fn pack(&self, tensors: Vec<Tensor<1>>) -> Tensor<1> {
        assert_eq!(
            tensors.len(),
            self.parts.len(),
            "{} tensors for the parts {:?}",
            tensors.len(),
            self.parts
        );
        for ((name, len), t) in self.parts.iter().zip(&tensors) {
            assert_eq!(
                t.dims()[0],
                *len,
                "part `{name}` has {} values, the layout says {len}",
                t.dims()[0]
            );
        }
        Tensor::cat(tensors, 0)
    }

    /// Splits a read-back of [`Self::pack`] into its parts.
    pub fn unpack<'a>(&self, flat: &'a [f32]) -> Result<Unpacked<'a>, PackError> {
        if flat.len() != self.len() {
            return Err(PackError::Length {
                expected: self.len(),
                got: flat.len(),
            });
        }
        let mut rest = flat;
        let parts = self
            .parts
            .iter()
            .map(|(name, len)| {
                let (head, tail) = rest.split_at(*len);
                rest = tail;
                (*name, head)
            })
            .collect();
        Ok(Unpacked { parts })
    }
}

/// The parts of an unpacked read-back, by name.
#[derive(Debug, PartialEq)]
pub struct Unpacked<'a> {
    parts: Vec<(&'static str, &'a [f32])>,
}

impl<'a> Unpacked<'a> {
    /// The part called `name`, if the layout has one.
    pub fn get(&self, name: &str) -> Option<&'a [f32]> {
        self.parts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, values)| *values)
    }
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, TensorData};

    use super::*;

    fn tensor(values: Vec<f32>) -> Tensor<1> {
        let n = values.len();
        Tensor::from_data(TensorData::new(values, [n]), &Device::flex())
    }

    fn layout() -> PackedLayout {
        PackedLayout::new().part("grid", 3).part("map", 2)
    }

    #[test]
    fn packed_parts_come_back_by_name() {
        let packed = layout().pack(vec![tensor(vec![1.0, 2.0, 3.0]), tensor(vec![4.0, 5.0])]);
        let flat = packed.into_data().try_into_vec_as::<f32>().unwrap();
        assert_eq!(flat.len(), layout().len());
        let parts = layout().unpack(&flat).unwrap();
        assert_eq!(parts.get("grid"), Some(&[1.0, 2.0, 3.0][..]));
        assert_eq!(parts.get("map"), Some(&[4.0, 5.0][..]));
        assert_eq!(parts.get("surface"), None);
    }

    #[test]
    fn a_read_back_of_the_wrong_length_is_refused() {
        assert_eq!(
            layout().unpack(&[0.0; 4]),
            Err(PackError::Length {
                expected: 5,
                got: 4
            })
        );
        assert!(layout().unpack(&[0.0; 6]).is_err());
        assert!(
            PackedLayout::new()
                .unpack(&[])
                .unwrap()
                .get("grid")
                .is_none()
        );
    }

    #[test]
    #[should_panic(expected = "part `map` has 3 values")]
    fn tensors_that_do_not_fit_the_layout_are_caught_before_packing() {
        let t = |n: usize| tensor(vec![0.0; n]);
        layout().pack(vec![t(3), t(3)]);
    }
}
