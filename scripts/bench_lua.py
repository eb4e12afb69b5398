"""Lua sources of the benchmark cases run by scripts/bench.py.

Each case is a complete Lua script that runs unchanged under ``torchlua`` and
under Torch7's ``th``.  bench.py prepends a header that sets the sizes and the
repeat policy (globals ``P`` and ``REPEAT``); the script reports through stdout
lines

    @@BENCH <key> <median seconds per op> <repeats> <minimum seconds per op>
    @@NA <what is missing>

``measure`` warms up, then repeats until both ``REPEAT.min`` repeats and
``REPEAT.budget`` seconds are reached (at most ``REPEAT.max``), and reports the
median and the minimum.  Missing pieces (a module not yet written, a failing require) end the
script with ``@@NA`` instead of an error, so bench.py can print "n/a".
"""

HARNESS = r"""
local function emit(s) io.write(s, '\n'); io.flush() end
function NA(what) emit('@@NA ' .. tostring(what):gsub('\n', ' ')); os.exit(0) end
function need_require(name)
  local ok, err = pcall(require, name)
  if not ok then NA(name .. ' (' .. tostring(err):match('^[^\n]*') .. ')') end
end
function need(pkgname, names)
  local pkg = _G[pkgname]
  if type(pkg) ~= 'table' then NA(pkgname) end
  for _, n in ipairs(names) do
    if pkg[n] == nil then NA(pkgname .. '.' .. n) end
  end
end
local timer = torch.Timer()
local function wall() return timer:time().real end
function measure(key, f, inner, clock)
  local clk = (clock == 'cpu') and os.clock or wall
  inner = inner or 1
  for _ = 1, REPEAT.warm do f() end
  local ts, start = {}, clk()
  repeat
    local t0 = clk()
    f()
    ts[#ts + 1] = (clk() - t0) / inner
  until (#ts >= REPEAT.min and clk() - start >= REPEAT.budget) or #ts >= REPEAT.max
  table.sort(ts)
  local n = #ts
  local med = (n % 2 == 1) and ts[(n + 1) / 2] or (ts[n / 2] + ts[n / 2 + 1]) / 2
  emit(string.format('@@BENCH %s %.9g %d %.9g', key, med, n, ts[1]))
end
-- run the case body; an error becomes @@NA with the first line of the message
function RUN(body)
  local ok, err = xpcall(body, function(e) return tostring(e) end)
  if not ok then NA('error: ' .. err:match('^[^\n]*')) end
end
"""

# 2. small-op overhead, microseconds per op (os.clock, as a Lua user would time it)
SMALL_OPS = r"""
RUN(function()
  local N = P.small_n
  local x, y = torch.rand(10), torch.rand(10):mul(1e-6)
  local sink = {}
  measure('add', function() for i = 1, N do x:add(y) end end, N, 'cpu')
  measure('size', function()
    local s = 0
    for i = 1, N do s = s + x:size(1) end
    sink[1] = s
  end, N, 'cpu')
  measure('index', function()
    local s = 0
    for i = 1, N do s = s + x[(i % 10) + 1] end
    sink[1] = s
  end, N, 'cpu')
  measure('narrow', function()
    for i = 1, N do sink[1] = x:narrow(1, 2, 3) end
  end, N, 'cpu')
end)
"""

# 3. large ops (wall time per op)
LARGE_MM = r"""
RUN(function()
  local n = P.mm_n
  local A, B = torch.rand(n, n), torch.rand(n, n)
  local C = torch.rand(n, n)
  local sink = {}
  measure('mm', function() sink[1] = torch.mm(A, B) end)
  measure('addmm', function() C:addmm(A, B) end)
end)
"""

LARGE_EWISE = r"""
RUN(function()
  local n = P.ew_n
  local x = torch.Tensor(n):fill(0.75)
  local y = torch.Tensor(n):fill(1.25)
  local z = torch.Tensor(n)
  measure('cmul', function() z:cmul(x, y) end)
  measure('exp', function() z:exp(x) end)
end)
"""

LARGE_SUM = r"""
RUN(function()
  local n = P.sum_n
  local m = torch.Tensor(n, n):fill(0.5)
  local sink = {}
  measure('sum2', function() sink[1] = m:sum(2) end)
end)
"""

# 4. nn
NN_MLP = r"""
need('nn', {'Sequential', 'Linear', 'Tanh', 'LogSoftMax', 'ClassNLLCriterion'})
RUN(function()
  local b, nin, nh, nout = P.mlp_batch, P.mlp_in, P.mlp_hidden, P.mlp_out
  local mlp = nn.Sequential()
  mlp:add(nn.Linear(nin, nh)):add(nn.Tanh()):add(nn.Linear(nh, nout)):add(nn.LogSoftMax())
  local crit = nn.ClassNLLCriterion()
  local x = torch.rand(b, nin)
  local t = torch.Tensor(b)
  for i = 1, b do t[i] = (i % nout) + 1 end
  measure('mlp', function()
    mlp:zeroGradParameters()
    local o = mlp:forward(x)
    crit:forward(o, t)
    mlp:backward(x, crit:backward(o, t))
    mlp:updateParameters(0.01)
  end)
end)
"""

