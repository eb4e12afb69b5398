"""nn.Module / nn.Container / nn.Criterion protocol: parameters and
getParameters, clone, share, type conversion, traversal helpers, __call__,
error annotation, and a user-defined module living among the built-in ones."""
import re

from test_nn_helpers import lua, lua_error, rt  # noqa: F401  (rt is a fixture)


# ------------------------------------------------------------ getParameters

def test_get_parameters_flattens_weights_and_gradients_in_module_order(rt):
    n, first_w, first_b, second_w, same, writes = lua(rt, """
      local net = nn.Sequential():add(nn.Linear(10, 10)):add(nn.Linear(10, 10))
      local before = net.modules[2].weight:clone()
      local p, g = net:getParameters()
      local l1, l2 = net.modules[1], net.modules[2]
      local same = torch.pointer(l1.weight:storage()) == torch.pointer(p:storage())
               and torch.pointer(l2.bias:storage()) == torch.pointer(p:storage())
               and torch.pointer(l2.gradWeight:storage()) == torch.pointer(g:storage())
      p:fill(7)
      return p:nElement(),
             (p[{{1, 100}}] - l1.weight:view(100)):abs():max(),
             l1.bias:storageOffset(),
             (before - l2.weight):abs():max() == math.huge and -1 or l2.weight:storageOffset(),
             same, l2.weight:sum()""")
    assert n == 220 and first_w == 0 and first_b == 101 and second_w == 111
    assert same and writes == 700


def test_get_parameters_keeps_values_and_gradient_alignment(rt):
    ok, aligned = lua(rt, """
      local net = nn.Sequential():add(nn.Linear(4, 3)):add(nn.Tanh()):add(nn.Linear(3, 2))
      local saved = {}
      for i, w in ipairs(net:parameters()) do saved[i] = w:clone() end
      local p, g = net:getParameters()
      local ok = true
      for i, w in ipairs(net:parameters()) do ok = ok and w:equal(saved[i]) end
      local ws, gs = net:parameters()
      local aligned = true
      for i = 1, #ws do aligned = aligned and ws[i]:storageOffset() == gs[i]:storageOffset() end
      return ok, aligned""")
    assert ok and aligned


def test_get_parameters_counts_a_shared_module_once(rt):
    n, still_shared = lua(rt, """
      local l = nn.Linear(5, 4)
      local net = nn.Sequential():add(l):add(nn.Tanh()):add(nn.Linear(4, 5)):add(l)
      local p = net:getParameters()
      net.modules[1].weight:fill(3)
      return p:nElement(), net.modules[4].weight:sum()""")
    assert n == 24 + 25 and still_shared == 60


def test_get_parameters_keeps_tensors_shared_through_share(rt):
    n, shared = lua(rt, """
      local a, b = nn.Linear(3, 2), nn.Linear(3, 2)
      b:share(a, 'weight', 'bias', 'gradWeight', 'gradBias')
      local net = nn.Sequential():add(nn.ConcatTable():add(a):add(b))
      local p = net:getParameters()
      p:fill(0.5)
      a.weight[1][1] = 9
      return p:nElement(), b.weight[1][1]""")
    assert n == 8 and shared == 9


def test_get_parameters_twice_keeps_the_values(rt):
    same = lua(rt, """
      local function mlp()
        local m = nn.Sequential():add(nn.Linear(6, 6)):add(nn.Linear(6, 6))
        m:getParameters()
        return m
      end
      local a, b = mlp(), mlp()
      local w1, w2 = a.modules[1].weight:clone(), b.modules[1].weight:clone()
      local net = nn.Sequential():add(a.modules[1]):add(b.modules[1])
      local p = net:getParameters()
      return net.modules[1].weight:equal(w1) and net.modules[2].weight:equal(w2)
             and p[{{1, 36}}]:equal(w1:view(36))""")
    assert same


