"""Construction and reshaping functions as Lua sees them
(lua_prelude/torch/TensorMath_construct.lua, torchlua/core/math_construct.py,
math_conv.py): zeros, ones, eye, range, linspace, logspace, diag, tril, triu,
cat, reshape, repeatTensor, histc, bhistc, conv2/xcorr2/conv3/xcorr3, squeeze,
numel, with TH's formulas, result forms and error messages."""
import numpy as np
import pytest

from torchlua.core.fused_axpy import cpu_fuses

from th_arith import fma
from lua_helpers import lua


def err(rt, code, *args):
    ok, msg = rt.eval("function(f, ...) return pcall(f, ...) end")(
        lua(rt, "return function(...) " + code + "\nend"), *args)
    assert ok is False
    return msg


def same(got, want):
    got = np.asarray(got.numpy() if hasattr(got, "numpy") else got)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape)
    np.testing.assert_array_equal(got, want)


def test_zeros_ones_forms(rt):
    got = lua(rt, """
        local r = torch.FloatTensor(5):fill(3)
        return torch.zeros(2, 3), torch.ones(torch.LongStorage{2, 2}),
               torch.zeros(2, 'torch.IntTensor'), torch.zeros(r, 3, 1), r,
               torch.Tensor(4):ones(2, 2), torch.ones(2.9, 1)""")
    same(got[0], np.zeros((2, 3)))
    same(got[1], np.ones((2, 2)))
    same(got[2], np.zeros(2, np.int32))
    same(got[3], np.zeros((3, 1), np.float32))
    same(got[4], np.zeros((3, 1), np.float32))
    same(got[5], np.ones((2, 2)))
    same(got[6], np.ones((2, 1)))          # sizes are truncated to long
    assert "expected arguments: [*DoubleTensor*] (LongStorage | dim1 [dim2...])" in err(
        rt, "local x = torch.zeros()")


# Errors of torch.X functions carry no script position below: Torch7's torch.X
# dispatcher called the typed C function from C (checked against th's output).
def test_eye(rt):
    got = lua(rt, "return torch.eye(3), torch.eye(2, 4), torch.LongTensor():eye(3, 2)")
    same(got[0], np.eye(3))
    same(got[1], np.eye(2, 4))
    same(got[2], np.eye(3, 2, dtype=np.int64))
    assert err(rt, "local x = torch.eye(0)") == "script.lua:1: bad argument #1 to '?' (invalid argument)"


def test_range_size_rule_and_types(rt):
    got = lua(rt, """
        local kept = torch.Tensor(2, 3)
        torch.range(kept, 1, 6)
        return torch.range(1, 5), torch.range(1, 2, 0.3), torch.range(5, 1, -2),
               torch.range(3, 3), torch.range(0, 1, 0.1, 'torch.FloatTensor'),
               torch.IntTensor():range(1.7, 5.9), kept, torch.range(-1, 0.5, 0.5)""")
    same(got[0], np.arange(1, 6, dtype=np.float64))
    same(got[1], 1 + np.arange(4) * 0.3)                      # floor((2-1)/0.3)+1 = 4 points
    same(got[2], np.array([5.0, 3.0, 1.0]))
    same(got[3], np.array([3.0]))
    # Float: the value is computed in double then rounded to float
    same(got[4], (np.arange(11, dtype=np.float32).astype(np.float64) * 0.1).astype(np.float32))
    same(got[5], np.arange(1, 6, dtype=np.int32))                # bounds truncated to long
    same(got[6], np.arange(1, 7, dtype=np.float64).reshape(2, 3))  # same count: no resize
    same(got[7], np.array([-1.0, -0.5, 0.0, 0.5]))
    assert err(rt, "local x = torch.range(1, 2, 0)") == \
        "script.lua:1: bad argument #3 to '?' (step must be a non-null number)"
    assert err(rt, "local x = torch.Tensor():range(2, 1)") == \
        "script.lua:1: bad argument #1 to 'range' (upper bound and larger bound incoherent " \
        "with step sign)"


