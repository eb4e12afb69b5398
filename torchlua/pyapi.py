"""Python's view of Lua values (what `Runtime.execute/eval/require/...` return).

- numbers, strings, booleans and nil come back as int/float, str, bool and None;
- tensors come back as `LuaTensor`: `.numpy()` is a NumPy view of the same memory;
- tables, functions and other userdata come back as `LuaObject`:
  `obj.name` / `obj[key]` read with Lua's indexing (keys are Lua keys: `t[1]` is
  the first element), assignments write, `obj(...)` calls, `len(obj)` is `#obj`;
  a function reached through an object's metatable (a method of a torch class,
  of a tensor) comes back bound, so `net.add(m)` is Lua's `net:add(m)`, while a
  function stored in the table itself (`torch.rand`, `nn.Linear`) is called plainly.

Going into Lua, NumPy arrays become tensors of the matching type viewing the same
memory (bool arrays are copied into a ByteTensor, read-only arrays are copied),
lists/tuples/dicts become tables, Python callables become Lua-callable functions
that see and return converted values.
"""
import numpy as np

from .core.tensor import Tensor
from .runtime import LuaExit, _lupa

_lua_type = _lupa.lua_type

_HELPERS = r"""
local core = require 'torch._core'
local TDATA, SDATA = core.TDATA, core.SDATA
local type, rawget, tostring = type, rawget, tostring
local H = {}
-- 1 = tensor, 2 = storage (with the Python handle), 0 = anything else
function H.classify(v)
  local r = TDATA[v]
  if r ~= nil then return 1, r.h end
  r = SDATA[v]
  if r ~= nil then return 2, r.h end
  return 0, nil
end
H.wrapT = core.wrapT
function H.index(o, k) return o[k] end
function H.setindex(o, k, v) o[k] = v end
-- the value, and whether it is a method (a function found through the metatable)
function H.member(o, k)
  local v = o[k]
  return v, type(v) == 'function' and (type(o) ~= 'table' or rawget(o, k) == nil)
end
function H.len(o) return #o end
function H.tostring(v) return (tostring(v)) end
function H.typename(v)
  local t = rawget(_G, 'torch')
  return t and t.typename and t.typename(v) or nil
end
local ids, last = setmetatable({}, {__mode = 'k'}), 0
function H.ident(v)
  local i = ids[v]
  if i == nil then last = last + 1; i = last; ids[v] = i end
  return i
end
H.rawequal = rawequal
-- #t when the keys are exactly 1..#t (an array), false otherwise
function H.array_length(t)
  local n, c = #t, 0
  for k in pairs(t) do
    if type(k) ~= 'number' or k < 1 or k > n or k % 1 ~= 0 then return false end
    c = c + 1
  end
  return c == n and n
end
-- keys for completion: the table's own, then those its metatable's __index table offers
function H.fields(o)
  local out, seen = {}, {}
  local function add(t)
    if type(t) ~= 'table' then return end
    for k in pairs(t) do
      if type(k) == 'string' and not seen[k] then seen[k] = true; out[#out + 1] = k end
    end
  end
  if type(o) == 'table' then add(o) end
  local mt = getmetatable(o)
  local depth = 0
  while type(mt) == 'table' and depth < 10 do
    local idx = rawget(mt, '__index')
    add(idx)
    mt = type(idx) == 'table' and getmetatable(idx) or nil
    depth = depth + 1
  end
  add(TDATA[o] ~= nil and getmetatable(o) or nil)
  return out
end
return H
"""


