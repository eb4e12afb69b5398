"""Spatial convolution: THNN's SpatialConvolutionMM, SpatialDilatedConvolution,
SpatialFullConvolution and SpatialFullDilatedConvolution.

The unfold primitives (im2col / col2im) are Numba loops; the products are
NumPy/BLAS GEMMs written into preallocated buffers. Column rows are ordered
channel-major, then kernel row, then kernel column (THNN's unfolded copy), so
``weight.reshape(nOut, C*kH*kW) @ columns`` is the convolution.

High-level helpers accept the layouts THNN accepts (3-D ``C,H,W`` or 4-D
``N,C,H,W``) so that shape errors carry THNN's exact wording, and return
results with the same batchness as the input.
"""
import time
from contextlib import contextmanager

import numpy as np

from ._common import (export, KernelError, lazyjit, size_desc, argcheck, check_dim_size,
                      check_float, check_same_dtype, as_c, cdiv, check_out, out_buffer,
                      bias_acc_k as _bias_acc_k)

__all__ = [
    "im2col", "col2im", "conv2d_output_size",
    "conv2d_forward", "conv2d_backward_input", "conv2d_acc_grad_params",
    "full_conv2d_output_size", "full_conv2d_forward", "full_conv2d_backward_input",
    "full_conv2d_acc_grad_params", "profile", "same_bits",
]


# ---------------------------------------------------------------------------
# Numba kernels

# Both walk flat views with unsigned offsets: Numba then drops its per-access
# negative-index check, so the contiguous inner copies vectorize.

@lazyjit
def _im2col_k(img, cols, kH, kW, dH, dW, pH, pW, dilH, dilW, oH, oW):
    # img (N,C,H,W), cols (N, C*kH*kW, oH*oW), both C-contiguous; out-of-image
    # taps read as 0.
    N, C, H, W = img.shape
    src = img.reshape(-1)
    dst = cols.reshape(-1)
    P = oH * oW
    K = C * kH * kW
    zero = dst.dtype.type(0)
    for n in range(N):
        for c in range(C):
            plane = (n * C + c) * H * W
            for ki in range(kH):
                offh = ki * dilH - pH
                for kj in range(kW):
                    row = (n * K + (c * kH + ki) * kW + kj) * P
                    offw = kj * dilW - pW
                    # columns x with 0 <= x*dW + offw < W, computed once per tap
                    x0 = 0
                    if offw < 0:
                        x0 = (-offw + dW - 1) // dW
                    x1 = 0
                    if W - 1 - offw >= 0:
                        x1 = (W - 1 - offw) // dW + 1
                    if x1 > oW:
                        x1 = oW
                    if x0 > x1:
                        x0 = x1
                    for y in range(oH):
                        iy = y * dH + offh
                        o = row + y * oW
                        if iy < 0 or iy >= H:
                            for x in range(oW):
                                dst[np.uint64(o + x)] = zero
                            continue
                        for x in range(x0):
                            dst[np.uint64(o + x)] = zero
                        i = plane + iy * W + offw
                        if dW == 1:
                            for x in range(x0, x1):
                                dst[np.uint64(o + x)] = src[np.uint64(i + x)]
                        else:
                            for x in range(x0, x1):
                                dst[np.uint64(o + x)] = src[np.uint64(i + x * dW)]
                        for x in range(x1, oW):
                            dst[np.uint64(o + x)] = zero


