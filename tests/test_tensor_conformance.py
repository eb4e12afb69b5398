"""Conformance with Torch7's own test/test.lua and Tensor.c: Tensor:real/elementSize,
select on a vector giving a number, argument errors numbered as luaL_argerror does
for method calls, view/viewAs forms, serializeToStorage, setheaptracking, the common
idioms of nn-free scripts, and the construction paths of the core (storage address,
geometry block)."""
import ctypes

import numpy as np
import pytest

from torchlua import Runtime
from torchlua.core.storage import Storage, _address
from torchlua.core.tensor import Tensor
from torchlua.core.types import TYPES as CORE_TYPES
from lua_helpers import lua

TYPES = ["Byte", "Char", "Short", "Int", "Long", "Float", "Double"]
ITEMSIZE = {"Byte": np.uint8, "Char": np.int8, "Short": np.int16, "Int": np.int32,
            "Long": np.int64, "Float": np.float32, "Double": np.float64}


def err(rt, code):
    ok, msg = rt.eval(
        "function(code) return pcall(assert(loadstring(code, '@script.lua'))) end")(code)
    assert ok is False
    return msg


# -- real / half / elementSize ----------------------------------------------------
@pytest.mark.parametrize("tname", TYPES)
def test_element_size_of_tensors_and_storages(rt, tname):
    t, s = lua(rt, "return torch.%sTensor():elementSize(), torch.%sStorage():elementSize()"
               % (tname, tname))
    assert t == s == np.dtype(ITEMSIZE[tname]).itemsize


def test_real_converts_to_the_default_type(rt):
    assert lua(rt, "return torch.LongTensor{1, 2}:real():type()") == "torch.DoubleTensor"
    assert lua(rt, """torch.setdefaulttensortype('torch.FloatTensor')
        local r = torch.IntTensor{3}:real():type()
        torch.setdefaulttensortype('torch.DoubleTensor')
        return r""") == "torch.FloatTensor"
    # real() is a method of every type's class, as test.lua looks it up
    assert lua(rt, "return torch.getmetatable('torch.ByteTensor').real ~= nil")


def test_half_fails_as_an_unknown_type(rt):
    assert "torch.HalfTensor" in err(rt, "local y = torch.randn(2):half()")


# -- select on a vector -----------------------------------------------------------
def test_select_on_a_vector_gives_the_element(rt):
    v, typ, lv, ltyp = lua(rt, """local x = torch.Tensor{5, 6, 7}
        local l = torch.LongTensor{8, 9}
        return x:select(1, 2), type(x:select(1, 2)), l:select(1, 2), type(l:select(1, 2))""")
    assert (v, typ, lv, ltyp) == (6, "number", 9, "number")


def test_select_on_a_vector_errors(rt):
    assert err(rt, "local r = torch.Tensor{1, 2}:select(1, 3)") == \
        "script.lua:1: bad argument #1 to 'select' (out of range)"
    assert err(rt, "local r = torch.Tensor():select(1, 1)") == \
        "script.lua:1: calling 'select' on bad self (empty Tensor)"


