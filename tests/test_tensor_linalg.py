"""LAPACK functions as Lua sees them (lua_prelude/torch/TensorMath_linalg.lua,
torchlua/core/math_linalg.py): values against NumPy, the column-major layouts
Torch7 returned, result-tensor reuse, Float in single precision, errors."""
import numpy as np
import pytest
from lua_helpers import lua


pytest.importorskip("scipy")


def err(rt, code, *args):
    ok, msg = rt.eval("function(f, ...) return pcall(f, ...) end")(
        lua(rt, "return function(...) " + code + "\nend"), *args)
    assert ok is False
    return msg


def spd(n, dt=np.float64, seed=0):
    a = np.random.default_rng(seed).standard_normal((n, n))
    return (a @ a.T + n * np.eye(n)).astype(dt)


def geometry(rt, t):
    return lua(rt, "local t = ... return t:size():totable(), t:stride():totable()", t)


def col_major(rt, t, rows, cols):
    size, stride = geometry(rt, t)
    assert list(size.values()) == [rows, cols]
    assert list(stride.values())[0] == 1


TOL = {np.float64: 1e-10, np.float32: 1e-4}


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_gesv(rt, dt):
    a = spd(4, dt) + np.triu(np.ones((4, 4), dt))
    b = np.random.default_rng(1).standard_normal((4, 2)).astype(dt)
    got = lua(rt, """local b, a = ...
        local x, lu = torch.gesv(b, a)
        local rb, ra = a.new(), a.new()
        local x2, lu2 = torch.gesv(rb, ra, b, a)
        local v = torch.gesv(b:select(2, 1), a)
        return x, lu, x2 == rb and lu2 == ra, rb, v""", b, a)
    x = np.linalg.solve(a.astype(np.float64), b.astype(np.float64))
    assert got[0].numpy().dtype == dt
    np.testing.assert_allclose(got[0].numpy(), x, rtol=TOL[dt], atol=TOL[dt])
    col_major(rt, got[0], 4, 2)
    col_major(rt, got[1], 4, 4)
    assert got[2] is True
    np.testing.assert_allclose(got[3].numpy(), x, rtol=TOL[dt], atol=TOL[dt])
    col_major(rt, got[4], 4, 1)            # a vector right-hand side gives a 4x1 solution
    np.testing.assert_allclose(got[4].numpy()[:, 0], x[:, 0], rtol=TOL[dt], atol=TOL[dt])
    # the LU factors: P A = L U with L unit lower
    lu = got[1].numpy().astype(np.float64)
    low, up = np.tril(lu, -1) + np.eye(4), np.triu(lu)
    prod = low @ up
    assert sorted(map(tuple, np.round(prod, 3))) == sorted(map(tuple, np.round(a.astype(np.float64), 3)))


def test_gesv_reuses_column_major_inputs_in_place(rt):
    a = spd(3)
    b = np.eye(3)
    got = lua(rt, """local b, a = ...
        local A, B = a:t():clone():t(), b:t():clone():t()   -- column-major copies
        local A0, B0 = A, B
        torch.gesv(B, A, B, A)
        return B, A, B == B0""", b, a)
    np.testing.assert_allclose(got[0].numpy(), np.linalg.inv(a), rtol=1e-10, atol=1e-12)
    assert got[2] is True


def test_trtrs(rt):
    a = np.triu(spd(4))
    b = np.arange(8.0).reshape(4, 2)
    got = lua(rt, """local b, a = ...
        return torch.trtrs(b, a), torch.trtrs(b, a:t(), 'L'), torch.trtrs(b, a, 'U', 'T'),
               torch.trtrs(b, a, 'U', 'N', 'U')""", b, a)
    np.testing.assert_allclose(got[0].numpy(), np.linalg.solve(a, b), rtol=1e-10)
    np.testing.assert_allclose(got[1].numpy(), np.linalg.solve(a.T, b), rtol=1e-10)
    np.testing.assert_allclose(got[2].numpy(), np.linalg.solve(a.T, b), rtol=1e-10)
    unit = np.triu(a, 1) + np.eye(4)
    np.testing.assert_allclose(got[3].numpy(), np.linalg.solve(unit, b), rtol=1e-10)


