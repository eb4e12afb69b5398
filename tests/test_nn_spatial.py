"""nn's spatial modules (lua_prelude/nn/Spatial*.lua over torchlua/core/nn_kernels_api.py).

torch/nn at HEAD is the spec.  Every module is compared with a direct NumPy
reference computed from its own weights on small odd-sized inputs (strides,
padding, dilation, ceil mode), and gradient-checked with nn.Jacobian (finite
differences) for the input and the parameters.  Nothing here is a stored result.
"""
import numpy as np
import pytest

import torchlua


def _nn_missing():
    try:
        torchlua.Runtime().execute("require 'nn'")
    except Exception as e:  # nn's first part is written in parallel
        return str(e).splitlines()[0]
    return None


_MISSING = _nn_missing()
pytestmark = pytest.mark.skipif(_MISSING is not None, reason=f"require 'nn' fails: {_MISSING}")

PRELUDE = "require 'nn'; if not nn.SpatialConvolution then require 'nn.init_spatial' end"


@pytest.fixture(scope="module")
def rt():
    r = torchlua.Runtime()
    r.execute(PRELUDE)
    r.execute(JAC)
    return r


# jac(m, x, eps): max finite-difference error of the input gradient and of every
# parameter's gradient (nn.Jacobian, as upstream's test.lua does)
JAC = r"""
function jac(m, x)
  local errs = {nn.Jacobian.testJacobian(m, x)}
  local p, gp = m:parameters()
  if p then
    for i = 1, #p do
      errs[#errs + 1] = nn.Jacobian.testJacobianParameters(m, x, p[i], gp[i])
    end
  end
  local worst = 0
  for _, e in ipairs(errs) do worst = math.max(worst, e) end
  return worst
end
"""


def run(rt, code, *args):
    res = rt.execute(code, *args)
    if not isinstance(res, tuple):
        res = (res,)
    return tuple(v.numpy().copy() if hasattr(v, "numpy") else v for v in res)


def fwd(rt, ctor, x, extra=""):
    """Build `ctor` (Lua), forward x; returns output, weight, bias (or None)."""
    code = f"""
      local x = ...
      m = {ctor}
      {extra}
      local y = m:forward(x)
      return y, m.weight or torch.Tensor(), m.bias or torch.Tensor()
    """
    y, w, b = run(rt, code, x)
    return y, w, (b if b.size else None)


def grad_ok(rt, x, tol=1e-6):
    """Jacobian check of the module `m` built by the last fwd() (on a copy of x:
    nn.Jacobian refills its input with random values)."""
    err = run(rt, "return jac(m, ...)", np.array(x, copy=True))[0]
    assert err < tol, err


RNG = np.random.RandomState(0)


def rand(*shape):
    return RNG.uniform(-1, 1, size=shape)


# ---------------------------------------------------------------------------
# NumPy references

def ref_conv2d(x, w, b, dW, dH, pW, pH, dilW=1, dilH=1):
    x4 = x if x.ndim == 4 else x[None]
    N, C, H, W = x4.shape
    nOut, _, kH, kW = w.shape
    xp = np.pad(x4, ((0, 0), (0, 0), (pH, pH), (pW, pW)))
    oH = (H + 2 * pH - (dilH * (kH - 1) + 1)) // dH + 1
    oW = (W + 2 * pW - (dilW * (kW - 1) + 1)) // dW + 1
    out = np.zeros((N, nOut, oH, oW))
    for i in range(oH):
        for j in range(oW):
            patch = xp[:, :, i * dH:i * dH + dilH * (kH - 1) + 1:dilH,
                       j * dW:j * dW + dilW * (kW - 1) + 1:dilW]
            out[:, :, i, j] = np.einsum("ncyx,ocyx->no", patch, w)
    if b is not None:
        out += b[None, :, None, None]
    return out if x.ndim == 4 else out[0]


def ref_full_conv2d(x, w, b, dW, dH, pW, pH, aW, aH):
    x4 = x if x.ndim == 4 else x[None]
    N, C, H, W = x4.shape
    _, nOut, kH, kW = w.shape
    fH, fW = (H - 1) * dH + kH, (W - 1) * dW + kW
    full = np.zeros((N, nOut, fH + aH, fW + aW))
    for i in range(H):
        for j in range(W):
            full[:, :, i * dH:i * dH + kH, j * dW:j * dW + kW] += np.einsum(
                "nc,coyx->noyx", x4[:, :, i, j], w)
    out = full[:, :, pH:pH + (H - 1) * dH - 2 * pH + kH + aH,
               pW:pW + (W - 1) * dW - 2 * pW + kW + aW]
    if b is not None:
        out = out + b[None, :, None, None]
    return out if x.ndim == 4 else out[0]


def pool_size(n, k, d, p, ceil, dil=1):
    eff = dil * (k - 1) + 1
    f = (n + 2 * p - eff) / d
    o = int(np.ceil(f) if ceil else np.floor(f)) + 1
    if p and (o - 1) * d >= n + p:
        o -= 1
    return o