def test_get_parameters_compacts_non_contiguous_compact_tensors(rt):
    n, size, wmean, bmean = lua(rt, """
      local L = nn.Linear(10, 10)
      L.weight = torch.Tensor(10, 10):t():fill(1)
      L.bias = torch.Tensor(10, 10):fill(2):select(1, 2)
      local P = L:getParameters()
      return P:nElement(), P:storage():size(), L.weight:mean(), L.bias:mean()""")
    assert (n, size, wmean, bmean) == (110, 110, 1, 2)


def test_get_parameters_refuses_tensors_with_holes(rt):
    msg = lua_error(rt, """
      local L = nn.Linear(10, 10)
      L.bias = torch.Tensor(10, 10):fill(2):select(2, 2)
      L:getParameters()""")
    assert "Cannot gather tensors that are not compact" in msg


def test_get_parameters_of_a_module_without_parameters_is_empty(rt):
    assert lua(rt, "local p, g = nn.Tanh():getParameters(); return p:nElement() + g:nElement()") == 0


# ------------------------------------------------------------------- clone

def test_clone_is_deep_and_keeps_internal_sharing(rt):
    res = lua(rt, """
      local l = nn.Linear(3, 3)
      local net = nn.Sequential():add(l):add(nn.Tanh()):add(l)
      local c = net:clone()
      local x = torch.rand(2, 3)
      local same_out = c:forward(x):equal(net:forward(x))
      c.modules[1].weight:fill(0)
      return same_out, c.modules[1] == c.modules[3], c.modules[1] ~= l,
             l.weight:abs():sum() > 0, torch.type(c), tostring(c) == tostring(net)""")
    assert res == (True, True, True, True, "nn.Sequential", True)


def test_clone_with_names_shares_those_fields(rt):
    shared, separate = lua(rt, """
      local l = nn.Linear(3, 2)
      local c = l:clone('weight', 'gradWeight')
      c.weight:fill(4)
      c.bias:fill(4)
      return l.weight:sum(), l.bias:sum()""")
    assert shared == 24 and separate != 8


def test_criterion_clone_is_independent(rt):
    res = lua(rt, """
      local c = nn.ClassNLLCriterion(torch.Tensor{1, 2, 3})
      local d = c:clone()
      d.weights:fill(0)
      return torch.type(d), c.weights:sum()""")
    assert res == ("nn.ClassNLLCriterion", 6)


# ------------------------------------------------------------ type and share

def test_type_conversion_reaches_every_tensor_and_keeps_sharing(rt):
    res = lua(rt, """
      local a = nn.Linear(3, 3)
      local b = a:clone('weight', 'bias')
      local net = nn.Sequential():add(a):add(b)
      net:forward(torch.rand(3))
      net:float()
      local sharing = torch.pointer(a.weight:storage()) == torch.pointer(b.weight:storage())
      local out = net:forward(torch.rand(3):float())
      return torch.type(a.weight), torch.type(a.gradBias), torch.type(out), net:type(),
             sharing, torch.type(net:double().modules[2].bias)""")
    assert res == ("torch.FloatTensor", "torch.FloatTensor", "torch.FloatTensor",
                   "torch.FloatTensor", True, "torch.DoubleTensor")


def test_cuda_keeps_the_cpu_type_without_cutorch(rt):
    res = lua(rt, """
      local m = nn.Linear(2, 2)
      local c = nn.MSECriterion()
      return m:cuda() == m, torch.type(m.weight), c:cuda() == c""")
    assert res == (True, "torch.DoubleTensor", True)


def test_criterion_type(rt):
    assert lua(rt, "return torch.type(nn.MSECriterion():float().gradInput)") == "torch.FloatTensor"


def test_share_points_at_the_same_storage(rt):
    res = lua(rt, """
      local a, b = nn.Linear(4, 4), nn.Linear(4, 4)
      b:share(a, 'weight')
      a.weight:fill(2)
      return b.weight:sum(), b.shared and a.shared, b.bias:equal(a.bias)""")
    assert res == (32, True, False)


# ---------------------------------------------------------- training steps

