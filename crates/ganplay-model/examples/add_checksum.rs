//! Adds the tensor checksum to weight files written before files carried one, in place:
//! `cargo run -p ganplay-model --example add_checksum -- web/weights/*.safetensors`.
//! Tensors and other metadata are kept byte for byte; a file that fails its checks is left alone.

use ganplay_model::weights::{
    Integrity, WeightFile, add_checksum, classifier_file::ClassifierFile,
};

fn main() -> std::process::ExitCode {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        match seal(&path) {
            Ok(message) => println!("{path}: {message}"),
            Err(message) => {
                eprintln!("{path}: {message}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}

fn seal(path: &str) -> Result<&'static str, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if integrity(&bytes)? == Integrity::Verified {
        return Ok("already carries a checksum");
    }
    let sealed = add_checksum(&bytes).map_err(|e| e.to_string())?;
    if integrity(&sealed)? != Integrity::Verified {
        return Err("the sealed file did not verify; left as it was".into());
    }
    let partial = format!("{path}.partial");
    std::fs::write(&partial, &sealed).map_err(|e| e.to_string())?;
    std::fs::rename(&partial, path).map_err(|e| e.to_string())?;
    Ok("checksum added")
}

/// Whether a generator or classifier file verifies against its checksum.
fn integrity(bytes: &[u8]) -> Result<Integrity, String> {
    match WeightFile::parse(bytes) {
        Ok(file) => Ok(file.integrity),
        Err(_) => ClassifierFile::parse(bytes)
            .map(|f| f.integrity)
            .map_err(|e| e.to_string()),
    }
}
