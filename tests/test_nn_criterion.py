"""Criterions: the loss against a value computed by hand (NumPy) and the
gradient against finite differences of the loss."""
import numpy as np
import pytest

from test_nn_helpers import arr, lua, lua_error, rt  # noqa: F401  (rt is a fixture)

X = np.array([[0.2, -1.5, 0.9], [1.7, 0.05, -0.4]])
T = np.array([[0.0, -1.0, 2.0], [1.0, 0.5, 0.3]])
P = np.array([[0.2, 0.7, 0.9], [0.6, 0.05, 0.4]])       # probabilities
Y = np.array([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]])     # +-1 labels
N = X.size


def tensor(rt, a):
    flat = rt.eval("function(...) return {...} end")(*a.ravel().tolist())
    return rt.eval("function(t, r, c) return torch.Tensor(t):view(r, c) end")(flat, *a.shape)


def log_softmax(x):
    m = x.max(1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(1, keepdims=True))


# criterion, input, target, expected loss
ELEMENTWISE = [
    ("nn.MSECriterion()", X, T, ((X - T) ** 2).mean()),
    ("nn.MSECriterion(false)", X, T, ((X - T) ** 2).sum()),
    ("nn.AbsCriterion()", X, T, np.abs(X - T).mean()),
    ("nn.SmoothL1Criterion()", X, T,
     np.where(np.abs(X - T) < 1, 0.5 * (X - T) ** 2, np.abs(X - T) - 0.5).mean()),
    ("nn.BCECriterion()", P, np.round(1 - P),
     -(np.round(1 - P) * np.log(P + 1e-12) + (1 - np.round(1 - P)) * np.log(1 - P + 1e-12)).mean()),
    ("nn.BCECriterion(torch.Tensor{1, 2, 0.5})", P, np.round(1 - P),
     -((np.round(1 - P) * np.log(P + 1e-12) + (1 - np.round(1 - P)) * np.log(1 - P + 1e-12))
       * [1, 2, 0.5]).mean()),
    ("nn.DistKLDivCriterion()", X, P, (P * (np.log(P) - X)).mean()),
    ("nn.MarginCriterion(0.7)", X, Y, np.maximum(0, 0.7 - X * Y).mean()),
    ("nn.SoftMarginCriterion()", X, Y, np.log1p(np.exp(-X * Y)).mean()),
    ("nn.MultiLabelSoftMarginCriterion()", X, np.round(P),
     -(np.round(P) * np.log(1 / (1 + np.exp(-X))) + (1 - np.round(P)) * np.log(1 - 1 / (1 + np.exp(-X)))).mean()),
    ("nn.WeightedMSECriterion(torch.Tensor{1, 2, 3})", X, T, ((X - T * [1, 2, 3]) ** 2).mean()),
]


@pytest.mark.parametrize("ctor,x,t,loss", ELEMENTWISE, ids=[c[0] for c in ELEMENTWISE])
def test_elementwise_loss_and_gradient(rt, ctor, x, t, loss):
    got, err = lua(rt, f"""
      local x, t = ...
      local c = {ctor}
      return c:forward(x, t), H.criterionGradError(c, x:clone(), t)""", tensor(rt, x), tensor(rt, t))
    assert got == pytest.approx(loss, rel=1e-13)
    assert err < 1e-6


def test_l1_cost_and_penalty(rt):
    loss, g, penalty, pg = lua(rt, """
      local x = ...
      local c = nn.L1Cost()
      local p = nn.L1Penalty(0.5)
      p:forward(x)
      return c:forward(x), c:backward(x):clone(), p.loss, p:backward(x, torch.ones(2, 3)):clone()""",
                                 tensor(rt, X))
    assert loss == pytest.approx(np.abs(X).sum(), rel=1e-14)
    assert np.array_equal(arr(rt, g), np.sign(X))
    assert penalty == pytest.approx(0.5 * np.abs(X).sum(), rel=1e-14)
    assert np.allclose(arr(rt, pg), 0.5 * np.sign(X) + 1)


def test_class_nll(rt):
    lp = log_softmax(X)
    loss, total, g, loss1, g1 = lua(rt, """
      local x = ...
      local c = nn.ClassNLLCriterion()
      local l, tw = c:forward(x, torch.LongTensor{3, 1})
      local g = c:backward(x, torch.LongTensor{3, 1}):clone()
      local l1 = c:forward(x[1], 2)
      return l, tw, g, l1, c:backward(x[1], 2):clone()""", tensor(rt, lp))
    assert loss == pytest.approx(-(lp[0, 2] + lp[1, 0]) / 2, rel=1e-14) and total == 2
    assert np.array_equal(arr(rt, g), [[0, 0, -0.5], [-0.5, 0, 0]])
    assert loss1 == pytest.approx(-lp[0, 1]) and np.array_equal(arr(rt, g1), [0, -1, 0])


