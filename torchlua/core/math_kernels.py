"""Numba loops for the math families where NumPy cannot give TH's numbers.

- Transcendental functions: NumPy's SIMD exp/log/sin... differ from C's libm in
  the last ulp (often for float32); Numba calls libm (expf for float32 arrays, exp
  for float64), as TH does.  exp, sigmoid and tanh use libm_exact's vector copies
  of glibc's code once they have been checked to match this libm.
- Reductions that mix precisions (var, std, norm, renorm, dist): TH accumulates
  sequentially, in `accreal` or in `real`; "real" temporaries live in small arrays
  of the tensor's dtype so that storing into them rounds as C does.
- Sorting and selection: TH's own quicksort/quickselect, so that ties and NaNs
  come out in the same order.

Arrays are 1-D (or 2-D rows) and C-contiguous. Import lazily: it imports Numba.
"""
import math

import numba
import numpy as np

from . import libm_exact

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


# -- element-wise libm --------------------------------------------------------------
@_jit
def exp_libm(a, out):
    for i in range(a.shape[0]):
        out[i] = math.exp(a[i])


def exp(a, out):
    # libm_exact's vector loop where it was found to give libm's bits
    (libm_exact.fast_loop("exp", a, out, exp_libm) or exp_libm)(a, out)


@_jit
def log(a, out):
    for i in range(a.shape[0]):
        out[i] = math.log(a[i])


@_jit
def log1p(a, out):
    for i in range(a.shape[0]):
        out[i] = math.log1p(a[i])


@_jit
def cos(a, out):
    for i in range(a.shape[0]):
        out[i] = math.cos(a[i])


@_jit
def acos(a, out):
    for i in range(a.shape[0]):
        out[i] = math.acos(a[i])


@_jit
def cosh(a, out):
    for i in range(a.shape[0]):
        out[i] = math.cosh(a[i])


@_jit
def sin(a, out):
    for i in range(a.shape[0]):
        out[i] = math.sin(a[i])


@_jit
def asin(a, out):
    for i in range(a.shape[0]):
        out[i] = math.asin(a[i])


@_jit
def sinh(a, out):
    for i in range(a.shape[0]):
        out[i] = math.sinh(a[i])


@_jit
def tan(a, out):
    for i in range(a.shape[0]):
        out[i] = math.tan(a[i])


@_jit
def atan(a, out):
    for i in range(a.shape[0]):
        out[i] = math.atan(a[i])


@_jit
def tanh_libm(a, out):
    for i in range(a.shape[0]):
        out[i] = math.tanh(a[i])


def tanh(a, out):
    # libm_exact's vector loop where it was found to give libm's bits (double only)
    (libm_exact.fast_loop("tanh", a, out, tanh_libm) or tanh_libm)(a, out)


@_jit
def sigmoid_libm(a, out, one):
    # `one` carries the element type, so float32 stays float32 (TH_sigmoidf)
    for i in range(a.shape[0]):
        out[i] = one / (one + math.exp(-a[i]))


_ONE_TYPES = {"d": (float, np.float64), "f": (np.float32,)}


def sigmoid(a, out, one):
    fast = None
    if type(one) in _ONE_TYPES.get(a.dtype.char, ()):    # fast loops compute in a's type
        fast = libm_exact.fast_loop("sigmoid", a, out, sigmoid_libm)
    if fast is None:
        sigmoid_libm(a, out, one)
    else:
        fast(a, out)


@_jit
def round_half_away(a, out, half, one):
    # C round(): halves go away from zero (NumPy rounds them to even)
    for i in range(a.shape[0]):
        x = a[i]
        q = np.trunc(x)
        if abs(x - q) >= half:
            q = q + math.copysign(one, x)
        out[i] = q


@_jit
def pow_scalar(a, p, out):
    # powf for float32 elements and a float32 p, pow for float64
    for i in range(a.shape[0]):
        out[i] = math.pow(a[i], p)


@_jit
def pow_double(a, b, out):
    # cpow: C's double pow() on elements of any type
    for i in range(a.shape[0]):
        out[i] = math.pow(np.float64(a[i]), np.float64(b[i]))


@_jit
def pow_base(v, a, out):
    # tpow: pow(value, x) in double
    for i in range(a.shape[0]):
        out[i] = math.pow(v, np.float64(a[i]))


@_jit
def pow_of(base, b, out):
    # pow(base, x) in the element type (base typed like b)
    for i in range(b.shape[0]):
        out[i] = math.pow(base, b[i])


@_jit
def atan2(a, b, out):
    for i in range(a.shape[0]):
        out[i] = math.atan2(a[i], b[i])


