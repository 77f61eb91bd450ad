// TensorFlow.js 4.22 trains the networks of ganplay's benchmark cases
// (crates/ganplay-model/src/bench.rs) with the same layers, losses, batch sizes and optimiser, and
// is timed the way the page times its own (crates/ganplay-web/src/bench.rs): two warm-up steps,
// then chunks of steps each followed by a read-back of the last losses, with the page's pacer
// choosing the chunk size.
const tf = window.tf;

// ---------------------------------------------------------------------------------------------
// Networks (crates/ganplay-model/src/nets), as a TF.js user would write them with tf.layers.

/** PyTorch's (and ganplay's) default dense initialisation: U(-k, k), k = 1/√fan_in. */
const uniformInit = (fanIn) => tf.initializers.randomUniform({ minval: -1 / Math.sqrt(fanIn), maxval: 1 / Math.sqrt(fanIn) });
/** DCGAN's: weights N(0, 0.02), batch-norm scales N(1, 0.02), biases 0 (nets/mod.rs DcganInit). */
const dcganInit = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });
// Burn's BatchNorm: momentum 0.1 on the new value (Keras counts 0.9 on the old), ε 1e-5.
const batchNorm = () => tf.layers.batchNormalization({
  momentum: 0.9, epsilon: 1e-5, gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.02 }),
});

/**
 * nets/mlp.rs: dense layers with one non-linearity (then dropout) between them; the output is
 * linear, or tanh for image generators. ReLU is fused into the matmul as TF.js's Dense does.
 */
function mlp(widths, { activation, dropout = 0, tanhOutput = false }) {
  const layers = [];
  for (let i = 1; i < widths.length; i++) {
    const last = i === widths.length - 1;
    const init = uniformInit(widths[i - 1]);
    layers.push(tf.layers.dense({
      units: widths[i],
      ...(i === 1 ? { inputShape: [widths[0]] } : {}),
      activation: last ? (tanhOutput ? 'tanh' : 'linear') : activation === 'relu' ? 'relu' : 'linear',
      kernelInitializer: init,
      biasInitializer: init,
    }));
    if (!last && activation === 'leakyrelu') layers.push(tf.layers.leakyReLU({ alpha: 0.2 }));
    if (!last && dropout > 0) layers.push(tf.layers.dropout({ rate: dropout }));
  }
  return tf.sequential({ layers });
}

/**
 * nets/conv.rs ConvGenerator for 28x28 (2 stages from 7x7): linear (no bias) → 7x7x(2w) → BN →
 * ReLU → 4x4 stride-2 transposed conv (no bias) → BN → ReLU → 4x4 stride-2 transposed conv (bias)
 * → tanh. Burn's padding 1 with kernel 4 and stride 2 is TF's 'same' (1 on each side). TF.js
 * works channels-last; Burn channels-first.
 */
function dcganGenerator(latent, width) {
  const c0 = width * 2;
  return tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [latent], units: c0 * 7 * 7, useBias: false, kernelInitializer: dcganInit() }),
    tf.layers.reshape({ targetShape: [7, 7, c0] }),
    batchNorm(),
    tf.layers.reLU(),
    tf.layers.conv2dTranspose({ filters: width, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: dcganInit() }),
    batchNorm(),
    tf.layers.reLU(),
    tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', useBias: true, activation: 'tanh', kernelInitializer: dcganInit() }),
    tf.layers.flatten(),
  ] });
}

/** nets/conv.rs ConvCritic for 28x28: conv (bias) → LReLU → conv (no bias) → BN → LReLU → linear. */
function dcganCritic(width) {
  return tf.sequential({ layers: [
    tf.layers.reshape({ inputShape: [784], targetShape: [28, 28, 1] }),
    tf.layers.conv2d({ filters: width, kernelSize: 4, strides: 2, padding: 'same', useBias: true, kernelInitializer: dcganInit() }),
    tf.layers.leakyReLU({ alpha: 0.2 }),
    tf.layers.conv2d({ filters: width * 2, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: dcganInit() }),
    batchNorm(),
    tf.layers.leakyReLU({ alpha: 0.2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 1, kernelInitializer: dcganInit() }),
  ] });
}

// ---------------------------------------------------------------------------------------------
// The cases (crates/ganplay-model/src/bench.rs and image_config.rs presets).

const imageGan = (name, description, latent, generator, critic) => ({
  name, description, kind: 'gan', batch: 64, noiseDim: latent, dataDim: 784, lr: 2e-4, data: 'signed', generator, critic,
});