class Bridge:
    """Converts values between one Runtime's Lua state and Python."""

    def __init__(self, runtime):
        self.rt = runtime
        self.lua = runtime.lua
        self.H = self.lua.execute(_HELPERS)

    # -- calls from the host ----------------------------------------------------
    def host_call(self, fn, *args):
        try:
            res = fn(*[self.unwrap(a) for a in args])
        except LuaExit:
            self.rt._clear_exit()
            raise
        return self.wrap_results(res)

    def wrap_results(self, res):
        if type(res) is tuple:  # several Lua results
            return tuple(self.wrap(r) for r in res)
        return self.wrap(res)

    # -- Lua -> Python ----------------------------------------------------------
    def wrap(self, v):
        if v is None or isinstance(v, (bool, int, float, str, bytes)):
            return v
        kind = _lua_type(v)
        if kind is None:  # a Python object that travelled through Lua
            return v
        if kind == "userdata":
            c, h = self.H.classify(v)
            if c == 1:
                return LuaTensor(self, v, kind, h)
            if c == 2:
                return LuaStorage(self, v, kind, h)
        return LuaObject(self, v, kind)

    # -- Python -> Lua ----------------------------------------------------------
    def unwrap(self, x):
        if x is None or isinstance(x, (bool, int, float, str, bytes)):
            return x
        if isinstance(x, LuaObject):
            if x._b is not self:
                raise ValueError("this Lua value belongs to another torchlua Runtime")
            return x._v
        if isinstance(x, np.ndarray):
            return self.array_to_lua(x)
        if isinstance(x, np.generic):
            return x.item()
        if isinstance(x, (list, tuple)):
            return self.lua.table_from([self.unwrap(e) for e in x])
        if isinstance(x, dict):
            return self.lua.table_from({self.unwrap(k): self.unwrap(v) for k, v in x.items()})
        if _lua_type(x) is not None:  # a raw lupa value of this state
            return x
        if callable(x):
            return self._callback(x)
        return x  # any other Python object goes in as an opaque userdata

    def array_to_lua(self, arr):
        if arr.dtype == np.bool_:
            arr = arr.astype(np.uint8)
        elif not arr.flags.writeable:
            arr = arr.copy()  # Lua writes through the FFI, which ignores NumPy's flag
        t = Tensor.from_array(arr)
        return self.H.wrapT(t, t.t.index, t.meta_addr)

    def _callback(self, f):
        def from_lua(*args):
            res = f(*[self.wrap(a) for a in args])
            if type(res) is tuple:
                return tuple(self.unwrap(r) for r in res)
            return self.unwrap(res)
        return from_lua

    # -- whole structures -----------------------------------------------------------
    def to_python(self, v, memo):
        if isinstance(v, (LuaTensor, LuaStorage)):
            return v.numpy()
        if isinstance(v, LuaObject):
            if v._kind != "table":
                return v
            raw = v._v
            key = self.H.ident(raw)
            if key in memo:  # shared or cyclic tables stay shared
                return memo[key]
            n = self.H.array_length(raw)
            if n:
                out = memo[key] = []
                out.extend(self.to_python(self.wrap(raw[i]), memo) for i in range(1, n + 1))
            else:
                out = memo[key] = {}
                for k, val in raw.items():
                    out[self.to_python(self.wrap(k), memo)] = self.to_python(self.wrap(val), memo)
            return out
        if isinstance(v, tuple):
            return tuple(self.to_python(e, memo) for e in v)
        return v