# -- argument numbering -----------------------------------------------------------
@pytest.mark.parametrize("code, msg", [
    ("local r = x:narrow(3, 1, 1)", "bad argument #1 to 'narrow' (out of range)"),
    ("local r = x:narrow(1, 4, 1)", "bad argument #2 to 'narrow' (out of range)"),
    ("local r = x:narrow(1, 1, 9)", "bad argument #3 to 'narrow' (out of range)"),
    ("local r = x:narrow('a', 1, 1)", "bad argument #1 to 'narrow' (number expected, got string)"),
    ("local r = x:select(1, 9)", "bad argument #2 to 'select' (out of range)"),
    # THTensor_(transpose) numbers its checks 1 and 2, less one for the method call
    ("local r = x:transpose(1, 3)", "bad argument #1 to 'transpose' (out of range)"),
    ("local r = x:unfold(1, 9, 1)", "bad argument #2 to 'unfold' (out of range)"),
    ("local r = x:size(3)", "bad argument #1 to 'size' (dimension 3 out of range of 2D tensor)"),
    ("local r = x:sub(1, 5)", "bad argument #2 to 'sub' (out of range)"),
    ("local r = x:sub(2, 1)", "bad argument #2 to 'sub' (end smaller than beginning)"),
    ("local r = x:sub(1, 2, 3)", "bad argument #4 to 'sub' (number expected, got no value)"),
    ("local r = x:sub(1, 2, 1, 2, 1, 1)", "bad argument #5 to 'sub' (invalid dimension)"),
    ("local r = x:resize('a')", "bad argument #1 to 'resize' (number expected, got string)"),
    # called as a function, self counts as argument 1
    ("local r = torch.Tensor.narrow(x, 3, 1, 1)", "bad argument #2 to 'narrow' (out of range)"),
])
def test_argument_errors_are_numbered_like_torch(rt, code, msg):
    assert err(rt, "local x = torch.zeros(3, 4)\n" + code) == "script.lua:2: " + msg


def test_a_tail_call_hides_the_method_call(rt):
    # as it hid it from luaL_argerror: self counted, and the replaced frame's name
    assert err(rt, """local x = torch.zeros(3, 4)
        local function f() return x:narrow(3, 1, 1) end
        local r = f()""").endswith("bad argument #2 to 'f' (out of range)")
    assert err(rt, """local x = torch.zeros(3, 4)
        local ok, e = pcall(function() return x:narrow(3, 1, 1) end)
        error(e, 0)""").endswith("bad argument #2 to '?' (out of range)")


def test_the_name_is_the_one_the_script_used(rt):
    assert err(rt, "local x = torch.zeros(3, 4)\nlocal n = x.narrow\nlocal r = n(x, 3, 1, 1)") \
        == "script.lua:3: bad argument #2 to 'n' (out of range)"


def test_size_with_a_numeric_string_or_non_number(rt):
    assert lua(rt, "return torch.zeros(3, 4):size('2')") == 4
    assert lua(rt, "return torch.typename(torch.zeros(3, 4):size({}))") == "torch.LongStorage"


# -- view / viewAs ----------------------------------------------------------------
def test_view_into_a_result_tensor(rt):
    got = lua(rt, """local src = torch.range(1, 15)
        local res = torch.Tensor()
        local a = res:view(src, 3, 5)
        local b = torch.Tensor():view(src, torch.LongStorage{5, -1})
        local c = torch.Tensor():viewAs(src, torch.zeros(3, 5))
        res[2][1] = 100
        return a == res, a:size(1), a:size(2), b:size(1), b:size(2), c:size(1), c:size(2),
               src[6], torch.isTensor(src:viewAs(torch.zeros(5, 3)))""")
    assert got == (True, 3, 5, 5, 3, 3, 5, 100, True)


def test_view_of_a_non_contiguous_tensor_errors(rt):
    assert err(rt, "local r = torch.zeros(3, 4):t():view(12)") == \
        "script.lua:1: expecting a contiguous tensor"
    # the -1 is resolved first, as Torch does
    assert "Only one of torch.view dimensions can be -1" in \
        err(rt, "local r = torch.zeros(3, 4):t():view(-1, -1)")


# -- torch-level helpers test.lua uses -------------------------------------------
def test_setheaptracking_sets_the_flag(rt):
    assert lua(rt, """torch.setheaptracking(true); local a = torch._heaptracking
        torch.setheaptracking(false); return a, torch._heaptracking""") == (True, False)
    assert "boolean expected" in err(rt, "torch.setheaptracking()")


@pytest.mark.parametrize("fmt", ["binary", "ascii"])
def test_serialize_to_storage_round_trip(rt, fmt):
    got = lua(rt, """local fmt = ...
        local t = torch.randn(3, 4)
        local s = torch.serializeToStorage({6, a = 42, t}, fmt)
        local o = torch.deserializeFromStorage(s, fmt)
        return torch.typename(s), s:size() == #torch.serialize({6, a = 42, t}, fmt),
               o[1], o.a, o[2]:equal(t)""", fmt)
    assert got == ("torch.CharStorage", True, 6, 42, True)