def ref_maxpool(x, kW, kH, dW, dH, pW, pH, ceil=False, dilW=1, dilH=1):
    H, W = x.shape[-2:]
    oH = pool_size(H, kH, dH, pH, ceil, dilH)
    oW = pool_size(W, kW, dW, pW, ceil, dilW)
    out = np.full(x.shape[:-2] + (oH, oW), -np.inf)
    idx = np.zeros(out.shape, np.int64)
    for i in range(oH):
        for j in range(oW):
            for ky in range(kH):
                for kx in range(kW):
                    y = i * dH - pH + ky * dilH
                    z = j * dW - pW + kx * dilW
                    if 0 <= y < H and 0 <= z < W:
                        v = x[..., y, z]
                        better = v > out[..., i, j]
                        out[..., i, j] = np.where(better, v, out[..., i, j])
                        idx[..., i, j] = np.where(better, y * W + z + 1, idx[..., i, j])
    return out, idx


def ref_avgpool(x, kW, kH, dW, dH, pW, pH, ceil=False, include_pad=True):
    H, W = x.shape[-2:]
    oH = pool_size(H, kH, dH, pH, ceil)
    oW = pool_size(W, kW, dW, pW, ceil)
    out = np.zeros(x.shape[:-2] + (oH, oW))
    for i in range(oH):
        for j in range(oW):
            y0, x0 = i * dH - pH, j * dW - pW
            y1, x1 = min(y0 + kH, H + pH), min(x0 + kW, W + pW)
            size = (y1 - y0) * (x1 - x0)
            y0c, x0c, y1c, x1c = max(y0, 0), max(x0, 0), min(y1, H), min(x1, W)
            s = x[..., y0c:y1c, x0c:x1c].sum(axis=(-2, -1))
            div = size if include_pad else (y1c - y0c) * (x1c - x0c)
            out[..., i, j] = s / div
    return out


# ---------------------------------------------------------------------------
# SpatialConvolution(+MM)

def test_print_spatial_convolution(rt):
    got = run(rt, """return tostring(nn.SpatialConvolution(3,16,5,5)),
      tostring(nn.SpatialConvolution(3,16,5,5,2,2,1,1)),
      tostring(nn.SpatialConvolution(3,16,5,5,1,1,2,2)),
      tostring(nn.SpatialConvolution(3,16,5,5):noBias()),
      tostring(nn.SpatialConvolutionMM(3,16,5,3,1,2)),
      tostring(nn.SpatialMaxPooling(2,2,2,2)), tostring(nn.SpatialMaxPooling(3,3,2,2,1,1)),
      tostring(nn.SpatialAveragePooling(2,2,2,2)),
      tostring(nn.SpatialBatchNormalization(16)), tostring(nn.SpatialZeroPadding(1,1,1,1))""")
    assert got == ("nn.SpatialConvolution(3 -> 16, 5x5)",
                   "nn.SpatialConvolution(3 -> 16, 5x5, 2,2, 1,1)",
                   "nn.SpatialConvolution(3 -> 16, 5x5, 1,1, 2,2)",
                   "nn.SpatialConvolution(3 -> 16, 5x5) without bias",
                   "nn.SpatialConvolutionMM(3 -> 16, 5x3, 1,2)",
                   "nn.SpatialMaxPooling(2x2, 2,2)", "nn.SpatialMaxPooling(3x3, 2,2, 1,1)",
                   "nn.SpatialAveragePooling(2x2, 2,2)",
                   "nn.SpatialBatchNormalization (4D) (16)",
                   "nn.SpatialZeroPadding(l=1, r=1, t=1, b=1)")


def test_print_in_sequential(rt):
    out = run(rt, """local s = nn.Sequential()
      s:add(nn.SpatialConvolution(3, 128, 9, 9, 9, 9, 1, 1))
      s:add(nn.SpatialMaxPooling(2, 2))
      return tostring(s)""")[0]
    assert out == ("nn.Sequential {\n  [input -> (1) -> (2) -> output]\n"
                   "  (1): nn.SpatialConvolution(3 -> 128, 9x9, 9,9, 1,1)\n"
                   "  (2): nn.SpatialMaxPooling(2x2, 2,2)\n}")


def test_reset_draws_weight_then_bias(rt):
    # the same stream drawn by hand: weight:uniform(-stdv, stdv) then bias
    same = run(rt, """
      torch.manualSeed(7)
      local m = nn.SpatialConvolution(3, 4, 5, 3)
      torch.manualSeed(7)
      local stdv = 1 / math.sqrt(5 * 3 * 3)
      local w = torch.Tensor(4, 3, 3, 5):uniform(-stdv, stdv)
      local b = torch.Tensor(4):uniform(-stdv, stdv)
      return m.weight:equal(w) and m.bias:equal(b), m.weight:size(1), m.weight:size(3),
        m.weight:size(4), m.weight:max() <= stdv""")
    assert same == (True, 4, 3, 5, True)
    mm = run(rt, """
      torch.manualSeed(3); local a = nn.SpatialConvolution(2, 3, 3, 3)
      torch.manualSeed(3); local b = nn.SpatialConvolutionMM(2, 3, 3, 3)
      return a.weight:view(3, 18):equal(b.weight) and a.bias:equal(b.bias), b.weight:dim()""")
    assert mm == (True, 2)


