"""SpatialCrossMapLRN: the CPU path of nn (written in Lua upstream), reproduced
operation by operation so float32 and float64 results round the same way:
a running sum of squares across channels (add the entering channel, subtract
the leaving one), ``scale = k + scale * (alpha/size)``, ``output =
scale^-beta * input``; and the upstream backward with its padded ratio buffer.

Lua's float arithmetic on ``size`` is kept: for an even size the channel
indices are truncated as Torch's select/narrow do, and the cases where Torch
raises ``out of range`` raise the same.
"""
import math

import numpy as np

from ._common import (export, KernelError, lazyjit, size_desc, check_float, check_same_dtype,
                      as_c)

__all__ = ["cross_map_lrn_forward", "cross_map_lrn_backward", "th_pow"]


@lazyjit
def _lrn_scale_k(sq, scale, nfirst, addi, subi):
    N, C, H, W = sq.shape
    for n in range(N):
        for h in range(H):
            for w in range(W):
                s = sq.dtype.type(0)
                for c in range(nfirst):
                    s += sq[n, c, h, w]
                scale[n, 0, h, w] = s
                for c in range(1, C):
                    if addi[c] >= 0:
                        s = s + sq[n, addi[c], h, w]
                    if subi[c] >= 0:
                        s = s - sq[n, subi[c], h, w]
                    scale[n, c, h, w] = s


@lazyjit
def _lrn_bwd_k(x, go, out, scale, gi, size, off, value, acc64):
    # gi holds scale^-beta * gradOutput on entry
    N, C, H, W = x.shape
    pad = np.zeros(C + size - 1, x.dtype)
    for n in range(N):
        for h in range(H):
            for w in range(W):
                for c in range(C):
                    pad[off + c] = go[n, c, h, w] * out[n, c, h, w] / scale[n, c, h, w]
                if acc64:
                    # TH's sum over a stride-1 dimension accumulates in double
                    s64 = 0.0
                    for c in range(size - 1):
                        s64 += pad[c]
                    acc = x.dtype.type(s64)
                else:
                    acc = x.dtype.type(0)
                    for c in range(size - 1):
                        acc = acc + pad[c]
                for c in range(C):
                    acc = acc + pad[c + size - 1]
                    gi[n, c, h, w] += value * x[n, c, h, w] * acc
                    acc = acc - pad[c]


def th_pow(x, value):
    """THTensor_(pow): value converted to the tensor's real, with TH's special
    cases (1, 2, 3, 0.5, -0.5, -1, -2) computed the way TH computes them."""
    v = x.dtype.type(value)
    one = x.dtype.type(1)
    if v == 1:
        return x.copy()
    if v == 2:
        return x * x
    if v == 3:
        return x * x * x
    if v == 0.5:
        return np.sqrt(x)
    if v == -0.5:
        return one / np.sqrt(x)
    if v == -1:
        return one / x
    if v == -2:
        return one / (x * x)
    # C's pow()/powf() from libm, element by element (NumPy's own float32
    # power may round differently)
    src = np.ascontiguousarray(x)
    out = np.empty_like(src)
    _pow_scalar_k(src.reshape(-1), v, out.reshape(-1))
    return out


@lazyjit
def _pow_scalar_k(a, p, out):
    # powf for float32 elements and a float32 exponent, pow for float64
    for i in range(a.shape[0]):
        out[i] = math.pow(a[i], p)


def _lua_long(v):
    # luaL_checklong on LuaJIT/x64: C truncation of the double
    return int(math.trunc(v))


def _check_input(input, name="input"):
    check_float(input, name)
    if input.ndim not in (3, 4):
        raise KernelError("Input must be 3D or 4D")


def _forward_plan(C, size):
    pre = (size - 1) / 2 + 1
    crop = C if pre > C else pre
    nfirst = max(0, math.floor(crop))
    addi = np.full(C, -1, np.int64)
    subi = np.full(C, -1, np.int64)
    for c in range(2, C + 1):
        if c < C - pre + 2:
            i = _lua_long(c + pre - 1) - 1
            if not 0 <= i < C:
                raise KernelError("out of range", 3)
            addi[c - 1] = i
        if c > pre:
            i = _lua_long(c - pre) - 1
            if not 0 <= i < C:
                raise KernelError("out of range", 3)
            subi[c - 1] = i
    return nfirst, addi, subi


def cross_map_lrn_forward(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Returns (output, scale), both with input's shape ((C,H,W) or (N,C,H,W))."""
    _check_input(input)
    x = as_c(input if input.ndim == 4 else input[None])
    C = x.shape[1]
    nfirst, addi, subi = _forward_plan(C, size)
    real = x.dtype.type
    sq = x * x
    scale = np.empty_like(x)
    _lrn_scale_k(sq, scale, nfirst, addi, subi)
    scale *= real(alpha / size)
    scale += real(k)
    output = th_pow(scale, -beta)
    output *= x
    if input.ndim == 3:
        return output[0], scale[0]
    return output, scale


def cross_map_lrn_backward(input, grad_output, scale, output, size, alpha=1e-4, beta=0.75,
                           k=1.0):
    """gradInput of SpatialCrossMapLRN given forward's ``scale`` and ``output``."""
    _check_input(input)
    check_same_dtype(input, ("gradOutput", grad_output), ("scale", scale),
                     ("output", output))
    if input.ndim == 3:
        # the nn module keeps scale (and may keep output) with the singleton batch dim
        scale = scale[0] if scale.shape == (1,) + input.shape else scale
        output = output[0] if output.shape == (1,) + input.shape else output
    for name, a in (("gradOutput", grad_output), ("scale", scale), ("output", output)):
        if a.shape != input.shape:
            raise KernelError("%s of shape %s does not match input %s"
                              % (name, size_desc(a.shape), size_desc(input.shape)))
    b = (lambda a: as_c(a)) if input.ndim == 4 else (lambda a: as_c(a)[None])
    x, go, sc, out = b(input), b(grad_output), b(scale), b(output)
    N, C, H, W = x.shape
    plen = C + size - 1
    # paddedRatio:narrow(1, inversePrePad, C) and narrow(1, 1, size-1), as Torch checks them
    first = _lua_long(size - (size - 1) / 2) - 1
    if plen < 1:
        raise KernelError("out of range", 2)
    if not 0 <= first < plen:
        raise KernelError("out of range", 3)
    if not (C > 0 and first <= plen - C):
        raise KernelError("out of range", 4)
    if not size - 1 > 0:
        raise KernelError("out of range", 4)
    real = x.dtype.type
    gi = th_pow(sc, -beta)
    gi *= go
    value = real(-(2 * alpha * beta / size))
    _lrn_bwd_k(x, go, out, sc, gi, size, first, value, H * W == 1)
    return gi if input.ndim == 4 else gi[0]


export(globals())
