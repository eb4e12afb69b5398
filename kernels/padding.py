"""Padding: THNN's SpatialReflectionPadding, SpatialReplicationPadding and
VolumetricReplicationPadding (negative pads crop, as in THNN).

Every output pixel copies one input pixel; the source of each output row and
column is computed once (THNN's formulas) and checked to lie inside the input,
since THNN itself reads out of bounds when a reflection pad is not smaller than
the input.
"""
import numpy as np

from ._common import (export, KernelError, lazyjit, size_desc, argcheck, check_float,
                      check_same_dtype, as_c, check_out)

__all__ = [
    "reflection_pad2d_forward", "reflection_pad2d_backward",
    "replication_pad2d_forward", "replication_pad2d_backward",
    "replication_pad3d_forward", "replication_pad3d_backward",
]


@lazyjit
def _gather2d_k(x, out, my, mx):
    N, C, oH, oW = out.shape
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                yi = my[i]
                for j in range(oW):
                    out[n, c, i, j] = x[n, c, yi, mx[j]]


@lazyjit
def _scatter2d_k(go, gi, my, mx):
    # accumulated in output order (row, then column), as THNN's loops
    N, C, oH, oW = go.shape
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                yi = my[i]
                for j in range(oW):
                    gi[n, c, yi, mx[j]] += go[n, c, i, j]


@lazyjit
def _gather3d_k(x, out, mz, my, mx):
    N, C, oD, oH, oW = out.shape
    for n in range(N):
        for c in range(C):
            for z in range(oD):
                zi = mz[z]
                for i in range(oH):
                    yi = my[i]
                    for j in range(oW):
                        out[n, c, z, i, j] = x[n, c, zi, yi, mx[j]]


@lazyjit
def _scatter3d_k(go, gi, mz, my, mx):
    N, C, oD, oH, oW = go.shape
    for n in range(N):
        for c in range(C):
            for z in range(oD):
                zi = mz[z]
                for i in range(oH):
                    yi = my[i]
                    for j in range(oW):
                        gi[n, c, zi, yi, mx[j]] += go[n, c, z, i, j]


def _reflect_map(isz, p0, p1):
    # THNN: j < pad -> 2*pad - j; inside -> j; after -> 2*(isz+pad-1) - j;
    # then shifted by the crop of a negative pad
    j = np.arange(isz + p0 + p1, dtype=np.int64)
    src = np.where(j < p0, 2 * p0 - j, np.where(j < isz + p0, j, 2 * (isz + p0 - 1) - j))
    return src - max(0, p0) + max(0, -p0)


def _replicate_map(isz, p0, p1):
    j = np.arange(isz + p0 + p1, dtype=np.int64)
    src = np.where(j < p0, p0, np.where(j < isz + p0, j, isz + p0 - 1))
    return src - max(0, p0) + max(0, -p0)


def _check_map(m, isz, what):
    if m.size and (m.min() < 0 or m.max() >= isz):
        raise KernelError("padding size should be less than the corresponding input "
                          "dimension, but got: %s of input size %d" % (what, isz))


def _pad2d_setup(input, l, r, t, b, mapper):
    check_float(input)
    argcheck(input.ndim in (3, 4), 2,
             "3D or 4D (batch mode) tensor expected for input, but got: %s"
             % size_desc(input.shape))
    H, W = input.shape[-2:]
    oH, oW = H + t + b, W + l + r
    argcheck(oW >= 1 or oH >= 1, 2,
             "input (H: %d, W: %d)is too small. Calculated output H: %d W: %d"
             % (H, W, oH, oW))
    if oW < 1 or oH < 1:
        # THNN's check above only needs one of them; an empty side is an error here
        raise KernelError("input (H: %d, W: %d)is too small. Calculated output H: %d W: %d"
                          % (H, W, oH, oW), 2)
    my, mx = mapper(H, t, b), mapper(W, l, r)
    _check_map(my, H, "pad_t=%d pad_b=%d" % (t, b))
    _check_map(mx, W, "pad_l=%d pad_r=%d" % (l, r))
    return oH, oW, my, mx


def _b4(a):
    return a if a.ndim == 4 else a[None]


def _pad2d_fwd(input, l, r, t, b, mapper, out):
    oH, oW, my, mx = _pad2d_setup(input, l, r, t, b, mapper)
    output = check_out(out, input.shape[:-2] + (oH, oW), input.dtype)
    if output is None:
        output = np.empty(input.shape[:-2] + (oH, oW), input.dtype)
    _gather2d_k(as_c(_b4(input)), _b4(output), my, mx)
    return output


def _pad2d_bwd(input, grad_output, l, r, t, b, mapper, out):
    oH, oW, my, mx = _pad2d_setup(input, l, r, t, b, mapper)
    check_same_dtype(input, ("gradOutput", grad_output))
    ndim = input.ndim
    gw = grad_output.shape[ndim - 1] if grad_output.ndim >= ndim else -1
    gh = grad_output.shape[ndim - 2] if grad_output.ndim >= ndim else -1
    argcheck(oW == gw, 3, "gradOutput width unexpected. Expected: %d, Got: %d" % (oW, gw))
    argcheck(oH == gh, 3, "gradOutput height unexpected. Expected: %d, Got: %d" % (oH, gh))
    if grad_output.shape != input.shape[:-2] + (oH, oW):
        raise KernelError("gradOutput of shape %s does not match input %s"
                          % (size_desc(grad_output.shape), size_desc(input.shape)))
    gi = check_out(out, input.shape, input.dtype)
    if gi is None:
        gi = np.zeros(input.shape, input.dtype)
    else:
        gi.fill(0)
    _scatter2d_k(as_c(_b4(grad_output)), _b4(gi), my, mx)
    return gi


