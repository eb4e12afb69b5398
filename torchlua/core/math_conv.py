"""torch.conv2/xcorr2/conv3/xcorr3 (THTensorConv.c: conv2Dmul, conv2Dcmul,
conv2Dmv, conv3Dmul, conv3Dcmul, conv3Dmv with beta 0, alpha 1, stride 1).

The loops run over kernel positions, each a NumPy operation over the whole
output, in the order TH adds the products into each output element, so float
results round as TH's do: TH's 'regular' 2-D path and all 3-D paths sum one
plane's products first and then add the sum; its vectorised 2-D path (unit
column stride and at least 4 output/input columns) adds each product straight
into the output with THVector_(cadd), which on an AVX2+FMA CPU rounds product
and sum once (fma_kernel's loops do that there).
"""
import numpy as np

from .fused_axpy import cpu_fuses
from .math_support import answer, argcheck, new_like, zero


def _windows2(inp, kr, kc, sr, sc, orows, ocols):
    """For kernel offset (ky, kx): the input elements under it, one per output."""
    return lambda ky, kx: inp[..., ky:ky + sr * (orows - 1) + 1:sr, kx:kx + sc * (ocols - 1) + 1:sc]


def _valid2(out, inp, ker, sr, sc, alpha, xc):
    kr, kc = ker.shape[-2:]
    orows, ocols = out.shape[-2:]
    k = ker if xc == "X" else ker[..., ::-1, ::-1]
    win = _windows2(inp, kr, kc, sr, sc, orows, ocols)
    if sc != 1 or ocols < 4:
        s = None
        for ky in range(kr):
            for kx in range(kc):
                p = win(ky, kx) * k[..., ky, kx, None, None]
                s = p if s is None else s + p
        out += alpha * s
    elif out.dtype.kind == "f" and cpu_fuses():
        _fused(out, inp, alpha * k, "valid2")
    else:
        for ky in range(kr):
            for kx in range(kc):
                out += (alpha * k[..., ky, kx, None, None]) * win(ky, kx)


def _full2(out, inp, ker, sr, sc, alpha, xc):
    kr, kc = ker.shape[-2:]
    ir, ic = inp.shape[-2:]
    k = ker if xc == "C" else ker[..., ::-1, ::-1]

    def target(ky, kx):
        return out[..., ky:ky + sr * (ir - 1) + 1:sr, kx:kx + sc * (ic - 1) + 1:sc]

    if sc != 1 or ic < 4:
        z = inp * alpha
        for ky in range(kr - 1, -1, -1):
            for kx in range(kc - 1, -1, -1):
                target(ky, kx)[...] += z * k[..., ky, kx, None, None]
    elif out.dtype.kind == "f" and cpu_fuses():
        _fused(out, inp, alpha * k, "full2")
    else:
        for ky in range(kr - 1, -1, -1):
            for kx in range(kc):
                target(ky, kx)[...] += (alpha * k[..., ky, kx, None, None]) * inp


def _fused(out, inp, k, name):
    """THVector_(cadd) rows, fused, through fma_kernel's loop over (P, rows, cols) views."""
    from . import fma_kernel
    o3 = out.reshape((-1,) + out.shape[-2:])
    getattr(fma_kernel, name)(o3, inp.reshape((-1,) + inp.shape[-2:]),
                              k.reshape((-1,) + k.shape[-2:]))
    if not np.shares_memory(o3, out):
        np.copyto(out, o3.reshape(out.shape))


def _valid3(out, inp, ker, st, sr, sc, alpha, xc):
    kt, kr, kc = ker.shape[-3:]
    ot, orows, ocols = out.shape[-3:]
    k = ker if xc == "X" else ker[..., ::-1, ::-1, ::-1]
    s = None
    for kz in range(kt):
        for ky in range(kr):
            for kx in range(kc):
                w = inp[..., kz:kz + st * (ot - 1) + 1:st, ky:ky + sr * (orows - 1) + 1:sr,
                        kx:kx + sc * (ocols - 1) + 1:sc]
                p = w * k[..., kz, ky, kx, None, None, None]
                s = p if s is None else s + p
    out += s * alpha


def _full3(out, inp, ker, st, sr, sc, alpha, xc):
    kt, kr, kc = ker.shape[-3:]
    it, ir, ic = inp.shape[-3:]
    k = ker if xc == "C" else ker[..., ::-1, ::-1, ::-1]
    z = inp * alpha
    for kz in range(kt - 1, -1, -1):
        for ky in range(kr - 1, -1, -1):
            for kx in range(kc - 1, -1, -1):
                out[..., kz:kz + st * (it - 1) + 1:st, ky:ky + sr * (ir - 1) + 1:sr,
                    kx:kx + sc * (ic - 1) + 1:sc] += z * k[..., kz, ky, kx, None, None, None]


def _outsize(i, k, vf):
    return (i - k) + 1 if vf == "V" else (i - 1) + k


def _run(r, t, k, vf, xc, mode, nd):
    """mode: 'mul' (one input, one kernel), 'cmul' (plane k with kernel k),
    'mv' (every input plane with kernel[k][i], summed into output plane k)."""
    name = "conv%dD%s" % (nd, mode)
    ty = t.t
    inp = np.ascontiguousarray(t.a)
    ker = np.ascontiguousarray(k.a)
    isz = inp.shape[-nd:]
    if mode == "mv":
        argcheck(ker.shape[1] == inp.shape[0], 2, "invalid number of input planes")
    elif mode == "cmul":
        argcheck(ker.shape[0] == inp.shape[0], 2, "invalid number of input/kernel planes")
    ksz = ker.shape[-nd:]
    argcheck(all(a >= b for a, b in zip(isz, ksz)) or vf == "F", 2,
             "%s : Input image is smaller than kernel" % name)
    osz = tuple(_outsize(a, b, vf) for a, b in zip(isz, ksz))
    lead = () if mode == "mul" else (ker.shape[0],)
    given = r
    r = new_like(r, ty)
    r.resize(lead + osz)
    zero(r)
    alpha = ty.dtype.type(1)
    out = r.a
    with np.errstate(over="ignore"):
        if nd == 2:
            step = _valid2 if vf == "V" else _full2
            args = (1, 1, alpha, xc)
        else:
            step = _valid3 if vf == "V" else _full3
            args = (1, 1, 1, alpha, xc)
        if mode == "mv":
            # output planes at once; input planes one after another, as TH adds them
            for i in range(inp.shape[0]):
                step(out, inp[i], ker[:, i], *args)
        else:
            step(out, inp, ker, *args)
    return answer(r, given)


def conv_2d(r, t, k, vf, xc, mode):
    return _run(r, t, k, vf[0], xc, mode, 2)


def conv_3d(r, t, k, vf, xc, mode):
    return _run(r, t, k, vf[0], xc, mode, 3)


EXPORTS = {"conv_2d": conv_2d, "conv_3d": conv_3d}