def test_zero_grad_and_update_parameters(rt):
    res = lua(rt, """
      local m = nn.Linear(3, 2)
      local w = m.weight:clone()
      local x = torch.rand(3)
      m:zeroGradParameters()
      m:forward(x)
      m:backward(x, torch.ones(2))
      local g = m.gradWeight:clone()
      m:updateParameters(0.5)
      local ok = (m.weight - (w - g * 0.5)):abs():max() < 1e-12
      m:zeroGradParameters()
      return ok, m.gradWeight:abs():sum(), m.gradBias:abs():sum()""")
    assert res == (True, 0, 0)


def test_acc_update_agrees_with_acc_grad_and_update(rt):
    errors = lua(rt, """
      local errs = nn.Jacobian.testAllUpdate(nn.Linear(5, 4), torch.rand(3, 5), 'weight', 'gradWeight')
      local worst = 0
      for _, e in pairs(errs) do worst = math.max(worst, e) end
      return worst""")
    assert errors < 1e-10


def test_backward_scale_multiplies_the_parameter_gradient(rt):
    ratio = lua(rt, """
      local m = nn.Linear(3, 2)
      local x, g = torch.rand(3), torch.rand(2)
      m:zeroGradParameters(); m:forward(x); m:backward(x, g)
      local one = m.gradWeight:clone()
      m:zeroGradParameters(); m:backward(x, g, 3)
      return (m.gradWeight - one * 3):abs():max()""")
    assert ratio < 1e-12


def test_training_and_evaluate_reach_children(rt):
    res = lua(rt, """
      local d = nn.Dropout()
      local net = nn.Sequential():add(nn.Sequential():add(d))
      net:evaluate()
      local ev = d.train
      net:training()
      return ev, d.train, net.train""")
    assert res == (False, True, True)


# --------------------------------------------------------------- traversal

def test_apply_list_find_replace(rt):
    res = lua(rt, """
      local inner = nn.Sequential():add(nn.Linear(2, 2)):add(nn.Tanh())
      local net = nn.Sequential():add(inner):add(nn.Linear(2, 3)):add(nn.Tanh())
      local names = {}
      net:apply(function(m) names[#names + 1] = torch.type(m) end)
      local list = net:listModules()
      local found, owners = net:findModules('nn.Tanh')
      net:replace(function(m) if torch.typename(m) == 'nn.Tanh' then return nn.Sigmoid() end return m end)
      local _, after = net:findModules('nn.Sigmoid')
      return table.concat(names, ','), #list, #found, owners[1] == inner, owners[2] == net, #after""")
    assert res == ("nn.Sequential,nn.Sequential,nn.Linear,nn.Tanh,nn.Linear,nn.Tanh", 6, 2, True, True, 2)


def test_clear_state_empties_buffers_and_returns_self(rt):
    res = lua(rt, """
      local net = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh())
      local x = torch.rand(2, 3)
      net:forward(x)
      net:backward(x, torch.rand(2, 4))
      local same = net:clearState() == net
      return same, net.modules[1].output:nElement(), net.modules[2].gradInput:nElement(),
             net.modules[1].addBuffer:nElement(), net.modules[1].weight:nElement()""")
    assert res == (True, 0, 0, 0, 12)


# ----------------------------------------------------------------- __call__

def test_call_runs_forward_and_backward(rt):
    res = lua(rt, """
      local m = nn.Linear(3, 2)
      local x, g = torch.rand(3), torch.rand(2)
      local out = m(x)
      local o2, gi = m(x, g)
      local c = nn.MSECriterion()
      local loss, cg = c(out, torch.zeros(2))
      return out == m.output, gi == m.gradInput, gi:equal(m.weight:t() * g),
             loss == c.output, cg == c.gradInput""")
    assert res == (True, True, True, True, True)


# ----------------------------------------------------------------- errors

