"""Numba loops for the large random fills that need libm.

NumPy's own float64 log/exp/tan (SIMD builds) differ from C's libm in the last
ulp; Numba calls libm itself, like TH. Each loop mirrors one THRandom formula
on raw 32-bit words: u = word * 2^-32. Import this module lazily: it imports
Numba.
"""
import math

import numba

_TWO_PI = 2.0 * math.pi   # C folds 2.*M_PI the same way (exact doubling)
_INV32 = 1.0 / 4294967296.0

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def normal_pairs(raw, out, offset, mean, std):
    """Box-Muller on word pairs: the cos half goes first, the sin half after
    it (dropped past the end of out: the caller keeps it as TH's cache)."""
    n = out.shape[0]
    for j in range(raw.shape[0] // 2):
        x = raw[2 * j] * _INV32
        y = raw[2 * j + 1] * _INV32
        rho = math.sqrt(-2.0 * math.log(1.0 - y))
        i = offset + 2 * j
        out[i] = rho * math.cos(_TWO_PI * x) * std + mean
        if i + 1 < n:
            out[i + 1] = rho * math.sin(_TWO_PI * x) * std + mean


@_jit
def exponential(raw, out, lam):
    c = -1.0 / lam
    for i in range(raw.shape[0]):
        out[i] = c * math.log(1.0 - raw[i] * _INV32)


@_jit
def cauchy(raw, out, median, sigma):
    for i in range(raw.shape[0]):
        out[i] = median + sigma * math.tan(math.pi * (raw[i] * _INV32 - 0.5))


@_jit
def geometric_ratio(raw, out, p):
    """log(1-u)/log(p) before the C (int) conversion, done by the caller."""
    lp = math.log(p)
    for i in range(raw.shape[0]):
        out[i] = math.log(1.0 - raw[i] * _INV32) / lp


@_jit
def exp_inplace(out):
    for i in range(out.shape[0]):
        out[i] = math.exp(out[i])


@_jit
def randperm_swaps(raw, perm):
    """THTensor_(randperm)'s shuffle; raw holds the n-1 words as int64."""
    n = perm.shape[0]
    for i in range(n - 1):
        z = raw[i] % (n - i)
        t = perm[i]
        perm[i] = perm[i + z]
        perm[i + z] = t
