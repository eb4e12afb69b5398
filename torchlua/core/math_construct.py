"""Tensor construction and reshaping (THTensorMath.c): zeros, ones, eye, range,
linspace, logspace, diag, tril, triu, reshape, cat/catArray, histc, bhistc,
repeatTensor (Tensor.lua) and squeeze (THTensor.c).

The result tensor comes first (None: a new tensor of type index `ti`, returned
to Lua).  Element formulas are computed in the C types TH uses (the loop counter
in the element type, the arithmetic in accreal, the store cast to the element
type), so the same numbers come out.
"""
import numpy as np

from .errors import TorchError
from .math_support import (answer, argcheck, new_like, to_accreal, to_int, to_long, to_real,
                           zero)
from .math_util import kernels
from .tensor import Tensor
from .tensor_api import copy_into
from .types import TYPES

_FLOAT_COUNTER_LIMIT = 2 ** 24   # a float loop counter stops growing there


def _result(r, ti):
    return Tensor(TYPES[ti]) if r is None else r


def _counter(n, ty):
    """The values a `real i = 0; ... i++` loop counter takes, in the element type."""
    i = np.arange(n, dtype=np.int64)
    if ty.dtype == np.float32:
        return np.minimum(i, _FLOAT_COUNTER_LIMIT).astype(np.float32)
    return i.astype(ty.dtype)


def _fill_logical(r, vals):
    """Store vals (already in r's element type) in r's TH_TENSOR_APPLY order."""
    np.copyto(r.a, vals.reshape(r.size), casting="unsafe")


# -- zeros / ones / reshape ---------------------------------------------------------------
def construct_zeros(r, ti, *sizes):
    given = r
    r = _result(r, ti)
    r.resize([to_long(s) for s in sizes])
    zero(r)
    return answer(r, given)


def construct_ones(r, ti, *sizes):
    given = r
    r = _result(r, ti)
    r.resize([to_long(s) for s in sizes])
    if r.size:
        r.a.fill(1)
    return answer(r, given)


def construct_reshape(r, t, *sizes):
    given = r
    r = new_like(r, t.t)
    r.resize([to_long(s) for s in sizes])
    copy_into(r, t)
    return answer(r, given)


# -- eye / range / linspace / logspace --------------------------------------------------
def construct_eye(r, ti, n, m):
    n, m = to_long(n), to_long(m)
    argcheck(n > 0, 1, "invalid argument")
    if m <= 0:
        m = n
    given = r
    r = _result(r, ti)
    r.resize((n, m))
    zero(r)
    k = min(n, m)
    r.a[np.arange(k), np.arange(k)] = 1
    return answer(r, given)


def construct_range(r, ti, xmin, xmax, step):
    ty = TYPES[ti]
    xmin, xmax, step = (to_accreal(ty, v) for v in (xmin, xmax, step))
    argcheck(step > 0 or step < 0, 3, "step must be a non-null number")
    argcheck((step > 0 and xmax >= xmin) or (step < 0 and xmax <= xmin), 2,
             "upper bound and larger bound incoherent with step sign")
    if ty.is_float:
        size = int((xmax - xmin) / step + 1)
    else:
        size = (xmax - xmin) // step + 1
    given = r
    r = _result(r, ti)
    if r.nelement() != size:
        r.resize((size,))
    i = _counter(r.nelement(), ty)
    with np.errstate(over="ignore", invalid="ignore"):
        if ty.is_float:
            vals = xmin + i.astype(np.float64) * step
        else:
            vals = np.int64(xmin) + i.astype(np.int64) * np.int64(step)
        _fill_logical(r, vals.astype(ty.dtype))
    return answer(r, given)


def _spaced(r, ti, a, b, n, log):
    ty = TYPES[ti]
    a, b = to_real(ty, a), to_real(ty, b)
    n = to_long(n)
    argcheck(n > 1 or (n == 1 and a == b), 3, "invalid number of points")
    given = r
    r = _result(r, ti)
    if r.nelement() != n:
        r.resize((n,))
    real = ty.dtype.type
    if n == 1:
        argcheck(r.dim() == 1, 1, "tensor must have one dimension")
        r.a[0] = np.power(real(10.0), a) if log else a
        return answer(r, given)
    i = _counter(r.nelement(), ty)
    # a + i*(b-a)/(n-1), every operation in the element type
    vals = a + i * real(b - a) / real(n - 1)
    if log:
        # pow (powf for float) from libm, as TH: NumPy's SIMD power differs in the last ulp
        vals = np.ascontiguousarray(vals, dtype=ty.dtype)
        out = np.empty_like(vals)
        kernels().pow_of(real(10.0), vals, out)
        vals = out
    _fill_logical(r, vals)
    return answer(r, given)


def construct_linspace(r, ti, a, b, n):
    return _spaced(r, ti, a, b, n, False)


def construct_logspace(r, ti, a, b, n):
    return _spaced(r, ti, a, b, n, True)


# -- diag / tril / triu ---------------------------------------------------------------------
def construct_diag(r, t, k):
    argcheck(t.dim() in (1, 2), 1, "matrix or a vector expected")
    k = to_long(k)
    given = r
    r = new_like(r, t.t)
    if t.dim() == 1:
        n = t.size[0]
        sz = n + abs(k)
        r.resize((sz, sz))
        zero(r)
        rows = np.arange(n) + (0 if k >= 0 else -k)
        r.a[rows, rows + k] = t.a
    else:
        rows, cols = t.size
        sz = min(rows, cols - k) if k >= 0 else min(rows + k, cols)
        src = np.diagonal(t.a, offset=k).copy() if sz > 0 else None
        r.resize((sz,))
        if sz > 0:
            np.copyto(r.a, src)
    return answer(r, given)


