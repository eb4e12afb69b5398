"""Spatial pooling kernels against plain NumPy references."""
import math

import numpy as np
import pytest

from torchlua.kernels import pooling, KernelError

RNG = np.random.default_rng(99)
DTYPES = [np.float32, np.float64]


def rnd(*shape, dtype=np.float64):
    return RNG.standard_normal(shape).astype(dtype)


def out_size(n, k, d, p, dil, ceil):
    eff = dil * (k - 1) + 1
    o = (math.ceil if ceil else math.floor)((n - eff + 2 * p) / d) + 1
    if p and (o - 1) * d >= n + p:
        o -= 1
    return o


def ref_max(x, kH, kW, dH, dW, pH, pW, dilH, dilW, ceil):
    N, C, H, W = x.shape
    oH = out_size(H, kH, dH, pH, dilH, ceil)
    oW = out_size(W, kW, dW, pW, dilW, ceil)
    out = np.empty((N, C, oH, oW), x.dtype)
    ind = np.empty((N, C, oH, oW), np.int64)
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                for j in range(oW):
                    ys = [i * dH - pH + a * dilH for a in range(kH)]
                    xs = [j * dW - pW + b * dilW for b in range(kW)]
                    best, bi = -np.inf, -1
                    for y in ys:
                        for xx in xs:
                            if 0 <= y < H and 0 <= xx < W and x[n, c, y, xx] > best:
                                best, bi = x[n, c, y, xx], y * W + xx
                    out[n, c, i, j], ind[n, c, i, j] = best, bi + 1
    return out, ind


MAXCASES = [
    # H, W, kH, kW, dH, dW, pH, pW, dilH, dilW, ceil
    (7, 9, 3, 2, 2, 2, 1, 1, 1, 1, True),
    (7, 9, 3, 2, 2, 2, 1, 1, 1, 1, False),
    (8, 5, 2, 2, 2, 2, 0, 0, 1, 1, True),
    (9, 10, 3, 3, 2, 3, 1, 0, 2, 3, True),
    (6, 6, 1, 1, 3, 3, 0, 0, 1, 1, False),
    (4, 4, 1, 1, 2, 2, 0, 0, 1, 1, True),   # last ceil window starts outside
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", MAXCASES)
def test_max_pool2d(dtype, case):
    H, W, kH, kW, dH, dW, pH, pW, dilH, dilW, ceil = case
    x = rnd(2, 3, H, W, dtype=dtype)
    out, ind = pooling.max_pool2d_forward(x, kW, kH, dW, dH, pW, pH, dilW, dilH, ceil)
    rout, rind = ref_max(x, kH, kW, dH, dW, pH, pW, dilH, dilW, ceil)
    assert out.dtype == dtype and ind.dtype == np.int64
    assert np.array_equal(out, rout) and np.array_equal(ind, rind)
    # 3-D input gives the same plane results
    o3, i3 = pooling.max_pool2d_forward(x[1], kW, kH, dW, dH, pW, pH, dilW, dilH, ceil)
    assert np.array_equal(o3, out[1]) and np.array_equal(i3, ind[1])
    g = rnd(*out.shape, dtype=dtype)
    gi = pooling.max_pool2d_backward(x, g, ind, kW, kH, dW, dH, pW, pH, dilW, dilH, ceil)
    want = np.zeros((2, 3, H * W))
    for n in range(2):
        for c in range(3):
            for p, v in zip(rind[n, c].ravel(), g[n, c].ravel()):
                if p > 0:
                    want[n, c, p - 1] += v
    assert gi.dtype == dtype
    assert np.allclose(gi.reshape(2, 3, -1), want, atol=1e-6)


def test_max_pool2d_index_convention_and_nan():
    x = np.array([[[1., 5., 2.], [7., 0., 3.], [4., 8., 6.]]])
    out, ind = pooling.max_pool2d_forward(x, 2, 2, 1, 1)
    assert out.tolist() == [[[7., 5.], [8., 8.]]]
    # flat 1-based position inside the plane (7 is at row 1, col 0 -> 4)
    assert ind.tolist() == [[[4, 2], [8, 8]]]
    x = np.full((1, 2, 2), np.nan)
    out, ind = pooling.max_pool2d_forward(x, 2, 2, 2, 2)
    assert out[0, 0, 0] == -np.inf and ind[0, 0, 0] == 0
    gi = pooling.max_pool2d_backward(x, np.ones((1, 1, 1)), ind, 2, 2, 2, 2)
    assert not gi.any()


def test_max_pool2d_sizes_and_errors():
    assert pooling.max_pool2d_output_size(5, 5, 2, 2, 2, 2, ceil_mode=True) == (3, 3)
    assert pooling.max_pool2d_output_size(5, 5, 2, 2, 2, 2, ceil_mode=False) == (2, 2)
    assert pooling.max_pool2d_output_size(6, 6, 3, 3, 2, 2, 1, 1, ceil_mode=True) == (4, 4)
    with pytest.raises(KernelError) as e:
        pooling.max_pool2d_forward(rnd(3, 2, 2), 3, 3, 1, 1)
    assert str(e.value) == ("Given input size: (3x2x2). Calculated output size: (3x0x0). "
                            "Output size is too small")
    with pytest.raises(KernelError) as e:
        pooling.max_pool2d_forward(rnd(3, 8, 8), 2, 2, 1, 1, 2, 0)
    assert e.value.argnum == 2 and str(e.value) == (
        "pad should be smaller than half of kernel size, but got padW = 2, padH = 0, kW = 2, kH = 2")
    x = rnd(2, 3, 6, 6)
    out, ind = pooling.max_pool2d_forward(x, 2, 2, 2, 2)
    with pytest.raises(KernelError, match=r"^Need indices of dimension 4 and indices.size\[3\] == 3"):
        pooling.max_pool2d_backward(x, out, ind[..., :2].copy(), 2, 2, 2, 2)
    bad = ind.copy()
    bad[0, 0, 0, 0] = 1000
    with pytest.raises(KernelError):
        pooling.max_pool2d_backward(x, out, bad, 2, 2, 2, 2)


def ref_avg(x, kH, kW, dH, dW, pH, pW, ceil, include):
    N, C, H, W = x.shape
    oH = out_size(H, kH, dH, pH, 1, ceil)
    oW = out_size(W, kW, dW, pW, 1, ceil)
    out = np.empty((N, C, oH, oW))
    for i in range(oH):
        for j in range(oW):
            h0, w0 = i * dH - pH, j * dW - pW
            h1, w1 = min(h0 + kH, H + pH), min(w0 + kW, W + pW)
            pool = (h1 - h0) * (w1 - w0)
            a0, b0, a1, b1 = max(h0, 0), max(w0, 0), min(h1, H), min(w1, W)
            s = x[:, :, a0:a1, b0:b1].astype(np.float64).sum(axis=(2, 3))
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, :, i, j] = s / (pool if include else (a1 - a0) * (b1 - b0))
    return out


