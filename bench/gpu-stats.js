// WebGPU diagnostic, installed before any page script (page.addInitScript): wraps the WebGPU
// calls a training step makes, counts them, and times them, so the benchmark can say per step how
// many dispatches, submissions, uploads and read-backs a framework makes, how long the page spends
// inside WebGPU calls and how long it waits for the GPU (mapAsync call → resolution).
// Counters live on window.__gpuStats: reset(), snapshot(), and cases (per case of our page's
// benchmark panel, between the marks it puts on the performance timeline).
(() => {
  if (typeof GPUDevice === 'undefined') return;
  const now = () => performance.now();
  const fresh = () => ({
    dispatches: 0, submits: 0, commandBuffers: 0,
    writeBuffers: 0, writeBufferBytes: 0, writeTextures: 0, writeTextureBytes: 0,
    mappedAtCreation: 0, mappedAtCreationBytes: 0,
    readMaps: 0, readMapBytes: 0, writeMaps: 0,
    copies: 0, copyBytes: 0,
    buffers: 0, bufferBytes: 0, pipelines: 0, asyncPipelines: 0, shaderModules: 0, bindGroups: 0,
    encoders: 0, passes: 0,
    insideMs: 0, // time inside the wrapped synchronous calls
    mapWaitMs: 0, // time with at least one read-back mapAsync pending and no WebGPU call running
    pipelineWaitMs: 0, // time with a createComputePipelineAsync pending
  });
  let s = fresh();
  // Intervals with a read mapping pending: counted once however many overlap.
  let pendingMaps = 0;
  let mapWaitSince = 0;
  let pendingPipelines = 0;
  let pipelineWaitSince = 0;
  let depth = 0; // nested wrapped calls count once

  const wrap = (proto, name, count) => {
    const original = proto?.[name];
    if (typeof original !== 'function') return;
    proto[name] = function (...args) {
      if (count) count.apply(this, args);
      if (depth > 0) return original.apply(this, args);
      depth++;
      const t0 = now();
      try {
        return original.apply(this, args);
      } finally {
        const dt = now() - t0;
        s.insideMs += dt;
        // A call made while a read-back is pending is work, not waiting.
        if (pendingMaps > 0) s.mapWaitMs -= dt;
        depth--;
      }
    };
  };

  const bytesOf = (data, offset = 0, size) => {
    const el = data?.BYTES_PER_ELEMENT ?? 1; // typed arrays count offset and size in elements
    if (size !== undefined) return size * el;
    return (data?.byteLength ?? 0) - offset * el;
  };

  wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', () => { s.dispatches++; });
  wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroupsIndirect', () => { s.dispatches++; });
  wrap(GPUComputePassEncoder.prototype, 'end');
  wrap(GPUComputePassEncoder.prototype, 'setPipeline');
  wrap(GPUComputePassEncoder.prototype, 'setBindGroup');
  wrap(GPUQueue.prototype, 'submit', (buffers) => { s.submits++; s.commandBuffers += buffers?.length ?? 0; });
  wrap(GPUQueue.prototype, 'writeBuffer', (_b, _o, data, dataOffset, size) => {
    s.writeBuffers++;
    s.writeBufferBytes += bytesOf(data, dataOffset, size);
  });
  wrap(GPUQueue.prototype, 'writeTexture', (_d, data) => { s.writeTextures++; s.writeTextureBytes += data?.byteLength ?? 0; });
  wrap(GPUCommandEncoder.prototype, 'copyBufferToBuffer', (_a, _b, _c, _d, size) => { s.copies++; s.copyBytes += size ?? 0; });
  wrap(GPUCommandEncoder.prototype, 'beginComputePass', () => { s.passes++; });
  wrap(GPUCommandEncoder.prototype, 'finish');
  wrap(GPUDevice.prototype, 'createCommandEncoder', () => { s.encoders++; });
  wrap(GPUDevice.prototype, 'createBuffer', (d) => {
    s.buffers++;
    s.bufferBytes += d?.size ?? 0;
    if (d?.mappedAtCreation) { s.mappedAtCreation++; s.mappedAtCreationBytes += d.size ?? 0; }
  });
  wrap(GPUDevice.prototype, 'createComputePipeline', () => { s.pipelines++; });
  wrap(GPUDevice.prototype, 'createShaderModule', () => { s.shaderModules++; });
  wrap(GPUDevice.prototype, 'createBindGroup', () => { s.bindGroups++; });
  wrap(GPUDevice.prototype, 'createBindGroupLayout');
  wrap(GPUDevice.prototype, 'createPipelineLayout');
  wrap(GPUBuffer.prototype, 'getMappedRange');
  wrap(GPUBuffer.prototype, 'unmap');
  wrap(GPUBuffer.prototype, 'destroy');

  // Asynchronous calls: the synchronous part counts as inside, the wait until the promise settles
  // as waiting. Only read mappings are "waiting for the GPU"; write mappings are uploads.
  const mapAsync = GPUBuffer.prototype.mapAsync;
  GPUBuffer.prototype.mapAsync = function (mode, offset = 0, size) {
    const reading = (mode & GPUMapMode.READ) !== 0;
    const t0 = now();
    if (reading) {
      s.readMaps++;
      s.readMapBytes += size ?? this.size - offset;
      if (pendingMaps++ === 0) mapWaitSince = t0;
    } else {
      s.writeMaps++;
    }
    const settle = () => {
      if (reading && --pendingMaps === 0) s.mapWaitMs += now() - mapWaitSince;
    };
    let promise;
    try {
      promise = mapAsync.call(this, mode, offset, size);
    } catch (e) {
      settle();
      throw e;
    } finally {
      s.insideMs += now() - t0;
    }
    promise.then(settle, settle);
    return promise;
  };
  const pipelineAsync = GPUDevice.prototype.createComputePipelineAsync;
  GPUDevice.prototype.createComputePipelineAsync = function (...args) {
    s.asyncPipelines++;
    const t0 = now();
    if (pendingPipelines++ === 0) pipelineWaitSince = t0;
    const settle = () => { if (--pendingPipelines === 0) s.pipelineWaitMs += now() - pipelineWaitSince; };
    const promise = pipelineAsync.apply(this, args);
    s.insideMs += now() - t0;
    promise.then(settle, settle);
    return promise;
  };

  /** The counters so far; open waits are counted up to now. */
  const snapshot = () => {
    const out = { ...s, at: now() };
    if (pendingMaps > 0) out.mapWaitMs += out.at - mapWaitSince;
    if (pendingPipelines > 0) out.pipelineWaitMs += out.at - pipelineWaitSince;
    return out;
  };
  const minus = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - b[k]]));

  // Our page's benchmark marks each timed case on the performance timeline, "ganplay-bench NAME
  // start" and "ganplay-bench NAME end STEPS": the counters between the two marks are kept per case.
  const cases = {};
  let caseStart = null;
  const mark = Performance.prototype.mark;
  Performance.prototype.mark = function (name, ...rest) {
    const m = /^ganplay-bench (\S+) (start|end)(?: (\d+))?$/.exec(name);
    if (m?.[2] === 'start') caseStart = snapshot();
    if (m?.[2] === 'end' && caseStart) {
      const end = snapshot();
      cases[m[1]] = { steps: Number(m[3]), ms: end.at - caseStart.at, gpu: minus(end, caseStart) };
      caseStart = null;
    }
    return mark.call(this, name, ...rest);
  };

  window.__gpuStats = {
    reset() {
      s = fresh();
      // Waits already under way count from now.
      if (pendingMaps > 0) mapWaitSince = now();
      if (pendingPipelines > 0) pipelineWaitSince = now();
    },
    snapshot,
    /** Per benchmark case of our page: { steps, ms, gpu } between its marks. */
    cases,
  };
})();