def test_byte_range_counter_wraps_like_c(rt):
    got = lua(rt, "return torch.ByteTensor():range(0, 299)")
    same(got, (np.arange(300) % 256).astype(np.uint8))


def _libm_pow10(v, dt):
    import ctypes
    import ctypes.util
    import math
    if dt == np.float64:
        return math.pow(10.0, v)
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    libm.powf.restype = ctypes.c_float
    libm.powf.argtypes = [ctypes.c_float, ctypes.c_float]
    return libm.powf(10.0, v)


@pytest.mark.parametrize("tname,dt", [("Float", np.float32), ("Double", np.float64)])
def test_linspace_logspace_in_the_element_type(rt, tname, dt):
    got = lua(rt, """local T = ...
        local l = torch[T]():linspace(-1, 2.3, 7)
        local g = torch[T]():logspace(-1, 2.3, 7)
        return l, g, torch.type(torch.linspace(2, 2, 1, 'torch.' .. T)),
               torch[T]():linspace(3, 3, 1), torch.linspace(0, 1)""", tname + "Tensor")
    a, b = dt(-1), dt(2.3)
    i = np.arange(7).astype(dt)
    want = a + i * dt(b - a) / dt(6)
    same(got[0], want)
    # TH: pow (powf for float) from libm, element by element (th printed these values)
    same(got[1], np.array([_libm_pow10(v, dt) for v in want.tolist()], dt))
    assert got[2] == "torch." + tname + "Tensor"
    same(got[3], np.array([3], dt))
    assert got[4].numpy().shape == (100,)
    assert err(rt, "local x = torch.linspace(0, 1, 1)") == \
        "script.lua:1: bad argument #3 to '?' (invalid number of points)"
    assert err(rt, "local x = torch.IntTensor():linspace(0, 1, 3)").startswith(
        "script.lua:1: attempt to call method 'linspace'")
    assert err(rt, "local x = torch.linspace(0, 1, 3, 'torch.IntTensor')") == \
        "script.lua:1: torch.IntTensor does not implement the torch.linspace() function"


def test_diag_tril_triu(rt):
    m = np.arange(1.0, 13).reshape(3, 4)
    v = np.array([1.0, 2, 3])
    got = lua(rt, """local m, v = ...
        return torch.diag(v), torch.diag(v, 1), torch.diag(v, -2), torch.diag(m),
               torch.diag(m, 2), torch.diag(m, -1), m:t():diag(),
               torch.tril(m), torch.tril(m, 1), torch.triu(m), torch.triu(m, -1),
               m:clone():tril(m, -1)""", m, v)
    want = [np.diag(v), np.diag(v, 1), np.diag(v, -2), np.diag(m), np.diag(m, 2),
            np.diag(m, -1), np.diag(m.T), np.tril(m), np.tril(m, 1), np.triu(m),
            np.triu(m, -1), np.tril(m, -1)]
    for g, w in zip(got, want):
        same(g, w)
    assert err(rt, "local x = torch.diag(torch.Tensor(2, 2, 2))") == \
        "script.lua:1: bad argument #1 to '?' (matrix or a vector expected)"
    assert err(rt, "local x = torch.Tensor(3):tril()") == \
        "script.lua:1: calling 'tril' on bad self (expected a matrix)"


