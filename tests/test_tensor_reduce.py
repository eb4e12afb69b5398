"""Reductions, scans, sorting and selection as Lua sees them
(lua_prelude/torch/TensorMath_reduce.lua, torchlua/core/math_reduce.py): TH's
accumulation types and orders, kept dimensions, 1-based LongTensor indices, TH's
quicksort/quickselect orders for ties, result tensors, errors."""
import math

import numpy as np
import pytest

from torchlua import Runtime
from lua_helpers import lua


def err(rt, code, *args):
    f = rt.eval("function(code) return assert(loadstring(code, '@script.lua')) end")(
        "local f = function(...)\n" + code + "\nend\n"
        "local ok, e = pcall(f, ...) assert(not ok, 'no error') return e")
    return f(*args)


def seq_sum(vals, acc=float):
    s = acc(0)
    for v in vals:
        s = acc(s + acc(v))
    return s


# -- sums and products ---------------------------------------------------------------------------
def test_sums_accumulate_in_order_in_accreal(rt):
    x = np.array([1e16] + [1.0] * 50 + [-1e16, 0.25, 3.0], np.float64)
    f = np.array([1e8] + [1.0] * 9 + [0.1], np.float32)
    got = lua(rt, """local x, f = ...
        return x:sum(), f:sum(), torch.sum(torch.ByteTensor(300):fill(200)),
               torch.prod(torch.LongTensor({2^40, 2^30})), torch.prod(torch.Tensor({1.5, -2, 3})),
               torch.CharTensor({100, 100}):sum(), torch.Tensor():sum(), torch.Tensor():prod()""",
              x, f)
    assert got[0] == seq_sum(x)                  # sequential, not pairwise
    assert got[1] == seq_sum(f)                  # float elements summed in double
    assert got[2] == 60000                       # long accumulator: no byte wrap-around
    assert got[3] == 0                           # 2^70 wraps in a long
    assert got[4] == -9.0 and got[5] == 200 and got[6] == 0 and got[7] == 1


def test_sum_over_a_dimension_keeps_it_and_follows_ths_two_paths(rt):
    row = np.array([1e8] + [1.0] * 8, np.float32)
    a = np.stack([row, row])                      # 2x9, the summed dim has stride 1
    got = lua(rt, """local a = ...
        local b = a:t():contiguous()              -- 9x2, the summed dim has stride 2
        local d = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
        return a:sum(2), b:sum(1), d:sum(1), torch.sum(d, 2), d:prod(2), torch.ByteTensor({{200, 100}}):sum(2),
               d:mean(1), torch.mean(d, 2), d:mean()""", a)
    s_double = np.float32(seq_sum(row))           # accreal double, then rounded
    s_float = seq_sum(row, np.float32)            # the element type (1 + 1e8 is 1e8)
    assert s_double != s_float
    np.testing.assert_array_equal(got[0].numpy(), [[s_double], [s_double]])
    np.testing.assert_array_equal(got[1].numpy(), [[s_float, s_float]])
    np.testing.assert_array_equal(got[2].numpy(), [[5, 7, 9]])
    np.testing.assert_array_equal(got[3].numpy(), [[6], [15]])
    np.testing.assert_array_equal(got[4].numpy(), [[6], [120]])
    np.testing.assert_array_equal(got[5].numpy(), [[44]])   # 300 wraps to 44 in a byte
    np.testing.assert_array_equal(got[6].numpy(), [[2.5, 3.5, 4.5]])
    np.testing.assert_array_equal(got[7].numpy(), [[2], [5]])
    assert got[8] == 3.5


def test_float_mean_divides_in_float(rt):
    x = np.array([[0.1, 0.2, 0.7]], np.float32)
    got = lua(rt, "local x = ... return x:mean(2)[1][1], x:mean()", x)
    assert got[0] == float(np.float32(seq_sum(x[0])) / np.float32(3))
    assert got[1] == seq_sum(x[0]) / 3


