"""LeNet training steps and the convolution / max-pooling / ReLU / Threshold
modules they use, in float and double, must give the same bits as the code they
were recorded with (tests/fixtures/lenet_identity): the speed-ups of these
modules (reused column buffers, fused loops, faster unfolding) may not change a
single result.  Variants ride along: padding, strides, non-square kernels, 3-D
(single image) input, non-contiguous input, NaN/inf, scaled accumulation, batch
size changes between calls, no bias, Threshold with other values and in place,
max pooling with ceil mode, padding and overlapping windows.

Regenerate the fixture only from code known to be right:
    python tests/test_lenet_identity.py --record
"""
import os

from bit_fixture import assert_same_bits, main

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "lenet_identity", "steps.npz")

# Every result goes through rec(name, tensor-or-number); names are unique.
SCRIPT = r"""
require 'nn'
local R = {}
local function rec(name, v)
  assert(R[name] == nil, name)
  if torch.isTensor(v) then R[name] = v:clone() else R[name] = torch.DoubleTensor({v}) end
end
local function recTable(name, t)
  for i, v in ipairs(t) do rec(name .. '.' .. i, v) end
end
-- a copy of x laid out with its last two dimensions swapped in memory
local function noncontig(x)
  local d = x:dim()
  return x:transpose(d - 1, d):clone():transpose(d - 1, d)
end

for _, ty in ipairs({'torch.DoubleTensor', 'torch.FloatTensor'}) do
  local T = ty == 'torch.DoubleTensor' and 'D' or 'F'
  torch.setdefaulttensortype(ty)

  -- LeNet, the benchmark's network, three SGD steps (batch 64 in float)
  torch.manualSeed(1)
  local B = T == 'F' and 64 or 8
  local net = nn.Sequential()
  net:add(nn.SpatialConvolution(1, 6, 5, 5)):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2, 2, 2))
  net:add(nn.SpatialConvolution(6, 16, 5, 5)):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2, 2, 2))
  net:add(nn.View(16 * 5 * 5))
  net:add(nn.Linear(400, 120)):add(nn.ReLU()):add(nn.Linear(120, 10))
  net:add(nn.LogSoftMax())
  local crit = nn.ClassNLLCriterion()
  local x = torch.Tensor(B, 1, 32, 32):uniform(0, 1)
  local t = torch.Tensor(B)
  for i = 1, B do t[i] = (i % 10) + 1 end
  for step = 1, 3 do
    local p = T .. '.lenet' .. step
    net:zeroGradParameters()
    local o = net:forward(x)
    rec(p .. '.loss', crit:forward(o, t))
    rec(p .. '.gx', net:backward(x, crit:backward(o, t)))
    for i, m in ipairs(net.modules) do
      rec(p .. '.out' .. i, m.output)
      rec(p .. '.gin' .. i, m.gradInput)
    end
    recTable(p .. '.grad', select(2, net:parameters()))
    net:updateParameters(0.01)
    recTable(p .. '.param', net:parameters())
  end
  -- the same network on one image (3-D input)
  local x1 = torch.Tensor(1, 32, 32):uniform(-1, 1)
  net:zeroGradParameters()
  rec(T .. '.lenet3d.out', net:forward(x1))
  rec(T .. '.lenet3d.gx', net:backward(x1, torch.randn(10)))
  recTable(T .. '.lenet3d.grad', select(2, net:parameters()))

  -- convolutions: {nIn, nOut, kW, kH, dW, dH, padW, padH, H, W}
  local convs = {
    {3, 4, 3, 3, 1, 1, 0, 0, 7, 8},
    {2, 5, 3, 2, 2, 1, 1, 2, 9, 6},
    {3, 2, 5, 5, 3, 3, 2, 2, 11, 10},
    {1, 3, 1, 1, 1, 1, 0, 0, 4, 5},
    {2, 3, 4, 3, 1, 2, 3, 0, 5, 6},
    {4, 3, 2, 4, 2, 3, 1, 1, 6, 3},
    {1, 2, 5, 5, 1, 1, 4, 4, 3, 3},
  }
  for ci, c in ipairs(convs) do
    for _, cls in ipairs({'SpatialConvolution', 'SpatialConvolutionMM'}) do
      torch.manualSeed(10 + ci)
      local m = nn[cls](c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8])
      local p = T .. '.' .. cls .. ci
      local xb = torch.randn(3, c[1], c[9], c[10])
      local o = m:forward(xb)
      rec(p .. '.out', o)
      m:zeroGradParameters()
      rec(p .. '.gin', m:backward(xb, torch.randn(o:size())))
      rec(p .. '.gw', m.gradWeight)
      rec(p .. '.gb', m.gradBias)
      -- accumulated with a scale, on a non-contiguous batch of another size
      local xn = noncontig(torch.randn(2, c[1], c[9], c[10]))
      o = m:forward(xn)
      rec(p .. '.nc.out', o)
      rec(p .. '.nc.gin', m:backward(xn, noncontig(torch.randn(o:size())), 0.25))
      rec(p .. '.nc.gw', m.gradWeight)
      rec(p .. '.nc.gb', m.gradBias)
      -- one image (3-D), with NaN and infinities
      local x3 = torch.randn(c[1], c[9], c[10])
      x3[1][1][1] = 0 / 0
      x3[c[1]][c[9]][c[10]] = 1 / 0
      if c[9] > 2 then x3[1][2][1] = -1 / 0 end
      o = m:forward(x3)
      rec(p .. '.3d.out', o)
      local g3 = torch.randn(o:size())
      rec(p .. '.3d.gin', m:updateGradInput(x3, g3))
      m:accGradParameters(x3, g3, 2)
      rec(p .. '.3d.gw', m.gradWeight)
      rec(p .. '.3d.gb', m.gradBias)
      -- back to a batch: forward twice (buffers reused), then backward
      m:forward(torch.randn(4, c[1], c[9], c[10]))
      o = m:forward(xb)
      m:zeroGradParameters()
      rec(p .. '.again.gin', m:backward(xb, torch.randn(o:size())))
      rec(p .. '.again.gw', m.gradWeight)
      rec(p .. '.again.gb', m.gradBias)
      -- the input changed in place after forward: gradients follow the new values
      xb:mul(-0.5)
      m:zeroGradParameters()
      m:backward(xb, torch.randn(o:size()))
      rec(p .. '.changed.gw', m.gradWeight)
      rec(p .. '.changed.gin', m.gradInput)
      -- no bias
      local nb = nn[cls](c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]):noBias()
      o = nb:forward(xb)
      rec(p .. '.nob.out', o)
      nb:zeroGradParameters()
      rec(p .. '.nob.gin', nb:backward(xb, torch.randn(o:size())))
      rec(p .. '.nob.gw', nb.gradWeight)
    end
  end
  -- accGradParameters without a forward first, and after clearState
  torch.manualSeed(30)
  local m = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)
  local xa = torch.randn(2, 2, 5, 5)
  m:zeroGradParameters()
  m:accGradParameters(xa, torch.randn(2, 3, 5, 5))
  rec(T .. '.noforward.gw', m.gradWeight)
  m:forward(xa)
  m:clearState()
  m:accGradParameters(xa, torch.randn(2, 3, 5, 5))
  rec(T .. '.cleared.gw', m.gradWeight)
  -- one module applied twice before its backward passes (Torch would reuse the
  -- second call's columns; the recorded results use each call's own input)
  local sh = nn.SpatialConvolution(2, 2, 3, 3, 1, 1, 1, 1)
  local s1 = sh:forward(xa):clone()
  local s2 = sh:forward(s1):clone()
  sh:zeroGradParameters()
  sh:backward(s1, torch.randn(2, 2, 5, 5))
  rec(T .. '.shared.gin2', sh.gradInput:clone())
  sh:backward(xa, torch.randn(2, 2, 5, 5))
  rec(T .. '.shared.gin1', sh.gradInput)
  rec(T .. '.shared.gw', sh.gradWeight)
  rec(T .. '.shared.out2', s2)

  -- max pooling: {kW, kH, dW, dH, padW, padH, ceil, H, W}
  local pools = {
    {2, 2, 2, 2, 0, 0, false, 8, 6},
    {3, 3, 2, 2, 1, 1, false, 7, 9},
    {3, 2, 1, 1, 0, 0, false, 5, 6},
    {2, 3, 2, 3, 1, 1, true, 7, 8},
    {3, 3, 3, 3, 0, 0, true, 8, 10},
    {2, 2, 2, 2, 0, 0, false, 7, 5},
  }
  for pi, q in ipairs(pools) do
    torch.manualSeed(40 + pi)
    local mp = nn.SpatialMaxPooling(q[1], q[2], q[3], q[4], q[5], q[6])
    if q[7] then mp:ceil() end
    local p = T .. '.pool' .. pi
    local xp = torch.randn(2, 3, q[8], q[9])
    xp[1][1][1][1] = 0 / 0
    xp[1][2]:fill(0 / 0)
    xp[2][1]:fill(-1 / 0)
    xp[2][2]:fill(1.5)            -- ties: the first maximum wins
    xp[2][3][2][2] = 1 / 0
    local o = mp:forward(xp)
    rec(p .. '.out', o)
    rec(p .. '.ind', mp.indices:double())
    rec(p .. '.gin', mp:backward(xp, torch.randn(o:size())))
    local xn = noncontig(torch.randn(3, q[8], q[9]))
    o = mp:forward(xn)
    rec(p .. '.3d.out', o)
    rec(p .. '.3d.ind', mp.indices:double())
    rec(p .. '.3d.gin', mp:backward(xn, noncontig(torch.randn(o:size()))))
  end

  -- ReLU / Threshold, plain and in place, on edge values and non-contiguous data
  local e = torch.Tensor({{0, -0, 1e-30, -3, 40, 1e-7}, {0 / 0, 1 / 0, -1 / 0, 0.5, -800, 2e-6}})
  local ge = torch.Tensor({{1, -2, 0 / 0, 1 / 0, 3, -0}, {0.25, -1, 2, -1 / 0, 7, 5}})
  local mods = {
    relu = function() return nn.ReLU() end,
    relui = function() return nn.ReLU(true) end,
    th = function() return nn.Threshold() end,
    thv = function() return nn.Threshold(0.3, -2) end,
    thi = function() return nn.Threshold(1e-6, -1, true) end,
    thf = function() return nn.Threshold(0.1, 1 / 3) end,
  }
  for _, name in ipairs({'relu', 'relui', 'th', 'thv', 'thi', 'thf'}) do
    local md = mods[name]()
    local p = T .. '.' .. name
    local xe, gg = e:clone(), ge:clone()
    rec(p .. '.out', md:forward(xe):clone())
    rec(p .. '.gin', md:backward(xe, gg):clone())
    rec(p .. '.x', xe)
    local xn, gn = noncontig(torch.randn(3, 4, 5)), noncontig(torch.randn(3, 4, 5))
    rec(p .. '.nc.out', md:forward(xn):clone())
    rec(p .. '.nc.gin', md:backward(xn, gn):clone())
    local xv = torch.randn(3, 8):select(2, 3)
    rec(p .. '.sel.out', md:forward(xv):clone())
    rec(p .. '.sel.gin', md:backward(xv, torch.randn(3)):clone())
    -- output tensor given a non-contiguous layout beforehand
    md.output = noncontig(torch.zeros(4, 5))
    md.gradInput = noncontig(torch.zeros(4, 5))
    local xo = torch.randn(4, 5)
    rec(p .. '.given.out', md:forward(xo):clone())
    rec(p .. '.given.gin', md:backward(xo, torch.randn(4, 5)):clone())
  end
end
torch.setdefaulttensortype('torch.DoubleTensor')
return R
"""


