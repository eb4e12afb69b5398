"""Shared helpers of the nn tests (imported by the other test_nn_* files), and
checks that the gradient checkers themselves catch wrong gradients.

Gradients are checked by finite differences: nn.Jacobian for tensor inputs
(as upstream's test.lua does), and H.gradError for nested tables of tensors.
"""
import numpy as np
import pytest

import torchlua

HELPERS = r"""
require 'nn'
H = {}
local jac = nn.Jacobian

-- worst finite-difference error over the input and every parameter of m
-- (skipInput: modules whose updateGradInput is not the input's derivative)
function H.jacobianError(m, x, opts)
  opts = opts or {}
  local worst = 0
  if not opts.skipInput then worst = jac.testJacobian(m, x) end
  local ps, gs = m:parameters()
  for i = 1, #(ps or {}) do
    worst = math.max(worst, jac.testJacobianParameters(m, x, ps[i], gs[i]))
    if opts.update then
      worst = math.max(worst, jac.testJacobianUpdateParameters(m, x, ps[i]))
    end
  end
  return worst
end

function H.leaves(x, f)
  if torch.isTensor(x) then f(x) else for _, v in ipairs(x) do H.leaves(v, f) end end
end

function H.randomLike(x)
  if torch.isTensor(x) then return x:clone():uniform(-1, 1) end
  local t = {}
  for i, v in ipairs(x) do t[i] = H.randomLike(v) end
  return t
end

local function dot(a, b)
  if torch.isTensor(a) then return a:dot(b) end
  local s = 0
  for i = 1, #a do s = s + dot(a[i], b[i]) end
  return s
end

local function copy(x)
  if torch.isTensor(x) then return x:clone() end
  local t = {}
  for i, v in ipairs(x) do t[i] = copy(v) end
  return t
end

-- max |analytic - numeric| of d<output, g>/d(every input element and
-- parameter) for inputs that are tensors or nested tables of tensors
function H.gradError(m, x, eps)
  eps = eps or 1e-6
  local g = H.randomLike(m:forward(x))
  m:zeroGradParameters()
  m:forward(x)
  local gi = copy(m:backward(x, g))
  local loss = function() return dot(m:forward(x), g) end
  local worst = 0
  local function check(t, analytic)
    local flat = t:view(t:nElement())
    local a = analytic:contiguous():view(t:nElement())
    for i = 1, flat:nElement() do
      local v = flat[i]
      flat[i] = v + eps; local fp = loss()
      flat[i] = v - eps; local fm = loss()
      flat[i] = v
      worst = math.max(worst, math.abs((fp - fm) / (2 * eps) - a[i]))
    end
  end
  local grads = {}
  H.leaves(gi, function(t) grads[#grads + 1] = t end)
  local k = 0
  H.leaves(x, function(t) k = k + 1; check(t, grads[k]) end)
  local ps, gs = m:parameters()
  for i, p in ipairs(ps or {}) do check(p, gs[i]:clone()) end
  return worst
end

-- a criterion's gradient against finite differences of its loss
function H.criterionGradError(c, x, t, eps)
  eps = eps or 1e-6
  c:forward(x, t)
  local analytic = c:backward(x, t):clone()
  local flat, a = x:view(x:nElement()), analytic:view(x:nElement())
  local worst = 0
  for i = 1, flat:nElement() do
    local v = flat[i]
    flat[i] = v + eps; local fp = c:forward(x, t)
    flat[i] = v - eps; local fm = c:forward(x, t)
    flat[i] = v
    worst = math.max(worst, math.abs((fp - fm) / (2 * eps) - a[i]))
  end
  return worst
end

function H.list(t)
  return t:contiguous():view(t:nElement()):totable()
end

function H.size(t)
  return t:size():totable()
end
"""


def make_runtime(seed=1234):
    rt = torchlua.Runtime()
    rt.execute(HELPERS)
    rt.execute("torch.manualSeed(...)", seed)
    return rt


def lua(rt, code, *args):
    """Runs a Lua chunk; returns what it returns (a tuple when several)."""
    return rt.execute(code, *args)


def arr(rt, t):
    """A Lua tensor as a NumPy array (float64)."""
    sizes = list(rt.eval("H.size")(t).values())
    values = list(rt.eval("H.list")(t).values())
    return np.array(values, dtype=np.float64).reshape(sizes)


def lua_error(rt, code, *args):
    """The message of the Lua error the chunk raises."""
    ok, msg = rt.eval("function(code, ...) return pcall(loadstring(code), ...) end")(code, *args)
    assert not ok, "the code did not fail"
    return str(msg)


@pytest.fixture(scope="module")
def rt():
    return make_runtime()


BROKEN = r"""
-- a Linear whose gradInput is off by a factor of 2: the checkers must notice
local Broken, parent = torch.class('nn.BrokenForTest', 'nn.Linear')
function Broken:updateGradInput(input, gradOutput)
  parent.updateGradInput(self, input, gradOutput)
  self.gradInput:mul(2)
  return self.gradInput
end
"""


def test_checkers_catch_a_wrong_gradient(rt):
    lua(rt, BROKEN)
    good = lua(rt, "return H.jacobianError(nn.Linear(4, 3), torch.Tensor(4))")
    bad = lua(rt, "return H.jacobianError(nn.BrokenForTest(4, 3), torch.Tensor(4))")
    assert good < 1e-8 and bad > 1e-2
    good = lua(rt, "return H.gradError(nn.Linear(4, 3), torch.rand(2, 4))")
    bad = lua(rt, "return H.gradError(nn.BrokenForTest(4, 3), torch.rand(2, 4))")
    assert good < 1e-6 and bad > 1e-2


def test_criterion_checker_catches_a_wrong_gradient(rt):
    good, bad = lua(rt, """
      local x, t = torch.rand(5), torch.rand(5)
      local c = nn.MSECriterion()
      local good = H.criterionGradError(c, x, t)
      local wrong = nn.MSECriterion()
      function wrong:updateGradInput(i, t) nn.MSECriterion.updateGradInput(self, i, t); return self.gradInput:mul(-1) end
      return good, H.criterionGradError(wrong, x, t)""")
    assert good < 1e-7 and bad > 1e-2