@lazyjit
def _col2im_k(cols, img, kH, kW, dH, dW, pH, pW, dilH, dilW, oH, oW):
    # Adds every column entry back onto its image pixel (img is accumulated,
    # not cleared), in THNN's order: channel, kernel row, kernel col, y, x.
    # Both C-contiguous.
    N, C, H, W = img.shape
    src = cols.reshape(-1)
    dst = img.reshape(-1)
    P = oH * oW
    K = C * kH * kW
    for n in range(N):
        for c in range(C):
            plane = (n * C + c) * H * W
            for ki in range(kH):
                offh = ki * dilH - pH
                for kj in range(kW):
                    row = (n * K + (c * kH + ki) * kW + kj) * P
                    offw = kj * dilW - pW
                    x0 = 0
                    if offw < 0:
                        x0 = (-offw + dW - 1) // dW
                    x1 = 0
                    if W - 1 - offw >= 0:
                        x1 = (W - 1 - offw) // dW + 1
                    if x1 > oW:
                        x1 = oW
                    for y in range(oH):
                        iy = y * dH + offh
                        if iy < 0 or iy >= H:
                            continue
                        o = row + y * oW
                        i = plane + iy * W + offw
                        if dW == 1:
                            for x in range(x0, x1):
                                dst[np.uint64(i + x)] += src[np.uint64(o + x)]
                        else:
                            for x in range(x0, x1):
                                dst[np.uint64(i + x * dW)] += src[np.uint64(o + x)]


@lazyjit
def _acc_parts_k(parts, acc, sc, scaled):
    # acc += parts[n] (scaled first when asked) for n in order, each sum
    # rounded to acc's type as an in-place NumPy add would.
    for n in range(parts.shape[0]):
        for i in range(acc.size):
            t = parts[n, i]
            if scaled:
                t = t * sc
            acc[i] += t


@lazyjit
def _same_bits_k(a, b):
    for i in range(a.size):
        if a[i] != b[i]:
            return False
    return True


def same_bits(a, b):
    """Whether two arrays of one float dtype and shape hold the same bits (NaN
    payloads and signed zeros included); b C-contiguous. Lets callers check
    that the input behind kept columns has not changed."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    u = np.uint32 if a.itemsize == 4 else np.uint64
    return bool(_same_bits_k(as_c(a).reshape(-1).view(u), b.reshape(-1).view(u)))


# ---------------------------------------------------------------------------
# profiling hook (used by scripts/bench_kernels.py)

_PROFILE = None


@contextmanager
def profile():
    """``with conv.profile() as t:`` accumulates seconds spent per phase in
    ``t['gemm']``, ``t['im2col']``, ``t['col2im']``, ``t['bias']``."""
    global _PROFILE
    d = {"gemm": 0.0, "im2col": 0.0, "col2im": 0.0, "bias": 0.0}
    _PROFILE = d
    try:
        yield d
    finally:
        _PROFILE = None


def _run(kind, fn, *args, **kw):
    if _PROFILE is None:
        return fn(*args, **kw)
    t0 = time.perf_counter()
    r = fn(*args, **kw)
    _PROFILE[kind] += time.perf_counter() - t0
    return r


# ---------------------------------------------------------------------------
# raw unfold primitives

def conv2d_output_size(H, W, kH, kW, dH, dW, padH, padW, dilH=1, dilW=1):
    """THNN's (C integer division) output size of a (dilated) convolution."""
    oH = cdiv(H + 2 * padH - (dilH * (kH - 1) + 1), dH) + 1
    oW = cdiv(W + 2 * padW - (dilW * (kW - 1) + 1), dW) + 1
    return oH, oW


def _check_geometry(kH, kW, dH, dW, dilH, dilW):
    argcheck(kW > 0 and kH > 0, 9,
             "kernel size should be greater than zero, but got kH: %d kW: %d" % (kH, kW))
    argcheck(dW > 0 and dH > 0, 11,
             "stride should be greater than zero, but got dH: %d dW: %d" % (dH, dW))
    argcheck(dilW > 0 and dilH > 0, 15,
             "dilation should be greater than zero, but got dilationH: %d, dilationW: %d"
             % (dilH, dilW))


