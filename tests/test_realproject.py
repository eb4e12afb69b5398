"""A small char-rnn-like project, written here as a user would lay one out (a data
loader module beside train.lua, a JSON config, a vocabulary saved with torch.save,
an nngraph LSTM cell cloned over time with shared parameters, getParameters,
optim.rmsprop, checkpoints, and a sample.lua), run with the `torchlua` command.
Also: the extra line `require` adds for packages torchlua does not have."""
import os
import re
import subprocess
import sys

import pytest

TORCHLUA = [sys.executable, "-I", "-m", "torchlua"]

TEXT = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n\n"
        "First Citizen:\nYou are all resolved rather to die than to famish?\n\nAll:\nResolved. resolved.\n") * 6

CONFIG = '{"rnn_size": 24, "seq_length": 10, "batch_size": 4, "learning_rate": 0.01, "decay_rate": 0.95}'

LOADER = r"""
-- loader.lua: text -> vocabulary (saved with torch.save) and batches of (x, y)
local Loader = {}
Loader.__index = Loader

function Loader.create(data_dir, batch_size, seq_length)
  local self = setmetatable({}, Loader)
  local input_file = path.join(data_dir, 'input.txt')
  local vocab_file = path.join(data_dir, 'vocab.t7')
  local f = assert(io.open(input_file, 'r'))
  local text = f:read('*a')
  f:close()
  if not path.exists(vocab_file) then
    local seen, chars = {}, {}
    for c in text:gmatch('.') do
      if not seen[c] then seen[c] = true; chars[#chars + 1] = c end
    end
    table.sort(chars)
    local vocab = {}
    for i, c in ipairs(chars) do vocab[c] = i end
    torch.save(vocab_file, vocab)
  end
  self.vocab = torch.load(vocab_file)
  self.vocab_size = 0
  for _ in pairs(self.vocab) do self.vocab_size = self.vocab_size + 1 end
  local data = torch.ByteTensor(#text)
  for i = 1, #text do data[i] = self.vocab[text:sub(i, i)] end
  local per = batch_size * seq_length
  local n = math.floor((#text - 1) / per) * per
  local x = data:sub(1, n):double()
  local y = data:sub(2, n + 1):double()
  self.x_batches = x:view(batch_size, -1):split(seq_length, 2)
  self.y_batches = y:view(batch_size, -1):split(seq_length, 2)
  self.nbatches = #self.x_batches
  self.pointer = 0
  return self
end

function Loader:next_batch()
  self.pointer = self.pointer % self.nbatches + 1
  return self.x_batches[self.pointer], self.y_batches[self.pointer]
end

return Loader
"""

LSTM = r"""
-- lstm.lua: one LSTM step as an nngraph gModule: {x, c, h} -> {c', h', logsoftmax}
local LSTM = {}
function LSTM.cell(vocab_size, rnn_size)
  local x = nn.Identity()()
  local prev_c = nn.Identity()()
  local prev_h = nn.Identity()()
  local xe = nn.CharOneHot(vocab_size)(x)
  local i2h = nn.Linear(vocab_size, 4 * rnn_size)(xe)
  local h2h = nn.Linear(rnn_size, 4 * rnn_size)(prev_h)
  local all = nn.CAddTable()({i2h, h2h})
  local chunks = nn.Reshape(4, rnn_size)(all)
  local n1, n2, n3, n4 = nn.SplitTable(2)(chunks):split(4)
  local in_gate = nn.Sigmoid()(n1)
  local forget_gate = nn.Sigmoid()(n2)
  local out_gate = nn.Sigmoid()(n3)
  local transform = nn.Tanh()(n4)
  local next_c = nn.CAddTable()({nn.CMulTable()({forget_gate, prev_c}), nn.CMulTable()({in_gate, transform})})
  local next_h = nn.CMulTable()({out_gate, nn.Tanh()(next_c)})
  local logsoft = nn.LogSoftMax()(nn.Linear(rnn_size, vocab_size)(next_h))
  return nn.gModule({x, prev_c, prev_h}, {next_c, next_h, logsoft})
end

-- the same cell T times, all sharing one set of parameters and gradients
function LSTM.clone_many(net, T)
  local clones = {}
  local params, grads = net:parameters()
  local mem = torch.MemoryFile('w'):binary()
  mem:writeObject(net)
  for t = 1, T do
    local reader = torch.MemoryFile(mem:storage(), 'r'):binary()
    local clone = reader:readObject()
    reader:close()
    local cp, cg = clone:parameters()
    for i = 1, #params do
      cp[i]:set(params[i])
      cg[i]:set(grads[i])
    end
    clones[t] = clone
  end
  mem:close()
  return clones
end
return LSTM
"""

