"""Transfer functions: values against NumPy formulas, finite-difference
gradients (single sample and batch), the in-place variants, and THNN's
treatment of boundary values and NaN."""
import numpy as np
import pytest

from test_nn_helpers import arr, lua, rt  # noqa: F401  (rt is a fixture)

X = np.array([-3.0, -1.2, -0.5, -0.1, 0.0, 0.2, 0.5, 0.9, 1.5, 4.0, 7.0, 30.0])


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


# constructor -> forward formula (NumPy, on X)
FORMULAS = {
    "nn.Abs()": np.abs,
    "nn.Exp()": np.exp,
    "nn.Square()": np.square,
    "nn.Sigmoid()": sigmoid,
    "nn.LogSigmoid()": lambda x: np.log(sigmoid(x)),
    "nn.Tanh()": np.tanh,
    "nn.TanhShrink()": lambda x: x - np.tanh(x),
    "nn.HardTanh()": lambda x: np.clip(x, -1, 1),
    "nn.HardTanh(-0.5, 2)": lambda x: np.clip(x, -0.5, 2),
    "nn.Clamp(0, 1)": lambda x: np.clip(x, 0, 1),
    "nn.ReLU()": lambda x: np.maximum(x, 0),
    "nn.ReLU6()": lambda x: np.clip(x, 0, 6),
    "nn.LeakyReLU(0.1)": lambda x: np.where(x > 0, x, 0.1 * x),
    "nn.ELU(0.7)": lambda x: np.where(x > 0, x, 0.7 * (np.exp(x) - 1)),
    "nn.Threshold(0.3, -2)": lambda x: np.where(x > 0.3, x, -2),
    "nn.HardShrink(0.5)": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "nn.SoftShrink(0.5)": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)),
    "nn.SoftPlus()": lambda x: np.where(x > 20, x, np.log1p(np.exp(x))),
    "nn.SoftPlus(2)": lambda x: np.where(2 * x > 20, x, np.log1p(np.exp(2 * x)) / 2),
    "nn.SoftSign()": lambda x: x / (1 + np.abs(x)),
    "nn.SoftMax()": softmax,
    # THNN's formula: x - (max + log(sum(exp(x - max))))
    "nn.LogSoftMax()": lambda x: x - (x.max() + np.log(np.exp(x - x.max()).sum())),
    "nn.SoftMin()": lambda x: softmax(-x),
    "nn.PReLU()": lambda x: np.where(x > 0, x, 0.25 * x),
    "nn.GatedLinearUnit()": lambda x: x[:6] * sigmoid(x[6:]),
}


@pytest.mark.parametrize("ctor", sorted(FORMULAS))
def test_forward_values(rt, ctor):
    y = lua(rt, f"local m = {ctor}; m:evaluate(); return m:forward(torch.Tensor(...)):clone()",
            rt.eval("function(...) return {...} end")(*X))
    assert np.allclose(arr(rt, y), FORMULAS[ctor](X), rtol=1e-13, atol=1e-15)


def test_log_power_sqrt_values(rt):
    pos = np.abs(X) + 0.5
    t = rt.eval("function(...) return torch.Tensor({...}) end")(*pos)
    for ctor, f in (("nn.Log()", np.log), ("nn.Sqrt()", np.sqrt), ("nn.Power(2.5)", lambda v: v ** 2.5)):
        y = lua(rt, f"local x = ...; return {ctor}:forward(x)", t)
        assert np.allclose(arr(rt, y), f(pos), rtol=1e-13)


GRADIENT_CASES = [
    "nn.Abs()", "nn.Exp()", "nn.Square()", "nn.Sigmoid()", "nn.LogSigmoid()", "nn.Tanh()",
    "nn.TanhShrink()", "nn.HardTanh()", "nn.Clamp(-0.5, 0.5)", "nn.ReLU()", "nn.LeakyReLU(0.1)",
    "nn.ELU(0.7)", "nn.Threshold(0.3, 0.1)", "nn.HardShrink(0.3)", "nn.SoftShrink(0.3)",
    "nn.SoftPlus(2)", "nn.SoftSign()", "nn.SoftMax()", "nn.LogSoftMax()", "nn.SoftMin()",
    "nn.Sequential():add(nn.MulConstant(4)):add(nn.ReLU6())",
    "nn.Sequential():add(nn.Abs()):add(nn.AddConstant(0.5)):add(nn.Log())",
    "nn.Sequential():add(nn.Abs()):add(nn.AddConstant(0.5)):add(nn.Sqrt())",
    "nn.Sequential():add(nn.Abs()):add(nn.AddConstant(0.5)):add(nn.Power(2.5))",
]