def test_container_errors_name_the_failing_module(rt):
    msg = lua_error(rt, """
      local net = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Sequential():add(nn.Tanh()):add(nn.Linear(5, 2)))
      net:forward(torch.rand(3))""")
    # Torch7's layout: the outer annotation, the inner one, the original error,
    # the traceback of the innermost container, then the warning (once)
    head = msg.split("\n")
    assert re.fullmatch(r".*nn/Container\.lua:\d+: ", head[0])
    assert head[1:3] == ["In 2 module of nn.Sequential:"] * 2
    assert "size mismatch" in head[3]
    assert msg.count("WARNING: If you see a stack trace below") == 1


# ------------------------------------------------------- user-defined module

USER_MODULE = r"""
local MyLayer, parent = torch.class('nn.MyScaleLayer', 'nn.Module')
function MyLayer:__init(n)
  parent.__init(self)
  self.weight = torch.Tensor(n):fill(2)
  self.gradWeight = torch.Tensor(n):zero()
end
function MyLayer:updateOutput(input)
  self.output:resizeAs(input):copy(input):cmul(self.weight)
  return self.output
end
function MyLayer:updateGradInput(input, gradOutput)
  self.gradInput:resizeAs(input):copy(gradOutput):cmul(self.weight)
  return self.gradInput
end
function MyLayer:accGradParameters(input, gradOutput, scale)
  self.gradWeight:addcmul(scale or 1, input, gradOutput)
end
"""


def test_user_defined_module_works_like_a_built_in_one(rt):
    lua(rt, USER_MODULE)
    res = lua(rt, """
      local net = nn.Sequential():add(nn.Linear(3, 4)):add(nn.MyScaleLayer(4)):add(nn.Tanh())
      local p = net:getParameters()
      local jerr = H.jacobianError(net, torch.rand(3))
      local before = net.modules[2].weight:clone()
      local c = net:clone()
      c.modules[2].weight:fill(5)
      return p:nElement(), jerr, torch.type(c.modules[2]), net.modules[2].weight:equal(before),
             tostring(net):match('%(2%): ([^\\n]+)')""")
    assert res[0] == 20 and res[1] < 1e-7
    assert res[2:] == ("nn.MyScaleLayer", True, "nn.MyScaleLayer")


def test_float_network_matches_the_double_one(rt):
    res = lua(rt, """
      local net = nn.Sequential():add(nn.Linear(5, 4)):add(nn.Tanh()):add(nn.Linear(4, 3)):add(nn.LogSoftMax())
      local fnet = net:clone():float()
      local x, g = torch.rand(2, 5), torch.rand(2, 3)
      local y, fy = net:forward(x), fnet:forward(x:float())
      local gi, fgi = net:backward(x, g), fnet:backward(x:float(), g:float())
      return (y - fy:double()):abs():max(), (gi - fgi:double()):abs():max(),
             torch.type(fgi), torch.type(fnet.modules[3].gradWeight)""")
    assert res[0] < 1e-5 and res[1] < 1e-5
    assert res[2:] == ("torch.FloatTensor", "torch.FloatTensor")


def test_modules_follow_the_default_tensor_type(rt):
    res = lua(rt, """
      torch.setdefaulttensortype('torch.FloatTensor')
      local ok, m = pcall(function() return nn.Linear(3, 2) end)
      torch.setdefaulttensortype('torch.DoubleTensor')
      assert(ok, m)
      return torch.type(m.weight), torch.type(m.output), m:type()""")
    assert res == ("torch.FloatTensor",) * 3


# ----------------------------------------------------------- save and load

def test_save_load_round_trip_keeps_the_model(rt, tmp_path):
    same = lua(rt, """
      local path = ...
      local net = nn.Sequential():add(nn.Linear(4, 4)):add(nn.ReLU()):add(nn.Linear(4, 4))
      net:add(net.modules[1])
      local x = torch.rand(4)
      torch.save(path, net)
      local back = torch.load(path)
      return back:forward(x):equal(net:forward(x)), back.modules[1] == back.modules[4]""",
               str(tmp_path / "net.t7"))
    assert same == (True, True)