def im2col(input_chw, kH, kW, dH, dW, padH, padW, dilH=1, dilW=1, out=None):
    """(C,H,W) -> columns (C*kH*kW, oH*oW); row index (c*kH + i)*kW + j."""
    check_float(input_chw)
    if input_chw.ndim != 3:
        raise KernelError("im2col expects a 3D (C,H,W) array, got: %s"
                          % size_desc(input_chw.shape), 1)
    _check_geometry(kH, kW, dH, dW, dilH, dilW)
    C, H, W = input_chw.shape
    oH, oW = conv2d_output_size(H, W, kH, kW, dH, dW, padH, padW, dilH, dilW)
    if oH < 1 or oW < 1:
        raise KernelError("Given input size: (%d x %d x %d). Calculated output size: "
                          "(%d x %d). Output size is too small" % (C, H, W, oH, oW))
    shape = (C * kH * kW, oH * oW)
    cols = check_out(out, shape, input_chw.dtype)
    if cols is None:
        cols = np.empty(shape, input_chw.dtype)
    _im2col_k(as_c(input_chw)[None], cols[None], kH, kW, dH, dW, padH, padW,
              dilH, dilW, oH, oW)
    return cols


def col2im(columns, C, H, W, kH, kW, dH, dW, padH, padW, dilH=1, dilW=1, out=None):
    """Adjoint of im2col: columns (C*kH*kW, oH*oW) -> image (C,H,W). Overlapping
    taps are summed; with ``out`` given the sums are added onto ``out``."""
    check_float(columns, "columns")
    _check_geometry(kH, kW, dH, dW, dilH, dilW)
    oH, oW = conv2d_output_size(H, W, kH, kW, dH, dW, padH, padW, dilH, dilW)
    if oH < 1 or oW < 1:
        raise KernelError("Given input size: (%d x %d x %d). Calculated output size: "
                          "(%d x %d). Output size is too small" % (C, H, W, oH, oW))
    if columns.shape != (C * kH * kW, oH * oW):
        raise KernelError("columns should be of shape %s but got: %s"
                          % (size_desc((C * kH * kW, oH * oW)), size_desc(columns.shape)))
    img = check_out(out, (C, H, W), columns.dtype)
    if img is None:
        img = np.zeros((C, H, W), columns.dtype)
    _col2im_k(as_c(columns)[None], img[None], kH, kW, dH, dW, padH, padW,
              dilH, dilW, oH, oW)
    return img


# ---------------------------------------------------------------------------
# SpatialConvolutionMM / SpatialDilatedConvolution

def _variant(variant, dilW, dilH):
    if variant is None:
        return "mm" if (dilW == 1 and dilH == 1) else "dilated"
    if variant not in ("mm", "dilated"):
        raise ValueError("variant must be 'mm' or 'dilated'")
    if variant == "mm" and (dilW != 1 or dilH != 1):
        raise ValueError("the 'mm' variant has no dilation")
    return variant


