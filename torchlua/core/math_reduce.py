"""Reductions, scans, sorting and selection (TensorMath's reduce family), with TH's
accumulation types and orders: `accreal` is double for Float/Double and long for
integer tensors; sums along a dimension whose stride is not 1 accumulate in the
element type (THTensor_(sum)'s second path); reductions over a dimension keep it
with size 1 (cwrap always passes keepdim=true); indices are 1-based LongTensors.

Functions taking result tensors get them first (None: new, returned to Lua).
Dimensions arrive 0-based.
"""
import math

import numpy as np

from .math_util import (argerr, check_numel, flat, kernels, keep_size, long_result, new_or,
                        py_number, result_like, rows, to_real, write, write_rows)
from .tensor_api import ret


def _dim_check(t, dim, argn, msg):
    if dim < 0 or dim >= len(t.size):
        raise argerr(argn, msg % (dim + 1) if "%d" in msg else msg)


# -- sequential folds -----------------------------------------------------------------------
# TH folds each slice of a float tensor one element after another into an
# accumulator that starts at 0 (or 1): 0 + -0 is +0, so the start value is applied
# too. Integer sums wrap the same in any order, so NumPy's may be used for them.
# Small folds run in NumPy (a ufunc's accumulate is a plain left-to-right loop),
# so that small scripts never import Numba; larger ones use reduce_kernels, which
# keeps the same order and so gives the same bits.
_SMALL = 1 << 15
_rk = None


def _kernels():
    global _rk
    if _rk is None:
        from . import reduce_kernels
        _rk = reduce_kernels
    return _rk


def _fold(x, start, acc_dt, product):
    """The fold along axis 1 of the 3-D array x: (outer, inner) values in acc_dt."""
    op = np.multiply if product else np.add
    if x.size >= _SMALL:
        acc = np.full((x.shape[0], x.shape[2]), start, acc_dt)
        _kernels().fold(x, acc, product)
        return acc
    y = np.array(x, dtype=acc_dt)
    head = y[:, :1, :]
    with np.errstate(all="ignore"):
        op(head, start, out=head)
        op.accumulate(y, axis=1, out=y)
    return y[:, -1, :]


def _fold_all(a, product):
    """The fold of the float array a in logical order, in accreal (double)."""
    x = a.reshape(1, -1, 1)   # a view unless a's dims cannot merge
    return float(_fold(x, 1.0 if product else 0.0, np.float64, product)[0, 0])


# -- whole-tensor reductions (numbers) -------------------------------------------------------
def red_sumall(t):
    if not t.size:
        return 0
    if t.t.is_float:
        return _fold_all(t.a, False)
    return int(np.sum(t.a, dtype=np.int64))


def red_prodall(t):
    if not t.size:
        return 1
    if t.t.is_float:
        return _fold_all(t.a, True)
    return int(np.prod(t.a, dtype=np.int64))


def _extreme(t, fn):
    if not t.size:
        raise argerr(1, "tensor must have one dimension")
    return py_number(fn(t.a))   # NaN wins, as in TH's loop


def red_maxall(t):
    return _extreme(t, np.max)


def red_minall(t):
    return _extreme(t, np.min)


def red_meanall(t):
    if not t.size:
        raise argerr(1, "empty Tensor")
    return red_sumall(t) / t.nelement()


def red_varall(t, biased):
    if not t.size:
        raise argerr(1, "empty Tensor")
    return float(kernels().var_all(flat(t), bool(biased)))


def red_stdall(t, biased):
    v = red_varall(t, biased)
    return math.sqrt(v) if v == v and v >= 0 else v


def red_normall(t, p):
    p = to_real(t, p)
    return float(kernels().norm_all(flat(t), p, np.zeros(2, t.t.dtype)))


def red_dist(a, b, p):
    check_numel((("tensor", a), ("src", b)))
    p = to_real(a, p)
    return float(kernels().dist(flat(a), np.ascontiguousarray(b.a, a.t.dtype).reshape(-1), p,
                                np.zeros(2, a.t.dtype)))