export const CASES = [
  {
    name: 'toy', description: 'toy MLP GAN: G 2-16-16-2, D 2-16-16-1, batch 256, Adam',
    kind: 'gan', batch: 256, noiseDim: 2, dataDim: 2, lr: 2e-4, data: 'ring8',
    generator: () => mlp([2, 16, 16, 2], { activation: 'relu' }),
    critic: () => mlp([2, 16, 16, 1], { activation: 'relu' }),
  },
  imageGan('mlp-small', 'MLP GAN: G 64-256-256-784, D 784-256-256-1, batch 64, Adam', 64,
    () => mlp([64, 256, 256, 784], { activation: 'relu', tanhOutput: true }),
    () => mlp([784, 256, 256, 1], { activation: 'leakyrelu', dropout: 0.3 })),
  imageGan('mlp-gan', 'MLP GAN: G 100-256-512-1024-784, D 784-1024-512-256-1, batch 64, Adam', 100,
    () => mlp([100, 256, 512, 1024, 784], { activation: 'relu', tanhOutput: true }),
    () => mlp([784, 1024, 512, 256, 1], { activation: 'leakyrelu', dropout: 0.3 })),
  imageGan('dcgan', 'page DCGAN 28x28, width 16, batch 64, Adam', 100,
    () => dcganGenerator(100, 16),
    () => dcganCritic(16)),
  {
    name: 'vae', description: 'page VAE 784-256-2, batch 100, Adam',
    kind: 'vae', batch: 100, latent: 2, dataDim: 784, hidden: 256, lr: 1e-3, data: 'unit',
  },
];

// ---------------------------------------------------------------------------------------------
// Host-side batches. Like ganplay, every step uploads a fresh real batch and fresh noise drawn on
// the host; the values come from pools filled once (speed does not depend on the pixel values).

const POOL_BATCHES = 16;

function gaussian(n) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - Math.random()));
    const a = 2 * Math.PI * Math.random();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

function realPool(kind, rows, dim) {
  const out = new Float32Array(rows * dim);
  if (kind === 'ring8') {
    // 8 Gaussians on the unit circle, σ 0.05 (the benchmark's toy data).
    const noise = gaussian(rows * 2);
    for (let i = 0; i < rows; i++) {
      const a = (2 * Math.PI * Math.floor(Math.random() * 8)) / 8;
      out[2 * i] = Math.cos(a) + 0.05 * noise[2 * i];
      out[2 * i + 1] = Math.sin(a) + 0.05 * noise[2 * i + 1];
    }
  } else {
    const [lo, hi] = kind === 'unit' ? [0, 1] : [-1, 1];
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * Math.random();
  }
  return out;
}

/** Uploads a random batch of `n` rows of `dim` values from `pool`. */
function batchFrom(pool, n, dim) {
  const b = Math.floor(Math.random() * POOL_BATCHES);
  return tf.tensor2d(pool.subarray(b * n * dim, (b + 1) * n * dim), [n, dim]);
}

const adam = (lr) => tf.train.adam(lr, 0.5, 0.999, 1e-5); // Burn's ε; β as ganplay's optimiser()
const weightsOf = (...models) => models.flatMap((m) => m.trainableWeights.map((w) => w.read()));
const TRAINING = { training: true }; // batch statistics and dropout, as Burn's autodiff modules

// ---------------------------------------------------------------------------------------------
// Trainers: step() queues one training step and keeps its losses on the device; losses() gives
// them as one tensor (one read-back, as ganplay's StepLosses::packed).

function ganTrainer(c) {
  const G = c.generator();
  const D = c.critic();
  const [gVars, dVars] = [weightsOf(G), weightsOf(D)];
  const [gOpt, dOpt] = [adam(c.lr), adam(c.lr)];
  const real = realPool(c.data, POOL_BATCHES * c.batch, c.dataDim);
  const noise = gaussian(POOL_BATCHES * c.batch * c.noiseDim);
  let dLoss = null;
  let gLoss = null;
  // session.rs discriminator_step: the generated batch is detached; D sees real and fake in two
  // passes (two sets of batch statistics). Non-saturating loss on logits (loss.rs).
  const dStep = () => {
    const x = batchFrom(real, c.batch, c.dataDim);
    const z = batchFrom(noise, c.batch, c.noiseDim);
    const fake = tf.tidy(() => G.apply(z, TRAINING));
    const loss = dOpt.minimize(() => tf.add(
      tf.mean(tf.softplus(tf.neg(D.apply(x, TRAINING)))),
      tf.mean(tf.softplus(D.apply(fake, TRAINING))),
    ), true, dVars);
    tf.dispose([x, z, fake, dLoss]);
    dLoss = loss;
  };
  // session.rs generator_step: through D, updating G only.
  const gStep = () => {
    const z = batchFrom(noise, c.batch, c.noiseDim);
    const loss = gOpt.minimize(() => tf.mean(tf.softplus(tf.neg(D.apply(G.apply(z, TRAINING), TRAINING)))), true, gVars);
    tf.dispose([z, gLoss]);
    gLoss = loss;
  };
  return {
    step() { dStep(); gStep(); }, // d_steps = 1 in every case
    losses: () => tf.tidy(() => tf.concat([tf.reshape(dLoss, [1]), tf.reshape(gLoss, [1])])),
    dispose() { tf.dispose([dLoss, gLoss]); gOpt.dispose(); dOpt.dispose(); G.dispose(); D.dispose(); },
  };
}

