"""Volumetric family: THNN's VolumetricConvolutionMM, VolumetricDilatedConvolution,
VolumetricFull(Dilated)Convolution, VolumetricMaxPooling /
VolumetricDilatedMaxPooling, VolumetricAveragePooling, VolumetricMaxUnpooling.

Layout (C,T,H,W) or (N,C,T,H,W). vol2col rows are ordered channel, kernel
time, kernel row, kernel column.

Max-pooling indices are stored as THNN stores them: each int64 holds, in its
four low bytes (little-endian), the unsigned offsets [t, h, w, 0] of the
maximum inside its window (255 = none); the four high bytes are left as they
were in the indices array (fresh arrays are zero-filled here).
"""
import numpy as np

from ._common import (export, KernelError, lazyjit, size_desc, argcheck, check_dim_size,
                      check_float, check_same_dtype, check_indices, check_shape_indices,
                      as_c, cdiv, check_out, pool_out_size, pool_last_window_fix,
                      bias_acc_k, out_buffer)

__all__ = [
    "vol2col", "col2vol", "conv3d_output_size",
    "conv3d_forward", "conv3d_backward_input", "conv3d_acc_grad_params",
    "full_conv3d_forward", "full_conv3d_backward_input", "full_conv3d_acc_grad_params",
    "max_pool3d_output_size", "max_pool3d_forward", "max_pool3d_backward",
    "unpack_max_pool3d_indices",
    "avg_pool3d_forward", "avg_pool3d_backward",
    "max_unpool3d_forward", "max_unpool3d_backward",
]


# ---------------------------------------------------------------------------
# kernels

@lazyjit
def _vol2col_k(vol, cols, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT, dilH, dilW,
               oT, oH, oW):
    N, C, T, H, W = vol.shape
    for n in range(N):
        for c in range(C):
            for kt in range(kT):
                for ki in range(kH):
                    for kj in range(kW):
                        r = ((c * kT + kt) * kH + ki) * kW + kj
                        for t in range(oT):
                            it = t * dT - pT + kt * dilT
                            for y in range(oH):
                                iy = y * dH - pH + ki * dilH
                                base = (t * oH + y) * oW
                                inside = it >= 0 and it < T and iy >= 0 and iy < H
                                for x in range(oW):
                                    ix = x * dW - pW + kj * dilW
                                    if inside and ix >= 0 and ix < W:
                                        cols[n, r, base + x] = vol[n, c, it, iy, ix]
                                    else:
                                        cols[n, r, base + x] = 0


@lazyjit
def _col2vol_k(cols, vol, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT, dilH, dilW,
               oT, oH, oW):
    # accumulates into vol, THNN's order (channel, kt, kh, kw, t, y, x)
    N, C, T, H, W = vol.shape
    for n in range(N):
        for c in range(C):
            for kt in range(kT):
                for ki in range(kH):
                    for kj in range(kW):
                        r = ((c * kT + kt) * kH + ki) * kW + kj
                        for t in range(oT):
                            it = t * dT - pT + kt * dilT
                            if it < 0 or it >= T:
                                continue
                            for y in range(oH):
                                iy = y * dH - pH + ki * dilH
                                if iy < 0 or iy >= H:
                                    continue
                                base = (t * oH + y) * oW
                                for x in range(oW):
                                    ix = x * dW - pW + kj * dilW
                                    if ix >= 0 and ix < W:
                                        vol[n, c, it, iy, ix] += cols[n, r, base + x]


@lazyjit
def _maxpool3d_k(x, out, ind, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT, dilH, dilW):
    N, C, T, H, W = x.shape
    oT, oH, oW = out.shape[2], out.shape[3], out.shape[4]
    for n in range(N):
        for c in range(C):
            for ti in range(oT):
                for i in range(oH):
                    for j in range(oW):
                        st = ti * dT - pT
                        sh = i * dH - pH
                        sw = j * dW - pW
                        # THNN shrinks the window by the raw padding overlap and
                        # records offsets relative to the unshrunk window
                        ktt = min(kT, kT + st)
                        khh = min(kH, kH + sh)
                        kww = min(kW, kW + sw)
                        while st < 0:
                            st += dilT
                        while sh < 0:
                            sh += dilH
                        while sw < 0:
                            sw += dilW
                        best = -np.inf
                        mz = -1
                        my = -1
                        mx = -1
                        for z in range(ktt):
                            for y in range(khh):
                                for xx in range(kww):
                                    zt = st + z * dilT
                                    yh = sh + y * dilH
                                    xw = sw + xx * dilW
                                    if zt < T and yh < H and xw < W:
                                        v = x[n, c, zt, yh, xw]
                                        if v > best:
                                            best = v
                                            mz = z + (kT - ktt)
                                            my = y + (kH - khh)
                                            mx = xx + (kW - kww)
                        old = ind[n, c, ti, i, j]
                        ind[n, c, ti, i, j] = ((old & -4294967296) | (mz & 255)
                                               | ((my & 255) << 8) | ((mx & 255) << 16))
                        out[n, c, ti, i, j] = best


