"""BLAS-level tensor math (THTensorMath.c: dot, addmv, addmm, addr, addbmm,
baddbmm, cross) on NumPy.

Each function takes the result tensor first (None: make a new one, returned to
Lua) and numbers already as plain Lua numbers.  Checks and messages follow TH in
its order.  Float products call the BLAS routine TH calls, with its arguments
(SciPy's BLAS: same rounding, fused on FMA CPUs; results match Torch7 run with
single-threaded OpenBLAS, as threaded BLAS splits work by thread count); without
SciPy, and for integer types, np.matmul.  beta == 0 never reads the old contents
(BLAS semantics: NaN/inf in the result are ignored).
"""
import numpy as np

from .errors import TorchError
from .memory import plain_pages
from .math_support import (answer, apply_run, argcheck, new_like, scalar, size_desc, to_real,
                           zero)
from .tensor_api import check_same_numel, copy_into


# -- dot ----------------------------------------------------------------------------
def blas_dot(t, src):
    """accreal THTensor_(dot): BLAS dot over the runs TH_TENSOR_APPLY2 walks,
    each run summed in the element type, the runs accumulated in accreal."""
    check_same_numel(t, src)
    n = t.nelement()
    if n == 0:
        return 0
    a = t.a.reshape(-1)
    b = src.a.reshape(-1)
    ty = t.t
    whole = apply_run(t) == n and apply_run(src) == n
    if ty.is_float and min(t.stride[-1], src.stride[-1]) > 0 and _fblas() is not None:
        # (SciPy refuses zero increments: expanded vectors keep the NumPy sum)
        bounds = [0] if whole else _run_bounds(n, apply_run(t), apply_run(src))
        if len(bounds) <= _MAX_DOT_CALLS:
            return _blas_dot_runs(t, src, a, b, bounds, n)
    if whole:
        return scalar(np.dot(a, b)) if ty.is_float else _int_runs(a, b, [0], ty)
    bounds = _run_bounds(n, apply_run(t), apply_run(src))
    if ty.is_float:
        parts = np.add.reduceat(a * b, bounds) if ty.dtype == np.float64 else \
            np.array([np.dot(a[s:e], b[s:e]) for s, e in zip(bounds, list(bounds[1:]) + [n])])
        return float(np.sum(parts.astype(np.float64)))
    return _int_runs(a, b, bounds, ty)


_MAX_DOT_CALLS = 4096   # more runs than this: one NumPy pass instead of a call per run


def _blas_dot_runs(t, src, a, b, bounds, n):
    """BLAS dot per run with the increments TH passes (src first), each run's
    result (float for sdot) added in double."""
    blas = _fblas()
    dot = blas.ddot if a.dtype == np.float64 else blas.sdot
    inc_t = 1 if t.is_contiguous() else t.stride[-1]
    inc_s = 1 if src.is_contiguous() else src.stride[-1]
    total = 0.0
    for s, e in zip(bounds, list(bounds[1:]) + [n]):
        m = e - s
        if m == 1:                           # THBlas_(dot) uses unit increments then
            x, ix, y, iy = b[s:e], 1, a[s:e], 1
        else:
            x, ix = _spaced(b[s:e], inc_s)
            y, iy = _spaced(a[s:e], inc_t)
        total += float(dot(x, y, n=m, incx=ix, incy=iy))
    return total


def _run_bounds(n, r1, r2):
    marks = set(range(0, n, r1)) | set(range(0, n, r2))
    return np.array(sorted(marks), dtype=np.intp)


def _int_runs(a, b, bounds, ty):
    # each run's dot wraps in the element type; the runs add up in a C long
    prod = (a.astype(np.int64) * b.astype(np.int64)).astype(ty.dtype)
    with np.errstate(over="ignore"):
        parts = np.add.reduceat(prod, np.asarray(bounds, dtype=np.intp), dtype=ty.dtype)
        return int(np.sum(parts.astype(np.int64), dtype=np.int64))


