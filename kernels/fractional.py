"""Fractional max pooling: THNN's SpatialFractionalMaxPooling and
VolumetricFractionalMaxPooling, driven by caller-supplied random samples (the
nn modules draw them with ``uniform()`` on the Lua side).

Layouts follow THNN's own dimension names:
- spatial: input (N,C,H,W) or (C,H,W); samples (N,C,2) or (C,2) holding
  [W sample, H sample]; indices int64 (…, oH, oW), 1-based flat position
  ``h*W + w + 1`` in the plane.
- volumetric: input (N,C,H,W,T) or (C,H,W,T) -- THNN calls dim 2 of a batch
  "height", dim 3 "width", dim 4 "time"; samples (…,3) holding [T, W, H];
  output (…, oH, oW, oT); indices 1-based ``(h*W + w)*T + t + 1``.
"""
import numpy as np

from ._common import (export, KernelError, lazyjit, size_desc, argcheck, check_float,
                      check_same_dtype, check_indices, as_c, check_out)

__all__ = [
    "fractional_intervals",
    "fractional_max_pool2d_forward", "fractional_max_pool2d_backward",
    "fractional_max_pool3d_forward", "fractional_max_pool3d_backward",
]


@lazyjit
def _frac2d_k(x, out, ind, seqh, seqw, ph, pw):
    # returns False if a window held nothing above -inf (THNN's THAssert)
    N, C, H, W = x.shape
    oH, oW = out.shape[2], out.shape[3]
    ok = True
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                h0 = seqh[n, c, i]
                for j in range(oW):
                    w0 = seqw[n, c, j]
                    best = -np.inf
                    bi = -1
                    for h in range(h0, h0 + ph):
                        for w in range(w0, w0 + pw):
                            v = x[n, c, h, w]
                            if v > best:
                                best = v
                                bi = h * W + w
                    if bi == -1:
                        ok = False
                    out[n, c, i, j] = best
                    ind[n, c, i, j] = bi + 1
    return ok


@lazyjit
def _frac3d_k(x, out, ind, seqh, seqw, seqt, ph, pw, pt):
    N, C, H, W, T = x.shape
    oH, oW, oT = out.shape[2], out.shape[3], out.shape[4]
    ok = True
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                h0 = seqh[n, c, i]
                for j in range(oW):
                    w0 = seqw[n, c, j]
                    for k in range(oT):
                        t0 = seqt[n, c, k]
                        best = -np.inf
                        bi = -1
                        for h in range(h0, h0 + ph):
                            for w in range(w0, w0 + pw):
                                for t in range(t0, t0 + pt):
                                    v = x[n, c, h, w, t]
                                    if v > best:
                                        best = v
                                        bi = (h * W + w) * T + t
                        if bi == -1:
                            ok = False
                        out[n, c, i, j, k] = best
                        ind[n, c, i, j, k] = bi + 1
    return ok


@lazyjit
def _frac_bwd_k(go, ind, gi):
    # go, ind (N, C, P); gi (N, C, Q): gi[n,c,ind-1] += go, in output order.
    N, C, P = go.shape
    Q = gi.shape[2]
    for n in range(N):
        for c in range(C):
            for p in range(P):
                q = ind[n, c, p] - 1
                if q < 0 or q >= Q:
                    return False
                gi[n, c, q] += go[n, c, p]
    return True


def fractional_intervals(samples, in_size, out_size, pool_size):
    """THNN's generateIntervals for every plane at once, in the samples'
    precision: start[i] = (long)((i+u)*alpha) - (long)(u*alpha), last =
    in-pool, alpha = (real)(in-pool)/(real)(out-1). samples (...,) -> (..., out)."""
    real = samples.dtype.type
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = real(in_size - pool_size) / real(out_size - 1)
    seq = np.empty(samples.shape + (out_size,), np.int64)
    if out_size > 1:
        i = np.arange(out_size - 1).astype(samples.dtype)
        a = ((i + samples[..., None]) * alpha).astype(np.int64)
        b = (samples * alpha).astype(np.int64)
        seq[..., :-1] = a - b[..., None]
    seq[..., -1] = in_size - pool_size
    return seq


