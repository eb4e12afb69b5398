"""Torch7's .t7 object grammar (File:writeObject / File:readObject) in pure Python.

Usable without Lua: ``load``/``loads`` return Python values, ``save``/``dumps`` write
them back byte-compatibly with Torch7 (same reference indices, same layout).

Lua value      Python value
nil            None
number         float (ints and NumPy scalars are accepted when saving)
string         str (bytes when the Lua string is not valid UTF-8)
boolean        bool
table          LuaTable (insertion = file order; ``as_list()`` when keys are 1..n);
               dicts, lists and tuples are accepted when saving
torch.XTensor  numpy.ndarray, a strided view of its storage's array, so tensors
               that shared a storage still share memory after loading. Tensor
               types without a NumPy equivalent name (torch.Cuda*) load as
               T7Tensor, an ndarray carrying ``typename``.
torch.XStorage T7Storage(typename, array)
other classes  TorchObject(typename, version, fields)
function       refused unless ``allow_functions=True``, then LuaFunction (never run)

Both readers and writers are iterative, so deeply nested tables (long nngraph
chains) do not hit Python's recursion limit.
"""
import math
import os
import re
from collections.abc import MutableMapping
from reprlib import recursive_repr

import numpy as np

from .file import DiskFile, MemoryFile, TorchFileError

__all__ = ["T7Error", "LuaTable", "T7Storage", "T7Tensor", "TorchObject", "LuaFunction",
           "load", "loads", "save", "dumps"]

TYPE_NIL = 0
TYPE_NUMBER = 1
TYPE_STRING = 2
TYPE_TABLE = 3
TYPE_TORCH = 4
TYPE_BOOLEAN = 5
TYPE_FUNCTION = 6                # legacy: no reference index
LEGACY_TYPE_RECUR_FUNCTION = 7   # legacy: upvalues are plain values
TYPE_RECUR_FUNCTION = 8          # what Torch writes for functions

# sizeof(THGenerator) on LP64; torch.Generator writes its struct raw.
GENERATOR_BYTES = 5048

_ELEM = {
    "Byte": np.dtype(np.uint8), "Char": np.dtype(np.int8), "Short": np.dtype(np.int16),
    "Int": np.dtype(np.int32), "Long": np.dtype(np.int64), "Float": np.dtype(np.float32),
    "Double": np.dtype(np.float64), "Half": np.dtype(np.float16),
}
_KIND_OF_DTYPE = {dt: k for k, dt in _ELEM.items()}
_CPU_KINDS = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double")
_CLASS_RE = re.compile(r"torch\.(Cuda)?(Byte|Char|Short|Int|Long|Float|Double|Half)?(Tensor|Storage)")


class T7Error(ValueError):
    """A .t7 file (or value) that cannot be read or written. ``path`` names the
    file, ``offset`` the byte where the offending item starts (None if n/a)."""

    def __init__(self, reason, path=None, offset=None):
        self.reason = reason
        self.path = path
        self.offset = offset
        msg = reason if offset is None else "%s (at byte %d)" % (reason, offset)
        super().__init__(msg if path is None else "%s: %s" % (path, msg))


def _class_info(typename):
    """(element kind, 'Tensor'|'Storage') for tensor/storage classes, else None."""
    m = _CLASS_RE.fullmatch(typename) if isinstance(typename, str) else None
    if m is None:
        return None
    cuda, kind, what = m.groups()
    if kind is None:
        if not cuda:
            return None      # there is no class named torch.Tensor / torch.Storage
        kind = "Float"       # torch.CudaTensor holds floats
    return kind, what


# ----------------------------------------------------------------------------------
# Python-side values
# ----------------------------------------------------------------------------------

def _decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