@lazyjit
def _maxpool3d_bwd_k(go, ind, gi, dT, dH, dW, pT, pH, pW, dilT, dilH, dilW):
    N, C, oT, oH, oW = go.shape
    T, H, W = gi.shape[2], gi.shape[3], gi.shape[4]
    bad = 0
    for n in range(N):
        for c in range(C):
            for ti in range(oT):
                for i in range(oH):
                    for j in range(oW):
                        v = ind[n, c, ti, i, j]
                        bz = v & 255
                        by = (v >> 8) & 255
                        bx = (v >> 16) & 255
                        if bz == 255 and by == 255 and bx == 255:
                            continue  # window had no maximum (THNN's -1 marker)
                        zt = bz * dilT + ti * dT - pT
                        yh = by * dilH + i * dH - pH
                        xw = bx * dilW + j * dW - pW
                        if zt == -1:
                            continue
                        if zt < 0 or zt >= T or yh < 0 or yh >= H or xw < 0 or xw >= W:
                            bad += 1
                            continue
                        gi[n, c, zt, yh, xw] += go[n, c, ti, i, j]
    return bad


@lazyjit
def _avgpool3d_k(x, out, kT, kH, kW, dT, dH, dW, pT, pH, pW, count_include_pad):
    N, C, T, H, W = x.shape
    oT, oH, oW = out.shape[2], out.shape[3], out.shape[4]
    for n in range(N):
        for c in range(C):
            for ti in range(oT):
                for i in range(oH):
                    for j in range(oW):
                        ts = ti * dT - pT
                        hs = i * dH - pH
                        ws = j * dW - pW
                        te = min(ts + kT, T + pT)
                        he = min(hs + kH, H + pH)
                        we = min(ws + kW, W + pW)
                        pool = (te - ts) * (he - hs) * (we - ws)
                        ts = max(ts, 0)
                        hs = max(hs, 0)
                        ws = max(ws, 0)
                        te = min(te, T)
                        he = min(he, H)
                        we = min(we, W)
                        div = pool if count_include_pad else (te - ts) * (he - hs) * (we - ws)
                        s = x.dtype.type(0)
                        for z in range(ts, te):
                            for y in range(hs, he):
                                for xx in range(ws, we):
                                    s += x[n, c, z, y, xx]
                        out[n, c, ti, i, j] = s / x.dtype.type(div)


@lazyjit
def _avgpool3d_bwd_k(go, gi, kT, kH, kW, dT, dH, dW, pT, pH, pW, count_include_pad):
    N, C, oT, oH, oW = go.shape
    T, H, W = gi.shape[2], gi.shape[3], gi.shape[4]
    for n in range(N):
        for c in range(C):
            for ti in range(oT):
                for i in range(oH):
                    for j in range(oW):
                        ts = ti * dT - pT
                        hs = i * dH - pH
                        ws = j * dW - pW
                        te = min(ts + kT, T + pT)
                        he = min(hs + kH, H + pH)
                        we = min(ws + kW, W + pW)
                        pool = (te - ts) * (he - hs) * (we - ws)
                        ts = max(ts, 0)
                        hs = max(hs, 0)
                        ws = max(ws, 0)
                        te = min(te, T)
                        he = min(he, H)
                        we = min(we, W)
                        div = pool if count_include_pad else (te - ts) * (he - hs) * (we - ws)
                        g = go[n, c, ti, i, j] / gi.dtype.type(div)
                        for z in range(ts, te):
                            for y in range(hs, he):
                                for xx in range(ws, we):
                                    gi[n, c, z, y, xx] += g


@lazyjit
def _unpool3d_k(x, ind, out, dT, dH, dW, pT, pH, pW):
    # (sample, frame-relative index) of THNN's reported error, or (-1, 0)
    N, C, T, H, W = x.shape
    oT, oH, oW = out.shape[2], out.shape[3], out.shape[4]
    for n in range(N):
        err = False
        eidx = 0
        for c in range(C):
            for ti in range(T):
                for i in range(H):
                    for j in range(W):
                        v = ind[n, c, ti, i, j]
                        z = ti * dT - pT + (v & 255)
                        y = i * dH - pH + ((v >> 8) & 255)
                        xx = j * dW - pW + ((v >> 16) & 255)
                        if z < 0 or y < 0 or xx < 0 or z >= oT or y >= oH or xx >= oW:
                            err = True
                            eidx = c * oT * oW * oH + oH * oW * z + oW * y + xx
                        else:
                            out[n, c, z, y, xx] = x[n, c, ti, i, j]
        if err:
            return n, eidx
    return -1, 0