# -- sequential reductions ----------------------------------------------------------------
@_jit
def rows_var(x, out, biased, root, tmp):
    """TH's one-pass var/std along rows: sums in double, z*z in the element type;
    tmp is a 2-element array of the element type."""
    n = x.shape[1]
    for r in range(x.shape[0]):
        s = 0.0
        s2 = 0.0
        for j in range(n):
            z = x[r, j]
            s += z
            s2 += z * z
        if biased:
            s /= n
            s2 /= n
            s2 -= s * s
        else:
            s /= n
            s2 /= n - 1
            tmp[0] = n
            tmp[1] = n - 1
            s2 -= (tmp[0] / tmp[1]) * s * s
        if s2 < 0:
            s2 = 0.0
        if root:
            tmp[0] = s2
            out[r] = math.sqrt(tmp[0])
        else:
            out[r] = s2


@_jit
def var_all(a, biased):
    """Two-pass variance in double (varall)."""
    n = a.shape[0]
    m = 0.0
    for i in range(n):
        m += a[i]
    m /= n
    s = 0.0
    for i in range(n):
        d = np.float64(a[i]) - m
        s += d * d
    if biased:
        return s / n
    return s / (n - 1)


@_jit
def rows_norm(x, out, p, tmp):
    for r in range(x.shape[0]):
        s = 0.0
        if p == 0:
            for j in range(x.shape[1]):
                if x[r, j] != 0:
                    s += 1.0
            out[r] = s
        else:
            for j in range(x.shape[1]):
                s += math.pow(abs(x[r, j]), p)
            tmp[0] = s
            tmp[1] = 1.0 / np.float64(p)
            out[r] = math.pow(tmp[0], tmp[1])


@_jit
def norm_all(a, p, tmp):
    s = 0.0
    n = a.shape[0]
    if p == 0:
        for i in range(n):
            if a[i] != 0:
                s += 1.0
        return s
    if p == 1:
        for i in range(n):
            s += abs(a[i])
        return s
    if p == 2:
        for i in range(n):
            z = np.float64(a[i])
            s += z * z
        return math.sqrt(s)
    for i in range(n):
        s += math.pow(abs(a[i]), p)
    tmp[0] = s
    tmp[1] = 1.0 / np.float64(p)
    return np.float64(math.pow(tmp[0], tmp[1]))


@_jit
def renorm_rows(x, out, p, maxnorm, tmp):
    """Each row rescaled to norm maxnorm when above it; TH keeps the norm in the
    element type (tmp[0]) while summing."""
    for r in range(x.shape[0]):
        tmp[0] = 0
        if p == 1:
            for j in range(x.shape[1]):
                tmp[0] = np.float64(tmp[0]) + abs(np.float64(x[r, j]))
        elif p == 2:
            for j in range(x.shape[1]):
                z = np.float64(x[r, j])
                tmp[0] = np.float64(tmp[0]) + z * z
        else:
            for j in range(x.shape[1]):
                tmp[0] = tmp[0] + math.pow(abs(x[r, j]), p)
        tmp[1] = 1
        tmp[2] = tmp[1] / p
        tmp[0] = math.pow(np.float64(tmp[0]), np.float64(tmp[2]))
        if tmp[0] > maxnorm:
            tmp[3] = np.float64(maxnorm) / (np.float64(tmp[0]) + 1e-7)
            for j in range(x.shape[1]):
                out[r, j] = x[r, j] * tmp[3]
        else:
            for j in range(x.shape[1]):
                out[r, j] = x[r, j]


@_jit
def dist(a, b, p, tmp):
    """TH's dist: the sum is kept in the element type."""
    tmp[0] = 0
    for i in range(a.shape[0]):
        tmp[0] = tmp[0] + math.pow(abs(a[i] - b[i]), p)
    tmp[1] = 1.0 / np.float64(p)
    return np.float64(math.pow(tmp[0], tmp[1]))


# -- TH's quicksort / quickselect --------------------------------------------------------
_SMALL = 10     # runs this short are left to the final insertion pass
_LEVELS = 300   # TH's fixed stack depth


@_jit
def _after(a, b, desc):
    # "a belongs after b" in the requested order
    if desc:
        return a < b
    return a > b


@_jit
def _swap(v, ix, i, j):
    t = v[i]
    v[i] = v[j]
    v[j] = t
    k = ix[i]
    ix[i] = ix[j]
    ix[j] = k


@_jit
def _partition(v, ix, lo, hi, desc):
    """Median-of-three pivot moved to lo, then Hoare partition; returns (i, j)."""
    mid = (lo + hi) >> 1
    _swap(v, ix, mid, lo + 1)
    if _after(v[lo + 1], v[hi], desc):
        _swap(v, ix, lo + 1, hi)
    if _after(v[lo], v[hi], desc):
        _swap(v, ix, lo, hi)
    if _after(v[lo + 1], v[lo], desc):
        _swap(v, ix, lo + 1, lo)
    i = lo + 1
    j = hi
    piv = v[lo]
    while True:
        i += 1
        while _after(piv, v[i], desc):
            i += 1
        j -= 1
        while _after(v[j], piv, desc):
            j -= 1
        if j < i:
            break
        _swap(v, ix, i, j)
    _swap(v, ix, lo, j)
    return i, j