def reflection_pad2d_forward(input, pad_l, pad_r, pad_t, pad_b, *, out=None):
    """SpatialReflectionPadding updateOutput: (…,H,W) -> (…,H+t+b,W+l+r)."""
    return _pad2d_fwd(input, pad_l, pad_r, pad_t, pad_b, _reflect_map, out)


def reflection_pad2d_backward(input, grad_output, pad_l, pad_r, pad_t, pad_b, *, out=None):
    """SpatialReflectionPadding updateGradInput."""
    return _pad2d_bwd(input, grad_output, pad_l, pad_r, pad_t, pad_b, _reflect_map, out)


def replication_pad2d_forward(input, pad_l, pad_r, pad_t, pad_b, *, out=None):
    """SpatialReplicationPadding updateOutput."""
    return _pad2d_fwd(input, pad_l, pad_r, pad_t, pad_b, _replicate_map, out)


def replication_pad2d_backward(input, grad_output, pad_l, pad_r, pad_t, pad_b, *, out=None):
    """SpatialReplicationPadding updateGradInput."""
    return _pad2d_bwd(input, grad_output, pad_l, pad_r, pad_t, pad_b, _replicate_map, out)


def _pad3d_setup(input, grad_output, pl, pr, pt, pb, pf, pk):
    check_float(input)
    argcheck(input.ndim in (4, 5), 2,
             "4D or 5D (batch mode) tensor expected for input, but got: %s"
             % size_desc(input.shape))
    C, D, H, W = input.shape[-4:]
    oD, oH, oW = D + pf + pk, H + pt + pb, W + pl + pr
    msg = ("input (D: %d H: %d, W: %d)is too small. Calculated output D: %d H: %d W: %d"
           % (D, H, W, oD, oH, oW))
    argcheck(oW >= 1 or oH >= 1 or oD >= 1, 2, msg)
    if min(oD, oH, oW) < 1:
        raise KernelError(msg, 2)
    if grad_output is not None:
        check_same_dtype(input, ("gradOutput", grad_output))
        nd = input.ndim
        g = grad_output.shape if grad_output.ndim == nd else (-1,) * nd
        # THNN's wording, including its "width" for the plane count
        argcheck(C == g[nd - 4], 3, "gradOutput width unexpected. Expected: %d, Got: %d"
                 % (C, g[nd - 4]))
        argcheck(oW == g[nd - 1], 3, "gradOutput width unexpected. Expected: %d, Got: %d"
                 % (oW, g[nd - 1]))
        argcheck(oH == g[nd - 2], 3, "gradOutput height unexpected. Expected: %d, Got: %d"
                 % (oH, g[nd - 2]))
        argcheck(oD == g[nd - 3], 3, "gradOutput depth unexpected. Expected: %d, Got: %d"
                 % (oD, g[nd - 3]))
        if nd == 5 and g[0] != input.shape[0]:
            raise KernelError("gradOutput has %d samples but input has %d"
                              % (g[0], input.shape[0]))
    mz = _replicate_map(D, pf, pk)
    my = _replicate_map(H, pt, pb)
    mx = _replicate_map(W, pl, pr)
    _check_map(mz, D, "pfront=%d pback=%d" % (pf, pk))
    _check_map(my, H, "ptop=%d pbottom=%d" % (pt, pb))
    _check_map(mx, W, "pleft=%d pright=%d" % (pl, pr))
    return (oD, oH, oW), mz, my, mx


def _b5(a):
    return a if a.ndim == 5 else a[None]


def replication_pad3d_forward(input, pleft, pright, ptop, pbottom, pfront, pback, *,
                              out=None):
    """VolumetricReplicationPadding updateOutput: (…,D,H,W) -> padded."""
    o, mz, my, mx = _pad3d_setup(input, None, pleft, pright, ptop, pbottom, pfront, pback)
    output = check_out(out, input.shape[:-3] + o, input.dtype)
    if output is None:
        output = np.empty(input.shape[:-3] + o, input.dtype)
    _gather3d_k(as_c(_b5(input)), _b5(output), mz, my, mx)
    return output


def replication_pad3d_backward(input, grad_output, pleft, pright, ptop, pbottom, pfront,
                               pback, *, out=None):
    """VolumetricReplicationPadding updateGradInput."""
    o, mz, my, mx = _pad3d_setup(input, grad_output, pleft, pright, ptop, pbottom, pfront,
                                 pback)
    gi = check_out(out, input.shape, input.dtype)
    if gi is None:
        gi = np.zeros(input.shape, input.dtype)
    else:
        gi.fill(0)
    _scatter3d_k(as_c(_b5(grad_output)), _b5(gi), mz, my, mx)
    return gi


export(globals())
