"""The seeds examples/select_one_output_question.lua and _answer.lua (copies of
the project's seed scripts), run unchanged.

Their numbers are checked against an independent computation: the same seed
replays the script's random draws (input, the two convolutions' reset(), the
fake ground truth) in a separate runtime, and NumPy computes the network's
output and the SmoothL1 gradient from them.
"""
import os
import re
import shutil

import numpy as np
import pytest

import torchlua
from test_nn_spatial import _MISSING, ref_conv2d

pytestmark = pytest.mark.skipif(_MISSING is not None, reason=f"require 'nn' fails: {_MISSING}")

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, "examples")
SEED = 1234

NET_TEXT = """nn.Sequential {
  [input -> (1) -> (2) -> (3) -> output]
  (1): nn.SpatialConvolution(3 -> 128, 9x9, 9,9, 1,1)
  (2): nn.SpatialConvolution(128 -> 1, 3x3, 3,3, 1,1)
  (3): nn.Squeeze
}"""

# the draws both scripts make before their forward, in their order
REPLAY = """
torch.manualSeed(%d)
local x = torch.Tensor(2, 3, 100, 100):uniform(-1, 1)
local c1 = nn.SpatialConvolution(3, 128, 9, 9, 9, 9, 1, 1)
local c2 = nn.SpatialConvolution(128, 1, 3, 3, 3, 3, 1, 1)
local gt = torch.rand(1)
return x, c1.weight, c1.bias, c2.weight, c2.bias, gt
""" % SEED


@pytest.fixture(scope="module")
def expected():
    r = torchlua.Runtime()
    r.execute("require 'nn'")
    x, w1, b1, w2, b2, gt = (v.numpy().copy() for v in r.execute(REPLAY))
    h = ref_conv2d(x, w1, b1, 9, 9, 1, 1)
    y = ref_conv2d(h, w2, b2, 3, 3, 1, 1)[:, 0]
    return y, gt[0]


def run_seed(tmp_path, capfd, name):
    path = tmp_path / name
    shutil.copy(os.path.join(EXAMPLES, name), path)
    r = torchlua.Runtime()
    # nn first: as in Torch7, `require 'nn'` itself draws (upstream nn/test.lua builds
    # an nn.Linear), and the replay counts only the example's own draws
    r.execute("require 'nn'")
    r.execute("torch.manualSeed(%d)" % SEED)
    capfd.readouterr()
    r.run_file(str(path))
    return r, capfd.readouterr().out


def tensors(text):
    """Values of every `print(tensor)` block in text (scale lines applied)."""
    blocks = re.split(r"\[torch\.DoubleTensor of size [0-9x]+\]\n", text)
    out = []
    for b in blocks[:-1] if not blocks[-1].strip() else blocks:
        scale = 1.0
        vals = []
        for line in b.strip().splitlines():
            line = line.strip()
            if line.endswith("*"):
                scale = float(line[:-1])
            elif line.startswith("(") or not line:
                continue
            else:
                vals += [float(v) for v in line.split()]
        out.append(np.array(vals) * scale)
    return out


def test_question_seed(tmp_path, capfd, expected):
    rt, out = run_seed(tmp_path, capfd, "select_one_output_question.lua")
    assert out.startswith(NET_TEXT + "\n")
    assert out.rstrip().endswith("[torch.DoubleTensor of size 2x4x4]")
    y_ref, _ = expected
    y = rt.execute("return y")
    np.testing.assert_allclose(y.numpy(), y_ref, rtol=1e-10, atol=1e-12)
    printed = tensors(out[len(NET_TEXT) + 1:])[0]
    np.testing.assert_allclose(printed, y_ref.ravel(), atol=6e-5)


def test_answer_seed(tmp_path, capfd, expected):
    rt, out = run_seed(tmp_path, capfd, "select_one_output_answer.lua")
    head = NET_TEXT.replace("(3) -> output]", "(3) -> (4) -> (5) -> output]").replace(
        "nn.Squeeze\n}", "nn.Squeeze\n  (4): nn.View(1, -1)\n  (5): nn.SplitTable\n}")
    assert out.startswith(head + "\n")
    tail = out.split("The full dE/dy")[1]
    grads = tensors(tail)
    assert len(grads) == 32 and all(g.size == 1 for g in grads)
    nonzero = [i + 1 for i, g in enumerate(grads) if g[0] != 0]
    assert nonzero == [28]          # sample 2, row 3, column 4
    y_ref, gt = expected
    d = y_ref[1, 2, 3] - gt
    g_ref = max(-1.0, min(1.0, d))  # SmoothL1's gradient for one element
    assert grads[27][0] == pytest.approx(g_ref, abs=6e-5)
    # y holds the 32 outputs in row-major order
    y = rt.execute("return y")
    vals = [y[i].numpy()[0] for i in range(1, 33)]
    np.testing.assert_allclose(vals, y_ref.ravel(), rtol=1e-10, atol=1e-12)
