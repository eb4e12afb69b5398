"""Element-wise math, comparisons and operators as Lua sees them
(lua_prelude/torch/TensorMath_pointwise.lua, TensorOperator.lua,
torchlua/core/math_pointwise.py): C semantics per element type, results against
NumPy and C's libm, Torch's argument forms, result tensors, non-contiguous
operands, errors with the script's file:line, speed of the hot forms."""
import ctypes
import ctypes.util
import math
import tracemalloc

import numpy as np
import pytest
from lua_helpers import lua


TYPES = {
    "Double": np.float64, "Float": np.float32, "Long": np.int64, "Int": np.int32,
    "Short": np.int16, "Char": np.int8, "Byte": np.uint8,
}
INTS = ["Long", "Int", "Short", "Char", "Byte"]

_libm = ctypes.CDLL(ctypes.util.find_library("m"))


def libmf(name):
    """C's float function `namef` (what TH calls for FloatTensor)."""
    f = getattr(_libm, name + "f")
    f.restype = ctypes.c_float
    f.argtypes = [ctypes.c_float] * (2 if name in ("pow", "atan2") else 1)
    return lambda *xs: np.float32(f(*[float(x) for x in xs]))


def err(rt, code, *args):
    """The error message the script gets from pcall (no tail call, so Torch's
    function names appear as they would)."""
    f = rt.eval("function(code) return assert(loadstring(code, '@script.lua')) end")(
        "local f = function(...)\n" + code + "\nend\n"
        "local ok, e = pcall(f, ...) assert(not ok, 'no error') return e")
    return f(*args)


def values(dt, n=12, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dt).kind == "f":
        return (rng.standard_normal(n) * 10).astype(dt)
    info = np.iinfo(dt)
    lo, hi = max(info.min, -100), min(info.max, 100)
    return rng.integers(lo, hi, n).astype(dt)


def c_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def c_fmod(a, b):
    return a - b * c_div(a, b)


def c_remainder(a, b):
    r = c_fmod(a, b)
    return r + b if r * b < 0 else r


def wrap(vals, dt):
    """Python ints reduced modulo 2^bits into dt (C's conversion of an int result)."""
    return (np.array(vals, dtype=object) % 2 ** 64).astype(np.uint64).astype(dt)


# -- arithmetic with a number ---------------------------------------------------------------
@pytest.mark.parametrize("tname", list(TYPES))
def test_number_ops_follow_c_arithmetic_of_the_element_type(rt, tname):
    dt = TYPES[tname]
    x = values(dt)
    x[x == 0] = 1
    v = 3
    got = lua(rt, """local x, v = ...
        return torch.add(x, v), torch.mul(x, v), torch.div(x, v), torch.fmod(x, v),
               torch.remainder(x, v), torch.csub(x, v), torch.mod(x, -v)""", x, v)
    got = [g.numpy() for g in got]
    if np.dtype(dt).kind == "f":
        fv = dt(v)
        rem = x.astype(np.float64) - np.float64(fv) * np.floor(x / fv).astype(np.float64)
        want = [x + fv, x * fv, x / fv, np.fmod(x, fv), rem.astype(dt), x - fv,
                np.fmod(x, -fv)]
    else:
        xi = [int(a) for a in x]
        mv = int(wrap([-v], dt)[0])     # -3 as the element type (253 for a byte)
        want = [wrap([a + v for a in xi], dt), wrap([a * v for a in xi], dt),
                wrap([c_div(a, v) for a in xi], dt), wrap([c_fmod(a, v) for a in xi], dt),
                wrap([c_remainder(a, v) for a in xi], dt), wrap([a - v for a in xi], dt),
                wrap([c_fmod(a, mv) for a in xi], dt)]
    for g, w in zip(got, want):
        assert g.dtype == dt
        np.testing.assert_array_equal(g, w.astype(dt))


