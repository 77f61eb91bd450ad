//! Chooses between WebGPU and Burn's CPU backend (flex, compiled to wasm).
//!
//! WebGPU is used when the browser offers a hardware adapter. A software adapter (SwiftShader,
//! lavapipe) is much slower than the CPU backend for these small networks, so it is only used when
//! the user asks for it.

use std::cell::RefCell;

use burn::tensor::Device;
use burn::tensor::wgpu::WgpuBackend;
use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    WebGpu,
    Cpu,
}

ganplay_model::string_ids!(BackendKind {
    WebGpu => "webgpu", "WebGPU",
    Cpu => "cpu", "CPU (wasm)",
});

/// What the browser offers.
#[derive(Clone, Debug, PartialEq)]
pub enum WebGpuProbe {
    Missing(String),
    /// A software rasteriser; the string names it.
    Software(String),
    Hardware(String),
}

impl WebGpuProbe {
    pub fn automatic_choice(&self) -> BackendKind {
        match self {
            WebGpuProbe::Hardware(_) => BackendKind::WebGpu,
            _ => BackendKind::Cpu,
        }
    }

    /// Why the automatic choice is the CPU, shown beside the backend name.
    pub fn note(&self) -> Option<String> {
        match self {
            WebGpuProbe::Hardware(_) => None,
            WebGpuProbe::Missing(why) => Some(format!(
                "WebGPU is not available in this browser ({why}); training runs on the CPU backend (Burn flex in WebAssembly)."
            )),
            WebGpuProbe::Software(name) => Some(format!(
                "This browser's WebGPU is a software renderer ({name}), slower than the CPU backend, so the CPU backend is used. You can still pick WebGPU."
            )),
        }
    }
}

/// The backend the page's link names (`?backend=cpu`), if any.
pub fn backend_in_url() -> Option<BackendKind> {
    crate::url_state::get("backend").and_then(|b| BackendKind::from_id(&b))
}

/// Asks `navigator.gpu` for an adapter and classifies it.
pub async fn probe_webgpu() -> WebGpuProbe {
    match probe().await {
        Ok(p) => p,
        Err(e) => WebGpuProbe::Missing(e.as_string().unwrap_or_else(|| format!("{e:?}"))),
    }
}

async fn probe() -> Result<WebGpuProbe, JsValue> {
    let navigator: JsValue = web_sys::window().ok_or("no window")?.navigator().into();
    let gpu = Reflect::get(&navigator, &"gpu".into())?;
    if gpu.is_undefined() || gpu.is_null() {
        return Ok(WebGpuProbe::Missing("no navigator.gpu".into()));
    }
    let request: js_sys::Function = Reflect::get(&gpu, &"requestAdapter".into())?.dyn_into()?;
    let adapter = JsFuture::from(request.call0(&gpu)?.dyn_into::<Promise>()?).await?;
    if adapter.is_null() || adapter.is_undefined() {
        return Ok(WebGpuProbe::Missing("no adapter".into()));
    }
    let info = Reflect::get(&adapter, &"info".into())?;
    let text = |obj: &JsValue, key: &str| {
        Reflect::get(obj, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let name = [
        text(&info, "vendor"),
        text(&info, "architecture"),
        text(&info, "description"),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let fallback = [&adapter, &info].iter().any(|o| {
        Reflect::get(o, &"isFallbackAdapter".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    });
    let lower = name.to_lowercase();
    let software = fallback
        || ["swiftshader", "llvmpipe", "lavapipe", "software"]
            .iter()
            .any(|s| lower.contains(s));
    let name = if name.is_empty() {
        "unnamed adapter".to_string()
    } else {
        name
    };
    Ok(if software {
        WebGpuProbe::Software(name)
    } else {
        WebGpuProbe::Hardware(name)
    })
}

thread_local! {
    /// Burn's WebGPU runtime can be initialised once per page.
    static WEBGPU_DEVICE: RefCell<Option<Device>> = const { RefCell::new(None) };
}

/// The device for `kind`, initialising WebGPU on first use.
pub async fn device_for(kind: BackendKind) -> Result<Device, String> {
    match kind {
        BackendKind::Cpu => Ok(Device::flex()),
        BackendKind::WebGpu => {
            if let Some(d) = WEBGPU_DEVICE.with(|c| c.borrow().clone()) {
                return Ok(d);
            }
            let device = Device::wgpu_options()
                .graphics_api(WgpuBackend::WebGpu)
                .init_async()
                .await
                .map_err(|e| format!("WebGPU could not be started: {e:?}"))?;
            WEBGPU_DEVICE.with(|c| *c.borrow_mut() = Some(device.clone()));
            Ok(device)
        }
    }
}
