"""Temporal family: THNN's TemporalConvolution, TemporalRowConvolution and
TemporalMaxPooling.

Layouts: TemporalConvolution / TemporalMaxPooling take (T, F) or (N, T, F)
(time, then features); TemporalRowConvolution takes (F, T) or (N, F, T)
(``feat_first=True``) or the time-major layout with ``feat_first=False``,
exactly like the nn module.
TemporalMaxPooling indices are int64, 0-based offsets inside the window
(THNN stores ``x`` in [0, kW), -1 when nothing beat -inf) -- not 1-based.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._common import (export, KernelError, lazyjit, size_desc, argcheck, check_dim_size,
                      check_float, check_same_dtype, check_indices, as_c, check_out,
                      bias_acc_k, cdiv)

__all__ = [
    "temporal_conv_forward", "temporal_conv_backward_input",
    "temporal_conv_acc_grad_params",
    "row_conv_forward", "row_conv_backward_input", "row_conv_acc_grad_params",
    "temporal_max_pool_forward", "temporal_max_pool_backward",
]


# ---------------------------------------------------------------------------
# kernels

@lazyjit
def _tmax_k(x, out, ind, kW, dW):
    N, T, F = x.shape
    oT = out.shape[1]
    for n in range(N):
        for t in range(oT):
            for y in range(F):
                best = -np.inf
                bi = -1
                for k in range(kW):
                    v = x[n, t * dW + k, y]
                    if v > best:
                        best = v
                        bi = k
                out[n, t, y] = best
                ind[n, t, y] = bi


@lazyjit
def _tmax_bwd_k(go, ind, gi, kW, dW):
    N, oT, F = go.shape
    bad = 0
    for n in range(N):
        for t in range(oT):
            for y in range(F):
                k = ind[n, t, y]
                if k == -1:
                    continue
                if k < 0 or k >= kW:
                    bad += 1
                    continue
                gi[n, t * dW + k, y] += go[n, t, y]
    return bad


@lazyjit
def _rows_acc_k(go, gb, scale):
    # TemporalConvolution's bias gradient: one cadd per output frame, in order
    N, T, F = go.shape
    for n in range(N):
        for t in range(T):
            for f in range(F):
                gb[f] += scale * go[n, t, f]


# ---------------------------------------------------------------------------
# TemporalConvolution

def _b3(a):
    return a if a.ndim == 3 else a[None]


def _windows(a2, nframe, start, step, width):
    """View of rows ``start + m*step`` of a contiguous (T, F) array, each row
    ``width`` frames long, flattened: shape (nframe, width*F)."""
    F = a2.shape[1]
    it = a2.itemsize
    return as_strided(a2[start:], shape=(nframe, width * F), strides=(step * F * it, it),
                      writeable=a2.flags.writeable)


def _groups(nIn, nOut, kW, dW):
    # THNN splits the frames into groups whose input windows do not overlap;
    # gradients are accumulated group after group, as there.
    ofs = (kW - 1) // dW + 1
    k, rem, out = 0, nOut, []
    while rem > 0:
        nframe = (nIn - k * dW - kW) // (ofs * dW) + 1
        rem -= nframe
        out.append((k, nframe))
        k += 1
    return ofs, out


def _tc_check(input, kW, dW, frame_size):
    check_float(input)
    argcheck(kW > 0, 9, "kernel size should be greater than zero, but got kW: %d" % kW)
    argcheck(dW > 0, 11, "stride should be greater than zero, but got dW: %d" % dW)
    argcheck(input.ndim in (2, 3), 2,
             "2D or 3D (batch mode) tensor expected for input, but got: %s"
             % size_desc(input.shape))
    dimS = input.ndim - 2
    if frame_size is not None:
        argcheck(input.shape[dimS + 1] == frame_size, 2,
                 "invalid input frame size. Got: %d, Expected: %d"
                 % (input.shape[dimS + 1], frame_size))
    argcheck(input.shape[dimS] >= kW, 2,
             "input sequence smaller than kernel size. Got: %d, Expected: %d"
             % (input.shape[dimS], kW))
    return (input.shape[dimS] - kW) // dW + 1


def _tc_weight(weight, kW, inF, nOut_frames):
    if weight.ndim != 2 or weight.shape[1] != kW * inF:
        m1 = (nOut_frames, kW * inF)
        m2 = weight.shape[::-1] if weight.ndim == 2 else weight.shape
        raise KernelError("size mismatch, m1: %s, m2: %s" % (size_desc(m1), size_desc(m2)))


def _tc_go(input, grad_output, nOut, outF):
    shape = input.shape[:-2] + (nOut, outF)
    if grad_output.shape != shape:
        # THNN takes the frame count from gradOutput unchecked
        raise KernelError("gradOutput should be of shape %s but got: %s"
                          % (size_desc(shape), size_desc(grad_output.shape)))


def temporal_conv_forward(input, weight, bias, kW, dW, inputFrameSize, outputFrameSize,
                          *, out=None):
    """TemporalConvolution updateOutput. weight (outF, kW*inF), bias (outF,).
    output (…, nOut, outF), nOut = (T - kW) // dW + 1."""
    check_same_dtype(input, ("weight", weight), ("bias", bias))
    argcheck(weight.flags.c_contiguous, 4, "weight must be contiguous")
    argcheck(bias is None or bias.flags.c_contiguous, 5, "bias must be contiguous")
    nOut = _tc_check(input, kW, dW, inputFrameSize)
    _tc_weight(weight, kW, inputFrameSize, nOut)
    if weight.shape[0] != outputFrameSize or bias is None or bias.shape != (outputFrameSize,):
        raise KernelError("weight %s / bias %s do not match outputFrameSize %d"
                          % (size_desc(weight.shape),
                             "none" if bias is None else size_desc(bias.shape),
                             outputFrameSize))
    x3 = as_c(_b3(input))
    N, T, F = x3.shape
    oshape = input.shape[:-2] + (nOut, outputFrameSize)
    output = check_out(out, oshape, input.dtype)
    if output is None:
        output = np.empty(oshape, input.dtype)
    o3 = _b3(output)
    for n in range(N):
        win = _windows(x3[n], nOut, 0, dW, kW)
        np.matmul(win, weight.T, out=o3[n])
    o3 += bias
    return output


