"""optim's line-search, conjugate-gradient, proximal and evolutionary methods,
checked against NumPy re-derivations written here (exactly where the
operations are the same scalar/elementwise ones, to rounding where a linear
solver or an eigen-solver is involved)."""
import math

import numpy as np
import pytest

from torchlua import Runtime
from torchlua.core.random import Generator

from test_optim import LUA_OBJECTIVES, FUNCS, STARTS, quad, rosen, trace
from th_arith import cadd


@pytest.fixture(scope="module")
def rt():
    r = Runtime()
    r.execute("require 'optim'")
    r.execute(LUA_OBJECTIVES)
    return r


# ---------------------------------------------------------------------------
# polyinterp

def cubic_min(p):
    """Closed-form minimiser of the cubic through two (x, f, g) points."""
    lo = 0 if p[0][0] <= p[1][0] else 1
    hi = 1 - lo
    (x1, f1, g1), (x2, f2, g2) = p[lo], p[hi]
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    sq = d1 ** 2 - g1 * g2
    if sq < 0:
        return (x1 + x2) / 2
    d2 = math.sqrt(sq)
    t = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    return min(max(t, x1), x2)


def poly_min(points, lo=None, hi=None):
    """Minimum of the Hermite interpolating polynomial over [lo, hi]."""
    pts = np.array(points, dtype=float)
    n = len(pts)
    order = 2 * n - 1
    lo = pts[:, 0].min() if lo is None else lo
    hi = pts[:, 0].max() if hi is None else hi
    A = np.zeros((2 * n, order + 1))
    b = np.zeros(2 * n)
    for i, (x, f, g) in enumerate(pts):
        A[i] = [x ** j for j in range(order, -1, -1)]
        b[i] = f
        A[n + i, :order] = [(order - j) * x ** (order - j - 1) for j in range(order)]
        b[n + i] = g
    coef = np.linalg.lstsq(A, b, rcond=None)[0]
    coef[np.abs(coef) <= 1e-12] = 0
    cands = [lo, hi] + list(pts[:, 0])
    dcoef = coef[:-1] * np.arange(order, 0, -1)
    cands += [r.real for r in np.roots(dcoef) if r.imag == 0]
    best, where = math.inf, (lo + hi) / 2
    for c in cands:
        if lo <= c <= hi:
            v = np.polyval(coef, c)
            if v < best:
                best, where = v, c
    return where


@pytest.mark.parametrize("pts", [
    [[0, 1, -2], [1, 0.5, 1]],
    [[2, 3, 0.5], [0.5, 1, -4]],
    [[0, 0, -1], [1, -3, -1]],           # no real stationary point: mean of the xs
])
def test_polyinterp_closed_form(rt, pts):
    got = rt.execute("return optim.polyinterp(torch.Tensor(...))", pts)
    assert got == cubic_min(pts)