# -- matrix products ------------------------------------------------------------------
def _matmul_into(r, beta, alpha, x, y):
    """r = beta*r + alpha*(x @ y) for 2-D (or batched 3-D) arrays; r already holds
    the `t` operand.  beta == 0 overwrites r without reading it."""
    ty = r.t
    ra = r.a
    beta = to_real(ty, beta)
    alpha = to_real(ty, alpha)
    if ty.is_float:
        if _gemm_as_th(ra, beta, alpha, x, y):
            return
        if beta == 0 and alpha == 1:
            _gemm_out(ra, x, y)
            return
        prod = np.matmul(_blasable(x), _blasable(y))
        if alpha != 1:
            np.multiply(prod, alpha, out=prod)
        if beta == 0:
            np.copyto(ra, prod)
        else:
            if beta != 1:
                np.multiply(ra, beta, out=ra)
            np.add(ra, prod, out=ra)
        return
    with np.errstate(over="ignore"):
        prod = np.matmul(x, y).astype(ty.dtype, copy=False)
        if alpha != 1:
            prod = prod * alpha
        if beta == 0:
            np.copyto(ra, prod, casting="unsafe")
        else:
            if beta != 1:
                np.multiply(ra, beta, out=ra, casting="unsafe")
            np.add(ra, prod, out=ra, casting="unsafe")


def _gemm_as_th(ra, beta, alpha, x, y):
    """THTensor_(addmm)'s gemm call (same transposes, same operand order), per
    matrix of a batch as baddbmm loops; False without SciPy or for empty sizes."""
    blas = _fblas()
    if blas is None or not (ra.size and x.shape[-1]) or not ra.ndim == x.ndim == y.ndim > 1:
        return False
    gemm = blas.dgemm if ra.dtype == np.float64 else blas.sgemm
    if ra.ndim == 3:
        for b in range(ra.shape[0]):
            _gemm2(gemm, ra[b], beta, alpha, x[b], y[b])
    else:
        _gemm2(gemm, ra, beta, alpha, x, y)
    return True


def _gemm2(gemm, ra, beta, alpha, x, y):
    isz = ra.itemsize
    s0, s1 = ra.strides
    if s0 == isz and s1 != 0:                # r column-major: C = r, A = m1, B = m2
        c, a, b, flip = ra, x, y, False
    elif s1 == isz and s0 != 0:              # r row-major: C = r^T, A = m2^T, B = m1^T
        c, a, b, flip = ra.T, y.T, x.T, True
    else:                                    # TH's column-major clone of r
        c, a, b, flip = np.asfortranarray(ra), x, y, False
    a, ta = _gemm_operand(a, flip, isz)
    b, tb = _gemm_operand(b, flip, isz)
    res = gemm(alpha, a, b, beta=beta, c=c, trans_a=ta, trans_b=tb, overwrite_c=1)
    if not np.shares_memory(res, ra):
        np.copyto(ra, res.T if flip else res)


def _gemm_operand(m, flip, isz):
    """(array, trans) giving BLAS the operand m (its column-major orientation) as TH does."""
    s0, s1 = m.strides
    if s0 == isz and s1 != 0:
        return m, 0
    if s1 == isz and s0 != 0:
        return m.T, 1
    # TH's newContiguous of the tensor, read transposed for a column-major r
    return (np.asfortranarray(m), 0) if flip else (np.ascontiguousarray(m).T, 1)


def _gemm_out(out, x, y):
    """out = x @ y written straight into `out` when BLAS can (row- or column-major
    output), else through one temporary."""
    x, y = _blasable(x), _blasable(y)
    if out.ndim == 1:
        if out.strides[0] == out.itemsize:
            np.matmul(x, y, out=out)
        else:
            np.copyto(out, np.matmul(x, y))
    elif _row_major(out):
        np.matmul(x, y, out=out)
    elif _row_major(np.swapaxes(out, -1, -2)):
        # C' = B'A': BLAS writes the column-major result in place
        np.matmul(np.swapaxes(y, -1, -2), np.swapaxes(x, -1, -2), out=np.swapaxes(out, -1, -2))
    else:
        np.copyto(out, np.matmul(x, y))


def _row_major(a):
    """Each matrix of `a` has unit column stride and a leading stride >= its
    width: the layout NumPy hands to BLAS without copying."""
    isz = a.itemsize
    return a.strides[-1] == isz and a.strides[-2] % isz == 0 and a.strides[-2] >= a.shape[-1] * isz


def _blasable(a):
    """An operand BLAS can read as it is (row- or column-major), else a
    contiguous copy, as TH's newContiguous."""
    if a.ndim == 1:
        return a if a.strides[0] > 0 else np.ascontiguousarray(a)
    if _row_major(a) or _row_major(np.swapaxes(a, -1, -2)):
        return a
    return np.ascontiguousarray(a)