def _check_seq(seq, in_size, pool, expr):
    if seq.size and (seq.min() < 0 or seq.max() + pool > in_size):
        raise KernelError("Assertion `%s' failed. " % expr)


def _samples(samples, lead, k, input):
    check_float(samples, "samples")
    check_same_dtype(input, ("samples", samples))
    if samples.shape != lead + (k,):
        raise KernelError("samples should be of shape %s but got: %s"
                          % (size_desc(lead + (k,)), size_desc(samples.shape)))
    return as_c(samples)


def fractional_max_pool2d_forward(input, oW, oH, poolSizeW, poolSizeH, samples, *,
                                  out=None, indices=None):
    """SpatialFractionalMaxPooling updateOutput -> (output, indices)."""
    check_float(input)
    argcheck(input.ndim in (3, 4), 2,
             "3D or 4D (batch mode) tensor expected for input, but got: %s"
             % size_desc(input.shape))
    H, W = input.shape[-2:]
    argcheck(oH + poolSizeH - 1 < H, 7,
             "poolSizeH (%d) too large relative to input height (%d)" % (poolSizeH, H))
    argcheck(oW + poolSizeW - 1 < W, 6,
             "poolSizeW (%d) too large relative to input width (%d)" % (poolSizeW, W))
    if oW < 1 or oH < 1 or poolSizeW < 1 or poolSizeH < 1:
        raise KernelError("output and pool sizes should be greater than zero")
    x4 = as_c(input if input.ndim == 4 else input[None])
    s = _samples(samples, input.shape[:-2], 2, input)
    s = s if input.ndim == 4 else s[None]
    seqw = fractional_intervals(s[..., 0], W, oW, poolSizeW)
    seqh = fractional_intervals(s[..., 1], H, oH, poolSizeH)
    _check_seq(seqw, W, poolSizeW, "w2 >= 0 && w2 < inputW")
    _check_seq(seqh, H, poolSizeH, "h2 >= 0 && h2 < inputH")
    oshape = input.shape[:-2] + (oH, oW)
    output = check_out(out, oshape, input.dtype)
    if output is None:
        output = np.empty(oshape, input.dtype)
    ind = check_out(indices, oshape, np.int64, "indices")
    if ind is None:
        ind = np.empty(oshape, np.int64)
    b4 = (lambda a: a) if input.ndim == 4 else (lambda a: a[None])
    if not _frac2d_k(x4, b4(output), b4(ind), seqh, seqw, poolSizeH, poolSizeW):
        raise KernelError("Assertion `maxVal != -THInf' failed. ")
    return output, ind


def _frac_backward(input, grad_output, indices, out_sizes, names, nd):
    check_float(input)
    check_same_dtype(input, ("gradOutput", grad_output))
    check_indices(indices)
    base = input.ndim - nd
    for size, (dim, name) in zip(out_sizes, names):
        got = grad_output.shape[base + dim] if grad_output.ndim > base + dim else -1
        argcheck(size == got, 3, "gradOutput %s unexpected" % name)
    if grad_output.shape[:base] != input.shape[:base] or grad_output.ndim != input.ndim:
        raise KernelError("gradOutput of shape %s does not match input %s"
                          % (size_desc(grad_output.shape), size_desc(input.shape)))
    if indices.shape != grad_output.shape:
        raise KernelError("indices of shape %s do not match gradOutput %s"
                          % (size_desc(indices.shape), size_desc(grad_output.shape)))
    lead = input.shape[:base]
    N = lead[0] if len(lead) == 2 else 1
    C = lead[-1]
    gi = np.zeros(input.shape, input.dtype)
    ok = _frac_bwd_k(as_c(grad_output).reshape(N, C, -1), as_c(indices).reshape(N, C, -1),
                     gi.reshape(N, C, -1))
    if not ok:
        raise KernelError("Assertion `index >= 0 && index < %s' failed. "
                          % ("inputW * inputH" if nd == 2 else "inputT * inputW * inputH"))
    return gi


