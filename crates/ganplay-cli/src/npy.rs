//! NumPy `.npy` files of 2-D float arrays (what `np.save` writes for noise vectors): little-endian
//! float32 or float64, C order. A few lines here rather than an npy crate: those pull in parsers
//! whose features would change crates Burn shares, and rebuild it.

/// Rows, columns and the values (as f32) of a 2-D array.
pub fn read_2d(bytes: &[u8]) -> Result<(usize, usize, Vec<f32>), String> {
    if !bytes.starts_with(b"\x93NUMPY") || bytes.len() < 10 {
        return Err("not a NumPy .npy file (its magic string is missing)".into());
    }
    let (header_len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(format!("unsupported .npy version {v}")),
    };
    let header = bytes
        .get(start..start + header_len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or("truncated or unreadable .npy header")?;
    let value = |key: &str| -> Result<&str, String> {
        let at = header
            .find(&format!("'{key}':"))
            .ok_or(format!("the .npy header has no '{key}'"))?;
        Ok(header[at + key.len() + 3..].trim_start())
    };
    let descr = value("descr")?;
    let width = if descr.starts_with("'<f4'") {
        4
    } else if descr.starts_with("'<f8'") {
        8
    } else {
        return Err(format!(
            "holds {}, not little-endian float32 or float64",
            descr.split(',').next().unwrap_or(descr)
        ));
    };
    if value("fortran_order")?.starts_with("True") {
        return Err("is in Fortran order; save a C-ordered array".into());
    }
    let shape = value("shape")?;
    let dims: Vec<usize> = shape
        .strip_prefix('(')
        .and_then(|s| s.split(')').next())
        .ok_or("unreadable shape")?
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            d.parse()
                .map_err(|_| format!("unreadable shape entry '{d}'"))
        })
        .collect::<Result<_, _>>()?;
    let [rows, cols] = dims[..] else {
        return Err(format!("has shape {dims:?}, not two dimensions"));
    };
    let data = &bytes[start + header_len..];
    if data.len() != rows * cols * width {
        return Err(format!(
            "promises {rows}x{cols} values but holds {} bytes",
            data.len()
        ));
    }
    let values = match width {
        4 => data
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
        _ => data
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")) as f32)
            .collect(),
    };
    Ok((rows, cols, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(descr: &str, shape: &str, data: &[u8]) -> Vec<u8> {
        let mut header =
            format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
        while (10 + header.len() + 1) % 64 != 0 {
            header.push(' ');
        }
        header.push('\n');
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend((header.len() as u16).to_le_bytes());
        bytes.extend(header.as_bytes());
        bytes.extend(data);
        bytes
    }

    #[test]
    fn reads_float32_and_float64() {
        let f32s: Vec<u8> = [1.0f32, -2.0, 0.5, 3.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(
            read_2d(&npy("<f4", "(2, 2)", &f32s)).unwrap(),
            (2, 2, vec![1.0, -2.0, 0.5, 3.0])
        );
        let f64s: Vec<u8> = [1.5f64, 2.5, 3.5]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(
            read_2d(&npy("<f8", "(1, 3)", &f64s)).unwrap(),
            (1, 3, vec![1.5, 2.5, 3.5])
        );
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(read_2d(b"PNG").is_err());
        let f32s: Vec<u8> = [1.0f32; 3].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert!(
            read_2d(&npy("<f4", "(3,)", &f32s))
                .unwrap_err()
                .contains("two dimensions")
        );
        assert!(
            read_2d(&npy("<i8", "(1, 3)", &f32s))
                .unwrap_err()
                .contains("not little-endian")
        );
        assert!(
            read_2d(&npy("<f4", "(2, 3)", &f32s))
                .unwrap_err()
                .contains("promises")
        );
    }
}
