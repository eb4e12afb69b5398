"""torchlua.serialization.t7: the pure-Python .t7 reader/writer, checked against files
written by real Torch7 (tests/fixtures/t7, described by expected.tsv)."""
import io
import os
import pathlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from torchlua.serialization import t7
from torchlua.serialization.t7 import (LuaFunction, LuaTable, T7Error, T7Storage, T7Tensor,
                                       TorchObject)

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "t7"
FORMATS = {"binary": "{}.t7", "ascii": "{}.ascii.t7"}


def fixture(name, fmt):
    return FIXTURES / FORMATS[fmt].format(name)


def expected_names():
    lines = (FIXTURES / "expected.tsv").read_text().splitlines()
    return [line.split("\t", 1)[0] for line in lines if line.strip()]


def linear(x, m):
    return m["weight"] @ x + m["bias"]


# -- what every reference file holds (expected.tsv) --------------------------------------

def check_tensor(v, dtype, shape, values):
    assert type(v) is np.ndarray and v.dtype == dtype and v.shape == shape
    assert v.tolist() == values


def check_shared_views(v):
    whole, rows, col = v["whole"], v["rows"], v["col"]
    check_tensor(whole, np.float64, (3, 4), np.arange(1, 13.0).reshape(3, 4).tolist())
    check_tensor(rows, np.float64, (2, 4), whole[1:3].tolist())
    check_tensor(col, np.float64, (3,), [3.0, 7.0, 11.0])
    assert rows.base is whole.base is col.base and whole.base.size == 12
    rows[0, 0] = 100
    assert whole[1, 0] == 100


def check_table_cycle(v):
    assert isinstance(v, LuaTable) and len(v) == 7
    assert v[1] == 1 and v[2] == "two" and v[4] is True and v[5] == 2.5
    assert v[3]["x"] == 3 and v["self"] is v and v["alias"] is v[3]
    assert v.is_list() is False


def check_mlp(m):
    assert m.typename == "nn.Sequential"
    mods = m["modules"].as_list()
    assert [x.typename for x in mods] == ["nn.Linear", "nn.Tanh", "nn.Linear", "nn.LogSoftMax"]
    assert mods[0]["weight"].shape == (3, 4) and mods[2]["weight"].shape == (2, 3)
    o = linear(np.tanh(linear(np.arange(1, 5) / 4, mods[0])), mods[2])
    np.testing.assert_allclose(o - np.log(np.exp(o).sum()),
                               [-0.46208206999805568, -0.99417291468580249], rtol=1e-13)


def check_convnet(m):
    mods = m["modules"].as_list()
    assert [x.typename for x in mods] == ["nn.SpatialConvolution", "nn.ReLU", "nn.SpatialMaxPooling",
                                          "nn.View", "nn.Linear"]
    conv, pool, view, lin = mods[0], mods[2], mods[3], mods[4]
    assert conv["weight"].shape == (2, 1, 3, 3) and (conv["kW"], conv["nOutputPlane"]) == (3, 2)
    assert (pool["kW"], pool["kH"], pool["dW"]) == (2, 2, 2)
    assert view["size"].typename == "torch.LongStorage" and view["size"].array.tolist() == [8]
    assert lin["weight"].shape == (3, 8)
    x = (np.arange(1, 37) / 36).reshape(6, 6)
    win = np.lib.stride_tricks.sliding_window_view(x, (3, 3))
    y = np.einsum("ijkl,okl->oij", win, conv["weight"][:, 0]) + conv["bias"][:, None, None]
    p = np.maximum(y, 0).reshape(2, 2, 2, 2, 2).max(axis=(2, 4)).reshape(8)
    np.testing.assert_allclose(linear(p, lin), [0.081964098928911877, -0.17189747752211232,
                                                -0.055742800046822735], rtol=1e-12)


def check_gmodule(m):
    assert m.typename == "nn.gModule"
    mods = m["modules"].as_list()
    assert [x.typename for x in mods] == ["nn.Identity", "nn.Linear", "nn.Tanh", "nn.Linear",
                                          "nn.CMulTable"]
    assert all(n.typename == "nngraph.Node" for n in m["forwardnodes"].as_list())
    x = np.array([0.1, -0.2, 0.3])
    np.testing.assert_allclose(np.tanh(linear(x, mods[1])) * linear(x, mods[3]),
                               [-0.0038507796831404682, 0.072957673408848928,
                                -0.013711608112795389, -0.01537877778268028], rtol=1e-12)


def check_with_function(v):
    assert isinstance(v["f"], LuaFunction) and v["f"].bytecode.startswith(b"\x1bLJ")
    assert v["n"] == 1 and len(v["f"].upvalues) == 0


