"""LAPACK functions of THTensorLapack.c (gesv, trtrs, gels, geev, syev, gesvd,
getri, potrf, potrs, potri, pstrf, qr, geqrf, orgqr, ormqr) through SciPy's
wrappers of the same LAPACK routines (s* for Float, d* for Double).

Torch hands LAPACK column-major work matrices and returns them as they are, so
results are column-major (stride 1 down a column) where Torch's were; this file
reproduces TH's cloneColumnMajor / freeCopyTo rules for which tensor receives
what (the script's result tensors are reused, resized and transposed as TH did).
Every function returns one (handle, type, meta) triple per result tensor; Lua
keeps its own wrapper for the tensors the script passed.
"""
import numpy as np

from .errors import TorchError
from .math_support import argcheck, to_real
from .tensor import Tensor
from .tensor_api import copy_into, ret
from .types import INT


def _lapack(ty, name):
    try:
        from scipy.linalg import lapack
    except ImportError:
        raise TorchError("%s: torchlua runs LAPACK through SciPy, which is not installed "
                         "(pip install scipy)" % name)
    return getattr(lapack, ("s" if ty.dtype == np.float32 else "d") + name)


def _check_info(info, func, fmt, *extra):
    if info < 0:
        raise TorchError("Lapack Error in %s : Illegal Argument %d" % (func, -info))
    if info > 0:
        raise TorchError(fmt % ((func, info) + extra))


# -- TH's work-matrix rules -----------------------------------------------------------------
def _transposed_contiguous(t):
    return t.stride[0] == 1 and t.stride[1] == t.size[0]


def _transpose_geometry(t):
    t._geom(t.storage, t.offset, (t.size[1], t.size[0]), (t.stride[1], t.stride[0]))


def _check_transposed(t):
    """checkTransposed: a contiguous matrix is turned column-major."""
    if t.is_contiguous():
        _transpose_geometry(t)


def _clone_cm(result, src, nrows=None):
    """cloneColumnMajorNrows: the column-major matrix LAPACK works on, with
    nrows rows (the first src.size[0] holding src).  It is `result` unless
    `result` is src itself in an unusable layout, or None (then a new one)."""
    nrows = src.size[0] if nrows is None else nrows
    if src is result and _transposed_contiguous(src) and src.size[1] == nrows:
        return result
    if src is result or result is None:
        result = Tensor(src.t)
    vals = np.array(src.a)
    result.resize((src.size[1], nrows))
    _check_transposed(result)
    result.a[:src.size[0]] = vals
    return result


def _free_copy_to(work, dst):
    if dst is not None and work is not dst:
        copy_into(dst, work)


def _as_matrix(b):
    """A 1-D right-hand side seen as an n x 1 matrix (TH's newWithStorage2d view)."""
    if b.dim() == 1:
        return Tensor(b.t, b.storage, b.offset, (b.size[0], 1), (b.stride[0], 0))
    return b


def _new(r, t):
    return Tensor(t) if r is None else r


def _f(t):
    """A Fortran-ordered copy of a tensor's values for a LAPACK call."""
    return np.array(t.a, order="F")


def _check_solve(a, b, square=True):
    argcheck(a.dim() == 2, 2, "A should have 2 dimensions, but has %d" % a.dim())
    argcheck(b.dim() in (1, 2), 1, "B should have 1 or 2 dimensions, but has %d" % b.dim())
    if square:
        argcheck(a.size[0] == a.size[1], 2, "A should be square, but is %dx%d"
                 % (a.size[0], a.size[1]))
    argcheck(a.size[0] == b.size[0], 2, "A,B size incompatible - A has %d rows, B has %d"
             % (a.size[0], b.size[0]))


def _check_square(a):
    argcheck(a.dim() == 2, 1, "A should be 2 dimensional")
    argcheck(a.size[0] == a.size[1], 1, "A should be square")