@_jit
def quicksort(v, ix, n, desc, stack_lo, stack_hi):
    """Sorts v[:n] (and ix along) exactly as THTensor_(quicksortascend/descend)."""
    top = 0
    lo = 0
    hi = n - 1
    busy = n - 1 > _SMALL
    while busy:
        i, j = _partition(v, ix, lo, hi, desc)
        nleft = j - lo
        nright = hi - i + 1
        if nleft <= _SMALL and nright <= _SMALL:
            if top == 0:
                busy = False
            else:
                top -= 1
                lo = stack_lo[top]
                hi = stack_hi[top]
        elif nleft <= _SMALL or nright <= _SMALL:
            # continue with the large side only
            if nleft > nright:
                hi = j - 1
            else:
                lo = i
        else:
            # stack the larger side, continue with the smaller
            if nleft > nright:
                stack_lo[top] = lo
                stack_hi[top] = j - 1
                top += 1
                lo = i
            else:
                stack_lo[top] = i
                stack_hi[top] = hi
                top += 1
                hi = j - 1
    for i in range(n - 2, -1, -1):
        if _after(v[i], v[i + 1], desc):
            piv = v[i]
            pid = ix[i]
            j = i + 1
            while True:
                v[j - 1] = v[j]
                ix[j - 1] = ix[j]
                j += 1
                if not (j < n and _after(piv, v[j], desc)):
                    break
            v[j - 1] = piv
            ix[j - 1] = pid


@_jit
def quickselect(v, ix, k, n):
    """Puts the k-th smallest (0-based) of v[:n] at k, as THTensor_(quickselect)."""
    lo = 0
    hi = n - 1
    while True:
        if hi <= lo:
            return
        if hi == lo + 1:
            if v[lo] > v[hi]:
                _swap(v, ix, lo, hi)
            return
        i, j = _partition(v, ix, lo, hi, False)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


@_jit
def rows_sort(x, ix, desc):
    stack_lo = np.empty(_LEVELS, np.int64)
    stack_hi = np.empty(_LEVELS, np.int64)
    n = x.shape[1]
    for r in range(x.shape[0]):
        for j in range(n):
            ix[r, j] = j
        quicksort(x[r], ix[r], n, desc, stack_lo, stack_hi)


@_jit
def rows_kth(x, k, outv, outi):
    n = x.shape[1]
    ix = np.empty(n, np.int64)
    for r in range(x.shape[0]):
        for j in range(n):
            ix[j] = j
        v = x[r]
        quickselect(v, ix, k, n)
        outv[r] = v[k]
        outi[r] = ix[k]


@_jit
def rows_mode(x, outv, outi):
    """Most frequent value of each row (the first longest run after TH's sort) and
    the index of the last element of that run."""
    stack_lo = np.empty(_LEVELS, np.int64)
    stack_hi = np.empty(_LEVELS, np.int64)
    n = x.shape[1]
    ix = np.empty(n, np.int64)
    for r in range(x.shape[0]):
        v = x[r]
        for j in range(n):
            ix[j] = j
        quicksort(v, ix, n, False, stack_lo, stack_hi)
        best = v[0] * 0
        besti = 0
        run = 0
        most = 0
        for j in range(n):
            run += 1
            if j == n - 1 or v[j] != v[j + 1]:
                if run > most:
                    best = v[j]
                    besti = ix[j]
                    most = run
                run = 0
        outv[r] = best
        outi[r] = besti


@_jit
def rows_topk(x, k, largest, ordered, outv, outi):
    stack_lo = np.empty(_LEVELS, np.int64)
    stack_hi = np.empty(_LEVELS, np.int64)
    n = x.shape[1]
    ix = np.empty(n, np.int64)
    for r in range(x.shape[0]):
        v = x[r]
        for j in range(n):
            ix[j] = j
        if largest:
            first = n - k
            if first > 0:
                quickselect(v, ix, first - 1, n)
            if ordered:
                quicksort(v[first:], ix[first:], k, True, stack_lo, stack_hi)
        else:
            first = 0
            quickselect(v, ix, k - 1, n)
            if ordered:
                # TH sorts only the first k-1 (the k-th is already in place)
                quicksort(v, ix, k - 1, False, stack_lo, stack_hi)
        for j in range(k):
            outv[r, j] = v[first + j]
            outi[r, j] = ix[first + j]