CHECKS = {
    "double_2x3": lambda v: check_tensor(v, np.float64, (2, 3), [[1, 2, 3], [4, 5, 6]]),
    "float_2x2": lambda v: check_tensor(
        v, np.float32, (2, 2), np.array([[0.5, -1.25], [3, 0.001]], np.float32).tolist()),
    "long_3": lambda v: check_tensor(v, np.int64, (3,), [1, -2, 9007199254740992]),
    "int_2": lambda v: check_tensor(v, np.int32, (2,), [7, -8]),
    "short_2": lambda v: check_tensor(v, np.int16, (2,), [300, -301]),
    "char_2": lambda v: check_tensor(v, np.int8, (2,), [-5, 6]),
    "byte_3": lambda v: check_tensor(v, np.uint8, (3,), [0, 128, 255]),
    "empty_tensor": lambda v: check_tensor(v, np.float64, (0,), []),
    "double_storage": lambda v: (isinstance(v, T7Storage) and v.typename == "torch.DoubleStorage"
                                 and v.array.tolist() == [1.5, 2.5]) or pytest.fail(repr(v)),
    "shared_views": check_shared_views,
    "transposed": lambda v: (check_tensor(v, np.float64, (3, 2), [[1, 4], [2, 5], [3, 6]]),
                             v.strides == (8, 24)),
    "table_cycle": check_table_cycle,
    "number": lambda v: v == 42.5 and type(v) is float or pytest.fail(repr(v)),
    "string": lambda v: v == "hello torch" or pytest.fail(repr(v)),
    "boolean": lambda v: v is False or pytest.fail(repr(v)),
    "mlp": check_mlp,
    "convnet": check_convnet,
    "gmodule": check_gmodule,
    "with_function": check_with_function,
    "criterion": lambda m: (m.typename == "nn.ClassNLLCriterion" and m["sizeAverage"] is True)
    or pytest.fail(repr(m)),
}


def test_every_fixture_is_checked():
    names = expected_names()
    assert sorted(names) == sorted(CHECKS)
    on_disk = {p.name for p in FIXTURES.glob("*.t7")}
    assert on_disk == {FORMATS[f].format(n) for n in names for f in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(CHECKS))
def test_reference_file_loads_as_expected(name, fmt):
    CHECKS[name](t7.load(fixture(name, fmt), fmt, allow_functions=True))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(CHECKS))
def test_reference_file_round_trips_byte_identically(name, fmt):
    raw = fixture(name, fmt).read_bytes()
    value = t7.loads(raw, fmt, allow_functions=True)
    assert t7.dumps(value, fmt) == raw


# -- writing from scratch matches Torch7's bytes -----------------------------------------

def scratch_values():
    whole = np.arange(1, 13, dtype=np.float64).reshape(3, 4)
    inner = {"x": 3}
    cycle = {1: 1, 2: "two", 3: inner, 4: True, 5: 2.5}
    cycle["self"] = cycle
    cycle["alias"] = inner
    return {
        "double_2x3": np.arange(1, 7, dtype=np.float64).reshape(2, 3),
        "float_2x2": np.array([[0.5, -1.25], [3, 0.001]], np.float32),
        "long_3": np.array([1, -2, 9007199254740992], np.int64),
        "int_2": np.array([7, -8], np.int32),
        "short_2": np.array([300, -301], np.int16),
        "char_2": np.array([-5, 6], np.int8),
        "byte_3": np.array([0, 128, 255], np.uint8),
        "empty_tensor": np.zeros(0),
        "double_storage": T7Storage("torch.DoubleStorage", [1.5, 2.5]),
        "shared_views": {"whole": whole, "rows": whole[1:3], "col": whole[:, 2]},
        "transposed": np.array([[1.0, 2, 3], [4, 5, 6]]).T,
        "table_cycle": cycle,
        "number": 42.5,
        "string": "hello torch",
        "boolean": False,
    }


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(scratch_values()))
def test_python_values_write_torch7_bytes(name, fmt, tmp_path):
    value = scratch_values()[name]
    assert t7.dumps(value, fmt) == fixture(name, fmt).read_bytes()
    out = tmp_path / "out.t7"
    t7.save(out, value, fmt)
    assert out.read_bytes() == fixture(name, fmt).read_bytes()


# -- values, references, types -----------------------------------------------------------

def test_repeated_objects_are_written_once_and_stay_shared():
    a = np.arange(4.0)
    table = {"k": 1}
    back = t7.loads(t7.dumps([a, a, a[1:], table, table]))
    assert back[1] is back[2] and back[4] is back[5]
    assert back[3].base is back[1].base
    back[3][0] = 7
    assert back[1][1] == 7
    # without references every occurrence is written again (and nothing is shared)
    flat = t7.loads(t7.dumps([a, a], referenced=False), referenced=False)
    assert flat[1] is not flat[2] and flat[1].base is not flat[2].base
    cyclic = {}
    cyclic["me"] = cyclic
    with pytest.raises(T7Error, match="cyclic"):
        t7.dumps(cyclic, referenced=False)


