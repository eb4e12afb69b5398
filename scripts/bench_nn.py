"""Time nn: per-call overhead of small modules (the Lua/Python boundary), an
MLP training step, and the same step written directly in NumPy.

Usage: python scripts/bench_nn.py [iterations]
"""
import sys
import time

import numpy as np

import torchlua

SETUP = r"""
require 'nn'
torch.manualSeed(1)
B = {}
local small = nn.Linear(10, 10)
local x10 = torch.rand(10)
local tanh = nn.Tanh()
local x100 = torch.rand(100)
function B.linear_small() small:forward(x10) end
function B.linear_small_fb()
  small:forward(x10)
  small:backward(x10, x10)
end
function B.tanh_small() tanh:forward(x100) end

local mlp = nn.Sequential():add(nn.Linear(784, 100)):add(nn.Tanh()):add(nn.Linear(100, 10)):add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion()
local batch = torch.rand(32, 784)
local target = torch.LongTensor(32):random(1, 10)
local params, grads = mlp:getParameters()
function B.mlp_step()
  grads:zero()
  local out = mlp:forward(batch)
  crit:forward(out, target)
  mlp:backward(batch, crit:backward(out, target))
  params:add(-0.01, grads)
end
B.W1 = mlp.modules[1].weight
B.W2 = mlp.modules[3].weight
B.batch = batch
B.target = target
"""


def per_call(fn, n):
    fn()
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n


def numpy_step(w1, b1, w2, b2, x, t):
    h = np.tanh(x @ w1.T + b1)
    z = h @ w2.T + b2
    z = z - z.max(1, keepdims=True)
    lp = z - np.log(np.exp(z).sum(1, keepdims=True))
    g = np.zeros_like(lp)
    g[np.arange(len(t)), t] = -1.0 / len(t)
    gz = g - np.exp(lp) * g.sum(1, keepdims=True)
    gw2, gb2 = gz.T @ h, gz.sum(0)
    gh = (gz @ w2) * (1 - h * h)
    gw1, gb1 = gh.T @ x, gh.sum(0)
    for p, d in ((w1, gw1), (b1, gb1), (w2, gw2), (b2, gb2)):
        p -= 0.01 * d


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rt = torchlua.Runtime()
    rt.execute(SETUP)
    bench = rt.eval("B")
    # the same loop run from Lua, so the Python->Lua call is not counted
    loop = rt.eval("function(f, n) local t = torch.tic(); for i = 1, n do f() end; return torch.toc(t) / n end")
    for name in ("linear_small", "linear_small_fb", "tanh_small", "mlp_step"):
        reps = n if name != "mlp_step" else max(n // 10, 10)
        fn = bench[name]
        fn()
        print("%-18s %8.1f us/call" % (name, loop(fn, reps) * 1e6))
    rng = np.random.RandomState(0)
    w1, b1 = rng.rand(100, 784) * 0.07, rng.rand(100) * 0.07
    w2, b2 = rng.rand(10, 100) * 0.2, rng.rand(10) * 0.2
    x, t = rng.rand(32, 784), rng.randint(0, 10, 32)
    print("%-18s %8.1f us/call" % ("numpy_mlp_step", per_call(lambda: numpy_step(w1, b1, w2, b2, x, t),
                                                              max(n // 10, 10)) * 1e6))


if __name__ == "__main__":
    main()
