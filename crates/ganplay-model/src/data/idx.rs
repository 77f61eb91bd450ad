//! The IDX file format (MNIST's): a big-endian header of dimensions, then unsigned bytes.

pub(crate) struct Idx {
    pub(crate) dims: Vec<usize>,
    pub(crate) body: Vec<u8>,
}

/// Why bytes are not an IDX file of unsigned bytes.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum IdxError {
    #[error("broken gzip data: {0}")]
    Gzip(String),
    #[error("only {0} bytes, too short for an IDX header")]
    TooShort(usize),
    #[error("not an IDX file (its first two bytes must be zero)")]
    NotIdx,
    #[error("holds data of type 0x{found:02x}, expected unsigned bytes (0x{expected:02x})")]
    DataType { found: u8, expected: u8 },
    #[error("has {found} dimensions, expected {expected}")]
    Rank { found: u8, expected: usize },
    #[error("truncated header")]
    TruncatedHeader,
    #[error("dimensions overflow")]
    Overflow,
    #[error("header promises {expected} bytes of data ({dims:?}) but the file holds {found}")]
    Length {
        expected: usize,
        dims: Vec<usize>,
        found: usize,
    },
}

/// Reads an IDX file of unsigned bytes with `rank` dimensions; gzip is detected by its magic.
pub(crate) fn read_idx(bytes: &[u8], type_code: u8, rank: usize) -> Result<Idx, IdxError> {
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        gunzip(bytes)?
    } else {
        bytes.to_vec()
    };
    if bytes.len() < 4 {
        return Err(IdxError::TooShort(bytes.len()));
    }
    if bytes[0] != 0 || bytes[1] != 0 {
        return Err(IdxError::NotIdx);
    }
    if bytes[2] != type_code {
        return Err(IdxError::DataType {
            found: bytes[2],
            expected: type_code,
        });
    }
    if bytes[3] as usize != rank {
        return Err(IdxError::Rank {
            found: bytes[3],
            expected: rank,
        });
    }
    let header = 4 + 4 * rank;
    if bytes.len() < header {
        return Err(IdxError::TruncatedHeader);
    }
    let dims: Vec<usize> = (0..rank)
        .map(|i| u32::from_be_bytes(bytes[4 + 4 * i..8 + 4 * i].try_into().unwrap()) as usize)
        .collect();
    let expected = dims
        .iter()
        .try_fold(1usize, |acc, d| acc.checked_mul(*d))
        .ok_or(IdxError::Overflow)?;
    let body = &bytes[header..];
    if body.len() != expected {
        return Err(IdxError::Length {
            expected,
            dims,
            found: body.len(),
        });
    }
    Ok(Idx {
        dims,
        body: body.to_vec(),
    })
}

/// An IDX file of unsigned bytes (uncompressed): the header of `dims`, then `body`.
pub fn write_idx(dims: &[usize], body: &[u8]) -> Vec<u8> {
    debug_assert_eq!(dims.iter().product::<usize>(), body.len());
    let mut bytes = vec![0, 0, 0x08, dims.len() as u8];
    for d in dims {
        bytes.extend((*d as u32).to_be_bytes());
    }
    bytes.extend_from_slice(body);
    bytes
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, IdxError> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| IdxError::Gzip(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use rand::Rng;

    use crate::data::images::ImageSet;

    fn idx_bytes(magic: [u8; 4], dims: &[u32], body: &[u8]) -> Vec<u8> {
        let mut v = magic.to_vec();
        for d in dims {
            v.extend(d.to_be_bytes());
        }
        v.extend(body);
        v
    }

    #[test]
    fn idx_round_trips_and_bad_files_are_named() {
        let images = idx_bytes([0, 0, 8, 3], &[2, 2, 2], &[0, 1, 2, 3, 4, 5, 6, 7]);
        let labels = idx_bytes([0, 0, 8, 1], &[2], &[3, 9]);
        let set = ImageSet::from_idx(&images, &labels).unwrap();
        assert_eq!(
            (set.len(), set.shape.height, set.image(1)),
            (2, 2, &[4u8, 5, 6, 7][..])
        );

        let err = |images: &[u8], labels: &[u8]| {
            ImageSet::from_idx(images, labels).unwrap_err().to_string()
        };
        assert!(err(&images[..10], &labels).contains("truncated header"));
        assert!(err(&images[..20], &labels).contains("promises 8 bytes"));
        assert!(err(&labels, &labels).contains("image file: has 1 dimensions"));
        assert!(err(b"PNG....", &labels).contains("not an IDX file"));
        assert!(err(&[0x1f, 0x8b, 1, 2], &labels).contains("broken gzip"));
        let three = idx_bytes([0, 0, 8, 1], &[3], &[1, 2, 3]);
        assert!(err(&images, &three).contains("2 images but 3 labels"));
    }

    #[test]
    fn written_files_read_back() {
        let pixels: Vec<u8> = (0..2 * 3 * 4).map(|i| i as u8).collect();
        let images = super::write_idx(&[2, 3, 4], &pixels);
        let labels = super::write_idx(&[2], &[1, 7]);
        let set = ImageSet::from_idx(&images, &labels).unwrap();
        assert_eq!((set.shape.height, set.shape.width), (3, 4));
        assert_eq!((set.pixels, set.labels), (pixels, vec![1, 7]));
    }

    #[test]
    fn idx_reader_never_panics_on_mangled_files() {
        use rand::SeedableRng;
        let images = idx_bytes([0, 0, 8, 3], &[2, 2, 2], &[0, 1, 2, 3, 4, 5, 6, 7]);
        let labels = idx_bytes([0, 0, 8, 1], &[2], &[3, 9]);
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..5000 {
            let mut a = images.clone();
            let mut b = labels.clone();
            for buf in [&mut a, &mut b] {
                match rng.random_range(0..3) {
                    0 => buf.truncate(rng.random_range(0..buf.len())),
                    1 => {
                        let i = rng.random_range(0..buf.len());
                        buf[i] = rng.random();
                    }
                    _ => buf.extend((0..rng.random_range(0..9)).map(|_| rng.random::<u8>())),
                }
            }
            let _ = ImageSet::from_idx(&a, &b);
        }
    }
}