def test_class_nll_weights_ignore_index_and_size_average(rt):
    x = log_softmax(X)
    w = np.array([1.0, 2.0, 0.5])
    loss, total, g, loss_sum, g_sum = lua(rt, """
      local x, w = ...
      local c = nn.ClassNLLCriterion(w, true, 2)
      local t = torch.LongTensor{3, 2}
      local l, tw = c:forward(x, t)
      local g = c:backward(x, t):clone()
      local s = nn.ClassNLLCriterion(w, false)
      local t2 = torch.LongTensor{3, 1}
      return l, tw, g, s:forward(x, t2), s:backward(x, t2):clone()""",
                                         tensor(rt, x), rt.eval("torch.Tensor{1, 2, 0.5}"))
    assert loss == pytest.approx(-x[0, 2]) and total == 0.5
    assert np.array_equal(arr(rt, g), [[0, 0, -1], [0, 0, 0]])
    assert loss_sum == pytest.approx(-(0.5 * x[0, 2] + 1 * x[1, 0]))
    assert np.array_equal(arr(rt, g_sum), [[0, 0, -0.5], [-1, 0, 0]])


def test_class_nll_errors(rt):
    assert "Assertion `cur_target >= 0 && cur_target < n_classes' failed" in lua_error(
        rt, "nn.ClassNLLCriterion():forward(torch.rand(2, 3), torch.LongTensor{1, 4})")
    assert "weight tensor should be defined either for all 3 classes or no classes" in lua_error(
        rt, "nn.ClassNLLCriterion(torch.ones(2)):forward(torch.rand(2, 3), torch.LongTensor{1, 2})")


def test_cross_entropy(rt):
    loss, err = lua(rt, """
      local x = ...
      local c = nn.CrossEntropyCriterion()
      local t = torch.LongTensor{2, 3}
      local wrapped = {}
      function wrapped:forward(i) return c:forward(i, t) end
      function wrapped:backward(i) return c:backward(i, t) end
      return c:forward(x, t), H.criterionGradError(wrapped, x:clone())""", tensor(rt, X))
    lp = log_softmax(X)
    assert loss == pytest.approx(-(lp[0, 1] + lp[1, 2]) / 2, rel=1e-14)
    assert err < 1e-6


def test_multi_margin(rt):
    def expected(x, y, p, margin, w=None):
        total = 0.0
        for row, t in zip(x, y):
            for d in range(len(row)):
                z = margin - row[t] + row[d]
                if d != t and z > 0:
                    total += (z if p == 1 else z * z) * (1 if w is None else w[t])
        return total / x.shape[1] / x.shape[0]
    for ctor, p, margin, w in (("nn.MultiMarginCriterion()", 1, 1, None),
                               ("nn.MultiMarginCriterion(2, torch.Tensor{1, 2, 3}, 0.5)", 2, 0.5, [1, 2, 3])):
        loss, err = lua(rt, f"""
          local x = ...
          local c = {ctor}
          local t = torch.LongTensor{{2, 3}}
          return c:forward(x, t), H.criterionGradError(c, x:clone(), t)""", tensor(rt, X))
        assert loss == pytest.approx(expected(X, [1, 2], p, margin, w), rel=1e-14)
        assert err < 1e-6


def test_multi_label_margin(rt):
    loss, err = lua(rt, """
      local x = ...
      local c = nn.MultiLabelMarginCriterion()
      local t = torch.LongTensor{{3, 1, 0}, {2, 0, 0}}
      return c:forward(x, t), H.criterionGradError(c, x:clone(), t)""", tensor(rt, X))
    total = 0.0
    for row, targets in zip(X, ([2, 0], [1])):
        for j in targets:
            for d in range(3):
                if d not in targets:
                    total += max(0.0, 1 - row[j] + row[d])
    assert loss == pytest.approx(total / 3 / 2, rel=1e-14) and err < 1e-6


def test_hinge_and_cosine_embedding(rt):
    d = np.array([0.3, 1.8, 0.6, 2.5])
    y = np.array([1.0, -1.0, -1.0, 1.0])
    hinge, herr = lua(rt, """
      local d, y = torch.Tensor{0.3, 1.8, 0.6, 2.5}, torch.Tensor{1, -1, -1, 1}
      local c = nn.HingeEmbeddingCriterion(1)
      return c:forward(d, y), H.criterionGradError(c, d:clone(), y)""")
    assert hinge == pytest.approx(np.where(y == 1, d, np.maximum(0, 1 - d)).mean())
    assert herr < 1e-6
    loss, err = lua(rt, """
      local a, b = ...
      local y = torch.Tensor{1, -1}
      local c = nn.CosineEmbeddingCriterion(0.1)
      local wrapped = {}
      function wrapped:forward(x) return c:forward({x, b}, y) end
      function wrapped:backward(x) return c:backward({x, b}, y)[1] end
      return c:forward({a, b}, y), H.criterionGradError(wrapped, a:clone())""", tensor(rt, X), tensor(rt, T))
    cos = (X * T).sum(1) / np.sqrt(((X * X).sum(1) + 1e-12) * ((T * T).sum(1) + 1e-12))
    assert loss == pytest.approx(((1 - cos[0]) + max(0, cos[1] - 0.1)) / 2, rel=1e-12)
    assert err < 1e-6


