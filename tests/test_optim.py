"""optim's first-order methods against NumPy re-derivations of their update rules.

Each test runs an optimizer from Lua on a 2-D quadratic or on the Rosenbrock
function, records every point where the objective is evaluated, and compares
that sequence with the same update rule written here in NumPy, performing the
same floating-point operations in the same order as Torch7's optim (so the
comparison is exact).  `t:add(v, s)` on these contiguous tensors is one fused
multiply-add per element in Torch7 on a CPU with AVX2+FMA (see `cadd`).
"""
import math

import numpy as np
import pytest

from torchlua import Runtime

from th_arith import cadd

# ---------------------------------------------------------------------------
# objectives, written with scalar arithmetic identically in Lua and Python

LUA_OBJECTIVES = r"""
OBJ = {}
-- 0.5 x'Ax - b'x with A = [[3, 0.5], [0.5, 1]], b = [1, -2]
function OBJ.quad(x)
  local a, b = x[1], x[2]
  local f = 0.5 * (3 * a * a + a * b + b * b) - (a - 2 * b)
  return f, torch.Tensor{3 * a + 0.5 * b - 1, 0.5 * a + b + 2}
end
function OBJ.rosen(x)
  local a, b = x[1], x[2]
  local u = b - a * a
  local f = (1 - a) * (1 - a) + 100 * u * u
  return f, torch.Tensor{-2 * (1 - a) - 400 * a * u, 200 * u}
end

-- run optim[name] `calls` times from x0 with one config table; returns the
-- evaluation points (one row each), the final x, and every f value returned
function TRACE(name, fname, x0, config, calls)
  local points = {}
  local function opfunc(x)
    points[#points + 1] = x:clone()
    return OBJ[fname](x)
  end
  local x = x0:clone()
  local fs = {}
  local extras = {}
  for _ = 1, calls do
    local xr, fx, extra = optim[name](opfunc, x, config)
    assert(xr == x, 'optimizer must return the same tensor')
    for _, v in ipairs(fx) do fs[#fs + 1] = v end
    extras[#extras + 1] = extra
  end
  local P = torch.Tensor(#points, x:size(1))
  for i, p in ipairs(points) do P[i]:copy(p) end
  return P, x, torch.Tensor(fs), extras
end
"""


def quad(x):
    a, b = float(x[0]), float(x[1])
    f = 0.5 * (3 * a * a + a * b + b * b) - (a - 2 * b)
    return f, np.array([3 * a + 0.5 * b - 1, 0.5 * a + b + 2])


def rosen(x):
    a, b = float(x[0]), float(x[1])
    u = b - a * a
    f = (1 - a) * (1 - a) + 100 * u * u
    return f, np.array([-2 * (1 - a) - 400 * a * u, 200 * u])


FUNCS = {"quad": quad, "rosen": rosen}
STARTS = {"quad": [0.5, -0.25], "rosen": [-1.2, 1.0]}


@pytest.fixture(scope="module")
def rt():
    r = Runtime()
    r.execute("require 'optim'")
    r.execute(LUA_OBJECTIVES)
    return r


def trace(rt, name, fname, config, calls, x0=None):
    x0 = np.array(STARTS[fname] if x0 is None else x0, dtype=np.float64)
    points, x, fs, extras = rt.execute(
        "return TRACE(...)", name, fname, x0, config, calls)
    return points.numpy().copy(), x.numpy().copy(), fs.numpy().copy(), extras


def simulate(step, fname, calls, x0=None):
    """Drive a NumPy update rule: step(x, f, g) -> new x; record the points."""
    x = np.array(STARTS[fname] if x0 is None else x0, dtype=np.float64)
    points, fs = [], []
    for _ in range(calls):
        points.append(x.copy())
        f, g = FUNCS[fname](x)
        fs.append(f)
        x = step(x, g)
    return np.array(points), x, np.array(fs)