def blas_addmv(r, beta, t, alpha, mat, vec):
    if mat.dim() != 2 or vec.dim() != 1:
        raise TorchError("matrix and vector expected, got %dD, %dD" % (mat.dim(), vec.dim()))
    if mat.size[1] != vec.size[0]:
        raise TorchError("size mismatch, %s, %s" % (size_desc(mat.size), size_desc(vec.size)))
    if t.dim() != 1:
        raise TorchError("vector expected, got t: %dD" % t.dim())
    if t.size[0] != mat.size[0]:
        raise TorchError("size mismatch, t: %s, mat: %s" % (size_desc(t.size), size_desc(mat.size)))
    given = r
    r = new_like(r, t.t)
    if r is not t:
        r.resize(t.size)
        copy_into(r, t)
    addmv_into(r, beta, alpha, mat, vec)
    return answer(r, given)


def addmv_into(r, beta, alpha, mat, vec):
    """r = beta*r + alpha*(mat @ vec) for checked sizes: floats through BLAS gemv
    called as TH calls it (or its C loop where TH would not call BLAS), else NumPy."""
    if r.t.is_float and _fblas() is not None and mat.a.size:
        rb, ra = to_real(r.t, beta), to_real(r.t, alpha)
        how = _gemv_as_th(r, rb, ra, mat, vec)
        if how == "loop":
            _gemv_c_loop(r.a, rb, ra, mat, vec.a)
        if how != "numpy":
            return
    _matmul_into(r, beta, alpha, mat.a, vec.a)


def _gemv_c_loop(y, beta, alpha, mat, x):
    """THBlas_(gemv)'s own loops (no FMA: products rounded), taken for a zero
    increment or leading dimension."""
    with np.errstate(all="ignore"):
        if mat.stride[0] == 1:               # 'n': scale y, then add column by column
            if beta == 0:
                y.fill(0)
            elif beta != 1:
                np.multiply(y, beta, out=y)
            ma = mat.a
            for j in range(ma.shape[1]):
                np.add(y, (alpha * x[j]) * ma[:, j], out=y)
            return
        # 't': one sequential dot per row, from 0
        s = np.cumsum(mat.a * x, axis=1, dtype=y.dtype)[:, -1] + y.dtype.type(0)
        if beta == 0:
            np.multiply(s, alpha, out=y)
        else:
            np.add(beta * y, alpha * s, out=y)


def blas_mv(r, mat, vec):
    # a result the script passed is not resized: Torch7's cwrap ran the resize/zero
    # only for the result it created (a wrong size is addmv's "size mismatch")
    if r is not None:
        return blas_addmv(r, 0, r, 1, mat, vec)
    given = r
    r = new_like(r, mat.t)
    r.resize((mat.size[0],))
    zero(r)
    blas_addmv(r, 0, r, 1, mat, vec)
    return answer(r, given)


def blas_addmm(r, beta, t, alpha, m1, m2):
    if m1.dim() != 2 or m2.dim() != 2:
        raise TorchError("matrices expected, got %dD, %dD tensors" % (m1.dim(), m2.dim()))
    if m1.size[1] != m2.size[0]:
        raise TorchError("size mismatch, m1: %s, m2: %s" % (size_desc(m1.size), size_desc(m2.size)))
    if t.dim() != 2:
        raise TorchError("matrix expected, got %dD tensor for t" % t.dim())
    if t.size[0] != m1.size[0] or t.size[1] != m2.size[1]:
        raise TorchError("size mismatch, t: %s, m1: %s, m2: %s"
                         % (size_desc(t.size), size_desc(m1.size), size_desc(m2.size)))
    given = r
    r = new_like(r, t.t)
    if r is not t:
        r.resize(t.size)
        if beta != 0:
            copy_into(r, t)
    _matmul_into(r, beta, alpha, m1.a, m2.a)
    return answer(r, given)


def blas_mm(r, m1, m2):
    if r is not None:   # not resized, as blas_mv
        return blas_addmm(r, 0, r, 1, m1, m2)
    given = r
    r = new_like(r, m1.t)
    with plain_pages():   # see memory.plain_pages: a gemm writes it
        r.resize((m1.size[0], m2.size[1]))
    # TH zeroes then multiplies with beta 0; writing with beta 0 is the same
    blas_addmm(r, 0, r, 1, m1, m2)
    return answer(r, given)


