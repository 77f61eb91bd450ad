#!/usr/bin/env python3
"""PyTorch (CPU) peer of `ganplay bench`: the same benchmark cases, timed the same way.

Each case mirrors crates/ganplay-model/src/bench.rs (sizes, batch, loss, Adam settings) and what
one `TrainSession::step()` does (crates/ganplay-model/src/session.rs):

* GAN step: `d_steps` discriminator updates (each on a fresh real batch and a fresh generated
  batch, G run without autograd; D sees the real and the generated batch in two separate forward
  passes), then one generator update on fresh noise (D's weights get no gradients).
  Non-saturating loss on raw logits: D = mean softplus(-D(real)) + mean softplus(D(fake)), G = mean softplus(-D(G(z))).
* VAE step: one Adam update of the negative ELBO (Bernoulli NLL with logits summed over pixels
  plus KL, both averaged over the batch), reparameterised with fresh N(0, 1) noise.
* Adam with beta = (0.5, 0.999), eps = 1e-5 (Burn's default), no weight decay.

Timing follows crates/ganplay-cli/src/bench.rs: 3 warm-up steps, then whole steps until the time
budget is spent, plus one last step; losses are read back every 10 steps. Real data are random
tensors of the right shape and range (speed does not depend on the pixels).

Output lines have the same layout as `ganplay bench`:
    <case>   <rate> steps/s   (<description>)
"""

import argparse
import os
import sys
import time
import warnings

# torch warns at import when numpy is missing; nothing here uses numpy.
warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ADAM_BETAS = (0.5, 0.999)
ADAM_EPS = 1e-5  # burn::optim::AdamConfig's default epsilon


# ---------------------------------------------------------------------------------------------
# Networks (crates/ganplay-model/src/nets)


class Mlp(nn.Module):
    """nets/mlp.rs: dense layers, one activation (then dropout) after every layer but the last;
    output linear, or tanh for image generators."""

    def __init__(self, widths, activation, dropout=0.0, tanh_output=False):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))
        self.activation = activation
        # Burn's Dropout is the identity when its probability is 0.
        self.dropout = nn.Dropout(dropout) if dropout > 0 else None
        self.tanh_output = tanh_output

    def forward(self, x):
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < last:
                x = F.relu(x) if self.activation == "relu" else F.leaky_relu(x, 0.2)
                if self.dropout is not None:
                    x = self.dropout(x)
        return torch.tanh(x) if self.tanh_output else x


def conv_plan(side):
    """nets/conv.rs ConvPlan::for_image: halve while even and >= 4 after halving."""
    start, stages = side, 0
    while start % 2 == 0 and start // 2 >= 4:
        start //= 2
        stages += 1
    return stages, start


class ConvGenerator(nn.Module):
    """nets/conv.rs ConvGenerator: Linear (no bias) → BN → ReLU, then per stage a 4x4 stride-2
    padding-1 transposed conv (bias only on the last) → BN → ReLU, the last → tanh."""

    def __init__(self, latent, channels, side, width):
        super().__init__()
        stages, start = conv_plan(side)
        ch = lambda i: width << (stages - 1 - i)
        self.start, self.start_channels = start, ch(0)
        self.project = nn.Linear(latent, ch(0) * start * start, bias=False)
        self.project_norm = nn.BatchNorm2d(ch(0))
        self.up = nn.ModuleList()
        self.norms = nn.ModuleList()
        for i in range(stages):
            last = i + 1 == stages
            out = channels if last else ch(i + 1)
            self.up.append(nn.ConvTranspose2d(ch(i), out, 4, stride=2, padding=1, bias=last))
            if not last:
                self.norms.append(nn.BatchNorm2d(out))

    def forward(self, z):
        n = z.shape[0]
        x = self.project(z).reshape(n, self.start_channels, self.start, self.start)
        x = F.relu(self.project_norm(x))
        for i, conv in enumerate(self.up):
            x = conv(x)
            x = F.relu(self.norms[i](x)) if i < len(self.norms) else torch.tanh(x)
        return x.flatten(1)


class ConvCritic(nn.Module):
    """nets/conv.rs ConvCritic: per stage a 4x4 stride-2 padding-1 conv (bias and no BN on the
    first, BN and no bias on the others) → LeakyReLU 0.2; then Linear(features, 1)."""

    def __init__(self, channels, side, width):
        super().__init__()
        stages, start = conv_plan(side)
        self.shape = (channels, side, side)
        self.down = nn.ModuleList()
        self.norms = nn.ModuleList()
        c = channels
        for i in reversed(range(stages)):
            out = width << (stages - 1 - i)
            first = len(self.down) == 0
            self.down.append(nn.Conv2d(c, out, 4, stride=2, padding=1, bias=first))
            if not first:
                self.norms.append(nn.BatchNorm2d(out))
            c = out
        self.score = nn.Linear(c * start * start, 1)

    def forward(self, images):
        x = images.reshape(images.shape[0], *self.shape)
        for i, conv in enumerate(self.down):
            x = conv(x)
            if i > 0:
                x = self.norms[i - 1](x)
            x = F.leaky_relu(x, 0.2)
        return self.score(x.flatten(1))