def test_cat(rt):
    a, b = np.arange(6.0).reshape(2, 3), np.arange(10.0, 14).reshape(2, 2)
    c = np.arange(20.0, 23).reshape(1, 3)
    got = lua(rt, """local a, b, c = ...
        local r = torch.Tensor()
        torch.cat(r, {a, c}, 1)
        return torch.cat(a, b), torch.cat(a, c, 1), torch.cat({a, c, a}, 1), r,
               a:cat(b, 2), torch.cat(torch.Tensor{1, 2}, torch.Tensor{3}),
               torch.cat(torch.Tensor{1, 2}, torch.Tensor{3, 4}, 2),
               torch.cat({torch.Tensor(), a}), torch.cat(a:t(), c:t(), 2)""", a, b, c)
    want = [np.hstack([a, b]), np.vstack([a, c]), np.vstack([a, c, a]), np.vstack([a, c]),
            np.hstack([a, b]), np.array([1.0, 2, 3]), np.array([[1.0, 3], [2, 4]]), a,
            np.hstack([a.T, c.T])]
    for g, w in zip(got, want):
        same(g, w)
    assert err(rt, "local a, b = ... local x = torch.cat(a, b, 1)", a, b) == \
        "script.lua:1: inconsistent tensor sizes"
    assert err(rt, "local a = ... local x = torch.cat({a, torch.FloatTensor(2)})", a) == \
        "script.lua:1: expected DoubleTensor in tensor array"
    assert err(rt, "local a = ... local x = torch.cat(a, a, 0)", a) == \
        "script.lua:1: bad argument #4 to '?' (invalid dimension 0)"


def test_reshape_and_repeat(rt):
    x = np.arange(6.0).reshape(2, 3)
    got = lua(rt, """local x = ...
        local r = torch.Tensor()
        torch.reshape(r, x:t(), 3, 2)
        return torch.reshape(x, 3, 2), x:reshape(torch.LongStorage{6}), r,
               x:repeatTensor(2, 2), torch.repeatTensor(x, 2, 1, 2),
               torch.Tensor():repeatTensor(x:t(), 1, 3)""", x)
    same(got[0], x.reshape(3, 2))
    same(got[1], x.reshape(6))
    same(got[2], x.T.reshape(3, 2))
    same(got[3], np.tile(x, (2, 2)))
    same(got[4], np.tile(x, (2, 1, 2)))
    same(got[5], np.tile(x.T, (1, 3)))
    assert "Number of dimensions of repeat dims can not be smaller" in err(
        rt, "local x = ... local y = x:repeatTensor(2)", x)
    assert "inconsistent tensor size, expected tensor [4] and src [2 x 3]" in err(
        rt, "local x = ... local y = torch.reshape(x, 4)", x)


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_histc(rt, dt):
    x = np.array([[0.1, 0.5, 0.9, 1.0], [0.0, 0.25, 2.0, -1.0]], dt)
    got = lua(rt, """local x = ...
        return torch.histc(x, 4, 0, 1), torch.histc(x, 5), x:histc(3, 5, 5),
               torch.bhistc(x, 4, 0, 1), torch.histc(x.new(2):fill(2), 3)""", x)
    lo, hi = dt(0), dt(1)

    def hist(vals, n, lo, hi):
        h = np.zeros(n, dt)
        for v in vals:
            if lo <= v <= hi:
                h[min(int((v - lo) / (hi - lo) * dt(n)), n - 1)] += 1
        return h

    same(got[0], hist(x.ravel(), 4, lo, hi))
    same(got[1], hist(x.ravel(), 5, x.min(), x.max()))
    same(got[2], hist(x.ravel(), 3, x.min(), x.max()))    # min == max: the data range
    same(got[3], np.stack([hist(row, 4, lo, hi) for row in x]))
    same(got[4], np.array([0, 2, 0], dt))                 # constant data: widened by one