@pytest.mark.parametrize("a,shape", [
    ((3, 4, 3, 3, 1, 1, 0, 0), (2, 3, 7, 6)),
    ((3, 4, 3, 5, 2, 1, 1, 2), (2, 3, 9, 7)),
    ((2, 3, 2, 3, 3, 2, 2, 0), (2, 7, 5)),
])
def test_spatial_convolution_matches_reference(rt, a, shape):
    x = rand(*shape)
    nIn, nOut, kW, kH, dW, dH, pW, pH = a
    args = ", ".join(map(str, a))
    for ctor in ("nn.SpatialConvolution", "nn.SpatialConvolutionMM"):
        y, w, b = fwd(rt, f"{ctor}({args})", x)
        w = w.reshape(nOut, nIn, kH, kW)
        np.testing.assert_allclose(y, ref_conv2d(x, w, b, dW, dH, pW, pH), rtol=1e-12, atol=1e-12)
        grad_ok(rt, x)
    # default arguments: stride 1, padH = padW
    y, w, b = fwd(rt, f"nn.SpatialConvolution({nIn}, {nOut}, {kW}, {kH}, 1, 1, 1)", x)
    np.testing.assert_allclose(y, ref_conv2d(x, w, b, 1, 1, 1, 1), rtol=1e-12, atol=1e-12)


def test_spatial_convolution_no_bias_and_scale(rt):
    x = rand(2, 2, 5, 5)
    y, w, b = fwd(rt, "nn.SpatialConvolution(2, 3, 3, 3):noBias()", x)
    assert b is None
    np.testing.assert_allclose(y, ref_conv2d(x, w, None, 1, 1, 0, 0), atol=1e-12)
    grad_ok(rt, x)
    # accGradParameters(scale) accumulates scale * gradient
    gw1, gw2 = run(rt, """local x = ...
      local m = nn.SpatialConvolution(2, 3, 3, 3)
      local go = torch.randn(2, 3, 3, 3)
      m:zeroGradParameters(); m:forward(x); m:backward(x, go)
      local g1 = m.gradWeight:clone()
      m:backward(x, go, 0.5)
      return g1, m.gradWeight""", x)
    np.testing.assert_allclose(gw2, 1.5 * gw1, rtol=1e-12)


def test_float_stays_float(rt):
    x = rand(2, 3, 6, 5).astype(np.float32)
    t = run(rt, """local x = ...
      local m = nn.SpatialConvolution(3, 2, 3, 3, 1, 1, 1, 1):float()
      local y = m:forward(x)
      local gi = m:backward(x, y:clone():fill(1))
      local p = nn.SpatialMaxPooling(2, 2):float()
      return torch.type(y), torch.type(gi), torch.type(m.gradWeight),
        torch.type(p:forward(x)), y""", x)
    assert t[:4] == ("torch.FloatTensor",) * 4
    assert t[4].dtype == np.float32


def test_shape_errors(rt):
    e = run(rt, """local m = nn.SpatialConvolution(2, 3, 3, 3)
      local ok1, e1 = pcall(function() return m:forward(torch.randn(3, 5, 5)) end)
      local ok2, e2 = pcall(function() return m:forward(torch.randn(5, 5)) end)
      local ok3, e3 = pcall(function() return m:forward(torch.LongTensor(2, 5, 5)) end)
      local ok4, e4 = pcall(function() return m:forward(torch.randn(2, 2, 2)) end)
      return e1, e2, e3, e4""")
    assert e[0].endswith("Need input of dimension 3 and input.size[0] == 2 but got input to "
                         "be of shape: [3 x 5 x 5]")
    assert e[1].endswith("bad argument #2 to 'v' (3D or 4D input tensor expected but got: [5 x 5])")
    assert e[2].endswith("torch.LongTensor.THNN backend not imported")
    assert "Output size is too small" in e[3]
    # the error carries the caller's chunk and line, not the prelude's
    assert not any("lua_prelude" in s for s in e)


def test_dilated_convolution(rt):
    x = rand(2, 2, 9, 8)
    y, w, b = fwd(rt, "nn.SpatialDilatedConvolution(2, 3, 3, 2, 2, 1, 1, 2, 2, 3)", x)
    np.testing.assert_allclose(y, ref_conv2d(x, w, b, 2, 1, 1, 2, 2, 3), atol=1e-12)
    grad_ok(rt, x)
    s = run(rt, "return tostring(nn.SpatialDilatedConvolution(2, 3, 3, 3, 1, 1, 1, 1, 2, 2))")[0]
    assert s == "nn.SpatialDilatedConvolution(2 -> 3, 3x3, 1,1, 1,1, 2,2)"


def test_full_convolution(rt):
    x = rand(2, 2, 4, 3)
    y, w, b = fwd(rt, "nn.SpatialFullConvolution(2, 3, 3, 2, 2, 3, 1, 0, 1, 2)", x)
    np.testing.assert_allclose(y, ref_full_conv2d(x, w, b, 2, 3, 1, 0, 1, 2), atol=1e-12)
    grad_ok(rt, x)
    # {input, target}: adj from the target's size; zero gradient for the target
    out = run(rt, """local x = ...
      local m = nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1)
      local t = torch.randn(2, 3, 8, 6)
      local y = m:forward({x, t})
      local gi = m:backward({x, t}, y:clone():fill(1))
      return y:size(3), y:size(4), gi[2]:sum(), gi[1]:size(4), tostring(m)""", x)
    assert out == (8, 6, 0, 3, "nn.SpatialFullConvolution(2 -> 3, 3x3, 2,2, 1,1)")


