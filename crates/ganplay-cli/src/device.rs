//! Picks the Burn device from `--device` and says why, in the first line every command prints.
//! `auto` prefers CUDA, then a hardware GPU through wgpu, then the CPU: a software wgpu adapter
//! (llvmpipe, SwiftShader) is far slower than Burn's CPU backend, so it never wins.

use anyhow::{Context, Result, anyhow};
use burn::tensor::Device;
use burn::tensor::wgpu::WgpuBackend;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceChoice {
    Auto,
    Cpu,
    Wgpu,
    Vulkan,
    Cuda,
    Torch,
}

ganplay_model::string_ids!(DeviceChoice {
    Auto => "auto", "CUDA if built in and present, else a hardware GPU through wgpu, else the CPU",
    Cpu => "cpu", "Burn's pure-Rust CPU backend (flex)",
    Wgpu => "wgpu", "wgpu on the platform's default graphics API",
    Vulkan => "vulkan", "wgpu on Vulkan",
    Cuda => "cuda", "NVIDIA CUDA (build with --features cuda)",
    Torch => "torch", "LibTorch's kernels: CUDA when LibTorch has it and a GPU answers, else its CPU (build with --features torch)",
});

/// The device a command runs on, and how it came to be picked.
pub struct Picked {
    pub device: Device,
    /// Short name for logs and weight files' `trained_by`: `cpu (flex)`, `wgpu`, `vulkan`, `cuda`.
    pub name: &'static str,
    /// What runs the model, in words: `cpu (Burn flex)`, `wgpu (NVIDIA …, Vulkan)`.
    what: String,
    /// Why this one and not another.
    why: String,
}

impl Picked {
    /// Prints `device: <what> — <why>` on stdout; `scripts/bench-native.sh` reads it.
    pub fn announce(&self) {
        println!("device: {} — {}", self.what, self.why);
    }
}

pub fn select(choice: DeviceChoice) -> Result<Picked> {
    let chosen = format!("chosen with --device {}", choice.id());
    match choice {
        DeviceChoice::Auto => Ok(auto()),
        DeviceChoice::Cpu => Ok(cpu(chosen)),
        DeviceChoice::Wgpu => wgpu_picked(WgpuBackend::Auto, "wgpu", chosen),
        DeviceChoice::Vulkan => wgpu_picked(WgpuBackend::Vulkan, "vulkan", chosen),
        DeviceChoice::Cuda => {
            let device = cuda().map_err(|missing| anyhow!(missing.advice))?;
            Ok(Picked {
                device,
                name: "cuda",
                what: "cuda (device 0)".into(),
                why: chosen,
            })
        }
        DeviceChoice::Torch => torch(chosen),
    }
}

/// LibTorch (Burn's `tch` backend): its CUDA device 0 when LibTorch was built with CUDA and one
/// answers, else its CPU.
#[cfg(feature = "torch")]
#[allow(
    deprecated,
    reason = "Burn marks its LibTorch backend deprecated; it is still built and tested"
)]
fn torch(chosen: String) -> Result<Picked> {
    let (device, what) = if tch::Cuda::is_available() {
        (Device::libtorch_cuda(0), "torch (LibTorch, CUDA device 0)")
    } else {
        (Device::libtorch(), "torch (LibTorch, CPU)")
    };
    Ok(Picked {
        device,
        name: "torch",
        what: what.into(),
        why: chosen,
    })
}

#[cfg(not(feature = "torch"))]
fn torch(_: String) -> Result<Picked> {
    Err(anyhow!(
        "this build has no LibTorch: rebuild with `scripts/test-tch.sh` or \
         `LIBTORCH_USE_PYTORCH=1 cargo build --release -p ganplay-cli --features torch` in a \
         Python environment with PyTorch 2.9"
    ))
}

/// Never fails: every way down ends at the CPU, and the reason names what was missing.
fn auto() -> Picked {
    let no_cuda = match cuda() {
        Ok(device) => {
            let why = "CUDA is built in and device 0 answered".to_string();
            return Picked {
                device,
                name: "cuda",
                what: "cuda (device 0)".into(),
                why,
            };
        }
        Err(missing) => missing.reason,
    };
    match hardware_wgpu() {
        Ok((device, adapter)) => Picked {
            device,
            name: "wgpu",
            what: describe("wgpu", &adapter),
            why: format!("{no_cuda}, wgpu found a hardware GPU"),
        },
        Err(no_gpu) => cpu(format!("{no_cuda}, {no_gpu}")),
    }
}