class LuaObject:
    """A Lua table, function or userdata seen from Python."""

    __slots__ = ("_b", "_v", "_kind")

    def __init__(self, bridge, value, kind):
        object.__setattr__(self, "_b", bridge)
        object.__setattr__(self, "_v", value)
        object.__setattr__(self, "_kind", kind)

    def _indexable(self, name):
        if self._kind not in ("table", "userdata"):
            raise AttributeError("a Lua %s has no field %r" % (self._kind, name))

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # Python protocol probes are not Lua fields
        self._indexable(name)
        b = self._b
        v, method = b.H.member(self._v, name)
        if method:
            return LuaMethod(b, self._v, v, name)
        return b.wrap(v)

    def __setattr__(self, name, value):
        self._indexable(name)
        self._b.host_call(self._b.H.setindex, self._v, name, value)

    def __getitem__(self, key):
        return self._b.host_call(self._b.H.index, self._v, key)

    def __setitem__(self, key, value):
        self._b.host_call(self._b.H.setindex, self._v, key, value)

    def __call__(self, *args, **kwargs):
        if kwargs:
            raise TypeError("Lua functions take positional arguments only")
        return self._b.host_call(self._v, *args)

    def __len__(self):
        if self._kind != "table":
            raise TypeError("len() of a Lua %s" % self._kind)
        return int(self._b.H.len(self._v))

    def __iter__(self):
        """An array table iterates over its values (t[1], t[2], ...), any other table
        over its keys, as the list or dict that to_python makes of it would."""
        if self._kind != "table":
            raise TypeError("a Lua %s is not iterable" % self._kind)
        n = self._b.H.array_length(self._v)
        if n:
            return iter([self[i] for i in range(1, n + 1)])
        return iter(self.keys())

    def keys(self):
        return [self._b.wrap(k) for k in self._v.keys()]

    def values(self):
        return [self._b.wrap(v) for v in self._v.values()]

    def items(self):
        return [(self._b.wrap(k), self._b.wrap(v)) for k, v in self._v.items()]

    def __bool__(self):
        return True  # every table/function/userdata is true in Lua

    def __eq__(self, other):
        return isinstance(other, LuaObject) and other._b is self._b and bool(
            self._b.H.rawequal(self._v, other._v))

    def __hash__(self):
        return hash((id(self._b), self._b.H.ident(self._v)))

    def __str__(self):
        return self._b.H.tostring(self._v)

    def __repr__(self):
        name = self._b.H.typename(self._v)
        return "<Lua %s>" % (name or self._b.H.tostring(self._v))

    def __dir__(self):
        if self._kind not in ("table", "userdata"):
            return []
        return sorted(self._b.H.fields(self._v).values())


class LuaTensor(LuaObject):
    """A torch tensor seen from Python; `.numpy()` shares its memory."""

    __slots__ = ("_h",)

    def __init__(self, bridge, value, kind, handle):
        LuaObject.__init__(self, bridge, value, kind)
        object.__setattr__(self, "_h", handle)

    def numpy(self):
        return self._h.a.view()  # a view, so reshaping the result cannot touch the cache

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        if dtype is not None and np.dtype(dtype) != a.dtype:
            return a.astype(dtype)
        return a.copy() if copy else a

    def __len__(self):
        return self._h.size[0] if self._h.size else 0

    def __repr__(self):
        size = "x".join(map(str, self._h.size)) or "0 (empty)"
        return "<Lua %s of size %s>" % (self._h.t.tensor_name, size)


class LuaStorage(LuaObject):
    """A torch storage seen from Python; `.numpy()` shares its memory."""

    __slots__ = ("_h",)

    def __init__(self, bridge, value, kind, handle):
        LuaObject.__init__(self, bridge, value, kind)
        object.__setattr__(self, "_h", handle)

    def numpy(self):
        return self._h.data.view()

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        if dtype is not None and np.dtype(dtype) != a.dtype:
            return a.astype(dtype)
        return a.copy() if copy else a

    def __len__(self):
        return int(self._h.data.size)

    def __repr__(self):
        return "<Lua %s of size %d>" % (self._h.t.storage_name, self._h.data.size)


class LuaMethod:
    """A method of a Lua object: calling it passes the object first (Lua's `obj:name()`)."""

    __slots__ = ("_b", "_self", "_f", "__name__")

    def __init__(self, bridge, obj, f, name):
        self._b, self._self, self._f, self.__name__ = bridge, obj, f, name

    def __call__(self, *args, **kwargs):
        if kwargs:
            raise TypeError("Lua methods take positional arguments only")
        return self._b.host_call(self._f, self._self, *args)

    def __repr__(self):
        return "<Lua method %s>" % self.__name__


def to_numpy(value):
    """The NumPy array sharing memory with a tensor or storage returned by a Runtime."""
    if isinstance(value, (LuaTensor, LuaStorage)):
        return value.numpy()
    if isinstance(value, np.ndarray):
        return value
    raise TypeError("expected a torch tensor or storage, got %s" % type(value).__name__)


def to_python(value):
    """Plain Python data from a Lua value: tensors and storages become NumPy arrays
    (sharing memory), array tables lists, other tables dicts, recursively; functions
    and other userdata stay LuaObjects."""
    if isinstance(value, LuaObject):
        return value._b.to_python(value, {})
    if isinstance(value, tuple):
        return tuple(to_python(v) for v in value)
    return value
