"""add(t, value, src) on contiguous float tensors rounds once per element (a fused
multiply-add), as Torch7 does on a CPU with AVX2+FMA (BLAS axpy in place, its AVX2
loop otherwise); strided tensors round the product first, as TH's plain loop."""
import numpy as np
import pytest

import torchlua
from torchlua.core import fused_axpy

from th_arith import fma

pytestmark = pytest.mark.skipif(not fused_axpy.cpu_fuses(),
                                reason="TH fuses only on CPUs with AVX2 and FMA")


@pytest.fixture(scope="module")
def rt():
    return torchlua.Runtime()


@pytest.mark.parametrize("tname,dtype", [("torch.DoubleTensor", np.float64),
                                         ("torch.FloatTensor", np.float32)])
@pytest.mark.parametrize("n", [1, 7, 16, 37, 1000])
def test_contiguous_add_is_fused_in_every_form(rt, tname, dtype, n):
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(n)
    x = rng.random(n).astype(dtype)
    y = rng.random(n).astype(dtype)
    v = 0.3
    want = np.array([fma(dtype.type(v), b, a, dtype) for a, b in zip(x, y)], dtype)
    forms = rt.eval("""function(tname, x, y, v)
      local T = torch.getmetatable(tname).new
      local x, y = x:type(tname), y:type(tname)
      local inplace = x:clone():add(v, y)
      local new = torch.add(x, v, y)
      local into = T():resizeAs(x); into:add(x, v, y)
      local sub = x:clone():csub(-v, y)
      return inplace, new, into, sub
    end""")
    for got in forms(tname, x, y, v):
        assert np.array_equal(got.numpy(), want)


def test_strided_add_rounds_the_product_first(rt):
    rng = np.random.default_rng(5)
    x = rng.random((40, 2))
    y = rng.random((40, 2))
    got = rt.eval("function(x, y) return x:select(2, 1):clone():add(0.3, y:select(2, 1)) end")(x, y)
    xs, ys = x[:, 0], y[:, 0]
    assert np.array_equal(got.numpy(), xs + 0.3 * ys)
    fused = np.array([fma(0.3, b, a, np.dtype(np.float64)) for a, b in zip(xs, ys)])
    assert not np.array_equal(fused, xs + 0.3 * ys)   # the two roundings do differ here


def test_source_aliasing_the_result(rt):
    rng = np.random.default_rng(9)
    x = rng.random(33)
    y = rng.random(33)
    got = rt.eval("function(x, y) local y2 = y:clone(); y2:add(x, 0.7, y2); return y2 end")(x, y)
    want = np.array([fma(0.7, b, a, np.dtype(np.float64)) for a, b in zip(x, y)])
    assert np.array_equal(got.numpy(), want)


def test_seeded_update_matches_th(rt):
    # th: torch.manualSeed(1); x, y = torch.rand(21), torch.rand(21);
    # torch.add(x:float(), 0.3, y:float()), printed with %a
    th = ("0x1.05a252p-1 0x1.33e778p+0 0x1.c16074p-1 0x1.fcdf8cp-1 0x1.10b114p-3 0x1.90f506p-2 "
          "0x1.7c1d5cp-2 0x1.01db96p+0 0x1.3a7334p-2 0x1.bfb906p-2 0x1.7752e8p-2 0x1.0b25b8p-1 "
          "0x1.4b2f0cp-2 0x1.1c6cd2p-1 0x1.e62a3p-2 0x1.6c7932p-1 0x1.5b651ep-1 0x1.fd6ca4p-1 "
          "0x1.8b6f4cp-1 0x1.16271cp+0 0x1.4499c6p-1")
    got = rt.eval("""(function()
      torch.manualSeed(1)
      local x, y = torch.rand(21), torch.rand(21)
      local z = torch.add(x:float(), 0.3, y:float())
      local s = {}
      for i = 1, 21 do s[i] = string.format('%a', z[i]) end
      return table.concat(s, ' ')
    end)()""")
    assert got == th