def _th_conv2(inp, ker, vf, xc, out=None):
    """TH's loops for one plane (stride 1, alpha 1), element by element in float32/64,
    adding into `out` (zeros if None); rows of 4 or more columns go through
    THVector_(cadd), which rounds once on a CPU that fuses."""
    ir, ic = inp.shape
    kr, kc = ker.shape
    dt = inp.dtype.type

    def add(acc, kv, iv):
        if cpu_fuses():
            return fma(kv, iv, acc, inp.dtype)
        return dt(acc + kv * iv)
    if vf == "V":
        k = ker if xc == "X" else ker[::-1, ::-1]
        if out is None:
            out = np.zeros((ir - kr + 1, ic - kc + 1), inp.dtype)
        orr, oc = out.shape
        for y in range(orr):
            for x in range(oc):
                if oc < 4:
                    s = dt(0)
                    for ky in range(kr):
                        for kx in range(kc):
                            s = dt(s + inp[y + ky, x + kx] * k[ky, kx])
                    out[y, x] = dt(out[y, x] + s)
                else:
                    for ky in range(kr):   # THVector_(cadd): fused where TH fuses
                        for kx in range(kc):
                            out[y, x] = add(out[y, x], k[ky, kx], inp[y + ky, x + kx])
        return out
    k = ker if xc == "C" else ker[::-1, ::-1]
    if out is None:
        out = np.zeros((ir + kr - 1, ic + kc - 1), inp.dtype)
    for yy in range(ir):
        if ic < 4:
            for xx in range(ic):
                for ky in range(kr):
                    for kx in range(kc):
                        out[yy + ky, xx + kx] = dt(out[yy + ky, xx + kx] + inp[yy, xx] * k[ky, kx])
        else:
            for ky in range(kr):
                for kx in range(kc):
                    for xx in range(ic):
                        out[yy + ky, xx + kx] = add(out[yy + ky, xx + kx], k[ky, kx], inp[yy, xx])
    return out


@pytest.mark.parametrize("shape", [(5, 7), (4, 3)])
@pytest.mark.parametrize("vf", ["V", "F"])
@pytest.mark.parametrize("fn", ["conv2", "xcorr2"])
def test_conv2_rounds_as_th(rt, shape, vf, fn):
    rng = np.random.default_rng(3)
    inp = rng.standard_normal(shape).astype(np.float32)
    ker = rng.standard_normal((2, 3)).astype(np.float32)
    got = lua(rt, "local i, k, fn, vf = ... return torch[fn](i, k, vf)", inp, ker, fn, vf)
    same(got, _th_conv2(inp, ker, vf, "C" if fn == "conv2" else "X"))


@pytest.mark.parametrize("cols", [3, 6])
@pytest.mark.parametrize("vf", ["V", "F"])
def test_conv2_all_planes_add_up_as_th(rt, cols, vf):
    rng = np.random.default_rng(6)
    inp = rng.standard_normal((3, 4, cols)).astype(np.float32)
    ker = rng.standard_normal((2, 3, 2, 2)).astype(np.float32)
    got = lua(rt, "local i, k, vf = ... return torch.xcorr2(i, k, vf)", inp, ker, vf)
    want = []
    for o in range(2):
        out = None
        for p in range(3):    # each input plane adds into the same output plane
            out = _th_conv2(inp[p], ker[o, p], vf, "X", out)
        want.append(out)
    same(got, np.stack(want))


def test_conv2_plane_forms(rt):
    rng = np.random.default_rng(4)
    inp = rng.integers(-5, 5, (3, 5, 6)).astype(np.float64)
    ker3 = rng.integers(-3, 3, (3, 2, 2)).astype(np.float64)
    ker4 = rng.integers(-3, 3, (2, 3, 2, 2)).astype(np.float64)
    got = lua(rt, """local i, k3, k4 = ...
        local r = torch.Tensor()
        torch.xcorr2(r, i, k4, 'F')
        return torch.conv2(i, k3), torch.xcorr2(i, k4), r, i:conv2(k4, 'F')""", inp, ker3, ker4)
    cmul = np.stack([_th_conv2(inp[p], ker3[p], "V", "C") for p in range(3)])
    same(got[0], cmul)
    mv = np.stack([sum(_th_conv2(inp[p], ker4[o, p], "V", "X") for p in range(3)) for o in range(2)])
    same(got[1], mv)
    mvf = np.stack([sum(_th_conv2(inp[p], ker4[o, p], "F", "X") for p in range(3)) for o in range(2)])
    same(got[2], mvf)
    mvc = np.stack([sum(_th_conv2(inp[p], ker4[o, p], "F", "C") for p in range(3)) for o in range(2)])
    same(got[3], mvc)
    assert err(rt, "local x = torch.conv2(torch.Tensor(2, 2), torch.Tensor(3, 3))") == \
        "script.lua:1: bad argument #2 to '?' (conv2Dmul : Input image is smaller than kernel)"
    assert err(rt, "local x = torch.conv2(torch.Tensor(2, 4, 4), torch.Tensor(3, 3, 3))") == \
        "script.lua:1: bad argument #2 to '?' (invalid number of input/kernel planes)"
    assert "expected arguments: [*DoubleTensor*] DoubleTensor~2D DoubleTensor~2D [(V|F)]" in err(
        rt, "local x = torch.conv2(torch.Tensor(2, 4), torch.Tensor(3, 3), 'Q')")


