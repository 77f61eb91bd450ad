//! The operations one training step of each benchmark case runs, at the case's shapes, with how
//! often a step runs each. `bench/torch_bench.py --ops` reads this list (as JSON) and times the
//! same operations in PyTorch, so the two sides cannot drift apart.

use serde::Serialize;

/// One operation at one shape. Convolutions are 4x4, stride 2, padding 1 (the DCGAN's); `side`
/// is the input's height and width.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    Linear {
        batch: usize,
        inputs: usize,
        outputs: usize,
        bias: bool,
    },
    Conv2d {
        batch: usize,
        channels_in: usize,
        channels_out: usize,
        side: usize,
        bias: bool,
    },
    ConvTranspose2d {
        batch: usize,
        channels_in: usize,
        channels_out: usize,
        side: usize,
        bias: bool,
    },
    /// Batch norm over `[batch, channels, side, side]`, with batch statistics (training).
    BatchNorm2d {
        batch: usize,
        channels: usize,
        side: usize,
    },
    Relu {
        batch: usize,
        features: usize,
    },
    LeakyRelu {
        batch: usize,
        features: usize,
    },
    Tanh {
        batch: usize,
        features: usize,
    },
    Dropout {
        batch: usize,
        features: usize,
    },
    /// A GAN loss on `batch` logits: the mean of softplus(-x).
    LogitLoss {
        batch: usize,
    },
    /// The VAE's loss: Bernoulli NLL on logits, summed over pixels, plus the Gaussian KL.
    VaeLoss {
        batch: usize,
        features: usize,
        latent: usize,
    },
    /// One Adam update of `params` values.
    Adam {
        params: usize,
    },
    /// Standard normal values (noise, the VAE's ε): forward only.
    RandomNormal {
        batch: usize,
        features: usize,
    },
}

impl Op {
    /// Trainable values the operation owns (what Adam updates).
    pub fn params(&self) -> usize {
        let conv =
            |cin: usize, cout: usize, bias: bool| cin * cout * 16 + if bias { cout } else { 0 };
        match *self {
            Op::Linear {
                inputs,
                outputs,
                bias,
                ..
            } => inputs * outputs + if bias { outputs } else { 0 },
            Op::Conv2d {
                channels_in,
                channels_out,
                bias,
                ..
            }
            | Op::ConvTranspose2d {
                channels_in,
                channels_out,
                bias,
                ..
            } => conv(channels_in, channels_out, bias),
            Op::BatchNorm2d { channels, .. } => 2 * channels,
            _ => 0,
        }
    }

    /// Multiply-adds of one forward pass (0 for element-wise work).
    pub fn forward_macs(&self) -> usize {
        match *self {
            Op::Linear {
                batch,
                inputs,
                outputs,
                ..
            } => batch * inputs * outputs,
            Op::Conv2d {
                batch,
                channels_in,
                channels_out,
                side,
                ..
            } => batch * channels_out * (side / 2) * (side / 2) * channels_in * 16,
            Op::ConvTranspose2d {
                batch,
                channels_in,
                channels_out,
                side,
                ..
            } => batch * channels_in * side * side * channels_out * 16,
            _ => 0,
        }
    }

    /// The shape, as the table prints it.
    pub fn shape(&self) -> String {
        match *self {
            Op::Linear {
                batch,
                inputs,
                outputs,
                ..
            } => format!("{batch}x{inputs} → {outputs}"),
            Op::Conv2d {
                batch,
                channels_in,
                channels_out,
                side,
                ..
            }
            | Op::ConvTranspose2d {
                batch,
                channels_in,
                channels_out,
                side,
                ..
            } => {
                format!("{batch}x{channels_in}x{side}x{side} → {channels_out}")
            }
            Op::BatchNorm2d {
                batch,
                channels,
                side,
            } => format!("{batch}x{channels}x{side}x{side}"),
            Op::Relu { batch, features }
            | Op::LeakyRelu { batch, features }
            | Op::Tanh { batch, features }
            | Op::Dropout { batch, features }
            | Op::RandomNormal { batch, features } => format!("{batch}x{features}"),
            Op::LogitLoss { batch } => format!("{batch}x1"),
            Op::VaeLoss {
                batch,
                features,
                latent,
            } => format!("{batch}x{features}, {batch}x{latent}"),
            Op::Adam { params } => format!("{params} values"),
        }
    }