@lazyjit
def _unpool3d_bwd_k(go, ind, gi, dT, dH, dW, pT, pH, pW):
    # first bad position (THNN stops there): (found, z, y, x)
    N, C, T, H, W = gi.shape
    oT, oH, oW = go.shape[2], go.shape[3], go.shape[4]
    for n in range(N):
        for c in range(C):
            for ti in range(T):
                for i in range(H):
                    for j in range(W):
                        v = ind[n, c, ti, i, j]
                        z = ti * dT - pT + (v & 255)
                        y = i * dH - pH + ((v >> 8) & 255)
                        xx = j * dW - pW + ((v >> 16) & 255)
                        if z < 0 or y < 0 or xx < 0 or z >= oT or y >= oH or xx >= oW:
                            return True, z, y, xx
                        gi[n, c, ti, i, j] = go[n, c, z, y, xx]
    return False, 0, 0, 0


# ---------------------------------------------------------------------------
# helpers

def _b5(a):
    return a if a.ndim == 5 else a[None]


def _new(shape, dtype, out, name="out", zero=False):
    return out_buffer(out, shape, dtype, name, zero)


def _input45(input):
    check_float(input)
    argcheck(input.ndim in (4, 5), 2,
             "4D or 5D (batch mode) tensor expected for input, but got: %s"
             % size_desc(input.shape))


def _go_check(arr, input, name, nplanes, osz):
    ndim = input.ndim
    dimf = ndim - 4
    check_dim_size(arr, name, ndim, dimf, nplanes)
    for k in range(3):
        check_dim_size(arr, name, ndim, dimf + 1 + k, osz[k])
    if ndim == 5 and arr.shape[0] != input.shape[0]:
        raise KernelError("%s has %d samples but input has %d"
                          % (name, arr.shape[0], input.shape[0]))


# ---------------------------------------------------------------------------
# vol2col / col2vol

def conv3d_output_size(T, H, W, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT=1, dilH=1, dilW=1):
    return (cdiv(T + 2 * pT - (dilT * (kT - 1) + 1), dT) + 1,
            cdiv(H + 2 * pH - (dilH * (kH - 1) + 1), dH) + 1,
            cdiv(W + 2 * pW - (dilW * (kW - 1) + 1), dW) + 1)


def _geom3(kT, kH, kW, dT, dH, dW, dilT, dilH, dilW):
    argcheck(kT > 0 and kW > 0 and kH > 0, 8,
             "kernel size should be greater than zero, but got kT: %d kH: %d kW: %d"
             % (kT, kH, kW))
    argcheck(dT > 0 and dW > 0 and dH > 0, 11,
             "stride should be greater than zero, but got dT: %d dH: %d dW: %d" % (dT, dH, dW))
    argcheck(dilT > 0 and dilW > 0 and dilH > 0, 15,
             "dilation should be greater than zero, but got dilationT: %d, dilationH: %d, "
             "dilationW: %d" % (dilT, dilH, dilW))


def vol2col(input_cthw, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT=1, dilH=1, dilW=1,
            out=None):
    """(C,T,H,W) -> columns (C*kT*kH*kW, oT*oH*oW); row ((c*kT+a)*kH+b)*kW+e."""
    check_float(input_cthw)
    if input_cthw.ndim != 4:
        raise KernelError("vol2col expects a 4D (C,T,H,W) array, got: %s"
                          % size_desc(input_cthw.shape), 1)
    _geom3(kT, kH, kW, dT, dH, dW, dilT, dilH, dilW)
    C, T, H, W = input_cthw.shape
    o = conv3d_output_size(T, H, W, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT, dilH, dilW)
    if min(o) < 1:
        raise KernelError("Given input size: (%dx%dx%dx%d). Calculated output size: "
                          "(%dx%dx%d). Output size is too small" % ((C, T, H, W) + o))
    shape = (C * kT * kH * kW, o[0] * o[1] * o[2])
    cols = check_out(out, shape, input_cthw.dtype)
    if cols is None:
        cols = np.empty(shape, input_cthw.dtype)
    _vol2col_k(as_c(input_cthw)[None], cols[None], kT, kH, kW, dT, dH, dW, pT, pH, pW,
               dilT, dilH, dilW, *o)
    return cols


def col2vol(columns, C, T, H, W, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT=1, dilH=1,
            dilW=1, out=None):
    """Adjoint of vol2col -> (C,T,H,W); sums onto ``out`` when given."""
    check_float(columns, "columns")
    _geom3(kT, kH, kW, dT, dH, dW, dilT, dilH, dilW)
    o = conv3d_output_size(T, H, W, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT, dilH, dilW)
    if min(o) < 1:
        raise KernelError("Given input size: (%dx%dx%dx%d). Calculated output size: "
                          "(%dx%dx%d). Output size is too small" % ((C, T, H, W) + o))
    shape = (C * kT * kH * kW, o[0] * o[1] * o[2])
    if columns.shape != shape:
        raise KernelError("columns should be of shape %s but got: %s"
                          % (size_desc(shape), size_desc(columns.shape)))
    vol = check_out(out, (C, T, H, W), columns.dtype)
    if vol is None:
        vol = np.zeros((C, T, H, W), columns.dtype)
    _col2vol_k(as_c(columns)[None], vol[None], kT, kH, kW, dT, dH, dW, pT, pH, pW,
               dilT, dilH, dilW, *o)
    return vol