def check(rt, name, fname, config, calls, step, x0=None):
    P, x, fs, _ = trace(rt, name, fname, config, calls, x0)
    Pn, xn, fsn = simulate(step, fname, calls, x0)
    np.testing.assert_array_equal(P, Pn)
    np.testing.assert_array_equal(x, xn)
    np.testing.assert_array_equal(fs, fsn)
    assert not np.allclose(P[0], x)  # the optimizer did move
    return x


# ---------------------------------------------------------------------------
# SGD

def sgd_rule(lr=1e-3, lrd=0.0, wd=0.0, wds=None, mom=0.0, damp=None, nesterov=False, lrs=None):
    damp = mom if damp is None else damp
    st = {"n": 0, "v": None}

    def step(x, g):
        g = g.copy()
        if wd != 0:
            g = cadd(g, wd, x)
        elif wds is not None:
            g = g + wds * x  # cmul, then add(tensor): value 1, exact product
        if mom != 0:
            if st["v"] is None:
                st["v"] = g.copy()
            else:
                st["v"] = cadd(st["v"] * mom, 1 - damp, g)
            if nesterov:
                g = cadd(g, mom, st["v"])
            else:
                g = st["v"]
        clr = lr / (1 + st["n"] * lrd)
        if lrs is not None:
            x = cadd(x, -clr, lrs * g)
        else:
            x = cadd(x, -clr, g)
        st["n"] += 1
        return x
    return step


@pytest.mark.parametrize("fname", ["quad", "rosen"])
@pytest.mark.parametrize("cfg", [
    {},
    {"learningRate": 0.05},
    {"learningRate": 0.02, "learningRateDecay": 0.1},
    {"learningRate": 0.02, "weightDecay": 0.3},
    {"learningRate": 0.02, "momentum": 0.9},
    {"learningRate": 0.02, "momentum": 0.8, "dampening": 0.3},
    {"learningRate": 0.02, "momentum": 0.9, "dampening": 0, "nesterov": True},
    {"learningRate": 0.02, "weightDecays": [0.5, 0.1], "learningRates": [1.0, 0.25]},
    {"learningRate": 0.01, "momentum": 0.5, "weightDecay": 0.1, "learningRateDecay": 0.01},
])
def test_sgd(rt, fname, cfg):
    lua_cfg = {k: (np.array(v) if isinstance(v, list) else v) for k, v in cfg.items()}
    if fname == "rosen":  # keep Rosenbrock's steep gradients stable
        for k in ("learningRate",):
            if k in lua_cfg:
                lua_cfg[k] = lua_cfg[k] / 20
    kw = dict(lr=lua_cfg.get("learningRate", 1e-3), lrd=cfg.get("learningRateDecay", 0.0),
              wd=cfg.get("weightDecay", 0.0), mom=cfg.get("momentum", 0.0),
              damp=cfg.get("dampening"), nesterov=cfg.get("nesterov", False))
    if "weightDecays" in cfg:
        kw["wds"] = np.array(cfg["weightDecays"])
    if "learningRates" in cfg:
        kw["lrs"] = np.array(cfg["learningRates"])
    check(rt, "sgd", fname, lua_cfg, 8, sgd_rule(**kw))


def test_sgd_state_persists_and_defaults(rt):
    cfg = rt.execute("local c = {learningRate = 0.1, momentum = 0.5}; return c")
    rt.execute("local c = ...; for i = 1, 3 do optim.sgd(OBJ.quad, torch.Tensor{1, 1}, c) end", cfg)
    assert cfg["evalCounter"] == 3
    assert rt.execute("return torch.isTensor((...).dfdx)", cfg)
    # separate state table: config stays untouched
    cfg2, st = rt.execute("local c, s = {}, {}; optim.sgd(OBJ.quad, torch.Tensor{1, 1}, c, s); return c, s")
    assert cfg2["evalCounter"] is None and st["evalCounter"] == 1
    # returns x and {f(x) before the step}
    f, same = rt.execute("local x = torch.Tensor{1, 1}; local x2, fx = optim.sgd(OBJ.quad, x); "
                         "return fx[1], x2 == x")
    assert f == quad([1, 1])[0] and same