def test_cumsum_cumprod(rt):
    x = np.array([[1, 2, 3], [4, 5, 6]], np.float64)
    got = lua(rt, """local x = ...
        local r = torch.Tensor()
        local same = torch.cumsum(r, x, 2)
        return torch.cumsum(x), x:cumprod(2), same == r, r,
               torch.ByteTensor({200, 100, 1}):cumsum(), torch.FloatTensor({1e8, 1, 1, 1, 1, 1}):cumsum()""",
              x)
    np.testing.assert_array_equal(got[0].numpy(), np.cumsum(x, 0))
    np.testing.assert_array_equal(got[1].numpy(), np.cumprod(x, 1))
    assert got[2] is True
    np.testing.assert_array_equal(got[3].numpy(), np.cumsum(x, 1))
    assert got[4].numpy().tolist() == [200, 44, 45]
    # accreal double, each partial sum rounded to float (summing floats: all 1e8)
    assert got[5].numpy().tolist() == [1e8, 1e8, 1e8, 1e8, 1e8, 100000008.0]


# -- max / min ------------------------------------------------------------------------------------
def test_max_min_numbers_values_and_indices(rt):
    got = lua(rt, """
        local x = torch.Tensor({{3, 7, 7}, {9, 1, 9}})
        local v1, i1 = torch.max(x, 2)
        local v2, i2 = x:min(1)
        local vals, idx = torch.Tensor(), torch.LongTensor()
        local rv, ri = torch.max(vals, idx, x, 1)
        return x:max(), x:min(), v1, i1, v2, i2, rv == vals, ri == idx, vals, idx""")
    assert got[0] == 9 and got[1] == 1
    assert got[2].numpy().tolist() == [[7], [9]]
    assert got[3].numpy().tolist() == [[2], [1]]          # first of the ties, 1-based
    assert got[3].numpy().dtype == np.int64
    assert got[4].numpy().tolist() == [[3, 1, 7]]
    assert got[5].numpy().tolist() == [[1, 2, 1]]
    assert got[6] is True and got[7] is True
    assert got[8].numpy().tolist() == [[9, 7, 9]]
    assert got[9].numpy().tolist() == [[2, 1, 2]]


def test_max_min_with_nan_take_the_first_nan(rt):
    x = np.array([[1.0, np.nan, 5.0, np.nan], [2.0, 8.0, -1.0, 0.0]])
    got = lua(rt, """local x = ...
        local v, i = x:max(2)
        local w, j = x:min(2)
        return x:max(), x:min(), v, i, w, j, x:t():max(1)""", x)
    assert math.isnan(got[0]) and math.isnan(got[1])
    v, i, w, j = (g.numpy() for g in got[2:6])
    assert np.isnan(v[0, 0]) and v[1, 0] == 8 and i.tolist() == [[2], [2]]
    assert np.isnan(w[0, 0]) and w[1, 0] == -1 and j.tolist() == [[2], [3]]
    # the same on a non-contiguous view (TH's second code path)
    tv, ti = got[6:8]
    assert np.isnan(tv.numpy()[0, 0]) and ti.numpy().tolist() == [[2, 2]]


# -- var / std / norm / renorm / dist ----------------------------------------------------------------
def th_var_rows(x, biased, root, dt):
    """THTensor_(var/std) along the last dim: one pass, z*z in the element type."""
    out = []
    for row in x:
        n = len(row)
        s = s2 = 0.0
        for z in row:
            s += float(z)
            s2 += float(dt(z) * dt(z))
        if biased:
            s /= n
            s2 = s2 / n - s * s
        else:
            s /= n
            s2 = s2 / (n - 1) - float(dt(n) / dt(n - 1)) * s * s
        s2 = max(s2, 0.0)
        out.append(dt(math.sqrt(float(dt(s2)))) if root else dt(s2))
    return np.array(out, dt)


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_var_std_one_pass_by_dim_and_two_pass_overall(rt, dt):
    x = (np.random.default_rng(3).standard_normal((3, 7)) * 5 + 100).astype(dt)
    got = lua(rt, """local x = ...
        return x:var(2), x:var(2, true), torch.std(x, 2), x:std(2, true), x:var(), x:std(true),
               torch.var(x:t(), 1)""", x)
    for g, (biased, root) in zip(got[:4], [(False, False), (True, False), (False, True),
                                           (True, True)]):
        np.testing.assert_array_equal(g.numpy()[:, 0], th_var_rows(x, biased, root, dt))
    flat = [float(v) for v in x.ravel()]
    mean = seq_sum(flat) / len(flat)
    dev = seq_sum([(v - mean) * (v - mean) for v in flat])
    assert got[4] == dev / (len(flat) - 1)
    assert got[5] == math.sqrt(dev / len(flat))
    np.testing.assert_array_equal(got[6].numpy()[0], th_var_rows(x, False, False, dt))