def test_is_tensor_alias_lives_in_the_double_class(rt):
    assert lua(rt, """return torch.Tensor.isTensor(torch.zeros(2)),
        torch.Tensor.isTensor(3), torch.FloatTensor.isTensor == nil""") == (True, False, True)


# -- idioms of nn-free scripts ----------------------------------------------------
def test_common_idioms(rt):
    got = lua(rt, """local x = torch.Tensor(2, 3):zero()
        local sz = x:size():totable()
        local z = torch.Tensor{{0, 1}, {2, 0}}:nonzero()
        local y = torch.Tensor(torch.LongStorage{2, 3})
        return torch.Tensor(3):fill(1):sum(), sz[1], sz[2], torch.typename(#x), (#x)[2],
               x:storage():size(), y:dim(), y:size(2), z:type(), z:size(1), z[2][1],
               x:long():add(1):type(), x:long():add(1):sum(), torch.isTensor(x),
               torch.isTensor({}), x:type()""")
    assert got == (3, 2, 3, "torch.LongStorage", 3, 6, 2, 3, "torch.LongTensor", 2, 2,
                   "torch.LongTensor", 6, True, False, "torch.DoubleTensor")


# -- construction paths of the core -----------------------------------------------
def test_storage_address_matches_numpy(rt):
    base = np.zeros(10)
    ro = np.zeros(4)
    ro.flags.writeable = False
    for a in (base, base[3:], np.arange(10.0)[::2], ro):
        assert _address(a) == a.__array_interface__["data"][0]
    s = Storage.new(CORE_TYPES[6], 5)
    assert s.hdr[0] == s.data.__array_interface__["data"][0] and s.hdr[1] == 5
    s.resize(50)
    assert s.hdr[0] == s.data.__array_interface__["data"][0] and s.hdr[1] == 50
    assert Storage.new(CORE_TYPES[6], 0).hdr[0] == 0


@pytest.mark.parametrize("nd", [0, 1, 2, 3, 5])
def test_geometry_block_holds_size_stride_offset(nd):
    size = tuple(range(2, 2 + nd))
    x = Tensor.of_size(CORE_TYPES[5], (200,))
    v = Tensor(x.t, x.storage, 1, size, tuple(range(7, 7 + nd)))
    raw = (ctypes.c_double * (3 + 2 * nd)).from_address(v.meta_addr)
    assert ctypes.c_uint64.from_address(v.meta_addr).value == x.storage.hdr_addr
    assert list(raw[1:3]) == [nd, 1]
    assert list(raw[3::2]) == list(size) and list(raw[4::2]) == list(range(7, 7 + nd))


def test_resize_follows_th_rules():
    t = CORE_TYPES[6]
    x = Tensor.of_size(t, (3, 0, 4))          # sizes stop at the first size <= 0
    assert x.size == (3,) and x.stride == (1,)
    st, data = x.storage, x.storage.data
    x.resize((2, 2), (-1, 3))                 # a negative stride means contiguous
    assert x.size == (2, 2) and x.stride == (2, 3)
    assert x.storage is st and x.storage.data is not data    # grown in place
    assert x.storage.data.size == 1 + 1 * 2 + 1 * 3
    y = Tensor(t, x.storage, 5, (), ())
    y.resize((3,))                            # offset counts in the storage needed
    assert y.storage.data.size == 8 and y.stride == (1,)


def test_storage_handles_compare_equal_like_luaT():
    import torchlua
    rt = torchlua.Runtime()
    same, other = rt.eval("(function() local t = torch.Tensor(3)"
                          " return t:storage() == t:storage(), t:storage() == torch.Tensor(3):storage() end)()")
    assert same is True and other is False