# ---------------------------------------------------------------------------
# VolumetricConvolutionMM / VolumetricDilatedConvolution

def _conv3d_check(input, grad_output, weight, bias, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                  dilT, dilW, dilH, variant, wname="weight", bname="bias"):
    _input45(input)
    check_same_dtype(input, (wname, weight), (bname, bias), ("gradOutput", grad_output))
    ndim = input.ndim
    dimf = ndim - 4
    if variant == "mm":
        argcheck(kT > 0 and kW > 0 and kH > 0, 8,
                 "kernel size should be greater than zero, but got kT: %d kH: %d kW: %d"
                 % (kT, kH, kW))
        argcheck(dT > 0 and dW > 0 and dH > 0, 11,
                 "stride should be greater than zero, but got dT: %d dH: %d dW: %d"
                 % (dT, dH, dW))
        nIn = input.shape[dimf]
    else:
        argcheck(weight.ndim == 5, 4,
                 "5D (nOutputPlane x nInputPlane x kT x kH x kW) tensor expected for weight, "
                 "but got: %s" % size_desc(weight.shape))
        _geom3(kT, kH, kW, dT, dH, dW, dilT, dilH, dilW)
        if bias is not None:
            check_dim_size(bias, bname, 1, 0, weight.shape[0])
        nIn = weight.shape[1]
    nOut = weight.shape[0]
    T, H, W = input.shape[dimf + 1:]
    o = conv3d_output_size(T, H, W, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT, dilH, dilW)
    if min(o) < 1:
        raise KernelError("Given input size: (%dx%dx%dx%d). Calculated output size: "
                          "(%dx%dx%dx%d). Output size is too small"
                          % ((nIn, T, H, W, nOut) + o))
    K = nIn * kT * kH * kW
    if variant == "mm":
        argcheck(weight.ndim in (2, 5), 4,
                 "weight tensor should be 2D or 5D - got %d" % weight.ndim)
        if bias is not None:
            check_dim_size(bias, bname, 1, 0, nOut)
    check_dim_size(input, "input", ndim, dimf, nIn)
    if grad_output is not None:
        _go_check(grad_output, input, "gradOutput", nOut, o)
    if variant == "mm":
        w2d = weight.reshape(nOut, -1)
        if w2d.shape[1] != K:
            raise KernelError("size mismatch, m1: %s, m2: %s"
                              % (size_desc(w2d.shape), size_desc((K, o[0] * o[1] * o[2]))))
    else:
        if weight.size != nOut * K:
            raise KernelError("weight of size %s does not match kernel size "
                              "(kT: %d kH: %d kW: %d)" % (size_desc(weight.shape), kT, kH, kW), 4)
        w2d = weight.reshape(nOut, K)
    return w2d, nIn, nOut, o


def _variant(variant, *dil):
    if variant is None:
        return "mm" if all(d == 1 for d in dil) else "dilated"
    if variant not in ("mm", "dilated") or (variant == "mm" and any(d != 1 for d in dil)):
        raise ValueError("variant must be 'mm' (no dilation) or 'dilated'")
    return variant


def _columns3(x5, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT, dilH, dilW, o, finput):
    N, C = x5.shape[:2]
    shape = (N, C * kT * kH * kW, o[0] * o[1] * o[2])
    cols = check_out(finput, shape, x5.dtype, "finput")
    if cols is None:
        cols = np.empty(shape, x5.dtype)
    _vol2col_k(x5, cols, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT, dilH, dilW, *o)
    return cols


def conv3d_forward(input, weight, bias, kT, kW, kH, dT, dW, dH, padT, padW, padH,
                   dilT=1, dilW=1, dilH=1, *, variant=None, finput=None, out=None):
    """VolumetricConvolution(MM) / VolumetricDilatedConvolution updateOutput.
    weight (nOut,C,kT,kH,kW) (or 2-D for 'mm'); output (N,nOut,oT,oH,oW)."""
    variant = _variant(variant, dilT, dilW, dilH)
    w2d, nIn, nOut, o = _conv3d_check(input, None, weight, bias, kT, kW, kH, dT, dW, dH,
                                      padT, padW, padH, dilT, dilW, dilH, variant)
    x5 = as_c(_b5(input))
    N = x5.shape[0]
    cols = _columns3(x5, kT, kH, kW, dT, dH, dW, padT, padH, padW, dilT, dilH, dilW, o,
                     finput)
    oshape = input.shape[:-4] + (nOut,) + o
    output = _new(oshape, input.dtype, out)
    o3 = output.reshape(N, nOut, -1)
    np.matmul(as_c(w2d), cols, out=o3)
    if bias is not None:
        o3 += bias[:, None]
    return output


