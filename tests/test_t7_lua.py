"""torch.File / torch.save / torch.load from Lua against files written by Torch7."""
from pathlib import Path

import pytest

import torchlua

FIX = Path(__file__).parent / "fixtures" / "t7"


@pytest.fixture(scope="module")
def rt():
    return torchlua.Runtime()


def load(rt, name, ascii=False, expr="x"):
    path = str(FIX / (name + (".ascii.t7" if ascii else ".t7")))
    return rt.eval("(function(p, fmt) local x = torch.load(p, fmt); return %s end)(...)" % expr,
                   path, "ascii" if ascii else "binary")


TENSORS = [
    ("double_2x3", "torch.DoubleTensor", "1 2 3 4 5 6"),
    ("float_2x2", "torch.FloatTensor", "0.5 -1.25 3 0.0010000000474975"),
    ("long_3", "torch.LongTensor", "1 -2 9.007199254741e+15"),
    ("int_2", "torch.IntTensor", "7 -8"),
    ("short_2", "torch.ShortTensor", "300 -301"),
    ("char_2", "torch.CharTensor", "-5 6"),
    ("byte_3", "torch.ByteTensor", "0 128 255"),
    ("transposed", "torch.DoubleTensor", "1 4 2 5 3 6"),
]
VALS = ("(function() local t = {} for _, v in ipairs(x:contiguous():view(-1):totable()) do"
        " t[#t+1] = string.format('%.14g', v) end return torch.typename(x) .. '|' .. table.concat(t, ' ') end)()")


@pytest.mark.parametrize("ascii", [False, True])
@pytest.mark.parametrize("name,tname,values", TENSORS)
def test_tensor_fixtures_load(rt, name, tname, values, ascii):
    assert load(rt, name, ascii, VALS) == tname + "|" + values


@pytest.mark.parametrize("ascii", [False, True])
def test_scalars_and_storage(rt, ascii):
    assert load(rt, "number", ascii) == 42.5
    assert load(rt, "string", ascii) == "hello torch"
    assert load(rt, "boolean", ascii) is False
    assert load(rt, "empty_tensor", ascii, "torch.typename(x) .. x:nDimension()") == "torch.DoubleTensor0"
    assert load(rt, "double_storage", ascii, "torch.typename(x) .. ' ' .. x[1] .. ' ' .. x[2] .. ' ' .. x:size()") \
        == "torch.DoubleStorage 1.5 2.5 2"
    assert load(rt, "transposed", ascii, "x:stride(1) .. ',' .. x:stride(2)") == "1,3"


@pytest.mark.parametrize("ascii", [False, True])
def test_shared_views_and_cycle(rt, ascii):
    assert load(rt, "shared_views", ascii,
                "(function() x.rows[1][1] = 100; return x.whole[2][1] "
                "+ (torch.pointer(x.rows:storage()) == torch.pointer(x.whole:storage()) and 1000 or 0) end)()") == 1100
    assert load(rt, "table_cycle", ascii,
                "x.self == x and x.alias == x[3] and x[3].x == 3 and x[1] == 1 and x[2] == 'two' and x[4] == true and x[5] == 2.5")


BYTE_EXACT = ["double_2x3", "float_2x2", "long_3", "int_2", "short_2", "char_2", "byte_3", "transposed",
              "empty_tensor", "double_storage", "number", "string", "boolean"]


@pytest.mark.parametrize("ascii", [False, True])
@pytest.mark.parametrize("name", BYTE_EXACT)
def test_written_bytes_equal_fixture(rt, tmp_path, name, ascii):
    src = FIX / (name + (".ascii.t7" if ascii else ".t7"))
    out = tmp_path / "out.t7"
    fmt = "ascii" if ascii else "binary"
    rt.execute("local s, d, fmt = ...; torch.save(d, torch.load(s, fmt), fmt)", str(src), str(out), fmt)
    assert out.read_bytes() == src.read_bytes()


