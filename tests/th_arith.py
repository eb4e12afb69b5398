"""Torch7's arithmetic, element by element, for the tests' reference models.

On a CPU with AVX2 and FMA, TH rounds `t + v*s` once where it runs BLAS axpy or its
AVX2 vector loops (cadd on contiguous tensors, the wide rows of conv2/xcorr2), and
twice (product first) in its plain C loops."""
from fractions import Fraction

import numpy as np

from torchlua.core import fused_axpy


def round_once(exact, dtype):
    """The dtype value nearest to the Fraction `exact`, ties to even (float() alone
    would round twice for float32)."""
    dtype = np.dtype(dtype)
    c = dtype.type(float(exact))
    cands = [c, np.nextafter(c, dtype.type(-np.inf)), np.nextafter(c, dtype.type(np.inf))]
    cands = [y for y in cands if np.isfinite(y)]
    odd = np.uint32 if dtype == np.float32 else np.uint64
    return min(cands, key=lambda y: (abs(Fraction(float(y)) - exact),
                                     int(np.array(y).view(odd)) & 1))


def fma(a, b, c, dtype):
    """a*b + c rounded once to dtype."""
    return round_once(Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c)), dtype)


def cadd(t, v, s):
    """Torch7's `t:add(v, s)` (also torch.add(r, t, v, s)) on contiguous tensors:
    rounded once per element on a CPU that fuses, product first otherwise.  v is
    cast to the tensor's real type, as TH does."""
    t, s = np.asarray(t), np.asarray(s)
    v = t.dtype.type(v)
    if not fused_axpy.cpu_fuses():
        return t + v * s
    return np.array([fma(v, si, ti, t.dtype) for ti, si in zip(t.ravel(), s.ravel())],
                    t.dtype).reshape(t.shape)
