"""nn's temporal and volumetric modules and FeatureLPPooling (lua_prelude/nn/
Temporal*.lua, Volumetric*.lua, FeatureLPPooling.lua).

Each module is compared with a direct NumPy reference computed from its own
weights (odd sizes, strides, padding, dilation) and gradient-checked with
nn.Jacobian.  No stored results.
"""
import numpy as np
import pytest

from test_nn_spatial import JAC, PRELUDE, _MISSING, grad_ok, fwd, run, rand

import torchlua

pytestmark = pytest.mark.skipif(_MISSING is not None, reason=f"require 'nn' fails: {_MISSING}")


@pytest.fixture(scope="module")
def rt():
    r = torchlua.Runtime()
    r.execute(PRELUDE)
    r.execute(JAC)
    return r


# ---------------------------------------------------------------------------
# temporal

def ref_temporal_conv(x, w, b, kW, dW):
    T, F = x.shape[-2:]
    n = (T - kW) // dW + 1
    win = np.stack([x[..., t * dW:t * dW + kW, :].reshape(x.shape[:-2] + (kW * F,))
                    for t in range(n)], axis=-2)
    return win @ w.T + b


@pytest.mark.parametrize("shape", [(9, 4), (2, 10, 4)])
def test_temporal_convolution(rt, shape):
    x = rand(*shape)
    y, w, b = fwd(rt, "nn.TemporalConvolution(4, 3, 3, 2)", x)
    assert w.shape == (3, 12)
    np.testing.assert_allclose(y, ref_temporal_conv(x, w, b, 3, 2), rtol=1e-12, atol=1e-12)
    grad_ok(rt, x)


def test_temporal_convolution_reset_and_errors(rt):
    same = run(rt, """torch.manualSeed(11)
      local m = nn.TemporalConvolution(4, 3, 5)
      torch.manualSeed(11)
      local s = 1 / math.sqrt(5 * 4)
      local w = torch.Tensor(3, 20):uniform(-s, s)
      local b = torch.Tensor(3):uniform(-s, s)
      return m.weight:equal(w) and m.bias:equal(b), tostring(m), m.dW""")
    assert same == (True, "nn.TemporalConvolution", 1)
    e = run(rt, """local m = nn.TemporalConvolution(4, 3, 3)
      return select(2, pcall(m.forward, m, torch.randn(6, 5)))""")[0]
    assert "bad argument #2 to 'v'" in e and "input" in e


def test_temporal_subsampling(rt):
    x = rand(9, 3)
    y, w, b = fwd(rt, "nn.TemporalSubSampling(3, 3, 2)", x)
    ref = np.stack([x[t * 2:t * 2 + 3].sum(axis=0) for t in range(4)]) * w + b
    np.testing.assert_allclose(y, ref, rtol=1e-12)
    grad_ok(rt, x)


@pytest.mark.parametrize("shape", [(9, 4), (2, 8, 3)])
def test_temporal_max_pooling(rt, shape):
    x = rand(*shape)
    y, *_ = fwd(rt, "nn.TemporalMaxPooling(3, 2)", x)
    n = (shape[-2] - 3) // 2 + 1
    ref = np.stack([x[..., t * 2:t * 2 + 3, :].max(axis=-2) for t in range(n)], axis=-2)
    np.testing.assert_array_equal(y, ref)
    grad_ok(rt, x)


@pytest.mark.parametrize("featFirst", [False, True])
def test_temporal_row_convolution(rt, featFirst):
    x = rand(2, 4, 9) if featFirst else rand(2, 9, 4)
    ff = "true" if featFirst else "false"
    y, w, b = fwd(rt, f"nn.TemporalRowConvolution(4, 3, 2, {ff})", x)
    xf = x if featFirst else x.transpose(0, 2, 1)
    ref = np.stack([(xf[:, :, t * 2:t * 2 + 3] * w[None, :, 0]).sum(-1) for t in range(4)],
                   axis=-1) + b[None, :, None]
    np.testing.assert_allclose(y, ref if featFirst else ref.transpose(0, 2, 1), rtol=1e-12)
    grad_ok(rt, x)
    assert run(rt, "return tostring(nn.TemporalRowConvolution(4, 3, 2))")[0] == \
        "nn.TemporalRowConvolution(4, 3, 2)"


def test_temporal_dynamic_kmax_pooling(rt):
    x = rand(2, 7, 3)
    y, *_ = fwd(rt, "nn.TemporalDynamicKMaxPooling(2, 0.5)", x)
    k = 4
    idx = np.sort(np.argsort(-x, axis=1, kind="stable")[:, :k], axis=1)
    np.testing.assert_array_equal(y, np.take_along_axis(x, idx, axis=1))
    grad_ok(rt, x)


# ---------------------------------------------------------------------------
# volumetric