def conv3d_backward_input(input, grad_output, weight, kT, kW, kH, dT, dW, dH, padT, padW,
                          padH, dilT=1, dilW=1, dilH=1, *, variant=None, out=None):
    """VolumetricConvolution(MM) / VolumetricDilatedConvolution updateGradInput."""
    variant = _variant(variant, dilT, dilW, dilH)
    w2d, nIn, nOut, o = _conv3d_check(input, grad_output, weight, None, kT, kW, kH, dT, dW,
                                      dH, padT, padW, padH, dilT, dilW, dilH, variant)
    go5 = as_c(_b5(grad_output))
    N = go5.shape[0]
    fgi = np.matmul(w2d.T, go5.reshape(N, nOut, -1))
    gi = _new(input.shape, input.dtype, out, zero=True)
    _col2vol_k(fgi, _b5(gi), kT, kH, kW, dT, dH, dW, padT, padH, padW, dilT, dilH, dilW, *o)
    return gi


def conv3d_acc_grad_params(input, grad_output, grad_weight, grad_bias, kT, kW, kH, dT, dW,
                           dH, padT, padW, padH, dilT=1, dilW=1, dilH=1, scale=1.0, *,
                           variant=None, finput=None):
    """VolumetricConvolution(MM) / VolumetricDilatedConvolution accGradParameters
    (in place, sample after sample)."""
    variant = _variant(variant, dilT, dilW, dilH)
    gw2d, nIn, nOut, o = _conv3d_check(input, grad_output, grad_weight, grad_bias, kT, kW,
                                       kH, dT, dW, dH, padT, padW, padH, dilT, dilW, dilH,
                                       variant, "gradWeight", "gradBias")
    argcheck(grad_weight.flags.c_contiguous, 4, "gradWeight needs to be contiguous")
    if grad_bias is not None:
        argcheck(grad_bias.flags.c_contiguous, 5, "gradBias needs to be contiguous")
    x5 = as_c(_b5(input))
    N = x5.shape[0]
    go3 = as_c(_b5(grad_output)).reshape(N, nOut, -1)
    if finput is not None:
        cols = check_out(finput, (N, nIn * kT * kH * kW, o[0] * o[1] * o[2]), input.dtype,
                         "finput")
    else:
        cols = _columns3(x5, kT, kH, kW, dT, dH, dW, padT, padH, padW, dilT, dilH, dilW,
                         o, None)
    sc = input.dtype.type(scale)
    tmp = np.empty(gw2d.shape, input.dtype)
    for n in range(N):
        np.matmul(go3[n], cols[n].T, out=tmp)
        if sc != 1:
            tmp *= sc
        gw2d += tmp
    if grad_bias is not None:
        bias_acc_k(go3, grad_bias, sc)


# ---------------------------------------------------------------------------
# VolumetricFull(Dilated)Convolution

def _full3d_check(input, grad_output, weight, bias, dT, dW, dH, pT, pW, pH, dilT, dilW,
                  dilH, aT, aW, aH, wname="weight", bname="bias"):
    _input45(input)
    check_same_dtype(input, (wname, weight), (bname, bias), ("gradOutput", grad_output))
    argcheck(weight.ndim == 5, 4,
             "5D (nOutputPlane x nInputPlane x kT x kH x kW) tensor expected for weight, "
             "but got: %s" % size_desc(weight.shape))
    argcheck(dT > 0 and dW > 0 and dH > 0, 11,
             "stride should be greater than zero, but got dT: %d dH: %d dW: %d" % (dT, dH, dW))
    argcheck(dilT > 0 and dilW > 0 and dilH > 0, 15,
             "dilation should be greater than zero, but got dilationT: %d, dilationH: %d, "
             "dilationW: %d" % (dilT, dilH, dilW))
    argcheck((aT < dT or aT < dilT) and (aW < dW or aW < dilW) and (aH < dH or aH < dilH), 15,
             "output padding must be smaller than either stride or dilation, but got "
             "aT: %d aH: %d aW: %d dT: %d dH: %d dW: %d dilationT: %d dilationH: %d "
             "dilationW: %d" % (aT, aH, aW, dT, dH, dW, dilT, dilH, dilW))
    nIn, nOut, kT, kH, kW = weight.shape
    if bias is not None:
        check_dim_size(bias, bname, 1, 0, nOut)
    ndim = input.ndim
    dimf = ndim - 4
    T, H, W = input.shape[dimf + 1:]
    o = ((T - 1) * dT - 2 * pT + (dilT * (kT - 1) + 1) + aT,
         (H - 1) * dH - 2 * pH + (dilH * (kH - 1) + 1) + aH,
         (W - 1) * dW - 2 * pW + (dilW * (kW - 1) + 1) + aW)
    if min(o) < 1:
        raise KernelError("Given input size: (%dx%dx%dx%d). Calculated output size: "
                          "(%dx%dx%dx%d). Output size is too small"
                          % ((nIn, T, H, W, nOut) + o))
    check_dim_size(input, "input", ndim, dimf, nIn)
    if grad_output is not None:
        _go_check(grad_output, input, "gradOutput", nOut, o)
    return weight.reshape(nIn, nOut * kT * kH * kW), nIn, nOut, (kT, kH, kW), (T, H, W), o