/**
 * nets/vae.rs: encoder 784→256 (ReLU) → mean and log-variance heads (256→2 each); decoder
 * 2→256 (ReLU)→784 logits; loss = Bernoulli NLL (softplus(l) − x·l, summed over pixels) + KL,
 * both averaged over the batch, with ε drawn on the host.
 */
function vaeTrainer(c) {
  const dense = (fanIn, units, activation = 'linear') =>
    tf.layers.dense({ inputShape: [fanIn], units, activation, kernelInitializer: uniformInit(fanIn), biasInitializer: uniformInit(fanIn) });
  const encoder = tf.sequential({ layers: [dense(c.dataDim, c.hidden, 'relu')] });
  const mean = tf.sequential({ layers: [dense(c.hidden, c.latent)] });
  const logVariance = tf.sequential({ layers: [dense(c.hidden, c.latent)] });
  const decoder = mlp([c.latent, c.hidden, c.dataDim], { activation: 'relu' });
  const vars = weightsOf(encoder, mean, logVariance, decoder);
  const opt = adam(c.lr);
  const real = realPool(c.data, POOL_BATCHES * c.batch, c.dataDim);
  const eps = gaussian(POOL_BATCHES * c.batch * c.latent);
  let last = null;
  return {
    step() {
      const x = batchFrom(real, c.batch, c.dataDim);
      const e = batchFrom(eps, c.batch, c.latent);
      const loss = opt.minimize(() => {
        const h = encoder.apply(x, TRAINING);
        const mu = mean.apply(h, TRAINING);
        const lv = logVariance.apply(h, TRAINING);
        const z = tf.add(mu, tf.mul(tf.exp(tf.mul(lv, 0.5)), e));
        const logits = decoder.apply(z, TRAINING);
        const reconstruction = tf.mean(tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)), 1));
        const kl = tf.mean(tf.sum(tf.mul(tf.sub(tf.sub(tf.add(tf.square(mu), tf.exp(lv)), lv), 1), 0.5), 1));
        return tf.add(reconstruction, kl);
      }, true, vars);
      tf.dispose([x, e, last]);
      last = loss;
    },
    losses: () => tf.reshape(last, [1]),
    dispose() { tf.dispose(last); opt.dispose(); [encoder, mean, logVariance, decoder].forEach((m) => m.dispose()); },
  };
}

// ---------------------------------------------------------------------------------------------
// Timing, as crates/ganplay-web/src/bench.rs and pacer.rs.

const now = () => performance.now();

/** Lets the browser run its tasks between chunks (the page's yield_to_browser). */
const yieldToBrowser = () => new Promise((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve();
  channel.port2.postMessage(null);
});

/** crates/ganplay-web/src/pacer.rs, line for line. */
class Pacer {
  static BLOCKING_TARGET_MS = 30;
  static MAX_STEPS_PER_FRAME = 256;
  steps = 1;
  bestRate = 0;
  record(blockingMs, totalMs) {
    const rate = this.steps / Math.max(totalMs, 1e-3);
    if (blockingMs > 2 * Pacer.BLOCKING_TARGET_MS) {
      if (this.steps > 1) {
        this.steps = Math.floor(this.steps / 2);
        this.bestRate = 0;
      }
    } else if (blockingMs < Pacer.BLOCKING_TARGET_MS / 2 && this.steps < Pacer.MAX_STEPS_PER_FRAME
      && (totalMs < Pacer.BLOCKING_TARGET_MS || rate > 1.1 * this.bestRate)) {
      this.bestRate = Math.max(this.bestRate, rate);
      this.steps *= 2;
    }
  }
}