def test_convolution_local(rt):
    x = rand(2, 2, 6, 5)
    y, w, b = fwd(rt, "nn.SpatialConvolutionLocal(2, 3, 5, 6, 3, 2, 2, 1, 1, 0)", x)
    oH, oW = w.shape[:2]
    xp = np.pad(x, ((0, 0), (0, 0), (0, 0), (1, 1)))
    ref = np.zeros((2, 3, oH, oW))
    for i in range(oH):
        for j in range(oW):
            patch = xp[:, :, i:i + 2, j * 2:j * 2 + 3]
            ref[:, :, i, j] = np.einsum("ncyx,ocyx->no", patch, w[i, j]) + b[:, i, j]
    np.testing.assert_allclose(y, ref, atol=1e-12)
    grad_ok(rt, x)
    e = run(rt, """local m = nn.SpatialConvolutionLocal(2, 3, 5, 6, 3, 2)
      return select(2, pcall(m.forward, m, torch.randn(2, 5, 5))), tostring(m)""")
    assert e[0].endswith("Given input size: (2x5x5) inconsistent with expected input size: (2x6x5).")
    assert e[1] == "nn.SpatialConvolutionLocal(2 -> 3, 5x6, 3x2)"


def test_convolution_map_and_tables(rt):
    x = rand(2, 3, 6, 5)
    code = "nn.SpatialConvolutionMap(torch.Tensor{{1,1},{2,1},{3,2},{1,2},{2,3}}, 3, 2, 1, 2)"
    y, w, b = fwd(rt, code, x)
    conn = [(0, 0), (1, 0), (2, 1), (0, 1), (1, 2)]
    ref = np.zeros((2, 3, 3, 3)) + b[None, :, None, None]
    for k, (i, o) in enumerate(conn):
        ref[:, o] += ref_conv2d(x[:, i:i + 1], w[k][None, None], None, 1, 2, 0, 0)[:, 0]
    np.testing.assert_allclose(y, ref, atol=1e-12)
    grad_ok(rt, x)
    full, one, rnd = run(rt, """torch.manualSeed(1)
      local r = nn.tables.random(5, 4, 2)
      return nn.tables.full(2, 3), nn.tables.oneToOne(3), r""")
    assert full.tolist() == [[1, 1], [2, 1], [1, 2], [2, 2], [1, 3], [2, 3]]
    assert one.tolist() == [[1, 1], [2, 2], [3, 3]]
    assert rnd[:, 1].tolist() == [1, 1, 2, 2, 3, 3, 4, 4]
    # inputs of an output plane are distinct, drawn from permutations of 1..5
    for o in range(4):
        assert len(set(rnd[2 * o:2 * o + 2, 0])) == 2
    assert set(rnd[:, 0]) <= {1, 2, 3, 4, 5}
    # reset: per-kernel stdv from the fan-in of its output plane
    fan = run(rt, """local m = nn.SpatialConvolutionMap(nn.tables.full(4, 2), 3, 3)
      return m.weight:abs():max(), m.bias:abs():max()""")
    assert fan[0] <= 1 / np.sqrt(9 * 4) and fan[1] <= 1 / np.sqrt(9 * 4)


def test_full_convolution_map(rt):
    x = rand(2, 3, 4)
    y, w, b = fwd(rt, "nn.SpatialFullConvolutionMap(torch.Tensor{{1,1},{2,1},{1,2}}, 3, 2, 2, 1)", x)
    ref = np.zeros((2, (3 - 1) * 1 + 2, (4 - 1) * 2 + 3)) + b[:, None, None]
    for k, (i, o) in enumerate([(0, 0), (1, 0), (0, 1)]):
        for r in range(3):
            for c in range(4):
                ref[o, r:r + 2, 2 * c:2 * c + 3] += x[i, r, c] * w[k]
    np.testing.assert_allclose(y, ref, atol=1e-12)
    grad_ok(rt, x)


def test_depthwise_convolution(rt):
    x = rand(2, 3, 6, 6)
    y, w, b = fwd(rt, "nn.SpatialDepthWiseConvolution(3, 2, 3, 3, 2, 1, 1, 0)", x)
    assert w.shape == (2, 3, 3, 3)      # reshaped by the first call, as THNN does
    ref = np.zeros(y.shape)
    for i in range(3):
        ref[:, 2 * i:2 * i + 2] = ref_conv2d(x[:, i:i + 1], w[:, i:i + 1], b[:, i], 2, 1, 1, 0)
    np.testing.assert_allclose(y, ref, atol=1e-12)
    grad_ok(rt, x)
    # non-square planes: THNN reads them as (W x H) row-major
    x2 = rand(3, 4, 7)
    y2, w2, b2 = fwd(rt, "nn.SpatialDepthWiseConvolution(3, 2, 3, 3)", x2)
    xr = np.ascontiguousarray(x2).reshape(3, 7, 4)
    ref2 = np.concatenate([ref_conv2d(xr[i:i + 1], w2[:, i:i + 1], b2[:, i], 1, 1, 0, 0)
                           for i in range(3)])
    np.testing.assert_allclose(y2, ref2, atol=1e-12)


