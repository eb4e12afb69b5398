"""Simple layers: finite-difference gradient checks (input and parameters,
single sample and batch) and forward values against NumPy."""
import numpy as np
import pytest

from test_nn_helpers import arr, lua, lua_error, rt  # noqa: F401  (rt is a fixture)

# name -> (constructor, single-sample input size, batch input size, options)
#   update: also check accUpdateGradParameters (testJacobianUpdateParameters)
#   skipInput: the module's gradInput is checked elsewhere (see the comment)
CASES = {
    "Linear": ("nn.Linear(4, 3)", "4", "5, 4", "update"),
    "Linear without bias": ("nn.Linear(4, 3, false)", "4", "5, 4", "update"),
    "Add": ("nn.Add(4)", "4", "5, 4", "update"),
    "Add scalar": ("nn.Add(4, true)", "4", "5, 4", "update"),
    "CAdd": ("nn.CAdd(3, 4)", "3, 4", "5, 3, 4", "update"),
    "CAdd broadcast": ("nn.CAdd(3, 1)", "3, 4", None, "update"),
    "CMul": ("nn.CMul(3, 4)", "3, 4", "5, 3, 4", "update"),
    "CMul broadcast": ("nn.CMul(1, 4)", "3, 4", None, "update"),
    "Mul": ("nn.Mul()", "4", "5, 4", "update"),
    "MulConstant": ("nn.MulConstant(2.5)", "4", "5, 4", ""),
    "AddConstant": ("nn.AddConstant(-1.5)", "4", "5, 4", ""),
    "Euclidean": ("nn.Euclidean(4, 3)", "4", "5, 4", "update"),
    "WeightedEuclidean": ("nn.WeightedEuclidean(4, 3)", "4", "5, 4", ""),
    "Cosine": ("nn.Cosine(4, 3)", "4", "5, 4", ""),
    "Normalize p=2": ("nn.Normalize(2)", "4", "5, 4", ""),
    "Normalize p=1.5": ("nn.Normalize(1.5)", "4", "5, 4", ""),
    "Normalize p=3": ("nn.Normalize(3)", "4", "5, 4", ""),
    "Normalize p=inf": ("nn.Normalize(math.huge)", "4", "5, 4", ""),
    "Reshape": ("nn.Reshape(2, 6)", "3, 4", "5, 3, 4", ""),
    "View": ("nn.View(-1):setNumInputDims(2)", "3, 4", "5, 3, 4", ""),
    "Select": ("nn.Select(-1, 2)", "3, 4", "5, 3, 4", ""),
    "Narrow": ("nn.Narrow(-1, 2, 2)", "3, 4", "5, 3, 4", ""),
    "Narrow negative length": ("nn.Narrow(2, 2, -2)", "3, 5", None, ""),
    "Squeeze": ("nn.Squeeze()", "3, 1, 4", "5, 3, 1, 4", ""),
    "Unsqueeze": ("nn.Unsqueeze(2, 2)", "3, 4", "5, 3, 4", ""),
    "Replicate": ("nn.Replicate(3, 2, 2)", "3, 4", "5, 3, 4", ""),
    "Transpose": ("nn.Transpose({1, 2}, {2, 3})", "2, 3, 4", None, ""),
    "Transpose batch": ("nn.Transpose({1, 2}):setNumInputDims(2)", "3, 4", "5, 3, 4", ""),
    "Padding before": ("nn.Padding(1, -2, 2, 7)", "3, 4", "5, 3, 4", ""),
    "Padding inside": ("nn.Padding(2, -2, 2, 0, 3)", "3, 4", "5, 3, 4", ""),
    "Padding after": ("nn.Padding(2, 2, 2)", "3, 4", "5, 3, 4", ""),
    "Max": ("nn.Max(1, 2)", "3, 4", "5, 3, 4", ""),
    "Min": ("nn.Min(-1)", "3, 4", "5, 3, 4", ""),
    "Sum": ("nn.Sum(1, 2)", "3, 4", "5, 3, 4", ""),
    "Sum keep dim": ("nn.Sum(2, nil, false, false)", "3, 4", None, ""),
    "Mean": ("nn.Mean(-1)", "3, 4", "5, 3, 4", ""),
    "Copy": ("nn.Copy('torch.DoubleTensor', 'torch.DoubleTensor', true)", "3, 4", "5, 3, 4", ""),
    "Contiguous": ("nn.Contiguous()", "3, 4", "5, 3, 4", ""),
    "Collapse": ("nn.Collapse(2)", "3, 4", "5, 3, 4", ""),
    "Identity": ("nn.Identity()", "3, 4", "5, 3, 4", ""),
    "BatchNormalization": ("nn.BatchNormalization(3)", None, "6, 3", ""),
    "BatchNormalization no affine": ("nn.BatchNormalization(3, 1e-5, 0.1, false)", None, "6, 3", ""),
    "LayerNormalization": ("nn.LayerNormalization(4)", None, "5, 4", ""),
    "PixelShuffle": ("nn.PixelShuffle(2)", "8, 2, 3", "2, 8, 2, 3", ""),
    "Maxout": ("nn.Maxout(4, 3, 2)", "4", "5, 4", ""),
    "GatedLinearUnit": ("nn.GatedLinearUnit()", "4", "5, 6", ""),
    "GatedLinearUnit dim 1": ("nn.GatedLinearUnit(1)", "4, 3", None, ""),
    "Bottle": ("nn.Bottle(nn.Linear(4, 3))", "5, 4", "2, 5, 4", ""),
    # Torch7's (LinearWeightNorm, WeightNorm) accGradParameters uses the
    # weight as scratch space, so the next updateGradInput of nn.Jacobian's
    # column loop is off: upstream checks their parameters only
    "LinearWeightNorm": ("nn.LinearWeightNorm(4, 3)", "4", "5, 4", "skipInput"),
    "WeightNorm": ("nn.WeightNorm(nn.Linear(4, 3))", "4", "5, 4", "skipInput"),
    "WeightNorm outputDim 2": ("nn.WeightNorm(nn.Linear(4, 3), 2)", "4", "5, 4", "skipInput"),
}


