"""sum/prod/mean/cumsum/cumprod and the whole-tensor sums give TH's bits: each slice
folded from its first element to its last into an accumulator that starts at 0
(or 1), in double when the reduced dimension has stride 1 and in the element
type otherwise (THTensor_(sum)'s two paths). Checked against a plain reference
loop on random data with NaN/inf/-0, on contiguous, transposed, narrowed and
expanded tensors, over every dimension, for the NumPy path (small tensors) and
the Numba kernels (large ones); the kernels are also checked directly on odd
layouts."""
import struct

import numpy as np
import pytest

from torchlua.core import math_reduce
from lua_helpers import lua

LARGE = math_reduce._SMALL     # from this many elements on, the Numba kernels run


def bits(a):
    """The bit patterns of a, NaNs made alike: which NaN comes out of NaN + NaN is up
    to the compiler, in TH too, and Lua cannot tell them apart (LuaJIT keeps one NaN)."""
    a = np.where(np.isnan(a), np.nan, a).astype(np.asarray(a).dtype)
    return a.view({4: np.uint32, 8: np.uint64}[a.dtype.itemsize])


def same_bits(got, want):
    want = np.asarray(want)
    got = np.asarray(got).reshape(want.shape)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(bits(got), bits(want))


def number_bits(x):
    return struct.pack("<d", float("nan") if x != x else x)


# -- the reference: TH's loops written out plainly -------------------------------------------------
def ref_fold(x, dim, acc_dt, product=False, cast=True):
    """Fold x along dim, element by element from the first, in acc_dt (the
    result converted to x's type unless cast is false)."""
    acc = np.full(np.delete(x.shape, dim), 1 if product else 0, acc_dt)
    with np.errstate(all="ignore"):
        for j in range(x.shape[dim]):
            v = np.take(x, j, axis=dim).astype(acc_dt)
            acc = acc * v if product else acc + v
        return np.expand_dims(acc.astype(x.dtype) if cast else acc, dim)


def ref_scan(x, dim, product=False):
    acc = np.full(np.delete(x.shape, dim), 1 if product else 0, np.float64)
    out = np.empty_like(x)
    with np.errstate(all="ignore"):
        for j in range(x.shape[dim]):
            v = np.take(x, j, axis=dim).astype(np.float64)
            acc = acc * v if product else acc + v
            idx = [slice(None)] * x.ndim
            idx[dim] = j
            out[tuple(idx)] = acc
    return out


def ref_all(x, product=False):
    s = 1.0 if product else 0.0
    for v in np.asarray(x, np.float64).ravel().tolist():
        s = s * v if product else s + v
    return s


def data(rng, shape, dt, specials=True):
    x = (rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 9, shape)).astype(dt)
    if specials and x.size > 8:
        flat = x.reshape(-1)
        k = rng.choice(flat.size, 6, replace=False)
        flat[k] = [np.nan, np.inf, -np.inf, -0.0, np.inf, 0.0]
    return x


# Views built in Lua from a base array, and the same view built in NumPy.
VIEWS = {
    "contiguous": ("return x", lambda a: a),
    "transposed": ("return x:transpose(1, x:dim())", lambda a: np.swapaxes(a, 0, -1)),
    "narrowed": ("return x:narrow(x:dim(), 2, x:size(x:dim()) - 2)", lambda a: a[..., 1:-1]),
    "narrowed first": ("return x:narrow(1, 2, x:size(1) - 1)", lambda a: a[1:]),
}

SHAPES = [(1,), (7,), (1, 1), (3, 1), (1, 9), (13, 17), (2, 3, 5, 4),   # NumPy path
          (260, 131), (31, 37, 29), (40, 1000)]                         # kernels

FOLDS = """local v, dim = ...
    return v:sum(dim), v:prod(dim), v:mean(dim), v:stride(dim), v:sum(), v:cumsum(dim),
           v:nElement()"""


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_folds_along_every_dim_match_ths_loop(rt, shape, dt):
    rng = np.random.default_rng(sum(shape) + len(shape))
    for vname, (make, np_view) in VIEWS.items():
        base = data(rng, shape, dt)
        if "narrowed" in vname and (shape[-1] < 3 if vname == "narrowed" else shape[0] < 2):
            continue
        v = lua(rt, "local x = ...\n" + make, base)
        x = np_view(base)
        for dim in range(x.ndim):
            s, p, m, stride, total, cs, numel = lua(rt, FOLDS, v, dim + 1)
            assert numel == x.size
            acc = np.float64 if stride == 1 else dt
            want = ref_fold(x, dim, acc)
            same_bits(s.numpy(), want)
            same_bits(p.numpy(), ref_fold(x, dim, acc, product=True))
            with np.errstate(all="ignore"):
                same_bits(m.numpy(), want / dt(x.shape[dim]))
            same_bits(cs.numpy(), ref_scan(x, dim))
            assert number_bits(total) == number_bits(ref_all(x))


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_products_and_cumprod_near_one(rt, dt):
    rng = np.random.default_rng(5)
    for shape in [(6, 5), (300, 120), (8, 41, 111)]:
        x = (1 + rng.standard_normal(shape) * 0.01).astype(dt)
        v = lua(rt, "local x = ... return x:transpose(1, 2)", x)
        x = np.swapaxes(x, 0, 1)
        for dim in range(x.ndim):
            p, cp, stride, total = lua(rt, """local v, dim = ...
                return v:prod(dim), v:cumprod(dim), v:stride(dim), v:prod()""", v, dim + 1)
            same_bits(p.numpy(), ref_fold(x, dim, np.float64 if stride == 1 else dt, True))
            same_bits(cp.numpy(), ref_scan(x, dim, product=True))
            assert number_bits(total) == number_bits(ref_all(x, product=True))


