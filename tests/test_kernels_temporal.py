"""Temporal kernels (TemporalConvolution, TemporalRowConvolution,
TemporalMaxPooling) against NumPy references."""
import numpy as np
import pytest

from torchlua.kernels import temporal, KernelError

RNG = np.random.default_rng(5)
DTYPES = [np.float32, np.float64]
TOL = {np.float32: 1e-4, np.float64: 1e-11}


def rnd(*shape, dtype=np.float64):
    return RNG.standard_normal(shape).astype(dtype)


def ref_tconv(x, w, b, kW, dW):
    N, T, F = x.shape
    nOut = (T - kW) // dW + 1
    out = np.empty((N, nOut, w.shape[0]))
    for t in range(nOut):
        out[:, t] = x[:, t * dW:t * dW + kW].reshape(N, -1).astype(np.float64) @ w.T.astype(np.float64) + b
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("cfg", [(11, 3, 2), (9, 4, 1), (10, 2, 3), (7, 7, 1), (13, 5, 3)])
@pytest.mark.parametrize("batch", [True, False])
def test_temporal_conv(dtype, cfg, batch):
    T, kW, dW = cfg
    N, inF, outF = 2, 3, 4
    x = rnd(N, T, inF, dtype=dtype)
    w = rnd(outF, kW * inF, dtype=dtype)
    b = rnd(outF, dtype=dtype)
    xin = x if batch else x[0]
    y = temporal.temporal_conv_forward(xin, w, b, kW, dW, inF, outF)
    ref = ref_tconv(x, w, b, kW, dW)
    assert y.dtype == dtype
    assert np.allclose(y, ref if batch else ref[0], atol=TOL[dtype] * 10)
    g = rnd(*y.shape, dtype=dtype)
    gi = temporal.temporal_conv_backward_input(xin, g, w, kW, dW)
    y0 = y - b
    lhs = np.vdot(y0.astype(np.float64), g.astype(np.float64))
    assert abs(lhs - np.vdot(xin.astype(np.float64), gi.astype(np.float64))) < TOL[dtype] * 100 * max(1, abs(lhs))
    gw = np.zeros_like(w)
    gb = np.zeros_like(b)
    temporal.temporal_conv_acc_grad_params(xin, g, gw, gb, kW, dW, 0.5)
    v = rnd(*w.shape)
    yv = ref_tconv(x, v, np.zeros(outF), kW, dW)
    gg = g.astype(np.float64) if batch else g.astype(np.float64)[None]
    lhs = 0.5 * np.vdot(yv[:gg.shape[0]], gg)
    assert abs(lhs - np.vdot(v, gw.astype(np.float64))) < TOL[dtype] * 100 * max(1, abs(lhs))
    assert np.allclose(gb, 0.5 * gg.sum(axis=(0, 1)), atol=TOL[dtype] * 10)


def test_temporal_conv_errors():
    x = rnd(4, 3)
    with pytest.raises(KernelError) as e:
        temporal.temporal_conv_forward(x, rnd(2, 15), rnd(2), 5, 1, 3, 2)
    assert e.value.argnum == 2
    assert str(e.value) == "input sequence smaller than kernel size. Got: 4, Expected: 5"
    with pytest.raises(KernelError, match="^invalid input frame size. Got: 3, Expected: 4$"):
        temporal.temporal_conv_forward(x, rnd(2, 8), rnd(2), 2, 1, 4, 2)
    with pytest.raises(KernelError, match="^2D or 3D"):
        temporal.temporal_conv_forward(rnd(3), rnd(2, 8), rnd(2), 2, 1, 4, 2)