def ref_conv3d(x, w, b, d, p, dil=(1, 1, 1)):
    x5 = x if x.ndim == 5 else x[None]
    N, C, T, H, W = x5.shape
    nOut, _, kT, kH, kW = w.shape
    xp = np.pad(x5, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1]), (p[2], p[2])))
    o = [(n + 2 * pp - (dd * (k - 1) + 1)) // s + 1
         for n, pp, dd, k, s in zip((T, H, W), p, dil, (kT, kH, kW), d)]
    out = np.zeros((N, nOut) + tuple(o))
    for a in range(o[0]):
        for i in range(o[1]):
            for j in range(o[2]):
                patch = xp[:, :, a * d[0]:a * d[0] + dil[0] * (kT - 1) + 1:dil[0],
                           i * d[1]:i * d[1] + dil[1] * (kH - 1) + 1:dil[1],
                           j * d[2]:j * d[2] + dil[2] * (kW - 1) + 1:dil[2]]
                out[:, :, a, i, j] = np.einsum("nctyx,octyx->no", patch, w)
    if b is not None:
        out += b[None, :, None, None, None]
    return out if x.ndim == 5 else out[0]


def test_volumetric_convolution(rt):
    x = rand(2, 2, 5, 6, 7)
    # (nIn, nOut, kT, kW, kH, dT, dW, dH, padT, padW, padH)
    y, w, b = fwd(rt, "nn.VolumetricConvolution(2, 3, 3, 2, 3, 1, 2, 1, 1, 0, 1)", x)
    assert w.shape == (3, 2, 3, 3, 2)
    np.testing.assert_allclose(y, ref_conv3d(x, w, b, (1, 1, 2), (1, 1, 0)), rtol=1e-12,
                               atol=1e-12)
    grad_ok(rt, x)
    y, w, b = fwd(rt, "nn.VolumetricConvolution(2, 2, 2, 2, 2)", x[0])
    np.testing.assert_allclose(y, ref_conv3d(x[0], w, b, (1, 1, 1), (0, 0, 0)), rtol=1e-12,
                               atol=1e-12)
    s = run(rt, "return tostring(nn.VolumetricConvolution(2, 3, 3, 2, 3, 1, 2, 1, 1, 0, 1))")[0]
    assert s == "nn.VolumetricConvolution(2 -> 3, 3x2x3, 1,2,1, 1,0,1)"


def test_volumetric_dilated_convolution(rt):
    x = rand(1, 2, 6, 5, 7)
    y, w, b = fwd(rt, "nn.VolumetricDilatedConvolution(2, 2, 2, 2, 2, 1, 1, 2, 0, 1, 0, 2, 1, 2)", x)
    np.testing.assert_allclose(y, ref_conv3d(x, w, b, (1, 2, 1), (0, 0, 1), (2, 2, 1)),
                               rtol=1e-12, atol=1e-12)
    grad_ok(rt, x)


def test_volumetric_full_convolution(rt):
    x = rand(1, 2, 3, 4, 3)
    y, w, b = fwd(rt, "nn.VolumetricFullConvolution(2, 2, 2, 3, 2, 2, 1, 2, 0, 1, 0, 1, 0, 1)", x)
    # kT=2 kW=3 kH=2, dT=2 dW=1 dH=2, padT=0 padW=1 padH=0, adjT=1 adjW=0 adjH=1
    N, C, T, H, W = x.shape
    kT, kH, kW = 2, 2, 3
    full = np.zeros((1, 2, (T - 1) * 2 + kT + 1, (H - 1) * 2 + kH + 1, (W - 1) + kW))
    for a in range(T):
        for i in range(H):
            for j in range(W):
                full[:, :, a * 2:a * 2 + kT, i * 2:i * 2 + kH, j:j + kW] += np.einsum(
                    "nc,cotyx->notyx", x[:, :, a, i, j], w)
    ref = full[:, :, :, :, 1:-1] + b[None, :, None, None, None]
    np.testing.assert_allclose(y, ref, rtol=1e-12, atol=1e-12)
    grad_ok(rt, x)


def ref_pool3d(x, k, d, p=(0, 0, 0), op="max", dil=(1, 1, 1)):
    T, H, W = x.shape[-3:]
    o = [(n + 2 * pp - (dd * (kk - 1) + 1)) // s + 1
         for n, pp, dd, kk, s in zip((T, H, W), p, dil, k, d)]
    xp = np.pad(x, [(0, 0)] * (x.ndim - 3) + [(pp, pp) for pp in p],
                constant_values=-np.inf if op == "max" else 0)
    out = np.zeros(x.shape[:-3] + tuple(o))
    for a in range(o[0]):
        for i in range(o[1]):
            for j in range(o[2]):
                win = xp[..., a * d[0]:a * d[0] + dil[0] * (k[0] - 1) + 1:dil[0],
                         i * d[1]:i * d[1] + dil[1] * (k[1] - 1) + 1:dil[1],
                         j * d[2]:j * d[2] + dil[2] * (k[2] - 1) + 1:dil[2]]
                out[..., a, i, j] = win.max(axis=(-3, -2, -1)) if op == "max" else \
                    win.mean(axis=(-3, -2, -1))
    return out