fn cpu(why: String) -> Picked {
    Picked {
        device: Device::flex(),
        name: "cpu (flex)",
        what: "cpu (Burn flex)".into(),
        why,
    }
}

fn wgpu_picked(api: WgpuBackend, name: &'static str, why: String) -> Result<Picked> {
    let (device, adapter) = start_wgpu(api)?;
    Ok(Picked {
        device,
        name,
        what: describe(name, &adapter),
        why,
    })
}

fn describe(name: &str, adapter: &wgpu::AdapterInfo) -> String {
    format!("{name} ({}, {:?})", adapter.name, adapter.backend)
}

/// Starts Burn's wgpu runtime and tells which adapter it took.
fn start_wgpu(api: WgpuBackend) -> Result<(Device, wgpu::AdapterInfo)> {
    let (device, setup) = Device::wgpu_options()
        .graphics_api(api)
        .init_with_setup()
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("no usable {api:?} GPU adapter; try --device cpu"))?;
    Ok((device, setup.adapter.get_info()))
}

/// wgpu only when one of its adapters is a real GPU; otherwise why not, in a few words.
fn hardware_wgpu() -> Result<(Device, wgpu::AdapterInfo), String> {
    let adapters = list_adapters().ok_or("wgpu could not list its adapters")?;
    let is_hardware = |a: &wgpu::AdapterInfo| {
        a.device_type != wgpu::DeviceType::Cpu && a.backend != wgpu::Backend::Noop
    };
    let Some(gpu) = adapters.iter().find(|&a| is_hardware(a)) else {
        let names: Vec<&str> = adapters.iter().map(|a| a.name.as_str()).collect();
        return Err(match names.len() {
            0 => "wgpu found no adapter".to_string(),
            1 => format!("wgpu found only a software adapter ({})", names[0]),
            _ => format!("wgpu found only software adapters ({})", names.join(", ")),
        });
    };
    let (device, adapter) = start_wgpu(WgpuBackend::Auto)
        .map_err(|e| format!("wgpu found {} but could not start it: {e:#}", gpu.name))?;
    // wgpu's own choice could still be a software adapter next to the GPU.
    if !is_hardware(&adapter) {
        return Err(format!(
            "wgpu started a software adapter ({})",
            adapter.name
        ));
    }
    Ok((device, adapter))
}

/// Every adapter wgpu sees, or `None` if listing them failed (a broken driver can panic).
fn list_adapters() -> Option<Vec<wgpu::AdapterInfo>> {
    // `Instance::default` panics when no backend is compiled in.
    if wgpu::Instance::enabled_backend_features().is_empty() {
        return Some(Vec::new());
    }
    std::panic::catch_unwind(|| {
        let instance = wgpu::Instance::default();
        let adapters = pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()));
        adapters.iter().map(|a| a.get_info()).collect()
    })
    .ok()
}

/// Why CUDA cannot be used: a few words for `auto`'s reason, advice for `--device cuda`.
struct NoCuda {
    reason: &'static str,
    advice: &'static str,
}

#[cfg(feature = "cuda")]
fn cuda() -> Result<Device, NoCuda> {
    let device = Device::cuda(0);
    // Touch the device so a missing driver is reported here, not mid-training.
    let touch =
        std::panic::AssertUnwindSafe(|| burn::tensor::Tensor::<1>::zeros([1], &device).into_data());
    std::panic::catch_unwind(touch).map_err(|_| NoCuda {
        reason: "CUDA is built in but no CUDA device answered",
        advice: "CUDA is not available on this machine; try --device cpu",
    })?;
    Ok(device)
}

#[cfg(not(feature = "cuda"))]
fn cuda() -> Result<Device, NoCuda> {
    Err(NoCuda {
        reason: "no CUDA in this build",
        advice: "this build has no CUDA support: rebuild with `cargo build --release -p ganplay-cli --features cuda`",
    })
}