class LuaTable(MutableMapping):
    """A Lua table: any Lua value as key, keys kept in insertion order.

    Number keys compare as Lua numbers (``t[1]`` finds key ``1.0``), booleans stay
    distinct from numbers, other keys (tables, arrays, objects) by identity.
    Equality and hashing are by identity, as for Lua tables."""

    __slots__ = ("_d", "__weakref__")
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, items=None):
        self._d = {}
        if items is not None:
            self.update(items)

    @staticmethod
    def _h(key):
        if isinstance(key, (bool, np.bool_)):
            return ("bool", bool(key))
        if isinstance(key, (int, float, np.integer, np.floating)):
            k = float(key)
            if k != k:
                raise KeyError("table index is NaN")
            return k
        if isinstance(key, str):
            return key
        if isinstance(key, (bytes, bytearray)):
            return _decode(bytes(key))
        if key is None:
            raise KeyError("table index is nil")
        return ("id", id(key))  # the entry keeps the key alive, so the id is stable

    def __getitem__(self, key):
        try:
            return self._d[self._h(key)][1]
        except KeyError:
            raise KeyError(key) from None

    def __setitem__(self, key, value):
        h = self._h(key)
        if value is None:  # assigning nil removes the key, as in Lua
            self._d.pop(h, None)
        else:
            self._d[h] = (key, value)

    def __delitem__(self, key):
        try:
            del self._d[self._h(key)]
        except KeyError:
            raise KeyError(key) from None

    def __contains__(self, key):
        try:
            return self._h(key) in self._d
        except KeyError:
            return False

    def __iter__(self):
        return (k for k, _ in list(self._d.values()))

    def __len__(self):
        return len(self._d)

    def items(self):
        return list(self._d.values())

    def is_list(self):
        """True when the keys are exactly the numbers 1..n (n may be 0)."""
        n = len(self._d)
        return all(float(i) in self._d for i in range(1, n + 1))

    def as_list(self):
        """The values of keys 1..n as a list; ValueError if the table is not a sequence."""
        if not self.is_list():
            raise ValueError("table keys are not 1..%d" % len(self._d))
        return [self._d[float(i)][1] for i in range(1, len(self._d) + 1)]

    @recursive_repr("LuaTable({...})")
    def __repr__(self):
        return "LuaTable({%s})" % ", ".join("%r: %r" % kv for kv in self._d.values())


class T7Storage:
    """A torch storage: its class name (e.g. 'torch.DoubleStorage') and a 1-D array."""

    __slots__ = ("typename", "array", "__weakref__")

    def __init__(self, typename, array):
        self.typename = typename
        self.array = np.asarray(array)

    def __len__(self):
        return int(self.array.size)

    def __repr__(self):
        return "T7Storage(%r, %r)" % (self.typename, self.array)


class T7Tensor(np.ndarray):
    """An ndarray that remembers a torch tensor class NumPy cannot express by dtype
    alone (torch.CudaTensor, ...). Views inherit ``typename``; the writer uses it
    only while the dtype still matches."""

    typename = None

    def __array_finalize__(self, obj):
        self.typename = getattr(obj, "typename", None)


class TorchObject:
    """An instance of a torch class (nn.Linear, nn.gModule, ...): its class name,
    version (the "V n" header) and fields (usually a LuaTable)."""

    __slots__ = ("typename", "version", "fields", "__weakref__")

    def __init__(self, typename, version=1, fields=None):
        self.typename = typename
        self.version = version
        self.fields = LuaTable() if fields is None else fields

    def __getitem__(self, key):
        return self.fields[key]

    def __contains__(self, key):
        return isinstance(self.fields, (LuaTable, dict)) and key in self.fields

    def get(self, key, default=None):
        return self.fields.get(key, default) if isinstance(self.fields, (LuaTable, dict)) else default

    def keys(self):
        return self.fields.keys()

    def __repr__(self):
        if isinstance(self.fields, (LuaTable, dict)):
            inner = "fields=[%s]" % ", ".join(repr(k) for k in self.fields.keys())
        else:
            inner = "fields=<%s>" % type(self.fields).__name__
        return "TorchObject(%r, version=%r, %s)" % (self.typename, self.version, inner)