def test_integer_division_and_remainders_truncate_like_c(rt):
    got = lua(rt, """local x = torch.IntTensor({-7, 7, -8, 9})
        return x:clone():div(2), x:clone():fmod(3), x:clone():remainder(3),
               x:clone():remainder(-3), torch.CharTensor({-128}):div(-1)[1],
               torch.ByteTensor({250}):add(10)[1], torch.ByteTensor({5}):add(-1)[1],
               torch.ShortTensor({100}):mul(1000)[1]""")
    assert list(got[0].numpy()) == [-3, 3, -4, 4]
    assert list(got[1].numpy()) == [-1, 1, -2, 0]
    assert list(got[2].numpy()) == [2, 1, 1, 0]
    assert list(got[3].numpy()) == [-1, -2, -2, 0]
    assert got[4:] == (-128, 4, 4, np.int16(100000 % 65536 - 65536))


def test_numbers_are_converted_to_the_element_type_first(rt):
    got = lua(rt, """
        local f = torch.FloatTensor({0.1, 0.2})
        return f:eq(0.1)[1], f:eq(0.2)[2], torch.DoubleTensor({0.1}):eq(0.1)[1],
               torch.ByteTensor({0}):lt(0.5)[1], torch.ByteTensor({0}):ge(0.5)[1],
               torch.IntTensor({1}):add(2.9)[1], torch.IntTensor({1}):add(-2.9)[1],
               torch.ByteTensor({1}):add(-1)[1], torch.FloatTensor({1}):add(1e-8)[1]""")
    # Torch7 issue #1019: 0.5 becomes 0 for a ByteTensor
    assert got == (1, 1, 1, 0, 1, 3, -1, 0, 1.0)


def test_integer_division_by_zero_is_an_error_not_a_crash(rt):
    assert "division by zero" in err(rt, "torch.IntTensor({1, 2}):div(0)")
    assert "division by zero" in err(rt, "torch.LongTensor({1}):cfmod(torch.LongTensor({0}))")
    got = lua(rt, "return torch.DoubleTensor({1, -1, 0}):div(0)").numpy()
    assert got[0] == np.inf and got[1] == -np.inf and np.isnan(got[2])


# -- tensor op tensor ----------------------------------------------------------------------
@pytest.mark.parametrize("tname", list(TYPES))
def test_tensor_ops_for_every_type(rt, tname):
    dt = TYPES[tname]
    x, y = values(dt, 12, 1), values(dt, 12, 2)
    y[y == 0] = 3
    got = lua(rt, """local x, y = ...
        return torch.add(x, y), torch.add(x, 2, y), torch.csub(x, 2, y), torch.cmul(x, y),
               torch.cdiv(x, y), torch.cfmod(x, y), torch.cremainder(x, y), torch.cmod(x, y),
               torch.cmax(x, y), torch.cmin(x, y)""", x, y)
    got = [g.numpy() for g in got]
    if np.dtype(dt).kind == "f":
        two = dt(2)
        want = [x + y, x + two * y, x + (-two) * y, x * y, x / y, np.fmod(x, y),
                (x.astype(np.float64) - y.astype(np.float64) *
                 np.floor(x / y).astype(np.float64)).astype(dt),
                np.fmod(x, y), np.where(x > y, x, y), np.where(x < y, x, y)]
    else:
        xi, yi = [int(a) for a in x], [int(b) for b in y]
        pairs = list(zip(xi, yi))
        want = [wrap([a + b for a, b in pairs], dt), wrap([a + 2 * b for a, b in pairs], dt),
                wrap([a - 2 * b for a, b in pairs], dt), wrap([a * b for a, b in pairs], dt),
                wrap([c_div(a, b) for a, b in pairs], dt),
                wrap([c_fmod(a, b) for a, b in pairs], dt),
                wrap([c_remainder(a, b) for a, b in pairs], dt),
                wrap([c_fmod(a, b) for a, b in pairs], dt),
                np.maximum(x, y), np.minimum(x, y)]
    for g, w in zip(got, want):
        assert g.dtype == dt
        np.testing.assert_array_equal(g, w)