def full_conv3d_forward(input, weight, bias, dT, dW, dH, padT, padW, padH, adjT=0, adjW=0,
                        adjH=0, dilT=1, dilW=1, dilH=1, *, out=None):
    """VolumetricFull(Dilated)Convolution updateOutput; weight (nIn,nOut,kT,kH,kW)
    gives the kernel size, as in THNN."""
    w2d, nIn, nOut, k, isz, o = _full3d_check(input, None, weight, bias, dT, dW, dH, padT,
                                              padW, padH, dilT, dilW, dilH, adjT, adjW, adjH)
    x5 = as_c(_b5(input))
    N = x5.shape[0]
    cols = np.matmul(w2d.T, x5.reshape(N, nIn, -1))
    output = _new(input.shape[:-4] + (nOut,) + o, input.dtype, out, zero=True)
    _col2vol_k(cols, _b5(output), k[0], k[1], k[2], dT, dH, dW, padT, padH, padW,
               dilT, dilH, dilW, *isz)
    if bias is not None:
        o3 = output.reshape(N, nOut, -1)
        o3 += bias[:, None]
    return output


def full_conv3d_backward_input(input, grad_output, weight, dT, dW, dH, padT, padW, padH,
                               adjT=0, adjW=0, adjH=0, dilT=1, dilW=1, dilH=1, *, out=None):
    """VolumetricFull(Dilated)Convolution updateGradInput."""
    w2d, nIn, nOut, k, isz, o = _full3d_check(input, grad_output, weight, None, dT, dW, dH,
                                              padT, padW, padH, dilT, dilW, dilH,
                                              adjT, adjW, adjH)
    go5 = as_c(_b5(grad_output))
    N = go5.shape[0]
    cols = np.empty((N, w2d.shape[1], isz[0] * isz[1] * isz[2]), input.dtype)
    _vol2col_k(go5, cols, k[0], k[1], k[2], dT, dH, dW, padT, padH, padW, dilT, dilH, dilW,
               *isz)
    gi = _new(input.shape, input.dtype, out)
    np.matmul(w2d, cols, out=gi.reshape(N, nIn, -1))
    return gi


def full_conv3d_acc_grad_params(input, grad_output, grad_weight, grad_bias, dT, dW, dH,
                                padT, padW, padH, adjT=0, adjW=0, adjH=0, dilT=1, dilW=1,
                                dilH=1, scale=1.0):
    """VolumetricFull(Dilated)Convolution accGradParameters (in place)."""
    gw2d, nIn, nOut, k, isz, o = _full3d_check(input, grad_output, grad_weight, grad_bias,
                                               dT, dW, dH, padT, padW, padH, dilT, dilW,
                                               dilH, adjT, adjW, adjH, "gradWeight",
                                               "gradBias")
    argcheck(grad_weight.flags.c_contiguous, 4, "gradWeight needs to be contiguous")
    if grad_bias is not None:
        argcheck(grad_bias.flags.c_contiguous, 5, "gradBias needs to be contiguous")
    x5 = as_c(_b5(input))
    go5 = as_c(_b5(grad_output))
    N = x5.shape[0]
    cols = np.empty((N, gw2d.shape[1], isz[0] * isz[1] * isz[2]), input.dtype)
    _vol2col_k(go5, cols, k[0], k[1], k[2], dT, dH, dW, padT, padH, padW, dilT, dilH, dilW,
               *isz)
    sc = input.dtype.type(scale)
    x3 = x5.reshape(N, nIn, -1)
    tmp = np.empty(gw2d.shape, input.dtype)
    for n in range(N):
        np.matmul(x3[n], cols[n].T, out=tmp)
        if sc != 1:
            tmp *= sc
        gw2d += tmp
    if grad_bias is not None:
        bias_acc_k(go5.reshape(N, nOut, -1), grad_bias, sc)


# ---------------------------------------------------------------------------
# VolumetricMaxPooling / VolumetricDilatedMaxPooling

def max_pool3d_output_size(T, H, W, kT, kH, kW, dT, dH, dW, pT=0, pH=0, pW=0,
                           dilT=1, dilH=1, dilW=1, ceil_mode=False):
    anyp = bool(pT or pW or pH)
    return tuple(pool_last_window_fix(pool_out_size(s, dl * (k - 1) + 1, p, d, ceil_mode),
                                      s, p, d, anyp)
                 for s, k, d, p, dl in ((T, kT, dT, pT, dilT), (H, kH, dH, pH, dilH),
                                        (W, kW, dW, pW, dilW)))


