"""Index-based operations as Lua sees them (lua_prelude/torch/TensorMath_index.lua,
torchlua/core/math_index.py): index, indexCopy, indexAdd, indexFill, gather,
scatter, maskedSelect/Fill/Copy, nonzero, against NumPy, with TH's element order,
result forms and Torch's error messages."""
import numpy as np
import pytest
from lua_helpers import lua


TYPES = {"Double": np.float64, "Float": np.float32, "Long": np.int64, "Int": np.int32,
         "Byte": np.uint8}


def err(rt, code, *args):
    ok, msg = rt.eval("function(f, ...) return pcall(f, ...) end")(
        lua(rt, "return function(...) " + code + "\nend"), *args)
    assert ok is False
    return msg


def arr(shape, dtype, seed=0):
    return np.random.default_rng(seed).integers(0, 50, shape).astype(dtype)


def L(*v):
    return np.array(v, dtype=np.int64)


@pytest.mark.parametrize("tname", list(TYPES))
def test_index_selects_along_a_dimension(rt, tname):
    x = arr((4, 5), TYPES[tname])
    got = lua(rt, """local x, i = ...
        local r = x.new()
        local same = r:index(x, 2, i) == r
        return x:index(1, i), x:index(2, i), r, same, x:t():index(1, i), x[1]:index(1, i)""",
              x, L(3, 1, 3))
    np.testing.assert_array_equal(got[0].numpy(), x[[2, 0, 2]])
    np.testing.assert_array_equal(got[1].numpy(), x[:, [2, 0, 2]])
    np.testing.assert_array_equal(got[2].numpy(), x[:, [2, 0, 2]])
    assert got[3] is True
    np.testing.assert_array_equal(got[4].numpy(), x.T[[2, 0, 2]])
    np.testing.assert_array_equal(got[5].numpy(), x[0][[2, 0, 2]])
    assert got[0].numpy().dtype == TYPES[tname]


def test_index_errors(rt):
    x = arr((3, 3), np.float64)
    # contiguous source along dim 1: TH checks all indices first
    assert err(rt, "local x, i = ... local y = x:index(1, i)", x, L(1, 4)) == \
        "script.lua:1: index out of range"
    # other layouts fail in select (argument 3, i.e. #2 of the method)
    assert err(rt, "local x, i = ... local y = x:t():index(1, i)", x, L(0)) == \
        "script.lua:1: bad argument #2 to 'index' (out of range)"
    assert err(rt, "local x = ... local y = x:index(1, torch.Tensor{1})", x) == \
        "script.lua:1: bad argument #2 to 'index' (torch.LongTensor expected, got torch.DoubleTensor)"
    assert err(rt, "local x = ... local y = x:index(1, {1})", x) == \
        "script.lua:1: bad argument #2 to 'index' (torch.LongTensor expected, got number)"
    assert err(rt, "local x = ... local y = x:index('a', torch.LongTensor{1})", x) == \
        "script.lua:1: bad argument #1 to 'index' (number expected, got string)"
    assert err(rt, "local x = ... local y = x:index(1)", x) == (
        "script.lua:1: torch.DoubleTensor, number, torch.LongTensor | torch.DoubleTensor, "
        "torch.DoubleTensor, number, torch.LongTensor expected")
    assert err(rt, "local x = ... local y = x:index(3, torch.LongTensor{1})", x) == \
        "script.lua:1: bad argument #3 to 'index' (Indexing dim 3 is out of bounds of tensor)"
    assert err(rt, "local x = ... local y = x:index(1, torch.LongTensor(2, 2))", x) == \
        "script.lua:1: bad argument #2 to 'index' (Index is supposed to be a vector)"