def blas_addr(r, beta, t, alpha, v1, v2):
    if v1.dim() != 1 or v2.dim() != 1:
        raise TorchError("vector and vector expected, got %dD, %dD tensors" % (v1.dim(), v2.dim()))
    if t.dim() != 2:
        raise TorchError("expected matrix, got %dD tensor for t" % t.dim())
    if t.size[0] != v1.size[0] or t.size[1] != v2.size[0]:
        raise TorchError("size mismatch, t: %s, vec1: %s, vec2: %s"
                         % (size_desc(t.size), size_desc(v1.size), size_desc(v2.size)))
    given = r
    r = new_like(r, t.t)
    ty = r.t
    if r is not t:
        r.resize(t.size)
        copy_into(r, t)
    beta = to_real(ty, beta)
    alpha = to_real(ty, alpha)
    ra = r.a
    with np.errstate(over="ignore"):
        if beta == 0:
            ra.fill(0)
        elif beta != 1:
            np.multiply(ra, beta, out=ra, casting="unsafe")
        if ty.is_float and _ger_as_th(r, alpha, v1, v2):
            return answer(r, given)
        # BLAS ger scales the vector it walks by alpha first
        if r.stride[0] == 1 and r.size[1] != 1:
            outer = np.multiply.outer(v1.a, v2.a * alpha)
        else:
            outer = np.multiply.outer(v1.a * alpha, v2.a)
        np.add(ra, outer, out=ra, casting="unsafe")
    return answer(r, given)


def blas_ger(r, v1, v2):
    if r is not None:   # not resized nor zeroed (Torch7: addr(r, 0, r, 1, ...)), as blas_mv
        return blas_addr(r, 0, r, 1, v1, v2)
    given = r
    r = new_like(r, v1.t)
    r.resize((v1.size[0], v2.size[0]))
    zero(r)
    blas_addr(r, 1, r, 1, v1, v2)
    return answer(r, given)


def _batch_checks(b1, b2, first_msg):
    argcheck(b1.dim() == 3, 1, first_msg % b1.dim() if "%" in first_msg else first_msg)
    argcheck(b2.dim() == 3, 2, first_msg % b2.dim() if "%" in first_msg else first_msg)
    argcheck(b1.size[0] == b2.size[0], 2, "equal number of batches expected, got %d, %d"
             % (b1.size[0], b2.size[0]))
    argcheck(b1.size[2] == b2.size[1], 2, "wrong matrix size, batch1: %dx%d, batch2: %dx%d"
             % (b1.size[1], b1.size[2], b2.size[1], b2.size[2]))


def _size(t, d):
    # THTensor_(size) checks the dimension
    argcheck(0 <= d < t.dim(), 2, "dimension %d out of range of %dD tensor" % (d + 1, t.dim()))
    return t.size[d]


def blas_addbmm(r, beta, t, alpha, b1, b2):
    _batch_checks(b1, b2, "expected 3D tensor")
    argcheck(_size(t, 0) == b1.size[1], 1, "output tensor of incorrect size")
    argcheck(_size(t, 1) == b2.size[2], 1, "output tensor of incorrect size")
    given = r
    r = new_like(r, t.t)
    if r is not t:
        r.resize(t.size)
        if beta != 0:
            copy_into(r, t)
    # one addmm per batch, the first with beta, the rest accumulating
    for b in range(b1.size[0]):
        _matmul_into(r, beta, alpha, b1.a[b], b2.a[b])
        beta = 1
    return answer(r, given)


def blas_baddbmm(r, beta, t, alpha, b1, b2):
    _batch_checks(b1, b2, "expected 3D tensor, got %dD")
    argcheck(_size(t, 0) == b1.size[0], 1, "output tensor of incorrect size")
    argcheck(_size(t, 1) == b1.size[1], 1, "output tensor of incorrect size")
    argcheck(_size(t, 2) == b2.size[2], 1, "output tensor of incorrect size")
    given = r
    r = new_like(r, t.t)
    if r is not t:
        r.resize(t.size)
        if beta != 0:
            copy_into(r, t)
    _matmul_into(r, beta, alpha, b1.a, b2.a)
    return answer(r, given)


def blas_bmm(r, b1, b2):
    if r is not None:   # not resized, as blas_mv
        return blas_baddbmm(r, 0, r, 1, b1, b2)
    given = r
    r = new_like(r, b1.t)
    with plain_pages():
        r.resize((b1.size[0], b1.size[1], b2.size[2]))
    blas_baddbmm(r, 0, r, 1, b1, b2)
    return answer(r, given)


# -- BLAS as TH calls it ---------------------------------------------------------------------
# TH hands float/double dot, gemv, ger and gemm to BLAS, whose kernels fuse multiply
# and add on FMA CPUs and take other paths for other increments and transposes:
# calling the same routine with the same arguments (SciPy's OpenBLAS) gives
# Torch7's bits.  Without SciPy the NumPy code stays.
_BLAS = []