AVGCASES = [
    (7, 9, 3, 2, 2, 2, 1, 1, True),
    (7, 9, 3, 3, 2, 2, 1, 1, False),
    (8, 5, 2, 2, 2, 2, 0, 0, True),
    (10, 11, 4, 3, 3, 2, 2, 1, True),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", AVGCASES)
@pytest.mark.parametrize("include", [True, False])
def test_avg_pool2d(dtype, case, include):
    H, W, kH, kW, dH, dW, pH, pW, ceil = case
    x = rnd(2, 3, H, W, dtype=dtype)
    out = pooling.avg_pool2d_forward(x, kW, kH, dW, dH, pW, pH, ceil, include)
    assert out.dtype == dtype
    ref = ref_avg(x, kH, kW, dH, dW, pH, pW, ceil, include)
    assert np.allclose(out, ref, rtol=1e-5, atol=1e-6)
    # backward is the adjoint of the (linear) forward
    g = rnd(*out.shape, dtype=dtype)
    gi = pooling.avg_pool2d_backward(x, g, kW, kH, dW, dH, pW, pH, ceil, include)
    assert gi.dtype == dtype
    lhs = np.vdot(out.astype(np.float64), g.astype(np.float64))
    assert abs(lhs - np.vdot(x.astype(np.float64), gi.astype(np.float64))) < 1e-4 * max(1, abs(lhs))


def test_avg_pool2d_empty_ceil_window_is_nan_like_thnn():
    # ceil mode without padding: the last window starts past the input, THNN
    # divides 0 by 0
    out = pooling.avg_pool2d_forward(np.ones((1, 1, 4)), 1, 1, 2, 1, 0, 0, True, False)
    assert out.shape == (1, 1, 3) and np.isnan(out[0, 0, 2]) and out[0, 0, 0] == 1


def test_avg_pool2d_float32_rounding_like_c():
    # sum in float32, then divided by the float32 window size
    x = (RNG.random((1, 1, 3, 3)) * 1000).astype(np.float32)
    out = pooling.avg_pool2d_forward(x, 3, 3, 1, 1)
    s = np.float32(0)
    for v in x.ravel():
        s = np.float32(s + v)
    assert out[0, 0, 0, 0] == s / np.float32(9)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("sizes", [(7, 9, 3, 4), (5, 5, 5, 5), (6, 10, 4, 3), (3, 4, 5, 7)])
def test_adaptive_pooling(dtype, sizes):
    H, W, oH, oW = sizes
    x = rnd(2, 3, H, W, dtype=dtype)
    out, ind = pooling.adaptive_max_pool2d_forward(x, oW, oH)
    aout = pooling.adaptive_avg_pool2d_forward(x, oW, oH)
    assert ind.shape == (2, 2, 3, oH, oW)
    want_gi = np.zeros((2, 3, H, W))
    g = rnd(2, 3, oH, oW, dtype=dtype)
    want_agi = np.zeros((2, 3, H, W))
    for i in range(oH):
        y0, y1 = (i * H) // oH, -((-(i + 1) * H) // oH)
        for j in range(oW):
            x0, x1 = (j * W) // oW, -((-(j + 1) * W) // oW)
            win = x[:, :, y0:y1, x0:x1].reshape(2, 3, -1)
            assert np.array_equal(out[:, :, i, j], win.max(-1))
            am = win.argmax(-1)
            assert np.array_equal(ind[0, :, :, i, j], am // (x1 - x0) + 1)
            assert np.array_equal(ind[1, :, :, i, j], am % (x1 - x0) + 1)
            assert np.allclose(aout[:, :, i, j], win.astype(np.float64).mean(-1), rtol=1e-5)
            for n in range(2):
                for c in range(3):
                    want_gi[n, c, y0 + am[n, c] // (x1 - x0), x0 + am[n, c] % (x1 - x0)] += g[n, c, i, j]
            want_agi[:, :, y0:y1, x0:x1] += g[:, :, i, j, None, None] / ((y1 - y0) * (x1 - x0))
    gi = pooling.adaptive_max_pool2d_backward(x, g, ind)
    assert np.allclose(gi, want_gi, atol=1e-6)
    agi = pooling.adaptive_avg_pool2d_backward(x, g)
    assert agi.dtype == dtype and np.allclose(agi, want_agi, atol=1e-5)
    # non-batch layout: indices (2, C, oH, oW)
    o3, i3 = pooling.adaptive_max_pool2d_forward(x[0], oW, oH)
    assert np.array_equal(o3, out[0]) and np.array_equal(i3, ind[:, 0])
    gi3 = pooling.adaptive_max_pool2d_backward(x[0], g[0], i3)
    assert np.array_equal(gi3, gi[0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_max_unpool2d_roundtrip(dtype):
    x = rnd(2, 3, 6, 8, dtype=dtype)
    out, ind = pooling.max_pool2d_forward(x, 2, 2, 2, 2)
    up = pooling.max_unpool2d_forward(out, ind, 8, 6)
    assert up.dtype == dtype and up.shape == x.shape
    mask = np.zeros(x.shape, bool)
    mask.reshape(2, 3, -1)[np.arange(2)[:, None, None], np.arange(3)[None, :, None],
                           ind.reshape(2, 3, -1) - 1] = True
    assert np.array_equal(up[mask], x[mask]) and not up[~mask].any()
    g = rnd(*x.shape, dtype=dtype)
    gi = pooling.max_unpool2d_backward(out, g, ind, 8, 6)
    assert np.array_equal(gi.reshape(2, 3, -1),
                          np.take_along_axis(g.reshape(2, 3, -1), ind.reshape(2, 3, -1) - 1, 2))
    bad = ind.copy()
    bad[1, 0, 0, 0] = 0
    bad[1, 2, 1, 1] = 99
    with pytest.raises(KernelError) as e:
        pooling.max_unpool2d_forward(out, bad, 8, 6)
    assert str(e.value) == "found an invalid max index 98 (output volumes are of size 6x8)"
    with pytest.raises(KernelError) as e:
        pooling.max_unpool2d_backward(out, g, bad, 8, 6)
    assert str(e.value) == "invalid max index -1, owidth= 8, oheight= 6"
    with pytest.raises(KernelError) as e:
        pooling.max_unpool2d_backward(out, g[..., :7], ind, 8, 6)
    assert str(e.value) == "Inconsistent gradOutput size. oheight= 6, owidth= 8, gradOutput: 6x7"
    with pytest.raises(KernelError, match=r"^input and indices shapes do not match: input \[2 x 3 x 3 x 4\], indices \[2 x 3 x 3 x 3\]$"):
        pooling.max_unpool2d_forward(out, ind[..., :3].copy(), 8, 6)
