"""Spatial pooling: THNN's SpatialMaxPooling / SpatialDilatedMaxPooling,
SpatialAveragePooling, SpatialAdaptiveMaxPooling, SpatialAdaptiveAveragePooling
and SpatialMaxUnpooling.

Index conventions (as THNN stores them, Lua-visible, 1-based):
- max pooling: int64, same shape as the output, the flat position
  ``y*W + x + 1`` of the maximum inside its (H, W) input plane; 0 when the window
  held no value greater than -inf.
- adaptive max pooling: int64 of shape (2, N, C, oH, oW) (or (2, C, oH, oW)):
  [0] is the row, [1] the column of the maximum, 1-based and relative to the
  start of the pooling window.
Helpers accept 3-D (C,H,W) or 4-D (N,C,H,W) input and answer in kind.
"""

import numpy as np

from ._common import (export, KernelError, lazyjit, size_desc, argcheck, check_dim_size,
                      check_float, check_same_dtype, check_indices, check_shape_indices,
                      as_c, pool_out_size, pool_last_window_fix, check_out, out_buffer)

__all__ = [
    "max_pool2d_output_size", "max_pool2d_forward", "max_pool2d_backward",
    "avg_pool2d_output_size", "avg_pool2d_forward", "avg_pool2d_backward",
    "adaptive_max_pool2d_forward", "adaptive_max_pool2d_backward",
    "adaptive_avg_pool2d_forward", "adaptive_avg_pool2d_backward",
    "max_unpool2d_forward", "max_unpool2d_backward",
]

_FLT_MAX = 3.4028234663852886e38


# ---------------------------------------------------------------------------
# kernels

# The max-pooling kernels walk flat C-contiguous views with unsigned offsets
# (no per-access negative-index check in Numba).

@lazyjit
def _maxpool2d_k(x, out, ind, kH, kW, dH, dW, pH, pW, dilH, dilW):
    N, C, H, W = x.shape
    oH, oW = out.shape[2], out.shape[3]
    src = x.reshape(-1)
    dst = out.reshape(-1)
    idx = ind.reshape(-1)
    for p in range(N * C):
        base = p * H * W
        o = p * oH * oW
        for i in range(oH):
            hs = i * dH - pH
            he = min(hs + (kH - 1) * dilH + 1, H)
            while hs < 0:
                hs += dilH
            for j in range(oW):
                ws = j * dW - pW
                we = min(ws + (kW - 1) * dilW + 1, W)
                while ws < 0:
                    ws += dilW
                best = -np.inf
                bi = -1
                if dilH == 1 and dilW == 1:
                    # (a stepped range costs a division per window)
                    for y in range(hs, he):
                        r = y * W
                        for xx in range(ws, we):
                            v = src[np.uint64(base + r + xx)]
                            # strict '>' : NaN never wins, first maximum kept
                            if v > best:
                                best = v
                                bi = r + xx
                else:
                    for y in range(hs, he, dilH):
                        r = y * W
                        for xx in range(ws, we, dilW):
                            v = src[np.uint64(base + r + xx)]
                            if v > best:
                                best = v
                                bi = r + xx
                dst[np.uint64(o + j)] = best
                idx[np.uint64(o + j)] = bi + 1
            o += oW


@lazyjit
def _maxpool2d_bwd_k(go, ind, gi):
    # returns the number of indices that point outside the plane (not applied)
    N, C, oH, oW = go.shape
    H, W = gi.shape[2], gi.shape[3]
    src = go.reshape(-1)
    idx = ind.reshape(-1)
    dst = gi.reshape(-1)
    HW = H * W
    P = oH * oW
    bad = 0
    for p in range(N * C):
        base = p * HW
        o = p * P
        for k in range(P):
            q = idx[np.uint64(o + k)] - 1
            if q == -1:
                continue
            if q < 0 or q >= HW:
                bad += 1
                continue
            dst[np.uint64(base + q)] += src[np.uint64(o + k)]
    return bad


