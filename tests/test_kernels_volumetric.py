"""Volumetric kernels (vol2col, 3-D (full) convolution, 3-D pooling and
unpooling) against NumPy references."""
import itertools
import math

import numpy as np
import pytest

from torchlua.kernels import volumetric as vol, KernelError

RNG = np.random.default_rng(11)
DTYPES = [np.float32, np.float64]
TOL = {np.float32: 1e-4, np.float64: 1e-11}


def rnd(*shape, dtype=np.float64):
    return RNG.standard_normal(shape).astype(dtype)


def ref_conv3d(x, w, b, k, d, p, dil):
    x = x.astype(np.float64)
    w = w.astype(np.float64)
    N, C = x.shape[:2]
    sz = x.shape[2:]
    xp = np.zeros((N, C) + tuple(s + 2 * q for s, q in zip(sz, p)))
    xp[(slice(None), slice(None)) + tuple(slice(q, q + s) for s, q in zip(sz, p))] = x
    o = [(s + 2 * q - (dl * (kk - 1) + 1)) // dd + 1 for s, q, kk, dd, dl in zip(sz, p, k, d, dil)]
    out = np.zeros((N, w.shape[0]) + tuple(o))
    for a, bb, c in itertools.product(range(k[0]), range(k[1]), range(k[2])):
        sl = tuple(slice(t * dl, t * dl + dd * (oo - 1) + 1, dd)
                   for t, dl, dd, oo in zip((a, bb, c), dil, d, o))
        out += np.einsum("nctyx,oc->notyx", xp[(slice(None), slice(None)) + sl], w[:, :, a, bb, c])
    if b is not None:
        out += b[None, :, None, None, None]
    return out


CASES = [
    # k, d, p, dil
    ((2, 3, 2), (1, 2, 1), (1, 0, 1), (1, 1, 1)),
    ((3, 2, 2), (2, 1, 2), (0, 1, 0), (2, 1, 2)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES)
def test_vol2col_adjoint(dtype, case):
    k, d, p, dil = case
    x = rnd(2, 5, 6, 7, dtype=dtype)
    cols = vol.vol2col(x, *k, *d, *p, *dil)
    y = rnd(*cols.shape, dtype=dtype)
    back = vol.col2vol(y, 2, 5, 6, 7, *k, *d, *p, *dil)
    assert cols.dtype == dtype and back.dtype == dtype
    lhs = np.vdot(cols.astype(np.float64), y.astype(np.float64))
    assert abs(lhs - np.vdot(x.astype(np.float64), back.astype(np.float64))) < TOL[dtype] * 100 * max(1, abs(lhs))
    # row ((c*kT + a)*kH + b)*kW + e is tap (a, b, e) of channel c
    w = np.zeros((1, 2) + k)
    w[0, 1, k[0] - 1, 0, k[2] - 1] = 1
    ref = ref_conv3d(x[None], w, None, k, d, p, dil)
    row = ((1 * k[0] + k[0] - 1) * k[1] + 0) * k[2] + k[2] - 1
    assert np.allclose(cols[row], ref.ravel())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("batch", [True, False])
def test_conv3d(dtype, case, batch):
    k, d, p, dil = case
    N, C, nOut = 2, 2, 3
    x = rnd(N, C, 5, 6, 7, dtype=dtype)
    w = rnd(nOut, C, *k, dtype=dtype)
    b = rnd(nOut, dtype=dtype)
    # THNN argument order: kT, kW, kH, dT, dW, dH, padT, padW, padH, dilT, dilW, dilH
    args = (k[0], k[2], k[1], d[0], d[2], d[1], p[0], p[2], p[1], dil[0], dil[2], dil[1])
    xin = x if batch else x[0]
    y = vol.conv3d_forward(xin, w, b, *args)
    ref = ref_conv3d(x, w, b, k, d, p, dil)
    assert y.dtype == dtype
    assert np.allclose(y, ref if batch else ref[0], atol=TOL[dtype] * 10)
    g = rnd(*y.shape, dtype=dtype)
    gi = vol.conv3d_backward_input(xin, g, w, *args)
    y0 = vol.conv3d_forward(xin, w, None, *args)
    lhs = np.vdot(y0.astype(np.float64), g.astype(np.float64))
    assert abs(lhs - np.vdot(xin.astype(np.float64), gi.astype(np.float64))) < TOL[dtype] * 100 * max(1, abs(lhs))
    gw = np.zeros_like(w)
    gb = np.zeros_like(b)
    vol.conv3d_acc_grad_params(xin, g, gw, gb, *args, scale=0.5)
    v = rnd(*w.shape)
    gg = g.astype(np.float64) if batch else g.astype(np.float64)[None]
    lhs = 0.5 * np.vdot(ref_conv3d(x, v, None, k, d, p, dil)[:gg.shape[0]], gg)
    assert abs(lhs - np.vdot(v, gw.astype(np.float64))) < TOL[dtype] * 100 * max(1, abs(lhs))
    assert np.allclose(gb, 0.5 * gg.sum(axis=(0, 2, 3, 4)), atol=TOL[dtype] * 10)


def ref_full3d(x, w, b, d, p, a, dil):
    x = x.astype(np.float64)
    N, C = x.shape[:2]
    nOut = w.shape[1]
    k = w.shape[2:]
    sz = x.shape[2:]
    o = [(s - 1) * dd - 2 * q + dl * (kk - 1) + 1 + aa
         for s, dd, q, kk, aa, dl in zip(sz, d, p, k, a, dil)]
    big = np.zeros((N, nOut) + tuple(oo + 2 * q + 4 * dd + dl * kk for oo, q, dd, dl, kk in zip(o, p, d, dil, k)))
    for i in itertools.product(*[range(s) for s in sz]):
        for kk in itertools.product(*[range(s) for s in k]):
            pos = tuple(ii * dd + q * dl for ii, dd, q, dl in zip(i, d, kk, dil))
            big[(slice(None), slice(None)) + pos] += x[(slice(None), slice(None)) + i] @ w[(slice(None), slice(None)) + kk]
    out = big[(slice(None), slice(None)) + tuple(slice(q, q + oo) for q, oo in zip(p, o))]
    return out + (b[None, :, None, None, None] if b is not None else 0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_full_conv3d(dtype):
    N, C, nOut = 2, 2, 3
    x = rnd(N, C, 3, 4, 3, dtype=dtype)
    w = rnd(C, nOut, 2, 3, 2, dtype=dtype)
    b = rnd(nOut, dtype=dtype)
    d, p, a, dil = (2, 1, 2), (1, 0, 0), (1, 0, 0), (1, 2, 1)
    args = (d[0], d[2], d[1], p[0], p[2], p[1], a[0], a[2], a[1], dil[0], dil[2], dil[1])
    y = vol.full_conv3d_forward(x, w, b, *args)
    ref = ref_full3d(x, w, b, d, p, a, dil)
    assert y.dtype == dtype and np.allclose(y, ref, atol=TOL[dtype] * 10)
    g = rnd(*y.shape, dtype=dtype)
    gi = vol.full_conv3d_backward_input(x, g, w, *args)
    lhs = np.vdot(ref_full3d(x, w, None, d, p, a, dil), g.astype(np.float64))
    assert abs(lhs - np.vdot(x.astype(np.float64), gi.astype(np.float64))) < TOL[dtype] * 100 * max(1, abs(lhs))
    gw = np.zeros_like(w)
    gb = np.zeros_like(b)
    vol.full_conv3d_acc_grad_params(x, g, gw, gb, *args, scale=1.0)
    v = rnd(*w.shape)
    lhs = np.vdot(ref_full3d(x, v, None, d, p, a, dil), g.astype(np.float64))
    assert abs(lhs - np.vdot(v, gw.astype(np.float64))) < TOL[dtype] * 100 * max(1, abs(lhs))
    assert np.allclose(gb, g.astype(np.float64).sum(axis=(0, 2, 3, 4)), atol=TOL[dtype] * 10)
    y1 = vol.full_conv3d_forward(x[0], w, b, *args)
    assert np.allclose(y1, y[0])


def pool_size(n, k, d, p, dil, ceil):
    o = (math.ceil if ceil else math.floor)((n - (dil * (k - 1) + 1) + 2 * p) / d) + 1
    if p and (o - 1) * d >= n + p:
        o -= 1
    return o


POOL = [
    # k, d, p, dil, ceil
    ((2, 3, 2), (2, 2, 1), (1, 1, 0), (1, 1, 1), True),
    ((3, 2, 2), (1, 2, 2), (0, 0, 0), (2, 1, 2), False),
    ((2, 2, 3), (2, 3, 2), (0, 1, 1), (1, 1, 1), False),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", POOL)
def test_max_pool3d_and_unpool(dtype, case):
    k, d, p, dil, ceil = case
    x = rnd(2, 2, 6, 7, 5, dtype=dtype)
    args = (k[0], k[2], k[1], d[0], d[2], d[1], p[0], p[2], p[1], dil[0], dil[2], dil[1], ceil)
    out, ind = vol.max_pool3d_forward(x, *args)
    o = tuple(pool_size(s, kk, dd, q, dl, ceil) for s, kk, dd, q, dl in zip(x.shape[2:], k, d, p, dil))
    assert out.shape == (2, 2) + o and out.dtype == dtype
    offs = vol.unpack_max_pool3d_indices(ind)
    g = rnd(*out.shape, dtype=dtype)
    want = np.zeros(x.shape)
    for pos in itertools.product(*[range(s) for s in o]):
        starts = [pp * dd - q for pp, dd, q in zip(pos, d, p)]
        cand = [[s + m * dl for m in range(kk) if 0 <= s + m * dl < n]
                for s, kk, dl, n in zip(starts, k, dil, x.shape[2:])]
        for n in range(2):
            for c in range(2):
                win = x[n, c][np.ix_(*cand)]
                a = np.unravel_index(win.argmax(), win.shape)
                loc = tuple(cc[aa] for cc, aa in zip(cand, a))
                assert out[(n, c) + pos] == win.max()
                got = tuple(int(off[(n, c) + pos]) * dl + s for off, dl, s in zip(offs, dil, starts))
                assert got == loc
                want[(n, c) + loc] += g[(n, c) + pos]
    gi = vol.max_pool3d_backward(x, g, ind, *args)
    assert np.allclose(gi, want, atol=1e-6)
    if dil == (1, 1, 1):
        up = vol.max_unpool3d_forward(out, ind, x.shape[2], x.shape[4], x.shape[3],
                                      d[0], d[2], d[1], p[0], p[2], p[1])
        assert up.shape == x.shape
        hit = up != 0
        assert np.array_equal(up[hit], x[hit]) and hit.sum() == len(set(
            (n, c) + tuple(int(off[(n, c) + pos]) + pp * dd - q
                           for off, pp, dd, q in zip(offs, pos, d, p))
            for n in range(2) for c in range(2) for pos in itertools.product(*[range(s) for s in o])))
        gu = vol.max_unpool3d_backward(out, x, ind, x.shape[2], x.shape[4], x.shape[3],
                                       d[0], d[2], d[1], p[0], p[2], p[1])
        assert np.array_equal(gu, out)


def test_max_pool3d_index_packing():
    x = np.zeros((1, 3, 3, 3))
    x[0, 1, 2, 0] = 5
    ind = np.full((1, 1, 1, 1), 0x7700000000, np.int64)
    out, ind = vol.max_pool3d_forward(x, 3, 3, 3, 1, 1, 1, indices=ind)
    # bytes t=1, h=2, w=0, 0; the high bytes of the given array are kept
    assert ind[0, 0, 0, 0] == 0x7700000000 | 1 | (2 << 8)
    assert out[0, 0, 0, 0] == 5


def test_max_unpool3d_errors():
    x = rnd(1, 2, 2, 2)
    ind = np.zeros((1, 2, 2, 2), np.int64)
    ind[0, 1, 1, 1] = 3          # t offset 3 from start 1*2 -> 5 >= oT
    with pytest.raises(KernelError) as e:
        vol.max_unpool3d_forward(x, ind, 4, 4, 4, 2, 2, 2)
    assert str(e.value) == "found an invalid max index 90 (output volumes are of size 4x4x4)"
    with pytest.raises(KernelError) as e:
        vol.max_unpool3d_backward(x, rnd(1, 4, 4, 3), ind, 4, 4, 4, 2, 2, 2)
    assert str(e.value) == "Inconsistent gradOutput size. oT= 4, oH= 4, oW= 4, gradOutput: 4x4x3"


def ref_avg3d(x, k, d, p, ceil, include):
    o = [pool_size(s, kk, dd, q, 1, ceil) for s, kk, dd, q in zip(x.shape[2:], k, d, p)]
    out = np.zeros(x.shape[:2] + tuple(o))
    for pos in itertools.product(*[range(s) for s in o]):
        lo = [pp * dd - q for pp, dd, q in zip(pos, d, p)]
        hi = [min(l + kk, n + q) for l, kk, n, q in zip(lo, k, x.shape[2:], p)]
        pool = np.prod([h - l for h, l in zip(hi, lo)])
        lo = [max(l, 0) for l in lo]
        hi = [min(h, n) for h, n in zip(hi, x.shape[2:])]
        win = x[(slice(None), slice(None)) + tuple(slice(l, h) for l, h in zip(lo, hi))]
        cnt = pool if include else np.prod([h - l for h, l in zip(hi, lo)])
        out[(slice(None), slice(None)) + pos] = win.astype(np.float64).sum(axis=(2, 3, 4)) / cnt
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("include", [True, False])
@pytest.mark.parametrize("case", [((2, 3, 2), (2, 2, 1), (1, 1, 0), True),
                                  ((3, 3, 2), (1, 2, 2), (0, 1, 1), False)])
def test_avg_pool3d(dtype, include, case):
    k, d, p, ceil = case
    x = rnd(2, 2, 5, 7, 6, dtype=dtype)
    args = (k[0], k[2], k[1], d[0], d[2], d[1], p[0], p[2], p[1], ceil, include)
    out = vol.avg_pool3d_forward(x, *args)
    assert out.dtype == dtype
    assert np.allclose(out, ref_avg3d(x, k, d, p, ceil, include), rtol=1e-5, atol=1e-6)
    g = rnd(*out.shape, dtype=dtype)
    gi = vol.avg_pool3d_backward(x, g, *args)
    lhs = np.vdot(out.astype(np.float64), g.astype(np.float64))
    assert abs(lhs - np.vdot(x.astype(np.float64), gi.astype(np.float64))) < 1e-4 * max(1, abs(lhs))


def test_volumetric_errors():
    with pytest.raises(KernelError) as e:
        vol.conv3d_forward(rnd(2, 3, 3, 3), rnd(4, 2, 5, 5, 5), None, 5, 5, 5, 1, 1, 1, 0, 0, 0)
    assert str(e.value) == ("Given input size: (2x3x3x3). Calculated output size: (4x-1x-1x-1). "
                            "Output size is too small")
    with pytest.raises(KernelError, match="^4D or 5D"):
        vol.conv3d_forward(rnd(3, 3, 3), rnd(4, 2, 1, 1, 1), None, 1, 1, 1, 1, 1, 1, 0, 0, 0)
    with pytest.raises(KernelError) as e:
        vol.avg_pool3d_forward(rnd(1, 2, 3, 3), 3, 3, 3, 1, 1, 1)
    assert str(e.value) == ("input image (T: 2 H: 3 W: 3) smaller than kernel size "
                            "(kT: 3 kH: 3 kW: 3)")
    with pytest.raises(KernelError, match="^pad should be smaller than half of kernel size"):
        vol.max_pool3d_forward(rnd(1, 4, 4, 4), 2, 2, 2, 1, 1, 1, 2, 0, 0)
