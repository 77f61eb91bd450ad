//! The reference classifier bundled with the project (`web/weights/classifier.safetensors`,
//! trained by `ganplay classifier`; see `docs/augmentation.md`). Natively it is compiled into
//! the binary; the page fetches the same file.

/// File name under `web/weights/`.
pub const FILE_NAME: &str = "classifier.safetensors";

#[cfg(not(target_arch = "wasm32"))]
pub fn file_bytes() -> &'static [u8] {
    include_bytes!("../../../../web/weights/classifier.safetensors")
}