@lazyjit
def _avgpool2d_k(x, out, kH, kW, dH, dW, pH, pW, count_include_pad):
    N, C, H, W = x.shape
    oH, oW = out.shape[2], out.shape[3]
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                for j in range(oW):
                    hs = i * dH - pH
                    ws = j * dW - pW
                    he = min(hs + kH, H + pH)
                    we = min(ws + kW, W + pW)
                    pool = (he - hs) * (we - ws)
                    hs = max(hs, 0)
                    ws = max(ws, 0)
                    he = min(he, H)
                    we = min(we, W)
                    s = x.dtype.type(0)
                    div = pool if count_include_pad else (he - hs) * (we - ws)
                    for y in range(hs, he):
                        for xx in range(ws, we):
                            s += x[n, c, y, xx]
                    out[n, c, i, j] = s / x.dtype.type(div)


@lazyjit
def _avgpool2d_bwd_k(go, gi, kH, kW, dH, dW, pH, pW, count_include_pad):
    N, C, oH, oW = go.shape
    H, W = gi.shape[2], gi.shape[3]
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                for j in range(oW):
                    hs = i * dH - pH
                    ws = j * dW - pW
                    he = min(hs + kH, H + pH)
                    we = min(ws + kW, W + pW)
                    pool = (he - hs) * (we - ws)
                    hs = max(hs, 0)
                    ws = max(ws, 0)
                    he = min(he, H)
                    we = min(we, W)
                    div = pool if count_include_pad else (he - hs) * (we - ws)
                    g = go[n, c, i, j] / gi.dtype.type(div)
                    for y in range(hs, he):
                        for xx in range(ws, we):
                            gi[n, c, y, xx] += g


@lazyjit
def _adamax_k(x, out, ind, ys, ye, xs, xe):
    # ind (2, N, C, oH, oW): [0] row, [1] column, 1-based within the window
    N, C = x.shape[0], x.shape[1]
    oH, oW = out.shape[2], out.shape[3]
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                for j in range(oW):
                    kw = xe[j] - xs[j]
                    best = -3.4028234663852886e38  # -FLT_MAX, as THNN
                    bi = -1
                    t = 0
                    for y in range(ys[i], ye[i]):
                        for xx in range(xs[j], xe[j]):
                            v = x[n, c, y, xx]
                            if v > best:
                                best = v
                                bi = t
                            t += 1
                    out[n, c, i, j] = best
                    if bi >= 0:
                        ind[0, n, c, i, j] = bi // kw + 1
                        ind[1, n, c, i, j] = bi % kw + 1
                    else:
                        # C's truncating -1/kW and -1%kW
                        if kw == 1:
                            ind[0, n, c, i, j] = 0
                            ind[1, n, c, i, j] = 1
                        else:
                            ind[0, n, c, i, j] = 1
                            ind[1, n, c, i, j] = 0


@lazyjit
def _adamax_bwd_k(go, ind, gi, ys, xs):
    N, C, oH, oW = go.shape
    H, W = gi.shape[2], gi.shape[3]
    bad = 0
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                for j in range(oW):
                    y = ind[0, n, c, i, j] - 1 + ys[i]
                    xx = ind[1, n, c, i, j] - 1 + xs[j]
                    if y < 0 or y >= H or xx < 0 or xx >= W:
                        bad += 1
                        continue
                    gi[n, c, y, xx] += go[n, c, i, j]
    return bad


@lazyjit
def _adaavg_k(x, out, ys, ye, xs, xe):
    N, C = x.shape[0], x.shape[1]
    oH, oW = out.shape[2], out.shape[3]
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                kh = x.dtype.type(ye[i] - ys[i])
                for j in range(oW):
                    kw = x.dtype.type(xe[j] - xs[j])
                    s = x.dtype.type(0)
                    for y in range(ys[i], ye[i]):
                        for xx in range(xs[j], xe[j]):
                            s += x[n, c, y, xx]
                    out[n, c, i, j] = s / kw / kh


@lazyjit
def _adaavg_bwd_k(go, gi, ys, ye, xs, xe):
    N, C, oH, oW = go.shape
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                kh = gi.dtype.type(ye[i] - ys[i])
                for j in range(oW):
                    kw = gi.dtype.type(xe[j] - xs[j])
                    for y in range(ys[i], ye[i]):
                        for xx in range(xs[j], xe[j]):
                            gi[n, c, y, xx] += go[n, c, i, j] / kw / kh