def dcgan_init(module):
    """nets/mod.rs DcganInit: weights N(0, 0.02), BN scales N(1, 0.02), biases and shifts 0."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


class Vae(nn.Module):
    """nets/vae.rs: encoder MLP (its last layer linear, then ReLU) → mean / log-variance heads;
    decoder MLP (ReLU between layers) → logits."""

    def __init__(self, dim, hidden, latent):
        super().__init__()
        self.encoder = Mlp([dim] + hidden, "relu")
        self.mean = nn.Linear(hidden[-1], latent)
        self.log_variance = nn.Linear(hidden[-1], latent)
        self.decoder = Mlp([latent] + hidden[::-1] + [dim], "relu")
        self.latent = latent

    def neg_elbo(self, x, epsilon):
        h = F.relu(self.encoder(x))
        mean, log_variance = self.mean(h), self.log_variance(h)
        z = mean + torch.exp(log_variance * 0.5) * epsilon
        logits = self.decoder(z)
        reconstruction = (F.softplus(logits) - x * logits).sum(1).mean()
        kl = ((mean.pow(2) + log_variance.exp() - log_variance - 1.0) * 0.5).sum(1).mean()
        return reconstruction, kl


# ---------------------------------------------------------------------------------------------
# Training steps (crates/ganplay-model/src/session.rs, loss.rs)


def adam(params, lr):
    return torch.optim.Adam(params, lr=lr, betas=ADAM_BETAS, eps=ADAM_EPS)


class GanCase:
    def __init__(self, generator, critic, noise_dim, data_dim, batch, lr, real, d_steps=1):
        self.g, self.d = generator, critic
        self.g.train()
        self.d.train()
        self.noise_dim, self.data_dim, self.batch, self.d_steps = noise_dim, data_dim, batch, d_steps
        self.real = real  # () -> a fresh real batch
        self.opt_g = adam(self.g.parameters(), lr)
        self.opt_d = adam(self.d.parameters(), lr)

    def discriminator_step(self):
        real = self.real()
        noise = torch.randn(self.batch, self.noise_dim)
        # As session.rs: G runs without a tape (still in training mode: batch norm uses batch
        # statistics), so no backward graph is built only to be detached.
        with torch.no_grad():
            fake = self.g(noise)
        loss = F.softplus(-self.d(real)).mean() + F.softplus(self.d(fake)).mean()
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_d.step()
        return loss.detach()

    def generator_step(self):
        noise = torch.randn(self.batch, self.noise_dim)
        # As session.rs: gradients flow through D to the samples but not into D's weights.
        self.d.requires_grad_(False)
        loss = F.softplus(-self.d(self.g(noise))).mean()
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        self.d.requires_grad_(True)
        self.opt_g.step()
        return loss.detach()

    def step(self):
        d_loss = self.discriminator_step()
        for _ in range(1, self.d_steps):
            d_loss = self.discriminator_step()
        return torch.stack([d_loss, self.generator_step()])


class VaeCase:
    def __init__(self, vae, dim, batch, lr):
        self.vae, self.dim, self.batch = vae, dim, batch
        self.vae.train()
        self.opt = adam(self.vae.parameters(), lr)

    def step(self):
        x = torch.rand(self.batch, self.dim)  # pixels in [0, 1] (the VAE's normalisation)
        epsilon = torch.randn(self.batch, self.vae.latent)
        reconstruction, kl = self.vae.neg_elbo(x, epsilon)
        loss = reconstruction + kl
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return torch.stack([reconstruction.detach(), kl.detach()])


def signed_images(batch, dim):
    """GANs' real images: pixels in [-1, 1] (tanh range)."""
    return lambda: torch.rand(batch, dim) * 2.0 - 1.0


def ring_points(batch):
    """Toy real data: ring of 8 Gaussians of sigma 0.05 on the unit circle."""
    angles = torch.arange(8) * (2 * torch.pi / 8)
    centres = torch.stack([angles.cos(), angles.sin()], 1)
    return lambda: centres[torch.randint(0, 8, (batch,))] + 0.05 * torch.randn(batch, 2)