def _maxpool3d_check(input, grad_output, indices, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                     dilT, dilW, dilH, ceil_mode):
    check_float(input)
    check_same_dtype(input, ("gradOutput", grad_output))
    argcheck(kT > 0 and kW > 0 and kH > 0, 5,
             "kernel size should be greater than zero, but got kT: %d kH: %d kW: %d"
             % (kT, kH, kW))
    argcheck(dT > 0 and dW > 0 and dH > 0, 8,
             "stride should be greater than zero, but got dT: %d dH: %d dW: %d" % (dT, dH, dW))
    argcheck(dilT > 0 and dilW > 0 and dilH > 0, 14,
             "dilation should be greater than 0, but got dilationT: %d dilationH: %d "
             "dilationW: %d" % (dilT, dilH, dilW))
    _input45(input)
    argcheck(kT // 2 >= pT and kW // 2 >= pW and kH // 2 >= pH, 2,
             "pad should be smaller than half of kernel size, but got kT: %d kW: %d, kH: %d, "
             "padT: %d, padW: %d, padH: %d" % (kT, kW, kH, pT, pW, pH))
    C, T, H, W = input.shape[-4:]
    o = max_pool3d_output_size(T, H, W, kT, kH, kW, dT, dH, dW, pT, pH, pW, dilT, dilH,
                               dilW, ceil_mode)
    if min(o) < 1:
        raise KernelError("Given input size: (%dx%dx%dx%d). Calculated output size: "
                          "(%dx%dx%dx%d). Output size is too small" % ((C, T, H, W, C) + o))
    if grad_output is not None:
        _go_check(grad_output, input, "gradOutput", C, o)
    if indices is not None:
        check_indices(indices)
        _go_check(indices, input, "indices", C, o)
    return o


def max_pool3d_forward(input, kT, kW, kH, dT, dW, dH, padT=0, padW=0, padH=0, dilT=1,
                       dilW=1, dilH=1, ceil_mode=False, *, out=None, indices=None):
    """VolumetricMaxPooling / VolumetricDilatedMaxPooling updateOutput ->
    (output, packed int64 indices; see module doc). A given ``indices`` array
    keeps its high bytes, as THNN's reused index tensor does."""
    o = _maxpool3d_check(input, None, None, kT, kW, kH, dT, dW, dH, padT, padW, padH,
                         dilT, dilW, dilH, ceil_mode)
    oshape = input.shape[:-3] + o
    output = _new(oshape, input.dtype, out)
    ind = check_out(indices, oshape, np.int64, "indices")
    if ind is None:
        ind = np.zeros(oshape, np.int64)
    _maxpool3d_k(as_c(_b5(input)), _b5(output), _b5(ind), kT, kH, kW, dT, dH, dW,
                 padT, padH, padW, dilT, dilH, dilW)
    return output, ind


def unpack_max_pool3d_indices(indices):
    """Packed indices -> (t, h, w) offsets inside the window, int64 arrays
    (-1 where THNN stored no maximum)."""
    v = np.asarray(indices, np.int64)
    parts = [((v >> s) & 255) for s in (0, 8, 16)]
    none = (parts[0] == 255) & (parts[1] == 255) & (parts[2] == 255)
    return tuple(np.where(none, -1, p) for p in parts)


def max_pool3d_backward(input, grad_output, indices, kT, kW, kH, dT, dW, dH, padT=0,
                        padW=0, padH=0, dilT=1, dilW=1, dilH=1, ceil_mode=False, *,
                        out=None):
    """VolumetricMaxPooling / VolumetricDilatedMaxPooling updateGradInput.
    Windows without a maximum get no gradient (THNN would write out of bounds)."""
    _maxpool3d_check(input, grad_output, indices, kT, kW, kH, dT, dW, dH, padT, padW, padH,
                     dilT, dilW, dilH, ceil_mode)
    gi = _new(input.shape, input.dtype, out, zero=True)
    bad = _maxpool3d_bwd_k(as_c(_b5(grad_output)), as_c(_b5(indices)), _b5(gi), dT, dH, dW,
                           padT, padH, padW, dilT, dilH, dilW)
    if bad:
        raise KernelError("found %d invalid max indices (outside the %dx%dx%d input volumes)"
                          % ((bad,) + input.shape[-3:]))
    return gi


# ---------------------------------------------------------------------------
# VolumetricAveragePooling

def _avgpool3d_check(input, grad_output, kT, kW, kH, dT, dW, dH, pT, pW, pH, ceil_mode):
    check_float(input)
    check_same_dtype(input, ("gradOutput", grad_output))
    argcheck(kT > 0 and kW > 0 and kH > 0, 5,
             "kernel size should be greater than zero, but got kT: %d kH: %d kW: %d"
             % (kT, kH, kW))
    argcheck(dT > 0 and dW > 0 and dH > 0, 8,
             "stride should be greater than zero, but got dT: %d dH: %d dW: %d" % (dT, dH, dW))
    _input45(input)
    C, T, H, W = input.shape[-4:]
    argcheck(W >= kW and H >= kH and T >= kT, 2,
             "input image (T: %d H: %d W: %d) smaller than kernel size (kT: %d kH: %d kW: %d)"
             % (T, H, W, kT, kH, kW))
    argcheck(kT // 2 >= pT and kW // 2 >= pW and kH // 2 >= pH, 11,
             "pad should not be greater than half of kernel size, but got padT = %d, "
             "padW = %d, padH = %d, kT = %d, kW = %d, kH = %d" % (pT, pW, pH, kT, kW, kH))
    o = max_pool3d_output_size(T, H, W, kT, kH, kW, dT, dH, dW, pT, pH, pW, 1, 1, 1, ceil_mode)
    if min(o) < 1:
        raise KernelError("Given input size: (%dx%dx%dx%d). Calculated output size: "
                          "(%dx%dx%dx%d). Output size is too small" % ((C, T, H, W, C) + o))
    if grad_output is not None:
        _go_check(grad_output, input, "gradOutput", C, o)
    return o