def test_sgd_nesterov_needs_zero_dampening(rt):
    with pytest.raises(Exception, match="Nesterov momentum requires"):
        rt.execute("optim.sgd(OBJ.quad, torch.Tensor{1, 1}, {momentum = 0.9, nesterov = true})")


def test_sgd_float_tensor(rt):
    x = rt.execute("""
      local x = torch.FloatTensor{0.5, -0.25}
      local function f(x) local d = x:double(); local v, g = OBJ.quad(d); return v, g:float() end
      local c = {learningRate = 0.1, momentum = 0.9}
      for i = 1, 5 do optim.sgd(f, x, c) end
      return x:type(), x:double()""")
    assert x[0] == "torch.FloatTensor"
    xn = np.array([0.5, -0.25], np.float32)
    v = None
    for _ in range(5):
        g = quad(xn.astype(np.float64))[1].astype(np.float32)
        v = g.copy() if v is None else cadd(v * np.float32(0.9), 1 - 0.9, g)
        xn = cadd(xn, -0.1, v)
    np.testing.assert_array_equal(x[1].numpy(), xn.astype(np.float64))


# ---------------------------------------------------------------------------
# ASGD, NAG

@pytest.mark.parametrize("fname", ["quad", "rosen"])
def test_asgd(rt, fname):
    eta0 = 0.1 if fname == "quad" else 0.001
    cfg = {"eta0": eta0, "lambda": 0.01, "alpha": 0.75, "t0": 2}
    st = {"eta": eta0, "mu": 1.0, "t": 0, "ax": None}
    averages = []

    def step(x, g):
        x = x * (1 - 0.01 * st["eta"])
        x = cadd(x, -st["eta"], g)
        if st["mu"] != 1:
            st["ax"] = st["ax"] + cadd(x, -1, st["ax"]) * st["mu"]
        else:
            st["ax"] = x.copy()
        averages.append(st["ax"].copy())
        st["t"] += 1
        st["eta"] = eta0 / math.pow(1 + 0.01 * eta0 * st["t"], 0.75)
        st["mu"] = 1 / max(1, st["t"] - 2)
        return x
    check(rt, "asgd", fname, dict(cfg), 7, step)
    _, _, _, extras = trace(rt, "asgd", fname, dict(cfg), 7)
    np.testing.assert_array_equal(extras[7].numpy(), averages[-1])
    # defaults are written into config
    c = rt.execute("local c = {}; optim.asgd(OBJ.quad, torch.Tensor{1, 1}, c); return c")
    assert (c["eta0"], c["lambda"], c["alpha"], c["t0"]) == (1e-4, 1e-4, 0.75, 1e6)
    assert c["t"] == 1


@pytest.mark.parametrize("fname", ["quad", "rosen"])
@pytest.mark.parametrize("cfg", [
    {"learningRate": 0.05},
    {"learningRate": 0.05, "momentum": 0.5, "weightDecay": 0.2, "learningRateDecay": 0.05},
    {"learningRate": 0.05, "learningRates": [1.0, 0.5]},
])
def test_nag(rt, fname, cfg):
    scale = 1 if fname == "quad" else 0.02
    lr = cfg["learningRate"] * scale
    mom = cfg.get("momentum", 0.9)
    wd = cfg.get("weightDecay", 0)
    lrd = cfg.get("learningRateDecay", 0)
    lrs = np.array(cfg["learningRates"]) if "learningRates" in cfg else None
    st = {"n": 0, "v": None}
    # NAG evaluates at x + mom*v: simulate by recording that point
    x = np.array(STARTS[fname])
    points = []
    for _ in range(6):
        if st["v"] is not None:
            x = cadd(x, mom, st["v"])
        points.append(x.copy())
        f, g = FUNCS[fname](x)
        if wd != 0:
            g = cadd(g, wd, x)
        clr = lr / (1 + st["n"] * lrd)
        st["v"] = np.zeros(2) if st["v"] is None else st["v"] * mom
        delta = g if lrs is None else lrs * g
        x = cadd(x, -clr, delta)
        st["v"] = cadd(st["v"], -clr, delta)
        st["n"] += 1
    lua_cfg = dict(cfg, learningRate=lr)
    if lrs is not None:
        lua_cfg["learningRates"] = lrs
    P, xl, _, _ = trace(rt, "nag", fname, lua_cfg, 6)
    np.testing.assert_array_equal(P, np.array(points))
    np.testing.assert_array_equal(xl, x)