def test_lenet_and_its_modules_match_the_recorded_bits():
    assert_same_bits(FIXTURE, SCRIPT)


# Sharing THNN's buffers between modules (as memory optimisers do) must not
# change the gradients: the columns a convolution keeps in finput are reused
# only while they are still those of the input its backward receives.
SHARED = r"""
require 'nn'
local function grads(share)
  torch.manualSeed(5)
  local a = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)
  local b = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)
  local x1, x2 = torch.randn(2, 2, 6, 6), torch.randn(2, 2, 6, 6)
  local g1, g2 = torch.randn(2, 3, 6, 6), torch.randn(2, 3, 6, 6)
  for _, m in ipairs({a, b}) do m.finput, m.fgradInput = torch.Tensor(), torch.Tensor() end
  local between = share(a, b)
  a:forward(x1)
  b:forward(x2)
  if between then between() end
  a:zeroGradParameters()
  b:zeroGradParameters()
  local r = {}
  for _, m in ipairs({{a, x1, g1}, {b, x2, g2}}) do
    local gi = m[1]:backward(m[2], m[3]):clone()
    r[#r + 1] = torch.cat({gi:view(-1), m[1].gradWeight:view(-1), m[1].gradBias:view(-1)})
  end
  return torch.cat(r)
end
local plain = grads(function() end)
local same = {
  finput = grads(function(a, b) b.finput = a.finput end),
  fgradInput = grads(function(a, b) b.fgradInput = a.fgradInput end),
  crossed = grads(function(a, b) b.fgradInput = a.finput; a.fgradInput = b.finput end),
  own = grads(function(a, b) a.fgradInput = a.finput; b.fgradInput = b.finput end),
  relu = grads(function(a, b)
    local r = nn.ReLU()
    r.output = a.finput
    return function() r:forward(torch.randn(2, 18, 36)) end   -- finput's shape
  end),
}
local R = {}
for k, v in pairs(same) do R[k] = torch.equal(v, plain) end
return R
"""


def test_shared_buffers_do_not_change_gradients():
    from torchlua import Runtime, to_python
    got = to_python(Runtime().execute(SHARED))
    assert got == {"finput": True, "fgradInput": True, "crossed": True, "own": True,
                   "relu": True}


if __name__ == "__main__":
    main(FIXTURE, SCRIPT, __file__)
