"""require 'cutorch' / 'cunn' / 'cudnn' without a GPU: CUDA types and modules that
compute on the CPU, so GPU scripts run unchanged (issue 13)."""
import struct
import subprocess
import sys
import textwrap

import pytest

import torchlua

TORCHLUA = [sys.executable, "-I", "-m", "torchlua"]


@pytest.fixture(scope="module")
def rt():
    r = torchlua.Runtime()
    r.execute("require 'cutorch'")
    return r


def run_script(tmp_path, text, name="script.lua"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return subprocess.run(TORCHLUA + [str(p)], capture_output=True, text=True, cwd=tmp_path,
                          timeout=300)


# -- types ---------------------------------------------------------------------
CUDA_TYPES = [
    ("torch.CudaTensor", "torch.CudaStorage", "cuda", "torch.FloatTensor"),
    ("torch.CudaLongTensor", "torch.CudaLongStorage", "cudaLong", "torch.LongTensor"),
    ("torch.CudaByteTensor", "torch.CudaByteStorage", "cudaByte", "torch.ByteTensor"),
    ("torch.CudaDoubleTensor", "torch.CudaDoubleStorage", "cudaDouble", "torch.DoubleTensor"),
]


@pytest.mark.parametrize("tname,sname,conv,cpu", CUDA_TYPES)
def test_types_report_cuda_names(rt, tname, sname, conv, cpu):
    r = rt.eval("""(function(tname, conv, cpu)
        local x = torch.Tensor{{1, 2, 3}, {4, 5, 6}}
        local c = x[conv](x)
        local back = c:type(cpu)
        return torch.type(c), torch.typename(c), torch.type(c:storage()),
               torch.type(x:type(tname)), torch.type(back), c:sum(), back:sum(),
               torch.type(torch.getconstructortable(tname)(2, 2)), type(c)
      end)(...)""", tname, conv, cpu)
    assert tuple(r) == (tname, tname, sname, tname, cpu, 21, 21, tname, "userdata")


def test_cuda_types_share_the_cpu_methods(rt):
    r = rt.eval("""(function()
        local a = torch.CudaTensor(3, 4):fill(2)
        local b = torch.range(1, 12):view(3, 4):cuda()
        local c = torch.cmul(a, b)
        local d = torch.mm(b, b:t())
        local v, i = b:max(2)
        local m = b:gt(6)
        a[2][3] = 7
        local s = b[{{2, 3}, {1, 2}}]
        local f = b:float()
        local e = b:clone():add(1):mul(0.5)
        return torch.type(c), c:sum(), torch.type(d), d[3][3], torch.type(v), v[3][1],
               a[2][3], torch.type(s), s:sum(), torch.type(f),
               (f:add(-1):cuda() - b):abs():max(), torch.type(e), e[1][1],
               torch.type(b + b), torch.type(b:t():contiguous())
      end)()""")
    assert tuple(r) == ("torch.CudaTensor", 156, "torch.CudaTensor", 12 * 12 + 11 * 11 + 10 * 10
                        + 9 * 9, "torch.CudaTensor", 12, 7, "torch.CudaTensor", 5 + 6 + 9 + 10,
                        "torch.FloatTensor", 1, "torch.CudaTensor", 1, "torch.CudaTensor",
                        "torch.CudaTensor")


def test_cuda_tensor_is_float32_and_cuda_long_is_int64(rt):
    r = rt.eval("""(function()
        local x = torch.CudaTensor{0.1}
        local l = torch.CudaLongTensor{2^40 + 1}
        return x[1] == torch.FloatTensor{0.1}[1], x[1] == 0.1, l[1], math.type and 0 or 1,
               l:storage()[1]
      end)()""")
    assert r[0] is True and r[1] is False
    assert r[2] == 2 ** 40 + 1 and r[4] == 2 ** 40 + 1


def test_random_fills_on_cuda_tensors_follow_the_seed(rt):
    r = rt.eval("""(function()
        cutorch.manualSeed(7)
        local a = torch.CudaTensor(5):uniform()
        torch.manualSeed(7)
        local b = torch.FloatTensor(5):uniform()
        cutorch.manualSeedAll(3)
        local c = torch.CudaTensor(2, 2):normal()
        return torch.type(a), (a:float() - b):abs():max(), torch.type(c)
      end)()""")
    assert tuple(r) == ("torch.CudaTensor", 0, "torch.CudaTensor")


def test_cuda_classes_only_after_require_cutorch():
    r = torchlua.Runtime()
    assert r.eval("torch.CudaTensor == nil and torch.CudaLongStorage == nil")
    # without cutorch, nn's :cuda() leaves a module as it is (as nn does)
    assert r.eval("torch.type(require('nn').Linear(2, 2):cuda().weight)") == "torch.DoubleTensor"
    r.execute("require 'cutorch'")
    assert r.eval("torch.type(torch.CudaTensor(2))") == "torch.CudaTensor"


def test_cutorch_functions(rt):
    r = rt.eval("""(function()
        local p = cutorch.getDeviceProperties(1)
        local free, total = cutorch.getMemoryUsage(1)
        cutorch.setDevice(1)
        cutorch.synchronize()
        local w = cutorch.withDevice(1, function() return cutorch.getDevice() + 41 end)
        local ok, err = pcall(cutorch.setDevice, 2)
        local ok2 = pcall(cutorch.withDevice, 1, function() error('inner') end)
        return cutorch.getDeviceCount(), cutorch.getDevice(), type(p.name),
               type(p.totalGlobalMem), free <= total, w, ok, tostring(err):find('device') ~= nil,
               ok2, torch.CudaTensor(2):getDevice()
      end)()""")
    assert tuple(r) == (1, 1, "string", "number", True, 42, False, True, False, 1)


def test_warning_printed_once_to_stderr(tmp_path):
    r = run_script(tmp_path, """
        require 'cutorch'
        require 'cunn'
        require 'cudnn'
        require 'cutorch'
        print(torch.type(torch.CudaTensor(1)))
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "torch.CudaTensor\t\n"
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "CPU" in lines[0]


# -- serialization ----------------------------------------------------------------
def _rename_class(data, old, new):
    """Rewrite a class name inside a binary t7 stream (length-prefixed strings)."""
    a = struct.pack("<i", len(old)) + old.encode()
    b = struct.pack("<i", len(new)) + new.encode()
    assert a in data
    return data.replace(a, b)


def test_t7_file_with_cuda_tensors_loads_as_cuda_tensors(tmp_path):
    src = tmp_path / "float.t7"
    gpu = tmp_path / "gpu.t7"
    r = torchlua.Runtime()
    r.execute("""local p = ...
        local x = torch.FloatTensor{{1.5, 2}, {3, 4}}
        torch.save(p, {weight = x, view = x:t(), n = 3})""", str(src))
    data = src.read_bytes()
    data = _rename_class(data, "torch.FloatTensor", "torch.CudaTensor")
    data = _rename_class(data, "torch.FloatStorage", "torch.CudaStorage")
    gpu.write_bytes(data)
    r.execute("require 'cutorch'")
    out = r.eval("""(function(p)
        local t = torch.load(p)
        return torch.type(t.weight), torch.type(t.weight:storage()), t.weight[1][1],
               t.view[1][2], t.n, torch.pointer(t.weight:storage()) == torch.pointer(t.view:storage())
      end)(...)""", str(gpu))
    assert tuple(out) == ("torch.CudaTensor", "torch.CudaStorage", 1.5, 3, 3, True)
    # written back by torchlua, the file names the CUDA classes as Torch7 on a GPU would
    back = tmp_path / "back.t7"
    r.execute("local a, b = ...; torch.save(b, torch.load(a))", str(gpu), str(back))
    raw = back.read_bytes()
    assert b"torch.CudaTensor" in raw and b"torch.CudaStorage" in raw
    assert b"torch.FloatTensor" not in raw


# -- cunn / cudnn -------------------------------------------------------------------
def test_cudnn_modules_print_as_cudnn(rt):
    rt.execute("require 'cudnn'")
    r = rt.eval("""(function()
        return tostring(cudnn.SpatialConvolution(3, 8, 5, 5, 1, 1, 2, 2)),
               tostring(cudnn.SpatialMaxPooling(2, 2, 2, 2)),
               tostring(cudnn.SpatialAveragePooling(3, 3, 1, 1)),
               tostring(cudnn.ReLU(true)), tostring(cudnn.Tanh()), tostring(cudnn.Sigmoid()),
               tostring(cudnn.SoftMax()), tostring(cudnn.LogSoftMax()),
               tostring(cudnn.SpatialBatchNormalization(4)), tostring(cudnn.BatchNormalization(4)),
               tostring(cudnn.SpatialCrossMapLRN(5)),
               tostring(cudnn.VolumetricConvolution(1, 2, 3, 3, 3)),
               cudnn.benchmark, cudnn.fastest
      end)()""")
    assert tuple(r) == (
        "cudnn.SpatialConvolution(3 -> 8, 5x5, 1,1, 2,2)", "cudnn.SpatialMaxPooling(2x2, 2,2)",
        "cudnn.SpatialAveragePooling(3x3, 1,1)", "cudnn.ReLU", "cudnn.Tanh", "cudnn.Sigmoid",
        "cudnn.SoftMax", "cudnn.LogSoftMax", "cudnn.SpatialBatchNormalization",
        "cudnn.BatchNormalization", "cudnn.SpatialCrossMapLRN",
        "cudnn.VolumetricConvolution(1 -> 2, 3x3x3)", False, False)


def test_cudnn_modules_compute_as_nn(rt):
    rt.execute("require 'cudnn'")
    r = rt.eval("""(function()
        torch.manualSeed(1)
        local x = torch.randn(2, 3, 8, 8):cuda()
        local pairs_ = {
          {cudnn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1), nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)},
          {cudnn.SpatialMaxPooling(2, 2, 2, 2), nn.SpatialMaxPooling(2, 2, 2, 2)},
          {cudnn.SpatialAveragePooling(2, 2, 2, 2), nn.SpatialAveragePooling(2, 2, 2, 2)},
          {cudnn.ReLU(), nn.ReLU()}, {cudnn.Tanh(), nn.Tanh()}, {cudnn.Sigmoid(), nn.Sigmoid()},
          {cudnn.SpatialBatchNormalization(3), nn.SpatialBatchNormalization(3)},
          {cudnn.SpatialCrossMapLRN(3), nn.SpatialCrossMapLRN(3)},
        }
        local worst = 0
        for _, p in ipairs(pairs_) do
          local a, b = p[1]:cuda(), p[2]:float()
          if a.weight then b.weight:copy(a.weight); b.bias:copy(a.bias) end
          local ya = a:forward(x)
          local yb = b:forward(x:float())
          assert(torch.type(ya) == 'torch.CudaTensor', torch.type(a))
          worst = math.max(worst, (ya:float() - yb):abs():max())
          local g = ya:clone():fill(1)
          local ga = a:backward(x, g)
          local gb = b:backward(x:float(), g:float())
          worst = math.max(worst, (ga:float() - gb):abs():max())
        end
        local sm = cudnn.SoftMax():cuda():forward(torch.randn(2, 5):cuda())
        local lsm = cudnn.LogSoftMax():cuda():forward(torch.randn(2, 5):cuda())
        return worst, math.abs(sm:sum() - 2) < 1e-5, lsm:exp():sum()
      end)()""")
    assert r[0] == 0 and r[1] is True and abs(r[2] - 2) < 1e-5


def test_cudnn_convert_both_ways(rt):
    rt.execute("require 'cudnn'")
    r = rt.eval("""(function()
        local net = nn.Sequential()
          :add(nn.SpatialConvolution(1, 2, 3, 3)):add(nn.ReLU()):add(nn.SpatialMaxPooling(2, 2))
          :add(nn.View(-1)):add(nn.Linear(2 * 3 * 3, 2)):add(nn.LogSoftMax())
        local w = net:get(1).weight
        cudnn.convert(net, cudnn)
        local t1 = {}
        for i = 1, #net.modules do t1[i] = torch.type(net:get(i)) end
        local same = net:get(1).weight == w
        cudnn.convert(net, nn)
        local t2 = {}
        for i = 1, #net.modules do t2[i] = torch.type(net:get(i)) end
        return table.concat(t1, ','), table.concat(t2, ','), same
      end)()""")
    assert r[0] == ("cudnn.SpatialConvolution,cudnn.ReLU,cudnn.SpatialMaxPooling,nn.View,"
                    "nn.Linear,cudnn.LogSoftMax")
    assert r[1] == "nn.SpatialConvolution,nn.ReLU,nn.SpatialMaxPooling,nn.View,nn.Linear,nn.LogSoftMax"
    assert r[2] is True


LEGACY = """
require 'nn'
require 'optim'
{gpu_require}
torch.setdefaulttensortype('torch.FloatTensor')
torch.manualSeed(123)
local net = nn.Sequential()
net:add(nn.SpatialConvolution(3, 6, 3, 3, 1, 1, 1, 1))
net:add(nn.ReLU())
net:add(nn.SpatialMaxPooling(2, 2, 2, 2))
net:add(nn.SpatialConvolution(6, 4, 3, 3))
net:add(nn.Tanh())
net:add(nn.View(4 * 2 * 2))
net:add(nn.Linear(4 * 2 * 2, 3))
net:add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
local inputs = torch.randn(4, 3, 8, 8)
local targets = torch.Tensor{{1, 3, 2, 1}}
{gpu_convert}
local params, grads = net:getParameters()
local state = {{learningRate = 0.1, momentum = 0.9}}
for step = 1, 2 do
  local function feval(p)
    grads:zero()
    local out = net:forward(inputs)
    local loss = criterion:forward(out, targets)
    net:backward(inputs, criterion:backward(out, targets))
    return loss, grads
  end
  local _, fs = optim.sgd(feval, params, state)
  print(string.format('step %d loss %.10f', step, fs[1]))