def _cases():
    for name, (ctor, single, batch, opts) in CASES.items():
        for kind, size in (("single", single), ("batch", batch)):
            if size:
                yield pytest.param(ctor, size, opts, id=f"{name}-{kind}")


@pytest.mark.parametrize("ctor,size,opts", _cases())
def test_gradients(rt, ctor, size, opts):
    err = lua(rt, f"""
      local m = {ctor}
      return H.jacobianError(m, torch.Tensor({size}), {{update = {str('update' in opts).lower()},
                                                       skipInput = {str('skipInput' in opts).lower()}}})""")
    assert err < 1e-5


def test_weight_norm_modules_update_gradInput(rt):
    err = lua(rt, """
      local worst = 0
      for _, m in ipairs{nn.LinearWeightNorm(4, 3), nn.WeightNorm(nn.Linear(4, 3))} do
        local x = torch.rand(5, 4)
        m:forward(x)
        local g = torch.rand(5, 3)
        local gi = m:updateGradInput(x, g)
        worst = math.max(worst, (gi - g * m.weight):abs():max())
      end
      return worst""")
    assert err < 1e-12


def test_linear_forward_matches_numpy(rt):
    x, w, b, y1, y2 = lua(rt, """
      local m = nn.Linear(4, 3)
      local x = torch.rand(5, 4)
      return x, m.weight, m.bias, m:forward(x):clone(), m:forward(x[2]):clone()""")
    x, w, b = arr(rt, x), arr(rt, w), arr(rt, b)
    assert np.allclose(arr(rt, y1), x @ w.T + b, rtol=0, atol=1e-14)
    assert np.allclose(arr(rt, y2), w @ x[1] + b, rtol=0, atol=1e-14)


