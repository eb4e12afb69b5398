"""Fused element-wise steps of nn modules (Sigmoid, Tanh, CAddTable, CMulTable,
SplitTable, nngraph's gradient sums, Module's parameter loops): one Lua->Python
crossing for what the Lua code did with a chain of tensor methods.

Each function performs the same NumPy operations, on the same operands in the same
order, as the chain it replaces (the ufunc calls of math_pointwise / tensor_api),
so results are bit-identical, NaN payloads and signs included.  The Lua side calls
these only when every tensor has the module's own floating type (other cases keep
the method chain and its argument errors).
"""
import numpy as np
from numpy import add as _add, multiply as _mul

from .fused_axpy import cpu_fuses, fused_cadd
from .math_pointwise import pw_cadd, pw_cmul, pw_iadd, pw_sigmoid, pw_tanh
from .math_util import shaped, to_real
from .tensor_api import copy_into, ret


def resize_to(t, size):
    """t:resize(size) for sizes taken from a tensor (the early return of
    Tensor.resize, without its normalising of the sizes)."""
    if t.size != size:
        t.resize(size)


# -- Sigmoid / Tanh ------------------------------------------------------------------------
def nnp_sigmoid_output(out, x):
    """out:resizeAs(x):sigmoid(x)"""
    resize_to(out, x.size)
    pw_sigmoid(out, x)


def nnp_tanh_output(out, x):
    """out:resizeAs(x):tanh(x)"""
    resize_to(out, x.size)
    pw_tanh(out, x)


def nnp_tanh_grad_input(gi, y, go):
    """Double: gi:resizeAs(y):copy(y):cmul(y):mul(-1):add(1):cmul(go).
    Float (THNN): g (1 - y y) with y y in float, the rest in double, rounded once."""
    ya = y.a
    ga = shaped(go, y.size)
    if y.t.dtype == np.float32:
        d = _mul(ya, ya).astype(np.float64)
        _mul(d, -1.0, d)
        _add(d, 1.0, d)
        _mul(d, ga.astype(np.float64), d)
        resize_to(gi, y.size)
        np.copyto(gi.a, d, casting="unsafe")
        return
    resize_to(gi, y.size)
    a = gi.a
    _mul(ya, ya, a)
    _mul(a, -1.0, a)
    _add(a, 1.0, a)
    _mul(a, ga, a)


def nnp_sigmoid_grad_input(gi, y, go):
    """Double: gi:resizeAs(y):copy(y):mul(-1):add(1):cmul(go):cmul(y).
    Float (THNN): g (1 - y) y in double, rounded once."""
    ya = y.a
    if y.t.dtype == np.float32:
        yd = ya.astype(np.float64)
        d = _mul(yd, -1.0)
        _add(d, 1.0, d)
        _mul(d, shaped(go, y.size).astype(np.float64), d)
        _mul(d, yd, d)
        resize_to(gi, y.size)
        np.copyto(gi.a, d, casting="unsafe")
        return
    resize_to(gi, y.size)
    a = gi.a
    _mul(ya, -1.0, a)
    _add(a, 1.0, a)
    _mul(a, shaped(go, y.size), a)
    _mul(a, ya, a)


# -- table modules -------------------------------------------------------------------------
def _apart(out, srcs):
    """Whether `out` has the size of every source and shares memory with none:
    then copy(first) followed by in-place ops equals one out-of-place op."""
    oa = out.a
    for s in srcs:
        if s.size != out.size or np.may_share_memory(oa, s.a):
            return False
    return True


def _fold_into(out, size, first, rest, op, inplace):
    """out:resize(size):copy(first), then inplace(out, x) for each x in rest."""
    resize_to(out, size)
    if rest and out.size and _apart(out, (first,) + rest):
        # out = first op x1 without the copy pass (same operands, same order)
        op(first.a, rest[0].a, out.a)
        rest = rest[1:]
    else:
        copy_into(out, first)
    for s in rest:
        inplace(out, s)