def test_shared_round_trip_and_serialize(rt):
    code = """
    local t = {a = {1, 2}, s = 'x\\0y'}; t.b = t.a; t.me = t
    local w = torch.Tensor{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}}; t.w = w; t.v = w:narrow(1, 2, 2)
    for _, fmt in ipairs{'binary', 'ascii'} do
      local u = torch.deserialize(torch.serialize(t, fmt), fmt)
      assert(u.b == u.a and u.me == u and u.a[2] == 2 and u.s == 'x\\0y')
      u.v[1][1] = -7
      assert(u.w[2][1] == -7 and t.w[2][1] == 5)
    end
    local f = torch.MemoryFile()
    f:binary(); f:writeObject(t)
    assert(torch.typename(f) == 'torch.MemoryFile' and type(f) == 'userdata')
    assert(torch.isTypeOf(f, 'torch.File'))
    local st = f:storage()
    assert(torch.typename(st) == 'torch.CharStorage')
    local g = torch.MemoryFile(st, 'r'); g:binary()
    local u = g:readObject()
    return u.b == u.a and u.me == u
    """
    assert rt.execute(code) is True


def test_referenced_false_writes_copies(rt):
    assert rt.execute("""
    local a = {1}; local t = {a, a}
    local f = torch.MemoryFile(); f:binary(); f:referenced(false); f:writeObject(t)
    f:seek(1); local u = f:readObject()
    return u[1] ~= u[2] and u[1][1] == 1
    """) is True


def test_class_round_trip(rt):
    assert rt.execute("""
    tl = {}; local P = torch.class('tl.Point')
    function P:__init(x) self.x = x; self.data = torch.Tensor{1, 2} end
    local p = tl.Point(3)
    local q = torch.deserialize(torch.serialize({p, p}))
    return torch.typename(q[1]) .. q[1].x .. q[1].data[2] .. tostring(q[1] == q[2])
    """) == "tl.Point32true"


def test_function_refused_unless_allowed(rt, tmp_path):
    path = str(FIX / "with_function.t7")
    with pytest.raises(Exception, match="allowFunctions"):
        rt.execute("torch.load(...)", path)
    assert rt.execute("local x = torch.load(..., 'binary', {allowFunctions = true}); return x.f(1), x.n", path) == (2, 1)
    assert rt.execute("local x = torch.load(..., 'ascii', true); return x.f(1)",
                      str(FIX / "with_function.ascii.t7")) == 2
    # our own closures round-trip when allowed
    assert rt.execute("""
    local k = 10; local f = function(a) return a + k end
    return torch.deserialize(torch.serialize(f), 'binary', true)(1)""") == 11


def test_disk_file_methods(rt, tmp_path):
    p = str(tmp_path / "a.bin")
    assert rt.execute("""
    local p = ...
    local f = torch.DiskFile(p, 'w'); f:binary(); f:writeInt(7); f:writeDouble(torch.DoubleStorage{1.5, 2}); f:close()
    local g = torch.DiskFile(p, 'r'); g:binary()
    local a = g:readInt(); local s = g:readDouble(2); local pos = g:position(); g:close()
    return a, s[2], pos, torch.typename(g)
    """, p) == (7, 2, 21, "torch.DiskFile")
    with pytest.raises(Exception, match="nonexistent"):
        rt.execute("torch.DiskFile('/nonexistent/x', 'r')")


def _has_nn(rt):
    try:
        return rt.execute("local ok, nn = pcall(require, 'nn'); return ok and nn.Linear ~= nil and nn.Sequential ~= nil")
    except Exception:
        return False


@pytest.mark.parametrize("ascii", [False, True])
def test_mlp_fixture(rt, ascii):
    if not _has_nn(rt):
        pytest.skip("require 'nn' has no Linear/Sequential yet (nn is being written)")
    out = load(rt, "mlp", ascii, "x:forward(torch.range(1, 4) / 4)")
    rt.globals.__o = out
    assert abs(rt.eval("__o[1]") - -0.46208206999805568) < 1e-12
    assert abs(rt.eval("__o[2]") - -0.99417291468580249) < 1e-12