def test_linear_reset_draws_weight_then_bias_from_the_torch_stream(rt):
    w, b, u = lua(rt, """
      torch.manualSeed(7)
      local m = nn.Linear(3, 2)
      torch.manualSeed(7)
      local u = torch.Tensor(8):uniform(-1 / math.sqrt(3), 1 / math.sqrt(3))
      return m.weight, m.bias, u""")
    u = arr(rt, u)
    assert np.array_equal(arr(rt, w).ravel(), u[:6]) and np.array_equal(arr(rt, b), u[6:])


def test_bilinear(rt):
    err, match = lua(rt, """
      local m = nn.Bilinear(3, 2, 4)
      local x = {torch.rand(5, 3), torch.rand(5, 2)}
      local y = m:forward(x)
      local ok = true
      for k = 1, 4 do
        local want = (x[1] * m.weight[k]):cmul(x[2]):sum(2):view(5) + m.bias[k]
        ok = ok and (y:select(2, k) - want):abs():max() < 1e-12
      end
      return H.gradError(m, x), ok""")
    assert err < 1e-6 and match


def test_bilinear_scale_reaches_only_the_bias_as_in_torch7(rt):
    gw_ratio, gb_ratio = lua(rt, """
      local m = nn.Bilinear(2, 2, 1)
      local x, g = {torch.rand(3, 2), torch.rand(3, 2)}, torch.rand(3, 1)
      m:forward(x); m:zeroGradParameters(); m:backward(x, g, 1)
      local gw, gb = m.gradWeight:clone(), m.gradBias:clone()
      m:zeroGradParameters(); m:backward(x, g, 2)
      return m.gradWeight:sum() / gw:sum(), m.gradBias:sum() / gb:sum()""")
    assert gw_ratio == pytest.approx(1) and gb_ratio == pytest.approx(2)


def test_partial_linear(rt):
    err, full, part = lua(rt, """
      local m = nn.PartialLinear(5, 4)
      local x = torch.rand(3, 5)
      local err = H.gradError(m, x)
      local lin = m.network:get(1):get(2).weight
      local full = (m:forward(x) - (x * lin:t() + m.bias:expand(3, 4))):abs():max()
      m:setPartition(torch.Tensor{2, 4})
      local y = m:forward(x)
      local want = x * lin:index(1, torch.LongTensor{2, 4}):t()
                   + m.bias:index(2, torch.LongTensor{2, 4}):expand(3, 2)
      return err, full, (y - want):abs():max()""")
    assert err < 1e-6 and full < 1e-12 and part < 1e-12


def test_sparse_linear_equals_dense_linear(rt):
    out, gw, gb, gi = lua(rt, """
      local s = nn.SparseLinear(6, 3, true)
      local d = nn.Linear(6, 3)
      d.weight:copy(s.weight); d.bias:copy(s.bias)
      local x1 = torch.Tensor{{2, 0.5}, {5, -1}}
      local x2 = torch.Tensor{{1, 2}, {6, 3}, {2, 1}}
      local dense = torch.zeros(2, 6)
      dense[1][2], dense[1][5] = 0.5, -1
      dense[2][1], dense[2][6], dense[2][2] = 2, 3, 1
      local g = torch.rand(2, 3)
      s:zeroGradParameters(); d:zeroGradParameters()
      local ys = s:forward({x1, x2}):clone()
      local yd = d:forward(dense)
      s:backward({x1, x2}, g); d:backward(dense, g)
      local gi = s.gradInput[2]:select(2, 2)
      return (ys - yd):abs():max(), (s.gradWeight - d.gradWeight):abs():max(),
             (s.gradBias - d.gradBias):abs():max(), (gi - d.gradInput[2]):abs():max()""")
    assert max(out, gw, gb, gi) < 1e-12


def test_sparse_linear_sparse_update_touches_only_used_columns(rt):
    untouched, moved = lua(rt, """
      local s = nn.SparseLinear(6, 3)
      local w = s.weight:clone()
      local x = torch.Tensor{{2, 1}, {4, 1}}
      s:zeroGradParameters()
      s:forward(x)
      s:backward(x, torch.ones(3))
      s:updateParameters(0.1)
      return (s.weight:select(2, 1) - w:select(2, 1)):abs():max(),
             (s.weight:select(2, 2) - w:select(2, 2) + 0.1):abs():max()""")
    assert untouched == 0 and moved < 1e-12


