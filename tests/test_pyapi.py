"""Lua values seen from Python: tensors as NumPy without copies, tables, methods, calls."""
import numpy as np
import pytest

import torchlua
from torchlua import LuaError, LuaObject, LuaTensor, Runtime, to_numpy, to_python


@pytest.fixture(scope="module")
def rt():
    return Runtime()


@pytest.fixture(scope="module")
def ident(rt):
    return rt.eval("function(...) return ... end")


@pytest.mark.parametrize("dtype,tname", [
    (np.float64, "torch.DoubleTensor"), (np.float32, "torch.FloatTensor"),
    (np.int64, "torch.LongTensor"), (np.int32, "torch.IntTensor"), (np.int16, "torch.ShortTensor"),
    (np.int8, "torch.CharTensor"), (np.uint8, "torch.ByteTensor"),
])
def test_arrays_become_tensors_of_the_matching_type_without_copy(rt, ident, dtype, tname):
    a = np.arange(6, dtype=dtype).reshape(2, 3)
    t = ident(a)
    assert isinstance(t, LuaTensor)
    assert rt.eval("torch.type(...)", a) == tname
    assert np.shares_memory(t.numpy(), a)
    assert np.shares_memory(to_numpy(t), a)
    assert t.numpy().dtype == dtype and t.numpy().shape == (2, 3)
    rt.execute("local x = ...; x[2][3] = 42", a)  # Lua writes land in the array
    assert a[1, 2] == 42
    a[0, 0] = 7  # and NumPy writes are seen by Lua
    assert rt.eval("(...)[1][1]", a) == 7


def test_bool_arrays_are_copied_to_byte_tensors(rt, ident):
    a = np.array([True, False, True])
    t = ident(a)
    assert rt.eval("torch.type(...)", a) == "torch.ByteTensor"
    assert t.numpy().tolist() == [1, 0, 1]
    assert not np.shares_memory(t.numpy(), a)


def test_non_contiguous_arrays_are_shared_with_their_strides(rt):
    a = np.arange(12.0).reshape(3, 4)
    at = a.T
    assert rt.eval("(...):isContiguous()", at) is False
    assert rt.eval("(...)[2][3]", at) == at[1, 2]
    t = rt.from_numpy(at)
    assert np.shares_memory(t.numpy(), a)
    t.fill(1.5)
    assert (a == 1.5).all()


def test_read_only_arrays_are_copied(rt):
    a = np.zeros(3)
    a.setflags(write=False)
    t = rt.from_numpy(a)
    t.fill(1)
    assert (a == 0).all() and (t.numpy() == 1).all()


def test_lua_tensors_come_back_as_shared_numpy(rt):
    t = rt.eval("torch.Tensor(2, 3):fill(1)")
    arr = t.numpy()
    assert arr.shape == (2, 3) and (arr == 1).all()
    arr[1, 2] = 9
    assert t[2][3] == 9
    assert np.shares_memory(np.asarray(t), arr)
    assert len(t) == 2
    col = t.select(2, 3)  # a view made in Lua shares memory too
    assert np.shares_memory(col.numpy(), arr)


def test_tensor_methods_are_bound(rt):
    t = rt.eval("torch.Tensor(4)")
    same = t.fill(3)  # Lua: t:fill(3) returns t itself
    assert same == t
    assert t.size(1) == 4
    assert list(t.size().numpy()) == [4]
    assert t.narrow(1, 2, 2).numpy().tolist() == [3.0, 3.0]
    assert str(t.type("torch.IntTensor")).endswith("[torch.IntTensor of size 4]\n")


TORCH_CLASS = """
local Bag = torch.class('Bag')
function Bag:__init(n) self.n = n; self.modules = {} end
function Bag:add(m) table.insert(self.modules, m); return self end
function Bag:size() return #self.modules end
Bag.helper = function(x) return x * 10 end
"""