class LuaFunction:
    """A serialized Lua function, kept opaque: its string.dump bytecode, its upvalue
    table and the type tag it was stored with (8, or legacy 6/7)."""

    __slots__ = ("bytecode", "upvalues", "typeidx", "__weakref__")

    def __init__(self, bytecode, upvalues=None, typeidx=TYPE_RECUR_FUNCTION):
        self.bytecode = bytes(bytecode)
        self.upvalues = upvalues
        self.typeidx = typeidx

    def __repr__(self):
        return "LuaFunction(<%d bytes of bytecode>)" % len(self.bytecode)


_NUM_RE = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*")
_HEX_RE = re.compile(r"\s*[+-]?0[xX][0-9a-fA-F]+\s*")


def _lua_tonumber(s):
    """Lua's tonumber() on a string, or None (used on the "V <n>" header)."""
    if _HEX_RE.fullmatch(s):
        return int(s, 16)
    if _NUM_RE.fullmatch(s):
        x = float(s)
        return int(x) if x.is_integer() else x
    return None


def _lua_numstr(x):
    return "%.14g" % x  # Lua's tostring(number), used for the "V <n>" header


# ----------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------

_BUSY = object()  # memo entry of a tensor whose payload is being read


class _Reader:
    def __init__(self, f, name, allow_functions, referenced, long_size):
        self.f = f
        self.name = name
        self.allow_functions = allow_functions
        self.referenced = referenced
        self.ascii = not f.isBinary()
        self.long_size = long_size or 8
        self.memo = {}

    def err(self, reason, offset):
        return T7Error(reason, self.name, offset)

    def pos(self):
        return self.f.position() - 1

    def read(self, kind, n, what):
        start = self.pos()
        if n < 0:
            raise self.err("%s: negative count %d" % (what, n), start)
        if n:
            left = self.f.bytes_remaining()
            per = 1 if self.ascii else (self.long_size if kind == "Long" else _ELEM[kind].itemsize)
            if left is not None and n * per > left:
                raise self.err("%s: %d element(s) need at least %d bytes but only %d remain "
                               "(truncated or corrupt file)" % (what, n, n * per, left), start)
        try:
            return self.f.read_array(kind, n)
        except TorchFileError as e:
            raise self.err("%s: %s" % (what, e.message), start) from None

    def int(self, what):
        return int(self.read("Int", 1, what)[0])

    def long(self, what):
        return int(self.read("Long", 1, what)[0])

    def chars(self, what):
        n = self.int(what + " length")
        return self.read("Char", n, what).tobytes()

    def refuse_function(self, tag, start):
        if not self.allow_functions:
            raise self.err("serialized Lua function (type tag %d) refused: loading it would "
                           "run foreign code; pass allow_functions=True to accept it" % tag, start)

    def run(self):
        """Drive the per-object generators: each yields once per child object it
        needs and returns its value."""
        stack = [self.obj()]
        value = None
        while True:
            try:
                stack[-1].send(value)
            except StopIteration as stop:
                stack.pop()
                value = stop.value
                if not stack:
                    return value
                continue
            stack.append(self.obj())
            value = None

    def obj(self):
        start = self.pos()
        tag = self.int("object type tag")
        if tag == TYPE_NIL:
            return None
        if tag == TYPE_NUMBER:
            return float(self.read("Double", 1, "number")[0])
        if tag == TYPE_BOOLEAN:
            return self.int("boolean") == 1
        if tag == TYPE_STRING:
            return _decode(self.chars("string"))
        if tag == TYPE_FUNCTION:
            self.refuse_function(tag, start)
            fn = LuaFunction(self.chars("function bytecode"), None, tag)
            fn.upvalues = yield
            return fn
        if tag not in (TYPE_TABLE, TYPE_TORCH, TYPE_RECUR_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION):
            raise self.err("unknown object type tag %d" % tag, start)

        index = self.int("reference index")
        if self.referenced and index in self.memo:
            found = self.memo[index]
            if found is _BUSY:
                raise self.err("reference %d points into the tensor being read" % index, start)
            return found

        if tag in (TYPE_RECUR_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION):
            self.refuse_function(tag, start)
            fn = LuaFunction(self.chars("function bytecode"), None, tag)
            self.remember(index, fn)
            fn.upvalues = yield
            return fn

        if tag == TYPE_TORCH:
            return (yield from self.torch(index, start))

        n = self.int("table size")
        # every key and value takes at least a type tag
        need = 2 * n * (2 if self.ascii else 4)
        left = self.f.bytes_remaining()
        if n < 0 or (left is not None and need > left):
            raise self.err("table size %d does not fit in the %s bytes left"
                           % (n, "?" if left is None else left), start)
        table = LuaTable()
        self.remember(index, table)
        for _ in range(n):
            kpos = self.pos()
            key = yield
            value = yield
            if key is None:
                raise self.err("table index is nil", kpos)
            if isinstance(key, float) and key != key:
                raise self.err("table index is NaN", kpos)
            table[key] = value
        return table

    def remember(self, index, value):
        if self.referenced:
            self.memo[index] = value

    def torch(self, index, start):
        header = self.chars("class version")
        m = re.fullmatch(rb"V (.*)", header, re.S)
        version = _lua_tonumber(m.group(1).decode("latin-1")) if m else None
        if version is None:  # files older than versioning: the header is the class name
            classname, version = header, 0
        else:
            classname = self.chars("class name")
        typename = classname.decode("latin-1")
        info = _class_info(typename)

        if info is not None and info[1] == "Storage":
            kind = info[0]
            size = self.long("storage size")
            data = self.read(kind, size, "%s data" % typename)
            storage = T7Storage(typename, data)
            self.remember(index, storage)
            return storage

        if info is not None:
            self.remember(index, _BUSY)
            tensor = yield from self.tensor(typename, info[0], start)
            self.remember(index, tensor)
            return tensor

        obj = TorchObject(typename, version, None)
        self.remember(index, obj)
        if typename == "torch.Generator":
            obj.fields = self.read("Byte", GENERATOR_BYTES, "generator state").tobytes()
            return obj
        fields = yield
        if not isinstance(fields, LuaTable):
            raise self.err("fields of %s are a %s, not a table"
                           % (typename, type(fields).__name__), start)
        obj.fields = fields
        return obj

    def tensor(self, typename, kind, start):
        ndim = self.int("tensor dimension count")
        if ndim < 0:
            raise self.err("negative tensor dimension count %d" % ndim, start)
        sizes = [int(x) for x in self.read("Long", ndim, "tensor sizes")]
        strides = [int(x) for x in self.read("Long", ndim, "tensor strides")]
        offset = self.long("tensor storage offset") - 1
        storage = yield
        dtype = _ELEM[kind]
        if any(s < 0 for s in sizes):
            raise self.err("negative tensor size in %s" % (sizes,), start)
        numel = math.prod(sizes) if ndim else 0
        shape = tuple(sizes) if ndim else (0,)
        expect = typename[:-len("Tensor")] + "Storage"
        if storage is None:
            if numel:
                raise self.err("%s of %d elements has no storage" % (typename, numel), start)
            arr = np.empty(shape, dtype=dtype)
        elif not isinstance(storage, T7Storage) or storage.typename != expect:
            got = storage.typename if isinstance(storage, T7Storage) else type(storage).__name__
            raise self.err("%s refers to a %s instead of a %s" % (typename, got, expect), start)
        elif numel == 0:
            arr = storage.array[:0].reshape(shape)
        else:
            lo = offset + sum((n - 1) * s for n, s in zip(sizes, strides) if s < 0)
            hi = offset + sum((n - 1) * s for n, s in zip(sizes, strides) if s > 0)
            if lo < 0 or hi >= storage.array.size:
                raise self.err("%s view (offset %d, sizes %s, strides %s) reaches outside its "
                               "storage of %d elements" % (typename, offset + 1, sizes, strides,
                                                           storage.array.size), start)
            try:
                arr = np.ndarray(shape, dtype=dtype, buffer=storage.array,
                                 offset=offset * dtype.itemsize,
                                 strides=tuple(s * dtype.itemsize for s in strides))
            except (ValueError, OverflowError, TypeError) as e:
                raise self.err("%s cannot be viewed: %s" % (typename, e), start) from None
        if not typename.startswith("torch.Cuda") and kind in _CPU_KINDS:
            return arr
        arr = arr.view(T7Tensor)
        arr.typename = typename
        return arr


