"""BLAS-level tensor math as Lua sees it (lua_prelude/torch/TensorMath_blas.lua,
torchlua/core/math_blas.py): results against NumPy, Torch's argument forms,
result tensors, non-contiguous operands, errors with the script's file:line."""

import numpy as np
import pytest
from lua_helpers import lua


TYPES = {
    "Double": np.float64, "Float": np.float32, "Long": np.int64, "Int": np.int32,
    "Short": np.int16, "Char": np.int8, "Byte": np.uint8,
}


def err(rt, code, *args):
    """The error message a script gets from pcall."""
    ok, msg = rt.eval("function(f, ...) return pcall(f, ...) end")(lua(rt, "return " + (
        "function(...) " + code + "\nend")), *args)
    assert ok is False
    return msg


def rnd(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(0, 100, shape).astype(dtype)


def close(actual, expected):
    actual = np.asarray(actual)
    assert actual.dtype == expected.dtype
    assert actual.shape == expected.shape
    if expected.dtype == np.float32:
        np.testing.assert_allclose(actual, expected, rtol=2e-5, atol=1e-5)
    elif expected.dtype == np.float64:
        np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12)
    else:
        np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize("tname", list(TYPES))
def test_mm_mv_bmm_ger_dot_match_numpy_for_every_type(rt, tname):
    dt = TYPES[tname]
    a, b = rnd((4, 3), dt, 1), rnd((3, 5), dt, 2)
    v, w = rnd(3, dt, 3), rnd(4, dt, 4)
    x, y = rnd((2, 4, 3), dt, 5), rnd((2, 3, 2), dt, 6)
    with np.errstate(over="ignore"):
        close(lua(rt, "local a, b = ... return torch.mm(a, b)", a, b).numpy(), (a @ b).astype(dt))
        close(lua(rt, "local a, v = ... return torch.mv(a, v)", a, v).numpy(), (a @ v).astype(dt))
        close(lua(rt, "local x, y = ... return torch.bmm(x, y)", x, y).numpy(), np.matmul(x, y))
        close(lua(rt, "local v, w = ... return torch.ger(w, v)", v, w).numpy(),
              np.multiply.outer(w, v).astype(dt))
    got = lua(rt, "local v = ... return torch.dot(v, v), v:dot(v)", v)
    if np.dtype(dt).kind == "f":
        assert got[0] == pytest.approx(float(np.dot(v, v)), rel=1e-6) and got[0] == got[1]
    else:
        # each contiguous run of the dot is summed in the element type (wrapping), as TH
        assert got == (int(np.dot(v, v).astype(dt)),) * 2


def test_integer_products_wrap_like_c(rt):
    a = np.full((2, 40), 200, np.uint8)
    b = np.full((40, 2), 3, np.uint8)
    got = lua(rt, "local a, b = ... return torch.mm(a, b)", a, b).numpy()
    assert got.tolist() == [[(200 * 3 * 40) % 256] * 2] * 2


def test_result_forms_return_and_fill_the_given_tensor(rt):
    a, b = rnd((2, 3), np.float64), rnd((3, 4), np.float64)
    same, first = lua(rt, """local a, b = ...
        local r = torch.Tensor(2, 4)   -- Torch7 does not resize a given result
        local r2 = torch.mm(r, a, b)
        local r3 = r:mm(a, b)
        return r2 == r and r3 == r, r""", a, b)
    assert same is True
    close(first.numpy(), a @ b)
    # the method needs its result (self) and both operands
    msg = err(rt, "local a, b = ... local r = a:mm(b)", a, b)
    assert msg.startswith("script.lua:1: invalid arguments: DoubleTensor DoubleTensor \n"
                          "expected arguments: *DoubleTensor* DoubleTensor~2D DoubleTensor~2D")