def test_conv3_matches_plane_sums(rt):
    rng = np.random.default_rng(5)
    inp = rng.integers(-4, 4, (4, 5, 5)).astype(np.int64)
    ker = rng.integers(-2, 3, (2, 3, 2)).astype(np.int64)
    got = lua(rt, "local i, k = ... return torch.conv3(i, k), torch.xcorr3(i, k, 'F')", inp, ker)

    def conv3(i, k, vf, xc):
        kk = k if (xc == "X") == (vf == "V") else k[::-1, ::-1, ::-1]
        if vf == "V":
            o = np.zeros(tuple(a - b + 1 for a, b in zip(i.shape, k.shape)), i.dtype)
            for z in range(k.shape[0]):
                for y in range(k.shape[1]):
                    for x in range(k.shape[2]):
                        o += kk[z, y, x] * i[z:z + o.shape[0], y:y + o.shape[1], x:x + o.shape[2]]
            return o
        o = np.zeros(tuple(a + b - 1 for a, b in zip(i.shape, k.shape)), i.dtype)
        for z in range(k.shape[0]):
            for y in range(k.shape[1]):
                for x in range(k.shape[2]):
                    o[z:z + i.shape[0], y:y + i.shape[1], x:x + i.shape[2]] += kk[z, y, x] * i
        return o

    same(got[0], conv3(inp, ker, "V", "C"))
    same(got[1], conv3(inp, ker, "F", "X"))


def test_squeeze_numel_and_function_forms(rt):
    got = lua(rt, """
        local x = torch.ones(1, 3, 1)
        local r = torch.Tensor()
        torch.squeeze(r, x)
        return torch.squeeze(x):size(1), x:squeeze(1):dim(), torch.Tensor{7}:squeeze(),
               torch.ones(1, 1):squeeze(), torch.ones(1, 1):squeeze(1):dim(),
               torch.Tensor{5}:squeeze(1), r:dim(), x:dim(), torch.numel(x),
               torch.expand(torch.ones(1, 2), 3, 2):size(1), torch.type(torch.view)""")
    assert got == (3, 2, 7, 1, 1, 5, 1, 3, 3, 3, "function")


def test_expand_forms(rt):
    x = np.arange(3.0).reshape(3, 1)
    got = lua(rt, """local x = ...
        local r = torch.Tensor()
        local r2 = torch.Tensor()
        local same = r:expand(x, 3, 4) == r
        r2:expandAs(x, torch.Tensor(3, 2))
        local e = x:expand(torch.LongStorage{3, 2})
        return r, same, r:stride():totable(), r2, e, torch.expand(x, 3, 1):stride(2),
               torch.expandAs(x, torch.Tensor(3, 5)):size(2)""", x)
    same(got[0], np.repeat(x, 4, 1))
    assert got[1] is True
    assert list(got[2].values()) == [1, 0]
    same(got[3], np.repeat(x, 2, 1))
    same(got[4], np.repeat(x, 2, 1))
    assert got[5] == 0 and got[6] == 5     # every size-1 dimension gets stride 0
    assert err(rt, "local x = ... local y = x:expand(3, 4, 1)", x) == \
        "script.lua:1: the number of dimensions provided must equal tensor:dim()"
    assert err(rt, "local x = ... local y = x:expand(2, 4)", x) == \
        "script.lua:1: incorrect size: only supporting singleton expansion (size=1)"