@pytest.mark.parametrize("ctor", GRADIENT_CASES)
@pytest.mark.parametrize("size", ["7", "5, 7"])
def test_gradients(rt, ctor, size):
    assert lua(rt, f"return H.jacobianError({ctor}, torch.Tensor({size}))") < 1e-5


@pytest.mark.parametrize("ctor,size", [
    ("nn.SoftMax()", "3, 2, 2"), ("nn.SoftMax()", "2, 3, 2, 2"),
    ("nn.LogSoftMax()", "3, 2, 2"), ("nn.LogSoftMax()", "2, 3, 2, 2"),
    ("nn.PReLU()", "5, 4"), ("nn.PReLU(3)", "3"), ("nn.PReLU(3)", "5, 3"), ("nn.PReLU(3)", "5, 3, 2, 2"),
    ("nn.CReLU(2)", "3, 4"), ("nn.CReLU(2)", "5, 3, 4"),
    ("nn.GatedLinearUnit()", "5, 6"), ("nn.GatedLinearUnit(2)", "3, 4, 2"),
])
def test_more_gradients(rt, ctor, size):
    assert lua(rt, f"return H.jacobianError({ctor}, torch.Tensor({size}), {{update = true}})") < 1e-5


def test_softmax_planes_normalise_over_dimension_2_of_a_batch(rt):
    s = lua(rt, "return nn.SoftMax():forward(torch.rand(2, 3, 4, 5)):sum(2)")
    assert np.allclose(arr(rt, s), 1, atol=1e-14)


def test_prelu_weight_per_plane(rt):
    y = lua(rt, """
      local m = nn.PReLU(2)
      m.weight:copy(torch.Tensor{0.5, 2})
      return m:forward(torch.Tensor{{-1, -1}, {3, -2}})""")
    assert np.array_equal(arr(rt, y), [[-0.5, -2], [3, -4]])


def test_rrelu_train_draws_slopes_and_evaluate_uses_the_mean(rt):
    y, slopes, ev, gi = lua(rt, """
      torch.manualSeed(11)
      local m = nn.RReLU(0.1, 0.3)
      local x = torch.Tensor{-1, 2, -3, -4}
      local y = m:forward(x):clone()
      torch.manualSeed(11)
      local u = torch.Tensor(3):uniform(0.1, 0.3)
      local g = m:backward(x, torch.ones(4)):clone()
      m:evaluate()
      return y, u, m:forward(x):clone(), g""")
    u = arr(rt, slopes)
    assert np.array_equal(arr(rt, y), [-u[0], 2, -3 * u[1], -4 * u[2]])
    assert np.array_equal(arr(rt, gi), [u[0], 1, u[1], u[2]])
    assert np.allclose(arr(rt, ev), [-0.2, 2, -0.6, -0.8])


INPLACE = [
    "nn.ReLU(true)", "nn.Threshold(0.2, 0.1, true)", "nn.HardTanh(-0.5, 0.5, true)",
    "nn.ReLU6(true)", "nn.LeakyReLU(0.1, true)", "nn.ELU(0.5, true)", "nn.RReLU(0.2, 0.2, true)",
]


@pytest.mark.parametrize("ctor", INPLACE)
def test_inplace_matches_out_of_place(rt, ctor):
    res = lua(rt, f"""
      local a = {ctor}
      local b = {ctor}
      b.inplace = false
      local x = torch.randn(20) * 3
      local xa = x:clone()
      local ya = a:forward(xa)
      local yb = b:forward(x)
      local g = torch.randn(20)
      local ga = a:backward(xa, g:clone())
      local gb = b:backward(x, g)
      return torch.pointer(ya:storage()) == torch.pointer(xa:storage()),
             (ya - yb):abs():max(), (ga - gb):abs():max()""")
    assert res[0] and res[1] == 0 and res[2] < 1e-15


def test_inplace_requires_value_below_threshold(rt):
    ok = lua(rt, "return (pcall(nn.Threshold, 0, 1, true))")
    assert ok is False


def test_nan_and_boundaries_follow_thnn(rt):
    relu, hard, hard_inplace, grad_at_bound, absgrad = lua(rt, """
      local nan = 0 / 0
      local x = torch.Tensor{nan, -1, 1}
      local h = nn.HardTanh()
      local g = h:backward(torch.Tensor{-1, 0, 1}, torch.ones(3))
      return nn.ReLU():forward(x)[1], h:forward(x)[1], nn.HardTanh(-1, 1, true):forward(x:clone())[1],
             g:sum(), nn.Abs():backward(torch.Tensor{0}, torch.Tensor{3})[1]""")
    assert relu == 0 and hard == 1 and hard_inplace != hard_inplace
    assert grad_at_bound == 1 and absgrad == 3