def test_subsampling(rt):
    x = rand(2, 3, 7, 6)
    y, w, b = fwd(rt, "nn.SpatialSubSampling(3, 3, 2, 2, 2)", x)
    ref = ref_conv2d(x.reshape(6, 1, 7, 6), np.ones((1, 1, 2, 3)), None, 2, 2, 0, 0)
    ref = ref.reshape(2, 3, 3, 2) * w[None, :, None, None] + b[None, :, None, None]
    np.testing.assert_allclose(y, ref, atol=1e-12)
    grad_ok(rt, x)
    e = run(rt, "return select(2, pcall(function() return nn.SpatialSubSampling(3, 3, 3):forward(torch.randn(2, 5, 5)) end))")[0]
    assert e.endswith("bad argument #2 to 'v' (invalid number of input planes)")


# ---------------------------------------------------------------------------
# pooling

@pytest.mark.parametrize("ctor,ceil", [
    ("nn.SpatialMaxPooling(3, 3, 2, 2)", False),
    ("nn.SpatialMaxPooling(3, 2, 2, 2, 1, 1):ceil()", True),
    ("nn.SpatialMaxPooling(2, 2)", False),
])
def test_max_pooling(rt, ctor, ceil):
    x = rand(2, 3, 7, 6)
    y, *_ = fwd(rt, ctor, x)
    ind = run(rt, "return m.indices")[0]
    a = [int(v) for v in ctor.split("(")[1].split(")")[0].split(",")]
    kW, kH = a[0], a[1]
    dW, dH = (a[2], a[3]) if len(a) > 2 else (kW, kH)
    pW, pH = (a[4], a[5]) if len(a) > 4 else (0, 0)
    ry, ri = ref_maxpool(x, kW, kH, dW, dH, pW, pH, ceil)
    np.testing.assert_array_equal(y, ry)
    np.testing.assert_array_equal(ind, ri)
    grad_ok(rt, x)


def test_max_pooling_ceil_floor_sizes(rt):
    sizes = run(rt, """local x = torch.randn(1, 6, 6)
      local a = nn.SpatialMaxPooling(3, 3, 2, 2):forward(x):size(3)
      local b = nn.SpatialMaxPooling(3, 3, 2, 2):ceil():forward(x):size(3)
      local c = nn.SpatialMaxPooling(3, 3, 2, 2):ceil():floor():forward(x):size(3)
      return a, b, c""")
    assert sizes == (2, 3, 2)


def test_dilated_max_pooling(rt):
    x = rand(2, 2, 9, 8)
    y, *_ = fwd(rt, "nn.SpatialDilatedMaxPooling(2, 3, 2, 1, 1, 0, 2, 2)", x)
    ry, ri = ref_maxpool(x, 2, 3, 2, 1, 1, 0, False, 2, 2)
    np.testing.assert_array_equal(y, ry)
    np.testing.assert_array_equal(run(rt, "return m.indices")[0], ri)
    grad_ok(rt, x)
    assert run(rt, "return tostring(m)")[0] == "nn.SpatialDilatedMaxPooling(2x3, 2,1, 1,0, 2,2)"


def test_max_unpooling(rt):
    x = rand(2, 2, 6, 4)
    y, ux, g = run(rt, """local x = ...
      local p = nn.SpatialMaxPooling(2, 2)
      m = nn.SpatialMaxUnpooling(p)
      local y = p:forward(x)
      local u = m:forward(y)
      local g = m:backward(y, u:clone():fill(1))
      return y, u, g""", x)
    ry, ri = ref_maxpool(x, 2, 2, 2, 2, 0, 0)
    ref = np.zeros_like(x)
    flat = ref.reshape(2, 2, -1)
    np.put_along_axis(flat, ri.reshape(2, 2, -1) - 1, ry.reshape(2, 2, -1), axis=2)
    np.testing.assert_array_equal(ux, ref)
    np.testing.assert_array_equal(g, np.ones_like(y))
    assert run(rt, "return tostring(m)")[0] == \
        "nn.SpatialMaxUnpooling associated to nn.SpatialMaxPooling(2x2, 2,2)"


@pytest.mark.parametrize("ctor,ceil,incl", [
    ("nn.SpatialAveragePooling(3, 3, 2, 2)", False, True),
    ("nn.SpatialAveragePooling(3, 2, 2, 1, 1, 1)", False, True),
    ("nn.SpatialAveragePooling(3, 2, 2, 1, 1, 1):setCountExcludePad()", False, False),
    ("nn.SpatialAveragePooling(2, 2, 2, 2, 1, 1):ceil()", True, True),
    ("nn.SpatialAveragePooling(2, 3, 2, 2, 1, 1):ceil():setCountExcludePad()", True, False),
])
def test_average_pooling(rt, ctor, ceil, incl):
    x = rand(2, 3, 7, 6)
    y, *_ = fwd(rt, ctor, x)
    a = [int(v) for v in ctor.split("(")[1].split(")")[0].split(",")]
    kW, kH, dW, dH = a[0], a[1], a[2], a[3]
    pW, pH = (a[4], a[5]) if len(a) > 4 else (0, 0)
    np.testing.assert_allclose(y, ref_avgpool(x, kW, kH, dW, dH, pW, pH, ceil, incl),
                               rtol=1e-12, atol=1e-12)
    grad_ok(rt, x)