def test_python_containers_and_scalars():
    value = {"list": [1, None, "x"], "tuple": (True,), "n": np.int32(5), "f": np.float32(0.5),
             "b": np.bool_(True), "raw": b"\xff\x00", "nothing": None}
    back = t7.loads(t7.dumps(value))
    assert list(back) == ["list", "tuple", "n", "f", "b", "raw"]   # nil values are absent
    assert dict(back["list"].items()) == {1.0: 1.0, 3.0: "x"}       # a hole, as in Lua
    assert back["tuple"].as_list() == [True]
    assert back["n"] == 5.0 and back["f"] == 0.5 and back["b"] is True
    assert back["raw"] == b"\xff\x00"                                # not UTF-8: stays bytes
    with pytest.raises(ValueError):
        back["list"].as_list()


def test_lua_table_keys():
    t = LuaTable()
    t[1] = "number"
    t[True] = "boolean"
    arr = np.zeros(2)
    t[arr] = "array key"
    assert t[1.0] == "number" and t[True] == "boolean" and t[arr] == "array key"
    t[1] = None
    assert 1 not in t and len(t) == 2
    back = t7.loads(t7.dumps(t))
    keys = list(back)
    assert keys[0] is True and isinstance(keys[1], np.ndarray)
    with pytest.raises(T7Error, match="table index is NaN"):
        t7.dumps({float("nan"): 1})


def test_array_layouts_and_dtypes():
    f_order = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    flipped = np.arange(5)[::-1]
    big = np.arange(3, dtype=">i4")
    value = [f_order, flipped, big, np.array([True, False]), np.array(2.5), np.float16([1.5])]
    back = t7.loads(t7.dumps(value)).as_list()
    np.testing.assert_array_equal(back[0], f_order)
    assert back[0].strides == (8, 16)                  # kept as a view of its storage
    np.testing.assert_array_equal(back[1], flipped)    # negative strides: written as a copy
    assert back[2].dtype == np.int32 and back[2].tolist() == [0, 1, 2]
    assert back[3].dtype == np.uint8 and back[3].tolist() == [1, 0]
    assert back[4].shape == (1,) and back[4][0] == 2.5
    assert back[5].dtype == np.float16 and back[5][0] == 1.5
    with pytest.raises(T7Error, match="no torch tensor type for NumPy dtype complex128"):
        t7.dumps(np.zeros(2, complex))
    with pytest.raises(T7Error, match=r"Unwritable object <set> at <\?>\.bad"):
        t7.dumps({"bad": {1}})


def test_cuda_type_names_survive():
    w = np.arange(4, dtype=np.float32).view(T7Tensor)
    w.typename = "torch.CudaTensor"
    data = t7.dumps({"w": w})
    assert b"torch.CudaStorage" in data
    back = t7.loads(data)["w"]
    assert isinstance(back, T7Tensor) and back.typename == "torch.CudaTensor"
    assert back.dtype == np.float32 and back.tolist() == [0, 1, 2, 3]
    assert t7.dumps({"w": back}) == data
    # once the dtype no longer matches, the dtype decides
    assert b"torch.DoubleTensor" in t7.dumps(back.astype(np.float64))


def test_torch_objects_generators_and_legacy_headers():
    gen = TorchObject("torch.Generator", 1, bytes(range(256)) * 19 + bytes(184))
    mod = TorchObject("nn.Linear", 1, {"weight": np.ones((2, 3)), "train": True})
    mod.fields["self"] = mod
    back = t7.loads(t7.dumps([gen, mod]))
    assert back[1].fields == gen.fields
    assert back[2].typename == "nn.Linear" and back[2]["self"] is back[2]
    assert back[2]["weight"].shape == (2, 3)
    # before versioning the first string was the class name itself
    f = t7.MemoryFile().binary()
    f.writeInt(4), f.writeInt(1), f.writeInt(6), f.writeString("nn.Foo")
    f.writeInt(3), f.writeInt(2), f.writeInt(0)
    old = t7.loads(f.storage_bytes()[:-1])
    assert (old.typename, old.version, len(old.fields)) == ("nn.Foo", 0, 0)


def test_functions_are_refused_unless_allowed():
    path = fixture("with_function", "binary")
    with pytest.raises(T7Error, match="allow_functions=True") as e:
        t7.load(path)
    assert str(path) in str(e.value) and e.value.offset == 21
    fn = t7.load(path, allow_functions=True)["f"]
    assert t7.loads(t7.dumps({"f": fn}), allow_functions=True)["f"].bytecode == fn.bytecode