# -- linear systems ------------------------------------------------------------------------------
def linalg_gesv(rb, ra, b, a):
    _check_solve(a, b)
    b = _as_matrix(b)
    ra, rb = _new(ra, a.t), _new(rb, b.t)
    wa = _clone_cm(ra, a)
    wb = _clone_cm(rb, b)
    lu, _piv, x, info = _lapack(a.t, "gesv")(_f(wa), _f(wb))
    wa.a[...] = lu
    wb.a[...] = x
    _check_info(info, "gesv", "Lapack Error in %s : U(%d,%d) is zero, singular U.", info)
    _free_copy_to(wa, ra)
    _free_copy_to(wb, rb)
    return ret(rb) + ret(ra)


def linalg_trtrs(rb, ra, b, a, uplo, trans, diag):
    _check_solve(a, b)
    b = _as_matrix(b)
    ra, rb = _new(ra, a.t), _new(rb, b.t)
    wa = _clone_cm(ra, a)
    wb = _clone_cm(rb, b)
    x, info = _lapack(a.t, "trtrs")(_f(wa), _f(wb), lower=int(uplo[0] == "L"),
                                    trans=int(trans[0] == "T"), unitdiag=int(diag[0] == "U"))
    wb.a[...] = x
    _check_info(info, "trtrs", "Lapack Error in %s : A(%d,%d) is zero, singular A", info)
    _free_copy_to(wa, ra)
    _free_copy_to(wb, rb)
    return ret(rb) + ret(ra)


def linalg_gels(rb, ra, b, a):
    argcheck(a.dim() == 2, 2, "A should have 2 dimensions, but has %d" % a.dim())
    argcheck(b.dim() in (1, 2), 1, "B should have 1 or 2 dimensions, but has %d" % b.dim())
    argcheck(a.size[0] == b.size[0], 2, "A,B size incompatible - A has %d rows, B has %d"
             % (a.size[0], b.size[0]))
    b = _as_matrix(b)
    ra, rb = _new(ra, a.t), _new(rb, b.t)
    wa = _clone_cm(ra, a)
    m, n = wa.size
    ldb = max(m, n)
    wb = _clone_cm(rb, b, ldb)
    nrhs = wb.size[1]
    lqr, x, info = _lapack(a.t, "gels")(_f(wa), _f(wb))
    wa.a[...] = lqr
    wb.a[...] = x
    _check_info(info, "gels", "Lapack Error in %s : The %d-th diagonal element of the "
                "triangular factor of A is zero")
    # the solution is the first n rows of LAPACK's ldb-row buffer, which stays behind it
    wb._geom(wb.storage, wb.offset, (n, nrhs), wb.stride)
    if wb is not rb:
        rb.resize((n, nrhs))
    _free_copy_to(wa, ra)
    _free_copy_to(wb, rb)
    return ret(rb) + ret(ra)


# -- eigen / singular values -----------------------------------------------------------------
def linalg_eig(re, rv, a, jobvr):
    _check_square(a)
    ty = a.t
    n = a.size[0]
    compute = jobvr[0] == "V"
    wr, wi, _vl, vr, info = _lapack(ty, "geev")(np.array(a.a, order="F"), compute_vl=0,
                                                compute_vr=int(compute))
    re, rv = _new(re, ty), _new(rv, ty)
    if compute:
        rv.resize((n, n))
        _check_transposed(rv)
    re.resize((n, 2))
    _check_info(info, "geev", " Lapack Error in %s : %d off-diagonal elements of an didn't "
                "converge to zero")
    re.a[:, 0] = wr
    re.a[:, 1] = wi
    if compute:
        rv.a[...] = vr
    return ret(re) + ret(rv)


def linalg_symeig(re, rv, a, jobz, uplo):
    _check_square(a)
    ty = a.t
    re, rv = _new(re, ty), _new(rv, ty)
    wv = _clone_cm(rv, a)
    n = wv.size[0]
    re.resize((n,))
    w, v, info = _lapack(ty, "syev")(_f(wv), compute_v=int(jobz[0] == "V"),
                                     lower=int(uplo[0] == "L"))
    wv.a[...] = v
    re.a[...] = w
    _check_info(info, "syev", "Lapack Error %s : %d off-diagonal elements didn't converge to zero")
    _free_copy_to(wv, rv)
    return ret(re) + ret(rv)