def temporal_conv_backward_input(input, grad_output, weight, kW, dW, *, out=None):
    """TemporalConvolution updateGradInput -> gradInput (input's shape)."""
    check_same_dtype(input, ("weight", weight), ("gradOutput", grad_output))
    argcheck(weight.flags.c_contiguous, 4, "weight must be contiguous")
    nOut = _tc_check(input, kW, dW, None)
    _tc_weight(weight, kW, input.shape[-1], nOut)
    _tc_go(input, grad_output, nOut, weight.shape[0])
    go3 = as_c(_b3(grad_output))
    gi = check_out(out, input.shape, input.dtype)
    if gi is None:
        gi = np.zeros(input.shape, input.dtype)
    else:
        gi.fill(0)
    gi3 = _b3(gi)
    T = input.shape[-2]
    ofs, groups = _groups(T, nOut, kW, dW)
    for n in range(go3.shape[0]):
        for k, nframe in groups:
            gow = go3[n, k::ofs][:nframe]
            giw = _windows(gi3[n], nframe, k * dW, ofs * dW, kW)
            giw += gow @ weight
    return gi


def temporal_conv_acc_grad_params(input, grad_output, grad_weight, grad_bias, kW, dW,
                                  scale=1.0):
    """TemporalConvolution accGradParameters, in place:
    grad_bias += scale*gradOutput[t] frame by frame; grad_weight += scale *
    gradOutputWindow^T @ inputWindow group by group."""
    check_same_dtype(input, ("gradWeight", grad_weight), ("gradBias", grad_bias),
                     ("gradOutput", grad_output))
    nOut = _tc_check(input, kW, dW, None)
    _tc_weight(grad_weight, kW, input.shape[-1], nOut)
    _tc_go(input, grad_output, nOut, grad_weight.shape[0])
    if not grad_weight.flags.c_contiguous or grad_bias is None \
            or grad_bias.shape != (grad_weight.shape[0],):
        raise KernelError("gradWeight must be contiguous and gradBias of size %d"
                          % grad_weight.shape[0])
    x3 = as_c(_b3(input))
    go3 = as_c(_b3(grad_output))
    sc = input.dtype.type(scale)
    T = input.shape[-2]
    ofs, groups = _groups(T, nOut, kW, dW)
    for n in range(x3.shape[0]):
        _rows_acc_k(go3[n:n + 1], grad_bias, sc)
        for k, nframe in groups:
            gow = go3[n, k::ofs][:nframe]
            xw = _windows(x3[n], nframe, k * dW, ofs * dW, kW)
            tmp = gow.T @ xw
            if sc != 1:
                tmp *= sc
            grad_weight += tmp


# ---------------------------------------------------------------------------
# TemporalRowConvolution

