"""Training steps of an MLP (Linear/Tanh/Sigmoid/LogSoftMax/ClassNLLCriterion in
a Sequential) and of char-rnn's nngraph LSTM cell, in double and float, must give
the same bits as the code they were recorded with (tests/fixtures/step_identity):
these modules' speed-ups (fused Lua->Python calls) may not change a single
result.  Edge cases ride along: NaN/inf, non-contiguous operands, vector inputs,
scaled accumulation, in-place CAddTable, Narrow, SplitTable.

The fixture was first recorded with the code before those speed-ups (commit
45d65f7), then again once `add(value, tensor)`, gemv and ger round as TH does on
AVX2+FMA CPUs (checked against th).  Regenerate it only from code known to be right:
    python tests/test_step_identity.py --record
"""
import os

from bit_fixture import assert_same_bits, main

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "step_identity", "steps.npz")

# Every result goes through rec(name, tensor-or-number); names are unique.
SCRIPT = r"""
require 'nn'
require 'nngraph'
local R = {}
local function rec(name, v)
  assert(R[name] == nil, name)
  if torch.isTensor(v) then R[name] = v:clone() else R[name] = torch.DoubleTensor({v}) end
end
local function recTable(name, t)
  for i, v in ipairs(t) do rec(name .. '.' .. i, v) end
end

for _, ty in ipairs({'torch.DoubleTensor', 'torch.FloatTensor'}) do
  local T = ty == 'torch.DoubleTensor' and 'D' or 'F'
  torch.setdefaulttensortype(ty)

  -- MLP: Linear-Tanh-Linear-Sigmoid-Linear-LogSoftMax, three SGD steps
  torch.manualSeed(1)
  local mlp = nn.Sequential()
  mlp:add(nn.Linear(13, 11)):add(nn.Tanh()):add(nn.Linear(11, 9)):add(nn.Sigmoid())
  mlp:add(nn.Linear(9, 5)):add(nn.LogSoftMax())
  local crit = nn.ClassNLLCriterion()
  local x = torch.randn(7, 13)
  local t = torch.Tensor(7)
  for i = 1, 7 do t[i] = (i % 5) + 1 end
  for step = 1, 3 do
    local p = T .. '.mlp' .. step
    mlp:zeroGradParameters()
    local o = mlp:forward(x)
    rec(p .. '.loss', crit:forward(o, t))
    local g = mlp:backward(x, crit:backward(o, t))
    rec(p .. '.gx', g)
    for i, m in ipairs(mlp.modules) do
      rec(p .. '.out' .. i, m.output)
      rec(p .. '.gin' .. i, m.gradInput)
    end
    local params, grads = mlp:parameters()
    recTable(p .. '.grad', grads)
    mlp:updateParameters(0.1)
    recTable(p .. '.param', params)
  end
  -- scaled accumulation without zeroing, a vector input, a transposed input
  local lin = mlp.modules[1]
  lin:backward(x[2], torch.randn(11), 0.25)
  rec(T .. '.vec.gx', lin.gradInput)
  rec(T .. '.vec.out', lin:forward(x[3]))
  rec(T .. '.vec.gw', lin.gradWeight)
  rec(T .. '.vec.gb', lin.gradBias)
  local xt = torch.randn(13, 4):t()
  rec(T .. '.tr.out', lin:forward(xt))
  rec(T .. '.tr.gx', lin:backward(xt, torch.randn(11, 4):t(), 0.5))
  rec(T .. '.tr.gw', lin.gradWeight)
  rec(T .. '.tr.gb', lin.gradBias)
  local nob = nn.Linear(13, 3, false)
  rec(T .. '.nob.out', nob:forward(x))
  rec(T .. '.nob.gx', nob:backward(x, torch.randn(7, 3)))
  rec(T .. '.nob.gw', nob.gradWeight)
  -- batch size changes between calls
  rec(T .. '.bs.out', lin:forward(x:narrow(1, 1, 3)))
  rec(T .. '.bs.gx', lin:backward(x:narrow(1, 1, 3), torch.randn(3, 11)))
  rec(T .. '.bs.gb', lin.gradBias)

  -- pointwise modules on NaN/inf/signed zeros and non-contiguous operands
  local z = torch.Tensor({{0, -0, 1e-30, -3, 40}, {0/0, 1/0, -1/0, 0.5, -800}})
  local gz = torch.Tensor({{1, -2, 0/0, 1/0, 3}, {0.25, -1, 2, -1/0, 7}})
  for _, name in ipairs({'Tanh', 'Sigmoid', 'LogSoftMax'}) do
    local m = nn[name]()
    rec(T .. '.edge.' .. name .. '.out', m:forward(z))
    rec(T .. '.edge.' .. name .. '.gin', m:backward(z, gz))
    local zt, gt = z:t():clone():t(), gz:t():clone():t()
    local zz = torch.Tensor(5, 2):copy(z:t()):t()
    rec(T .. '.nc.' .. name .. '.out', m:forward(zz))
    rec(T .. '.nc.' .. name .. '.gin', m:backward(zz, gt))
    local v = torch.randn(6)
    rec(T .. '.v.' .. name .. '.out', m:forward(v))
    rec(T .. '.v.' .. name .. '.gin', m:backward(v, torch.randn(6)))
  end

  -- table modules
  local a, b, c = torch.randn(4, 3), torch.randn(4, 3), torch.randn(4, 3)
  local g3 = torch.randn(4, 3)
  local cm = nn.CMulTable()
  rec(T .. '.cmul.out', cm:forward({a, b, c}))
  recTable(T .. '.cmul.gin', cm:backward({a, b, c}, g3))
  local ca = nn.CAddTable()
  rec(T .. '.cadd.out', ca:forward({a, b, c}))
  recTable(T .. '.cadd.gin', ca:backward({a, b, c}, g3))
  local cai = nn.CAddTable(true)
  local a2 = a:clone()
  rec(T .. '.caddi.out', cai:forward({a2, b}))
  recTable(T .. '.caddi.gin', cai:backward({a2, b}, g3))
  local nar = nn.Narrow(2, 2, 2)
  rec(T .. '.narrow.out', nar:forward(a))
  rec(T .. '.narrow.gin', nar:backward(a, torch.randn(4, 2)))
  local sp = nn.SplitTable(2)
  recTable(T .. '.split.out', sp:forward(a))
  rec(T .. '.split.gin', sp:backward(a, {b:select(2, 1), c:select(2, 2), g3:select(2, 3)}))

  -- aliasing: module buffers that are also arguments
  local al = nn.CAddTable()
  local a3 = a:clone()
  al.output = a3
  rec(T .. '.alias.cadd', al:forward({a3, b}))
  local ml = nn.CMulTable()
  local g4 = g3:clone()
  ml.gradInput = {g4}
  recTable(T .. '.alias.cmul', ml:backward({a, b}, g4))
  local sg = nn.Sigmoid()
  sg:forward(a)
  local g5 = g3:clone()
  sg.gradInput = g5
  rec(T .. '.alias.sig', sg:backward(a, g5))
  local th = nn.Tanh()
  th:forward(a)
  rec(T .. '.alias.tanh.nc', th:backward(a, torch.randn(3, 4):t()))
  local sp2 = nn.SplitTable(-1)
  recTable(T .. '.split2.out', sp2:forward(a))
  rec(T .. '.split2.gin', sp2:backward(a, {torch.randn(1, 4), torch.randn(4, 1), torch.randn(4)}))
  local sp3 = nn.SplitTable(1, 1)
  recTable(T .. '.split3.out', sp3:forward(a))
  rec(T .. '.split3.gin', sp3:backward(a, {torch.randn(4), torch.randn(4), torch.randn(4)}))

  -- ClassNLLCriterion's variants
  local cw = torch.rand(5):add(0.5)
  local lp = nn.LogSoftMax():forward(torch.randn(6, 5))
  local tg = torch.Tensor({1, 5, 3, -100, 2, 5})
  for _, v in ipairs({{'w', nn.ClassNLLCriterion(cw)}, {'nw', nn.ClassNLLCriterion(cw, false)},
                      {'ig', nn.ClassNLLCriterion(nil, true, -100)},
                      {'ig3', nn.ClassNLLCriterion(cw, true, 3)}}) do
    local c, tgv = v[2], v[1] == 'ig3' and torch.Tensor({1, 5, 3, 3, 2, 5}) or tg
    rec(T .. '.nll.' .. v[1] .. '.loss', c:forward(lp, tgv))
    rec(T .. '.nll.' .. v[1] .. '.gin', c:backward(lp, tgv))
    rec(T .. '.nll.' .. v[1] .. '.vloss', c:forward(lp[2], 5))
    rec(T .. '.nll.' .. v[1] .. '.vgin', c:backward(lp[2], 5))
  end
  local allIgnored = nn.ClassNLLCriterion(nil, true, 2)
  rec(T .. '.nll.none.loss', allIgnored:forward(lp:narrow(1, 1, 2), torch.Tensor({2, 2})))
  rec(T .. '.nll.none.gin', allIgnored:backward(lp:narrow(1, 1, 2), torch.Tensor({2, 2})))

  -- shared parameters, a learning rate of -1, a big update
  local l1, l2 = nn.Linear(3, 2), nn.Linear(3, 2)
  l2:share(l1, 'weight', 'bias', 'gradWeight', 'gradBias')
  local sq = nn.Sequential():add(l1):add(nn.Tanh()):add(nn.Linear(2, 3)):add(l2)
  local si = torch.randn(2, 3)
  sq:zeroGradParameters()
  sq:forward(si)
  sq:backward(si, torch.randn(2, 2))
  sq:updateParameters(-1)
  recTable(T .. '.shared.param', sq:parameters())
  local bigL = nn.Linear(300, 400)
  bigL:forward(torch.randn(2, 300))
  bigL:backward(torch.randn(2, 300), torch.randn(2, 400))
  bigL:updateParameters(0.3)
  rec(T .. '.bigupd.w', bigL.weight)

  -- char-rnn's LSTM cell: three forward/backward passes accumulating, then a step
  torch.manualSeed(2)
  local I, Rs, B = 6, 5, 4
  local xi, prev_c, prev_h = nn.Identity()(), nn.Identity()(), nn.Identity()()
  local i2h = nn.Linear(I, 4 * Rs)(xi)
  local h2h = nn.Linear(Rs, 4 * Rs)(prev_h)
  local all = nn.CAddTable()({i2h, h2h})
  local reshaped = nn.Reshape(4, Rs)(all)
  local n1, n2, n3, n4 = nn.SplitTable(2)(reshaped):split(4)
  local in_gate, forget_gate = nn.Sigmoid()(n1), nn.Sigmoid()(n2)
  local out_gate, in_transform = nn.Sigmoid()(n3), nn.Tanh()(n4)
  local next_c = nn.CAddTable()({nn.CMulTable()({forget_gate, prev_c}),
                                 nn.CMulTable()({in_gate, in_transform})})
  local next_h = nn.CMulTable()({out_gate, nn.Tanh()(next_c)})
  local cell = nn.gModule({xi, prev_c, prev_h}, {next_c, next_h})
  local params, grads = cell:parameters()
  cell:zeroGradParameters()
  local c, h = torch.randn(B, Rs), torch.randn(B, Rs)
  for step = 1, 3 do
    local p = T .. '.lstm' .. step
    local inp = {torch.randn(B, I), c, h}
    local out = cell:forward(inp)
    recTable(p .. '.out', out)
    local gin = cell:backward(inp, {torch.randn(B, Rs), torch.randn(B, Rs)})
    recTable(p .. '.gin', gin)
    recTable(p .. '.grad', grads)
    c, h = out[1]:clone(), out[2]:clone()
  end
  cell:updateParameters(0.05)
  recTable(T .. '.lstm.param', params)
  cell:zeroGradParameters()
  recTable(T .. '.lstm.zeroed', grads)

  -- the benchmark's sizes (BLAS blocking, buffer reuse across steps)
  torch.manualSeed(3)
  local big = nn.Sequential():add(nn.Linear(784, 100)):add(nn.Tanh())
  big:add(nn.Linear(100, 10)):add(nn.LogSoftMax())
  local bx, bt = torch.rand(64, 784), torch.Tensor(64)
  for i = 1, 64 do bt[i] = (i % 10) + 1 end
  for step = 1, 2 do
    big:zeroGradParameters()
    local o = big:forward(bx)
    crit:forward(o, bt)
    rec(T .. '.big' .. step .. '.gx', big:backward(bx, crit:backward(o, bt)))
    big:updateParameters(0.01)
    recTable(T .. '.big' .. step .. '.param', big:parameters())
  end
  I, Rs, B = 65, 128, 50
  xi, prev_c, prev_h = nn.Identity()(), nn.Identity()(), nn.Identity()()
  i2h = nn.Linear(I, 4 * Rs)(xi)
  h2h = nn.Linear(Rs, 4 * Rs)(prev_h)
  reshaped = nn.Reshape(4, Rs)(nn.CAddTable()({i2h, h2h}))
  n1, n2, n3, n4 = nn.SplitTable(2)(reshaped):split(4)
  in_gate, forget_gate = nn.Sigmoid()(n1), nn.Sigmoid()(n2)
  out_gate, in_transform = nn.Sigmoid()(n3), nn.Tanh()(n4)
  next_c = nn.CAddTable()({nn.CMulTable()({forget_gate, prev_c}),
                           nn.CMulTable()({in_gate, in_transform})})
  next_h = nn.CMulTable()({out_gate, nn.Tanh()(next_c)})
  local bcell = nn.gModule({xi, prev_c, prev_h}, {next_c, next_h})
  local inp = {torch.rand(B, I), torch.rand(B, Rs), torch.rand(B, Rs)}
  for step = 1, 2 do
    recTable(T .. '.blstm' .. step .. '.out', bcell:forward(inp))
    recTable(T .. '.blstm' .. step .. '.gin', bcell:backward(inp, {torch.rand(B, Rs), torch.rand(B, Rs)}))
    recTable(T .. '.blstm' .. step .. '.grad', select(2, bcell:parameters()))
  end
end
torch.setdefaulttensortype('torch.DoubleTensor')
return R
"""


def test_training_steps_match_the_recorded_bits():
    assert_same_bits(FIXTURE, SCRIPT)


if __name__ == "__main__":
    main(FIXTURE, SCRIPT, __file__)