def linalg_svd(ru, rs, rv, a, jobu):
    argcheck(a.dim() == 2, 1, "A should be 2 dimensional")
    ty = a.t
    m, n = a.size
    k = min(m, n)
    full = jobu[0] == "A"
    u, s, vt, info = _lapack(ty, "gesvd")(np.array(a.a, order="F"), compute_uv=1,
                                          full_matrices=int(full))
    ru, rs, rv = _new(ru, ty), _new(rs, ty), _new(rv, ty)
    rs.resize((k,))
    ru.resize((m if full else k, m))
    _check_transposed(ru)
    _check_info(info, "gesvd", " Lapack Error %s : %d superdiagonals failed to converge.")
    ru.a[...] = u
    rs.a[...] = s
    # TH reads LAPACK's column-major V' as a row-major matrix: that is V
    v = vt.T if full else vt[:k].T
    rv.resize(v.shape)
    rv.a[...] = v
    return ret(ru) + ret(rs) + ret(rv)


def linalg_inverse(ra, a):
    _check_square(a)
    ra = _new(ra, a.t)
    wa = _clone_cm(ra, a)
    lu, piv, info = _lapack(a.t, "getrf")(_f(wa))
    wa.a[...] = lu
    _check_info(info, "getrf", "Lapack Error %s : U(%d,%d) is 0, U is singular", info)
    inv, info = _lapack(a.t, "getri")(lu, piv)
    wa.a[...] = inv
    _check_info(info, "getri", "Lapack Error %s : U(%d,%d) is 0, U is singular", info)
    _free_copy_to(wa, ra)
    return ret(ra)


# -- Cholesky ------------------------------------------------------------------------------------
def _clear_other_triangle(w, uplo):
    """clearUpLoTriangle on TH's column-major work matrix."""
    x = w.a
    x[...] = np.triu(x) if uplo[0] == "U" else np.tril(x)


def linalg_potrf(ra, a, uplo):
    _check_square(a)
    ra = _new(ra, a.t)
    wa = _clone_cm(ra, a)
    c, info = _lapack(a.t, "potrf")(_f(wa), lower=int(uplo[0] == "L"))
    wa.a[...] = c
    _check_info(info, "potrf", "Lapack Error in %s : the leading minor of order %d is not "
                "positive definite")
    _clear_other_triangle(wa, uplo)
    _free_copy_to(wa, ra)
    return ret(ra)


def linalg_potrs(rb, b, a, uplo):
    _check_solve(a, b)
    b = _as_matrix(b)
    rb = _new(rb, b.t)
    wa = _clone_cm(None, a)
    wb = _clone_cm(rb, b)
    x, info = _lapack(a.t, "potrs")(_f(wa), _f(wb), lower=int(uplo[0] == "L"))
    wb.a[...] = x
    _check_info(info, "potrs", "Lapack Error in %s : A(%d,%d) is zero, singular A", info)
    _free_copy_to(wb, rb)
    return ret(rb)


def linalg_potri(ra, a, uplo):
    _check_square(a)
    ra = _new(ra, a.t)
    wa = _clone_cm(ra, a)
    inv, info = _lapack(a.t, "potri")(_f(wa), lower=int(uplo[0] == "L"))
    _check_info(info, "potri", "Lapack Error %s : A(%d,%d) is 0, A cannot be factorized", info)
    # LAPACK fills one triangle; TH mirrors it into the other
    tri = np.triu(inv) if uplo[0] == "U" else np.tril(inv)
    wa.a[...] = tri + np.tril(tri, -1).T if uplo[0] == "L" else tri + np.triu(tri, 1).T
    _free_copy_to(wa, ra)
    return ret(ra)