# ----------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------

class _Writer:
    def __init__(self, f, name, referenced):
        self.f = f
        self.name = name
        self.referenced = referenced
        self.memo = {}
        self.keep = []      # memoised objects stay alive so their ids stay unique
        self.active = set()
        self.count = 0
        self.names = []

    def err(self, reason):
        return T7Error(reason, self.name)

    def run(self, root):
        stack = [self.obj(root)]
        self.names = ["<?>"]
        while stack:
            try:
                child, name = next(stack[-1])
            except StopIteration:
                stack.pop()
                self.names.pop()
                continue
            stack.append(self.obj(child))
            self.names.append(name if name is not None else "<?>")

    def where(self):
        return ".".join(self.names)

    def begin(self, tag, key, obj):
        """Write the tag and reference index; True if the object must follow."""
        f = self.f
        f.writeInt(tag)
        if self.referenced:
            index = self.memo.get(key)
            if index is not None:
                f.writeInt(index)
                return False
        elif key in self.active:
            raise self.err("cyclic object at %s cannot be written with referenced=False"
                           % self.where())
        self.count += 1
        if self.referenced:
            self.memo[key] = self.count
            self.keep.append(obj)
        f.writeInt(self.count)
        return True

    def string(self, raw):
        self.f.writeInt(len(raw))
        self.f.write_array("Char", np.frombuffer(raw, dtype=np.int8))

    def header(self, version, typename):
        self.string(("V " + _lua_numstr(version)).encode("latin-1"))
        self.string(typename.encode("latin-1"))

    def obj(self, o):
        f = self.f
        if o is None:
            f.writeInt(TYPE_NIL)
            return
        if isinstance(o, (bool, np.bool_)):
            f.writeInt(TYPE_BOOLEAN)
            f.writeInt(1 if o else 0)
            return
        if isinstance(o, (int, float, np.integer, np.floating)):
            try:
                x = float(o)
            except OverflowError:
                raise self.err("number too large for a Lua number at %s" % self.where()) from None
            f.writeInt(TYPE_NUMBER)
            f.write_array("Double", np.array([x]))
            return
        if isinstance(o, (str, bytes, bytearray)):
            f.writeInt(TYPE_STRING)
            self.string(o.encode("utf-8") if isinstance(o, str) else bytes(o))
            return
        if isinstance(o, np.ndarray):
            self.tensor(o)
            return
        if isinstance(o, T7Storage):
            info = _class_info(o.typename)
            if info is None or info[1] != "Storage":
                raise self.err("%r is not a storage class at %s" % (o.typename, self.where()))
            self.storage(o.typename, info[0], np.asarray(o.array).reshape(-1), o.array)
            return
        if isinstance(o, TorchObject):
            yield from self.torch_object(o)
            return
        if isinstance(o, LuaFunction):
            yield from self.function(o)
            return
        if isinstance(o, (LuaTable, dict, list, tuple)):
            yield from self.table(o)
            return
        raise self.err("Unwritable object <%s> at %s" % (type(o).__name__, self.where()))

    def table(self, o):
        if isinstance(o, (list, tuple)):
            items = [(float(i + 1), v) for i, v in enumerate(o) if v is not None]
        else:
            items = [(k, v) for k, v in o.items() if v is not None]
        for k, _ in items:
            if k is None:
                raise self.err("table index is nil at %s" % self.where())
            if isinstance(k, float) and k != k:
                raise self.err("table index is NaN at %s" % self.where())
        key = ("o", id(o))
        if not self.begin(TYPE_TABLE, key, o):
            return
        self.active.add(key)
        try:
            self.f.writeInt(len(items))
            for k, v in items:
                yield k, None
                yield v, (str(k) if isinstance(k, (str, int, float)) else None)
        finally:
            self.active.discard(key)

    def torch_object(self, o):
        if _class_info(o.typename) is not None:
            raise self.err("%s must be given as a NumPy array or T7Storage, not a TorchObject "
                           "(at %s)" % (o.typename, self.where()))
        key = ("o", id(o))
        if not self.begin(TYPE_TORCH, key, o):
            return
        self.header(o.version, o.typename)
        if o.typename == "torch.Generator" and isinstance(o.fields, (bytes, bytearray)):
            self.f.write_array("Byte", np.frombuffer(bytes(o.fields), dtype=np.uint8))
            return
        self.active.add(key)
        try:
            yield o.fields, o.typename
        finally:
            self.active.discard(key)

    def function(self, o):
        code = o.bytecode
        upvalues = LuaTable() if o.upvalues is None else o.upvalues
        if o.typeidx == TYPE_FUNCTION:
            self.f.writeInt(TYPE_FUNCTION)
            self.string(code)
            yield upvalues, "upvalues"
            return
        key = ("o", id(o))
        if not self.begin(o.typeidx, key, o):
            return
        self.string(code)
        self.active.add(key)
        try:
            yield upvalues, "upvalues"
        finally:
            self.active.discard(key)

    def tensor_type(self, a):
        kind = "Byte" if a.dtype == np.bool_ else _KIND_OF_DTYPE.get(a.dtype.newbyteorder("="))
        name = getattr(a, "typename", None)
        if isinstance(name, str):
            info = _class_info(name)
            if info is not None and info[1] == "Tensor" and _ELEM[info[0]] == _ELEM.get(kind):
                return name, info[0]
        if kind is None:
            raise self.err("no torch tensor type for NumPy dtype %s at %s" % (a.dtype, self.where()))
        return "torch.%sTensor" % kind, kind

    def tensor(self, a):
        typename, kind = self.tensor_type(a)
        if not self.begin(TYPE_TORCH, ("o", id(a)), a):
            return
        self.header(1, typename)
        f = self.f
        if a.size == 0:  # Torch7 has no zero-sized dims: an empty tensor has no dimension
            f.writeInt(0)
            f.writeLong(1)
            f.writeInt(TYPE_NIL)
            return
        if a.ndim == 0:
            a = a.reshape(1)
        flat, owner, offset, strides = self.locate(a)
        f.writeInt(a.ndim)
        f.write_array("Long", np.array(a.shape, dtype=np.int64))
        f.write_array("Long", np.array(strides, dtype=np.int64))
        f.writeLong(offset + 1)
        self.storage(typename[:-len("Tensor")] + "Storage", kind, flat, owner)

    def locate(self, a):
        """(storage array, its owner, element offset, element strides): the storage
        is the memory `a` is a view of, so views of one buffer share one storage;
        anything else is written from a contiguous copy."""
        size = a.itemsize
        root = a
        while isinstance(root.base, np.ndarray):
            root = root.base
        if (root.dtype == a.dtype and root.size and (root.flags.c_contiguous or root.flags.f_contiguous)
                and all(s >= 0 for s in root.strides) and all(s >= 0 for s in a.strides)
                and all(s % size == 0 for s in a.strides)):
            delta = a.__array_interface__["data"][0] - root.__array_interface__["data"][0]
            if delta % size == 0:
                offset = delta // size
                strides = [s // size for s in a.strides]
                hi = offset + sum((n - 1) * s for n, s in zip(a.shape, strides))
                if offset >= 0 and hi < root.size:
                    return root.ravel(order="K"), root, offset, strides
        copy = np.ascontiguousarray(a)
        return copy.reshape(-1), copy, 0, [s // size for s in copy.strides]

    def storage(self, typename, kind, flat, owner):
        if not self.begin(TYPE_TORCH, ("s", id(owner)), owner):
            return
        self.header(1, typename)
        self.f.writeLong(flat.size)
        arr = flat.view(np.uint8) if flat.dtype == np.bool_ else flat
        self.f.write_array(kind, arr)


# ----------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------

def _mode(fmt, name):
    if fmt in ("binary", "ascii"):
        return fmt, 0
    if fmt in ("b32", "b64"):
        return "binary", int(fmt[1:]) // 8
    raise T7Error('"binary", "b32", "b64" or "ascii" expected for format, got %r' % (fmt,), name)


def _is_path(x):
    return isinstance(x, (str, bytes, os.PathLike))


def _read_from(f, name, fmt, allow_functions, referenced):
    mode, long_size = _mode(fmt, name)
    getattr(f, mode)()
    if long_size:
        f.longSize(long_size)
    reader = _Reader(f, name, allow_functions, referenced, long_size)
    try:
        return reader.run()
    except T7Error:
        raise
    except (ValueError, OverflowError, MemoryError, IndexError) as e:
        # a corrupt value that slipped past the explicit checks
        offset = f.position() - 1 if f._is_open() else None
        raise T7Error("corrupt data: %s" % e, name, offset) from None


def load(path_or_fileobj, format="binary", allow_functions=False, referenced=True):
    """Read one object from a .t7 file (a path, or a binary file object), as
    torch.load(path, format) does. format: 'binary', 'ascii', 'b32', 'b64'."""
    if _is_path(path_or_fileobj):
        name = os.fsdecode(path_or_fileobj)
        _mode(format, name)
        try:
            f = DiskFile(name, "r")
        except TorchFileError as e:
            raise T7Error(e.message, name) from None
    else:
        name = getattr(path_or_fileobj, "name", "<stream>")
        data = path_or_fileobj.read()
        if not isinstance(data, (bytes, bytearray)):
            raise T7Error("file object must be opened in binary mode", name)
        f = MemoryFile.from_bytes(data, "r")
    try:
        return _read_from(f, str(name), format, allow_functions, referenced)
    finally:
        if f._is_open():
            f.close()


def loads(data, format="binary", allow_functions=False, referenced=True):
    """Read one object from bytes, as torch.deserialize(str, format)."""
    f = MemoryFile.from_bytes(bytes(data), "r")
    return _read_from(f, "<bytes>", format, allow_functions, referenced)


def dumps(obj, format="binary", referenced=True):
    """The bytes torch.serialize(obj, format) would produce."""
    mode, long_size = _mode(format, "<bytes>")
    f = MemoryFile("w")
    getattr(f, mode)()
    if long_size:
        f.longSize(long_size)
    _Writer(f, "<bytes>", referenced).run(obj)
    return f.storage_bytes()[:-1]


def save(path_or_fileobj, obj, format="binary", referenced=True):
    """Write `obj` as torch.save(path, obj, format) does. The object is serialized
    first, so an unwritable value leaves no half-written file behind."""
    name = os.fsdecode(path_or_fileobj) if _is_path(path_or_fileobj) else \
        str(getattr(path_or_fileobj, "name", "<stream>"))
    _mode(format, name)
    try:
        data = dumps(obj, format, referenced)
    except T7Error as e:
        raise T7Error(e.reason, name, e.offset) from None
    if not _is_path(path_or_fileobj):
        path_or_fileobj.write(data)
        return
    try:
        f = DiskFile(name, "w")
    except TorchFileError as e:
        raise T7Error(e.message, name) from None
    try:
        f.writeString(data)
    finally:
        f.close()