def test_cpow_uses_double_pow_then_converts(rt):
    got = lua(rt, """return torch.cpow(torch.IntTensor({2, 2, 3, -2}), torch.IntTensor({-1, 10, 2, 3})),
        torch.cpow(torch.ByteTensor({2}), torch.ByteTensor({9})),
        torch.cpow(torch.FloatTensor({1.7, 2.3}), torch.FloatTensor({2.5, -0.3}))""")
    assert list(got[0].numpy()) == [0, 1024, 9, -8]
    assert list(got[1].numpy()) == [0]          # 512 wraps to 0 in a byte
    f = np.float32([1.7, 2.3]), np.float32([2.5, -0.3])
    want = [np.float32(math.pow(float(a), float(b))) for a, b in zip(*f)]
    assert list(got[2].numpy()) == want


def test_bit_operations_and_shifts_on_integers(rt):
    got = lua(rt, """
        local x = torch.IntTensor({12, -1})
        return x:clone():bitand(10), x:clone():bitor(3), x:clone():bitxor(5),
               x:clone():rshift(28), torch.ByteTensor({200}):lshift(1),
               torch.CharTensor({-1}):rshift(1), torch.LongTensor({1}):lshift(65),
               torch.IntTensor({3, 5}):cbitand(torch.IntTensor({6, 4})),
               torch.IntTensor({1, 8}):clshift(torch.IntTensor({4, 1})),
               torch.DoubleTensor({3}):lshift(2), torch.FloatTensor({12}):rshift(2)""")
    got = [g.numpy().tolist() for g in got]
    assert got == [[8, 10], [15, -1], [9, -6], [0, 15], [144], [127], [2], [2, 4], [16, 16],
                   [12.0], [3.0]]
    assert "bitand is only supported for integer type tensors" in err(
        rt, "torch.FloatTensor({1}):bitand(1)")


# -- Torch's argument forms and result tensors ----------------------------------------------
def test_result_forms_of_add(rt):
    got = lua(rt, """
        local x = torch.Tensor({1, 2, 3})
        local y = torch.Tensor({10, 20, 30})
        local res = torch.Tensor(7)
        local a = torch.add(res, x, y)
        local z = x:clone()
        local b = z:add(y)
        local w = torch.Tensor(3):zero()
        w:add(x, 2, y)
        local n = torch.add(x, 2, y)
        local m = x:clone():add(5)
        return a == res, res:size(1), res, b == z, z, w, n, m, torch.add(x, y) ~= x""")
    assert got[0] is True and got[1] == 3 and got[3] is True and got[8] is True
    np.testing.assert_array_equal(got[2].numpy(), [11, 22, 33])
    np.testing.assert_array_equal(got[4].numpy(), [11, 22, 33])
    np.testing.assert_array_equal(got[5].numpy(), [21, 42, 63])
    np.testing.assert_array_equal(got[6].numpy(), [21, 42, 63])
    np.testing.assert_array_equal(got[7].numpy(), [6, 7, 8])


def test_cmax_method_works_in_place_and_takes_numbers(rt):
    got = lua(rt, """
        local x = torch.Tensor({1, 5, 3})
        local y = torch.Tensor({4, 2, 6})
        local r = x:cmax(y)
        local f = torch.cmin(x, 4)
        return r == x, x, f, torch.Tensor({1, 9}):cmin(3)""")
    assert got[0] is True
    assert got[1].numpy().tolist() == [4, 5, 6]
    assert got[2].numpy().tolist() == [4, 4, 4]
    assert got[3].numpy().tolist() == [1, 3]


def test_non_contiguous_operands_and_results_in_logical_order(rt):
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    got = lua(rt, """local a = ...
        local t = a:t()                       -- 3x2 view
        local r = torch.Tensor(2, 3):t()      -- non-contiguous result
        torch.cmul(r, t, t)
        local flat = torch.Tensor({1, 2, 3, 4, 5, 6})
        local s = torch.add(t, flat)          -- same count, other shape
        local u = t:clone():exp()
        return r, s, u, t:clone():add(t), torch.lt(t, flat)""", a.copy())
    t = a.T
    np.testing.assert_array_equal(got[0].numpy(), t * t)
    np.testing.assert_array_equal(got[1].numpy(), t + np.arange(1, 7).reshape(3, 2))
    np.testing.assert_array_equal(got[2].numpy(), np.vectorize(math.exp)(t))
    np.testing.assert_array_equal(got[3].numpy(), t + t)
    np.testing.assert_array_equal(got[4].numpy(), (t < np.arange(1, 7).reshape(3, 2)))