def test_gels_over_and_under_determined(rt):
    rng = np.random.default_rng(2)
    a_over, b_over = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    a_under, b_under = rng.standard_normal((2, 4)), rng.standard_normal((2, 1))
    got = lua(rt, """local ao, bo, au, bu = ...
        local x = torch.gels(bo, ao)
        return x, x:stride(2), x:storage():size(), torch.gels(bu, au)""",
              a_over, b_over, a_under, b_under)
    np.testing.assert_allclose(got[0].numpy(), np.linalg.lstsq(a_over, b_over, rcond=None)[0],
                               rtol=1e-10, atol=1e-12)
    assert got[1] == 5 and got[2] == 10    # n rows shown of LAPACK's m-row buffer
    np.testing.assert_allclose(got[3].numpy(), np.linalg.pinv(a_under) @ b_under, rtol=1e-10)


def test_symeig_eig(rt):
    a = spd(4)
    got = lua(rt, """local a = ...
        local e, v = torch.symeig(a, 'V')
        local e2 = torch.symeig(a)
        local el = torch.symeig(a, 'V', 'L')
        local re, rv = torch.eig(a, 'V')
        local re2, rv2 = torch.eig(a)
        return e, v, e2, el, re, rv, rv2:dim()""", a)
    w, v = np.linalg.eigh(a)
    np.testing.assert_allclose(got[0].numpy(), w, rtol=1e-10)
    np.testing.assert_allclose(np.abs(got[1].numpy()), np.abs(v), rtol=1e-8, atol=1e-10)
    col_major(rt, got[1], 4, 4)
    np.testing.assert_allclose(got[2].numpy(), w, rtol=1e-10)
    np.testing.assert_allclose(got[3].numpy(), w, rtol=1e-10)
    re = got[4].numpy()
    assert re.shape == (4, 2) and np.all(re[:, 1] == 0)
    np.testing.assert_allclose(np.sort(re[:, 0]), w, rtol=1e-10)
    vecs = got[5].numpy()
    np.testing.assert_allclose(a @ vecs, vecs * re[:, 0], rtol=1e-8, atol=1e-10)
    assert got[6] == 0
    rot = np.array([[0.0, -1], [1, 0]])
    re = lua(rt, "return torch.eig(...)", rot)[0].numpy()
    np.testing.assert_allclose(sorted(re[:, 1]), [-1, 1])


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_svd(rt, dt):
    a = np.random.default_rng(3).standard_normal((5, 3)).astype(dt)
    got = lua(rt, """local a = ...
        local u, s, v = torch.svd(a)
        local ua, sa, va = torch.svd(a, 'A')
        local ut, st, vt = torch.svd(a:t())
        return u, s, v, ua, va, ut, vt""", a)
    u, s, v = (g.numpy() for g in got[:3])
    assert u.dtype == dt and u.shape == (5, 3) and s.shape == (3,) and v.shape == (3, 3)
    np.testing.assert_allclose(u @ np.diag(s) @ v.T, a, rtol=TOL[dt] * 10, atol=TOL[dt] * 10)
    np.testing.assert_allclose(s, np.linalg.svd(a.astype(np.float64), compute_uv=False),
                               rtol=TOL[dt])
    col_major(rt, got[0], 5, 3)
    assert got[3].numpy().shape == (5, 5) and got[4].numpy().shape == (3, 3)
    ut, vt = got[5].numpy(), got[6].numpy()
    assert ut.shape == (3, 3) and vt.shape == (5, 3)


def test_inverse_and_cholesky_family(rt):
    a = spd(4)
    got = lua(rt, """local a = ...
        local u = torch.potrf(a)
        local l = torch.potrf(a, 'L')
        local b = torch.Tensor(4, 2):copy(torch.range(1, 8))
        return torch.inverse(a), u, l, torch.potrs(b, u), torch.potrs(b, l, 'L'),
               torch.potri(u), torch.potri(l, 'L')""", a)
    inv = np.linalg.inv(a)
    np.testing.assert_allclose(got[0].numpy(), inv, rtol=1e-10)
    col_major(rt, got[0], 4, 4)
    u, l = got[1].numpy(), got[2].numpy()
    assert np.all(np.tril(u, -1) == 0) and np.all(np.triu(l, 1) == 0)
    np.testing.assert_allclose(u.T @ u, a, rtol=1e-10)
    np.testing.assert_allclose(l @ l.T, a, rtol=1e-10)
    b = np.arange(1.0, 9).reshape(4, 2)
    np.testing.assert_allclose(got[3].numpy(), inv @ b, rtol=1e-10)
    np.testing.assert_allclose(got[4].numpy(), inv @ b, rtol=1e-10)
    np.testing.assert_allclose(got[5].numpy(), inv, rtol=1e-10)
    np.testing.assert_allclose(got[6].numpy(), inv, rtol=1e-10)