def test_var_of_single_elements(rt):
    got = lua(rt, "return torch.Tensor({{5}}):var(1)[1][1], torch.Tensor({5}):var(), "
                  "torch.Tensor({{5}}):var(1, true)[1][1]")
    assert math.isnan(got[0]) and math.isnan(got[1]) and got[2] == 0


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_norms_and_dist(rt, dt):
    x = np.array([[3, -4, 0, 1.5], [0.5, 2, -2, 0]], dt)
    y = np.array([[1, 1, 1, 1], [2, 2, 2, 2]], dt)
    got = lua(rt, """local x, y = ...
        return x:norm(), x:norm(1), x:norm(0), x:norm(3), torch.norm(x, 3, 2), x:norm(0, 1),
               x:dist(y), torch.dist(x, y, 3)""", x, y)
    flat = x.ravel()
    powr = (lambda a, b: float(np.float32(a) ** np.float32(b))) if dt == np.float32 else math.pow
    assert got[0] == math.sqrt(seq_sum([float(v) * float(v) for v in flat]))
    assert got[1] == seq_sum([abs(float(v)) for v in flat])
    assert got[2] == 3 + 3 - 0   # non-zeros
    s3 = seq_sum([float(dt(abs(v)) ** dt(3)) for v in flat])
    assert got[3] == pytest.approx(s3 ** (1 / 3), rel=1e-6)
    rows3 = [seq_sum([float(dt(abs(v)) ** dt(3)) for v in r]) ** (1 / 3) for r in x]
    np.testing.assert_allclose(got[4].numpy()[:, 0], rows3, rtol=1e-6)
    np.testing.assert_array_equal(got[5].numpy(), [[2, 2, 1, 1]])
    d = x - y
    assert got[6] == pytest.approx(math.sqrt(float(np.sum(d.astype(np.float64) ** 2))), rel=1e-6)
    assert got[7] == pytest.approx(powr(float(np.sum(np.abs(d) ** 3)), 1 / 3), rel=1e-6)


def test_renorm_rescales_rows_above_maxnorm(rt):
    x = np.array([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]])
    got = lua(rt, """local x = ...
        local y = x:clone()
        local r = y:renorm(2, 1, 1)
        return r == y, y, torch.renorm(x, 1, 2, 5)""", x)
    assert got[0] is True
    scale = 1 / (5 + 1e-7), 1 / (10 + 1e-7)
    np.testing.assert_array_equal(got[1].numpy(), [[3 * scale[0], 4 * scale[0]], [0.3, 0.4],
                                                   [6 * scale[1], 8 * scale[1]]])
    # p=1 over dim 2: column norms 9.3 and 12.4, both above 5
    col = x.sum(0)
    np.testing.assert_allclose(got[2].numpy(), x * (5 / (col + 1e-7)), rtol=1e-15)