def _rc_prepare(input, feat_first):
    check_float(input)
    if not feat_first:
        # THNN transposes the last two dims before anything else
        input = np.swapaxes(input, -1, -2) if input.ndim >= 2 else input
    return input


def _rc_check(input, grad_output, weight, bias, kW, dW, padW, wname="weight",
              bname="bias"):
    argcheck(kW > 0, 5, "kernel size should be greater than zero, but got kW: %d" % kW)
    argcheck(dW > 0, 6, "stride should be greater than zero, but got dW: %d" % dW)
    argcheck(weight.ndim == 3, 3, "3D weight tensor expected, but got: %s"
             % size_desc(weight.shape))
    argcheck(weight.flags.c_contiguous, 4, "weight must be contiguous")
    argcheck(bias is None or bias.flags.c_contiguous, 5, "bias must be contiguous")
    if bias is not None:
        check_dim_size(bias, bname, 1, 0, weight.shape[0])
    ndim = input.ndim
    argcheck(ndim in (2, 3), 1, "2D or 3D (batch mode) input tensor expected, but got :%s"
             % size_desc(input.shape))
    dimF = ndim - 2
    F = weight.shape[0]
    nIn = input.shape[dimF + 1]
    nOut = cdiv(nIn + 2 * padW - kW, dW) + 1
    if nOut < 1:
        raise KernelError("Given input size: (%d x %d). Calculated output size: (%d x %d). "
                          "Output size is too small" % (F, nIn, F, nOut))
    check_dim_size(input, "input", ndim, dimF, F)
    if grad_output is not None:
        check_dim_size(grad_output, "gradOutput", ndim, dimF, F)
        check_dim_size(grad_output, "gradOutput", ndim, dimF + 1, nOut)
        if ndim == 3 and grad_output.shape[0] != input.shape[0]:
            raise KernelError("gradOutput has %d samples but input has %d"
                              % (grad_output.shape[0], input.shape[0]))
    if padW != 0:
        # THNN's unfold ignores padW and would read past the sequence
        raise KernelError("padW must be 0 (nn.TemporalRowConvolution always passes 0)")
    if (nOut - 1) * dW + kW > nIn:
        # C division rounds a too-short sequence up to one frame; THNN would
        # then read past the sequence
        raise KernelError("input sequence smaller than kernel size. Got: %d, Expected: %d"
                          % (nIn, kW), 1)
    if weight.shape != (F, 1, kW):
        raise KernelError("%s should be of shape %s but got: %s"
                          % (wname, size_desc((F, 1, kW)), size_desc(weight.shape)))
    return F, nIn, nOut


def _rc_unfold(x3, kW, dW, nOut):
    # (N, F, T) -> read-only view (N, F, kW, nOut): [n, c, k, x] = x3[n, c, k + x*dW]
    N, F, T = x3.shape
    it = x3.itemsize
    return as_strided(x3, shape=(N, F, kW, nOut), strides=(F * T * it, T * it, it, dW * it),
                      writeable=False)


def row_conv_forward(input, weight, bias, kW, dW, padW=0, feat_first=True, *, out=None):
    """TemporalRowConvolution updateOutput. weight (F,1,kW), bias (F,) or None.
    With feat_first=False input is (…, T, F) and the output is returned as the
    transposed (non-contiguous) view, as THNN does."""
    x = _rc_prepare(input, feat_first)
    check_same_dtype(x, ("weight", weight), ("bias", bias))
    F, nIn, nOut = _rc_check(x, None, weight, bias, kW, dW, padW)
    x3 = as_c(_b3(x))
    oshape = x.shape[:-1] + (nOut,)
    output = check_out(out, oshape, x.dtype)
    if output is None:
        output = np.empty(oshape, x.dtype)
    o4 = _b3(output)[:, :, None, :]
    np.matmul(weight[None], _rc_unfold(x3, kW, dW, nOut), out=o4)
    if bias is not None:
        o4 += bias[:, None, None]
    return output if feat_first else np.swapaxes(output, -1, -2)


def row_conv_backward_input(input, grad_output, weight, kW, dW, padW=0, feat_first=True,
                            *, out=None):
    """TemporalRowConvolution updateGradInput."""
    x = _rc_prepare(input, feat_first)
    go = _rc_prepare(grad_output, feat_first)
    check_same_dtype(x, ("weight", weight), ("gradOutput", go))
    F, nIn, nOut = _rc_check(x, go, weight, None, kW, dW, padW)
    go3 = as_c(_b3(go))
    N = go3.shape[0]
    # fgradInput[n, c, k, x] = weight[c, 0, k] * gradOutput[n, c, x]
    fgi = np.matmul(np.swapaxes(weight, 1, 2)[None], go3[:, :, None, :])
    gi = check_out(out, x.shape, x.dtype)
    if gi is None:
        gi = np.zeros(x.shape, x.dtype)
    else:
        gi.fill(0)
    gi3 = _b3(gi)
    for k in range(kW):
        gi3[:, :, k:k + (nOut - 1) * dW + 1:dW] += fgi[:, :, k, :]
    return gi if feat_first else np.swapaxes(gi, -1, -2)