def test_margin_ranking_and_l1_hinge(rt):
    res = lua(rt, """
      local c = nn.MarginRankingCriterion(0.5)
      local single = c:forward({torch.Tensor{1}, torch.Tensor{2}}, 1)
      local g = c:backward({torch.Tensor{1}, torch.Tensor{2}}, 1)
      local a, b, y = torch.Tensor{1, 3}, torch.Tensor{2, 1}, torch.Tensor{1, -1}
      local batch = c:forward({a, b}, y)
      local h = nn.L1HingeEmbeddingCriterion(2)
      return single, g[1][1], g[2][1], batch,
             h:forward({torch.Tensor{1, 2}, torch.Tensor{0, 0}}, 1),
             h:forward({torch.Tensor{1, 0}, torch.Tensor{0, 0}}, -1)""")
    assert res == (1.5, -1, 1, (1.5 + 2.5) / 2, 3, 1)


def test_class_simplex(rt):
    res = lua(rt, """
      local c = nn.ClassSimplexCriterion(4)
      local s = c.simplex
      local norms = torch.norm(s, 2, 2)
      local dots = s * s:t()
      local x = s:index(1, torch.LongTensor{2, 4}):clone()
      return (norms - 1):abs():max(), dots[1][2], c:forward(x, torch.Tensor{2, 4}),
             H.list(c:getTopPrediction(x))""")
    assert res[0] < 1e-12 and res[1] == pytest.approx(-1 / 3) and res[2] == 0
    assert list(res[3].values()) == [2, 4]


def test_multi_and_parallel_criterions(rt):
    res = lua(rt, """
      local x, t = torch.rand(2, 3), torch.rand(2, 3)
      local mse, abs = nn.MSECriterion(), nn.AbsCriterion()
      local m = nn.MultiCriterion():add(mse, 0.5):add(abs)
      local lm = m:forward(x, t)
      local gm = m:backward(x, t):clone()
      local p = nn.ParallelCriterion():add(nn.MSECriterion()):add(nn.AbsCriterion(), 3)
      local lp = p:forward({x, x}, {t, t})
      local gp = p:backward({x, x}, {t, t})
      local r = nn.ParallelCriterion(true):add(nn.MSECriterion()):add(nn.MSECriterion())
      return lm - (0.5 * mse:forward(x, t) + abs:forward(x, t)),
             (gm - (mse:backward(x, t) * 0.5 + abs:backward(x, t))):abs():max(),
             lp - (mse:forward(x, t) + 3 * abs:forward(x, t)),
             (gp[2] - abs:backward(x, t) * 3):abs():max(),
             r:forward({x, x}, t) - 2 * mse:forward(x, t)""")
    assert max(abs(v) for v in res) < 1e-14


def test_distance_ratio(rt):
    out, stored, gx, gy = lua(rt, """
      local c = nn.DistanceRatioCriterion()
      local X, Y = torch.Tensor{0.5, 2}, torch.Tensor{1, 0.5}
      local l = c:forward({X, Y})
      local g = c:backward({X, Y})
      return l, c.output, g[1], g[2]""")
    X, Y = np.array([0.5, 2]), np.array([1, 0.5])
    s = np.exp(-X) + np.exp(-Y)
    assert out == pytest.approx((X + np.log(s)).sum() / 2) and stored == 0
    assert np.allclose(arr(rt, gx), (1 - np.exp(-X) / s) / 2)
    assert np.allclose(arr(rt, gy), -np.exp(-Y) / s / 2)


def test_module_criterion(rt):
    res = lua(rt, """
      local c = nn.ModuleCriterion(nn.MSECriterion(), nn.Tanh(), nn.MulConstant(2))
      local x, t = torch.rand(3), torch.rand(3)
      local l = c:forward(x, t)
      local g = c:backward(x, t)
      local want = nn.MSECriterion():forward(torch.tanh(x), t * 2)
      return l - want, H.criterionGradError(c, x:clone(), t)""")
    assert abs(res[0]) < 1e-15 and res[1] < 1e-6


def test_float_loss_passes_through_a_float_tensor(rt):
    loss = lua(rt, """
      local x, t = torch.FloatTensor{0.1, 0.2}, torch.FloatTensor{0, 0}
      return nn.MSECriterion():float():forward(x, t)""")
    assert loss == float(np.float32(loss)) and loss == pytest.approx(0.025, rel=1e-6)