def _conv2d_check(input, grad_output, weight, bias, kH, kW, dH, dW, padH, padW,
                  dilH, dilW, variant, wname="weight", bname="bias"):
    """THNN shapeCheck of SpatialConvolutionMM or SpatialDilatedConvolution, in
    THNN's order. Returns (w2d, nIn, nOut, oH, oW)."""
    check_float(input)
    check_same_dtype(input, (wname, weight), (bname, bias), ("gradOutput", grad_output))
    if variant == "mm":
        argcheck(kW > 0 and kH > 0, 9,
                 "kernel size should be greater than zero, but got kH: %d kW: %d" % (kH, kW))
        argcheck(dW > 0 and dH > 0, 11,
                 "stride should be greater than zero, but got dH: %d dW: %d" % (dH, dW))
        argcheck(weight.ndim in (2, 4), 5,
                 "2D or 4D weight tensor expected, but got: %s" % size_desc(weight.shape))
        nOut = weight.shape[0]
        w2d = weight.reshape(nOut, -1) if weight.ndim == 4 else weight
    else:
        argcheck(weight.ndim == 4, 4,
                 "4D weight tensor (nOutputPlane,nInputPlane,kH,kW) expected, but got: %s"
                 % size_desc(weight.shape))
        _check_geometry(kH, kW, dH, dW, dilH, dilW)
        nOut = weight.shape[0]
        w2d = None
    if bias is not None:
        check_dim_size(bias, "bias", 1, 0, nOut)
    ndim = input.ndim
    argcheck(ndim in (3, 4), 2,
             "3D or 4D input tensor expected but got: %s" % size_desc(input.shape))
    dimf = 1 if ndim == 4 else 0
    H, W = input.shape[dimf + 1], input.shape[dimf + 2]
    nIn = w2d.shape[1] // (kH * kW) if variant == "mm" else weight.shape[1]
    oH, oW = conv2d_output_size(H, W, kH, kW, dH, dW, padH, padW, dilH, dilW)
    if oW < 1 or oH < 1:
        raise KernelError("Given input size: (%d x %d x %d). Calculated output size: "
                          "(%d x %d x %d). Output size is too small"
                          % (nIn, H, W, nOut, oH, oW))
    check_dim_size(input, "input", ndim, dimf, nIn)
    if grad_output is not None:
        check_dim_size(grad_output, "gradOutput", ndim, dimf, nOut)
        check_dim_size(grad_output, "gradOutput", ndim, dimf + 1, oH)
        check_dim_size(grad_output, "gradOutput", ndim, dimf + 2, oW)
        if ndim == 4 and grad_output.shape[0] != input.shape[0]:
            raise KernelError("gradOutput has %d samples but input has %d"
                              % (grad_output.shape[0], input.shape[0]))
    K = nIn * kH * kW
    if variant == "mm":
        if w2d.shape[1] != K:
            # THTensor_(addmm)'s wording for the GEMM THNN would attempt
            raise KernelError("size mismatch, m1: %s, m2: %s"
                              % (size_desc(w2d.shape), size_desc((K, oH * oW))))
    else:
        if weight.size != nOut * K:
            # THNN would read past the weight's storage; refuse instead
            raise KernelError("weight of size %s does not match kernel size (kH: %d kW: %d)"
                              % (size_desc(weight.shape), kH, kW), 4)
        w2d = weight.reshape(nOut, K)
    return w2d, nIn, nOut, oH, oW


def _batch4(a):
    return a if a.ndim == 4 else a[None]


def _columns(x4, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, finput):
    N, C = x4.shape[:2]
    cols = out_buffer(finput, (N, C * kH * kW, oH * oW), x4.dtype, "finput")
    _run("im2col", _im2col_k, x4, cols, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW)
    return cols


def conv2d_forward(input, weight, bias, kW, kH, dW, dH, padW, padH, dilW=1, dilH=1,
                   *, variant=None, finput=None, out=None):
    """SpatialConvolutionMM / SpatialDilatedConvolution updateOutput.

    input (N,C,H,W) or (C,H,W); weight (nOut,C,kH,kW) or (nOut,C*kH*kW) ('mm');
    bias (nOut,) or None. Returns output (N,nOut,oH,oW) (3-D for 3-D input).
    ``finput``: optional (N, C*kH*kW, oH*oW) buffer that receives the columns,
    to be handed to conv2d_acc_grad_params (THNN's finput); ``finput`` and
    ``out`` may also be callables(shape) answering the buffer (see _common.out_buffer).
    variant: 'mm' (default without dilation) or 'dilated' (THNN checks differ).
    """
    variant = _variant(variant, dilW, dilH)
    w2d, nIn, nOut, oH, oW = _conv2d_check(input, None, weight, bias, kH, kW, dH, dW,
                                           padH, padW, dilH, dilW, variant)
    x4 = as_c(_batch4(input))
    N = x4.shape[0]
    cols = _columns(x4, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, finput)
    oshape = (N, nOut, oH, oW) if input.ndim == 4 else (nOut, oH, oW)
    output = out_buffer(out, oshape, input.dtype, "out")
    o3 = output.reshape(N, nOut, oH * oW)
    _run("gemm", np.matmul, as_c(w2d), cols, out=o3)
    if bias is not None:
        _run("bias", np.add, o3, bias[:, None], out=o3)
    return output