# -- logical, trace, numel -----------------------------------------------------------------------------
def test_all_any_trace_numel(rt):
    got = lua(rt, """
        local b = torch.ByteTensor({1, 1, 0})
        return b:all(), b:any(), torch.all(b:narrow(1, 1, 2)), torch.ByteTensor({0, 0}):any(),
               torch.Tensor({{1, 2, 3}, {4, 5, 6}}):trace(), torch.trace(torch.ByteTensor({{200, 0}, {0, 100}})),
               torch.numel(torch.Tensor(3, 4)), torch.Tensor(3, 4):numel()""")
    assert got == (False, True, True, False, 6, 300, 12, 12)


# -- sorting and selection --------------------------------------------------------------------------
def test_sort_matches_numpy_and_indices_point_back(rt):
    x = np.random.default_rng(4).standard_normal((5, 40))
    got = lua(rt, """local x = ...
        local v, i = x:sort(2)
        local dv, di = torch.sort(x, 1, true)
        local vals, idx = torch.Tensor(), torch.LongTensor()
        local rv, ri = torch.sort(vals, idx, x:t(), 1)
        return v, i, dv, di, rv == vals, ri == idx, vals, idx""", x)
    v, i, dv, di = (g.numpy() for g in got[:4])
    np.testing.assert_array_equal(v, np.sort(x, 1))
    np.testing.assert_array_equal(np.take_along_axis(x, i - 1, 1), v)
    np.testing.assert_array_equal(dv, -np.sort(-x, 0))
    np.testing.assert_array_equal(np.take_along_axis(x, di - 1, 0), dv)
    assert got[4] is True and got[5] is True
    np.testing.assert_array_equal(got[6].numpy(), np.sort(x.T, 0))
    np.testing.assert_array_equal(got[7].numpy(), i.T)


def test_sort_tie_order_is_ths_quicksort(rt):
    # 12 equal keys: one partition step of TH's median-of-three quicksort (traced
    # by hand from the algorithm) leaves this permutation; up to 11 keys only the
    # insertion pass runs, which keeps ties in order
    got = lua(rt, """
        local a, i = torch.sort(torch.Tensor(12):fill(1))
        local b, j = torch.sort(torch.Tensor(12):fill(1), true)
        local c, k = torch.sort(torch.Tensor({2, 1, 2, 1, 2}))
        return i, j, k""")
    assert got[0].numpy().tolist() == [8, 6, 11, 10, 9, 1, 7, 2, 5, 4, 3, 12]
    assert got[1].numpy().tolist() == [8, 6, 11, 10, 9, 1, 7, 2, 5, 4, 3, 12]
    assert got[2].numpy().tolist() == [2, 4, 1, 3, 5]


def test_selection_orders_are_ths_quickselect(rt):
    # expected values traced by hand through THTensor_(quickselect)/(topk)/(mode)
    got = lua(rt, """
        local x = torch.Tensor({5, 1, 4, 2, 3})
        local out = {}
        local function add(...) for _, v in ipairs({...}) do out[#out + 1] = v end end
        add(torch.kthvalue(torch.Tensor({2, 2, 2, 2, 2}), 2))
        add(torch.median(torch.Tensor({2, 2, 2, 2, 2})))
        add(torch.mode(torch.Tensor({1, 2, 2, 3, 3})))
        add(torch.topk(x, 2))
        add(torch.topk(x, 2, 1, true))
        add(torch.topk(x, 2, 1, true, true))
        add(x:kthvalue(4))
        add(x:median())
        return table.unpack(out)""")
    vals = [g.numpy().tolist() for g in got]
    assert vals == [[2], [3], [2], [1], [2], [3], [1, 2], [2, 4], [4, 5], [3, 1], [5, 4], [1, 3],
                    [4], [3], [3], [5]]


def test_selection_along_dimensions_keeps_them(rt):
    x = np.array([[4, 1, 3, 2], [8, 6, 7, 5]], np.float64)
    got = lua(rt, """local x = ...
        local kv, ki = x:kthvalue(2, 1)
        local mv, mi = torch.median(x, 2)
        local tv, ti = x:topk(3, 2, true, true)
        local ov, oi = torch.mode(torch.IntTensor({{1, 1, 2}, {3, 2, 2}}), 2)
        return kv, ki, mv, mi, tv, ti, ov, oi""", x)
    vals = [g.numpy().tolist() for g in got]
    assert vals == [[[8, 6, 7, 5]], [[2, 2, 2, 2]], [[2], [6]], [[4], [2]],
                    [[4, 3, 2], [8, 7, 6]], [[1, 3, 4], [1, 3, 2]], [[1], [2]], [[2], [3]]]


