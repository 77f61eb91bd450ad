//! Damaged weight files end in a clear error, never a panic or a huge allocation: each bundled
//! image model (each carries a checksum) is mutated hundreds of times, seeded
//! (byte flips in the header and in the data, truncations, absurd config values, a duplicated
//! tensor name, a relabelled dtype), and each is parsed and, where it parses, built and sampled.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;

use burn::tensor::Device;
use ganplay_model::sample::SampleLayout;
use ganplay_model::weights::{self, Integrity, WeightFile};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Refuses any single allocation over 1 GB, so a file that asks for one fails this test (the
/// process aborts) instead of slowing the machine down.
struct Capped;

const ONE_GB: usize = 1 << 30;

unsafe impl GlobalAlloc for Capped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ONE_GB {
            return std::ptr::null_mut();
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Capped = Capped;

const MUTATIONS_PER_MODEL: usize = 120;

#[test]
fn damaged_files_are_refused_with_a_reason_and_never_crash() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/weights");
    let device = Device::flex();
    let mut checked = 0;
    for name in ["vae", "dcgan", "cgan", "m2"] {
        let bytes = std::fs::read(dir.join(format!("{name}.safetensors"))).unwrap();
        let original = WeightFile::parse(&bytes).unwrap();
        assert_eq!(original.integrity, Integrity::Verified, "{name}");
        let data_start = 8 + u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        let mut rng = StdRng::seed_from_u64(name.len() as u64);
        for i in 0..MUTATIONS_PER_MODEL {
            let (what, damaged, must_fail) = mutate(&bytes, data_start, i, &mut rng);
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match WeightFile::parse(
                    &damaged,
                ) {
                    Err(e) => Err(e.to_string()),
                    Ok(file) => weights::sampling_session(&file, &device)
                        .map(|session| {
                            SampleLayout::new(&session, 2, None, 7).generate(&session);
                        })
                        .map_err(|e| e.to_string()),
                }));
            match outcome {
                Err(_) => panic!("{name}, mutation {i} ({what}) panicked"),
                Ok(Err(message)) => assert!(message.len() > 10, "{name} {what}: {message}"),
                Ok(Ok(())) => assert!(!must_fail, "{name}, mutation {i} ({what}) loaded"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 4 * MUTATIONS_PER_MODEL);
}

/// One seeded mutation: what it did, the bytes, and whether loading them must fail.
fn mutate(bytes: &[u8], data_start: usize, i: usize, rng: &mut StdRng) -> (String, Vec<u8>, bool) {
    let mut out = bytes.to_vec();
    match i % 6 {
        0 => {
            let at = rng.random_range(data_start..bytes.len());
            out[at] ^= 1 << rng.random_range(0..8);
            (format!("data bit flip at {at}"), out, true)
        }
        1 => {
            let at = rng.random_range(0..data_start);
            out[at] = rng.random();
            (format!("header byte at {at}"), out, false)
        }
        2 => {
            let len = rng.random_range(0..bytes.len());
            out.truncate(len);
            (format!("truncated to {len}"), out, true)
        }
        3 => {
            // A number in the header (sizes, offsets, config values) made absurd.
            let header = String::from_utf8_lossy(&bytes[8..data_start]).into_owned();
            let numbers: Vec<(usize, usize)> = number_spans(&header);
            let (start, end) = numbers[rng.random_range(0..numbers.len())];
            let absurd = [
                "0",
                "4000000000",
                "18446744073709551615",
                "-1",
                "1e308",
                "4096",
            ][rng.random_range(0..6)];
            let edited = format!("{}{absurd}{}", &header[..start], &header[end..]);
            (
                format!("number at {start} set to {absurd}"),
                with_header(&edited, bytes, data_start),
                false,
            )
        }
        4 => {
            let header = String::from_utf8_lossy(&bytes[8..data_start]).into_owned();
            let edited = header.replacen("\"F16\"", "\"BF16\"", 1);
            (
                "F16 relabelled BF16".into(),
                with_header(&edited, bytes, data_start),
                true,
            )
        }
        _ => {
            // The first tensor's entry repeated under its own name.
            let header = String::from_utf8_lossy(&bytes[8..data_start]).into_owned();
            let first = header.find("},").map(|end| end + 1).unwrap();
            let entry = header[1..first].to_string();
            let entry = if entry.starts_with("\"__metadata__\"") {
                let second_end = header[first + 1..].find("},").unwrap() + first + 2;
                header[first + 1..second_end].to_string()
            } else {
                entry
            };
            let edited = format!("{{{entry},{}", &header[1..]);
            (
                "a duplicated tensor name".into(),
                with_header(&edited, bytes, data_start),
                true,
            )
        }
    }
}

fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    spans
}

fn with_header(header: &str, bytes: &[u8], data_start: usize) -> Vec<u8> {
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&bytes[data_start..]);
    out
}