def test_adaptive_pooling(rt):
    x = rand(2, 2, 7, 5)
    y, *_ = fwd(rt, "nn.SpatialAdaptiveMaxPooling(3, 2)", x)
    ya, *_ = fwd(rt, "nn.SpatialAdaptiveAveragePooling(3, 2)", x)
    grad_ok(rt, x)
    rm, ra = np.zeros((2, 2, 2, 3)), np.zeros((2, 2, 2, 3))
    for i in range(2):
        y0, y1 = (i * 7) // 2, -(-((i + 1) * 7) // 2)
        for j in range(3):
            x0, x1 = (j * 5) // 3, -(-((j + 1) * 5) // 3)
            rm[..., i, j] = x[..., y0:y1, x0:x1].max(axis=(-2, -1))
            ra[..., i, j] = x[..., y0:y1, x0:x1].mean(axis=(-2, -1))
    np.testing.assert_array_equal(y, rm)
    np.testing.assert_allclose(ya, ra, rtol=1e-12)
    run(rt, "m = nn.SpatialAdaptiveMaxPooling(3, 2)")
    grad_ok(rt, x)


def test_fractional_max_pooling(rt):
    x = rand(2, 2, 9, 8)
    out = run(rt, """local x = ...
      m = nn.SpatialFractionalMaxPooling(2, 2, 4, 3)
      local y = m:forward(x)
      local y2 = m:forward(x)
      m:fixPoolingRegions()
      local y3 = m:forward(x)
      return y, m.indices, m.randomSamples, y3, tostring(m),
        nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.5):forward(x):size(3)""", x)
    y, ind, samples, y3, s, half = out
    assert y.shape == (2, 2, 3, 4) and samples.shape == (2, 2, 2)
    # every output is the input value its index points to
    np.testing.assert_array_equal(np.take_along_axis(x.reshape(2, 2, -1),
                                  ind.reshape(2, 2, -1) - 1, axis=2).reshape(y.shape), y)
    np.testing.assert_array_equal(y3, run(rt, "return m.output")[0])
    assert s == "nn.SpatialFractionalMaxPooling(4x3, 2,2)" and half == 4
    run(rt, "m = nn.SpatialFractionalMaxPooling(2, 2, 4, 3):fixPoolingRegions(); m:forward(...)", x)
    grad_ok(rt, x)


def test_lp_pooling(rt):
    x = rand(2, 2, 6, 5)
    y, *_ = fwd(rt, "nn.SpatialLPPooling(2, 2, 2, 2)", x)
    ref = np.sqrt(ref_avgpool(x ** 2, 2, 2, 2, 2, 0, 0) * 4)
    np.testing.assert_allclose(y, ref, rtol=1e-12)
    grad_ok(rt, np.abs(x) + 0.5)
    assert run(rt, "return #m.modules, torch.type(m.modules[2])") == (4, "nn.SpatialAveragePooling")


# ---------------------------------------------------------------------------
# normalisation

def test_batch_normalization(rt):
    x = rand(3, 2, 4, 5)
    y, w, b = fwd(rt, "nn.SpatialBatchNormalization(2)", x)
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    ref = (x - mean) / np.sqrt(var + 1e-5) * w[None, :, None, None] + b[None, :, None, None]
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-12)
    rm, rv = run(rt, "return m.running_mean, m.running_var")
    n = x.size // 2
    np.testing.assert_allclose(rm, 0.1 * mean.ravel(), rtol=1e-10)
    np.testing.assert_allclose(rv, 0.9 + 0.1 * var.ravel() * n / (n - 1), rtol=1e-10)
    grad_ok(rt, x, 1e-5)
    # weight ~ U[0,1), bias 0
    wb = run(rt, "local m = nn.SpatialBatchNormalization(8); return m.weight:min() >= 0, m.bias:abs():max()")
    assert wb == (True, 0)


def test_cross_map_lrn(rt):
    x = rand(2, 5, 3, 4)
    y, *_ = fwd(rt, "nn.SpatialCrossMapLRN(3, 0.01, 0.75, 2)", x)
    sq = np.pad(x ** 2, ((0, 0), (1, 1), (0, 0), (0, 0)))
    s = 2 + 0.01 / 3 * (sq[:, :-2] + sq[:, 1:-1] + sq[:, 2:])
    np.testing.assert_allclose(y, x * s ** -0.75, rtol=1e-12)
    grad_ok(rt, x)