def test_comparisons_results_and_types(rt):
    x = np.array([1.0, 2.0, np.nan, 4.0])
    y = np.array([2.0, 2.0, np.nan, 3.0])
    got = lua(rt, """local x, y = ...
        local same = torch.Tensor()
        torch.lt(same, x, y)
        local byte = torch.ByteTensor()
        x.ge(byte, x, 2)
        return torch.lt(x, y), x:le(y), torch.gt(x, 2), x:ge(y), torch.eq(x, y), x:ne(y),
               same, byte, torch.equal(x, x:clone()), torch.equal(x:narrow(1, 1, 2), y:narrow(1, 1, 2)),
               torch.equal(torch.Tensor({1, 2}), torch.Tensor({{1, 2}}))""", x, y)
    for g, w in zip(got[:6], [x < y, x <= y, x > 2, x >= y, x == y, x != y]):
        assert g.numpy().dtype == np.uint8
        np.testing.assert_array_equal(g.numpy(), w)
    assert got[6].numpy().dtype == np.float64
    np.testing.assert_array_equal(got[6].numpy(), (x < y).astype(float))
    np.testing.assert_array_equal(got[7].numpy(), x >= 2)
    assert got[8:] == (False, False, False)   # NaN is not equal to itself; shapes differ


def test_torch_functions_dispatch_on_the_first_tensor_argument(rt):
    # Torch7 picks the type of argument 1: a ByteTensor result for a DoubleTensor
    # source is refused by torch.lt, but accepted by the method of the source's type
    msg = err(rt, "local b = torch.ByteTensor() torch.lt(b, torch.Tensor({1}), 2)")
    assert msg.startswith("script.lua:2: invalid arguments: ByteTensor DoubleTensor number \n"
                          "expected arguments: [*ByteTensor*] ByteTensor unsigned char |")
    got = lua(rt, "local b = torch.ByteTensor() torch.Tensor.lt(b, torch.Tensor({1, 3}), 2) return b")
    assert got.numpy().tolist() == [1, 0]


# -- errors -----------------------------------------------------------------------------------
def test_errors_carry_the_script_line_and_torch_words(rt):
    assert err(rt, "local x = torch.Tensor(2, 3)\nlocal z = x:add(torch.Tensor(4))") == (
        "script.lua:3: inconsistent tensor size, expected r_ [2 x 3], t [2 x 3] and src [4] to "
        "have the same number of elements, but got 6, 6 and 4 elements respectively")
    assert err(rt, "local z = torch.Tensor(2):add('a')") == (
        "script.lua:2: invalid arguments: DoubleTensor string \nexpected arguments: "
        "*DoubleTensor* [DoubleTensor] double | *DoubleTensor* [DoubleTensor] [double] "
        "DoubleTensor")
    assert err(rt, "local z = torch.add(torch.FloatTensor(2), 'a')") == (
        "script.lua:2: invalid arguments: FloatTensor string \nexpected arguments: "
        "[*FloatTensor*] FloatTensor float | [*FloatTensor*] FloatTensor [float] FloatTensor")
    assert err(rt, "local z = torch.IntTensor(2):exp()") == (
        "script.lua:2: attempt to call method 'exp' (a nil value)")
    assert err(rt, "local z = torch.exp(torch.IntTensor(2))") == (
        "script.lua:2: torch.IntTensor does not implement the torch.exp() function")
    assert err(rt, "local z = torch.Tensor(3):lerp(torch.Tensor(2), 0.5)") == (
        "script.lua:2: bad argument #1 to 'lerp' (sizes do not match)")
    assert err(rt, "local z = torch.cmul(torch.Tensor(3), torch.Tensor(3), torch.Tensor(2))") == (
        "script.lua:2: inconsistent tensor size, expected r_ [3], t [3] and src [2] to have the "
        "same number of elements, but got 3, 3 and 2 elements respectively")