def test_addmm_argument_orders(rt):
    m, a, b = rnd((2, 4), np.float64, 1), rnd((2, 3), np.float64, 2), rnd((3, 4), np.float64, 3)
    res = lua(rt, """local m, a, b = ...
        local out = {}
        out[1] = torch.addmm(m, a, b)
        out[2] = torch.addmm(2, m, a, b)
        out[3] = torch.addmm(2, m, 3, a, b)
        out[4] = torch.addmm(m, 3, a, b)
        local r = torch.Tensor()
        out[5] = torch.addmm(r, 0.5, m, 2, a, b)
        out[6] = m:clone():addmm(a, b)
        out[7] = m:clone():addmm(3, a, b)          -- alpha alone
        out[8] = m:clone():addmm(0.5, 3, a, b)     -- beta, alpha
        out[9] = torch.Tensor(2, 4):addmm(0.5, m, 3, a, b)
        out[10] = torch.Tensor(2, 4):addmm(m, a, b)
        return out[1], out[2], out[3], out[4], out[5], out[6], out[7], out[8], out[9], out[10],
               out[5] == r""", m, a, b)
    p = a @ b
    expect = [m + p, 2 * m + p, 2 * m + 3 * p, m + 3 * p, 0.5 * m + 2 * p, m + p, m + 3 * p,
              0.5 * m + 3 * p, 0.5 * m + 3 * p, m + p]
    for got, want in zip(res[:10], expect):
        close(got.numpy(), want)
    assert res[10] is True


@pytest.mark.parametrize("name,dims,ref", [
    ("addmv", ((3,), (3, 4), (4,)), lambda t, x, y: x @ y),
    ("addr", ((3, 4), (3,), (4,)), lambda t, x, y: np.multiply.outer(x, y)),
    ("addbmm", ((3, 2), (5, 3, 4), (5, 4, 2)), lambda t, x, y: np.matmul(x, y).sum(0)),
    ("baddbmm", ((5, 3, 2), (5, 3, 4), (5, 4, 2)), lambda t, x, y: np.matmul(x, y)),
])
@pytest.mark.parametrize("tname", ["Double", "Float", "Long"])
def test_add_products_with_beta_alpha(rt, name, dims, ref, tname):
    dt = TYPES[tname]
    t, x, y = (rnd(d, dt, i) for i, d in enumerate(dims))
    got = lua(rt, """local t, x, y, name = ...
        local a = torch[name](t, x, y)
        local b = torch[name](2, t, 3, x, y)
        local c = t:clone()[name](t:clone(), 2, t, 3, x, y)
        local d = t:clone()
        d[name](d, 2, 3, x, y)
        return a, b, c, d""", t, x, y, name)
    p = ref(t, x, y).astype(dt)
    close(got[0].numpy(), (t + p).astype(dt))
    for g in got[1:]:
        close(g.numpy(), (2 * t + 3 * p).astype(dt))


def test_beta_zero_ignores_nan_in_the_result(rt):
    a, b = rnd((3, 3), np.float64, 1), rnd((3, 3), np.float64, 2)
    got = lua(rt, """local a, b = ...
        local r = torch.Tensor(3, 3):fill(0/0)
        local r2 = torch.Tensor(3, 3):fill(0/0)
        local v = torch.Tensor(3):fill(0/0)
        local bb = torch.Tensor(2, 3, 3):fill(0/0)
        return r:addmm(0, r, 1, a, b), r2:mm(a, b), v:addmv(0, v, 1, a, b[1]),
               bb:baddbmm(0, bb, 1, torch.cat(a:view(1,3,3), a:view(1,3,3), 1),
                          torch.cat(b:view(1,3,3), b:view(1,3,3), 1))""", a, b)
    close(got[0].numpy(), a @ b)
    close(got[1].numpy(), a @ b)
    close(got[2].numpy(), a @ b[0])
    close(got[3].numpy(), np.stack([a @ b, a @ b]))


def test_non_contiguous_operands_and_results(rt):
    base = rnd((6, 8), np.float64)
    got = lua(rt, """local base = ...
        local a = base:narrow(2, 1, 4):t()               -- 4x6, transposed view
        local s = base:unfold(2, 2, 2):select(3, 1)        -- 6x4 with column stride 2
        local r = torch.Tensor(4, 4):t()                   -- column-major result
        r:mm(a, s)
        local r2 = torch.Tensor(4, 8):narrow(2, 2, 4)       -- row stride 8
        r2:mm(a, s)
        return r, r2, r:stride(1), r:stride(2), torch.mm(a, s)""", base)
    a = base[:, :4].T
    s = base[:, ::2]
    close(got[0].numpy(), a @ s)
    close(got[1].numpy(), a @ s)
    assert got[2:4] == (1, 4)
    close(got[4].numpy(), a @ s)


