"""The reference loader draws the same pixels as `ganplay sample --noise` for every bundled model
(within one grey level), and reads what `ganplay export --format idx` writes.

Run by scripts/test.sh: python python/test_ganplay_weights.py path/to/ganplay
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import ganplay_weights as gw  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODELS = ["gan-mlp", "dcgan", "cgan", "wgan", "vae", "cvae", "ssgan", "m2"]


def main(ganplay: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in MODELS:
            model = gw.load(ROOT / "web" / "weights" / f"{name}.safetensors")
            noise = np.random.default_rng(7).standard_normal((20, model.latent_dim)).astype(np.float32)
            np.save(tmp / "noise.npy", noise)
            values_path = tmp / f"{name}.json"
            subprocess.run(
                [ganplay, "sample", "--weights", str(ROOT / "web" / "weights" / f"{name}.safetensors"),
                 "--noise", str(tmp / "noise.npy"), "--values", str(values_path), "--device", "cpu",
                 "--out", str(tmp / f"{name}.png")],
                check=True, capture_output=True)
            # With --noise, conditional models take the classes in turn: row i is class i % classes.
            labels = [i % model.classes for i in range(20)] if model.classes else None
            ours = model.sample_pixels(noise, labels).astype(int)
            values = np.asarray(json.loads(values_path.read_text()), dtype=np.float32)
            scale, offset = model.normalisation["scale"], model.normalisation["offset"]
            theirs = np.clip(np.floor((values - offset) / scale * 255 + 0.5), 0, 255).astype(int).reshape(ours.shape)
            worst = int(np.abs(ours - theirs).max())
            assert worst <= 1, f"{name}: Python and the CLI differ by {worst} grey levels"
            assert ours.std() > 10, f"{name}: blank samples"
            print(f"{name}: {ours.shape[0]} samples, largest difference {worst} grey level(s)")

        # The semi-supervised models' classifiers label the held-out digits as ganplay does.
        images = gw.read_idx(ROOT / "web" / "data" / "mnist-test-images.idx.gz")
        labels = gw.read_idx(ROOT / "web" / "data" / "mnist-test-labels.idx.gz")
        # A semi-supervised GAN whose classifier is its discriminator's moving average.
        averaged = tmp / "ssgan-averaged"
        subprocess.run(
            [ganplay, "train", "--model", "ssgan", "--scale", "page", "--steps", "40",
             "--classifier-ema", "0.9", "--sample-every", "0", "--checkpoint-every", "0",
             "--device", "cpu", "--out", str(averaged)],
            check=True, capture_output=True)
        classifiers = {name: ROOT / "web" / "weights" / f"{name}.safetensors" for name in ["ssgan", "m2"]}
        classifiers["ssgan --classifier-ema"] = averaged / "weights.safetensors"
        for name, path in classifiers.items():
            report = subprocess.run(
                [ganplay, "eval", "--weights", str(path), "--samples", "200", "--device", "cpu"],
                check=True, capture_output=True, text=True).stdout
            line = next(l for l in report.splitlines() if "test accuracy" in l)
            theirs = float(line.split("accuracy: ")[1].split("%")[0])
            ours = 100.0 * float((gw.load(path).classify(images).argmax(axis=1) == labels).mean())
            assert abs(ours - theirs) < 0.11, f"{name}: Python {ours:.2f}%, the CLI {theirs:.2f}%"
            print(f"{name}: classifies the {len(labels)} test digits, {ours:.2f}% right, as the CLI")

        out = tmp / "export"
        subprocess.run(
            [ganplay, "export", "--weights", str(ROOT / "web" / "weights" / "cvae.safetensors"),
             "--count", "30", "--format", "idx", "--device", "cpu", "--out", str(out)],
            check=True, capture_output=True)
        images, labels, manifest = gw.read_idx_dataset(out)
        assert images.shape == (30, 28, 28) and labels.shape == (30,)
        assert manifest["counts_per_class"] == [3] * 10
        assert sorted(np.bincount(labels, minlength=10).tolist()) == [3] * 10
        print("export: 30 labelled digits read back")

        try:
            gw.load(ROOT / "web" / "weights" / "classifier.safetensors")
            raise AssertionError("a classifier file must be refused")
        except ValueError as e:
            assert "not a ganplay generator file" in str(e)


if __name__ == "__main__":
    main(sys.argv[1])