# -- errors ------------------------------------------------------------------------------------------
def test_reduction_errors(rt):
    assert err(rt, "local s = torch.Tensor(2, 3):sum(3)") == (
        "script.lua:2: bad argument #1 to 'sum' (dimension 3 out of range)")
    assert err(rt, "local s = torch.sum(torch.Tensor(2, 3), 0)") == (
        "script.lua:2: bad argument #2 to '?' (dimension 0 out of range)")
    assert err(rt, "local m = torch.Tensor():max()") == (
        "script.lua:2: calling 'max' on bad self (tensor must have one dimension)")
    assert err(rt, "local m = torch.Tensor(3):trace()") == (
        "script.lua:2: calling 'trace' on bad self (expected a matrix)")
    assert err(rt, "local m = torch.Tensor(3):renorm(2, 1, 1)") == (
        "script.lua:2: calling 'renorm' on bad self (need at least 2 dimensions, got 1 dimensions)")
    assert err(rt, "local v, i = torch.Tensor(3):kthvalue(4)") == (
        "script.lua:2: bad argument #1 to 'kthvalue' (selected index out of range)")
    assert err(rt, "local v, i = torch.Tensor(3):topk(4)") == (
        "script.lua:2: bad argument #1 to 'topk' (k not in range for dimension)")
    assert err(rt, "local v, i = torch.Tensor(3):sort(2)") == (
        "script.lua:2: bad argument #1 to 'sort' (invalid dimension 2)")
    assert err(rt, "local v = torch.Tensor(3):var(2)") == (
        "script.lua:2: bad argument #2 to 'var' (invalid dimension 2)")
    assert err(rt, "local v = torch.ByteTensor():all()") == (
        "script.lua:2: calling 'all' on bad self (empty Tensor)")
    assert err(rt, "local d = torch.dist(torch.Tensor(3), torch.Tensor(2))") == (
        "script.lua:2: inconsistent tensor size, expected tensor [3] and src [2] to have the "
        "same number of elements, but got 3 and 2 elements respectively")
    assert err(rt, "local d = torch.Tensor(2):mean('x')").startswith(
        "script.lua:2: invalid arguments: DoubleTensor string \nexpected arguments: "
        "DoubleTensor | [*DoubleTensor*] DoubleTensor index")


def test_long_sums_stay_sequential_across_blocks(rt):
    rng = np.random.default_rng(12)
    x = (rng.standard_normal(150001) * 1e4).astype(np.float32)
    m = rng.standard_normal((3, 70001))
    got = lua(rt, """local x, m = ...
        return x:sum(), m:sum(2), m:t():sum(1), x:prod()""", x, m)
    assert got[0] == seq_sum(x)
    rows = [seq_sum(r) for r in m]
    np.testing.assert_array_equal(got[1].numpy()[:, 0], rows)
    np.testing.assert_array_equal(got[2].numpy()[0], rows)   # Double: same path either way
    prod = 1.0
    for v in x:
        prod *= float(v)
    assert got[3] == prod


def test_sums_and_products_do_not_need_numba():
    import subprocess
    import sys
    code = ("import sys, torchlua\n"
            "rt = torchlua.Runtime()\n"
            "rt.execute('local x = torch.FloatTensor({{1, 2}, {3, 4}}) "
            "local s = x:sum() + x:sum(1)[1][1] + x:mean(2)[1][1] + x:prod() + x:max() "
            "+ x:cumsum(1)[2][2] + (x + x * 2 - 1):sum()')\n"
            "print('numba' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.stdout.strip() == "False", out.stderr