def test_lookup_table_forward_backward_padding_and_frequency(rt):
    y, gw, gwfreq = lua(rt, """
      local m = nn.LookupTable(5, 2, 1)
      local idx = torch.LongTensor{{2, 1, 2}, {4, 2, 5}}
      local y = m:forward(idx):clone()
      local g = torch.Tensor(2, 3, 2):fill(1)
      m:zeroGradParameters()
      m:backward(idx, g)
      local gw = m.gradWeight:clone()
      m:scaleGradByFreq()
      m:zeroGradParameters()
      m:backward(idx, g)
      return y - m.weight:index(1, idx:view(-1)):view(2, 3, 2), gw, m.gradWeight:clone()""")
    assert np.abs(arr(rt, y)).max() == 0
    # row 1 is the padding index: no gradient; row 2 occurs three times
    assert np.array_equal(arr(rt, gw)[:, 0], [0, 3, 0, 1, 1])
    assert np.array_equal(arr(rt, gwfreq)[:, 0], [0, 1, 0, 1, 1])


def test_lookup_table_max_norm(rt):
    norms, untouched = lua(rt, """
      local m = nn.LookupTable(4, 3, 0, 1)
      m.weight:fill(2)
      m:forward(torch.LongTensor{1, 3, 3})
      return m.weight:norm(2, 2):view(-1), m.weight[2]:clone()""")
    n = arr(rt, norms)
    assert n[0] == pytest.approx(1, abs=1e-6) and n[2] == pytest.approx(1, abs=1e-6)
    assert n[1] == pytest.approx(np.sqrt(12)) and np.all(arr(rt, untouched) == 2)


def test_lookup_table_version_and_reset_stream(rt):
    version, w, n = lua(rt, """
      torch.manualSeed(3)
      local m = nn.LookupTable(3, 2)
      torch.manualSeed(3)
      return torch.version(m), m.weight, torch.randn(6)""")
    assert version == 4 and np.array_equal(arr(rt, w).ravel(), arr(rt, n))


def test_dropout_versions_and_evaluation(rt):
    res = lua(rt, """
      torch.manualSeed(5)
      local x = torch.Tensor(1000):fill(1)
      local v2 = nn.Dropout(0.25)
      local y2 = v2:forward(x):clone()
      torch.manualSeed(5)
      local mask = torch.Tensor(1000):bernoulli(0.75)
      torch.manualSeed(5)
      local v1 = nn.Dropout(0.25, true)
      local y1 = v1:forward(x):clone()
      v1:evaluate(); v2:evaluate()
      local g = v2:backward(x, torch.ones(1000))
      return y2:equal(mask / 0.75), y1:equal(mask), v1:forward(x)[1], v2:forward(x)[1], g[1]""")
    assert res == (True, True, 0.75, 1, 1)


def test_dropout_inplace_and_stochastic_inference(rt):
    res = lua(rt, """
      local x = torch.ones(50)
      local d = nn.Dropout(0.5, false, true)
      local y = d:forward(x)
      local s = nn.Dropout(0.5, false, false, true)
      s:evaluate()
      local z = s:forward(torch.ones(50))
      return torch.pointer(y:storage()) == torch.pointer(x:storage()), z:eq(0):sum() > 0,
             (pcall(nn.Dropout, 1))""")
    assert res == (True, True, False)


def test_white_noise(rt):
    res = lua(rt, """
      torch.manualSeed(9)
      local m = nn.WhiteNoise(0.5, 2)
      local x = torch.zeros(4)
      local y = m:forward(x):clone()
      torch.manualSeed(9)
      local n = torch.Tensor(4):normal(0.5, 2)
      m:evaluate()
      return y:equal(n), m:forward(x)[1], (pcall(function() m:backward(x, x) end))""")
    assert res == (True, 0.5, False)