def mlp_gan(latent, hidden, batch=64, dim=784, lr=2e-4, dropout=0.3):
    """image_config.rs preset GanMlp: G latent→hidden→784 (ReLU, tanh out), D 784→reversed
    hidden→1 (LeakyReLU 0.2 + dropout 0.3 after each hidden layer)."""
    g = Mlp([latent] + hidden + [dim], "relu", tanh_output=True)
    d = Mlp([dim] + hidden[::-1] + [1], "leaky_relu", dropout=dropout)
    return GanCase(g, d, latent, dim, batch, lr, signed_images(batch, dim))


def dcgan(side, width, latent=100, batch=64, lr=2e-4, channels=1):
    g, d = ConvGenerator(latent, channels, side, width), ConvCritic(channels, side, width)
    dcgan_init(g)
    dcgan_init(d)
    dim = channels * side * side
    return GanCase(g, d, latent, dim, batch, lr, signed_images(batch, dim))


# name → (builder, description), in `ganplay bench`'s order.
CASES = {
    "toy": (
        lambda: GanCase(Mlp([2, 16, 16, 2], "relu"), Mlp([2, 16, 16, 1], "relu"), 2, 2, 256, 2e-4, ring_points(256)),
        "toy MLP GAN: G 2-16-16-2, D 2-16-16-1, batch 256, Adam",
    ),
    "mlp-small": (
        lambda: mlp_gan(64, [256, 256]),
        "MLP GAN: G 64-256-256-784, D 784-256-256-1, batch 64, Adam",
    ),
    "mlp-gan": (
        lambda: mlp_gan(100, [256, 512, 1024]),
        "MLP GAN: G 100-256-512-1024-784, D 784-1024-512-256-1, batch 64, Adam",
    ),
    "dcgan": (
        lambda: dcgan(28, 16),
        "page DCGAN 28x28, width 16, batch 64, Adam",
    ),
    "vae": (
        lambda: VaeCase(Vae(784, [256], 2), 784, 100, 1e-3),
        "page VAE 784-256-2, batch 100, Adam",
    ),
    "dcgan-64": (
        lambda: dcgan(64, 64),
        "full-size DCGAN 64x64, width 64, batch 64, Adam",
    ),
}


def bench(case, seconds):
    for _ in range(3):
        case.step().tolist()
    start = time.perf_counter()
    steps = 0
    while time.perf_counter() - start < seconds:
        losses = case.step()
        steps += 1
        if steps % 10 == 0:
            losses.tolist()
    case.step().tolist()
    steps += 1
    return steps / (time.perf_counter() - start)


# ---------------------------------------------------------------------------------------------
# Operations (`ganplay bench --ops --ops-json FILE`): the same operations at the same shapes,
# timed the same way (crates/ganplay-cli/src/op_bench/time.rs), next to ganplay's figures.


def op_pass(op):
    """A function timing one forward and one backward pass of `op` (seconds)."""
    kind = op["op"]
    b = op.get("batch")

    def with_input(shape, f):
        x = torch.randn(*shape, requires_grad=True)

        def run():
            t0 = time.perf_counter()
            y = f(x)
            t1 = time.perf_counter()
            y.sum().backward()
            x.grad = None
            return t1 - t0, time.perf_counter() - t1
        return run

    if kind == "linear":
        layer = nn.Linear(op["inputs"], op["outputs"], bias=op["bias"])
        return with_input((b, op["inputs"]), layer)
    if kind in ("conv2d", "conv_transpose2d"):
        cls = nn.Conv2d if kind == "conv2d" else nn.ConvTranspose2d
        layer = cls(op["channels_in"], op["channels_out"], 4, stride=2, padding=1, bias=op["bias"])
        return with_input((b, op["channels_in"], op["side"], op["side"]), layer)
    if kind == "batch_norm2d":
        layer = nn.BatchNorm2d(op["channels"]).train()
        return with_input((b, op["channels"], op["side"], op["side"]), layer)
    if kind == "relu":
        return with_input((b, op["features"]), F.relu)
    if kind == "leaky_relu":
        return with_input((b, op["features"]), lambda x: F.leaky_relu(x, 0.2))
    if kind == "tanh":
        return with_input((b, op["features"]), torch.tanh)
    if kind == "dropout":
        return with_input((b, op["features"]), lambda x: F.dropout(x, 0.3, training=True))
    if kind == "logit_loss":
        return with_input((b, 1), lambda x: F.softplus(-x).mean())
    if kind == "vae_loss":
        pixels = torch.rand(b, op["features"])
        logits = torch.randn(b, op["features"], requires_grad=True)
        mean = torch.randn(b, op["latent"], requires_grad=True)
        log_variance = torch.randn(b, op["latent"], requires_grad=True)

        def run():
            t0 = time.perf_counter()
            reconstruction = (F.softplus(logits) - pixels * logits).sum(1).mean()
            kl = ((mean.pow(2) + log_variance.exp() - log_variance - 1.0) * 0.5).sum(1).mean()
            loss = reconstruction + kl
            t1 = time.perf_counter()
            loss.backward()
            for t in (logits, mean, log_variance):
                t.grad = None
            return t1 - t0, time.perf_counter() - t1
        return run
    if kind == "adam":
        weight = nn.Parameter(torch.randn(op["params"]))
        weight.grad = torch.randn(op["params"])
        opt = adam([weight], 2e-4)

        def run():
            t0 = time.perf_counter()
            opt.step()
            return time.perf_counter() - t0, 0.0
        return run
    if kind == "random_normal":
        def run():
            t0 = time.perf_counter()
            torch.randn(b, op["features"])
            return time.perf_counter() - t0, 0.0
        return run
    raise ValueError(f"unknown operation {kind}")