def conv2d_backward_input(input, grad_output, weight, kW, kH, dW, dH, padW, padH,
                          dilW=1, dilH=1, *, variant=None, fgrad_input=None, out=None):
    """SpatialConvolutionMM / SpatialDilatedConvolution updateGradInput.
    Returns gradInput with input's shape. ``fgrad_input``: optional
    (N, C*kH*kW, oH*oW) scratch buffer (THNN's fgradInput); it and ``out`` may
    be callables as in conv2d_forward."""
    variant = _variant(variant, dilW, dilH)
    w2d, nIn, nOut, oH, oW = _conv2d_check(input, grad_output, weight, None, kH, kW, dH,
                                           dW, padH, padW, dilH, dilW, variant)
    go4 = as_c(_batch4(grad_output))
    N = go4.shape[0]
    H, W = input.shape[-2:]
    fgi = out_buffer(fgrad_input, (N, nIn * kH * kW, oH * oW), input.dtype, "fgrad_input")
    _run("gemm", np.matmul, w2d.T, go4.reshape(N, nOut, oH * oW), out=fgi)
    gi = out_buffer(out, input.shape, input.dtype, "out", zero=True)
    _run("col2im", _col2im_k, fgi, _batch4(gi), kH, kW, dH, dW, padH, padW, dilH, dilW,
         oH, oW)
    return gi


def _check_contig_params(grad_weight, grad_bias):
    argcheck(grad_weight.flags.c_contiguous, 4, "gradWeight needs to be contiguous")
    if grad_bias is not None:
        argcheck(grad_bias.flags.c_contiguous, 5, "gradBias needs to be contiguous")


def conv2d_acc_grad_params(input, grad_output, grad_weight, grad_bias, kW, kH, dW, dH,
                           padW, padH, dilW=1, dilH=1, scale=1.0, *, variant=None,
                           finput=None):
    """SpatialConvolutionMM / SpatialDilatedConvolution accGradParameters:
    grad_weight += scale * gradOutput @ columns^T and grad_bias += scale *
    sum(gradOutput), in place, sample after sample. ``finput``: the columns
    filled by conv2d_forward (recomputed when None)."""
    variant = _variant(variant, dilW, dilH)
    if variant == "mm":
        _check_contig_params(grad_weight, grad_bias)
    gw2d, nIn, nOut, oH, oW = _conv2d_check(input, grad_output, grad_weight, grad_bias,
                                            kH, kW, dH, dW, padH, padW, dilH, dilW,
                                            variant, "gradWeight", "gradBias")
    if variant != "mm":
        _check_contig_params(grad_weight, grad_bias)
    x4 = _batch4(input)
    N = x4.shape[0]
    go3 = as_c(_batch4(grad_output)).reshape(N, nOut, oH * oW)
    if finput is not None:
        cols = check_out(finput, (N, nIn * kH * kW, oH * oW), input.dtype, "finput")
    else:
        cols = _columns(as_c(x4), kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW, None)
    sc = input.dtype.type(scale)
    _acc_products(go3, cols.transpose(0, 2, 1), gw2d, sc)
    if grad_bias is not None:
        _run("bias", _bias_acc_k, go3, grad_bias, sc)


_PARTS_MAX = 1 << 22   # elements of per-sample products computed per batch