def test_batch_normalization_statistics_and_evaluation(rt):
    x, y, rm, rv, w, b, yeval = lua(rt, """
      local m = nn.BatchNormalization(3, 1e-5, 0.1)
      local x = torch.rand(6, 3) * 4
      local y = m:forward(x):clone()
      m:evaluate()
      return x, y, m.running_mean, m.running_var, m.weight, m.bias, m:forward(x[2]):clone()""")
    x, y = arr(rt, x), arr(rt, y)
    w, b = arr(rt, w), arr(rt, b)
    mean, var = x.mean(0), x.var(0)
    assert np.allclose(y, (x - mean) / np.sqrt(var + 1e-5) * w + b, atol=1e-12)
    assert np.allclose(arr(rt, rm), 0.1 * mean, atol=1e-14)
    assert np.allclose(arr(rt, rv), 0.9 + 0.1 * x.var(0, ddof=1), atol=1e-14)
    rm, rv = arr(rt, rm), arr(rt, rv)
    assert np.allclose(arr(rt, yeval), (x[1] - rm) / np.sqrt(rv + 1e-5) * w + b, atol=1e-12)


def test_batch_normalization_needs_a_batch_while_training(rt):
    msg = lua_error(rt, "nn.BatchNormalization(3):forward(torch.rand(3))")
    assert "only mini-batch supported (2D tensor), got 1D tensor instead" in msg


def test_reshape_and_view_batch_rules(rt):
    res = lua(rt, """
      local r = nn.Reshape(6)
      local v = nn.View(2, 3)
      return H.size(r:forward(torch.rand(2, 3))), H.size(r:forward(torch.rand(4, 2, 3))),
             H.size(nn.Reshape(6, false):forward(torch.rand(1, 6))),
             H.size(v:forward(torch.rand(6))), H.size(v:forward(torch.rand(5, 6))),
             H.size(nn.View(-1, 2):forward(torch.rand(4, 3)))""")
    assert [list(t.values()) for t in res] == [[6], [4, 6], [6], [2, 3], [5, 2, 3], [6, 2]]


def test_view_mismatch_error(rt):
    assert "input view (5) and desired view (2x3) do not match" in lua_error(
        rt, "nn.View(2, 3):forward(torch.rand(5))")


def test_max_min_keep_arg_positions(rt):
    res = lua(rt, """
      local x = torch.Tensor{{1, 5, 3}, {7, 2, 9}}
      local m = nn.Max(2)
      local y = m:forward(x):clone()
      local g = m:backward(x, torch.Tensor{10, 20})
      local n = nn.Min(1)
      return H.list(y), H.list(g), H.list(n:forward(x))""")
    assert [list(t.values()) for t in res] == [[5, 9], [0, 10, 0, 0, 0, 20], [1, 2, 3]]


def test_padding_values_and_positions(rt):
    res = lua(rt, """
      local x = torch.Tensor{1, 2, 3}
      return H.list(nn.Padding(1, 2, 1, 9):forward(x)), H.list(nn.Padding(1, -2, 1, 9):forward(x)),
             H.list(nn.Padding(1, -1, 1, 0, 2):forward(x))""")
    assert [list(t.values()) for t in res] == [[1, 2, 3, 9, 9], [9, 9, 1, 2, 3], [1, 0, 2, 3]]


def test_replicate_is_a_view(rt):
    res = lua(rt, """
      local x = torch.Tensor{1, 2}
      local y = nn.Replicate(3):forward(x)
      x[1] = 5
      return H.size(y), y[3][1], y:stride(1)""")
    assert list(res[0].values()) == [3, 2] and res[1:] == (5, 0)


def test_pixel_shuffle_matches_numpy(rt):
    x, y = lua(rt, "local x = torch.rand(2, 8, 2, 3); return x, nn.PixelShuffle(2):forward(x)")
    x = arr(rt, x)
    want = x.reshape(2, 2, 2, 2, 2, 3).transpose(0, 1, 4, 2, 5, 3).reshape(2, 2, 4, 6)
    assert np.array_equal(arr(rt, y), want)