# -- x -> f(x) -----------------------------------------------------------------------------------
LIBM = ["exp", "log", "log1p", "cos", "acos", "cosh", "sin", "asin", "sinh", "tan", "atan",
        "tanh"]


@pytest.mark.parametrize("tname", ["Double", "Float"])
def test_transcendental_functions_match_c_libm_exactly(rt, tname):
    dt = TYPES[tname]
    rng = np.random.default_rng(5)
    x = rng.uniform(-0.99, 0.99, 2000).astype(dt)     # inside every domain
    pos = np.abs(x) + dt(0.01)
    for name in LIBM:
        src = pos if name == "log" else x
        got = lua(rt, "local x, name = ... return torch[name](x), x:clone()[name](x:clone())",
                  src.copy(), name)
        ref = libmf(name) if dt == np.float32 else getattr(math, name)
        want = np.array([ref(v) for v in src], dtype=dt)
        np.testing.assert_array_equal(got[0].numpy(), want, err_msg=name)
        np.testing.assert_array_equal(got[1].numpy(), want, err_msg=name)


@pytest.mark.parametrize("tname", ["Double", "Float"])
def test_sigmoid_round_and_exact_unary_functions(rt, tname):
    dt = TYPES[tname]
    x = np.array([0.5, -0.5, 1.5, 2.5, -2.5, 0.49999997, 3.7, -3.2, 0.0, -0.0, 1e3, -1e3],
                 dtype=dt)
    got = lua(rt, """local x = ...
        return x:clone():sigmoid(), torch.round(x), torch.trunc(x), torch.floor(x),
               torch.ceil(x), torch.frac(x), torch.abs(x), torch.neg(x), torch.sign(x)""", x)
    got = [g.numpy() for g in got]
    if dt == np.float32:
        expf = libmf("exp")
        sig = [np.float32(1) / (np.float32(1) + expf(-v)) for v in x]
    else:
        sig = [1.0 / (1.0 + math.exp(-v)) if -v < 700 else 0.0 for v in x]
    np.testing.assert_array_equal(got[0], np.array(sig, dt))
    np.testing.assert_array_equal(got[1], [1, -1, 2, 3, -3, 0, 4, -3, 0, 0, 1e3, -1e3])
    np.testing.assert_array_equal(got[2], np.trunc(x))
    np.testing.assert_array_equal(got[3], np.floor(x))
    np.testing.assert_array_equal(got[4], np.ceil(x))
    np.testing.assert_array_equal(got[5], x - np.trunc(x))
    np.testing.assert_array_equal(got[6], np.abs(x))
    np.testing.assert_array_equal(got[7], -x)
    np.testing.assert_array_equal(got[8], np.sign(x))
    assert not np.signbit(got[8][9])    # sign(-0) is +0 in C


def test_sign_of_nan_and_bytes_abs_of_the_most_negative(rt):
    got = lua(rt, """return torch.sign(torch.Tensor({0/0, -3, 2})), torch.sign(torch.ByteTensor({0, 7})),
        torch.abs(torch.IntTensor({-2147483648, -5})), torch.abs(torch.LongTensor({-2^31 - 1}))""")
    assert got[0].numpy().tolist() == [0, -1, 1]
    assert got[1].numpy().tolist() == [0, 1]
    assert got[2].numpy().tolist() == [-2147483648, 5]
    assert got[3].numpy().tolist() == [2 ** 31 + 1]


@pytest.mark.parametrize("tname", ["Double", "Float"])
def test_pow_special_exponents_and_general(rt, tname):
    dt = TYPES[tname]
    x = np.array([0.5, 2.0, 3.3, 10.0], dt)
    got = lua(rt, """local x = ...
        local out = {}
        for _, p in ipairs({1, 2, 3, 0.5, -0.5, -1, -2, 2.7}) do out[#out + 1] = torch.pow(x, p) end
        out[#out + 1] = torch.pow(2, x)
        out[#out + 1] = x:clone():pow(3, x)
        return table.unpack(out)""", x)
    got = [g.numpy() for g in got]
    one = dt(1)
    want = [x, x * x, x * x * x, np.sqrt(x), one / np.sqrt(x), one / x, one / (x * x)]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    p = dt(2.7)
    powr = libmf("pow") if dt == np.float32 else math.pow
    np.testing.assert_array_equal(got[7], np.array([powr(v, p) for v in x], dt))
    np.testing.assert_array_equal(got[8], np.array([math.pow(2.0, float(v)) for v in x], dt))
    np.testing.assert_array_equal(got[9], np.array([math.pow(3.0, float(v)) for v in x], dt))