def test_volumetric_max_pooling(rt):
    x = rand(2, 2, 5, 6, 7)
    # (kT, kW, kH, dT, dW, dH, padT, padW, padH)
    y, *_ = fwd(rt, "nn.VolumetricMaxPooling(2, 3, 2, 2, 2, 1, 1, 1, 0)", x)
    np.testing.assert_array_equal(y, ref_pool3d(x, (2, 2, 3), (2, 1, 2), (1, 0, 1)))
    grad_ok(rt, x)
    y, *_ = fwd(rt, "nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 1, 2)", x[0])
    np.testing.assert_array_equal(y, ref_pool3d(x[0], (2, 2, 2), (1, 1, 1), dil=(2, 2, 1)))
    grad_ok(rt, x[0])
    s = run(rt, "return tostring(nn.VolumetricMaxPooling(2, 3, 2, 2, 2, 1, 1, 1, 0))")[0]
    assert s == "nn.VolumetricMaxPooling(2x3x2, 2,2,1, 1,1,0)"


def test_volumetric_average_pooling(rt):
    x = rand(2, 2, 5, 6, 7)
    y, *_ = fwd(rt, "nn.VolumetricAveragePooling(2, 3, 2, 1, 2, 2)", x)
    np.testing.assert_allclose(y, ref_pool3d(x, (2, 2, 3), (1, 2, 2), op="avg"), rtol=1e-12)
    grad_ok(rt, x)


def test_volumetric_max_unpooling(rt):
    x = rand(1, 2, 4, 4, 6)
    y, u = run(rt, """local x = ...
      local p = nn.VolumetricMaxPooling(2, 2, 2)
      m = nn.VolumetricMaxUnpooling(p)
      local y = p:forward(x)
      return y, m:forward(y)""", x)
    # every pooled maximum lands on its own position, zeros elsewhere
    assert np.count_nonzero(u) == y.size
    np.testing.assert_array_equal(np.sort(u[u != 0]), np.sort(y.ravel()))
    assert ((u == x) | (u == 0)).all()


def test_volumetric_fractional_max_pooling(rt):
    x = rand(2, 2, 7, 6, 8)
    y, ind = run(rt, """local x = ...
      m = nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 3)
      return m:forward(x), m.indices""", x)
    assert y.shape == (2, 2, 3, 3, 3)
    flat = x.reshape(2, 2, -1)
    np.testing.assert_array_equal(
        np.take_along_axis(flat, ind.reshape(2, 2, -1) - 1, axis=2).reshape(y.shape), y)
    run(rt, "m:fixPoolingRegions()")
    grad_ok(rt, x)


def test_volumetric_batch_normalization(rt):
    x = rand(3, 2, 3, 4, 2)
    y, w, b = fwd(rt, "nn.VolumetricBatchNormalization(2)", x)
    mean = x.mean(axis=(0, 2, 3, 4), keepdims=True)
    var = x.var(axis=(0, 2, 3, 4), keepdims=True)
    ref = (x - mean) / np.sqrt(var + 1e-5) * w.reshape(1, 2, 1, 1, 1) + b.reshape(1, 2, 1, 1, 1)
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-12)
    grad_ok(rt, x, 1e-5)
    assert run(rt, "return tostring(m)")[0] == "nn.VolumetricBatchNormalization (5D) (2)"


def test_volumetric_replication_padding(rt):
    x = rand(2, 2, 3, 4, 5)
    y, *_ = fwd(rt, "nn.VolumetricReplicationPadding(1, 2, 0, 1, 2, 0)", x)
    np.testing.assert_array_equal(y, np.pad(x, ((0, 0), (0, 0), (2, 0), (0, 1), (1, 2)), mode="edge"))
    grad_ok(rt, x)
    assert run(rt, "return tostring(m)")[0] == \
        "nn.VolumetricReplicationPadding(left=1, right=2, top=0, bottom=1, front=2, back=0)"


def test_volumetric_dropout(rt):
    x = rand(3, 4, 2, 3, 2) + 2
    y, noise = run(rt, """local x = ...
      torch.manualSeed(9)
      local y = nn.VolumetricDropout(0.3):forward(x):clone()
      torch.manualSeed(9)
      return y, torch.Tensor(3, 4, 1, 1, 1):bernoulli(0.7)""", x)
    np.testing.assert_array_equal(y, x * noise)


# ---------------------------------------------------------------------------
# FeatureLPPooling

@pytest.mark.parametrize("batch,shape", [(False, (7, 3)), (True, (2, 8, 3, 2))])
def test_feature_lp_pooling(rt, batch, shape):
    x = rand(*shape)
    b = "true" if batch else "false"
    y, *_ = fwd(rt, f"nn.FeatureLPPooling(3, 2, 2, {b})", x)
    ax = 1 if batch else 0
    n = (shape[ax] - 3) // 2 + 1
    ref = np.stack([np.sqrt((np.take(x, range(f * 2, f * 2 + 3), axis=ax) ** 2).sum(axis=ax))
                    for f in range(n)], axis=ax)
    np.testing.assert_allclose(y, ref, rtol=1e-12)
    grad_ok(rt, x)
    e = run(rt, "return select(2, pcall(nn.FeatureLPPooling, 1, 1, 2))")[0]
    assert e.endswith("width must be within 2 to 16")