def linalg_pstrf(ra, rpiv, a, uplo, tol):
    _check_square(a)
    ra = _new(ra, a.t)
    rpiv = _new(rpiv, INT)
    wa = _clone_cm(ra, a)
    rpiv.resize((a.size[0],))
    c, piv, _rank, info = _lapack(a.t, "pstrf")(_f(wa), tol=float(to_real(a.t, tol)),
                                                lower=int(uplo[0] == "L"))
    wa.a[...] = c
    rpiv.a[...] = piv
    _check_info(info, "pstrf", "Lapack Error %s : matrix is rank deficient or not positive "
                "semidefinite")
    _clear_other_triangle(wa, uplo)
    _free_copy_to(wa, ra)
    return ret(ra) + ret(rpiv)


# -- QR --------------------------------------------------------------------------------------------
def _geqrf(ra, rtau, a):
    argcheck(a.dim() == 2, 1, "A should be 2 dimensional")
    wa = _clone_cm(ra, a)
    m, n = wa.size
    rtau.resize((min(m, n),))
    qr, tau, _work, info = _lapack(a.t, "geqrf")(_f(wa))
    wa.a[...] = qr
    rtau.a[...] = tau
    _check_info(info, "geqrf", "Lapack Error %s : unknown Lapack error. info = %i")
    _free_copy_to(wa, ra)


def _raw_vector(t, n):
    """The n values at t's data pointer, as LAPACK reads a vector argument."""
    return np.array(t.storage.data[t.offset:t.offset + n])


def _orgqr(ra, a, tau):
    argcheck(a.dim() == 2, 1, "A should be 2 dimensional")
    wa = _clone_cm(ra, a)
    m = wa.size[0]
    k = tau.size[0] if tau.size else 0
    if k > m:
        raise TorchError("Lapack Error in orgqr : Illegal Argument 2")
    # TH asks for k columns (M=m, N=k, K=k); the other columns keep their values
    q, _work, info = _lapack(a.t, "orgqr")(np.array(wa.a[:, :k], order="F"), _raw_vector(tau, k))
    _check_info(info, "orgqr", " Lapack Error %s : unknown Lapack error. info = %i")
    wa.a[:, :k] = q
    _free_copy_to(wa, ra)


def linalg_geqrf(ra, rtau, a):
    ra, rtau = _new(ra, a.t), _new(rtau, a.t)
    _geqrf(ra, rtau, a)
    return ret(ra) + ret(rtau)


def linalg_orgqr(ra, a, tau):
    ra = _new(ra, a.t)
    _orgqr(ra, a, tau)
    return ret(ra)


def linalg_qr(rq, rr, a):
    ty = a.t
    rq, rr = _new(rq, ty), _new(rr, ty)
    fa, tau = Tensor(ty), Tensor(ty)
    _geqrf(fa, tau, a)
    m, n = fa.size
    k = min(m, n)
    rr.resize((k, n))
    rr.a[...] = np.triu(fa.a[:k])
    rq.resize((m, k))
    _orgqr(rq, fa, tau)
    rq._geom(rq.storage, rq.offset, (rq.size[0], k), rq.stride)
    return ret(rq) + ret(rr)


def linalg_ormqr(ra, a, tau, c, side, trans):
    argcheck(a.dim() == 2, 1, "A should be 2 dimensional")
    ra = _new(ra, c.t)
    wc = _clone_cm(ra, c)
    m, n = c.size
    k = tau.size[0] if tau.size else 0
    lda = m if side[0] == "L" else n
    # LAPACK reads A from its data pointer as a column-major lda x k matrix
    raw = a.storage.data[a.offset:a.offset + lda * k]
    if raw.size < lda * k:
        raise TorchError("Lapack Error in ormqr : Illegal Argument 7")
    fa = np.array(raw.reshape((k, lda)).T, order="F")
    cq, _work, info = _lapack(c.t, "ormqr")(side[0], trans[0], fa, _raw_vector(tau, k),
                                            _f(wc), max(1, n if side[0] == "L" else m) * 64)
    wc.a[...] = cq
    _check_info(info, "ormqr", " Lapack Error %s : unknown Lapack error. info = %i")
    _free_copy_to(wc, ra)
    return ret(ra)


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("linalg_") and callable(fn)}