def test_number_forms_use_the_default_type(rt):
    got = lua(rt, """
        local a = {torch.pow(2, 10), torch.log(2), torch.round(-2.5), torch.abs(-3),
                   torch.atan2(1, 2), torch.lerp(1, 3, 0.25), torch.sigmoid(0)}
        torch.setdefaulttensortype('torch.FloatTensor')
        local ok, b = pcall(function() return {torch.log(0.1), torch.sqrt(2)} end)
        torch.setdefaulttensortype('torch.DoubleTensor')
        assert(ok, b)
        return a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[1], b[2]""")
    f01 = float(np.float32(0.1))
    assert got == (1024, math.log(2), -3, 3, math.atan2(1, 2), 1.5, 0.5,
                   float(np.float32(math.log(f01))), float(np.float32(math.sqrt(2))))


# -- formulas --------------------------------------------------------------------------------------
def test_clamp_cmax_cmin_with_nan_as_c_comparisons_give(rt):
    got = lua(rt, """
        local x = torch.Tensor({0/0, 1, 5, -3})
        local y = torch.Tensor({1, 0/0, 2, 2})
        return torch.clamp(x, -1, 2), torch.cmax(x, y), torch.cmin(x, y),
               torch.clamp(torch.Tensor({0, 5}), 3, 1), torch.IntTensor({-5, 5}):clamp(-2.5, 2.5)""")
    c, mx, mn, inv, ic = [g.numpy() for g in got]
    assert np.isnan(c[0]) and c[1:].tolist() == [1, 2, -1]
    assert mx[0] == 1 and np.isnan(mx[1]) and mx[2:].tolist() == [5, 2]
    assert mn[0] == 1 and np.isnan(mn[1]) and mn[2:].tolist() == [2, -3]
    assert inv.tolist() == [3, 1]     # (x < lo) ? lo : (x > hi ? hi : x)
    assert ic.tolist() == [-2, 2]


@pytest.mark.parametrize("tname", ["Double", "Float"])
def test_lerp_addcmul_addcdiv_atan2_in_the_element_type(rt, tname):
    dt = TYPES[tname]
    a, b, c = values(dt, 8, 7), values(dt, 8, 8), values(dt, 8, 9)
    got = lua(rt, """local a, b, c = ...
        return torch.lerp(a, b, 0.3), torch.addcmul(a, 0.7, b, c), a:clone():addcdiv(0.7, b, c),
               torch.addcmul(a, b, c), torch.atan2(a, b)""", a, b, c)
    got = [g.numpy() for g in got]
    w, v = dt(0.3), dt(0.7)
    np.testing.assert_array_equal(got[0], a + w * (b - a))
    np.testing.assert_array_equal(got[1], a + (v * b) * c)
    np.testing.assert_array_equal(got[2], a + (v * b) / c)
    np.testing.assert_array_equal(got[3], a + b * c)
    at = libmf("atan2") if dt == np.float32 else math.atan2
    np.testing.assert_array_equal(got[4], np.array([at(p, q) for p, q in zip(a, b)], dt))


def test_integer_addcdiv_divides_in_c_int(rt):
    # 2 * 200 = 400 in C's int before the division (a byte would wrap to 144)
    got = lua(rt, """return torch.ByteTensor({0}):addcdiv(2, torch.ByteTensor({200}), torch.ByteTensor({100})),
        torch.IntTensor({10}):addcdiv(1, torch.IntTensor({-7}), torch.IntTensor({2})),
        torch.ByteTensor({1}):addcmul(3, torch.ByteTensor({100}), torch.ByteTensor({2}))""")
    assert [g.numpy().tolist() for g in got] == [[4], [7], [(1 + 600) % 256]]