def test_long_size_formats(tmp_path):
    value = {"a": np.arange(3), "s": T7Storage("torch.LongStorage", [5, -6])}
    for fmt in ("b32", "b64"):
        data = t7.dumps(value, fmt)
        back = t7.loads(data, fmt)
        assert back["a"].tolist() == [0, 1, 2] and back["s"].array.tolist() == [5, -6]
    assert len(t7.dumps(value, "b64")) - len(t7.dumps(value, "b32")) == 4 * 10
    assert t7.dumps(value, "b64") == t7.dumps(value)
    # a 64-bit file read with 4-byte longs is misread (sizes 2,0...) or rejected, as in Torch
    try:
        wrong = t7.loads(fixture("double_2x3", "binary").read_bytes(), "b32")
        assert wrong.shape != (2, 3)
    except T7Error:
        pass


def test_file_objects_and_deep_nesting(tmp_path):
    deep = []
    for _ in range(3000):   # far beyond Python's recursion limit: both sides are iterative
        deep = [deep]
    buf = io.BytesIO()
    t7.save(buf, deep)
    buf.seek(0)
    back = t7.load(buf)
    for _ in range(3000):
        back = back[1]
    assert len(back) == 0


# -- bad input ---------------------------------------------------------------------------

def test_bad_arguments_and_missing_files(tmp_path):
    missing = tmp_path / "missing.t7"
    with pytest.raises(T7Error, match="cannot open") as e:
        t7.load(missing)
    assert str(missing) in str(e.value)
    with pytest.raises(T7Error, match='"binary", "b32", "b64" or "ascii" expected') as e:
        t7.load(fixture("number", "binary"), "text")
    assert "number.t7" in str(e.value)
    with pytest.raises(T7Error, match="expected for format"):
        t7.save(tmp_path / "x.t7", 1, "b16")
    assert not (tmp_path / "x.t7").exists()


def test_truncated_file_names_file_and_offset(tmp_path):
    raw = fixture("double_2x3", "binary").read_bytes()
    path = tmp_path / "cut.t7"
    path.write_bytes(raw[:-5])
    with pytest.raises(T7Error) as e:
        t7.load(path)
    msg = str(e.value)
    assert str(path) in msg and "(at byte 127)" in msg and "torch.DoubleStorage data" in msg
    assert e.value.offset == 127 and e.value.path == str(path)


def test_corrupt_headers(tmp_path):
    raw = bytearray(fixture("double_2x3", "binary").read_bytes())
    bad_tag = bytes([9]) + raw[1:]
    with pytest.raises(T7Error, match=r"unknown object type tag 9 \(at byte 0\)"):
        t7.loads(bad_tag)
    # a 2**31-1 byte class name in a 175-byte file: refused before allocating it
    huge = raw[:8] + (2**31 - 1).to_bytes(4, "little") + raw[12:]
    with pytest.raises(T7Error, match="need at least 2147483647 bytes"):
        t7.loads(bytes(huge))
    wrong_storage = bytes(raw).replace(b"\x13\0\0\0torch.DoubleStorage", b"\x12\0\0\0torch.FloatStorage")
    with pytest.raises(T7Error, match="refers to a torch.FloatStorage instead of a torch.DoubleStorage"):
        t7.loads(wrong_storage)
    outside = bytearray(raw)
    outside[0x45] = 9       # storage offset 1 -> 2305843009213693953 (0x2000000000000001)
    with pytest.raises(T7Error, match="reaches outside its storage"):
        t7.loads(bytes(outside))
    ascii_raw = fixture("string", "ascii").read_bytes()
    with pytest.raises(T7Error, match="string length"):
        t7.loads(ascii_raw.replace(b"11", b"x1"), "ascii")


FUZZ_INPUTS = [(p.name, "ascii" if p.name.endswith(".ascii.t7") else "binary", p.read_bytes())
               for p in sorted(FIXTURES.glob("*.t7"))]


@settings(max_examples=1200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, len(FUZZ_INPUTS) - 1),
       cut=st.one_of(st.none(), st.floats(0, 1)),
       edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=4),
       allow=st.booleans(), via_disk=st.booleans())
def test_fuzzed_reference_files_only_raise_t7error(tmp_path, which, cut, edits, allow, via_disk):
    name, fmt, raw = FUZZ_INPUTS[which]
    data = bytearray(raw)
    for where, byte in edits:
        data[int(where * len(data))] = byte
    if cut is not None:
        data = data[:int(cut * len(data))]
    try:
        if via_disk:
            path = tmp_path / ("fuzz_" + name)
            path.write_bytes(bytes(data))
            t7.load(path, fmt, allow_functions=allow)
        else:
            t7.loads(bytes(data), fmt, allow_functions=allow)
    except T7Error as e:
        assert e.path is not None