def _acc_products(a, b, acc, sc):
    """acc += sc * (a[n] @ b[n]) for n = 0, 1, ... in turn: each product is its
    own GEMM (as THNN does one per sample) and is scaled (when sc != 1) and
    added on its own, so float sums round as THNN's; the GEMMs run as stacked
    matmuls (the same BLAS call per sample) into a scratch of a few samples."""
    if not acc.flags.c_contiguous:
        raise ValueError("the accumulator must be C-contiguous")
    N = a.shape[0]
    m = acc.size
    step = max(1, min(N, _PARTS_MAX // max(m, 1)))
    parts = np.empty((step,) + acc.shape, acc.dtype)
    flat = acc.reshape(-1)
    for n0 in range(0, N, step):
        k = min(step, N - n0)
        p = parts[:k]
        _run("gemm", np.matmul, a[n0:n0 + k], b[n0:n0 + k], out=p)
        _run("bias", _acc_parts_k, p.reshape(k, m), flat, sc, sc != 1)


# ---------------------------------------------------------------------------
# SpatialFullConvolution / SpatialFullDilatedConvolution (transposed)

def full_conv2d_output_size(H, W, kH, kW, dH, dW, padH, padW, adjH=0, adjW=0,
                            dilH=1, dilW=1):
    oH = (H - 1) * dH - 2 * padH + (dilH * (kH - 1) + 1) + adjH
    oW = (W - 1) * dW - 2 * padW + (dilW * (kW - 1) + 1) + adjW
    return oH, oW


def _full2d_check(input, grad_output, weight, bias, kH, kW, dH, dW, padH, padW,
                  dilH, dilW, adjH, adjW, wname="weight", bname="bias"):
    check_float(input)
    check_same_dtype(input, (wname, weight), (bname, bias), ("gradOutput", grad_output))
    _check_geometry(kH, kW, dH, dW, dilH, dilW)
    argcheck((adjW < dW or adjW < dilW) and (adjH < dH or adjH < dilH), 15,
             "output padding must be smaller than either stride or dilation, but got "
             "adjH: %d adjW: %d dH: %d dW: %d dilationH: %d dilationW: %d"
             % (adjH, adjW, dH, dW, dilH, dilW))
    argcheck(weight.ndim in (2, 4), 5,
             "2D or 4D weight tensor expected, but got: %s" % size_desc(weight.shape))
    if bias is not None:
        check_dim_size(bias, "bias", 1, 0, weight.shape[1])
    ndim = input.ndim
    argcheck(ndim in (3, 4), 2,
             "3D or 4D input tensor expected but got: %s" % size_desc(input.shape))
    dimf = 1 if ndim == 4 else 0
    nIn, nOut = weight.shape[0], weight.shape[1]
    H, W = input.shape[dimf + 1], input.shape[dimf + 2]
    oH, oW = full_conv2d_output_size(H, W, kH, kW, dH, dW, padH, padW, adjH, adjW,
                                     dilH, dilW)
    if oW < 1 or oH < 1:
        raise KernelError("Given input size: (%d x %d x %d). Calculated output size: "
                          "(%d x %d x %d). Output size is too small"
                          % (nIn, H, W, nOut, oH, oW))
    check_dim_size(input, "input", ndim, dimf, nIn)
    if grad_output is not None:
        check_dim_size(grad_output, "gradOutput", ndim, dimf, nOut)
        check_dim_size(grad_output, "gradOutput", ndim, dimf + 1, oH)
        check_dim_size(grad_output, "gradOutput", ndim, dimf + 2, oW)
        if ndim == 4 and grad_output.shape[0] != input.shape[0]:
            raise KernelError("gradOutput has %d samples but input has %d"
                              % (grad_output.shape[0], input.shape[0]))
    if weight.ndim != 4 or weight.shape[2] != kH or weight.shape[3] != kW:
        # THNN takes the kernel extent from weight and from kH/kW at once;
        # anything else would make it read or write out of bounds.
        raise KernelError("weight of size %s does not match kernel size (kH: %d kW: %d)"
                          % (size_desc(weight.shape), kH, kW), 5)
    return weight.reshape(nIn, nOut * kH * kW), nIn, nOut, H, W, oH, oW


def full_conv2d_forward(input, weight, bias, kW, kH, dW, dH, padW, padH, adjW=0, adjH=0,
                        dilW=1, dilH=1, *, out=None):
    """SpatialFull(Dilated)Convolution updateOutput. weight (nIn,nOut,kH,kW);
    output (N,nOut,oH,oW) with oH = (H-1)*dH - 2*padH + dilH*(kH-1)+1 + adjH."""
    w2d, nIn, nOut, H, W, oH, oW = _full2d_check(input, None, weight, bias, kH, kW, dH,
                                                 dW, padH, padW, dilH, dilW, adjH, adjW)
    x4 = as_c(_batch4(input))
    N = x4.shape[0]
    cols = np.empty((N, nOut * kH * kW, H * W), input.dtype)
    _run("gemm", np.matmul, w2d.T, x4.reshape(N, nIn, H * W), out=cols)
    oshape = (N, nOut, oH, oW) if input.ndim == 4 else (nOut, oH, oW)
    output = check_out(out, oshape, input.dtype)
    if output is None:
        output = np.zeros(oshape, input.dtype)
    else:
        output.fill(0)
    # the column grid is the input grid (H, W) by construction
    _run("col2im", _col2im_k, cols, _batch4(output), kH, kW, dH, dW, padH, padW,
         dilH, dilW, H, W)
    if bias is not None:
        o3 = output.reshape(N, nOut, oH * oW)
        _run("bias", np.add, o3, bias[:, None], out=o3)
    return output


def full_conv2d_backward_input(input, grad_output, weight, kW, kH, dW, dH, padW, padH,
                               adjW=0, adjH=0, dilW=1, dilH=1, *, out=None):
    """SpatialFull(Dilated)Convolution updateGradInput -> gradInput (input's shape)."""
    w2d, nIn, nOut, H, W, oH, oW = _full2d_check(input, grad_output, weight, None, kH, kW,
                                                 dH, dW, padH, padW, dilH, dilW, adjH, adjW)
    go4 = as_c(_batch4(grad_output))
    N = go4.shape[0]
    cols = np.empty((N, nOut * kH * kW, H * W), input.dtype)
    _run("im2col", _im2col_k, go4, cols, kH, kW, dH, dW, padH, padW, dilH, dilW, H, W)
    gi = check_out(out, input.shape, input.dtype)
    if gi is None:
        gi = np.empty(input.shape, input.dtype)
    _run("gemm", np.matmul, w2d, cols, out=gi.reshape(N, nIn, H * W))
    return gi


def full_conv2d_acc_grad_params(input, grad_output, grad_weight, grad_bias, kW, kH, dW,
                                dH, padW, padH, adjW=0, adjH=0, dilW=1, dilH=1, scale=1.0):
    """SpatialFull(Dilated)Convolution accGradParameters, in place:
    grad_weight (nIn,nOut,kH,kW) += scale * input @ im2col(gradOutput)^T."""
    gw2d, nIn, nOut, H, W, oH, oW = _full2d_check(
        input, grad_output, grad_weight, grad_bias, kH, kW, dH, dW, padH, padW,
        dilH, dilW, adjH, adjW, "gradWeight", "gradBias")
    _check_contig_params(grad_weight, grad_bias)
    x4 = as_c(_batch4(input))
    go4 = as_c(_batch4(grad_output))
    N = x4.shape[0]
    cols = np.empty((N, nOut * kH * kW, H * W), input.dtype)
    _run("im2col", _im2col_k, go4, cols, kH, kW, dH, dW, padH, padW, dilH, dilW, H, W)
    sc = input.dtype.type(scale)
    _acc_products(x4.reshape(N, nIn, H * W), cols.transpose(0, 2, 1), gw2d, sc)
    if grad_bias is not None:
        _run("bias", _bias_acc_k, go4.reshape(N, nOut, oH * oW), grad_bias, sc)


export(globals())