def test_pstrf(rt):
    a = spd(4, seed=4)
    got = lua(rt, """local a = ...
        local u, piv = torch.pstrf(a)
        return u, piv, torch.type(piv)""", a)
    u, piv = got[0].numpy(), got[1].numpy()
    assert got[2] == "torch.IntTensor"
    assert sorted(piv.tolist()) == [1, 2, 3, 4]
    p = a[np.ix_(piv - 1, piv - 1)]
    np.testing.assert_allclose(u.T @ u, p, rtol=1e-10)


def test_qr_family(rt):
    a = np.random.default_rng(5).standard_normal((5, 3))
    c = np.random.default_rng(6).standard_normal((5, 2))
    got = lua(rt, """local a, c = ...
        local q, r = torch.qr(a)
        local f, tau = torch.geqrf(a)
        local qq = torch.orgqr(f, tau)
        local qtc = torch.ormqr(f, tau, c, 'L', 'T')
        return q, r, qq, qtc, q:stride(1), q:stride(2), r:stride(1)""", a, c)
    q, r = got[0].numpy(), got[1].numpy()
    np.testing.assert_allclose(q @ r, a, rtol=1e-10, atol=1e-12)
    assert np.all(np.tril(r, -1) == 0) and q.shape == (5, 3) and r.shape == (3, 3)
    np.testing.assert_allclose(q.T @ q, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(got[2].numpy(), q, atol=1e-12)
    full_q = np.linalg.qr(a, mode="complete")[0]
    qtc = got[3].numpy()
    np.testing.assert_allclose(np.abs(qtc[:3]), np.abs((full_q.T @ c)[:3]), rtol=1e-10)
    assert got[4:] == (1, 5, 3)


def test_errors(rt):
    assert err(rt, "local x = torch.gesv(torch.Tensor(3), torch.Tensor(2, 2))") == \
        "script.lua:1: bad argument #2 to '?' (A,B size incompatible - A has 2 rows, B has 3)"
    assert err(rt, "local x = torch.gesv(torch.Tensor(2), torch.Tensor(2, 3))") == \
        "script.lua:1: bad argument #2 to '?' (A should be square, but is 2x3)"
    assert err(rt, "local x = torch.inverse(torch.Tensor{{1, 2}, {2, 4}})") == \
        "script.lua:1: Lapack Error getrf : U(2,2) is 0, U is singular"
    assert err(rt, "local x = torch.gesv(torch.Tensor{1, 2}, torch.Tensor{{1, 2}, {2, 4}})") == \
        "script.lua:1: Lapack Error in gesv : U(2,2) is zero, singular U."
    assert err(rt, "local x = torch.potrf(torch.Tensor{{1, 2}, {2, 1}})") == \
        "script.lua:1: Lapack Error in potrf : the leading minor of order 2 is not positive definite"
    assert err(rt, "local x = torch.gesv(torch.LongTensor(2), torch.LongTensor(2, 2))") == \
        "script.lua:1: torch.LongTensor does not implement the torch.gesv() function"
    assert err(rt, "local x = torch.symeig(torch.Tensor(2, 2), 'X')").endswith(
        "expected arguments: *DoubleTensor* *DoubleTensor* DoubleTensor [(N|V)] [(U|L)] | "
        "DoubleTensor [(N|V)] [(U|L)]")
    assert err(rt, "local x = torch.Tensor(2, 2):gesv(torch.Tensor(2, 2))").startswith(
        "script.lua:1: attempt to call method 'gesv'")


def test_without_scipy_the_error_says_so(rt, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "scipy.linalg", None)
    assert err(rt, "local x = torch.inverse(torch.eye(2))") == (
        "script.lua:1: getrf: torchlua runs LAPACK through SciPy, which is not installed "
        "(pip install scipy)")