async function readLosses(trainer) {
  const t = trainer.losses();
  const values = await t.data();
  t.dispose();
  return values;
}

const gpuSnapshot = () => window.__gpuStats?.snapshot() ?? null;
function gpuDiff(a, b) {
  if (!a || !b) return null;
  const out = {};
  for (const k of Object.keys(b)) out[k] = b[k] - a[k];
  return out;
}

/**
 * Trains one case on the current backend. Default: ~`seconds` of paced chunks (the steps/s
 * figure). With `fixedSteps`, exactly that many steps each followed by a read-back (the page's
 * Step button, for the WebGPU diagnostic).
 */
async function runCase(c, { seconds = 5, fixedSteps = 0 } = {}) {
  const tensorsBefore = tf.memory().numTensors;
  const trainer = c.kind === 'vae' ? vaeTrainer(c) : ganTrainer(c);
  const warmStart = now();
  for (let i = 0; i < 2; i++) {
    trainer.step();
    await readLosses(trainer);
  }
  const warmUpMs = now() - warmStart;
  window.__gpuStats?.reset();
  const before = gpuSnapshot();
  const start = now();
  let steps = 0;
  let lastLosses = null;
  if (fixedSteps > 0) {
    for (; steps < fixedSteps; steps++) {
      trainer.step();
      lastLosses = await readLosses(trainer);
      await yieldToBrowser();
    }
  } else {
    const pacer = new Pacer();
    while (now() - start < seconds * 1000) {
      const chunkStart = now();
      for (let i = 0; i < pacer.steps; i++) trainer.step();
      steps += pacer.steps;
      const blocking = now() - chunkStart;
      lastLosses = await readLosses(trainer);
      pacer.record(blocking, now() - chunkStart);
      await yieldToBrowser();
    }
  }
  const ms = now() - start;
  const gpu = gpuDiff(before, gpuSnapshot());
  trainer.dispose();
  return {
    name: c.name,
    description: c.description,
    stepsPerSec: steps / (ms / 1000),
    steps,
    ms,
    warmUpMs,
    losses: Array.from(lastLosses ?? []),
    leakedTensors: tf.memory().numTensors - tensorsBefore,
    gpu,
  };
}

// ---------------------------------------------------------------------------------------------
// Entry points for the driver (bench/bench-page.mjs).

/** Switches to `backend` ('wasm', 'webgl', 'webgpu', 'cpu') and says what it got. */
async function init(backend) {
  // The wasm files are served next to the backend's bundle; without this TF.js would look for
  // them beside this page, and nothing may come from a CDN.
  tf.wasm.setWasmPaths('/vendor/tfjs-backend-wasm/');
  // Ask for every core; TF.js may still use fewer (getThreadsCount says what it took).
  tf.wasm.setThreadsCount(navigator.hardwareConcurrency);
  const ok = await tf.setBackend(backend);
  await tf.ready();
  if (!ok || tf.getBackend() !== backend) throw new Error(`TF.js backend ${backend} is not available (got ${tf.getBackend()})`);
  const info = { backend: tf.getBackend(), version: tf.version.tfjs, crossOriginIsolated: window.crossOriginIsolated };
  if (backend === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    info.threadCount = tf.wasm.getThreadsCount();
  }
  if (backend === 'webgpu') {
    const a = tf.backend().adapterInfo;
    info.adapter = a ? { vendor: a.vendor, architecture: a.architecture } : null;
  }
  if (backend === 'webgl') {
    info.webglVersion = tf.env().getNumber('WEBGL_VERSION');
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    info.renderer = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl?.getParameter(gl.RENDERER);
  }
  return info;
}

window.benchInit = init;
window.benchCases = () => CASES.map((c) => c.name);
/** Runs one case by name; see runCase for the options. */
window.benchCase = (name, options) => {
  const c = CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  return runCase(c, options);
};
/** By hand: `await runBench({ backend: 'wasm', seconds: 5 })` in the console. */
window.runBench = async ({ backend = new URLSearchParams(location.search).get('backend') ?? 'wasm', seconds = 5, cases } = {}) => {
  const info = await init(backend);
  const results = [];
  for (const c of CASES.filter((x) => !cases || cases.includes(x.name))) {
    const r = await runCase(c, { seconds });
    results.push(r);
    document.getElementById('log').textContent += `${r.name}: ${r.stepsPerSec.toFixed(1)} steps/s (${r.description})\n`;
  }
  return { info, results };
};
window.benchLoaded = true;
