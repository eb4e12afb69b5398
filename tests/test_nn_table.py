"""Table modules: values, finite-difference gradients over (nested) table
inputs, and their table bookkeeping (negative indices, nesting, stale
entries, backward without forward)."""
import numpy as np
import pytest

from test_nn_helpers import arr, lua, lua_error, rt  # noqa: F401  (rt is a fixture)

# constructor -> input expression (random values)
GRADIENT_CASES = {
    "CAddTable": ("nn.CAddTable()", "{torch.rand(3, 4), torch.rand(3, 4), torch.rand(3, 4)}"),
    "CSubTable": ("nn.CSubTable()", "{torch.rand(3, 4), torch.rand(3, 4)}"),
    "CMulTable": ("nn.CMulTable()", "{torch.rand(3, 4), torch.rand(3, 4), torch.rand(3, 4)}"),
    "CDivTable": ("nn.CDivTable()", "{torch.rand(3, 4), torch.rand(3, 4):add(1)}"),
    "CMaxTable": ("nn.CMaxTable()", "{torch.rand(3, 4), torch.rand(3, 4), torch.rand(3, 4)}"),
    "CMinTable": ("nn.CMinTable()", "{torch.rand(3, 4), torch.rand(3, 4)}"),
    "CAddTensorTable": ("nn.CAddTensorTable()", "{torch.rand(4), {torch.rand(4), torch.rand(4)}}"),
    "SplitTable": ("nn.SplitTable(2)", "torch.rand(3, 4)"),
    "SplitTable negative": ("nn.SplitTable(-1, 2)", "torch.rand(5, 3, 4)"),
    "JoinTable": ("nn.JoinTable(2)", "{torch.rand(3, 4), torch.rand(3, 2)}"),
    "JoinTable batch": ("nn.JoinTable(1, 1)", "{torch.rand(3, 4), torch.rand(3, 2)}"),
    "SelectTable": ("nn.SelectTable(2)", "{torch.rand(3), torch.rand(4), torch.rand(2)}"),
    "SelectTable negative": ("nn.SelectTable(-1)", "{torch.rand(3), torch.rand(4)}"),
    "SelectTable nested": ("nn.SelectTable(1)", "{{torch.rand(3), torch.rand(2)}, torch.rand(4)}"),
    "NarrowTable": ("nn.NarrowTable(2, 2)", "{torch.rand(3), torch.rand(4), torch.rand(2), torch.rand(1)}"),
    "FlattenTable": ("nn.FlattenTable()", "{torch.rand(3), {torch.rand(2), {torch.rand(4)}}, torch.rand(1)}"),
    "ZipTable": ("nn.ZipTable()", "{{torch.rand(2), torch.rand(3)}, {torch.rand(4), torch.rand(1)}}"),
    "ZipTableOneToMany": ("nn.ZipTableOneToMany()", "{torch.rand(3), {torch.rand(2), torch.rand(4)}}"),
    "MixtureTable table": ("nn.MixtureTable()", "{torch.rand(4, 3), {torch.rand(4, 5), torch.rand(4, 5), torch.rand(4, 5)}}"),
    "MixtureTable tensor": ("nn.MixtureTable()", "{torch.rand(4, 3), torch.rand(4, 3, 5)}"),
    "PairwiseDistance": ("nn.PairwiseDistance(2)", "{torch.rand(4), torch.rand(4)}"),
    "PairwiseDistance batch p=3": ("nn.PairwiseDistance(3)", "{torch.rand(3, 4), torch.rand(3, 4)}"),
    "CosineDistance": ("nn.CosineDistance()", "{torch.rand(4), torch.rand(4)}"),
    "CosineDistance batch": ("nn.CosineDistance()", "{torch.rand(3, 4), torch.rand(3, 4)}"),
    "DotProduct": ("nn.DotProduct()", "{torch.rand(4), torch.rand(4)}"),
    "DotProduct batch": ("nn.DotProduct()", "{torch.rand(3, 4), torch.rand(3, 4)}"),
    "MM": ("nn.MM()", "{torch.rand(3, 4), torch.rand(4, 2)}"),
    "MM transposed": ("nn.MM(true, true)", "{torch.rand(4, 3), torch.rand(2, 4)}"),
    "MM batch": ("nn.MM(false, true)", "{torch.rand(2, 3, 4), torch.rand(2, 5, 4)}"),
    "MV": ("nn.MV()", "{torch.rand(3, 4), torch.rand(4)}"),
    "MV batch transposed": ("nn.MV(true)", "{torch.rand(2, 4, 3), torch.rand(2, 4)}"),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients(rt, name):
    ctor, x = GRADIENT_CASES[name]
    # PairwiseDistance's backward divides by (distance + 1e-6), as in Torch7
    tolerance = 1e-5 if name.startswith("PairwiseDistance") else 1e-6
    assert lua(rt, f"return H.gradError({ctor}, {x})") < tolerance


def test_arithmetic_values(rt):
    a, b, add, sub, mul, div, mx, mn = lua(rt, """
      local a, b = torch.randn(3, 4), torch.randn(3, 4)
      local t = {a, b}
      return a, b, nn.CAddTable():forward(t):clone(), nn.CSubTable():forward(t):clone(),
             nn.CMulTable():forward(t):clone(), nn.CDivTable():forward(t):clone(),
             nn.CMaxTable():forward(t):clone(), nn.CMinTable():forward(t):clone()""")
    a, b = arr(rt, a), arr(rt, b)
    for got, want in ((add, a + b), (sub, a - b), (mul, a * b), (div, a / b),
                      (mx, np.maximum(a, b)), (mn, np.minimum(a, b))):
        assert np.array_equal(arr(rt, got), want)


def test_cmax_table_sends_the_gradient_to_the_first_maximum(rt):
    g1, g2 = lua(rt, """
      local m = nn.CMaxTable()
      local t = {torch.Tensor{1, 5, 2}, torch.Tensor{3, 5, 1}}
      m:forward(t)
      local g = m:backward(t, torch.Tensor{10, 20, 30})
      return g[1], g[2]""")
    assert np.array_equal(arr(rt, g1), [0, 20, 30]) and np.array_equal(arr(rt, g2), [10, 0, 0])


def test_cadd_table_inplace_and_stale_entries(rt):
    res = lua(rt, """
      local m = nn.CAddTable(true)
      local a, b, c = torch.ones(2), torch.ones(2), torch.ones(2)
      local y = m:forward({a, b, c})
      m:backward({a, b, c}, torch.ones(2))
      local n3, a1 = #m.gradInput, a[1]
      m:forward({a, b})
      m:backward({a, b}, torch.ones(2))
      return y == m.output, torch.pointer(y:storage()) == torch.pointer(a:storage()), a1, n3, #m.gradInput""")
    assert res == (True, True, 3, 3, 2)


def test_split_and_join_are_inverse(rt):
    same, n, first = lua(rt, """
      local x = torch.rand(3, 4)
      local parts = nn.SplitTable(1):forward(x)
      return nn.JoinTable(1):forward(parts):view(3, 4):equal(x), #parts, parts[1]:dim()""")
    assert (same, n, first) == (True, 3, 1)


def test_select_table_backward_without_forward(rt):
    res = lua(rt, """
      local m = nn.SelectTable(-1)
      local input = {torch.rand(2), {torch.rand(3), torch.rand(1)}}
      local g = m:backward(input, {torch.ones(3), torch.ones(1)})
      return g[1]:sum(), g[2][1]:sum(), g[2][2]:sum(), #g, tostring(m)""")
    assert res == (0, 3, 1, 2, "nn.SelectTable(-1)")


def test_select_table_missing_index(rt):
    assert "index does not exist in the input table" in lua_error(
        rt, "nn.SelectTable(3):forward({torch.rand(2)})")


def test_narrow_table_and_flatten_table_structure(rt):
    res = lua(rt, """
      local a, b, c, d = torch.rand(1), torch.rand(2), torch.rand(3), torch.rand(4)
      local n = nn.NarrowTable(2, 2):forward({a, b, c, d})
      local f = nn.FlattenTable()
      local flat = f:forward({a, {b, {c}}, d})
      local g = f:backward({a, {b, {c}}, d}, {a, b, c, d})
      return n[1] == b, n[2] == c, #n, #flat, flat[3] == c, g[2][2][1] == c""")
    assert res == (True, True, 2, 4, True, True)


def test_zip_tables(rt):
    res = lua(rt, """
      local a1, a2, b1, b2 = torch.rand(1), torch.rand(1), torch.rand(1), torch.rand(1)
      local z = nn.ZipTable():forward({{a1, a2}, {b1, b2}})
      local o = nn.ZipTableOneToMany():forward({a1, {b1, b2}})
      return z[1][2] == b1, z[2][1] == a2, o[2][1] == a1, o[2][2] == b2""")
    assert res == (True, True, True, True)


def test_mixture_table_values(rt):
    g, e, y = lua(rt, """
      local g, e = torch.rand(4, 3), torch.rand(4, 3, 5)
      return g, e, nn.MixtureTable():forward({g, e})""")
    g, e = arr(rt, g), arr(rt, e)
    assert np.allclose(arr(rt, y), np.einsum("bk,bkd->bd", g, e), atol=1e-14)


def test_criterion_table(rt):
    loss, same = lua(rt, """
      local m = nn.CriterionTable(nn.MSECriterion())
      local x, t = torch.Tensor{1, 2}, torch.Tensor{0, 0}
      local l = m:forward({x, t})
      local g = m:backward({x, t})
      return l, g[1] == m.criterion.gradInput""")
    assert (loss, same) == (2.5, True)


def test_distance_values(rt):
    a, b, pd, cd, dp = lua(rt, """
      local a, b = torch.randn(3, 4), torch.randn(3, 4)
      return a, b, nn.PairwiseDistance(1):forward({a, b}):clone(),
             nn.CosineDistance():forward({a, b}):clone(), nn.DotProduct():forward({a, b}):clone()""")
    a, b = arr(rt, a), arr(rt, b)
    cos = (a * b).sum(1) / np.sqrt((a * a).sum(1) + 1e-12) / np.sqrt((b * b).sum(1) + 1e-12)
    assert np.allclose(arr(rt, pd), np.abs(a - b).sum(1), atol=1e-14)
    assert np.allclose(arr(rt, cd), cos, atol=1e-14)
    assert np.allclose(arr(rt, dp), (a * b).sum(1), atol=1e-14)