def red_trace(t):
    if len(t.size) != 2:
        raise argerr(1, "expected a matrix")
    d = np.diagonal(t.a)
    if t.t.is_float:
        return _fold_all(d, False)
    return int(np.sum(d, dtype=np.int64))


def red_all(t):
    if not t.size:
        raise argerr(1, "empty Tensor")
    return bool(np.all(t.a))


def red_any(t):
    if not t.size:
        raise argerr(1, "empty Tensor")
    return bool(np.any(t.a))


# -- along a dimension -------------------------------------------------------------------
def _reduced(r, t, dim):
    """The result of a reduction over dim: resized to t's size with size 1 at dim."""
    r, ans = new_or(r, t.t)
    r.resize(keep_size(t, dim))
    return r, ans


def _fold_dim(t, dim, product):
    """sum/prod over dim: accreal when t's stride there is 1, else the element type
    (THTensor_(sum)'s two code paths; they differ only for FloatTensor)."""
    dt = t.t.dtype
    if not t.t.is_float:   # integer arithmetic wraps the same in long and in the type
        x, _ = rows(t, dim)
        return (np.prod if product else np.sum)(x, axis=1, dtype=np.int64).astype(dt)
    acc_dt = dt if t.stride[dim] != 1 else np.float64
    shape = t.a.shape
    # (outer, dim, inner): a view unless the outer or inner dims cannot merge
    x = t.a.reshape(math.prod(shape[:dim]), shape[dim], math.prod(shape[dim + 1:]))
    acc = _fold(x, 1 if product else 0, acc_dt, product)
    with np.errstate(all="ignore"):   # C's conversion to float overflows silently
        return acc.astype(dt, copy=False)


def red_sum(r, t, dim):
    _dim_check(t, dim, 2, "dimension %d out of range")
    out = _fold_dim(t, dim, False)
    r, ans = _reduced(r, t, dim)
    write(r, out)
    return ans


def red_prod(r, t, dim):
    _dim_check(t, dim, 2, "dimension %d out of range")
    out = _fold_dim(t, dim, True)
    r, ans = _reduced(r, t, dim)
    write(r, out)
    return ans


def red_mean(r, t, dim):
    _dim_check(t, dim, 2, "invalid dimension %d")
    n = t.size[dim]
    out = _fold_dim(t, dim, False)
    r, ans = _reduced(r, t, dim)
    write(r, out)
    np.divide(r.a, to_real(t, n), r.a)
    return ans


def red_var(r, t, dim, biased, root):
    _dim_check(t, dim, 3, "invalid dimension %d")
    x, _ = rows(t, dim)
    out = np.empty(x.shape[0], t.t.dtype)
    kernels().rows_var(x, out, bool(biased), bool(root), np.zeros(2, t.t.dtype))
    r, ans = _reduced(r, t, dim)
    write(r, out)
    return ans


def red_norm(r, t, p, dim):
    _dim_check(t, dim, 3, "invalid dimension %d")
    x, _ = rows(t, dim)
    out = np.empty(x.shape[0], t.t.dtype)
    kernels().rows_norm(x, out, to_real(t, p), np.zeros(2, t.t.dtype))
    r, ans = _reduced(r, t, dim)
    write(r, out)
    return ans


def red_renorm(r, t, p, dim, maxnorm):
    _dim_check(t, dim, 3, "invalid dimension %d")
    p = to_real(t, p)
    if not p > 0:
        raise argerr(2, "non-positive-norm not supported")
    if len(t.size) <= 1:
        raise argerr(1, "need at least 2 dimensions, got %d dimensions" % len(t.size))
    # rows = the slices select(dim, i), each in its own logical order
    a = np.moveaxis(t.a, dim, 0)
    x = np.ascontiguousarray(a).reshape(a.shape[0], -1)
    out = np.empty_like(x)
    kernels().renorm_rows(x, out, p, to_real(t, maxnorm), np.zeros(4, t.t.dtype))
    r, ans = result_like(r, t)
    np.copyto(np.moveaxis(r.a, dim, 0), out.reshape(a.shape))
    return ans