def test_nag_needs_positive_momentum(rt):
    with pytest.raises(Exception, match="Momentum must be positive"):
        rt.execute("optim.nag(OBJ.quad, torch.Tensor{1, 1}, {momentum = 0})")


# ---------------------------------------------------------------------------
# adaptive methods

@pytest.mark.parametrize("fname", ["quad", "rosen"])
@pytest.mark.parametrize("cfg", [{"learningRate": 0.1},
                                 {"learningRate": 0.1, "learningRateDecay": 0.5, "weightDecay": 0.1}])
def test_adagrad(rt, fname, cfg):
    lr, lrd, wd = cfg["learningRate"], cfg.get("learningRateDecay", 0), cfg.get("weightDecay", 0)
    st = {"n": 0, "var": np.zeros(2)}

    def step(x, g):
        if wd != 0:
            g = cadd(g, wd, x)
        clr = lr / (1 + st["n"] * lrd)
        st["var"] = st["var"] + 1 * g * g
        std = np.sqrt(st["var"]) + 1e-10
        st["n"] += 1
        return x + (-clr) * g / std
    check(rt, "adagrad", fname, dict(cfg), 8, step)


@pytest.mark.parametrize("fname", ["quad", "rosen"])
@pytest.mark.parametrize("cfg", [{}, {"rho": 0.5, "eps": 1e-3, "weightDecay": 0.05}])
def test_adadelta(rt, fname, cfg):
    rho, eps, wd = cfg.get("rho", 0.9), cfg.get("eps", 1e-6), cfg.get("weightDecay", 0)
    st = {"var": np.zeros(2), "acc": np.zeros(2)}

    def step(x, g):
        if wd != 0:
            g = cadd(g, wd, x)
        st["var"] = st["var"] * rho + (1 - rho) * g * g
        std = np.sqrt(st["var"] + eps)
        delta = np.sqrt(st["acc"] + eps) / std * g
        st["acc"] = st["acc"] * rho + (1 - rho) * delta * delta
        return cadd(x, -1, delta)
    check(rt, "adadelta", fname, dict(cfg), 8, step)


@pytest.mark.parametrize("fname", ["quad", "rosen"])
@pytest.mark.parametrize("cfg", [{"learningRate": 0.1},
                                 {"learningRate": 0.05, "learningRateDecay": 0.2, "beta1": 0.8,
                                  "beta2": 0.99, "epsilon": 1e-4, "weightDecay": 0.1}])
def test_adam(rt, fname, cfg):
    lr, lrd = cfg["learningRate"], cfg.get("learningRateDecay", 0)
    b1, b2 = cfg.get("beta1", 0.9), cfg.get("beta2", 0.999)
    eps, wd = cfg.get("epsilon", 1e-8), cfg.get("weightDecay", 0)
    st = {"t": 0, "m": np.zeros(2), "v": np.zeros(2)}

    def step(x, g):
        if wd != 0:
            g = cadd(g, wd, x)
        clr = lr / (1 + st["t"] * lrd)
        st["t"] += 1
        t = st["t"]
        st["m"] = cadd(st["m"] * b1, 1 - b1, g)
        st["v"] = st["v"] * b2 + (1 - b2) * g * g
        denom = np.sqrt(st["v"]) + eps
        size = clr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        return x + (-size) * st["m"] / denom
    check(rt, "adam", fname, dict(cfg), 8, step)


