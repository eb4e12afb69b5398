"""nn.LogSoftMax over 2-D input and nn.ClassNLLCriterion, each pass in one
Lua->Python crossing.

LogSoftMax runs the very tensor operations its Lua method chain ran (the same
core functions: max, sum, exp, log, add/cmul/mul on expanded views, type
conversions for FloatTensor), so results are bit-identical.  ClassNLLCriterion
repeats the Lua loop in THNN's order with the same roundings (Lua numbers are
doubles; FloatTensor accumulates in float).  Irregular input (bad targets,
sizes) is answered with None: the Lua code then runs its own path and raises
Torch's error.
"""
import numpy as np

from .math_pointwise import pw_cadd, pw_cmul, pw_exp, pw_iadd, pw_log, pw_mul
from .math_reduce import red_max, red_sum
from .nn_pointwise import resize_to
from .tensor import Tensor
from .tensor_api import copy_into
from .types import DOUBLE


def _expand(t, like):
    """t:expandAs(like) for a t with size 1 where like is larger."""
    stride = tuple(0 if a != b else s for a, b, s in zip(t.size, like.size, t.stride))
    return Tensor(t.t, t.storage, t.offset, like.size, stride)


def _double(t):
    """t:double(): t itself when it is a DoubleTensor, else a converted copy."""
    return t if t.t is DOUBLE else t.clone(DOUBLE)


# -- LogSoftMax ----------------------------------------------------------------------------
def nnc_log_softmax_output(out, x, dim):
    maxv = red_max(None, None, x, dim)[0]
    c = x.clone()
    pw_cadd(c, c, -1, _expand(maxv, x))
    if x.t.dtype == np.float32:
        # THNN (float): the log-sum-exp and x - logsum in double, rounded once
        c = c.clone(DOUBLE)
        pw_exp(c, c)
        ls = red_sum(None, c, dim)[0]
        pw_log(ls, ls)
        pw_iadd(ls, maxv.clone(DOUBLE))
        xd = x.clone(DOUBLE)
        pw_cadd(xd, xd, -1, _expand(ls, xd))
        resize_to(out, x.size)
        copy_into(out, xd)
        return
    pw_exp(c, c)
    ls = red_sum(None, c, dim)[0]
    pw_log(ls, ls)
    pw_iadd(ls, maxv)
    resize_to(out, x.size)
    copy_into(out, x)
    pw_cadd(out, out, -1, _expand(ls, x))


def nnc_log_softmax_grad_input(gi, y, go, dim):
    """gradInput = g - exp(y) * sum(g)"""
    if y.t.dtype == np.float32:
        # THNN (float): in double, rounded once
        g = _double(go)
        total = red_sum(None, g, dim)[0]
        e = y.clone(DOUBLE)
        pw_exp(e, e)
        pw_cmul(e, e, _expand(total, g))
        pw_mul(e, e, -1)
        pw_iadd(e, g)
        resize_to(gi, y.size)
        copy_into(gi, e)
        return
    total = red_sum(None, go, dim)[0]
    resize_to(gi, y.size)
    copy_into(gi, y)
    pw_exp(gi, gi)
    pw_cmul(gi, gi, _expand(total, y))
    pw_mul(gi, gi, -1)
    pw_iadd(gi, go)


# -- ClassNLLCriterion ---------------------------------------------------------------------
def _counted(x, target, weights, ignore):
    """[(row, class)] (0-based) of the counted samples, in order; None when the
    targets are irregular (the Lua code raises the error)."""
    if not target.size or target.dim() > 1 or x.dim() > 2 or not x.size:
        return None
    if weights is not None and weights.nelement() != x.size[-1]:
        return None
    t = target.a
    n = 1 if x.dim() == 1 else x.size[0]
    if x.dim() == 2 and t.size != n:
        return None
    ncls = x.size[-1]
    out = []
    for i, c in enumerate(t[:n].tolist()):
        if c != ignore:
            if not 1 <= c <= ncls:
                return None
            out.append((i, c - 1))
    return out


def nnc_class_nll_output(x, target, weights, size_average, ignore):
    """(loss, total weight), or None for irregular targets."""
    lst = _counted(x, target, weights, ignore)
    if lst is None:
        return None
    rows = x.a.reshape(1, -1) if x.dim() == 1 else x.a
    w = weights.a.tolist() if weights is not None else None
    if x.t.dtype == np.float32:
        f32 = np.float32

        def rnd(v):
            return float(f32(v))
    else:
        def rnd(v):
            return v
    out, total = 0.0, 0.0
    for i, c in lst:
        cw = float(w[c]) if w is not None else 1
        total = rnd(total + cw)
        out = rnd(out - rnd(float(rows[i, c]) * cw))
    if size_average and total != 0:
        out = rnd(out / total)
    return out, total


def nnc_class_nll_grad_input(gi, x, target, weights, size_average, ignore, total):
    """gradInput: zeros, and -weight (over the total weight for averaged batches)
    at each counted target.  False for irregular targets (nothing written)."""
    lst = _counted(x, target, weights, ignore)
    if lst is None:
        return False
    resize_to(gi, x.size)
    a = gi.a
    a.fill(0)
    if not total > 0 or not lst:
        return True
    rows = a.reshape(1, -1) if x.dim() == 1 else a
    w = weights.a.tolist() if weights is not None else None
    for i, c in lst:
        if x.dim() == 1:
            v = -w[c] if (not size_average and w is not None) else -1
        else:
            v = -(w[c] if w is not None else 1)
            if size_average and total != 0:
                v = v / total
        rows[i, c] = v
    return True


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("nnc_") and callable(fn)}
