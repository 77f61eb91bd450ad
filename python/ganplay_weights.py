"""Rebuild and sample ganplay's generators and VAE decoders from their weight files, and classify
images with a semi-supervised model's classifier (the GAN's discriminator, the VAE's q(y|x)).

NumPy and `safetensors` only. The forward passes are those of `docs/weights.md`; they give the
same pixels as `ganplay sample --noise FILE.npy` (within one grey level).

    import numpy as np, ganplay_weights as gw
    model = gw.load("web/weights/cgan.safetensors")
    noise = np.random.default_rng(0).standard_normal((16, model.latent_dim)).astype(np.float32)
    pixels = model.sample_pixels(noise, labels=[3] * 16)   # (16, 1, 28, 28) uint8

    ssgan = gw.load("web/weights/ssgan.safetensors")
    classes = ssgan.classify(pixels).argmax(axis=1)           # the discriminator's digit
    m2 = gw.load("web/weights/m2.safetensors")                # the semi-supervised VAE:
    classes = m2.classify(pixels).argmax(axis=1)              # its q(y|x), the same way

Also reads the data sets `ganplay export --format idx` writes: `read_idx_dataset(folder)`.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors import safe_open

BATCH_NORM_EPS = 1e-5


@dataclass
class Model:
    """A generator (GAN) or decoder (VAE) rebuilt from a weight file."""

    kind: str  # gan-mlp, dcgan, cgan, wgan, vae, cvae, ssgan, m2
    config: dict
    tensors: dict
    normalisation: dict  # model value = pixel / 255 * scale + offset

    @property
    def latent_dim(self) -> int:
        return self.config["latent_dim"]

    @property
    def classes(self) -> int:
        # The semi-supervised VAE's decoder takes the class too.
        conditional = self.kind in ("cgan", "cvae", "m2")
        return len(self.config["class_names"]) if conditional else 0

    @property
    def image_shape(self) -> tuple:
        image = self.config["image"]
        return image["channels"], image["height"], image["width"]

    def sample(self, noise: np.ndarray, labels=None) -> np.ndarray:
        """Model values `(n, channels * height * width)` for `(n, latent_dim)` noise.

        Image GANs draw Gaussian noise, VAEs decode latent vectors (also Gaussian). Conditional
        models need one class per row; the one-hot class follows the noise.
        """
        x = np.asarray(noise, dtype=np.float32)
        if self.classes:
            if labels is None:
                raise ValueError(f"{self.kind} is conditional: pass one class per sample")
            x = np.concatenate([x, np.eye(self.classes, dtype=np.float32)[np.asarray(labels)]], axis=1)
        elif labels is not None:
            raise ValueError(f"{self.kind} is unconditional: it takes no classes")
        if self.kind in ("vae", "cvae", "m2"):
            return sigmoid(self._mlp("vae.decoder", x))
        if self.kind == "gan-mlp":
            return np.tanh(self._mlp("generator.Mlp", x))
        if self.kind == "ssgan":
            return self._ssgan_generator(x)
        return self._dcgan(x)

    def classify(self, pixels: np.ndarray) -> np.ndarray:
        """Class logits `(n, classes)` of 8-bit images (any shape with `n` rows): the
        semi-supervised GAN's discriminator (its moving average `discriminator_ema` when the
        file has one) or the semi-supervised VAE's q(y|x) (the same network), as in evaluation
        (no noise layers)."""
        prefix = {"ssgan": "discriminator", "m2": "classifier"}.get(self.kind)
        if prefix == "discriminator" and any(k.startswith("discriminator_ema.") for k in self.tensors):
            prefix = "discriminator_ema"
        if prefix is None:
            raise ValueError(f"{self.kind} does not classify; the semi-supervised models (ssgan, m2) do")
        scale, offset = self.normalisation["scale"], self.normalisation["offset"]
        h = np.asarray(pixels, dtype=np.float32).reshape((len(pixels), -1)) / 255.0 * scale + offset
        layers = sum(1 for k in self.tensors if k.startswith(f"{prefix}.hidden.") and k.endswith(".direction"))
        for i in range(layers):
            h = np.maximum(self._weight_norm_dense(f"{prefix}.hidden.{i}", h), 0.0)
        return self._weight_norm_dense(f"{prefix}.output", h)

    def sample_pixels(self, noise: np.ndarray, labels=None) -> np.ndarray:
        """8-bit images `(n, channels, height, width)`."""
        values = self.sample(noise, labels)
        scale, offset = self.normalisation["scale"], self.normalisation["offset"]
        pixels = np.clip(np.floor((values - offset) / scale * 255.0 + 0.5), 0, 255)
        return pixels.astype(np.uint8).reshape((-1, *self.image_shape))

    def _dense(self, prefix: str, x: np.ndarray) -> np.ndarray:
        # Burn stores dense weights as [in, out]: x · W + b.
        y = x @ self.tensors[f"{prefix}.weight"]
        bias = self.tensors.get(f"{prefix}.bias")
        return y if bias is None else y + bias

    def _weight_norm_dense(self, prefix: str, x: np.ndarray) -> np.ndarray:
        # w = scale · direction / ‖direction‖, column by column; direction is [in, out].
        v = self.tensors[f"{prefix}.direction"]
        factor = self.tensors[f"{prefix}.scale"] / np.sqrt((v * v).sum(axis=0))
        return (x @ v) * factor + self.tensors[f"{prefix}.bias"]

    def _ssgan_generator(self, x: np.ndarray) -> np.ndarray:
        """Dense → batch norm → softplus per hidden layer, then a weight-normalised dense layer
        and a sigmoid."""
        layers = sum(1 for k in self.tensors if k.startswith("generator.hidden.") and k.endswith(".weight"))
        for i in range(layers):
            h = self._batch_norm(f"generator.norms.{i}", self._dense(f"generator.hidden.{i}", x))
            x = np.logaddexp(0.0, h)
        return sigmoid(self._weight_norm_dense("generator.output", x))

    def _mlp(self, prefix: str, x: np.ndarray) -> np.ndarray:
        """Dense layers with ReLU between them (generators and decoders); the last stays linear
        (the caller applies tanh or sigmoid)."""
        count = sum(1 for k in self.tensors if k.startswith(f"{prefix}.layers.") and k.endswith(".weight"))
        for i in range(count):
            x = self._dense(f"{prefix}.layers.{i}", x)
            if i < count - 1:
                x = np.maximum(x, 0.0)
        return x

    def _batch_norm(self, prefix: str, x: np.ndarray) -> np.ndarray:
        t = self.tensors
        shape = (1, -1) + (1,) * (x.ndim - 2)
        mean, var = t[f"{prefix}.running_mean"].reshape(shape), t[f"{prefix}.running_var"].reshape(shape)
        gamma, beta = t[f"{prefix}.gamma"].reshape(shape), t[f"{prefix}.beta"].reshape(shape)
        return (x - mean) / np.sqrt(var + BATCH_NORM_EPS) * gamma + beta

    def _dcgan(self, x: np.ndarray) -> np.ndarray:
        """Projection (no bias) → batch norm → ReLU, then per stage a 4×4 transposed convolution
        of stride 2 and padding 1 (doubling the side), batch norm and ReLU; the last stage has a
        bias and no batch norm, and ends in tanh."""
        t = self.tensors
        stages = sum(1 for k in t if k.startswith("generator.Conv.up.") and k.endswith(".weight"))
        first = t["generator.Conv.up.0.weight"]
        channels = first.shape[0]
        side = int(round((t["generator.Conv.project.weight"].shape[1] / channels) ** 0.5))
        h = self._dense("generator.Conv.project", x).reshape((-1, channels, side, side))
        h = np.maximum(self._batch_norm("generator.Conv.project_norm", h), 0.0)
        for i in range(stages):
            h = conv_transpose_4x4_s2_p1(h, t[f"generator.Conv.up.{i}.weight"])
            if i < stages - 1:
                h = np.maximum(self._batch_norm(f"generator.Conv.norms.{i}", h), 0.0)
            else:
                h = np.tanh(h + t[f"generator.Conv.up.{i}.bias"].reshape((1, -1, 1, 1)))
        return h.reshape((h.shape[0], -1))


def conv_transpose_4x4_s2_p1(x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Transposed convolution, kernel 4, stride 2, padding 1: `(n, in, h, w)` → `(n, out, 2h, 2w)`.
    `weight` is `(in, out, 4, 4)` (Burn's and PyTorch's layout). Input pixel (i, j) adds
    `x[i, j] · W[ki, kj]` to output pixel (2i − 1 + ki, 2j − 1 + kj)."""
    n, _, h, w = x.shape
    out = np.zeros((n, weight.shape[1], 2 * h + 2, 2 * w + 2), dtype=np.float32)
    for ki in range(4):
        for kj in range(4):
            out[:, :, ki:ki + 2 * h:2, kj:kj + 2 * w:2] += np.einsum("nihw,io->nohw", x, weight[:, :, ki, kj])
    return out[:, :, 1:1 + 2 * h, 1:1 + 2 * w]


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def load(path) -> Model:
    """A generator or decoder from a ganplay weight file (f32, f16 or bf16 tensors)."""
    with safe_open(str(path), "np") as f:
        meta = f.metadata() or {}
        if meta.get("ganplay.format") != "ganplay-weights":
            raise ValueError(f"{path} is not a ganplay generator file (ganplay.format is {meta.get('ganplay.format')!r})")
        config = json.loads(meta["ganplay.config"])
        if config.get("family") != "image":
            raise ValueError(f"{path} holds a 2D GAN; this module rebuilds image models")
        tensors = {k: f.get_tensor(k).astype(np.float32) for k in f.keys()}
    # A GAN's moving average of its generator, when the file holds one, is what samples.
    prefix = "generator_ema."
    tensors.update({"generator." + k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)})
    return Model(config["model"], config, tensors, json.loads(meta["ganplay.normalisation"]))


def read_idx(path) -> np.ndarray:
    """An IDX file of unsigned bytes (gzipped or not) as an array of its dimensions."""
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:3] != b"\x00\x00\x08":
        raise ValueError(f"{path} is not an IDX file of unsigned bytes")
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def read_idx_dataset(folder):
    """Images `(n, h, w)`, labels `(n,)` and the manifest of `ganplay export --format idx`."""
    folder = Path(folder)
    images = read_idx(folder / "train-images-idx3-ubyte")
    labels = read_idx(folder / "train-labels-idx1-ubyte")
    manifest = json.loads((folder / "manifest.json").read_text())
    return images, labels, manifest