    /// The operation's name, as the table prints it (the JSON's `op`).
    pub fn name(&self) -> &'static str {
        match self {
            Op::Linear { .. } => "linear",
            Op::Conv2d { .. } => "conv2d",
            Op::ConvTranspose2d { .. } => "conv_transpose2d",
            Op::BatchNorm2d { .. } => "batch_norm2d",
            Op::Relu { .. } => "relu",
            Op::LeakyRelu { .. } => "leaky_relu",
            Op::Tanh { .. } => "tanh",
            Op::Dropout { .. } => "dropout",
            Op::LogitLoss { .. } => "logit_loss",
            Op::VaeLoss { .. } => "vae_loss",
            Op::Adam { .. } => "adam",
            Op::RandomNormal { .. } => "random_normal",
        }
    }
}

/// An operation and how many forward and backward passes of it one training step makes.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub op: Op,
    pub forwards: u32,
    pub backwards: u32,
}

/// A network's layers, each with the same number of forward and backward passes.
struct Layers {
    ops: Vec<Op>,
}

impl Layers {
    fn new() -> Self {
        Layers { ops: Vec::new() }
    }
    fn push(&mut self, op: Op) -> &mut Self {
        self.ops.push(op);
        self
    }
    fn params(&self) -> usize {
        self.ops.iter().map(Op::params).sum()
    }
    fn rows(&self, forwards: u32, backwards: u32) -> impl Iterator<Item = Row> + '_ {
        self.ops.iter().map(move |op| Row {
            op: op.clone(),
            forwards,
            backwards,
        })
    }
}

/// An MLP's layers at `batch`: linear, then the activation (or the output's tanh), dropout after
/// each hidden activation when `dropout`.
fn mlp(
    widths: &[usize],
    batch: usize,
    hidden: fn(usize, usize) -> Op,
    tanh_out: bool,
    dropout: bool,
) -> Layers {
    let mut layers = Layers::new();
    for (i, pair) in widths.windows(2).enumerate() {
        let (inputs, outputs) = (pair[0], pair[1]);
        layers.push(Op::Linear {
            batch,
            inputs,
            outputs,
            bias: true,
        });
        if i + 2 < widths.len() {
            layers.push(hidden(batch, outputs));
            if dropout {
                layers.push(Op::Dropout {
                    batch,
                    features: outputs,
                });
            }
        } else if tanh_out {
            layers.push(Op::Tanh {
                batch,
                features: outputs,
            });
        }
    }
    layers
}

fn relu(batch: usize, features: usize) -> Op {
    Op::Relu { batch, features }
}

fn leaky(batch: usize, features: usize) -> Op {
    Op::LeakyRelu { batch, features }
}

/// A GAN step: the critic update (G forward without a tape, D on the real and the generated
/// batch, its loss and backward, Adam on D), then the generator update (G and D forward, the
/// loss, backward through both, Adam on G). `critic_at` gives D's layers at a batch size; an
/// MLP critic sees real and generated digits as one batch of twice the size in its own update.
fn gan_step(
    g: Layers,
    critic_at: impl Fn(usize) -> Layers,
    batch: usize,
    noise: usize,
    concatenated_critic: bool,
) -> Vec<Row> {
    let mut rows: Vec<Row> = vec![Row {
        op: Op::RandomNormal {
            batch,
            features: noise,
        },
        forwards: 2,
        backwards: 0,
    }];
    rows.extend(g.rows(2, 1));
    let d = critic_at(batch);
    if concatenated_critic {
        rows.extend(critic_at(2 * batch).rows(1, 1));
        rows.extend(d.rows(1, 1));
    } else {
        rows.extend(d.rows(3, 3));
    }
    rows.push(Row {
        op: Op::LogitLoss { batch },
        forwards: 3,
        backwards: 3,
    });
    rows.push(Row {
        op: Op::Adam { params: d.params() },
        forwards: 1,
        backwards: 0,
    });
    rows.push(Row {
        op: Op::Adam { params: g.params() },
        forwards: 1,
        backwards: 0,
    });
    rows
}

fn mlp_gan(noise: usize, hidden: &[usize]) -> Vec<Row> {
    let batch = 64;
    let g_widths: Vec<usize> = [noise]
        .iter()
        .chain(hidden)
        .chain(&[784])
        .copied()
        .collect();
    let d_widths: Vec<usize> = [784]
        .iter()
        .chain(hidden.iter().rev())
        .chain(&[1])
        .copied()
        .collect();
    gan_step(
        mlp(&g_widths, batch, relu, true, false),
        |b| mlp(&d_widths, b, leaky, false, true),
        batch,
        noise,
        true,
    )
}