def avg_pool3d_forward(input, kT, kW, kH, dT, dW, dH, padT=0, padW=0, padH=0,
                       ceil_mode=False, count_include_pad=True, *, out=None):
    """VolumetricAveragePooling updateOutput."""
    o = _avgpool3d_check(input, None, kT, kW, kH, dT, dW, dH, padT, padW, padH, ceil_mode)
    output = _new(input.shape[:-3] + o, input.dtype, out)
    _avgpool3d_k(as_c(_b5(input)), _b5(output), kT, kH, kW, dT, dH, dW, padT, padH, padW,
                 bool(count_include_pad))
    return output


def avg_pool3d_backward(input, grad_output, kT, kW, kH, dT, dW, dH, padT=0, padW=0, padH=0,
                        ceil_mode=False, count_include_pad=True, *, out=None):
    """VolumetricAveragePooling updateGradInput."""
    _avgpool3d_check(input, grad_output, kT, kW, kH, dT, dW, dH, padT, padW, padH, ceil_mode)
    gi = _new(input.shape, input.dtype, out, zero=True)
    _avgpool3d_bwd_k(as_c(_b5(grad_output)), _b5(gi), kT, kH, kW, dT, dH, dW, padT, padH,
                     padW, bool(count_include_pad))
    return gi


# ---------------------------------------------------------------------------
# VolumetricMaxUnpooling

def _unpool3d_check(input, grad_output, indices, oT, oW, oH, dT, dW, dH):
    _input45(input)
    check_indices(indices)
    check_shape_indices(input, indices)
    argcheck(dT > 0 and dW > 0 and dH > 0, 10,
             "stride should be greater than zero, but got dT: %d dH: %d dW: %d" % (dT, dH, dW))
    if min(oT, oW, oH) < 1:
        raise KernelError("output size should be greater than zero, but got oT: %d oH: %d "
                          "oW: %d" % (oT, oH, oW))
    if grad_output is not None:
        check_same_dtype(input, ("gradOutput", grad_output))
        g = grad_output.shape
        if grad_output.ndim != input.ndim or (oT, oH, oW) != tuple(g[-3:]):
            gg = tuple(g[-3:]) if len(g) >= 3 else (0, 0, 0)
            raise KernelError("Inconsistent gradOutput size. oT= %d, oH= %d, oW= %d, "
                              "gradOutput: %dx%dx%d" % ((oT, oH, oW) + gg))
        check_dim_size(grad_output, "gradOutput", input.ndim, input.ndim - 4,
                       input.shape[-4])
        if input.ndim == 5 and g[0] != input.shape[0]:
            raise KernelError("gradOutput has %d samples but input has %d"
                              % (g[0], input.shape[0]))


def max_unpool3d_forward(input, indices, oT, oW, oH, dT, dW, dH, padT=0, padW=0, padH=0,
                         *, out=None):
    """VolumetricMaxUnpooling updateOutput (packed indices from max_pool3d_forward)."""
    _unpool3d_check(input, None, indices, oT, oW, oH, dT, dW, dH)
    output = _new(input.shape[:-3] + (oT, oH, oW), input.dtype, out, zero=True)
    n, e = _unpool3d_k(as_c(_b5(input)), as_c(_b5(indices)), _b5(output), dT, dH, dW,
                       padT, padH, padW)
    if n >= 0:
        raise KernelError("found an invalid max index %d (output volumes are of size "
                          "%dx%dx%d)" % (e, oT, oH, oW))
    return output


def max_unpool3d_backward(input, grad_output, indices, oT, oW, oH, dT, dW, dH, padT=0,
                          padW=0, padH=0, *, out=None):
    """VolumetricMaxUnpooling updateGradInput."""
    _unpool3d_check(input, grad_output, indices, oT, oW, oH, dT, dW, dH)
    gi = _new(input.shape, input.dtype, out, zero=True)
    found, z, y, x = _unpool3d_bwd_k(as_c(_b5(grad_output)), as_c(_b5(indices)), _b5(gi),
                                     dT, dH, dW, padT, padH, padW)
    if found:
        raise KernelError("invalid max index z= %d, y= %d, x= %d, oT= %d, oW= %d, oH= %d"
                          % (z, y, x, oT, oW, oH))
    return gi


export(globals())
