"""r = t + v*s rounded once (a fused multiply-add per element), as Torch7 computes
`add(t, v, s)` on contiguous float tensors of a CPU with AVX2 and FMA.

TH's cadd runs contiguous tensors through BLAS axpy (result is t) or its AVX2 vector
loop (other results); both fuse the multiply and the add on such a CPU, tails
included.  Strided tensors take TH's plain loop, which rounds the product first
(math_pointwise does that).  Scripts see the difference in every SGD-style update
`x:add(-lr, dx)`: one ulp here and there that grows over a training run.

The work is BLAS axpy (SciPy's OpenBLAS) after a check that it really fuses on
this machine, else a Numba loop with LLVM's fma.  Imported lazily.
"""
from fractions import Fraction

import numpy as np

_CPU_FUSES = None
_AXPY = {}   # dtype -> callable(x, y, a) doing y += a*x in place, fused


def cpu_fuses():
    """Whether TH would have picked its fused (AVX2 + FMA) code on this CPU."""
    global _CPU_FUSES
    if _CPU_FUSES is None:
        try:
            with open("/proc/cpuinfo") as f:
                flags = next((line.split(":", 1)[1].split() for line in f
                              if line.startswith("flags")), [])
            _CPU_FUSES = "avx2" in flags and "fma" in flags
        except OSError:
            _CPU_FUSES = False
    return _CPU_FUSES


def _exact_fma(a, x, y, dtype):
    """a*x + y rounded once to dtype (nearest, ties to even); float() alone would
    round twice for float32."""
    exact = Fraction(float(a)) * Fraction(float(x)) + Fraction(float(y))
    near = dtype.type(float(exact))
    cands = [near, np.nextafter(near, dtype.type(-np.inf)), np.nextafter(near, dtype.type(np.inf))]
    bits = np.uint32 if dtype == np.float32 else np.uint64
    return min(cands, key=lambda c: (abs(Fraction(float(c)) - exact), int(np.array(c).view(bits)) & 1))


def _fuses(fn, dtype):
    """fn gives a*x + y rounded once, for every element of a vector with a tail."""
    rng = np.random.default_rng(7)
    x = rng.random(45).astype(dtype)
    y = rng.random(45).astype(dtype)
    a = dtype.type(0.3)
    want = np.array([_exact_fma(a, xi, yi, dtype) for xi, yi in zip(x, y)], dtype)
    got = y.copy()
    fn(x, got, a)
    return np.array_equal(got, want)


def _scipy_axpy(dtype):
    try:
        from scipy.linalg import blas
    except ImportError:
        return None
    routine = blas.daxpy if dtype == np.float64 else blas.saxpy

    def axpy(x, y, a):
        out = routine(x, y, a=a)
        if not np.shares_memory(out, y):   # not written in place: copy back
            np.copyto(y, out)
    return axpy


def _numba_axpy():
    from . import fma_kernel
    return fma_kernel.axpy


def _axpy_for(dtype):
    fn = _AXPY.get(dtype)
    if fn is None:
        fn = _scipy_axpy(dtype)
        if fn is None or not _fuses(fn, dtype):
            fn = _numba_axpy()
        _AXPY[dtype] = fn
    return fn


def fused_cadd(ra, ta, v, sa):
    """ra = ta + v*sa with one rounding per element; all C-contiguous, same dtype
    (float32 or float64), same number of elements."""
    if not ra.size:
        return
    dtype = ra.dtype
    axpy = _axpy_for(dtype)
    r, t, s, a = ra.reshape(-1), ta.reshape(-1), sa.reshape(-1), dtype.type(v)
    if r.ctypes.data == t.ctypes.data:        # in place (TH: axpy on t)
        axpy(s, r, a)
    elif np.shares_memory(r, s):              # r overwrites the source: go through t's copy
        tmp = t.copy()
        axpy(s, tmp, a)
        np.copyto(r, tmp)
    else:
        np.copyto(r, t)
        axpy(s, r, a)