/// The page's DCGAN at 28x28, width 16 (`nets/conv.rs`).
fn dcgan() -> Vec<Row> {
    let batch = 64;
    let mut g = Layers::new();
    g.push(Op::Linear {
        batch,
        inputs: 100,
        outputs: 32 * 7 * 7,
        bias: false,
    })
    .push(Op::BatchNorm2d {
        batch,
        channels: 32,
        side: 7,
    })
    .push(relu(batch, 32 * 7 * 7))
    .push(Op::ConvTranspose2d {
        batch,
        channels_in: 32,
        channels_out: 16,
        side: 7,
        bias: false,
    })
    .push(Op::BatchNorm2d {
        batch,
        channels: 16,
        side: 14,
    })
    .push(relu(batch, 16 * 14 * 14))
    .push(Op::ConvTranspose2d {
        batch,
        channels_in: 16,
        channels_out: 1,
        side: 14,
        bias: true,
    })
    .push(Op::Tanh {
        batch,
        features: 784,
    });
    let critic = |batch| {
        let mut d = Layers::new();
        d.push(Op::Conv2d {
            batch,
            channels_in: 1,
            channels_out: 16,
            side: 28,
            bias: true,
        })
        .push(leaky(batch, 16 * 14 * 14))
        .push(Op::Conv2d {
            batch,
            channels_in: 16,
            channels_out: 32,
            side: 14,
            bias: false,
        })
        .push(Op::BatchNorm2d {
            batch,
            channels: 32,
            side: 7,
        })
        .push(leaky(batch, 32 * 7 * 7))
        .push(Op::Linear {
            batch,
            inputs: 32 * 7 * 7,
            outputs: 1,
            bias: true,
        });
        d
    };
    gan_step(g, critic, batch, 100, false)
}

/// The page's VAE: encoder 784-256 (ReLU) to a mean and a log-variance of 2, decoder 2-256-784.
fn vae() -> Vec<Row> {
    let batch = 100;
    let mut net = Layers::new();
    net.push(Op::Linear {
        batch,
        inputs: 784,
        outputs: 256,
        bias: true,
    })
    .push(relu(batch, 256))
    .push(Op::Linear {
        batch,
        inputs: 256,
        outputs: 2,
        bias: true,
    })
    .push(Op::Linear {
        batch,
        inputs: 256,
        outputs: 2,
        bias: true,
    })
    .push(Op::Linear {
        batch,
        inputs: 2,
        outputs: 256,
        bias: true,
    })
    .push(relu(batch, 256))
    .push(Op::Linear {
        batch,
        inputs: 256,
        outputs: 784,
        bias: true,
    });
    let mut rows = vec![Row {
        op: Op::RandomNormal { batch, features: 2 },
        forwards: 1,
        backwards: 0,
    }];
    rows.extend(net.rows(1, 1));
    rows.push(Row {
        op: Op::VaeLoss {
            batch,
            features: 784,
            latent: 2,
        },
        forwards: 1,
        backwards: 1,
    });
    rows.push(Row {
        op: Op::Adam {
            params: net.params(),
        },
        forwards: 1,
        backwards: 0,
    });
    rows
}

/// The operations of a benchmark case's step; `None` for a case this benchmark does not break down.
pub fn step_ops(case: &str) -> Option<Vec<Row>> {
    Some(match case {
        "toy" => {
            let batch = 256;
            gan_step(
                mlp(&[2, 16, 16, 2], batch, relu, false, false),
                |b| mlp(&[2, 16, 16, 1], b, relu, false, false),
                batch,
                2,
                true,
            )
        }
        "mlp-small" => mlp_gan(64, &[256, 256]),
        "mlp-gan" => mlp_gan(100, &[256, 512, 1024]),
        "dcgan" => dcgan(),
        "vae" => vae(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adam_updates_every_parameter_of_the_dcgan() {
        let rows = step_ops("dcgan").unwrap();
        let adam: Vec<usize> = rows
            .iter()
            .filter_map(|r| match r.op {
                Op::Adam { params } => Some(params),
                _ => None,
            })
            .collect();
        // D: 1·16·16+16, 16·32·16, BN 2·32, 1568+1; G: 100·1568, BN 2·32, 32·16·16, BN 2·16, 16·16+1.
        assert_eq!(
            adam,
            vec![272 + 8192 + 64 + 1569, 156_800 + 64 + 8192 + 32 + 257]
        );
    }

    #[test]
    fn an_mlp_critic_sees_both_batches_at_once_in_its_own_update() {
        let rows = step_ops("mlp-gan").unwrap();
        let first_critic_layer = |batch| {
            rows.iter().find(|r| {
                r.op == Op::Linear {
                    batch,
                    inputs: 784,
                    outputs: 1024,
                    bias: true,
                }
            })
        };
        assert_eq!(
            first_critic_layer(128).map(|r| (r.forwards, r.backwards)),
            Some((1, 1))
        );
        assert_eq!(
            first_critic_layer(64).map(|r| (r.forwards, r.backwards)),
            Some((1, 1))
        );
        assert!(step_ops("dcgan-64").is_none());
    }
}