@lazyjit
def _unpool2d_k(x, ind, out):
    # Returns (sample, index) of THNN's reported error, or (-1, 0): THNN finishes
    # the faulty sample, keeps the last bad index seen, then stops.
    N, C, H, W = x.shape
    oH, oW = out.shape[2], out.shape[3]
    for n in range(N):
        err = False
        eidx = 0
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    p = ind[n, c, i, j] - 1
                    if p < 0 or p >= oH * oW:
                        err = True
                        eidx = p
                    else:
                        out[n, c, p // oW, p % oW] = x[n, c, i, j]
        if err:
            return n, eidx
    return -1, 0


@lazyjit
def _unpool2d_bwd_k(go, ind, gi):
    # Returns the first bad index (THNN stops there) as (found, index).
    N, C, H, W = gi.shape
    oH, oW = go.shape[2], go.shape[3]
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    p = ind[n, c, i, j] - 1
                    if p < 0 or p >= oH * oW:
                        return True, p
                    gi[n, c, i, j] = go[n, c, p // oW, p % oW]
    return False, 0


# ---------------------------------------------------------------------------
# helpers

def _b4(a):
    return a if a.ndim == 4 else a[None]


def _new(shape, dtype, out, name="out", zero=False):
    return out_buffer(out, shape, dtype, name, zero)


def _go_check(grad_output, ndim, dimf, nplanes, oH, oW, input, name="gradOutput"):
    check_dim_size(grad_output, name, ndim, dimf, nplanes)
    check_dim_size(grad_output, name, ndim, dimf + 1, oH)
    check_dim_size(grad_output, name, ndim, dimf + 2, oW)
    if ndim == 4 and grad_output.shape[0] != input.shape[0]:
        raise KernelError("%s has %d samples but input has %d"
                          % (name, grad_output.shape[0], input.shape[0]))


# ---------------------------------------------------------------------------
# SpatialMaxPooling / SpatialDilatedMaxPooling

def max_pool2d_output_size(H, W, kH, kW, dH, dW, padH=0, padW=0, dilH=1, dilW=1,
                           ceil_mode=False):
    oH = pool_out_size(H, dilH * (kH - 1) + 1, padH, dH, ceil_mode)
    oW = pool_out_size(W, dilW * (kW - 1) + 1, padW, dW, ceil_mode)
    anyp = bool(padW or padH)
    return (pool_last_window_fix(oH, H, padH, dH, anyp),
            pool_last_window_fix(oW, W, padW, dW, anyp))


def _maxpool_check(input, grad_output, indices, kH, kW, dH, dW, padH, padW,
                   dilH, dilW, ceil_mode):
    check_float(input)
    check_same_dtype(input, ("gradOutput", grad_output))
    argcheck(kW > 0 and kH > 0, 5,
             "kernel size should be greater than zero, but got kH: %d kW: %d" % (kH, kW))
    argcheck(dW > 0 and dH > 0, 8,
             "stride should be greater than zero, but got dH: %d dW: %d" % (dH, dW))
    argcheck(dilH > 0 and dilW > 0, 12,
             "dilation should be greater than zero, but got dilationH: %d dilationW: %d"
             % (dilH, dilW))
    ndim = input.ndim
    argcheck(ndim in (3, 4), 2,
             "3D or 4D input tensor expected but got: %s" % size_desc(input.shape))
    argcheck(kW // 2 >= padW and kH // 2 >= padH, 2,
             "pad should be smaller than half of kernel size, but got "
             "padW = %d, padH = %d, kW = %d, kH = %d" % (padW, padH, kW, kH))
    dimf = ndim - 3
    C, H, W = input.shape[dimf:]
    oH, oW = max_pool2d_output_size(H, W, kH, kW, dH, dW, padH, padW, dilH, dilW, ceil_mode)
    if oW < 1 or oH < 1:
        raise KernelError("Given input size: (%dx%dx%d). Calculated output size: (%dx%dx%d). "
                          "Output size is too small" % (C, H, W, C, oH, oW))
    if grad_output is not None:
        _go_check(grad_output, ndim, dimf, C, oH, oW, input)
    if indices is not None:
        check_indices(indices)
        _go_check(indices, ndim, dimf, C, oH, oW, input, "indices")
    return oH, oW


def max_pool2d_forward(input, kW, kH, dW, dH, padW=0, padH=0, dilW=1, dilH=1,
                       ceil_mode=False, *, out=None, indices=None):
    """SpatialMaxPooling / SpatialDilatedMaxPooling updateOutput.
    Returns (output, indices); indices int64, flat 1-based position in the plane."""
    oH, oW = _maxpool_check(input, None, None, kH, kW, dH, dW, padH, padW, dilH, dilW,
                            ceil_mode)
    x4 = as_c(_b4(input))
    oshape = input.shape[:-2] + (oH, oW)
    output = _new(oshape, input.dtype, out)
    ind = _new(oshape, np.int64, indices, "indices")
    _maxpool2d_k(x4, _b4(output), _b4(ind), kH, kW, dH, dW, padH, padW, dilH, dilW)
    return output, ind


def max_pool2d_backward(input, grad_output, indices, kW, kH, dW, dH, padW=0, padH=0,
                        dilW=1, dilH=1, ceil_mode=False, *, out=None):
    """SpatialMaxPooling / SpatialDilatedMaxPooling updateGradInput."""
    _maxpool_check(input, grad_output, indices, kH, kW, dH, dW, padH, padW, dilH, dilW,
                   ceil_mode)
    gi = _new(input.shape, input.dtype, out, zero=True)
    bad = _maxpool2d_bwd_k(as_c(_b4(grad_output)), as_c(_b4(indices)), _b4(gi))
    if bad:
        raise KernelError("found %d invalid max indices (outside the %dx%d input planes)"
                          % (bad, input.shape[-2], input.shape[-1]))
    return gi


# ---------------------------------------------------------------------------
# SpatialAveragePooling

def avg_pool2d_output_size(H, W, kH, kW, dH, dW, padH=0, padW=0, ceil_mode=False):
    return max_pool2d_output_size(H, W, kH, kW, dH, dW, padH, padW, 1, 1, ceil_mode)


def _avgpool_check(input, grad_output, kH, kW, dH, dW, padH, padW, ceil_mode):
    check_float(input)
    check_same_dtype(input, ("gradOutput", grad_output))
    argcheck(kW > 0 and kH > 0, 5,
             "kernel size should be greater than zero, but got kH: %d kW: %d" % (kH, kW))
    argcheck(dW > 0 and dH > 0, 8,
             "stride should be greater than zero, but got dH: %d dW: %d" % (dH, dW))
    ndim = input.ndim
    argcheck(ndim in (3, 4), 2,
             "3D or 4D input tensor expected but got: %s" % size_desc(input.shape))
    argcheck(kW // 2 >= padW and kH // 2 >= padH, 2,
             "pad should be smaller than half of kernel size, but got "
             "padW = %d, padH = %d, kW = %d, kH = %d" % (padW, padH, kW, kH))
    dimf = ndim - 3
    C, H, W = input.shape[dimf:]
    oH, oW = avg_pool2d_output_size(H, W, kH, kW, dH, dW, padH, padW, ceil_mode)
    if oW < 1 or oH < 1:
        raise KernelError("Given input size: (%dx%dx%d). Calculated output size: (%dx%dx%d). "
                          "Output size is too small" % (C, H, W, C, oH, oW))
    if grad_output is not None:
        _go_check(grad_output, ndim, dimf, C, oH, oW, input)
    return oH, oW


def avg_pool2d_forward(input, kW, kH, dW, dH, padW=0, padH=0, ceil_mode=False,
                       count_include_pad=True, *, out=None):
    """SpatialAveragePooling updateOutput (window sum in the tensor's precision,
    divided by the int window size as THNN does)."""
    oH, oW = _avgpool_check(input, None, kH, kW, dH, dW, padH, padW, ceil_mode)
    output = _new(input.shape[:-2] + (oH, oW), input.dtype, out)
    _avgpool2d_k(as_c(_b4(input)), _b4(output), kH, kW, dH, dW, padH, padW,
                 bool(count_include_pad))
    return output


def avg_pool2d_backward(input, grad_output, kW, kH, dW, dH, padW=0, padH=0,
                        ceil_mode=False, count_include_pad=True, *, out=None):
    """SpatialAveragePooling updateGradInput."""
    _avgpool_check(input, grad_output, kH, kW, dH, dW, padH, padW, ceil_mode)
    gi = _new(input.shape, input.dtype, out, zero=True)
    _avgpool2d_bwd_k(as_c(_b4(grad_output)), _b4(gi), kH, kW, dH, dW, padH, padW,
                     bool(count_include_pad))
    return gi


# ---------------------------------------------------------------------------
# adaptive pooling

def _adaptive_max_bounds(isz, osz):
    # THNN: (int)floor((float)i / osz * isz), (int)ceil((float)(i+1) / osz * isz)
    f = np.float32
    i = np.arange(osz, dtype=f)
    s = np.floor(i / f(osz) * f(isz)).astype(np.int64)
    e = np.ceil((i + f(1)) / f(osz) * f(isz)).astype(np.int64)
    return s, e


def _adaptive_avg_bounds(isz, osz):
    # THNN: floor((float)(a*c) / b), ceil((float)((a+1)*c) / b)
    f = np.float32
    a = np.arange(osz, dtype=np.int64)
    s = np.floor((a * isz).astype(f) / f(osz)).astype(np.int64)
    e = np.ceil(((a + 1) * isz).astype(f) / f(osz)).astype(np.int64)
    return s, e


def _check_bounds(s, e, isz):
    # the float formulas stay inside the plane for any sane size; make sure
    if len(s) and (s.min() < 0 or e.max() > isz or (e < s).any()):
        raise KernelError("adaptive pooling windows fall outside the input")


def _adaptive_input_check(input, what="3D or 4D (batch mode) tensor expected for input, "
                                     "but got: %s"):
    check_float(input)
    argcheck(input.ndim in (3, 4), 2, what % size_desc(input.shape))


def _adaptive_go_check(input, grad_output):
    # THNN takes oH, oW from gradOutput without further checks
    check_same_dtype(input, ("gradOutput", grad_output))
    if grad_output.ndim != input.ndim or grad_output.shape[:-2] != input.shape[:-2]:
        raise KernelError("gradOutput of shape %s does not match input %s"
                          % (size_desc(grad_output.shape), size_desc(input.shape)))


def adaptive_max_pool2d_forward(input, oW, oH, *, out=None, indices=None):
    """SpatialAdaptiveMaxPooling updateOutput -> (output, indices(2,[N,]C,oH,oW))."""
    _adaptive_input_check(input)
    if oW < 1 or oH < 1:
        raise KernelError("output size should be greater than zero, but got oH: %d oW: %d"
                          % (oH, oW))
    H, W = input.shape[-2:]
    ys, ye = _adaptive_max_bounds(H, oH)
    xs, xe = _adaptive_max_bounds(W, oW)
    _check_bounds(ys, ye, H)
    _check_bounds(xs, xe, W)
    oshape = input.shape[:-2] + (oH, oW)
    output = _new(oshape, input.dtype, out)
    ind = check_out(indices, (2,) + oshape, np.int64, "indices")
    if ind is None:
        ind = np.empty((2,) + oshape, np.int64)
    ind5 = ind if input.ndim == 4 else ind[:, None]
    _adamax_k(as_c(_b4(input)), _b4(output), ind5, ys, ye, xs, xe)
    return output, ind


def adaptive_max_pool2d_backward(input, grad_output, indices, *, out=None):
    """SpatialAdaptiveMaxPooling updateGradInput."""
    _adaptive_input_check(input)
    _adaptive_go_check(input, grad_output)
    check_indices(indices)
    if indices.shape != (2,) + grad_output.shape:
        raise KernelError("indices of shape %s do not match gradOutput %s"
                          % (size_desc(indices.shape), size_desc(grad_output.shape)))
    H, W = input.shape[-2:]
    oH, oW = grad_output.shape[-2:]
    ys, _ = _adaptive_max_bounds(H, oH)
    xs, _ = _adaptive_max_bounds(W, oW)
    gi = _new(input.shape, input.dtype, out, zero=True)
    ind = as_c(indices)
    ind5 = ind if input.ndim == 4 else ind[:, None]
    bad = _adamax_bwd_k(as_c(_b4(grad_output)), ind5, _b4(gi), ys, xs)
    if bad:
        raise KernelError("found %d invalid max indices (outside the %dx%d input planes)"
                          % (bad, H, W))
    return gi


def adaptive_avg_pool2d_forward(input, oW, oH, *, out=None):
    """SpatialAdaptiveAveragePooling updateOutput (sum / kW / kH in the tensor's
    precision)."""
    _adaptive_input_check(input)
    if oW < 1 or oH < 1:
        raise KernelError("output size should be greater than zero, but got oH: %d oW: %d"
                          % (oH, oW))
    H, W = input.shape[-2:]
    ys, ye = _adaptive_avg_bounds(H, oH)
    xs, xe = _adaptive_avg_bounds(W, oW)
    _check_bounds(ys, ye, H)
    _check_bounds(xs, xe, W)
    output = _new(input.shape[:-2] + (oH, oW), input.dtype, out)
    _adaavg_k(as_c(_b4(input)), _b4(output), ys, ye, xs, xe)
    return output


def adaptive_avg_pool2d_backward(input, grad_output, *, out=None):
    """SpatialAdaptiveAveragePooling updateGradInput (oH, oW from gradOutput)."""
    _adaptive_input_check(input)
    _adaptive_go_check(input, grad_output)
    H, W = input.shape[-2:]
    oH, oW = grad_output.shape[-2:]
    ys, ye = _adaptive_avg_bounds(H, oH)
    xs, xe = _adaptive_avg_bounds(W, oW)
    _check_bounds(ys, ye, H)
    _check_bounds(xs, xe, W)
    gi = _new(input.shape, input.dtype, out, zero=True)
    _adaavg_bwd_k(as_c(_b4(grad_output)), _b4(gi), ys, ye, xs, xe)
    return gi


# ---------------------------------------------------------------------------
# SpatialMaxUnpooling

def max_unpool2d_forward(input, indices, oW, oH, *, out=None):
    """SpatialMaxUnpooling updateOutput: output (…, oH, oW) zero except at the
    1-based flat positions ``indices`` (as produced by max_pool2d_forward)."""
    check_float(input)
    argcheck(input.ndim in (3, 4), 2,
             "3D or 4D (batch mode) tensor expected for input, but got: %s"
             % size_desc(input.shape))
    check_indices(indices)
    check_shape_indices(input, indices)
    if oW < 1 or oH < 1:
        raise KernelError("output size should be greater than zero, but got oH: %d oW: %d"
                          % (oH, oW))
    output = _new(input.shape[:-2] + (oH, oW), input.dtype, out, zero=True)
    n, e = _unpool2d_k(as_c(_b4(input)), as_c(_b4(indices)), _b4(output))
    if n >= 0:
        raise KernelError("found an invalid max index %d (output volumes are of size %dx%d)"
                          % (e, oH, oW))
    return output


def max_unpool2d_backward(input, grad_output, indices, oW, oH, *, out=None):
    """SpatialMaxUnpooling updateGradInput: gradInput = gradOutput at indices."""
    check_float(input)
    check_same_dtype(input, ("gradOutput", grad_output))
    check_indices(indices)
    check_shape_indices(input, indices)
    argcheck(input.ndim in (3, 4), 2,
             "3D or 4D (batch mode) tensor expected for input, but got: %s"
             % size_desc(input.shape))
    if grad_output.ndim < 2 or oW != grad_output.shape[-1] or oH != grad_output.shape[-2]:
        gh = grad_output.shape[-2] if grad_output.ndim >= 2 else 0
        gw = grad_output.shape[-1] if grad_output.ndim >= 1 else 0
        raise KernelError("Inconsistent gradOutput size. oheight= %d, owidth= %d, "
                          "gradOutput: %dx%d" % (oH, oW, gh, gw))
    if grad_output.shape[:-2] != input.shape[:-2]:
        raise KernelError("gradOutput of shape %s does not match input %s"
                          % (size_desc(grad_output.shape), size_desc(input.shape)))
    gi = _new(input.shape, input.dtype, out, zero=True)
    found, p = _unpool2d_bwd_k(as_c(_b4(grad_output)), as_c(_b4(indices)), _b4(gi))
    if found:
        raise KernelError("invalid max index %d, owidth= %d, oheight= %d" % (p, oW, oH))
    return gi


export(globals())