@pytest.mark.parametrize("fname", ["quad", "rosen"])
@pytest.mark.parametrize("cfg", [{}, {"learningRate": 0.05, "beta1": 0.7, "beta2": 0.9,
                                      "epsilon": 1e-5, "weightDecay": 0.1}])
def test_adamax(rt, fname, cfg):
    lr, b1, b2 = cfg.get("learningRate", 0.002), cfg.get("beta1", 0.9), cfg.get("beta2", 0.999)
    eps, wd = cfg.get("epsilon", 1e-38), cfg.get("weightDecay", 0)
    st = {"t": 0, "m": np.zeros(2), "u": np.zeros(2)}

    def step(x, g):
        if wd != 0:
            g = cadd(g, wd, x)
        st["t"] += 1
        st["m"] = cadd(st["m"] * b1, 1 - b1, g)
        st["u"] = np.maximum(st["u"] * b2, np.abs(g) + eps)
        return x + (-(lr / (1 - b1 ** st["t"]))) * st["m"] / st["u"]
    check(rt, "adamax", fname, dict(cfg), 8, step)


@pytest.mark.parametrize("fname", ["quad", "rosen"])
@pytest.mark.parametrize("cfg", [{}, {"learningRate": 0.05, "alpha": 0.9, "epsilon": 1e-3,
                                      "weightDecay": 0.1, "initialMean": 0.5}])
def test_rmsprop(rt, fname, cfg):
    lr, alpha = cfg.get("learningRate", 1e-2), cfg.get("alpha", 0.99)
    eps, wd = cfg.get("epsilon", 1e-8), cfg.get("weightDecay", 0)
    st = {"m": np.full(2, float(cfg.get("initialMean", 0)))}

    def step(x, g):
        if wd != 0:
            g = cadd(g, wd, x)
        st["m"] = st["m"] * alpha
        st["m"] = st["m"] + (1.0 - alpha) * g * g
        return x + (-lr) * g / (np.sqrt(st["m"]) + eps)
    check(rt, "rmsprop", fname, dict(cfg), 8, step)


@pytest.mark.parametrize("fname", ["quad", "rosen"])
@pytest.mark.parametrize("cfg", [{}, {"stepsize": 0.3, "etaplus": 1.5, "etaminus": 0.25,
                                      "stepsizemax": 0.5, "stepsizemin": 0.1}])
def test_rprop(rt, fname, cfg):
    size0 = cfg.get("stepsize", 0.1)
    up, down = cfg.get("etaplus", 1.2), cfg.get("etaminus", 0.5)
    smax, smin = cfg.get("stepsizemax", 50.0), cfg.get("stepsizemin", 1e-6)
    st = {"prev": np.zeros(2), "step": np.full(2, size0)}

    def step(x, g):
        g = g.copy()
        s = np.sign(g * st["prev"])
        factor = np.where(s > 0, up, np.where(s < 0, down, 1.0))
        st["step"] = st["step"] * factor
        st["step"] = np.where(st["step"] > smax, smax, st["step"])
        st["step"] = np.where(st["step"] < smin, smin, st["step"])
        g[s < 0] = 0
        st["prev"] = g
        return x + (-1) * np.sign(g) * st["step"]
    check(rt, "rprop", fname, dict(cfg), 10, step)


def test_rprop_niter_returns_every_value(rt):
    n, fs = rt.execute("""local x = torch.Tensor{0.5, -0.25}
      local _, fs = optim.rprop(OBJ.quad, x, {niter = 4}); return #fs, torch.Tensor(fs)""")
    assert n == 4
    _, _, fsn = simulate(lambda x, g: x, "quad", 1)
    assert fs.numpy()[0] == fsn[0]


# ---------------------------------------------------------------------------
# L-BFGS without line search (fixed steps)