@pytest.mark.parametrize("pts,lo,hi", [
    ([[0, 1, -2], [1, 0.5, 1]], None, None),
    ([[0, 1, -2], [0.1, 0.85, -1]], 0.101, 1.0),
    ([[0, 1, -2], [0.3, 0.6, -0.5]], 0.303, 3.0),
    ([[0, 1, -2], [0.4, 0.5, 0.3], [1, 0.9, 2]], None, None),
])
def test_polyinterp_general(rt, pts, lo, hi):
    if lo is None and len(pts) == 2:  # force the general path with explicit bounds
        lo, hi = 0.0, 1.0
    got = rt.execute("local p, lo, hi = ...; return optim.polyinterp(torch.Tensor(p), lo, hi)",
                     pts, lo, hi)
    if isinstance(got, tuple):
        got = got[0]
    assert got == pytest.approx(poly_min(pts, lo, hi), rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------------------
# lswolfe

def lswolfe_numpy(fun, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tol_x=1e-9, max_iter=20):
    evals = []

    def at(step):
        xn = x + step * d
        evals.append(xn)
        fn, gn = fun(xn)
        return fn, gn, gn.dot(d)

    f_new, g_new, gtd_new = at(t)
    it, t_prev, done = 0, 0.0, False
    f_prev, g_prev, gtd_prev = f, g.copy(), gtd
    br = None
    while it < max_iter:
        if f_new > f + c1 * t * gtd or (it > 1 and f_new >= f_prev):
            br = [[t_prev, f_prev, g_prev], [t, f_new, g_new]]
            break
        if abs(gtd_new) <= -c2 * gtd:
            br = [[t, f_new, g_new]]
            done = True
            break
        if gtd_new >= 0:
            br = [[t_prev, f_prev, g_prev], [t, f_new, g_new]]
            break
        old, t_prev = t_prev, t
        t = poly_min([[old, f_prev, gtd_prev], [t, f_new, gtd_new]], t + 0.01 * (t - old), t * 10)
        f_prev, g_prev, gtd_prev = f_new, g_new.copy(), gtd_new
        f_new, g_new, gtd_new = at(t)
        it += 1
    if it == max_iter:
        br = [[0, f, g], [t, f_new, g_new]]
    insuf = False
    while not done and it < max_iter:
        lo = 0 if br[0][1] <= br[1][1] else 1
        hi = 1 - lo
        f_lo = br[lo][1]
        t = cubic_min([[b[0], b[1], b[2].dot(d)] for b in br])
        top, bot = max(br[0][0], br[1][0]), min(br[0][0], br[1][0])
        if min(top - t, t - bot) / (top - bot) < 0.1:
            if insuf or t >= top or t <= bot:
                t = top - 0.1 * (top - bot) if abs(t - top) < abs(t - bot) else bot + 0.1 * (top - bot)
                insuf = False
            else:
                insuf = True
        else:
            insuf = False
        f_new, g_new, gtd_new = at(t)
        it += 1
        if f_new > f + c1 * t * gtd or f_new >= f_lo:
            br[hi] = [t, f_new, g_new]
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (br[hi][0] - br[lo][0]) >= 0:
                br[hi] = list(br[lo])
            br[lo] = [t, f_new, g_new]
        if not done and abs((br[0][0] - br[1][0]) * gtd_new) < tol_x:
            break
    best = min(range(len(br)), key=lambda i: (br[i][1], i))
    t, f_new, g_new = br[best]
    return f_new, g_new, x + t * d, t, len(evals), evals


LS_RUN = """
local fname, x0, t = ...
local points = {}
local function opfunc(x) points[#points + 1] = x:clone(); return OBJ[fname](x) end
local x = x0:clone()
local f, g = OBJ[fname](x)
local d = g:clone():mul(-1)
local fn, gn, xn, tn, n = optim.lswolfe(opfunc, x, t, d, f, g, g:dot(d))
local P = torch.Tensor(#points, 2)
for i, p in ipairs(points) do P[i]:copy(p) end
return fn, gn, xn, tn, n, P, xn == x
"""


@pytest.mark.parametrize("fname,t", [("quad", 3.0), ("quad", 0.01), ("rosen", 1.0),
                                     ("rosen", 1e-4), ("rosen", 0.05)])
def test_lswolfe(rt, fname, t):
    x0 = np.array(STARTS[fname])
    fn, gn, xn, tn, n, P, same = rt.execute(LS_RUN, fname, x0, t)
    f0, g0 = FUNCS[fname](x0)
    d = -g0
    ef, eg, ex, et, en, epoints = lswolfe_numpy(FUNCS[fname], x0, t, d, f0, g0, g0.dot(d))
    assert same and n == en
    assert tn == pytest.approx(et, rel=1e-9)
    np.testing.assert_allclose(P.numpy(), np.array(epoints), rtol=1e-9)
    np.testing.assert_allclose(xn.numpy(), x0 + tn * d, rtol=1e-15)
    assert fn == pytest.approx(ef, rel=1e-9)
    # what it returns is consistent: f and g at the returned x, Wolfe conditions
    fx, gx = FUNCS[fname](xn.numpy())
    assert fn == fx and np.array_equal(gn.numpy(), gx)
    assert fn <= f0 + 1e-4 * tn * g0.dot(d)


def test_lswolfe_quadratic_lands_on_exact_minimiser(rt):
    x0 = np.array(STARTS["quad"])
    f0, g0 = quad(x0)
    A = np.array([[3, 0.5], [0.5, 1]])
    t_star = g0.dot(g0) / g0.dot(A @ g0)
    # too long a first step: bracket [0, 3], one cubic (exact on a quadratic) zoom step
    _, _, _, tn, n = rt.execute(LS_RUN, "quad", x0, 3.0)[:5]
    assert tn == pytest.approx(t_star, rel=1e-12) and n == 2
    # t = 1 already meets the strong Wolfe conditions: accepted as it is
    assert rt.execute(LS_RUN, "quad", x0, 1.0)[3:5] == (1.0, 1)
    # too short: extrapolation is capped at 10 t, and 0.1 is acceptable
    assert rt.execute(LS_RUN, "quad", x0, 0.01)[3:5] == (0.1, 2)


# ---------------------------------------------------------------------------
# L-BFGS with lswolfe

def lbfgs_ls_numpy(fname, x, max_iter, tol_fun=1e-5, tol_x=1e-9):
    fun = FUNCS[fname]
    f, g = fun(x)
    fs = [f]
    points = [x.copy()]
    n_eval = 1
    max_eval = max_iter * 1.25
    dirs, stps = [], []
    d = t = None
    for it in range(1, max_iter + 1):
        if it == 1:
            d = -g
            hdiag = 1
        else:
            y, s = g - g_old, d * t
            ys = y.dot(s)
            if ys > 1e-10:
                dirs.append(s)
                stps.append(y)
                hdiag = ys / y.dot(y)
            ro = [1 / stps[i].dot(dirs[i]) for i in range(len(dirs))]
            al = [0.0] * len(dirs)
            q = -g
            for i in range(len(dirs) - 1, -1, -1):
                al[i] = dirs[i].dot(q) * ro[i]
                q = q - al[i] * stps[i]
            d = q * hdiag
            for i in range(len(dirs)):
                d = d + (al[i] - stps[i].dot(d) * ro[i]) * dirs[i]
        g_old, f_old = g.copy(), f
        gtd = g.dot(d)
        if gtd > -tol_x:
            break
        t = min(1, 1 / np.abs(g).sum()) if it == 1 else 1.0
        f, g, x, t, k, pts = lswolfe_numpy(fun, x, t, d, f, g, gtd)
        points += pts
        fs.append(f)
        n_eval += k
        if it == max_iter or n_eval >= max_eval or np.abs(g).sum() <= tol_fun:
            break
        if np.abs(d * t).sum() <= tol_x or abs(f - f_old) < tol_x:
            break
    return np.array(points), x, np.array(fs), n_eval


@pytest.mark.parametrize("fname,iters", [("rosen", 100), ("quad", 100), ("rosen", 6)])
def test_lbfgs_with_lswolfe(rt, fname, iters):
    P, x, fs, extras = trace(rt, "lbfgs", fname, {"maxIter": iters,
                                                  "lineSearch": rt.eval("optim.lswolfe")}, 1)
    Pn, xn, fsn, n = lbfgs_ls_numpy(fname, np.array(STARTS[fname]), iters)
    assert extras[1] == n == len(P)
    np.testing.assert_allclose(P, Pn, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(fs, fsn, rtol=1e-6, atol=1e-14)
    if iters == 100:
        assert fs[-1] == min(fs) and fs[-1] < 1e-8 + (fname == "quad") * quad_min()


def quad_min():
    A = np.array([[3, 0.5], [0.5, 1]])
    xs = np.linalg.solve(A, [1, -2])
    return quad(xs)[0]


# ---------------------------------------------------------------------------
# CG (Rasmussen's minimize)

def cg_numpy(fname, x, max_iter, rho=0.01, sig=0.5, INT=0.1, ext=3.0, ratio=100):
    fun = FUNCS[fname]
    max_eval = max_iter * 1.25
    points = [x.copy()]

    def ev(xx):
        points.append(xx.copy())
        return fun(xx)
    f1, df1 = fun(x)
    fs = [f1]
    i = 1
    s = df1 * -1
    d1 = -s.dot(s)
    z1 = 1 / (1 - d1)
    while i < abs(max_eval):
        x0, f0, df0 = x.copy(), f1, df1.copy()
        x = cadd(x, z1, s)   # x:add(z1, s)
        f2, df2 = ev(x)
        i += 1
        d2 = df2.dot(s)
        f3, d3, z3 = f1, d1, -z1
        m = min(max_iter, max_eval - i)
        success = False
        limit = -1
        while True:
            while (f2 > f1 + z1 * rho * d1 or d2 > -sig * d1) and m > 0:
                limit = z1
                if f2 > f1:
                    z2 = z3 - (0.5 * d3 * z3 * z3) / (d3 * z3 + f2 - f3)
                else:
                    A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
                    B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
                    z2 = (math.sqrt(B * B - A * d2 * z3 * z3) - B) / A
                if not math.isfinite(z2):
                    z2 = z3 / 2
                z2 = max(min(z2, INT * z3), (1 - INT) * z3)
                z1 = z1 + z2
                x = cadd(x, z2, s)
                f2, df2 = ev(x)
                i += 1
                m -= 1
                d2 = df2.dot(s)
                z3 = z3 - z2
            if f2 > f1 + z1 * rho * d1 or d2 > -sig * d1:
                break
            elif d2 > sig * d1:
                success = True
                break
            elif m == 0:
                break
            A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
            B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
            disc = B * B - A * d2 * z3 * z3
            z2 = -d2 * z3 * z3 / (B + math.sqrt(disc)) if disc >= 0 else math.nan
            if not math.isfinite(z2) or z2 < 0:
                z2 = z1 * (ext - 1) if limit < -0.5 else (limit - z1) / 2
            elif limit > -0.5 and z2 + z1 > limit:
                z2 = (limit - z1) / 2
            elif limit < -0.5 and z2 + z1 > z1 * ext:
                z2 = z1 * (ext - 1)
            elif z2 < -z3 * INT:
                z2 = -z3 * INT
            elif limit > -0.5 and z2 < (limit - z1) * (1 - INT):
                z2 = (limit - z1) * (1 - INT)
            f3, d3, z3 = f2, d2, -z2
            z1 = z1 + z2
            x = cadd(x, z2, s)
            f2, df2 = ev(x)
            i += 1
            m -= 1
            d2 = df2.dot(s)
        if success:
            f1 = f2
            fs.append(f1)
            ss = (df2.dot(df2) - df2.dot(df1)) / df1.dot(df1)
            s = s * ss
            s = s + (-1) * df2
            df1, df2 = df2.copy(), df1.copy()
            d2 = df1.dot(s)
            if d2 > 0:
                s = df1 * -1
                d2 = -s.dot(s)
            z1 = z1 * min(ratio, d1 / (d2 - 1e-320))
            d1 = d2
        else:
            x = x0
            break
    return np.array(points), x, np.array(fs), i


@pytest.mark.parametrize("fname,iters,x0", [("rosen", 50, [0, 0]), ("rosen", 50, None),
                                            ("quad", 20, None), ("rosen", 8, None)])
def test_cg(rt, fname, iters, x0):
    P, x, fs, extras = trace(rt, "cg", fname, {"maxIter": iters}, 1, x0)
    Pn, xn, fsn, n = cg_numpy(fname, np.array(STARTS[fname] if x0 is None else x0, float), iters)
    np.testing.assert_array_equal(P, Pn)
    np.testing.assert_array_equal(x, xn)
    np.testing.assert_array_equal(fs, fsn)
    assert extras[1] == n
    if x0 == [0, 0]:  # upstream's test_cg.lua: minimize.m reaches the minimum
        np.testing.assert_allclose(x, [1, 1], atol=1e-4)


def test_cg_keeps_buffers_in_state(rt):
    st = rt.execute("local c = {maxIter = 5}; optim.cg(OBJ.quad, torch.Tensor{0.5, -0.25}, c); return c")
    for k in ("df0", "df1", "df2", "df3", "x0", "s"):
        assert st[k].numpy().shape == (2,)


# ---------------------------------------------------------------------------
# checkgrad

def test_checkgrad(rt):
    diff, dC, est = rt.execute("return optim.checkgrad(OBJ.rosen, torch.Tensor{-1.2, 1}, 1e-6)")
    x = np.array([-1.2, 1.0])
    f, g = rosen(x)
    expected = np.zeros(2)
    for i in range(2):
        xp, xm = x.copy(), x.copy()
        xp[i] = x[i] + 1e-6
        xm[i] = xp[i] - 2 * 1e-6
        expected[i] = (rosen(xp)[0] - rosen(xm)[0]) / (2 * 1e-6)
    np.testing.assert_array_equal(dC.numpy(), g)
    np.testing.assert_array_equal(est.numpy(), expected)
    assert diff == pytest.approx(np.linalg.norm(g - expected) / np.linalg.norm(g + expected), rel=1e-12)
    assert diff < 1e-8
    # a wrong gradient is caught; x is restored after probing
    bad, x2 = rt.execute("""local x = torch.Tensor{0.3, 0.7}
      local d = optim.checkgrad(function(x) local f, g = OBJ.quad(x); g[1] = g[1] + 1; return f, g end, x)
      return d, x""")
    assert bad > 0.1 and list(x2.numpy()) == [0.3, 0.7]


# ---------------------------------------------------------------------------
# FISTA on a small lasso problem

LASSO = np.array([[1.0, 0.5, -0.3], [0.2, -1.0, 0.8], [0.4, 0.1, 1.5], [-0.7, 0.3, 0.2]])
TARGET = np.array([1.0, -2.0, 0.5, 0.3])
LAM = 0.2


def fista_numpy(x, do_fista, L=0.1, Lstep=1.5, maxiter=50, maxline=20, errthres=1e-4):
    def f(v):
        r = LASSO @ v - TARGET
        return 0.5 * r.dot(r), LASSO.T @ r

    def g(v):
        return LAM * np.abs(v).sum()

    def pl(v, L):
        return np.sign(v) * np.maximum(np.abs(v) - LAM / L, 0)
    xkm = np.zeros(3)
    y = np.zeros(3)
    tk, tkp = 1, 0
    hist = []
    while True:
        fy, gfy = f(y)
        nline = 0
        while True:
            ply = pl(y - 1 / L * gfy, L)
            xk = ply.copy()
            fply = f(ply)[0]
            diff = ply - y
            Q = fy + gfy.dot(diff) + L / 2 * diff.dot(diff)
            if fply <= Q:
                break
            elif nline >= maxline:
                xk = xkm.copy()
                break
            L = L * Lstep
            nline += 1
        if do_fista:
            tkp = (1 + math.sqrt(1 + 4 * tk * tk)) / 2
            y = xk + (1 - tk) / tkp * (xkm - xk)
            xkm = xk.copy()
        else:
            y = xk.copy()
        tk = tkp
        F = f(y)[0] + g(y)
        hist.append((F, L))
        if len(hist) > 1 and abs(hist[-1][0] - hist[-2][0]) <= errthres or len(hist) >= maxiter:
            return y, hist


@pytest.mark.parametrize("do_fista", [True, False])
def test_fista(rt, do_fista):
    sol, hist, x0 = rt.execute("""
      local A, b, lam, doF = ...
      local function f(x, mode)
        local r = torch.mv(A, x):add(-1, b)
        local v = 0.5 * r:dot(r)
        if mode == 'dx' then return v, torch.mv(A:t(), r) end
        return v
      end
      local function g(x) return lam * x:norm(1) end
      local function pl(x, L)
        local shrunk = torch.abs(x):add(-lam / L):clamp(0, math.huge)
        x:copy(torch.sign(x):cmul(shrunk))
      end
      local x0 = torch.zeros(3)
      local sol, h = optim.FistaLS(f, g, pl, x0, {doFistaUpdate = doF, errthres = 1e-10})
      local H = torch.Tensor(#h, 2)
      for i, e in ipairs(h) do H[i][1] = e.F; H[i][2] = e.L end
      return sol, H, x0""", LASSO, TARGET, LAM, do_fista)
    y, h = fista_numpy(np.zeros(3), do_fista, errthres=1e-10)
    H = hist.numpy()
    assert H.shape[0] == len(h)
    np.testing.assert_allclose(H[:, 0], [e[0] for e in h], rtol=1e-10)
    np.testing.assert_array_equal(H[:, 1], [e[1] for e in h])
    np.testing.assert_allclose(sol.numpy(), y, rtol=1e-8, atol=1e-12)
    np.testing.assert_array_equal(x0.numpy(), sol.numpy())  # xinit receives the solution


# ---------------------------------------------------------------------------
# differential evolution

def test_de(rt):
    cfg = {"popsize": 6, "scaleFactor": 0.5, "crossoverRate": 0.9, "maxFEs": 30,
           "maxRegion": 2, "minRegion": -2}
    best, fx = rt.execute("return optim.de(OBJ.rosen, torch.Tensor{0, 0}, ...)", cfg)
    gen = Generator(1)
    D, P = 2, 6
    pop = np.array([[gen.uniform(-2, 2) for _ in range(D)] for _ in range(P)])
    fit = np.array([rosen(p)[0] for p in pop])
    hist = list(fit)
    bi = int(np.argmax(fit))  # Torch7 starts from the largest fitness
    bfit, bsol = fit[bi], pop[bi].copy()
    while len(hist) + 1 < 30:
        kids = np.zeros((P, D))
        kfit = np.zeros(P)
        for i in range(1, P + 1):
            while True:
                r1 = gen.random2(1, P)
                if r1 != i:
                    break
            while True:
                r2 = gen.random2(1, P)
                if r2 != r1 and r2 != i:
                    break
            jr = gen.random2(1, D)
            for j in range(D):
                if gen.uniform(0, 1) < 0.9 or i == jr:
                    kids[i - 1, j] = bsol[j] + 0.5 * (pop[r1 - 1, j] - pop[r2 - 1, j])
                else:
                    kids[i - 1, j] = pop[i - 1, j]
            kfit[i - 1] = rosen(kids[i - 1])[0]
            hist.append(kfit[i - 1])
        for i in range(P):
            if kfit[i] <= fit[i]:
                pop[i], fit[i] = kids[i], kfit[i]
                if fit[i] < bfit:
                    bfit, bsol = fit[i], kids[i].copy()
    fxn = fx.numpy()
    np.testing.assert_array_equal(fxn[:len(hist)], hist)
    np.testing.assert_array_equal(best.numpy(), bsol)
    # its private generator leaves the global one alone
    assert rt.execute("torch.manualSeed(7); return torch.random()") == \
        rt.execute("torch.manualSeed(7); optim.de(OBJ.rosen, torch.Tensor{0, 0}, ...); return torch.random()",
                   cfg)


def test_de_rosenbrock_upstream_config(rt):
    best, fx = rt.execute("""return optim.de(OBJ.rosen, torch.Tensor{0, 0},
      {popsize = 50, scaleFactor = 0.5, crossoverRate = 0.9, maxFEs = 3000})""")
    assert fx.numpy().shape == (3000,)
    np.testing.assert_allclose(best.numpy(), [1, 1], atol=1e-4)


# ---------------------------------------------------------------------------
# CMA-ES

def cmaes_constants(N, lam):
    mu = lam / 2
    w = np.array([math.log(mu + 0.5) - math.log(i + 1) for i in range(int(mu))])
    w = w / w.sum()
    mueff = w.sum() ** 2 / (w ** 2).sum()
    cc = (4 + mueff / N) / (N + 4 + 2 * mueff / N)
    cs = (mueff + 2) / (N + mueff + 5)
    c1 = 2 / ((N + 1.3) ** 2 + mueff)
    cmu = min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((N + 2) ** 2 + mueff))
    damps = 2 * mueff / lam + 0.3 + cs
    return int(mu), w, mueff, cc, cs, c1, cmu, damps


CMAES_RUN = """
local seed, x0, cfg = ...
torch.manualSeed(seed)
local points = {}
local function opfunc(x) points[#points + 1] = x:clone(); return OBJ.rosen(x) end
local best, fh, n = optim.cmaes(opfunc, x0, cfg)
local P = torch.Tensor(#points, 2)
for i, p in ipairs(points) do P[i]:copy(p) end
return best, torch.Tensor(fh), n, P
"""


def test_cmaes_first_two_generations(rt):
    N, lam, sigma = 2, 6, 0.3
    x0 = np.array([-1.2, 1.0])
    best, fh, n, P = rt.execute(CMAES_RUN, 5, x0, {"sigma": sigma, "maxEval": 12, "verb_disp": 0})
    P = P.numpy()
    assert n == 12 and P.shape == (1 + 2 * lam, 2)
    np.testing.assert_array_equal(P[0], x0)
    mu, w, mueff, cc, cs, c1, cmu, damps = cmaes_constants(N, lam)
    gen = Generator(5)
    # generation 1: B = I, D = 1, so a candidate is xmean + sigma * z
    Z = np.array([[gen.normal() for _ in range(N)] for _ in range(lam)])
    cands = x0 + Z * sigma
    np.testing.assert_array_equal(P[1:1 + lam], cands)
    fit = np.array([rosen(c)[0] for c in cands])
    order = np.argsort(fit, kind="stable")
    arx = cands[order[:mu]]
    xmean = arx.T @ w
    y = xmean - x0
    ps = y * (math.sqrt(cs * (2 - cs) * mueff) / sigma)
    hsig = float((ps ** 2).sum() / (1 - (1 - cs) ** (2 * lam / lam)) / N < 2 + 4 / (N + 1))
    pc = y * (math.sqrt(cc * (2 - cc) * mueff) / sigma) * hsig
    c1a = c1 - (1 - hsig ** 2) * c1 * cc * (2 - cc)
    C = np.eye(N)
    dev = arx - x0
    Cmu = (dev.T * w) @ dev / sigma ** 2
    C = C + ((-c1a - cmu) * C + c1 * np.outer(pc, pc) + cmu * Cmu)
    sigma2 = sigma * math.exp(min(0.6, (cs / damps) * ((ps ** 2).sum() / N - 1) / 2))
    # generation 2 samples from the updated distribution: xmean + sigma2 * B (D .* z)
    evals, B = np.linalg.eigh(C)
    Dv = np.sqrt(evals)
    Z2 = np.array([[gen.normal() for _ in range(N)] for _ in range(lam)])
    got = (P[1 + lam:] - xmean) / sigma2
    ok = False
    for signs in ([1, 1], [1, -1], [-1, 1], [-1, -1]):   # eigenvectors are defined up to sign
        want = (B * signs) @ (Dv * Z2).T
        if np.allclose(got, want.T, rtol=1e-9, atol=1e-12):
            ok = True
    assert ok
    # history: f(x0), best of each generation, overall best
    fits2 = np.array([rosen(c)[0] for c in P[1 + lam:]])
    np.testing.assert_array_equal(fh.numpy(), [rosen(x0)[0], fit.min(), fits2.min(),
                                               min(fit.min(), fits2.min())])


def test_cmaes_solves_rosenbrock(rt):
    best, fh, n, _ = rt.execute(CMAES_RUN, 1, np.zeros(2), {"sigma": 0.5, "maxEval": 3000,
                                                            "verb_disp": 0})
    np.testing.assert_allclose(best.numpy(), [1, 1], atol=1e-4)
    assert n % 6 == 0 and n <= 3000
    assert fh.numpy()[-1] == fh.numpy()[1:-1].min()