end
print(string.format('final %.10f', criterion:forward(net:forward(inputs), targets)))
print(torch.type(net.output))
"""


def test_legacy_gpu_script_gives_the_cpu_loss(tmp_path):
    gpu = LEGACY.format(
        gpu_require="require 'cunn'\nrequire 'cudnn'\ncudnn.benchmark = true\ncudnn.fastest = true",
        gpu_convert=("net = net:cuda()\ncriterion = criterion:cuda()\n"
                     "inputs = inputs:cuda()\ntargets = targets:cuda()\n"
                     "cudnn.convert(net, cudnn)\ncutorch.synchronize()"))
    cpu = LEGACY.format(gpu_require="", gpu_convert="")
    rg = run_script(tmp_path, gpu, "gpu.lua")
    rc = run_script(tmp_path, cpu, "cpu.lua")
    assert rg.returncode == 0, rg.stderr
    assert rc.returncode == 0, rc.stderr
    # (th's print ends each printed value with a tab)
    g = [l.rstrip("\t") for l in rg.stdout.splitlines()]
    c = [l.rstrip("\t") for l in rc.stdout.splitlines()]
    assert g[-1] == "torch.CudaTensor" and c[-1] == "torch.FloatTensor"
    assert [l for l in g if l.startswith(("step", "final"))] == \
           [l for l in c if l.startswith(("step", "final"))]
    assert len([l for l in g if l.startswith("step")]) == 2
    losses = [float(l.split()[-1]) for l in g if l.startswith(("step", "final"))]
    assert losses[2] < losses[0]      # two SGD steps lowered the loss
    assert rg.stderr.count("CPU") == 1