def lbfgs_numpy(fname, x, max_iter, lr=1.0, n_corr=100, tol_fun=1e-5, tol_x=1e-9):
    f, g = FUNCS[fname](x)
    points = [x.copy()]
    fs = [f]
    if np.abs(g).sum() <= tol_fun:
        return points, x, fs
    dirs, stps = [], []
    d = t = g_old = None
    for it in range(1, max_iter + 1):
        if it == 1:
            d = g * -1
            hdiag = 1
        else:
            y = cadd(g, -1, g_old)
            s = d * t
            ys = y.dot(s)
            if ys > 1e-10:
                if len(dirs) == n_corr:
                    dirs.pop(0)
                    stps.pop(0)
                dirs.append(s)
                stps.append(y)
                hdiag = ys / y.dot(y)
            k = len(dirs)
            ro = [1 / stps[i].dot(dirs[i]) for i in range(k)]
            al = [0.0] * k
            q = g * -1
            for i in range(k - 1, -1, -1):
                al[i] = dirs[i].dot(q) * ro[i]
                q = cadd(q, -al[i], stps[i])
            d = q * hdiag
            for i in range(k):
                be = stps[i].dot(d) * ro[i]
                d = cadd(d, al[i] - be, dirs[i])
        g_old = g.copy()
        f_old = f
        gtd = g.dot(d)
        if gtd > -tol_x:
            break
        t = min(1, 1 / np.abs(g).sum()) * lr if it == 1 else lr
        x = cadd(x, t, d)
        if it != max_iter:
            f, g = FUNCS[fname](x)
            points.append(x.copy())
            fs.append(f)
        if it == max_iter:
            break
        if np.abs(g).sum() <= tol_fun or np.abs(d * t).sum() <= tol_x or abs(f - f_old) < tol_x:
            break
    return points, x, fs


@pytest.mark.parametrize("fname,lr,iters", [("quad", 0.5, 12), ("rosen", 0.05, 15), ("quad", 1.0, 30)])
def test_lbfgs_fixed_step(rt, fname, lr, iters):
    P, x, fs, extras = trace(rt, "lbfgs", fname, {"maxIter": iters, "maxEval": 1000,
                                                  "learningRate": lr}, 1)
    Pn, xn, fsn = lbfgs_numpy(fname, np.array(STARTS[fname]), iters, lr)
    np.testing.assert_array_equal(P, np.array(Pn))
    np.testing.assert_array_equal(x, xn)
    np.testing.assert_array_equal(fs, np.array(fsn))
    assert extras[1] == len(Pn)  # evaluations made by the call


def test_lbfgs_small_memory_and_resume(rt):
    # nCorrection = 2 recycles buffers; calling twice resumes from the state
    P1, x1, _, _ = trace(rt, "lbfgs", "rosen", {"maxIter": 10, "maxEval": 1000,
                                                "learningRate": 0.05, "nCorrection": 2}, 1)
    Pn, xn, _ = lbfgs_numpy("rosen", np.array(STARTS["rosen"]), 10, 0.05, n_corr=2)
    np.testing.assert_array_equal(P1, np.array(Pn))
    np.testing.assert_array_equal(x1, xn)
    st = rt.execute("""local c = {maxIter = 5, learningRate = 0.05}
      local x = torch.Tensor{-1.2, 1}
      optim.lbfgs(OBJ.rosen, x, c); optim.lbfgs(OBJ.rosen, x, c)
      return c""")
    assert st["nIter"] == 10
    assert st["funcEval"] == 2 * 5  # 1 initial + 4 steps per call (the last step is not evaluated)


def test_lbfgs_stops_at_optimum(rt):
    x, n = rt.execute("""local x = torch.Tensor{1, 1}
      local _, fs = optim.lbfgs(OBJ.rosen, x); return x, #fs""")
    assert n == 1 and list(x.numpy()) == [1.0, 1.0]