@pytest.mark.parametrize("n", [5, 40000, 40001])
def test_negative_zero_sums_to_positive_zero(rt, n):
    # TH starts from 0: 0 + -0 is +0 (and the cumulative sum is +0 throughout).
    # Numbers are returned as 1/x: a whole -0 would come back to Python as int 0.
    got = lua(rt, """local x, m = ...
        return 1 / x:sum(), 1 / x:sum(1)[1], 1 / m:t():sum(), 1 / m:trace(), 1 / x:prod(),
               m:sum(2), m:t():sum(1), m:mean(2), x:cumsum(1)""",
              np.full(n, -0.0, np.float32), np.full((2, n), -0.0))
    assert got[:4] == (np.inf,) * 4
    assert got[4] == (-np.inf if n % 2 else np.inf)      # 1 * -0 * -0 ...
    for t in got[5:]:
        assert not np.signbit(t.numpy()).any()


def test_expanded_and_single_element_dims(rt):
    rng = np.random.default_rng(9)
    col = data(rng, (300, 1), np.float32, specials=False)
    row = data(rng, (1, 200), np.float32, specials=False)
    got = lua(rt, """local c, r = ...
        local e = c:expand(300, 200)
        local f = r:expand(300, 200)
        return e:sum(2), e:sum(1), f:sum(1), f:sum(2), e:sum(), c:sum(2), r:sum(1),
               e:stride(2), f:stride(1)""", col, row)
    e = np.broadcast_to(col, (300, 200))
    f = np.broadcast_to(row, (300, 200))
    assert got[7] == 0 and got[8] == 0
    same_bits(got[0].numpy(), ref_fold(e, 1, np.float32))     # stride 0: the element type
    same_bits(got[1].numpy(), ref_fold(e, 0, np.float64))
    same_bits(got[2].numpy(), ref_fold(f, 0, np.float32))
    same_bits(got[3].numpy(), ref_fold(f, 1, np.float64))
    assert number_bits(got[4]) == number_bits(ref_all(e))
    same_bits(got[5].numpy(), ref_fold(col, 1, np.float32))   # size-1 dims: 0 + x
    same_bits(got[6].numpy(), ref_fold(row, 0, np.float32))


def test_trace_and_means_of_large_tensors(rt):
    rng = np.random.default_rng(3)
    x = data(rng, (400, 300), np.float32)
    got = lua(rt, "local x = ... return x:trace(), x:mean(), x:t():trace()", x)
    d = np.diagonal(x)
    assert number_bits(got[0]) == number_bits(ref_all(d))
    assert number_bits(got[2]) == number_bits(ref_all(d))
    assert number_bits(got[1]) == number_bits(ref_all(x) / x.size)


def test_float_sums_where_the_order_shows(rt):
    # 1e8 then ones: a float accumulator never moves, double does; pairwise sums differ
    row = np.array([1e8] + [1.0] * 49999 + [-1e8] + [0.5] * 3, np.float32)
    x = np.stack([row] * 9)
    got = lua(rt, """local x = ...
        return x:sum(2), x:t():sum(1), x:t():contiguous():sum(1), x:sum()""", x)
    dbl, flt = np.float32(ref_all(row)), ref_fold(row[None], 1, np.float32)[0, 0]
    assert dbl != flt
    same_bits(got[0].numpy(), np.full((9, 1), dbl))
    same_bits(got[1].numpy(), np.full((1, 9), dbl))     # stride 1 after the transpose
    same_bits(got[2].numpy(), np.full((1, 9), flt))     # stride 9: accumulates in float
    assert got[3] == ref_all(x)


# -- the kernels on their own --------------------------------------------------------------------
def kernel_layouts(rng):
    big = rng.standard_normal((40, 50, 60))
    yield big.reshape(40, 50, 60)                                  # C, slices across memory
    yield big.reshape(40, 3000, 1)                                 # rows
    yield big.reshape(1, 40, 3000)                                 # columns
    yield np.transpose(big, (1, 2, 0))                             # slices along memory
    yield np.transpose(big, (2, 0, 1))[:, ::2, 3:]                 # strided, sliced
    yield big[:, :, ::-1]                                          # negative stride
    yield big[:, :7, 0:1]                                          # rows with a gap
    yield np.swapaxes(big[:, :, :1], 0, 1)                         # outer dim fastest
    yield big.reshape(-1)[:4300].reshape(43, 100, 1)               # rows, a tail of 3
    yield np.transpose(big, (1, 2, 0))[:7, :, :3]                  # along memory, a tail
    yield big.reshape(-1)[None, :, None]                           # one chain
    yield big.astype(np.float32)[5:, :, ::3]
    yield np.broadcast_to(big[:, :1, :1], (40, 900, 1))           # read-only, stride 0
    yield np.broadcast_to(big[:1, :1, :], (1, 700, 60))


@pytest.mark.parametrize("product", [False, True])
def test_kernels_fold_each_slice_in_order(product):
    from torchlua.core import reduce_kernels
    rng = np.random.default_rng(1)
    for x in kernel_layouts(rng):
        if product:
            x = 1 + x * 1e-3
        for acc_dt in {np.float64, x.dtype.type}:
            out = np.full((x.shape[0], x.shape[2]), 1 if product else 0, acc_dt)
            reduce_kernels.fold(x, out, product)
            want = ref_fold(x, 1, acc_dt, product, cast=False)[:, 0, :]
            same_bits(out, want)