# -- operators ------------------------------------------------------------------------------------
def test_operators(rt):
    got = lua(rt, """
        local x = torch.Tensor({1, 2, 3})
        local y = torch.Tensor({4, 5, 6})
        local m = torch.Tensor({{1, 2}, {3, 4}})
        return x + y, x + 1, 1 + x, x - y, x - 1, 10 - x, -x, x * 2, 2 * x, x / 2, x % 2,
               x * y, m * torch.Tensor({1, 1}), m * m,
               torch.FloatTensor({0.1}) * torch.FloatTensor({3}),
               torch.ByteTensor({16}) * torch.ByteTensor({16}), torch.IntTensor({7}) / 2""")
    vals = [g.numpy().tolist() if hasattr(g, "numpy") else g for g in got]
    assert vals[:11] == [[5, 7, 9], [2, 3, 4], [2, 3, 4], [-3, -3, -3], [0, 1, 2], [9, 8, 7],
                         [-1, -2, -3], [2, 4, 6], [2, 4, 6], [0.5, 1, 1.5], [1, 0, 1]]
    assert vals[11] == 32
    assert vals[12] == [3, 7] and vals[13] == [[7, 10], [15, 22]]
    assert vals[14] == float(np.float32(np.float64(np.float32(0.1)) * 3))  # dot as a float
    assert vals[15] == 0          # the byte dot product wraps
    assert vals[16] == [3]


def test_operator_errors(rt):
    assert err(rt, "local z = torch.Tensor(3) * torch.Tensor(3, 3, 3)") == (
        "script.lua:2: multiplication between 1D and 3D tensors not yet supported")
    assert err(rt, "local z = torch.FloatTensor(3) + torch.Tensor(3)") == (
        "script.lua:2: bad argument #2 to '?' (number expected, got userdata)")
    assert err(rt, "local z = 2 / torch.Tensor(3)") == (
        "script.lua:2: bad argument #1 to '?' (torch.DoubleTensor expected, got boolean)")   # sic: th
    assert err(rt, "local z = torch.Tensor(3) / torch.Tensor(3)") == (
        "script.lua:2: bad argument #2 to '?' (number expected)")


# -- speed and memory ------------------------------------------------------------------------------
def test_large_scaled_add_makes_no_array_sized_temporary(rt):
    n = 10 ** 6
    f = lua(rt, """local n = ...
        local x, y = torch.DoubleTensor(n):fill(1), torch.DoubleTensor(n):fill(2)
        return function() x:add(0.5, y); x:mul(2); x:cmul(y); x:div(3); return x[n] end""", n)
    f()
    tracemalloc.start()
    try:
        last = f()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < n * 8 // 4, peak
    assert last == pytest.approx((8 / 3 + 1) * 2 * 2 / 3, rel=1e-12)   # second call


def test_in_place_formulas_on_tensors_larger_than_a_block(rt):
    n = 40000        # above the block size the formulas work in
    rng = np.random.default_rng(11)
    x, y = rng.standard_normal(n), rng.standard_normal(n)
    got = lua(rt, """local x, y = ...
        local a = x:clone(); a:cmax(y)
        local b = y:clone(); b:cmin(x, b)
        local c = x:clone(); c:clamp(-0.5, 0.5)
        local d = x:clone(); d:addcmul(2, d, d)
        local e = x:clone(); e:addcdiv(-1, y, e)
        local f = x:clone(); f:lerp(y, 0.25)
        local g = y:clone(); g:add(x, 3, g)
        return a, b, c, d, e, f, g""", x, y)
    # add(x, 3, g) on contiguous tensors: one rounding per element where TH fuses
    from th_arith import cadd
    fused = cadd(x, 3, y)
    want = [np.where(x > y, x, y), np.where(x < y, x, y), np.clip(x, -0.5, 0.5),
            x + (2 * x) * x, x + (-1 * y) / x, x + 0.25 * (y - x), fused]
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.numpy(), w)