def test_one_hot(rt):
    y, g = lua(rt, """
      local m = nn.OneHot(4)
      local y = m:forward(torch.Tensor{2, 4})
      return y, m:backward(torch.Tensor{2, 4}, y)""")
    assert np.array_equal(arr(rt, y), [[0, 1, 0, 0], [0, 0, 0, 1]]) and np.all(arr(rt, g) == 0)


def test_index_and_masked_select(rt):
    res = lua(rt, """
      local t = torch.Tensor{{1, 2}, {3, 4}, {5, 6}}
      local idx = torch.LongTensor{3, 1, 3}
      local m = nn.Index(1)
      local y = m:forward({t, idx})
      local g = m:backward({t, idx}, torch.ones(3, 2))
      local ms = nn.MaskedSelect()
      local mask = torch.ByteTensor{{1, 0}, {0, 1}, {1, 1}}
      local z = ms:forward({t, mask})
      local gz = ms:backward({t, mask}, torch.Tensor{10, 20, 30, 40})
      return H.list(y), H.list(g[1]), H.list(z), H.list(gz[1]), gz[2]:sum()""")
    assert [list(t.values()) for t in res[:4]] == [
        [5, 6, 1, 2, 5, 6], [1, 1, 0, 0, 2, 2], [1, 4, 5, 6], [10, 0, 0, 20, 30, 40]]
    assert res[4] == 0


def test_copy_converts_types(rt):
    res = lua(rt, """
      local m = nn.Copy('torch.FloatTensor', 'torch.DoubleTensor')
      local y = m:forward(torch.FloatTensor{1.5})
      local g = m:backward(torch.FloatTensor{1.5}, torch.DoubleTensor{2})
      local same = nn.Copy()
      local x = torch.rand(2)
      return torch.type(y), torch.type(g), same:forward(x) == x""")
    assert res == ("torch.DoubleTensor", "torch.FloatTensor", True)


def test_constant_zero_grad_gradient_reversal(rt):
    res = lua(rt, """
      local c = nn.Constant(torch.Tensor{1, 2}, 1)
      local y = c:forward(torch.rand(3, 5))
      local z = nn.ZeroGrad()
      local x = torch.rand(3)
      local zg = z:backward(x, torch.ones(3))
      local r = nn.GradientReversal(0.5)
      local rg = r:backward(x, torch.ones(3))
      return H.size(y), y[3][2], zg:sum(), z:forward(x):equal(x), rg[1], torch.version(r)""")
    assert list(res[0].values()) == [3, 2] and res[1:] == (2, 0, True, -0.5, 2)


def test_kmeans(rt):
    res = lua(rt, """
      local k = nn.Kmeans(2, 2)
      k.weight:copy(torch.Tensor{{0, 0}, {10, 10}})
      local x = torch.Tensor{{1, 0}, {9, 10}, {0, 1}}
      local y = k:forward(x)
      k:zeroGradParameters()
      k:backward(x, y)
      k:updateParameters(1)
      return H.list(y), k.loss, H.list(k.weight)""")
    assert list(res[0].values()) == [1, 2, 1] and res[1] == 3
    assert np.allclose(list(res[2].values()), [0.5, 0.5, 9, 10], atol=1e-6)


def test_convert(rt):
    res = lua(rt, """
      local c = nn.Convert('bchw', 'bf')
      local y = c:forward(torch.rand(2, 3, 4, 5))
      local t = nn.Convert('bhwc', 'bchw')
      local x = torch.rand(2, 4, 5, 3)
      local z = t:forward(x)
      local f = nn.Convert():float()
      return H.size(y), H.size(z), (z:select(2, 3) - x:select(4, 3)):abs():max(),
             torch.type(f:forward(torch.rand(2)))""")
    assert [list(t.values()) for t in res[:2]] == [[2, 60], [2, 3, 4, 5]]
    assert res[2:] == (0, "torch.FloatTensor")


def test_print_size_passes_through(rt, capsys):
    lua(rt, "print('p:input\\n', torch.LongStorage{2, 3})")
    expected = capsys.readouterr().out
    same = lua(rt, "local x = torch.rand(2, 3); return nn.PrintSize('p'):forward(x) == x")
    assert same and capsys.readouterr().out == expected and expected.startswith("p:input\n\t 2\n 3\n")