def _fblas():
    if not _BLAS:
        try:
            from scipy.linalg import blas
        except ImportError:
            blas = None
        _BLAS.append(blas)
    return _BLAS[0]


def _gemv_as_th(r, beta, alpha, mat, vec):
    """THTensor_(addmv)'s gemv on r (already holding t): "blas" when done, "loop"
    where TH runs THBlas_(gemv)'s own loop, "numpy" where neither is reproduced."""
    blas = _fblas()
    m0, m1 = mat.size
    ma = mat.a
    if mat.stride[0] == 1:                   # column-major as it is: 'n'
        a, trans, rows, lda = ma, 0, m0, mat.stride[1]
    elif mat.stride[1] == 1:                 # row-major: its transpose, 't'
        a, trans, rows, lda = ma.T, 1, m1, mat.stride[0]
    else:                                    # TH's newContiguous, then 't'
        a, trans, rows, lda = np.ascontiguousarray(ma).T, 1, m1, m1
    if a.shape[1] == 1:
        lda = rows
    if lda <= 0 or vec.stride[0] <= 0 or r.stride[0] <= 0:
        return "loop"                        # TH runs its own loop
    if lda < rows:                           # BLAS refuses (xerbla): not reproduced
        return "numpy"
    gemv = blas.dgemv if ma.dtype == np.float64 else blas.sgemv
    ra = r.a
    x, incx = _spaced(vec.a, vec.stride[0])
    y, incy = _spaced(ra, r.stride[0])
    y = gemv(alpha, a, x, beta=beta, y=y, incx=incx, incy=incy, trans=trans, overwrite_y=1)
    if not np.shares_memory(y, ra):
        np.copyto(ra, y[::incy])
    return "blas"


def _spaced(v, inc):
    """(array, inc) for BLAS: v itself when contiguous, else a copy keeping its
    element spacing (the kernels take other paths for non-unit increments)."""
    if inc == 1 or v.shape[0] == 1:
        return v, 1
    buf = np.zeros((v.shape[0] - 1) * inc + 1, v.dtype)
    buf[::inc] = v
    return buf, inc


def _ger_as_th(r, alpha, v1, v2):
    """THTensor_(addr)'s ger on r (already scaled by beta); False without SciPy, for an
    empty r, or for a zero increment (BLAS refuses it: not reproduced)."""
    blas = _fblas()
    if blas is None or not r.a.size or v1.stride[0] == 0 or v2.stride[0] == 0:
        return False
    ra = r.a
    ger = blas.dger if ra.dtype == np.float64 else blas.sger
    x, y = np.ascontiguousarray(v1.a), np.ascontiguousarray(v2.a)
    if r.stride[0] == 1:                     # column-major r: A = r, x = vec1
        a = ger(alpha, x, y, a=ra, overwrite_a=1)
        dst = ra
    else:                                    # row-major (or TH's clone): A = r^T, x = vec2
        dst = ra.T
        a = ger(alpha, y, x, a=dst, overwrite_a=1)
    if not np.shares_memory(a, ra):
        np.copyto(dst, a)
    return True


# -- cross ------------------------------------------------------------------------------
def blas_cross(r, a, b, dim):
    """THTensor_(cross); dim is 0-based, or -1 for 'the first dimension of size 3'."""
    if a.dim() != b.dim():
        raise TorchError("inconsistent tensor dimension %dD, %dD" % (a.dim(), b.dim()))
    if a.size != b.size:
        raise TorchError("inconsistent tensor sizes %s, %s" % (size_desc(a.size), size_desc(b.size)))
    if dim < 0:
        for d, s in enumerate(a.size):
            if s == 3:
                dim = d
                break
        else:
            raise TorchError("no dimension of size 3 in a: %s" % size_desc(a.size))
    argcheck(0 <= dim < a.dim(), 3, "dimension %d out of range" % (dim + 1))
    argcheck(a.size[dim] == 3, 3, "dimension %d does not have size 3" % (dim + 1))
    given = r
    r = new_like(r, a.t)
    r.resize(a.size)
    ra, aa, ba = (np.moveaxis(x.a, dim, 0) for x in (r, a, b))
    with np.errstate(over="ignore"):
        # component by component, as TH writes them (matters when r aliases a or b)
        ra[0] = aa[1] * ba[2] - aa[2] * ba[1]
        ra[1] = aa[2] * ba[0] - aa[0] * ba[2]
        ra[2] = aa[0] * ba[1] - aa[1] * ba[0]
    return answer(r, given)


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("blas_") and callable(fn)}