def time_op(op, seconds):
    run = op_pass(op)
    for _ in range(2):
        run()
    forward = backward = 0.0
    runs = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or runs == 0:
        f, b = run()
        forward, backward, runs = forward + f, backward + b, runs + 1
    return forward / runs, backward / runs


def shape_of(op):
    """The shape as `ganplay bench --ops` prints it."""
    b = op.get("batch")
    kind = op["op"]
    if kind == "linear":
        return f"{b}x{op['inputs']} → {op['outputs']}"
    if kind in ("conv2d", "conv_transpose2d"):
        return f"{b}x{op['channels_in']}x{op['side']}x{op['side']} → {op['channels_out']}"
    if kind == "batch_norm2d":
        return f"{b}x{op['channels']}x{op['side']}x{op['side']}"
    if kind == "logit_loss":
        return f"{b}x1"
    if kind == "vae_loss":
        return f"{b}x{op['features']}, {b}x{op['latent']}"
    if kind == "adam":
        return f"{op['params']} values"
    return f"{b}x{op['features']}"


def compare_ops(path, seconds, op_seconds):
    """Times ganplay's operations in PyTorch and prints both, per case."""
    import json
    with open(path) as f:
        cases = json.load(f)
    for case in cases:
        name = case["name"]
        torch_rate = bench(CASES[name][0](), seconds)
        ours_ms, torch_ms = 1e3 / case["steps_per_sec"], 1e3 / torch_rate
        print(f"\n{name}: ganplay {ours_ms:.3f} ms a step, PyTorch {torch_ms:.3f} ms "
              f"(ganplay at {torch_ms / ours_ms:.2f}x PyTorch's speed)")
        print(f"  {'operation':<17} {'shape':<26} {'f/b':>5} {'ganplay ms':>10} {'share':>6} "
              f"{'torch ms':>9} {'share':>6} {'ratio':>6}")
        sums = [0.0, 0.0]
        for row in case["rows"]:
            op = row["op"]
            fwd, bwd = time_op(op, op_seconds)
            n_f, n_b = row["forwards"], row["backwards"]
            ours = (n_f * row["forward_s"] + n_b * row["backward_s"]) * 1e3
            theirs = (n_f * fwd + n_b * bwd) * 1e3
            sums[0] += ours
            sums[1] += theirs
            print(f"  {op['op']:<17} {shape_of(op):<26} {n_f}/{n_b:<3} {ours:>10.3f} {100 * ours / ours_ms:>5.1f}% "
                  f"{theirs:>9.3f} {100 * theirs / torch_ms:>5.1f}% {theirs / ours if ours else 0:>6.2f}")
        print(f"  {'all operations':<17} {'':<26} {'':>5} {sums[0]:>10.3f} {100 * sums[0] / ours_ms:>5.1f}% "
              f"{sums[1]:>9.3f} {100 * sums[1] / torch_ms:>5.1f}% {sums[1] / sums[0]:>6.2f}")
        sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=3.0, help="seconds to time each case for (default 3)")
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="torch.set_num_threads (default: all cores, %(default)s here)")
    p.add_argument("--cases", default=",".join(CASES),
                   help="comma-separated cases (default: all: %(default)s)")
    p.add_argument("--page-sizes-only", action="store_true", help="skip the full-size 64x64 DCGAN")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--ops", metavar="FILE",
                   help="time the operations `ganplay bench --ops --ops-json FILE` timed, and print both")
    p.add_argument("--op-seconds", type=float, default=0.5, help="with --ops: seconds per operation (default 0.5)")
    args = p.parse_args()

    names = [n.strip() for n in args.cases.split(",") if n.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        p.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
    if args.page_sizes_only:
        names = [n for n in names if n != "dcgan-64"]

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    print(f"device: pytorch {torch.__version__} cpu, {torch.get_num_threads()} threads", flush=True)
    if args.ops:
        return compare_ops(args.ops, args.seconds, args.op_seconds)
    for name in names:
        build, description = CASES[name]
        rate = bench(build(), args.seconds)
        print(f"{name:<8} {rate:>9.1f} steps/s   ({description})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