def test_torch_class_instances(rt):
    rt.execute(TORCH_CLASS)
    Bag = rt.globals.Bag
    bag = Bag(3)  # calling the class: no self passed
    assert isinstance(bag, LuaObject)
    assert rt.eval("torch.type(...)", bag) == "Bag"
    w = np.ones((2, 2))
    assert bag.add({"weight": w}).add(5) == bag  # methods chain, as net:add(...):add(...)
    assert bag.size() == 2
    assert bag.n == 3
    weight = bag.modules[1].weight  # Lua keys: the first module is [1]
    assert np.shares_memory(weight.numpy(), w)
    assert bag.modules[2] == 5
    bag.n = 4  # attribute writes
    assert rt.eval("(...).n", bag) == 4
    bag.modules[1].weight = np.zeros(2)
    assert rt.eval("(...).modules[1].weight:size(1)", bag) == 2
    assert bag.missing is None


def test_functions_stored_in_tables_are_not_methods(rt):
    torch = rt.require("torch")
    assert torch.typename(torch.Tensor(2)) == "torch.DoubleTensor"
    assert rt.eval("torch.Tensor(2)").dim() == 1


def test_tables_len_iteration_and_items(rt):
    arr = rt.eval("{10, 20, 30}")
    assert len(arr) == 3
    assert list(arr) == [10, 20, 30]
    assert arr[2] == 20
    d = rt.eval("{a = 1, b = 2}")
    assert sorted(d) == ["a", "b"]
    assert sorted(d.items()) == [("a", 1), ("b", 2)]
    assert sorted(d.values()) == [1, 2]
    d["c"] = [1, 2]
    assert rt.eval("#(...).c", d) == 2


def test_globals(rt):
    g = rt.globals
    g.shared = np.arange(4.0)
    assert rt.eval("shared:size(1)") == 4
    assert g.math.floor(2.5) == 2


def test_to_python_converts_tables_of_tensors(rt):
    v = rt.eval("{torch.Tensor(2):fill(1), {x = torch.LongTensor(3):fill(2), n = 5, s = 'str'}}")
    p = to_python(v)
    assert isinstance(p, list) and len(p) == 2
    assert p[0].tolist() == [1.0, 1.0]
    assert p[1]["x"].dtype == np.int64 and p[1]["x"].tolist() == [2, 2, 2]
    assert p[1]["n"] == 5 and p[1]["s"] == "str"
    p[0][0] = 8
    assert v[1][1] == 8  # the arrays share the tensors' memory
    cyc = to_python(rt.eval("(function() local t = {1}; t[2] = t; return t end)()"))
    assert cyc[1] is cyc
    assert to_python(rt.eval("1, {2}")) == (1, [2])


def test_python_callables_called_from_lua(rt):
    def feval(x):
        assert isinstance(x, LuaTensor)
        return float(x.numpy().sum()), x.numpy() * 2

    loss, grad = rt.eval("(function(f, x) return f(x) end)(...)", feval, np.arange(3.0))
    assert loss == 3.0
    assert grad.numpy().tolist() == [0.0, 2.0, 4.0]


def test_lua_errors_and_foreign_values(rt):
    f = rt.eval("function() error('from lua') end")
    with pytest.raises(LuaError, match="from lua"):
        f()
    other = Runtime()
    with pytest.raises(ValueError):
        rt.eval("...", other.eval("{}"))
    with pytest.raises(TypeError):
        to_numpy([1, 2])


def test_nn_from_python():
    r = Runtime()
    try:
        nn = r.require("nn")
        nn.Linear
    except Exception as e:
        pytest.skip("require 'nn' does not work yet (%s)" % str(e).splitlines()[0])
    net = nn.Sequential()
    net.add(nn.Linear(3, 2))
    w = net.modules[1].weight
    w.numpy()[:] = 1.0
    b = net.modules[1].bias
    b.numpy()[:] = 0.5
    x = np.arange(3.0)
    out = net.forward(x)
    assert out.numpy().tolist() == [3.5, 3.5]
    assert np.shares_memory(net.modules[1].weight.numpy(), w.numpy())