@pytest.mark.parametrize("tname", ["Double", "Long", "Byte"])
def test_index_copy_add_fill(rt, tname):
    dt = TYPES[tname]
    x = arr((4, 3), dt)
    src = arr((3, 3), dt, 1)
    src2 = arr((4, 3), dt, 2)
    got = lua(rt, """local x, src, i, src2 = ...
        local c = x:clone():indexCopy(1, i, src)
        local a = x:clone():indexAdd(1, i, src)
        local f = x:clone():indexFill(2, torch.LongTensor{3, 1}, 7)
        local v = x:clone():select(2, 1)
        v:indexAdd(1, i, src:select(2, 2))
        local cols = x:clone():indexCopy(2, torch.LongTensor{3, 1, 2}, src2)
        return c, a, f, v, cols""", x, src, L(2, 4, 2), src2)
    c = x.copy()
    c[1] = src[2]   # the later duplicate wins
    c[3] = src[1]
    a = x.copy()
    with np.errstate(over="ignore"):
        np.add.at(a, [1, 3, 1], src)
    f = x.copy()
    f[:, [2, 0]] = 7
    v = x[:, 0].copy()
    with np.errstate(over="ignore"):
        np.add.at(v, [1, 3, 1], src[:, 1])
    cols = x.copy()
    cols[:, [2, 0, 1]] = src2
    for g, want in zip(got, [c, a, f, v, cols]):
        np.testing.assert_array_equal(g.numpy(), want)


def test_index_write_errors(rt):
    x = np.zeros((3, 2))
    assert err(rt, "local x = ... x:indexCopy(1, torch.LongTensor{1, 2}, torch.Tensor(3, 2))", x) \
        == "script.lua:1: bad argument #3 to 'indexCopy' (Number of indices should be equal to " \
        "source:size(dim))"
    assert err(rt, "local x = ... x:indexCopy(1, torch.LongTensor{4}, torch.Tensor(1, 2))", x) == \
        "script.lua:1: bad argument #2 to 'indexCopy' (out of range)"
    assert err(rt, "local x = ... x:indexFill(1, torch.LongTensor{1}, 'z')", x) == \
        "script.lua:1: bad argument #3 to 'indexFill' (number expected, got string)"
    assert err(rt, "local x = ... x:indexAdd(1, torch.LongTensor{1})", x) == \
        "script.lua:1: torch.DoubleTensor, number, torch.LongTensor, torch.DoubleTensor expected"


@pytest.mark.parametrize("tname", ["Double", "Float", "Int"])
def test_gather_and_scatter_match_numpy(rt, tname):
    dt = TYPES[tname]
    src = arr((3, 4), dt)
    idx = np.array([[1, 4, 2, 1], [3, 3, 1, 2], [2, 1, 4, 4]], np.int64)
    idx0 = np.array([[1, 3, 2, 1], [3, 2, 1, 2]], np.int64)
    got = lua(rt, """local src, idx, idx0 = ...
        local r = src.new()
        torch.gather(r, src, 2, idx)
        return torch.gather(src, 2, idx), src:gather(1, idx0), r,
               src.new(3, 4):zero():scatter(2, idx, src),
               src.new(3, 4):zero():scatter(1, idx0, 9)""", src, idx, idx0)
    np.testing.assert_array_equal(got[0].numpy(), np.take_along_axis(src, idx - 1, 1))
    np.testing.assert_array_equal(got[1].numpy(), np.take_along_axis(src, idx0 - 1, 0))
    np.testing.assert_array_equal(got[2].numpy(), np.take_along_axis(src, idx - 1, 1))
    sc = np.zeros((3, 4), dt)
    for i in range(3):
        for j in range(4):           # TH's order: later positions overwrite earlier ones
            sc[i, idx[i, j] - 1] = src[i, j]
    np.testing.assert_array_equal(got[3].numpy(), sc)
    fill = np.zeros((3, 4), dt)
    for i in range(2):
        for j in range(4):
            fill[idx0[i, j] - 1, j] = 9
    np.testing.assert_array_equal(got[4].numpy(), fill)