def test_subtractive_divisive_contrastive(rt):
    x = rand(1, 2, 7, 6) + 0.3
    for ctor in ("nn.SpatialSubtractiveNormalization(2, torch.ones(3, 3))",
                 "nn.SpatialSubtractiveNormalization(2, torch.ones(3))",
                 "nn.SpatialDivisiveNormalization(2, torch.ones(3, 3))",
                 "nn.SpatialContrastiveNormalization(2, torch.Tensor{1, 2, 1})"):
        fwd(rt, ctor, x)
        grad_ok(rt, x, 1e-5)
    y, *_ = fwd(rt, "nn.SpatialSubtractiveNormalization(2, torch.ones(3, 3))", x[0])
    # local mean over a 3x3 neighbourhood and both planes, only counting
    # pixels inside the image
    pad = np.pad(x[0], ((0, 0), (1, 1), (1, 1)))
    cnt = np.pad(np.ones((7, 6)), 1)
    ref = np.zeros((7, 6))
    for i in range(7):
        for j in range(6):
            ref[i, j] = pad[:, i:i + 3, j:j + 3].sum() / (2 * cnt[i:i + 3, j:j + 3].sum())
    np.testing.assert_allclose(y, x[0] - ref[None], rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------------------
# padding, up-sampling, softmax, dropout

@pytest.mark.parametrize("name,mode", [("Zero", "constant"), ("Reflection", "reflect"),
                                       ("Replication", "edge")])
def test_padding(rt, name, mode):
    x = rand(2, 2, 5, 6)
    y, *_ = fwd(rt, f"nn.Spatial{name}Padding(2, 1, 0, 3)", x)
    np.testing.assert_array_equal(y, np.pad(x, ((0, 0), (0, 0), (0, 3), (2, 1)), mode=mode))
    grad_ok(rt, x)
    # negative pads crop
    y, *_ = fwd(rt, f"nn.Spatial{name}Padding(-1, 2, 1, -2)", x[0])
    ref = np.pad(x[0], ((0, 0), (1, 0), (0, 2)), mode=mode)[:, :-2, 1:]
    np.testing.assert_array_equal(y, ref)
    grad_ok(rt, x[0])
    assert run(rt, "return tostring(m)")[0] == f"nn.Spatial{name}Padding(l=-1, r=2, t=1, b=-2)"


def test_upsampling_nearest(rt):
    x = rand(2, 3, 4, 5)
    y, *_ = fwd(rt, "nn.SpatialUpSamplingNearest(3)", x)
    np.testing.assert_array_equal(y, x.repeat(3, axis=2).repeat(3, axis=3))
    grad_ok(rt, x)
    e = run(rt, "return select(2, pcall(nn.SpatialUpSamplingNearest, 1.5))")[0]
    assert e.endswith("scale_factor must be integer")


def bilinear_ref(x, oH, oW):
    H, W = x.shape[-2:]
    out = np.zeros(x.shape[:-2] + (oH, oW))
    for i in range(oH):
        r = (H - 1) / (oH - 1) * i if oH > 1 else 0
        y0 = int(r); y1 = min(y0 + 1, H - 1); ly = r - y0
        for j in range(oW):
            c = (W - 1) / (oW - 1) * j if oW > 1 else 0
            x0 = int(c); x1 = min(x0 + 1, W - 1); lx = c - x0
            out[..., i, j] = ((1 - ly) * ((1 - lx) * x[..., y0, x0] + lx * x[..., y0, x1])
                              + ly * ((1 - lx) * x[..., y1, x0] + lx * x[..., y1, x1]))
    return out


def test_upsampling_bilinear(rt):
    x = rand(2, 3, 4, 5)
    y, *_ = fwd(rt, "nn.SpatialUpSamplingBilinear(2)", x)
    np.testing.assert_allclose(y, bilinear_ref(x, 8, 10), rtol=1e-6, atol=1e-6)
    grad_ok(rt, x)
    y3, *_ = fwd(rt, "nn.SpatialUpSamplingBilinear({oheight = 7, owidth = 9})", x[0])
    np.testing.assert_allclose(y3, bilinear_ref(x[0], 7, 9), rtol=1e-6, atol=1e-6)
    grad_ok(rt, x[0])
    assert run(rt, "return tostring(m)")[0] == "nn.SpatialUpSamplingBilinear(7, 9)"


def test_upsampling_module(rt):
    x = rand(1, 2, 3, 4)
    y, *_ = fwd(rt, "nn.UpSampling(2)", x)
    np.testing.assert_array_equal(y, x.repeat(2, axis=2).repeat(2, axis=3))
    y, *_ = fwd(rt, "nn.UpSampling({oheight = 5, owidth = 7}, 'bilinear')", x)
    np.testing.assert_allclose(y, bilinear_ref(x, 5, 7), rtol=1e-6, atol=1e-6)
    grad_ok(rt, x)
    v = rand(1, 2, 2, 3, 2)
    y, *_ = fwd(rt, "nn.UpSampling(2)", v)
    np.testing.assert_array_equal(y, v.repeat(2, 2).repeat(2, 3).repeat(2, 4))
    grad_ok(rt, v)
    y, *_ = fwd(rt, "nn.UpSampling({odepth = 3, oheight = 5, owidth = 4}, 'trilinear')", v)
    # trilinear = linear along each axis in turn (align corners)
    def lin(a, axis, n):
        m = a.shape[axis]
        pos = np.arange(n) * ((m - 1) / (n - 1))
        i0 = np.floor(pos).astype(int); i1 = np.minimum(i0 + 1, m - 1); l = pos - i0
        sh = [1] * a.ndim; sh[axis] = n
        return (np.take(a, i0, axis) * (1 - l).reshape(sh) + np.take(a, i1, axis) * l.reshape(sh))
    np.testing.assert_allclose(y, lin(lin(lin(v, 2, 3), 3, 5), 4, 4), rtol=1e-6, atol=1e-6)
    grad_ok(rt, v)
    assert run(rt, "return tostring(m)")[0] == "nn.UpSampling(3x5x4, linear)"


def test_spatial_softmax_and_logsoftmax(rt):
    x = rand(2, 3, 4, 5)
    y, *_ = fwd(rt, "nn.SpatialSoftMax()", x)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    np.testing.assert_allclose(y, e / e.sum(axis=1, keepdims=True), rtol=1e-12)
    grad_ok(rt, x)
    y, *_ = fwd(rt, "nn.SpatialLogSoftMax()", x[0])
    np.testing.assert_allclose(y, np.log(e[0] / e[0].sum(axis=0, keepdims=True)), rtol=1e-12)
    grad_ok(rt, x[0])


def test_spatial_dropout(rt):
    x = rand(4, 6, 3, 5) + 2
    y, noise, g, ev, s = run(rt, """local x = ...
      torch.manualSeed(5)
      local m = nn.SpatialDropout(0.4)
      local y = m:forward(x):clone()
      local g = m:backward(x, torch.ones(4, 6, 3, 5)):clone()
      torch.manualSeed(5)
      local noise = torch.Tensor(4, 6, 1, 1):bernoulli(0.6)
      m:evaluate()
      return y, noise, g, m:forward(x), tostring(m)""", x)
    np.testing.assert_array_equal(y, x * noise)
    np.testing.assert_array_equal(g, np.broadcast_to(noise, x.shape))
    np.testing.assert_allclose(ev, x * 0.6, rtol=1e-15)
    assert s == "nn.SpatialDropout(0.400000)"


def test_class_nll_criterion(rt):
    x = np.log(np.random.RandomState(1).dirichlet(np.ones(3), size=(2, 4, 5))).transpose(0, 3, 1, 2)
    t = np.random.RandomState(2).randint(1, 4, size=(2, 4, 5)).astype(np.float64)
    w = np.array([0.5, 2.0, 1.0])
    loss, tw, g, loss2 = run(rt, """local x, t, w = ...
      local c = nn.SpatialClassNLLCriterion(w)
      local l, tw = c:forward(x, t)
      local g = c:backward(x, t)
      local c2 = nn.SpatialClassNLLCriterion(nil, false)
      return l, tw, g, (c2:forward(x, t))""", x, t, w)
    picked = np.take_along_axis(x, (t.astype(int) - 1)[:, None], axis=1)[:, 0]
    cw = w[t.astype(int) - 1]
    assert tw == pytest.approx(cw.sum())
    assert loss == pytest.approx(-(picked * cw).sum() / cw.sum(), rel=1e-12)
    assert loss2 == pytest.approx(-picked.sum(), rel=1e-12)
    ref = np.zeros_like(x)
    np.put_along_axis(ref, (t.astype(int) - 1)[:, None], (-cw / cw.sum())[:, None], axis=1)
    np.testing.assert_allclose(g, ref, rtol=1e-15)
    e = run(rt, """local c = nn.SpatialClassNLLCriterion()
      return select(2, pcall(c.forward, c, torch.randn(2, 3, 4, 5), torch.ones(2, 4)))""")[0]
    assert "only batches of spatial targets supported (3D tensors) but got targets of dimension: 2" in e


def test_autocrop_mse(rt):
    x, t = rand(2, 3, 4, 5), rand(2, 3, 7, 8)
    loss, g = run(rt, """local x, t = ...
      local c = nn.SpatialAutoCropMSECriterion()
      return c:forward(x, t), c:backward(x, x:clone():zero())""", x, t)
    crop = t[:, :, 1:5, 1:6]
    assert loss == pytest.approx(((x - crop) ** 2).mean(), rel=1e-12)
    np.testing.assert_allclose(g, 2 * x / x.size, rtol=1e-12)


@pytest.mark.parametrize("ctor,shape", [
    ("nn.SpatialSubSampling(2, 3, 2, 2, 1)", (2, 2, 7, 6)),
    ("nn.SpatialConvolutionLocal(2, 3, 6, 7, 3, 2)", (2, 2, 7, 6)),
    ("nn.SpatialConvolutionMap(nn.tables.full(2, 3), 3, 2)", (2, 2, 7, 6)),
    ("nn.SpatialDepthWiseConvolution(2, 2, 3, 3)", (2, 2, 6, 6)),
    ("nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2)", (2, 2, 5, 4)),
    ("nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1)", (2, 2, 7, 6)),
    ("nn.SpatialReflectionPadding(1, 2, 2, 1)", (2, 2, 5, 6)),
    ("nn.SpatialUpSamplingBilinear(2)", (2, 2, 3, 4)),
    ("nn.UpSampling(2, 'trilinear')", (1, 2, 3, 2, 3)),
    ("nn.TemporalSubSampling(3, 2)", (7, 3)),
    ("nn.FeatureLPPooling(2, 1, 2, true)", (2, 5, 3)),
])
def test_float_modules_match_double(rt, ctor, shape):
    x = rand(*shape)
    out = run(rt, f"""local x = ...
      torch.manualSeed(2)
      local md = {ctor}
      torch.manualSeed(2)
      local mf = {ctor}:float()
      local yd = md:forward(x)
      local yf = mf:forward(x:float())
      local gd = md:backward(x, yd:clone():fill(1))
      local gf = mf:backward(x:float(), yf:clone():fill(1))
      return yd, yf, gd, gf, torch.type(yf), torch.type(gf)""", x)
    yd, yf, gd, gf, ty, tg = out
    assert (ty, tg) == ("torch.FloatTensor", "torch.FloatTensor")
    assert yf.dtype == np.float32 and gf.dtype == np.float32
    np.testing.assert_allclose(yf, yd, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(gf, gd, rtol=1e-4, atol=1e-5)