def row_conv_acc_grad_params(input, grad_output, grad_weight, grad_bias, kW, dW, padW=0,
                             feat_first=True, scale=1.0):
    """TemporalRowConvolution accGradParameters, in place:
    grad_weight[c,0,k] += scale * sum_x gradOutput[c,x]*input[c,k+x*dW];
    grad_bias[c] += scale * sum_x gradOutput[c,x] (sample by sample)."""
    x = _rc_prepare(input, feat_first)
    go = _rc_prepare(grad_output, feat_first)
    check_same_dtype(x, ("gradWeight", grad_weight), ("gradBias", grad_bias),
                     ("gradOutput", go))
    F, nIn, nOut = _rc_check(x, go, grad_weight, grad_bias, kW, dW, padW,
                             "gradWeight", "gradBias")
    x3 = as_c(_b3(x))
    go3 = as_c(_b3(go))
    sc = x.dtype.type(scale)
    fin = _rc_unfold(x3, kW, dW, nOut)
    for n in range(x3.shape[0]):
        tmp = np.matmul(go3[n][:, None, :], np.swapaxes(fin[n], 1, 2))
        if sc != 1:
            tmp *= sc
        grad_weight += tmp
        if grad_bias is not None:
            bias_acc_k(go3[n:n + 1], grad_bias, sc)


# ---------------------------------------------------------------------------
# TemporalMaxPooling

def _tmax_check(input, grad_output, indices, kW, dW):
    check_float(input)
    check_same_dtype(input, ("gradOutput", grad_output))
    argcheck(kW > 0, 5, "kernel size should be greater than zero, but got kW: %d" % kW)
    argcheck(dW > 0, 6, "stride should be greater than zero, but got dW: %d" % dW)
    ndim = input.ndim
    argcheck(ndim in (2, 3), 2, "2D or 3D (batch mode) tensor expected for input, but got: %s"
             % size_desc(input.shape))
    dimS = ndim - 2
    argcheck(input.shape[dimS] >= kW, 2,
             "input sequence smaller than kernel size. Got: %d, Expected: %d"
             % (input.shape[dimS], kW))
    nOut = (input.shape[dimS] - kW) // dW + 1
    F = input.shape[dimS + 1]
    for arr, name in ((grad_output, "gradOutput"), (indices, "indices")):
        if arr is not None:
            check_dim_size(arr, name, ndim, dimS, nOut)
            check_dim_size(arr, name, ndim, dimS + 1, F)
            if ndim == 3 and arr.shape[0] != input.shape[0]:
                raise KernelError("%s has %d samples but input has %d"
                                  % (name, arr.shape[0], input.shape[0]))
    if indices is not None:
        check_indices(indices)
    return nOut, F


def temporal_max_pool_forward(input, kW, dW, *, out=None, indices=None):
    """TemporalMaxPooling updateOutput -> (output (…,nOut,F), indices 0-based in window)."""
    nOut, F = _tmax_check(input, None, None, kW, dW)
    oshape = input.shape[:-2] + (nOut, F)
    output = check_out(out, oshape, input.dtype)
    if output is None:
        output = np.empty(oshape, input.dtype)
    ind = check_out(indices, oshape, np.int64, "indices")
    if ind is None:
        ind = np.empty(oshape, np.int64)
    _tmax_k(as_c(_b3(input)), _b3(output), _b3(ind), kW, dW)
    return output, ind


def temporal_max_pool_backward(input, grad_output, indices, kW, dW, *, out=None):
    """TemporalMaxPooling updateGradInput."""
    _tmax_check(input, grad_output, indices, kW, dW)
    gi = check_out(out, input.shape, input.dtype)
    if gi is None:
        gi = np.zeros(input.shape, input.dtype)
    else:
        gi.fill(0)
    bad = _tmax_bwd_k(as_c(_b3(grad_output)), as_c(_b3(indices)), _b3(gi), kW, dW)
    if bad:
        raise KernelError("found %d invalid max indices (outside [0, %d))" % (bad, kW))
    return gi


export(globals())