def test_cross(rt):
    a, b = rnd((4, 3), np.float64, 1), rnd((4, 3), np.float64, 2)
    got = lua(rt, """local a, b = ...
        local r = torch.Tensor()
        torch.cross(r, a, b)
        return torch.cross(a, b), a:cross(b, 2), r, torch.cross(a:t(), b:t(), 1)""", a, b)
    want = np.cross(a, b)
    for g in got[:3]:
        close(g.numpy(), want)
    close(got[3].numpy(), want.T)
    assert "no dimension of size 3 in a: [2 x 2]" in err(
        rt, "local x = torch.cross(torch.Tensor(2, 2), torch.Tensor(2, 2))")
    assert "inconsistent tensor sizes [4 x 3], [3 x 4]" in err(
        rt, "local a = ... local x = torch.cross(a, a:t())", a)
    assert "dimension 1 does not have size 3" in err(
        rt, "local a = ... local x = torch.cross(a, a, 1)", a)


def test_errors_carry_torch_words_and_the_script_line(rt):
    # torch.X called the typed C function from C: no position in Torch7's th
    assert err(rt, "local x = torch.mm(torch.Tensor(2, 3), torch.Tensor(4, 5))") == \
        "script.lua:1: size mismatch, m1: [2 x 3], m2: [4 x 5]"
    assert err(rt, "\nlocal x = torch.mv(torch.Tensor(2, 3), torch.Tensor(4))") == \
        "script.lua:2: size mismatch, [2 x 3], [4]"
    assert err(rt, "local x = torch.addmm(torch.Tensor(3, 3), torch.Tensor(2, 3), torch.Tensor(3, 5))") \
        == "script.lua:1: size mismatch, t: [3 x 3], m1: [2 x 3], m2: [3 x 5]"
    assert err(rt, "local x = torch.addr(torch.Tensor(3, 3), torch.Tensor(2), torch.Tensor(3))") \
        == "script.lua:1: size mismatch, t: [3 x 3], vec1: [2], vec2: [3]"
    # THArgCheck: numbered as luaL_argerror does (a method call counts self as 0)
    assert err(rt, "local x = torch.Tensor(2, 2):addbmm(torch.Tensor(3, 2, 4), torch.Tensor(3, 3, 2))") \
        == "script.lua:1: bad argument #1 to 'addbmm' (wrong matrix size, batch1: 2x4, batch2: 3x2)"
    assert err(rt, "local x = torch.Tensor(5, 5):addbmm(torch.Tensor(3, 2, 4), torch.Tensor(3, 4, 2))") \
        == "script.lua:1: calling 'addbmm' on bad self (output tensor of incorrect size)"
    assert err(rt, "local x = torch.baddbmm(torch.Tensor(3, 2, 2), torch.Tensor(2, 2, 4), torch.Tensor(3, 4, 2))") \
        == "script.lua:1: bad argument #2 to '?' (equal number of batches expected, got 2, 3)"
    assert err(rt, "local x = torch.mm(torch.Tensor(2, 2), torch.FloatTensor(2, 2))") == (
        "script.lua:1: invalid arguments: DoubleTensor FloatTensor \n"
        "expected arguments: [*DoubleTensor*] DoubleTensor~2D DoubleTensor~2D")
    assert err(rt, "local x = torch.addmm(torch.Tensor(2, 2), 'x')").endswith(
        "expected arguments: [*DoubleTensor*] [double] DoubleTensor~2D [double] "
        "DoubleTensor~2D DoubleTensor~2D")
    assert err(rt, "local x = torch.IntTensor(2):dot(torch.IntTensor(3))") == (
        "script.lua:1: inconsistent tensor size, expected tensor [2] and src [3] to have the "
        "same number of elements, but got 2 and 3 elements respectively")


def test_float_math_is_done_in_float32(rt):
    a = np.array([[1 / 3]], np.float32)
    b = np.array([[3]], np.float32)
    f, d = lua(rt, "local a, b = ... return torch.mm(a, b), torch.mm(a:double(), b:double())",
               a, b)
    assert f.numpy().dtype == np.float32
    assert f.numpy()[0, 0] == np.float32(1 / 3) * np.float32(3)
    assert d.numpy()[0, 0] == np.float64(np.float32(1 / 3)) * 3.0


def test_integer_dot_wraps_per_contiguous_run(rt):
    # TH sums each run TH_TENSOR_APPLY2 walks in the element type, the runs in a long
    x = np.full((2, 3), 200, np.uint8)
    got = lua(rt, "local x = ... return x:dot(x), x:t():dot(x:t())", x)
    per_product = (200 * 200) % 256
    assert got[0] == (6 * per_product) % 256          # one run of 6
    assert got[1] == 3 * ((2 * per_product) % 256)    # three runs of 2 (the transposed rows)
