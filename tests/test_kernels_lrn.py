"""SpatialCrossMapLRN kernels: against the textbook definition, against a
step-by-step replay of nn's Lua code (bit for bit), and by finite differences."""
import ctypes
import ctypes.util
import math

import numpy as np
import pytest

from torchlua.kernels import lrn, KernelError

RNG = np.random.default_rng(3)


def ref_lrn(x, size, alpha, beta, k):
    x = x.astype(np.float64)
    C = x.shape[1]
    h = (size - 1) // 2
    scale = np.empty_like(x)
    for c in range(C):
        lo, hi = max(0, c - h), min(C, c + h + 1)
        scale[:, c] = k + alpha / size * (x[:, lo:hi] ** 2).sum(1)
    return x * scale ** -beta, scale


_LIBM = ctypes.CDLL(ctypes.util.find_library("m"))
_LIBM.powf.restype = ctypes.c_float
_LIBM.powf.argtypes = [ctypes.c_float, ctypes.c_float]


def c_pow(a, p):
    """TH's pow: C's powf() for float elements, pow() for double."""
    f = (lambda v: _LIBM.powf(v, p)) if a.dtype == np.float32 else (lambda v: math.pow(v, p))
    return np.array([f(v) for v in a.ravel().tolist()], a.dtype).reshape(a.shape)


def lua_replay_forward(x, size, alpha, beta, k):
    """nn.SpatialCrossMapLRN:updateOutput, one tensor operation at a time."""
    real = x.dtype.type
    C = x.shape[1]
    sq = x * x
    pre = (size - 1) // 2 + 1
    scale = np.zeros_like(x)
    for c in range(min(pre, C)):
        scale[:, 0] = scale[:, 0] + sq[:, c]
    for c in range(2, C + 1):
        scale[:, c - 1] = scale[:, c - 2]
        if c < C - pre + 2:
            scale[:, c - 1] = scale[:, c - 1] + real(1) * sq[:, c + pre - 2]
        if c > pre:
            scale[:, c - 1] = scale[:, c - 1] + real(-1) * sq[:, c - pre - 1]
    scale = scale * real(alpha / size)
    scale = scale + real(k)
    return c_pow(scale, real(-beta)) * x, scale


def lua_replay_backward(x, go, scale, out, size, alpha, beta):
    real = x.dtype.type
    N, C, H, W = x.shape
    gi = c_pow(scale, real(-beta)) * go
    ratio = real(-(2 * alpha * beta / size))
    inv = size - (size - 1) // 2
    for n in range(N):
        pad = np.zeros((C + size - 1, H, W), x.dtype)
        pad[inv - 1:inv - 1 + C] = go[n] * out[n]
        pad[inv - 1:inv - 1 + C] = pad[inv - 1:inv - 1 + C] / scale[n]
        acc = np.zeros((H, W), x.dtype)
        for c in range(size - 1):
            acc = acc + pad[c]
        for c in range(C):
            acc = acc + pad[c + size - 1]
            gi[n, c] = gi[n, c] + ratio * x[n, c] * acc
            acc = acc + real(-1) * pad[c]
    return gi


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cfg", [(5, 7, 1e-2, 0.75, 2.0), (3, 2, 1e-4, 0.75, 1.0),
                                 (7, 4, 0.5, 0.5, 1.0), (1, 3, 0.1, 1.0, 1.5)])
def test_lrn_matches_definition_and_lua_bit_for_bit(dtype, cfg):
    size, C, alpha, beta, k = cfg
    x = RNG.standard_normal((2, C, 3, 4)).astype(dtype)
    out, scale = lrn.cross_map_lrn_forward(x, size, alpha, beta, k)
    assert out.dtype == dtype and scale.dtype == dtype
    rout, rscale = ref_lrn(x, size, alpha, beta, k)
    assert np.allclose(out, rout, rtol=1e-5, atol=1e-6)
    assert np.allclose(scale, rscale, rtol=1e-5)
    lout, lscale = lua_replay_forward(x, size, alpha, beta, k)
    assert np.array_equal(scale, lscale)
    if beta not in (0.5, 1.0):   # TH computes those powers by sqrt / division
        assert np.array_equal(out, lout)
    g = RNG.standard_normal(out.shape).astype(dtype)
    if size > 1:
        gi = lrn.cross_map_lrn_backward(x, g, scale, out, size, alpha, beta, k)
        assert gi.dtype == dtype
        assert np.array_equal(gi, lua_replay_backward(x, g, scale, out, size, alpha, beta)) \
            or beta in (0.5, 1.0)
    # 3-D input
    o3, s3 = lrn.cross_map_lrn_forward(x[1], size, alpha, beta, k)
    assert np.array_equal(o3, out[1]) and np.array_equal(s3, scale[1])


def test_lrn_backward_finite_differences():
    x = RNG.standard_normal((1, 6, 2, 3))
    g = RNG.standard_normal(x.shape)
    size, alpha, beta, k = 5, 0.3, 0.75, 1.0
    out, scale = lrn.cross_map_lrn_forward(x, size, alpha, beta, k)
    gi = lrn.cross_map_lrn_backward(x, g, scale, out, size, alpha, beta, k)
    num = np.zeros_like(x)
    eps = 1e-6
    for i in range(x.size):
        xp, xm = x.copy(), x.copy()
        xp.flat[i] += eps
        xm.flat[i] -= eps
        num.flat[i] = (np.vdot(lrn.cross_map_lrn_forward(xp, size, alpha, beta, k)[0], g)
                       - np.vdot(lrn.cross_map_lrn_forward(xm, size, alpha, beta, k)[0], g)) / (2 * eps)
    assert np.allclose(gi, num, atol=1e-6)


def test_lrn_lua_quirks():
    # even size: Torch's select truncates a fractional channel index and fails
    x = RNG.standard_normal((1, 3, 2, 2))
    with pytest.raises(KernelError) as e:
        lrn.cross_map_lrn_forward(x, 4)
    assert str(e.value) == "out of range" and e.value.argnum == 3
    out, scale = lrn.cross_map_lrn_forward(x[:, :2], 4)   # fewer channels: no subtraction
    assert np.allclose(scale, 1 + 1e-4 / 4 * (x[:, :2] ** 2).sum(1, keepdims=True))
    # size 1: the backward narrows a zero-length slice, which Torch refuses
    out, scale = lrn.cross_map_lrn_forward(x, 1)
    with pytest.raises(KernelError, match="^out of range$"):
        lrn.cross_map_lrn_backward(x, x, scale, out, 1)
    with pytest.raises(KernelError, match="^Input must be 3D or 4D$"):
        lrn.cross_map_lrn_forward(x[0, 0], 3)


def test_th_pow_special_cases():
    x = np.array([0.3, 2.0, 7.0], np.float32)
    assert np.array_equal(lrn.th_pow(x, -0.5), np.float32(1) / np.sqrt(x))
    assert np.array_equal(lrn.th_pow(x, 2), x * x)
    assert np.array_equal(lrn.th_pow(x, -0.75), np.power(x, np.float32(-0.75)))
