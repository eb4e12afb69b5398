"""Up-sampling: THNN's SpatialUpSamplingNearest (integer scale) and
SpatialUpSamplingBilinear (align-corners grid: source = dst * (in-1)/(out-1),
the ratio and positions computed in single precision as THNN does).
"""
import numpy as np

from ._common import (export, KernelError, lazyjit, size_desc, argcheck, check_dim_size,
                      check_float, check_same_dtype, as_c, check_out)

__all__ = [
    "upsampling_nearest2d_forward", "upsampling_nearest2d_backward",
    "upsampling_bilinear2d_forward", "upsampling_bilinear2d_backward",
]


@lazyjit
def _nearest_k(x, out, s):
    N, C, oH, oW = out.shape
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                for j in range(oW):
                    out[n, c, i, j] = x[n, c, i // s, j // s]


@lazyjit
def _nearest_bwd_k(go, gi, s):
    # THNN's loop: outer offset along the last (width) axis, inner along height
    N, C, H, W = gi.shape
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    acc = gi[n, c, i, j]
                    for b in range(s):
                        for a in range(s):
                            acc += go[n, c, s * i + a, s * j + b]
                    gi[n, c, i, j] = acc


@lazyjit
def _bilinear_k(x, out, h1, h1p, h0l, h1l, w1, w1p, w0l, w1l):
    N, C, H, W = x.shape
    oH, oW = out.shape[2], out.shape[3]
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                y = h1[i]
                yp = h1p[i]
                for j in range(oW):
                    xx = w1[j]
                    xp = w1p[j]
                    out[n, c, i, j] = (h0l[i] * (w0l[j] * x[n, c, y, xx]
                                                 + w1l[j] * x[n, c, y, xx + xp])
                                       + h1l[i] * (w0l[j] * x[n, c, y + yp, xx]
                                                   + w1l[j] * x[n, c, y + yp, xx + xp]))


@lazyjit
def _bilinear_bwd_k(go, gi, h1, h1p, h0l, h1l, w1, w1p, w0l, w1l):
    N, C, oH, oW = go.shape
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                y = h1[i]
                yp = h1p[i]
                for j in range(oW):
                    xx = w1[j]
                    xp = w1p[j]
                    g = go[n, c, i, j]
                    gi[n, c, y, xx] += h0l[i] * w0l[j] * g
                    gi[n, c, y, xx + xp] += h0l[i] * w1l[j] * g
                    gi[n, c, y + yp, xx] += h1l[i] * w0l[j] * g
                    gi[n, c, y + yp, xx + xp] += h1l[i] * w1l[j] * g


def _b4(a):
    return a if a.ndim == 4 else a[None]


# ---------------------------------------------------------------------------
# nearest

def _nearest_check(input, grad_output, s):
    check_float(input)
    argcheck(s > 1, 4, "scale_factor must be greater than 1, but got: %d" % s)
    argcheck(input.ndim in (3, 4), 2,
             "3D or 4D input tensor expected but got: %s" % size_desc(input.shape))
    if grad_output is not None:
        check_same_dtype(input, ("gradOutput", grad_output))
        nd = input.ndim
        osz = input.shape[:-2] + (input.shape[-2] * s, input.shape[-1] * s)
        for d in range(nd):
            check_dim_size(grad_output, "gradOutput", nd, d, osz[d])


def upsampling_nearest2d_forward(input, scale_factor, *, out=None):
    """SpatialUpSamplingNearest updateOutput: out[…,i,j] = in[…,i//s,j//s]."""
    s = scale_factor
    _nearest_check(input, None, s)
    oshape = input.shape[:-2] + (input.shape[-2] * s, input.shape[-1] * s)
    output = check_out(out, oshape, input.dtype)
    if output is None:
        output = np.empty(oshape, input.dtype)
    _nearest_k(as_c(_b4(input)), _b4(output), s)
    return output


def upsampling_nearest2d_backward(input, grad_output, scale_factor, *, out=None):
    """SpatialUpSamplingNearest updateGradInput: each input pixel sums its s*s block."""
    s = scale_factor
    _nearest_check(input, grad_output, s)
    gi = check_out(out, input.shape, input.dtype)
    if gi is None:
        gi = np.zeros(input.shape, input.dtype)
    else:
        gi.fill(0)
    _nearest_bwd_k(as_c(_b4(grad_output)), _b4(gi), s)
    return gi


# ---------------------------------------------------------------------------
# bilinear

def _bilinear_coeffs(isz, osz, dtype):
    """THNN's per-axis source index, +1 neighbour flag and the two weights.
    ratio and positions are float32; weights are converted to the tensor's real."""
    f = np.float32
    r = f(isz - 1) / f(osz - 1) if osz > 1 else f(0)
    pos = r * np.arange(osz, dtype=f)
    i1 = pos.astype(np.int64)           # C truncation
    if i1.max() > isz - 1:
        # cannot happen for sizes float32 represents; never read past the plane
        raise KernelError("bilinear source index out of range")
    ip = (i1 < isz - 1).astype(np.int64)
    l1 = (pos - i1.astype(f)).astype(dtype)
    l0 = (dtype.type(1) - l1).astype(dtype)
    return i1, ip, l0, l1


def _bilinear_check(N, C, H, W, oH, oW):
    argcheck(H > 0 and W > 0 and oH > 0 and oW > 0, 2,
             "input and output sizes should be greater than 0, but got input (H: %d, W: %d) "
             "output (H: %d, W: %d)" % (H, W, oH, oW))


def upsampling_bilinear2d_forward(input, oH, oW, *, out=None):
    """SpatialUpSamplingBilinear updateOutput. input must be 4-D (N,C,H,W) as in
    THNN (the nn module views 3-D input as a batch of one)."""
    check_float(input)
    if input.ndim < 4:
        # THNN reads size(0..3) before any check: TH's own error
        raise KernelError("dimension %d out of range of %dD tensor"
                          % (input.ndim + 1, input.ndim), 2)
    N, C, H, W = input.shape[:4]
    _bilinear_check(N, C, H, W, oH, oW)
    argcheck(input.ndim == 4, 2, "4D input tensor expected but got: %s"
             % size_desc(input.shape))
    output = check_out(out, (N, C, oH, oW), input.dtype)
    if output is None:
        output = np.empty((N, C, oH, oW), input.dtype)
    x = as_c(input)
    if H == oH and W == oW:
        output[...] = x   # THNN's plain copy for equal sizes
        return output
    dt = input.dtype
    hc = _bilinear_coeffs(H, oH, dt)
    wc = _bilinear_coeffs(W, oW, dt)
    _bilinear_k(x, output, *hc, *wc)
    return output


def upsampling_bilinear2d_backward(grad_output, N, C, H, W, oH, oW, *, out=None):
    """SpatialUpSamplingBilinear updateGradInput (THNN's argument order):
    gradInput (N,C,H,W)."""
    check_float(grad_output, "gradOutput")
    _bilinear_check(N, C, H, W, oH, oW)
    for d, sz in enumerate((N, C, oH, oW)):
        check_dim_size(grad_output, "gradOutput", 4, d, sz)
    gi = check_out(out, (N, C, H, W), grad_output.dtype)
    if gi is None:
        gi = np.zeros((N, C, H, W), grad_output.dtype)
    else:
        gi.fill(0)
    go = as_c(grad_output)
    if H == oH and W == oW:
        gi += go
        return gi
    dt = grad_output.dtype
    _bilinear_bwd_k(go, gi, *_bilinear_coeffs(H, oH, dt), *_bilinear_coeffs(W, oW, dt))
    return gi


export(globals())