ONEHOT = r"""
-- CharOneHot.lua: a layer of this project: indices -> one-hot rows
local CharOneHot, parent = torch.class('nn.CharOneHot', 'nn.Module')
function CharOneHot:__init(n)
  parent.__init(self)
  self.n = n
  self.eye = torch.eye(n)
end
function CharOneHot:updateOutput(input)
  self.output:resize(input:size(1), self.n):zero()
  self.output:copy(self.eye:index(1, input:long()))
  return self.output
end
function CharOneHot:updateGradInput(input, gradOutput)
  self.gradInput:resizeAs(input):zero()
  return self.gradInput
end
"""

TRAIN = r"""
require 'torch'
require 'nn'
require 'nngraph'
require 'optim'
require 'lfs'
local cjson = require 'cjson'
require 'CharOneHot'
local Loader = require 'loader'
local LSTM = require 'lstm'

local cmd = torch.CmdLine()
cmd:text('Train a tiny character-level LSTM')
cmd:option('-data_dir', 'data', 'folder with input.txt')
cmd:option('-config', 'config.json', 'JSON file with the model settings')
cmd:option('-max_iters', 30, 'iterations')
cmd:option('-seed', 123, 'random seed')
cmd:option('-checkpoint_dir', 'cv', 'where checkpoints go')
local opt = cmd:parse(arg)
torch.manualSeed(opt.seed)

local f = assert(io.open(opt.config))
local conf = cjson.decode(f:read('*a'))
f:close()

local loader = Loader.create(opt.data_dir, conf.batch_size, conf.seq_length)
print('vocab size: ' .. loader.vocab_size)
if not path.exists(opt.checkpoint_dir) then lfs.mkdir(opt.checkpoint_dir) end

local proto = LSTM.cell(loader.vocab_size, conf.rnn_size)
local criterion = nn.ClassNLLCriterion()
local params, grad_params = proto:getParameters()
params:uniform(-0.08, 0.08)
local clones = LSTM.clone_many(proto, conf.seq_length)
print('number of parameters: ' .. params:nElement())

local B, T, H = conf.batch_size, conf.seq_length, conf.rnn_size
local function feval(p)
  if p ~= params then params:copy(p) end
  grad_params:zero()
  local x, y = loader:next_batch()
  local c, h = {[0] = torch.zeros(B, H)}, {[0] = torch.zeros(B, H)}
  local preds, loss = {}, 0
  for t = 1, T do
    local out = clones[t]:forward({x[{{}, t}], c[t - 1], h[t - 1]})
    c[t], h[t], preds[t] = out[1]:clone(), out[2]:clone(), out[3]
    loss = loss + criterion:forward(preds[t], y[{{}, t}])
  end
  loss = loss / T
  local dc, dh = torch.zeros(B, H), torch.zeros(B, H)
  for t = T, 1, -1 do
    local dpred = criterion:backward(preds[t], y[{{}, t}])
    local g = clones[t]:backward({x[{{}, t}], c[t - 1], h[t - 1]}, {dc, dh, dpred})
    dc, dh = g[2]:clone(), g[3]:clone()
  end
  grad_params:div(T):clamp(-5, 5)
  return loss, grad_params
end

local state = {learningRate = conf.learning_rate, alpha = conf.decay_rate}
local first, last
for it = 1, opt.max_iters do
  local _, l = optim.rmsprop(feval, params, state)
  first = first or l[1]
  last = l[1]
  if it % 10 == 0 then print(string.format('%d/%d train_loss = %6.4f', it, opt.max_iters, l[1])) end
end
local name = path.join(opt.checkpoint_dir, string.format('lm_iter%d_%.4f.t7', opt.max_iters, last))
torch.save(name, {protos = {rnn = proto}, vocab = loader.vocab, conf = conf, opt = opt})
print('first loss ' .. string.format('%.4f', first) .. ' last loss ' .. string.format('%.4f', last))
print('saved ' .. name)
"""

SAMPLE = r"""
require 'torch'
require 'nn'
require 'nngraph'
require 'lfs'
require 'CharOneHot'
local cmd = torch.CmdLine()
cmd:argument('-model', 'checkpoint')
cmd:option('-length', 80, 'characters')
cmd:option('-primetext', 'First', 'start')
cmd:option('-seed', 7, 'seed')
local opt = cmd:parse(arg)
torch.manualSeed(opt.seed)
assert(lfs.attributes(opt.model, 'mode') == 'file', 'no checkpoint ' .. opt.model)
local cp = torch.load(opt.model)
local rnn = cp.protos.rnn
local ivocab = {}
for c, i in pairs(cp.vocab) do ivocab[i] = c end
local H = cp.conf.rnn_size
local c, h = torch.zeros(1, H), torch.zeros(1, H)
local out
local text = {opt.primetext}
for i = 1, #opt.primetext do
  local x = torch.Tensor({cp.vocab[opt.primetext:sub(i, i)]})
  out = rnn:forward({x, c, h})
  c, h = out[1]:clone(), out[2]:clone()
end
for i = 1, opt.length do
  local probs = torch.exp(out[3]):squeeze()
  local idx = torch.multinomial(probs:float(), 1):resize(1):float()
  text[#text + 1] = ivocab[idx[1]]
  out = rnn:forward({idx:double(), c, h})
  c, h = out[1]:clone(), out[2]:clone()
end
io.write(table.concat(text), '\n')
"""