def _triangle(r, t, k, lower):
    argcheck(t.dim() == 2, 1, "expected a matrix")
    k = to_long(k)
    given = r
    r = new_like(r, t.t)
    tri = np.tril(t.a, k) if lower else np.triu(t.a, k)
    r.resize(t.size)
    np.copyto(r.a, tri)
    return answer(r, given)


def construct_tril(r, t, k):
    return _triangle(r, t, to_int(k), True)


def construct_triu(r, t, k):
    return _triangle(r, t, to_int(k), False)


# -- cat ------------------------------------------------------------------------------------
def construct_cat(r, dim, *inputs):
    """THTensor_(catArray); dim is TH's (0-based, -2 for 'the last dimension')."""
    dim = to_long(dim)
    max_dim = dim + 1
    for x in inputs:
        max_dim = max(max_dim, x.dim())
    cat_dim = dim
    if dim + 1 == -1:
        cat_dim = max_dim - 1 if max_dim else 0
    argcheck(len(inputs) > 0, 3, "invalid number of inputs %d" % len(inputs))
    argcheck(cat_dim >= 0, 4, "invalid dimension %d" % (dim + 1))

    def dsize(x, i):
        return x.size[i] if i < x.dim() else min(x.dim(), 1)

    size = []
    all_empty = True
    for i in range(max_dim):
        s = dsize(inputs[0], i)
        if i == cat_dim:
            for x in inputs[1:]:
                s += dsize(x, i)
        else:
            for x in inputs[1:]:
                sz = dsize(x, i)
                if s != sz and s and sz:
                    raise TorchError("inconsistent tensor sizes")
                elif not s:
                    s = sz
        all_empty = all_empty and not s
        size.append(s)
    given = r
    r = new_like(r, inputs[0].t)
    if not all_empty:
        r.resize(size)
        offset = 0
        for x in inputs:
            if x.dim():
                n = x.size[cat_dim] if cat_dim < x.dim() else 1
                copy_into(r.narrow(cat_dim, offset, n), x)
                offset += n
    return answer(r, given)


# -- histc / bhistc --------------------------------------------------------------------------
def _hist_range(t, minv, maxv):
    ty = t.t
    lo, hi = to_real(ty, minv), to_real(ty, maxv)
    if lo == hi:
        argcheck(t.dim() > 0, 1, "tensor must have one dimension")
        # TH's minall/maxall return NaN when there is one (then no value falls in a bin)
        lo, hi = t.a.min(), t.a.max()
    if lo == hi:
        lo, hi = lo - ty.dtype.type(1), hi + ty.dtype.type(1)
    return lo, hi


def _bins(x, lo, hi, nbins):
    """Counts of x's values in nbins equal bins over [lo, hi], as TH's (int) cast."""
    real = x.dtype.type
    sel = x[(x >= lo) & (x <= hi)]
    b = ((sel - lo) / real(hi - lo) * real(nbins)).astype(np.int64)
    np.minimum(b, nbins - 1, out=b)
    return np.bincount(b, minlength=nbins)


def construct_histc(r, t, nbins, minv, maxv):
    nbins = to_long(nbins)
    argcheck(nbins > 0, 2, "number of bins must be positive")
    given = r
    r = new_like(r, t.t)
    r.resize((nbins,))
    zero(r)
    lo, hi = _hist_range(t, minv, maxv)
    if t.size:
        r.a[...] += _bins(t.a.reshape(-1), lo, hi, nbins)
    return answer(r, given)


def construct_bhistc(r, t, nbins, minv, maxv):
    argcheck(t.dim() < 3, 2, "invalid dimension %d, the input must be a 2d tensor" % t.dim())
    argcheck(1 < t.dim(), 2, "invalid dimension 2")
    nbins = to_long(nbins)
    argcheck(nbins > 0, 2, "number of bins must be positive")
    given = r
    r = new_like(r, t.t)
    r.resize((t.size[0], nbins))
    zero(r)
    lo, hi = _hist_range(t, minv, maxv)
    for row in range(t.size[0]):
        r.a[row] += _bins(t.a[row], lo, hi, nbins)
    return answer(r, given)


# -- repeatTensor / squeeze -------------------------------------------------------------------
def construct_repeat(r, t, *sizes):
    sizes = [to_long(s) for s in sizes]
    if len(sizes) < t.dim():
        raise TorchError("Number of dimensions of repeat dims can not be smaller than number "
                         "of dimensions of tensor")
    xsize = [1] * (len(sizes) - t.dim()) + list(t.size)
    given = r
    r = new_like(r, t.t)
    r.resize([a * b for a, b in zip(xsize, sizes)])
    if r.size and t.size:
        np.copyto(r.a, np.tile(t.a.reshape(xsize), sizes))
    return answer(r, given)


def construct_squeeze(r, src, dim):
    """THTensor_(squeeze)/(squeeze1d) into r (a view of src's storage); dim None
    squeezes every size-1 dimension.  Returns the new tensor when r is None."""
    size, stride = list(src.size), list(src.stride)
    if dim is None:
        keep = [d for d in range(len(size)) if size[d] != 1]
        nsize, nstride = [size[d] for d in keep], [stride[d] for d in keep]
        if not keep and size:
            nsize, nstride = [1], [1]
    else:
        argcheck(0 <= dim < len(size), 2, "dimension out of range")
        nsize, nstride = size, stride
        if size[dim] == 1 and len(size) > 1:
            nsize, nstride = size[:dim] + size[dim + 1:], stride[:dim] + stride[dim + 1:]
    if r is None:
        return answer(Tensor(src.t, src.storage, src.offset, nsize, nstride), None)
    r._geom(src.storage, src.offset, tuple(nsize), tuple(nstride))
    return None


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("construct_") and callable(fn)}