NN_CONV = r"""
need('nn', {'SpatialConvolution'})
RUN(function()
  local c = P.conv
  local conv = nn.SpatialConvolution(c.nin, c.nout, c.k, c.k, c.k, c.k, 1, 1)
  local x = torch.Tensor(c.batch, c.nin, c.size, c.size):uniform(-1, 1)
  local y = conv:forward(x)
  local gy = y:clone():uniform(-1, 1)
  measure('conv', function()
    conv:forward(x)
    conv:backward(x, gy)
  end)
end)
"""

NN_LENET = r"""
need('nn', {'Sequential', 'SpatialConvolution', 'ReLU', 'SpatialMaxPooling', 'View',
            'Linear', 'LogSoftMax', 'ClassNLLCriterion'})
RUN(function()
  local L = P.lenet
  local s1 = (L.size - 4) / 2
  local s2 = (s1 - 4) / 2
  local net = nn.Sequential()
  net:add(nn.SpatialConvolution(1, L.c1, 5, 5)):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2, 2, 2))
  net:add(nn.SpatialConvolution(L.c1, L.c2, 5, 5)):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2, 2, 2))
  net:add(nn.View(L.c2 * s2 * s2))
  net:add(nn.Linear(L.c2 * s2 * s2, L.hidden)):add(nn.ReLU()):add(nn.Linear(L.hidden, 10))
  net:add(nn.LogSoftMax())
  net:float()
  local crit = nn.ClassNLLCriterion():float()
  local x = torch.FloatTensor(L.batch, 1, L.size, L.size):uniform(0, 1)
  local t = torch.FloatTensor(L.batch)
  for i = 1, L.batch do t[i] = (i % 10) + 1 end
  measure('lenet', function()
    net:zeroGradParameters()
    local o = net:forward(x)
    crit:forward(o, t)
    net:backward(x, crit:backward(o, t))
    net:updateParameters(0.01)
  end)
end)
"""

NN_LSTM = r"""
need_require('nngraph')
need('nn', {'Identity', 'Linear', 'CAddTable', 'Reshape', 'SplitTable', 'Sigmoid', 'Tanh',
            'CMulTable', 'gModule'})
RUN(function()
  local R, B, I = P.lstm_rnn, P.lstm_batch, P.lstm_input
  -- the LSTM cell of char-rnn (Karpathy), built with nngraph
  local x, prev_c, prev_h = nn.Identity()(), nn.Identity()(), nn.Identity()()
  local i2h = nn.Linear(I, 4 * R)(x)
  local h2h = nn.Linear(R, 4 * R)(prev_h)
  local all = nn.CAddTable()({i2h, h2h})
  local reshaped = nn.Reshape(4, R)(all)
  local n1, n2, n3, n4 = nn.SplitTable(2)(reshaped):split(4)
  local in_gate, forget_gate = nn.Sigmoid()(n1), nn.Sigmoid()(n2)
  local out_gate, in_transform = nn.Sigmoid()(n3), nn.Tanh()(n4)
  local next_c = nn.CAddTable()({nn.CMulTable()({forget_gate, prev_c}),
                                 nn.CMulTable()({in_gate, in_transform})})
  local next_h = nn.CMulTable()({out_gate, nn.Tanh()(next_c)})
  local cell = nn.gModule({x, prev_c, prev_h}, {next_c, next_h})
  local inp = {torch.rand(B, I), torch.rand(B, R), torch.rand(B, R)}
  local gout = {torch.rand(B, R), torch.rand(B, R)}
  measure('lstm', function()
    cell:forward(inp)
    cell:backward(inp, gout)
  end)
end)
"""

# 6. serialization
SERIALIZE = r"""
need('nn', {'Sequential', 'Linear'})
RUN(function()
  local model = nn.Sequential()
  for _ = 1, P.ser_layers do model:add(nn.Linear(P.ser_width, P.ser_width)) end
  local path = P.ser_path
  measure('save', function() torch.save(path, model) end)
  local sink = {}
  measure('load', function() sink[1] = torch.load(path) end)
  os.remove(path)
end)
"""


def lua_literal(v):
    """A Python value (number, string, bool, dict, list) as a Lua expression."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')
    if isinstance(v, dict):
        return "{" + ", ".join("%s = %s" % (k, lua_literal(x)) for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "{" + ", ".join(lua_literal(x) for x in v) + "}"
    raise TypeError(type(v))


def script(body, params, repeat):
    """The full Lua script of one case: requires, sizes, repeat policy, harness, body."""
    head = "require 'torch'\npcall(require, 'nn')\nP = %s\nREPEAT = %s\n" % (
        lua_literal(params), lua_literal(repeat))
    return head + HARNESS + body