# What Torch7's own `th` printed for this very project (train.lua -max_iters 30, then
# sample.lua <checkpoint> -length 60): same seed, so torchlua must print the same.
TH_TRAIN_OUTPUT = """vocab size: 34\t
number of parameters: 6610\t
10/30 train_loss = 3.3325\t
20/30 train_loss = 2.8948\t
30/30 train_loss = 2.9944\t
first loss 3.5009 last loss 2.9944\t
saved cv/lm_iter30_2.9944.t7\t
"""
TH_SAMPLE = "First AraewoewahRe  eC\nfhnsraee nYntn:dettB\npiFusA,hrtt eedodm.e \n"


def env():
    return {k: v for k, v in os.environ.items() if k not in ("LUA_PATH", "LUA_INIT", "TORCHLUA_DEBUG")}


def run(cwd, *args, timeout=600):
    return subprocess.run(TORCHLUA + [str(a) for a in args], cwd=cwd, env=env(), capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("charproject")
    (root / "data").mkdir()
    (root / "data" / "input.txt").write_text(TEXT)
    (root / "config.json").write_text(CONFIG)
    for name, src in [("loader.lua", LOADER), ("lstm.lua", LSTM), ("CharOneHot.lua", ONEHOT),
                      ("train.lua", TRAIN), ("sample.lua", SAMPLE)]:
        (root / name).write_text(src)
    return root


@pytest.fixture(scope="module")
def trained(project):
    r = run(project, "train.lua", "-max_iters", "30")
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_train_runs_learns_and_saves_a_checkpoint(project, trained):
    out = trained.stdout
    vocab = len(set(TEXT))
    assert "vocab size: %d" % vocab in out
    rnn = 24
    n_params = (vocab * 4 * rnn + 4 * rnn) + (rnn * 4 * rnn + 4 * rnn) + (rnn * vocab + vocab)
    assert "number of parameters: %d" % n_params in out
    m = re.search(r"first loss (\S+) last loss (\S+)", out)
    first, last = float(m.group(1)), float(m.group(2))
    assert abs(first - __import__("math").log(vocab)) < 0.2  # starts near uniform
    assert last < first - 0.5  # and learns
    saved = re.search(r"saved (\S+)", out).group(1)
    assert saved == "cv/lm_iter30_%.4f.t7" % last
    assert (project / saved).is_file()
    assert (project / "data" / "vocab.t7").is_file()
    # the same seed gives the same run
    again = run(project, "train.lua", "-max_iters", "30", "-checkpoint_dir", "cv2")
    assert again.returncode == 0, again.stderr
    assert re.search(r"last loss (\S+)", again.stdout).group(1) == m.group(2)


def test_same_output_as_torch7_th(project, trained):
    assert trained.stdout == TH_TRAIN_OUTPUT
    r = run(project, "sample.lua", "cv/lm_iter30_2.9944.t7", "-length", "60")
    assert r.stdout == TH_SAMPLE


def test_sample_from_checkpoint(project, trained):
    saved = re.search(r"saved (\S+)", trained.stdout).group(1)
    r = run(project, "sample.lua", saved, "-length", "60", "-primetext", "First")
    assert r.returncode == 0, r.stdout + r.stderr
    text = r.stdout.rstrip("\n")
    assert text.startswith("First") and len(text) == 65
    assert set(text) <= set(TEXT)
    r2 = run(project, "sample.lua", saved, "-length", "60", "-primetext", "First")
    assert r2.stdout == r.stdout
    r3 = run(project, "sample.lua", "cv/none.t7")
    assert r3.returncode == 1 and "no checkpoint cv/none.t7" in r3.stderr


def test_require_of_unknown_packages_says_what_torchlua_knows(tmp_path):
    (tmp_path / "s.lua").write_text("require 'qtlua'\n")
    r = run(tmp_path, "s.lua")
    assert r.returncode == 1
    assert "module 'qtlua' not found:" in r.stderr
    assert "torchlua has no 'qtlua': its GUI is not supported" in r.stderr
    (tmp_path / "s.lua").write_text("require 'some_private_lib'\n")
    r = run(tmp_path, "s.lua")
    assert "module 'some_private_lib' not found:" in r.stderr
    assert "torchlua does not know the package 'some_private_lib'" in r.stderr
    (tmp_path / "s.lua").write_text("print(pcall(require, 'threads'))\n")
    r = run(tmp_path, "s.lua")
    assert r.returncode == 0 and "torchlua has no 'threads'" in r.stdout
