#!/usr/bin/env python3
"""PyTorch peer of `ganplay train --model ssgan`: Salimans et al. 2016's MNIST semi-supervised GAN
(their `train_mnist_feature_matching.py`, ported), trained on ganplay's bundled digits, so that
ganplay's accuracy can be read against an independent implementation of the paper.

As in the paper's code: D 784-(hidden)-10 of weight-normalised dense layers whose hidden weight
lengths stay where the data-dependent initialisation (500 training digits) put them, Gaussian noise
0.3 on the input and 0.5 after each hidden layer in training; G 100-500-500-784, batch norm
(shift only) and softplus, weight-normalised sigmoid output, uniform U(0, 1) noise; Adam 3e-3,
beta1 0.5; batches of 100: D on a labelled batch (cycled), an unlabelled batch (cycled through the
whole training split) and a generated batch, then G by feature matching on the next unlabelled
batch. No learning-rate decay (the paper's starts after 400 epochs). Test accuracy (no noise) on
the 997 bundled test digits is printed every `--log-every` steps.

The labelled digits are `--labels-per-class` per class drawn with numpy's generator: another
subset than ganplay's (same size), so single runs differ by the subset as well as the code.

    .venv-bench/bin/python bench/ssgan_torch.py --steps 3000 --seed 1
"""

import argparse
import gzip
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DATA = os.path.join(os.path.dirname(__file__), "..", "web", "data")


def idx(name):
    raw = gzip.open(os.path.join(DATA, name)).read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


class WeightNormDense(nn.Module):
    """x · (g · v / ‖v‖) + b per output unit; `g` trainable only where asked."""

    def __init__(self, fan_in, fan_out, train_scale):
        super().__init__()
        self.v = nn.Parameter(torch.randn(fan_in, fan_out) * 0.05)
        self.g = nn.Parameter(torch.ones(fan_out), requires_grad=train_scale)
        self.b = nn.Parameter(torch.zeros(fan_out))

    def forward(self, x):
        return x @ (self.v * (self.g / self.v.norm(dim=0))) + self.b

    @torch.no_grad()
    def initialise_from(self, x):
        """Data-dependent init: outputs on `x` get mean 0 and variance 1 per unit."""
        a = x @ (self.v * (self.g / self.v.norm(dim=0)))
        mean, std = a.mean(0), a.std(0, unbiased=False)
        self.g.data /= std
        self.b.data = -mean / std
        return (a - mean) / std


class Discriminator(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        widths = [784] + hidden
        self.hidden = nn.ModuleList(WeightNormDense(a, b, False) for a, b in zip(widths, widths[1:]))
        self.output = WeightNormDense(widths[-1], 10, True)

    def forward(self, x, noise):
        """(class logits, last hidden layer's features)."""
        if noise:
            x = x + 0.3 * torch.randn_like(x)
        for layer in self.hidden:
            features = F.relu(layer(x))
            x = features + 0.5 * torch.randn_like(features) if noise else features
        return self.output(x), features

    @torch.no_grad()
    def initialise_from(self, x):
        for layer in self.hidden:
            x = F.relu(layer.initialise_from(x))
        self.output.initialise_from(x)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2 = nn.Linear(100, 500, bias=False), nn.Linear(500, 500, bias=False)
        self.n1, self.n2 = nn.BatchNorm1d(500, affine=False), nn.BatchNorm1d(500, affine=False)
        self.b1, self.b2 = nn.Parameter(torch.zeros(500)), nn.Parameter(torch.zeros(500))
        self.output = WeightNormDense(500, 784, True)

    def forward(self, z):
        h = F.softplus(self.n1(self.l1(z)) + self.b1)
        h = F.softplus(self.n2(self.l2(h)) + self.b2)
        return torch.sigmoid(self.output(h))


def augment(x):
    """Random affine views of `[n, 784]` images: rotation ±10°, scale 0.9-1.1, shift ±2 px."""
    n = x.shape[0]
    angle = (torch.rand(n) * 2 - 1) * np.pi / 18
    scale = 0.9 + torch.rand(n) * 0.2
    shift = (torch.rand(n, 2) * 2 - 1) * (2 / 14)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, (n, 1, 28, 28), align_corners=False)
    return F.grid_sample(x.view(n, 1, 28, 28), grid, align_corners=False).view(n, 784)