def test_gather_scatter_errors(rt):
    src = np.zeros((2, 3))
    assert err(rt, "local s = ... local y = s:gather(2, torch.LongTensor{{1, 4}, {1, 1}})", src) == \
        "script.lua:1: Invalid index in gather"
    assert err(rt, "local s = ... s:scatter(2, torch.LongTensor{{0}, {1}}, 1)", src) == \
        "script.lua:1: Invalid index in scatter"
    assert err(rt, "local s = ... local y = s:gather(1, torch.LongTensor{1, 2})", src) == \
        "script.lua:1: bad argument #1 to 'gather' (Input tensor must have same dimensions as " \
        "output tensor)"
    assert err(rt, "local s = ... local y = torch.gather(s, 2, torch.LongTensor{{1}, {1}, {1}})", src) \
        == ("script.lua:1: Expected tensor [3 x 1], src [2 x 3] and index [3 x 1] to have the "
            "same size in dimension 1")


@pytest.mark.parametrize("tname", ["Double", "Long"])
def test_masked_ops_follow_logical_order(rt, tname):
    dt = TYPES[tname]
    x = arr((3, 4), dt)
    m = (arr((4, 3), np.uint8, 3) > 25).astype(np.uint8)   # same count, other shape
    xt_mask = m.reshape(3, 4)
    got = lua(rt, """local x, m = ...
        local xt = x:t():contiguous():t()       -- same values, column-major
        local sel = x:maskedSelect(m)
        local sel_t = xt:maskedSelect(m)
        local r = x.new()
        r:maskedSelect(x, m)
        local f = xt:clone():maskedFill(m, -1)
        local c = x:clone():maskedCopy(m, torch.range(101, 112):typeAs(x))
        return sel, sel_t, r, f, c, x[m:view(3, 4)]""", x, m)
    want = x[xt_mask == 1]
    for g in (got[0], got[1], got[2], got[5]):
        np.testing.assert_array_equal(g.numpy(), want)
    f = x.copy()
    f[xt_mask == 1] = -1 if dt != np.uint8 else 255
    np.testing.assert_array_equal(got[3].numpy(), f)
    c = x.copy()
    c[xt_mask == 1] = np.arange(101, 101 + int(xt_mask.sum()))
    np.testing.assert_array_equal(got[4].numpy(), c)


def test_masked_errors(rt):
    x = np.zeros((2, 2))
    assert err(rt, "local x = ... local y = x:maskedSelect(torch.ByteTensor{{2, 0}, {0, 1}})", x) \
        == "script.lua:1: Mask tensor can take 0 and 1 values only"
    assert err(rt, "local x = ... x:maskedCopy(torch.ByteTensor{{1, 1}, {1, 0}}, torch.Tensor{1, 2})",
               x) == "script.lua:1: Number of elements of src < number of ones in mask"
    assert err(rt, "local x = ... x:maskedFill(torch.ByteTensor{1, 1, 1}, 0)", x) == (
        "script.lua:1: inconsistent tensor size, expected tensor [2 x 2] and mask [3] to have "
        "the same number of elements, but got 4 and 3 elements respectively")
    assert err(rt, "local x = ... x:maskedFill(x, 0)", x) == \
        "script.lua:1: bad argument #1 to 'maskedFill' (torch.ByteTensor expected, got torch.DoubleTensor)"


def test_nonzero(rt):
    x = np.array([[0, 1.5, 0], [2, 0, np.nan]])
    got = lua(rt, """local x = ...
        local r = torch.LongTensor()
        x.nonzero(r, x)
        return torch.nonzero(x), x:nonzero(), r, torch.type(r),
               torch.nonzero(torch.zeros(3)):dim(), torch.nonzero(torch.IntTensor{0, 3, 4})""", x)
    want = np.argwhere(x != 0) + 1
    for g in got[:3]:
        assert g.numpy().dtype == np.int64
        np.testing.assert_array_equal(g.numpy(), want)
    assert got[3] == "torch.LongTensor"
    assert got[4] == 0
    np.testing.assert_array_equal(got[5].numpy(), [[2], [3]])
    # the dispatcher picks the LongTensor version from the first argument, as in Torch7
    assert "invalid arguments: LongTensor DoubleTensor" in err(
        rt, "local x = ... local y = torch.nonzero(torch.LongTensor(), x)", x)