@pytest.mark.parametrize("out", [3, 1])
def test_index_linear_equals_dense_linear(rt, out):
    res = lua(rt, """
      local out = ...
      local il = nn.IndexLinear(6, out, true)
      local d = nn.Linear(6, out)
      il.weight:copy(d.weight:t()); il.bias:copy(d.bias)
      local keys = {torch.LongTensor{2, 5}, torch.LongTensor{1, 6, 2}}
      local vals = {torch.Tensor{0.5, -1}, torch.Tensor{2, 3, 1}}
      local dense = torch.zeros(2, 6)
      dense[1][2], dense[1][5], dense[2][1], dense[2][6], dense[2][2] = 0.5, -1, 2, 3, 1
      local g = torch.rand(2, out)
      local flat = {torch.LongTensor{2, 5, 1, 6, 2}, torch.Tensor{0.5, -1, 2, 3, 1}, torch.LongTensor{2, 3}}
      local worst = 0
      for _, input in ipairs{{keys, vals}, flat} do
        local m = il:clone()
        local l = d:clone()
        for rep = 1, 2 do   -- two accumulations before the update
          m:forward(input); l:forward(dense)
          m:backward(input, g); l:backward(dense, g)
        end
        worst = math.max(worst, (m.output - l.output):abs():max())
        local gi = m.gradInput[2]
        if torch.type(gi) == 'table' then gi = torch.cat(gi[1]:view(1, 6), gi[2]:view(1, 6), 1) end
        worst = math.max(worst, (gi - l.gradInput):abs():max())
        m:updateParameters(0.1); l:updateParameters(0.1)
        worst = math.max(worst, (m.weight - l.weight:t()):abs():max(), (m.bias - l.bias):abs():max())
      end
      return worst""", out)
    assert res < 1e-12


def test_index_linear_direct_update_and_weight_decay(rt):
    res = lua(rt, """
      local il = nn.IndexLinear(4, 2)
      il.weight:copy(torch.rand(4, 2))
      local w0, b0 = il.weight:clone(), il.bias:clone()
      -- a batch of one (a single sample needs doGradInput for backward, as in Torch7)
      local input = {{torch.LongTensor{3, 3}}, {torch.Tensor{1, 2}}}
      local g = torch.Tensor{{1, -1}}
      il:forward(input)
      il:backwardUpdate(input, g, 0.5)
      -- key 3 twice: row 3 moves by -0.5 * (1 + 2) * g
      local direct = (il.weight[3] - (w0[3] - g[1] * 1.5)):abs():max() + (il.bias - (b0 - g[1] * 0.5)):abs():max()
      local wd = nn.IndexLinear(4, 2)
      wd.weight:copy(w0); wd.weightDecay = 0.1
      wd:forward(input); wd:zeroGradParameters(); wd:backward(input, g); wd:updateParameters(0.5)
      local r = w0[3]:clone()
      r:add(-0.1, r:clone()):add(-0.5, g[1])     -- first occurrence (value 1)
      r:add(-0.1, r:clone()):add(-1.0, g[1])     -- second (value 2)
      return direct, (wd.weight[3] - r):abs():max(), (wd.weight[1] - w0[1]):abs():max()""")
    assert res[0] < 1e-14 and res[1] < 1e-14 and res[2] == 0


def test_index_linear_normalize_tracks_the_largest_value(rt):
    res = lua(rt, """
      local il = nn.IndexLinear(3, 2, false, nil, nil, nil, true)
      il.weight:narrow(2, 5, 2):fill(1)
      local y = il:forward({torch.LongTensor{2, 2}, torch.Tensor{-4, 2}})   -- one sample
      return il.weight[2][1], il.weight[2][2], il.weight[2][3], H.list(il.normalizedValues), y[1]""")
    assert res[:3] == (4, 0.25, 1)
    assert list(res[3].values()) == [-1, 0.5] and res[4] == -0.5
