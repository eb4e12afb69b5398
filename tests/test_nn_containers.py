"""Containers and decorators: how they route inputs, outputs and gradients,
checked by finite differences and against the same computation done module
by module."""
import numpy as np
import pytest

from test_nn_helpers import arr, lua, lua_error, rt  # noqa: F401  (rt is a fixture)

GRADIENT_CASES = {
    "Sequential": ("nn.Sequential():add(nn.Linear(4, 5)):add(nn.Tanh()):add(nn.Linear(5, 2))", "torch.rand(3, 4)"),
    "Concat": ("nn.Concat(2):add(nn.Linear(4, 3)):add(nn.Linear(4, 2))", "torch.rand(3, 4)"),
    "Concat table input": ("nn.Concat(1):add(nn.CAddTable()):add(nn.CMulTable())", "{torch.rand(3), torch.rand(3)}"),
    "Parallel": ("nn.Parallel(1, 1):add(nn.Linear(4, 3)):add(nn.Linear(4, 2))", "torch.rand(2, 4)"),
    "DepthConcat": ("nn.DepthConcat(2):add(nn.Identity()):add(nn.Narrow(3, 2, 2))", "torch.rand(2, 3, 5)"),
    "ConcatTable": ("nn.ConcatTable():add(nn.Linear(4, 3)):add(nn.Tanh())", "torch.rand(4)"),
    "ConcatTable table input": ("nn.ConcatTable():add(nn.SelectTable(1)):add(nn.CAddTable())",
                                "{torch.rand(3), torch.rand(3)}"),
    "ParallelTable": ("nn.ParallelTable():add(nn.Linear(4, 3)):add(nn.Tanh())", "{torch.rand(4), torch.rand(2)}"),
    "MapTable": ("nn.MapTable(nn.Linear(4, 3))", "{torch.rand(4), torch.rand(2, 4), torch.rand(4)}"),
    "MapTable unshared": ("nn.MapTable(nn.Linear(4, 3), false)", "{torch.rand(4), torch.rand(4)}"),
    "Bottle": ("nn.Bottle(nn.Linear(4, 3))", "torch.rand(2, 5, 4)"),
    "Bottle 3 to 2": ("nn.Bottle(nn.Sum(2), 2, 1)", "torch.rand(2, 5, 4)"),
    "Decorator": ("nn.Decorator(nn.Linear(4, 3))", "torch.rand(2, 4)"),
    "GPU": ("nn.GPU(nn.Linear(4, 3), 1)", "torch.rand(2, 4)"),
    "NaN": ("nn.NaN(nn.Linear(4, 3))", "torch.rand(2, 4)"),
    "Profile": ("nn.Profile(nn.Linear(4, 3), 1000)", "torch.rand(2, 4)"),
    "DontCast": ("nn.DontCast(nn.Linear(4, 3))", "torch.rand(2, 4)"),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients(rt, name):
    ctor, x = GRADIENT_CASES[name]
    assert lua(rt, f"return H.gradError({ctor}, {x})") < 1e-6


def test_sequential_equals_its_modules_in_turn(rt):
    res = lua(rt, """
      local a, b = nn.Linear(4, 5), nn.Linear(5, 2)
      local net = nn.Sequential():add(a):add(nn.Tanh()):add(b)
      local x, g = torch.rand(3, 4), torch.rand(3, 2)
      local y = net:forward(x)
      local h = torch.tanh(a:forward(x))
      net:zeroGradParameters()
      local gi = net:backward(x, g)
      local gb = b.weight:t() * g:t()
      return (y - b:forward(h)):abs():max(), gi == a.gradInput, net.gradInput == gi,
             (b.gradWeight - g:t() * h):abs():max()""")
    assert res[0] < 1e-14 and res[1] and res[2] and res[3] < 1e-14


def test_sequential_insert_remove_and_references(rt):
    res = lua(rt, """
      local a, b, c = nn.Linear(2, 2), nn.Tanh(), nn.Sigmoid()
      local net = nn.Sequential():add(a):add(c)
      net:insert(b, 2)
      local order = torch.type(net:get(2)) .. ',' .. torch.type(net:get(3))
      local refs = net.output == c.output and net.gradInput == a.gradInput
      net:remove(1)
      local after = net.gradInput == b.gradInput and net:size() == 2
      net:remove(); net:remove()
      local bad = pcall(function() net:insert(a, 3) end)
      return order, refs, after, net.output:nElement(), bad""")
    assert res == ("nn.Tanh,nn.Sigmoid", True, True, 0, False)


def test_concat_and_parallel_values(rt):
    x, w1, w2, y, p = lua(rt, """
      local l1, l2 = nn.Linear(4, 3), nn.Linear(4, 2)
      l1.bias:zero(); l2.bias:zero()
      local x = torch.rand(2, 4)
      local y = nn.Concat(2):add(l1):add(l2):forward(x):clone()
      local par = nn.Parallel(1, 1):add(l1:clone()):add(l2:clone())
      return x, l1.weight, l2.weight, y, par:forward(x):clone()""")
    x, w1, w2 = arr(rt, x), arr(rt, w1), arr(rt, w2)
    assert np.allclose(arr(rt, y), np.hstack([x @ w1.T, x @ w2.T]), atol=1e-14)
    assert np.allclose(arr(rt, p), np.concatenate([w1 @ x[0], w2 @ x[1]]), atol=1e-14)


def test_depth_concat_pads_smaller_outputs_with_zeros(rt):
    y = lua(rt, """
      local m = nn.DepthConcat(1):add(nn.Identity()):add(nn.Narrow(2, 2, 1))
      return m:forward(torch.Tensor{{1, 2, 3}})""")
    assert np.array_equal(arr(rt, y), [[1, 2, 3], [0, 2, 0]])


def test_concat_table_sums_gradients(rt):
    gi = lua(rt, """
      local m = nn.ConcatTable():add(nn.Identity()):add(nn.MulConstant(3))
      local x = torch.rand(4)
      m:forward(x)
      return m:backward(x, {torch.ones(4), torch.ones(4)})""")
    assert np.array_equal(arr(rt, gi), [4, 4, 4, 4])


def test_map_table_shares_and_resizes(rt):
    res = lua(rt, """
      local m = nn.MapTable(nn.Linear(3, 2))
      m:forward({torch.rand(3), torch.rand(3), torch.rand(3)})
      local n = #m.modules
      m.modules[1].weight:fill(1)
      local shared = m.modules[3].weight:sum()
      m:forward({torch.rand(3)})
      m:resize(1)
      local p = m:parameters()
      return n, shared, #m.modules, #p""")
    assert res == (3, 6, 1, 2)


def test_bottle_folds_batch_dimensions(rt):
    same, size = lua(rt, """
      local l = nn.Linear(4, 3)
      local x = torch.rand(2, 5, 4)
      local y = nn.Bottle(l):forward(x)
      local ok = true
      for i = 1, 2 do ok = ok and (y[i] - l:forward(x[i])):abs():max() < 1e-14 end
      return ok, H.size(y)""")
    assert same and list(size.values()) == [2, 5, 3]


def test_weight_norm_reparametrises_the_weight(rt):
    err, norms = lua(rt, """
      local m = nn.WeightNorm(nn.Linear(4, 3))
      m:forward(torch.rand(4))
      local w = m.weight
      local v = m.v
      local want = torch.cmul(v, (m.g:clone():cdiv(torch.norm(v, 2, 2):pow(2):add(10e-5):sqrt())):view(3, 1):expandAs(v))
      return (w - want):abs():max(), (torch.norm(w, 2, 2):view(3) - m.g):abs():max()""")
    assert err < 1e-14 and norms < 1e-4


def test_dont_cast_keeps_the_inner_type(rt):
    res = lua(rt, """
      local inner = nn.Linear(3, 2)
      local m = nn.DontCast(inner, true)
      local net = nn.Sequential():add(m):float()
      local y = net:forward(torch.rand(3):float())
      local g = net:backward(torch.rand(3):float(), torch.rand(2):float())
      return torch.type(inner.weight), torch.type(y), torch.type(g)""")
    assert res == ("torch.DoubleTensor", "torch.FloatTensor", "torch.FloatTensor")


def test_nan_decorator_reports_where_nans_come_from(rt):
    msg = lua_error(rt, """
      local m = nn.NaN(nn.Linear(3, 2), 5)
      m:forward(torch.Tensor{0 / 0, 1, 2})""")
    assert "NaN found in input of module :\nnn.NaN(5) @ nn.Linear(3 -> 2)" in msg
    msg = lua_error(rt, """
      local l = nn.Linear(3, 2)
      l.weight[1][1] = 0 / 0
      nn.NaN(l, 6):forward(torch.rand(3))""")
    assert "NaN found in parameters of module :" in msg


def test_profile_prints_every_interval(rt, capsys):
    lua(rt, """
      local m = nn.Profile(nn.Linear(3, 2), 2, 'lin')
      for i = 1, 4 do m:forward(torch.rand(3)) end
      m:backward(torch.rand(3), torch.rand(2))""")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all(line.startswith("lin took ") and line.endswith(" seconds for 2 forward passes")
                                 for line in out)


def test_gpu_keeps_device_numbers_and_forwards_calls(rt):
    res = lua(rt, """
      local g = nn.GPU(nn.Linear(2, 2), 2, 3)
      local x = torch.rand(2)
      return g.device, g.outdevice, g:forward(x):equal(g.modules[1].output),
             (pcall(function() g:accUpdateGradParameters(x, x, 1) end))""")
    assert res == (2, 3, True, False)