def nnp_sum_into(out, first, *rest):
    """out:resizeAs(first):copy(first), then out:add(x) for each x in rest."""
    _fold_into(out, first.size, first, rest, _add, pw_iadd)


def nnp_prod_into(out, first, *rest):
    """out:resizeAs(first):copy(first), then out:cmul(x) for each x in rest."""
    _fold_into(out, first.size, first, rest, _mul, _icmul)


def _icmul(out, s):
    pw_cmul(out, out, s)


def nnp_copy_each(src, *pairs):
    """dst:resizeAs(like):copy(src) for each (dst, like) pair."""
    for k in range(0, len(pairs), 2):
        dst = pairs[k]
        resize_to(dst, pairs[k + 1].size)
        copy_into(dst, src)


def nnp_cmul_grads(g, n, *tensors):
    """CMulTable's gradients: for each i, gi:resizeAs(x_i):copy(g), then gi:cmul(x_j)
    for every j ~= i in order.  tensors = g_1..g_n, x_1..x_n."""
    grads, xs = tensors[:n], tensors[n:]
    for i in range(n):
        _fold_into(grads[i], xs[i].size, g, xs[:i] + xs[i + 1:], _mul, _icmul)


# -- SplitTable ----------------------------------------------------------------------------
def nnp_split(x, dim):
    """The slices x:select(dim, i) for every i, as (handle, type, meta) triples."""
    res = []
    for i in range(x.size[dim]):
        res.extend(ret(x.select(dim, i)))
    return tuple(res)


def nnp_split_grad(gi, x, dim, *grads):
    """gi:resizeAs(x), then gi:select(dim, i):copy(grads[i]) for each i."""
    resize_to(gi, x.size)
    a = gi.a
    lead = (slice(None),) * dim
    for i, g in enumerate(grads):
        part = a[lead + (i,)]
        src = g.a
        if src.size != part.size:
            copy_into(gi.select(dim, i), g)   # raises copy's size error
        if src.shape != part.shape:
            src = src.reshape(part.shape)
        np.copyto(part, src, casting="unsafe")


# -- Module:zeroGradParameters / updateParameters -------------------------------------------
def nnp_zero_each(*tensors):
    for t in tensors:
        if t.size:
            t.a.fill(0)


_AXPY_BLOCK = 1 << 15   # elements: the scratch block stays in L2
_SCRATCH = {}           # dtype -> one reused block (a fresh one would be mmapped each time)


def nnp_add_scaled_each(v, *pairs):
    """p:add(v, g) for each (p, g) pair."""
    for k in range(0, len(pairs), 2):
        p, g = pairs[k], pairs[k + 1]
        if v == 1:
            pw_iadd(p, g)
            continue
        pa = p.a
        vr = to_real(p, v)
        if (p.size == g.size and pa.size and pa.flags.c_contiguous and g.a.flags.c_contiguous
                and not np.may_share_memory(pa, g.a) and cpu_fuses()):
            # TH: BLAS axpy on p, which rounds p + v*g once on an FMA CPU
            fused_cadd(pa, pa, vr, g.a)
            continue
        if (vr == -1 or p.size != g.size or pa.size <= _AXPY_BLOCK or not pa.flags.c_contiguous
                or not g.a.flags.c_contiguous or np.may_share_memory(pa, g.a)):
            pw_cadd(p, p, v, g)
            continue
        # no FMA: pw_cadd's p + (v*g) with the product rounded first, in larger blocks
        pf, gf = pa.reshape(-1), g.a.reshape(-1)
        buf = _SCRATCH.get(pa.dtype)
        if buf is None or buf.size != _AXPY_BLOCK:
            buf = _SCRATCH[pa.dtype] = np.empty(_AXPY_BLOCK, pa.dtype)
        n = pf.size
        for i in range(0, n, _AXPY_BLOCK):
            j = min(i + _AXPY_BLOCK, n)
            b = buf[:j - i]
            _mul(gf[i:j], vr, b)
            _add(pf[i:j], b, pf[i:j])


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("nnp_") and callable(fn)}