def ref_rowconv(x, w, b, kW, dW):
    N, F, T = x.shape
    nOut = (T - kW) // dW + 1
    out = np.zeros((N, F, nOut))
    for t in range(nOut):
        out[:, :, t] = (x[:, :, t * dW:t * dW + kW].astype(np.float64) * w[:, 0, :]).sum(-1)
    if b is not None:
        out += b[:, None]
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("cfg", [(10, 3, 1), (11, 4, 2), (6, 6, 3)])
@pytest.mark.parametrize("feat_first", [True, False])
def test_row_conv(dtype, cfg, feat_first):
    T, kW, dW = cfg
    N, F = 2, 3
    x = rnd(N, F, T, dtype=dtype)
    w = rnd(F, 1, kW, dtype=dtype)
    b = rnd(F, dtype=dtype)
    xin = x if feat_first else np.swapaxes(x, 1, 2)
    y = temporal.row_conv_forward(xin, w, b, kW, dW, 0, feat_first)
    ref = ref_rowconv(x, w, b, kW, dW)
    assert y.dtype == dtype
    assert np.allclose(y if feat_first else np.swapaxes(y, 1, 2), ref, atol=TOL[dtype] * 10)
    g = rnd(*y.shape, dtype=dtype)
    gi = temporal.row_conv_backward_input(xin, g, w, kW, dW, 0, feat_first)
    assert gi.shape == xin.shape
    y0 = temporal.row_conv_forward(xin, w, None, kW, dW, 0, feat_first)
    lhs = np.vdot(y0.astype(np.float64), g.astype(np.float64))
    assert abs(lhs - np.vdot(xin.astype(np.float64), gi.astype(np.float64))) < TOL[dtype] * 100 * max(1, abs(lhs))
    gw = np.zeros_like(w)
    gb = np.zeros_like(b)
    temporal.row_conv_acc_grad_params(xin, g, gw, gb, kW, dW, 0, feat_first, 2.0)
    v = rnd(*w.shape)
    yv = ref_rowconv(x, v, None, kW, dW)
    gf = g if feat_first else np.swapaxes(g, 1, 2)
    lhs = 2 * np.vdot(yv, gf.astype(np.float64))
    assert abs(lhs - np.vdot(v, gw.astype(np.float64))) < TOL[dtype] * 100 * max(1, abs(lhs))
    assert np.allclose(gb, 2 * gf.astype(np.float64).sum(axis=(0, 2)), atol=TOL[dtype] * 10)
    # non-batch
    y1 = temporal.row_conv_forward(xin[1], w, b, kW, dW, 0, feat_first)
    assert np.allclose(y1, y[1])


def test_row_conv_errors():
    with pytest.raises(KernelError) as e:
        temporal.row_conv_forward(rnd(3, 2), rnd(3, 1, 5), None, 5, 1)
    assert str(e.value) == ("Given input size: (3 x 2). Calculated output size: (3 x -2). "
                            "Output size is too small")
    with pytest.raises(KernelError, match=r"^Need input of dimension 2 and input.size\[0\] == 4"):
        temporal.row_conv_forward(rnd(3, 8), rnd(4, 1, 2), None, 2, 1)
    with pytest.raises(KernelError):
        temporal.row_conv_forward(rnd(3, 4), rnd(3, 1, 5), None, 5, 2)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("cfg", [(10, 3, 2), (7, 7, 1), (9, 2, 3)])
def test_temporal_max_pool(dtype, cfg):
    T, kW, dW = cfg
    x = rnd(2, T, 4, dtype=dtype)
    out, ind = temporal.temporal_max_pool_forward(x, kW, dW)
    nOut = (T - kW) // dW + 1
    g = rnd(*out.shape, dtype=dtype)
    want = np.zeros(x.shape)
    for t in range(nOut):
        win = x[:, t * dW:t * dW + kW]
        assert np.array_equal(out[:, t], win.max(1))
        # 0-based offset inside the window
        assert np.array_equal(ind[:, t], win.argmax(1))
        for n in range(2):
            for f in range(4):
                want[n, t * dW + ind[n, t, f], f] += g[n, t, f]
    gi = temporal.temporal_max_pool_backward(x, g, ind, kW, dW)
    assert gi.dtype == dtype and np.allclose(gi, want, atol=1e-6)
    o2, i2 = temporal.temporal_max_pool_forward(x[0], kW, dW)
    assert np.array_equal(o2, out[0]) and np.array_equal(i2, ind[0])
    with pytest.raises(KernelError, match="^input sequence smaller than kernel size. Got: 2, Expected: 3$"):
        temporal.temporal_max_pool_forward(x[:, :2], 3, 1)