class Cycle:
    """Batches that walk through a permutation, reshuffled at the end of each pass."""

    def __init__(self, n, size):
        self.n, self.size, self.order, self.at = n, size, torch.randperm(n), 0

    def next(self):
        if self.at + self.size > self.n:
            self.order, self.at = torch.randperm(self.n), 0
        self.at += self.size
        return self.order[self.at - self.size : self.at]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--labels-per-class", type=int, default=10)
    p.add_argument("--hidden", default="500,250,125,125,125", help="D's hidden widths (page size; the paper's: 1000,500,250,250,250)")
    p.add_argument("--log-every", type=int, default=100)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--lr-decay-steps", type=int, default=0, help="decay the learning rate linearly to 0 over the run's last N steps (0: constant)")
    p.add_argument("--augment", action="store_true", help="random affine views (rotation ±10°, scale 0.9-1.1, shift ±2 px) of the real images D sees")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.RandomState(a.seed)
    train_x = torch.tensor(idx("mnist-train-images.idx.gz").reshape(-1, 784) / 255.0, dtype=torch.float32)
    train_y = idx("mnist-train-labels.idx.gz").astype(np.int64)
    test_x = torch.tensor(idx("mnist-test-images.idx.gz").reshape(-1, 784) / 255.0, dtype=torch.float32)
    test_y = torch.tensor(idx("mnist-test-labels.idx.gz").astype(np.int64))
    chosen = np.concatenate([rng.permutation(np.where(train_y == k)[0])[: a.labels_per_class] for k in range(10)])
    lab_x, lab_y = train_x[chosen], torch.tensor(train_y[chosen])

    d, g = Discriminator([int(w) for w in a.hidden.split(",")]), Generator()
    d.initialise_from(train_x[torch.randperm(len(train_x))[:500]])
    adam = lambda m: torch.optim.Adam([q for q in m.parameters() if q.requires_grad], 3e-3, betas=(0.5, 0.999))
    d_opt, g_opt = adam(d), adam(g)
    batch = 100
    unlabelled, labelled = Cycle(len(train_x), batch), Cycle(len(lab_x), min(batch, len(lab_x)))
    start = time.time()
    print("step,test_accuracy,d_loss_labelled,d_loss_unlabelled,g_loss,seconds")
    view = augment if a.augment else (lambda x: x)
    for step in range(1, a.steps + 1):
        if a.lr_decay_steps:
            lr = 3e-3 * min(1.0, (a.steps - step + 1) / a.lr_decay_steps)
            for group in d_opt.param_groups + g_opt.param_groups:
                group["lr"] = lr
        li = torch.cat([labelled.next() for _ in range(-(-batch // len(lab_x)) if len(lab_x) < batch else 1)])[:batch]
        with torch.no_grad():
            fake = g(torch.rand(batch, 100))
        logits, _ = d(torch.cat([view(lab_x[li]), view(train_x[unlabelled.next()]), fake]), noise=True)
        lab, unl, gen = logits.split(batch)
        loss_lab = F.cross_entropy(lab, lab_y[li])
        lse_unl, lse_gen = torch.logsumexp(unl, 1), torch.logsumexp(gen, 1)
        loss_unl = 0.5 * (F.softplus(lse_unl) - lse_unl).mean() + 0.5 * F.softplus(lse_gen).mean()
        d_opt.zero_grad()
        (loss_lab + loss_unl).backward()
        d_opt.step()
        _, real_features = d(train_x[unlabelled.next()], noise=True)
        _, fake_features = d(g(torch.rand(batch, 100)), noise=True)
        loss_g = (real_features.detach().mean(0) - fake_features.mean(0)).pow(2).mean()
        g_opt.zero_grad()
        loss_g.backward()
        g_opt.step()
        if step % a.log_every == 0:
            with torch.no_grad():
                accuracy = (d(test_x, noise=False)[0].argmax(1) == test_y).float().mean().item()
            print(f"{step},{accuracy:.4f},{loss_lab.item():.4f},{loss_unl.item():.4f},{loss_g.item():.4f},{time.time() - start:.0f}", flush=True)


if __name__ == "__main__":
    main()
