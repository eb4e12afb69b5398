"""libm_exact's vector exp/expf/sigmoid/tanh give this machine's libm results bit for
bit (compared with the per-element libm loops of math_kernels), and math_kernels
falls back to libm when the self-check fails or the arrays overlap."""
import math

import numba
import numpy as np
import pytest

from torchlua.core import libm_exact as L
from torchlua.core import math_kernels as M

F64, F32 = np.dtype(np.float64), np.dtype(np.float32)
pytestmark = pytest.mark.skipif(
    not (L.exact_for("exp", F64, M.exp_libm) and L.exact_for("exp", F32, M.exp_libm)
         and L.exact_for("tanh", F64, M.tanh_libm)),
    reason="this libm is not the glibc exp/expf/tanh that libm_exact reproduces")


def _same(a, b):
    return np.array_equal(a.view(np.uint8), b.view(np.uint8))


def _mismatches(x, fast, ref, *args):
    want, got = np.empty_like(x), np.empty_like(x)
    ref(x, want, *args)
    fast(x, got)
    bits = np.uint64 if x.dtype == F64 else np.uint32
    return x[want.view(bits) != got.view(bits)]


def _inputs64(rng):
    n = 1_000_000
    return np.concatenate([
        rng.uniform(-750, 750, 3 * n),                 # whole range, all branches
        rng.uniform(-20, 20, 2 * n),
        rng.standard_normal(n),
        rng.uniform(-745.2, -708.0, n),                # subnormal results, underflow
        rng.uniform(700.0, 710.0, n // 4),             # near overflow
        rng.uniform(-512.5, -511.5, n // 4), rng.uniform(511.5, 512.5, n // 4),
        rng.standard_normal(n) * 2.0 ** rng.integers(-70, -30, n),   # tiny |x|
        rng.integers(np.iinfo(np.int64).min, np.iinfo(np.int64).max, n,
                     dtype=np.int64).view(np.float64),               # any bit pattern
        np.arange(-1100, 1101, dtype=np.float64),      # integers
        L.check_inputs(F64)])


def _inputs32(rng):
    # every 1031st float32 bit pattern (all exponents, inf, NaN) plus dense ranges
    pats = np.arange(0, 2 ** 32, 1031, dtype=np.uint64).astype(np.uint32).view(np.float32)
    n = 1_000_000
    return np.concatenate([
        pats, rng.uniform(-104, 89, 3 * n).astype(np.float32),
        rng.standard_normal(n).astype(np.float32),
        (rng.standard_normal(n) * 2.0 ** rng.integers(-40, -5, n)).astype(np.float32),
        L.check_inputs(F32)])


@pytest.fixture(scope="module")
def x64():
    return _inputs64(np.random.default_rng(11))


@pytest.fixture(scope="module")
def x32():
    return _inputs32(np.random.default_rng(12))


def test_exp_float64_matches_libm(x64):
    assert _mismatches(x64, L.exp64, M.exp_libm).size == 0


def test_exp_float32_matches_libm(x32):
    assert _mismatches(x32, L.exp32, M.exp_libm).size == 0


def test_sigmoid_float64_matches_libm(x64):
    assert _mismatches(x64, L.sigmoid64, M.sigmoid_libm, 1.0).size == 0


def test_sigmoid_float32_matches_libm(x32):
    assert _mismatches(x32, L.sigmoid32, M.sigmoid_libm, np.float32(1)).size == 0


# the per-element code that finishes arrays whose length is not a multiple of LANES
@numba.njit(error_model="numpy")
def _one_by_one64(a, out):
    for i in range(a.shape[0]):
        x = a[i]
        out[i] = L._exp_plain(x) if abs(x) < L._EXP_HI else math.exp(x)


@numba.njit(error_model="numpy")
def _one_by_one32(a, out):
    for i in range(a.shape[0]):
        x = a[i]
        out[i] = np.float32(L._expf_plain(x)) if abs(x) < L._EXPF_HI else math.exp(x)


def test_element_code_matches_libm(x64, x32):
    assert _mismatches(x64[::4].copy(), _one_by_one64, M.exp_libm).size == 0
    assert _mismatches(x32[::4].copy(), _one_by_one32, M.exp_libm).size == 0


def test_tanh_float64_matches_libm(x64):
    rng = np.random.default_rng(13)
    n = 1_000_000
    x = np.concatenate([x64[::2], rng.uniform(-1.1, 1.1, 2 * n), rng.uniform(-23, 23, 2 * n),
                        rng.uniform(0.17, 0.53, n), rng.uniform(6.7, 6.8, n // 4),
                        rng.uniform(19.5, 19.7, n // 4)])
    assert _mismatches(x, L.tanh64, M.tanh_libm).size == 0


def test_tanh_float32_stays_libm():
    # glibc's tanhf is another algorithm, not reproduced
    x = np.linspace(-3, 3, 1000, dtype=np.float32)
    assert L.fast_loop("tanh", x, np.empty_like(x), M.tanh_libm) is None
    want, got = np.empty_like(x), np.empty_like(x)
    M.tanh_libm(x, want)
    M.tanh(x, got)
    assert _same(want, got)


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_edge_values_in_every_lane(dt):
    # each special value alone among plain ones, at every position of a vector group
    # and in the remainder, so both the vector path and its libm fallback are used
    specials = [0.0, -0.0, math.inf, -math.inf, math.nan, 1e-300, -1e-300, 5e-324,
                2.0 ** -54, -(2.0 ** -54), 88.0, -88.0, 88.72284, -103.98, 512.0, -512.0,
                709.79, -745.2, -708.5, 1e308, -1e308, 3.4e38, -3.4e38, 2.0 ** -55, 22.0,
                -22.0, 1.0, -1.0, 0.5198603854199589]
    for n in (1, 7, 8, 9, 15, 16, 17, 33):
        for pos in range(n):
            x = np.full(n, 0.75, dt)
            for v in specials:
                with np.errstate(over="ignore"):
                    x[pos] = v
                for fast, ref, args in ((L.exp64 if dt == np.float64 else L.exp32,
                                         M.exp_libm, ()),
                                        (L.sigmoid64 if dt == np.float64 else L.sigmoid32,
                                         M.sigmoid_libm, (np.dtype(dt).type(1),))):
                    want, got = np.empty_like(x), np.empty_like(x)
                    ref(x, want, *args)
                    fast(x, got)
                    assert _same(want, got), (n, pos, v)
                if dt == np.float64:
                    want, got = np.empty_like(x), np.empty_like(x)
                    M.tanh_libm(x, want)
                    L.tanh64(x, got)
                    assert _same(want, got), (n, pos, v)


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_dispatch_in_place_and_overlapping(dt):
    rng = np.random.default_rng(5)
    x = (rng.standard_normal(10_001) * 30).astype(dt)
    x[::97] = np.inf
    want = np.empty_like(x)
    M.exp_libm(x, want)
    y = x.copy()
    M.exp(y, y)                                     # in place
    assert _same(want, y)
    # shifted overlap: the sequential libm loop feeds its own results forward
    buf_ref, buf = x.copy(), x.copy()
    M.exp_libm(buf_ref[:-1], buf_ref[1:])
    M.exp(buf[:-1], buf[1:])
    assert _same(buf_ref, buf)
    want_s, got_s = np.empty_like(x), np.empty_like(x)
    M.sigmoid_libm(x, want_s, np.dtype(dt).type(1))
    M.sigmoid(x, got_s, np.dtype(dt).type(1))
    assert _same(want_s, got_s)
    M.tanh_libm(x, want)
    y = x.copy()
    M.tanh(y, y)
    assert _same(want, y)


def test_fallback_when_self_check_fails(monkeypatch):
    calls = []

    def broken(a, out):
        calls.append(a.size)
        out[:] = 0.0                                # not libm's numbers

    monkeypatch.setattr(L, "_status", {})
    monkeypatch.setitem(L._FAST, ("exp", "d"), broken)
    x = np.linspace(-5, 5, 1000)
    want, got = np.empty_like(x), np.empty_like(x)
    M.exp_libm(x, want)
    M.exp(x, got)
    assert _same(want, got)
    assert L._status[("exp", "d")] is False
    assert calls == [L.check_inputs(F64).size]      # used by the check only
    M.exp(x, got)
    assert len(calls) == 1