def _scan(r, t, dim, op, start):
    _dim_check(t, dim, 2, "dimension %d out of range")
    acc = np.array(t.a, dtype=np.float64 if t.t.is_float else np.int64)   # accreal
    r, ans = result_like(r, t)
    with np.errstate(all="ignore"):
        if t.t.is_float:   # TH's chain starts from 0 (1): 0 + -0 is +0
            first = acc[(slice(None),) * dim + (slice(0, 1),)]
            op(first, start, out=first)
        op.accumulate(acc, axis=dim, out=acc)
        write(r, acc)   # each partial result converted to real, as TH stores it
    return ans


def red_cumsum(r, t, dim):
    return _scan(r, t, dim, np.add, 0.0)


def red_cumprod(r, t, dim):
    return _scan(r, t, dim, np.multiply, 1.0)


def _pair(v, i, vals, idx):
    """Fill the values/indices results; answers both to Lua (6 values)."""
    write(v, vals)
    write(i, idx + 1)
    return ret(v) + ret(i)


def _extreme_dim(v, i, t, dim, arg):
    _dim_check(t, dim, 2, "dimension %d out of range")
    idx = arg(t.a, axis=dim, keepdims=True)     # first extreme; the first NaN if any
    vals = np.take_along_axis(t.a, idx, axis=dim)
    v, _ = _reduced(v, t, dim)
    i, _ = long_result(i)
    i.resize(v.size)
    return _pair(v, i, vals, idx)


def red_max(v, i, t, dim):
    return _extreme_dim(v, i, t, dim, np.argmax)


def red_min(v, i, t, dim):
    return _extreme_dim(v, i, t, dim, np.argmin)


# -- sorting and selection ----------------------------------------------------------------------
def _work_rows(t, dim):
    """A private copy of t's slices along dim, as rows (the kernels permute them)."""
    x, outer = rows(t, dim)
    return np.array(x, copy=True), outer


def _results(v, i, t, size):
    v, _ = new_or(v, t.t)
    v.resize(size)
    i, _ = long_result(i)
    i.resize(size)
    return v, i


def red_sort(v, i, t, dim, desc):
    _dim_check(t, dim, 2, "invalid dimension %d")
    x, outer = _work_rows(t, dim)
    ix = np.empty(x.shape, np.int64)
    kernels().rows_sort(x, ix, bool(desc))
    v, i = _results(v, i, t, t.size)
    write_rows(v, dim, x, outer)
    write_rows(i, dim, ix + 1, outer)
    return ret(v) + ret(i)


def red_topk(v, i, t, k, dim, largest, ordered):
    _dim_check(t, dim, 3, "dim not in range")
    if not (0 < k <= t.size[dim]):
        raise argerr(2, "k not in range for dimension")
    x, outer = _work_rows(t, dim)
    m = x.shape[0]
    ov = np.empty((m, k), t.t.dtype)
    oi = np.empty((m, k), np.int64)
    kernels().rows_topk(x, k, bool(largest), bool(ordered), ov, oi)
    v, i = _results(v, i, t, keep_size(t, dim, k))
    write_rows(v, dim, ov, outer)
    write_rows(i, dim, oi + 1, outer)
    return ret(v) + ret(i)


def _select_rows(v, i, t, dim, fill):
    x, outer = _work_rows(t, dim)
    ov = np.empty(x.shape[0], t.t.dtype)
    oi = np.empty(x.shape[0], np.int64)
    fill(x, ov, oi)
    v, i = _results(v, i, t, keep_size(t, dim))
    return _pair(v, i, ov, oi)


def red_kthvalue(v, i, t, k, dim):
    _dim_check(t, dim, 3, "dimension out of range")
    if not (0 < k <= t.size[dim]):
        raise argerr(2, "selected index out of range")
    return _select_rows(v, i, t, dim, lambda x, ov, oi: kernels().rows_kth(x, k - 1, ov, oi))


def red_median(v, i, t, dim):
    _dim_check(t, dim, 3, "dimension out of range")
    return red_kthvalue(v, i, t, ((t.size[dim] - 1) >> 1) + 1, dim)


def red_mode(v, i, t, dim):
    _dim_check(t, dim, 3, "dimension out of range")
    return _select_rows(v, i, t, dim, kernels().rows_mode)


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("red_") and callable(fn)}