def fractional_max_pool2d_backward(input, grad_output, oW, oH, poolSizeW, poolSizeH,
                                   indices):
    """SpatialFractionalMaxPooling updateGradInput (THNN's argument order)."""
    if input.ndim not in (3, 4):
        raise KernelError("3D or 4D (batch mode) tensor expected for input, but got: %s"
                          % size_desc(input.shape), 2)
    return _frac_backward(input, grad_output, indices, (oW, oH),
                          ((1, "width"), (0, "height")), 2)


def fractional_max_pool3d_forward(input, oT, oW, oH, poolSizeT, poolSizeW, poolSizeH,
                                  samples, *, out=None, indices=None):
    """VolumetricFractionalMaxPooling updateOutput -> (output (…,oH,oW,oT), indices)."""
    check_float(input)
    argcheck(input.ndim in (4, 5), 2,
             "4D or 5D (batch mode) tensor expected for input, but got: %s"
             % size_desc(input.shape))
    H, W, T = input.shape[-3:]
    argcheck(oH + poolSizeH - 1 < H, 9,
             "poolSizeH (%d) too large relative to input height (%d)" % (poolSizeH, H))
    argcheck(oW + poolSizeW - 1 < W, 8,
             "poolSizeW (%d) too large relative to input width (%d)" % (poolSizeW, W))
    argcheck(oT + poolSizeT - 1 < T, 7,
             "poolSizeT (%d) too large relative to input time (%d)" % (poolSizeT, T))
    if min(oT, oW, oH, poolSizeT, poolSizeW, poolSizeH) < 1:
        raise KernelError("output and pool sizes should be greater than zero")
    x5 = as_c(input if input.ndim == 5 else input[None])
    s = _samples(samples, input.shape[:-3], 3, input)
    s = s if input.ndim == 5 else s[None]
    seqt = fractional_intervals(s[..., 0], T, oT, poolSizeT)
    seqw = fractional_intervals(s[..., 1], W, oW, poolSizeW)
    seqh = fractional_intervals(s[..., 2], H, oH, poolSizeH)
    _check_seq(seqh, H, poolSizeH, "h2 >= 0 && h2 < inputH")
    _check_seq(seqw, W, poolSizeW, "w2 >= 0 && w2 < inputW")
    _check_seq(seqt, T, poolSizeT, "t2 >= 0 && t2 < inputT")
    oshape = input.shape[:-3] + (oH, oW, oT)
    output = check_out(out, oshape, input.dtype)
    if output is None:
        output = np.empty(oshape, input.dtype)
    ind = check_out(indices, oshape, np.int64, "indices")
    if ind is None:
        ind = np.empty(oshape, np.int64)
    b5 = (lambda a: a) if input.ndim == 5 else (lambda a: a[None])
    if not _frac3d_k(x5, b5(output), b5(ind), seqh, seqw, seqt,
                     poolSizeH, poolSizeW, poolSizeT):
        raise KernelError("Assertion `maxVal != -THInf' failed. ")
    return output, ind


def fractional_max_pool3d_backward(input, grad_output, oT, oW, oH, poolSizeT, poolSizeW,
                                   poolSizeH, indices):
    """VolumetricFractionalMaxPooling updateGradInput (THNN's argument order)."""
    if input.ndim not in (4, 5):
        raise KernelError("4D or 5D (batch mode) tensor expected for input, but got: %s"
                          % size_desc(input.shape), 2)
    return _frac_backward(input, grad_output, indices, (oT, oW, oH),
                          ((2, "time"), (1, "width"), (0, "height")), 3)


export(globals())
