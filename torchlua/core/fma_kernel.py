"""Loops that round a*x + y once per element (LLVM's fma), as Torch7's AVX2 code
does on FMA CPUs: y += a*x for when SciPy's BLAS axpy is missing or does not
fuse, and the 2-D convolutions whose rows TH adds up with THVector_(cadd).
Imported lazily: it imports Numba."""
import numba
from llvmlite import ir
from numba.core import types
from numba.extending import intrinsic


@intrinsic
def _fma(typingctx, a, b, c):
    if not (isinstance(a, types.Float) and a == b == c):
        return None

    def codegen(context, builder, signature, args):
        t = args[0].type
        fn = builder.module.declare_intrinsic("llvm.fma", [t], ir.FunctionType(t, [t, t, t]))
        return builder.call(fn, args)
    return a(a, b, c), codegen


@numba.njit(cache=True, nogil=True)
def _axpy(x, y, a):
    for i in range(y.shape[0]):
        y[i] = _fma(a, x[i], y[i])


def axpy(x, y, a):
    _axpy(x, y, a)


@numba.njit(cache=True, nogil=True)
def valid2(out, inp, ker):
    """out[p] += ker[p][ky, kx] * inp[p or 0] window, kernel offsets in row-major
    order, each product added with one rounding (ker already flipped for 'C').
    out: (P, or, oc); inp: (P or 1, ir, ic); ker: (P, kr, kc)."""
    P, orows, ocols = out.shape
    kr, kc = ker.shape[1], ker.shape[2]
    one = inp.shape[0] == 1
    for p in range(P):
        ip = 0 if one else p
        for y in range(orows):
            for ky in range(kr):
                for kx in range(kc):
                    c = ker[p, ky, kx]
                    for x in range(ocols):
                        out[p, y, x] = _fma(inp[ip, y + ky, x + kx], c, out[p, y, x])


@numba.njit(cache=True, nogil=True)
def full2(out, inp, ker):
    """out[p][y+ky, x+kx] += ker[p][ky, kx] * inp[p or 0][y, x], input rows in order,
    then kernel offsets in row-major order, one rounding each (ker already flipped
    for 'X').  out: (P, ir+kr-1, ic+kc-1); inp: (P or 1, ir, ic); ker: (P, kr, kc)."""
    P = out.shape[0]
    irows, icols = inp.shape[1], inp.shape[2]
    kr, kc = ker.shape[1], ker.shape[2]
    one = inp.shape[0] == 1
    for p in range(P):
        ip = 0 if one else p
        for y in range(irows):
            for ky in range(kr):
                for kx in range(kc):
                    c = ker[p, ky, kx]
                    for x in range(icols):
                        out[p, y + ky, x + kx] = _fma(inp[ip, y, x], c, out[p, y + ky, x + kx])
