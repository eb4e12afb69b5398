"""Nearest / bilinear up-sampling against NumPy references."""
import numpy as np
import pytest

from torchlua.kernels import upsampling as up, KernelError

RNG = np.random.default_rng(8)
DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("s", [2, 3])
@pytest.mark.parametrize("batch", [True, False])
def test_nearest(dtype, s, batch):
    x = RNG.standard_normal((2, 3, 4, 5)).astype(dtype)
    xin = x if batch else x[0]
    y = up.upsampling_nearest2d_forward(xin, s)
    assert y.dtype == dtype
    assert np.array_equal(y, xin.repeat(s, -2).repeat(s, -1))
    g = RNG.standard_normal(y.shape).astype(dtype)
    gi = up.upsampling_nearest2d_backward(xin, g, s)
    want = g.astype(np.float64).reshape(g.shape[:-2] + (4, s, 5, s)).sum(axis=(-3, -1))
    assert gi.dtype == dtype and np.allclose(gi, want, atol=1e-5)
    with pytest.raises(KernelError, match="^scale_factor must be greater than 1, but got: 1$"):
        up.upsampling_nearest2d_forward(xin, 1)


def ref_bilinear(x, oH, oW):
    N, C, H, W = x.shape

    def axis(i, o):
        src = np.arange(o) * ((i - 1) / (o - 1) if o > 1 else 0.0)
        i0 = np.floor(src).astype(int)
        i1 = np.minimum(i0 + 1, i - 1)
        return i0, i1, src - i0
    y0, y1, ly = axis(H, oH)
    x0, x1, lx = axis(W, oW)
    x = x.astype(np.float64)
    top = x[:, :, y0][:, :, :, x0] * (1 - lx) + x[:, :, y0][:, :, :, x1] * lx
    bot = x[:, :, y1][:, :, :, x0] * (1 - lx) + x[:, :, y1][:, :, :, x1] * lx
    return top * (1 - ly)[:, None] + bot * ly[:, None]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("sizes", [(4, 5, 7, 9), (3, 3, 8, 5), (5, 6, 5, 6), (1, 4, 3, 1), (6, 7, 3, 4)])
def test_bilinear(dtype, sizes):
    H, W, oH, oW = sizes
    x = RNG.standard_normal((2, 3, H, W)).astype(dtype)
    y = up.upsampling_bilinear2d_forward(x, oH, oW)
    assert y.dtype == dtype and y.shape == (2, 3, oH, oW)
    assert np.allclose(y, ref_bilinear(x, oH, oW), atol=1e-5)
    g = RNG.standard_normal(y.shape).astype(dtype)
    gi = up.upsampling_bilinear2d_backward(g, 2, 3, H, W, oH, oW)
    lhs = np.vdot(y.astype(np.float64), g.astype(np.float64))
    assert gi.dtype == dtype
    assert abs(lhs - np.vdot(x.astype(np.float64), gi.astype(np.float64))) < 1e-4 * max(1, abs(lhs))


def test_bilinear_single_precision_grid():
    # THNN computes the source position in float even for double tensors
    x = np.arange(3 * 7, dtype=np.float64).reshape(1, 1, 3, 7)
    y = up.upsampling_bilinear2d_forward(x, 3, 10)
    r = np.float32(6) / np.float32(9)
    pos = r * np.float32(4)
    lam = np.float64(pos - np.float32(int(pos)))
    want = (1 - lam) * x[0, 0, 0, int(pos)] + lam * x[0, 0, 0, int(pos) + 1]
    assert y[0, 0, 0, 4] == want


def test_bilinear_errors():
    with pytest.raises(KernelError, match="^4D input tensor expected but got: "):
        up.upsampling_bilinear2d_forward(np.zeros((1, 2, 3, 4, 5)), 4, 4)
    with pytest.raises(KernelError, match="^input and output sizes should be greater than 0"):
        up.upsampling_bilinear2d_forward(np.zeros((1, 2, 3, 4)), 0, 4)
    with pytest.raises(KernelError, match=r"^Need gradOutput of dimension 4 and gradOutput.size\[3\] == 6"):
        up.upsampling_bilinear2d_backward(np.zeros((1, 2, 5, 5)), 1, 2, 3, 4, 5, 6)
