//! Picks the Burn device at run time from `--device`.

use anyhow::{Context, Result, bail};
use burn::tensor::Device;
use burn::tensor::wgpu::WgpuBackend;

use crate::args::DeviceChoice;

/// The device and a short name for it.
pub fn select(choice: DeviceChoice) -> Result<(Device, &'static str)> {
    Ok(match choice {
        DeviceChoice::Cpu => (Device::flex(), "cpu (flex)"),
        DeviceChoice::Wgpu => (wgpu(WgpuBackend::Auto)?, "wgpu"),
        DeviceChoice::Vulkan => (wgpu(WgpuBackend::Vulkan)?, "vulkan"),
        DeviceChoice::Cuda => (cuda()?, "cuda"),
        DeviceChoice::Auto => {
            if let Ok(d) = cuda() {
                (d, "cuda")
            } else if let Some(d) = hardware_wgpu() {
                (d, "wgpu")
            } else {
                (Device::flex(), "cpu (flex)")
            }
        }
    })
}

fn wgpu(api: WgpuBackend) -> Result<Device> {
    Device::wgpu_options()
        .graphics_api(api)
        .init()
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .with_context(|| format!("no usable {api:?} GPU adapter; try --device cpu"))
}

/// wgpu only when its adapter is a real GPU: a software rasteriser is slower than the CPU backend.
fn hardware_wgpu() -> Option<Device> {
    let instance = wgpu::Instance::default();
    let adapters = pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()));
    let hardware = adapters.iter().any(|a| a.get_info().device_type != wgpu::DeviceType::Cpu);
    if hardware { wgpu(WgpuBackend::Auto).ok() } else { None }
}

#[cfg(feature = "cuda")]
fn cuda() -> Result<Device> {
    let device = Device::cuda(0);
    // Touch the device so a missing driver is reported here, not mid-training.
    std::panic::catch_unwind(|| burn::tensor::Tensor::<1>::zeros([1], &device).into_data())
        .map_err(|_| anyhow::anyhow!("CUDA is not available on this machine; try --device cpu"))?;
    Ok(device)
}

#[cfg(not(feature = "cuda"))]
fn cuda() -> Result<Device> {
    bail!("this build has no CUDA support: rebuild with `cargo build --release -p ganplay-cli --features cuda`")
}
