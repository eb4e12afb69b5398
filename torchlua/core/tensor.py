"""Tensor: (storage, storageOffset, size, stride), as TH's THTensor.

Geometry follows TH's rules (no size-0 dimensions; an empty tensor has 0 dims;
a growing resize reallocates the storage; views share it).  `a` is the NumPy
view of the tensor's elements, cached and rebuilt when the geometry or the
storage buffer changes.  `meta` is a small C struct that LuaJIT reads through
its FFI (sizes, strides, offset and a pointer to the storage header), written
only by `_geom`, so Lua never holds stale geometry:

    struct { StorageHdr *st; double nd; double off; struct {double size, stride;} d[MAXDIM]; }
"""
import ctypes
import struct

import numpy as np

from .errors import TorchError
from .memory import PRESSURE as _PRESSURE, TENSOR_BYTES as _TENSOR_BYTES
from .storage import Storage
from .types import MAXDIM

_META_BYTES = 8 * (3 + 2 * MAXDIM)
_Meta = ctypes.c_char * _META_BYTES


def _make_packer(nd):
    """pack(meta, storage_hdr_addr, offset, size, stride) for nd dimensions.

    Generated per nd so that the (size, stride) pairs are interleaved by one
    pack_into call with indexed arguments: building an interleaved list in
    Python cost more than the rest of a view's construction."""
    pk = struct.Struct("=Qdd" + "dd" * nd).pack_into
    dims = "".join(", z[%d], s[%d]" % (d, d) for d in range(nd))
    ns = {"pk": pk}
    exec("def pack(buf, st, off, z, s):\n    pk(buf, 0, st, %d, off%s)\n" % (nd, dims), ns)
    return ns["pack"]


_PACKERS = [_make_packer(nd) for nd in range(MAXDIM + 1)]


def contiguous_strides(size):
    stride = [1] * len(size)
    for d in range(len(size) - 2, -1, -1):
        stride[d] = stride[d + 1] * size[d + 1]
    return stride


class Tensor:
    __slots__ = ("t", "storage", "offset", "size", "stride", "meta", "meta_addr", "_a", "_base",
                 "__weakref__")

    def __init__(self, t, storage=None, offset=0, size=(), stride=()):
        self.t = t
        _PRESSURE[0] += _TENSOR_BYTES
        self.meta = _Meta()
        self.meta_addr = ctypes.addressof(self.meta)
        self._geom(storage, offset, size if type(size) is tuple else tuple(size),
                   stride if type(stride) is tuple else tuple(stride))

    # -- the one place where geometry changes --------------------------------
    def _geom(self, storage, offset, size, stride):
        nd = len(size)
        if nd > MAXDIM:
            raise TorchError("torchlua supports tensors of at most %d dimensions" % MAXDIM)
        self.storage = storage
        self.offset = offset
        self.size = size
        self.stride = stride
        self._base = None
        _PACKERS[nd](self.meta, storage.hdr_addr if storage is not None else 0, offset, size, stride)

    @property
    def a(self):
        """NumPy view of the elements (shape = size; empty tensor -> shape (0,))."""
        st = self.storage
        if st is None:
            return np.empty(0, self.t.dtype)
        data = st.data
        if self._base is not data:
            if self.size:
                isz = self.t.itemsize
                self._a = np.ndarray(self.size, self.t.dtype, data, self.offset * isz,
                                     tuple(s * isz for s in self.stride))
            else:
                self._a = data[0:0]
            self._base = data
        return self._a

    # -- constructors --------------------------------------------------------
    @classmethod
    def empty(cls, t):
        return cls(t)

    @classmethod
    def of_size(cls, t, size):
        x = cls(t)
        x.resize(size)
        return x

    @classmethod
    def from_array(cls, arr, t=None):
        """A tensor viewing `arr` (no copy when its memory layout allows it)."""
        from .types import type_of_dtype
        if t is None:
            t = type_of_dtype(arr.dtype)
        if arr.dtype != t.dtype:
            arr = arr.astype(t.dtype)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        isz = arr.itemsize
        if arr.size == 0:
            return cls(t)
        if any(s < 0 or s % isz for s in arr.strides):
            arr = np.ascontiguousarray(arr)
        # The storage spans from the first element to the last one reachable.
        span = 1 + sum((n - 1) * (s // isz) for n, s in zip(arr.shape, arr.strides))
        flat = np.lib.stride_tricks.as_strided(arr, (span,), (isz,))
        st = Storage(t, flat)
        size = tuple(int(n) for n in arr.shape)
        stride = tuple(int(s // isz) for s in arr.strides)
        # size-1 dims keep whatever stride NumPy reports; TH accepts any there.
        return cls(t, st, 0, size, stride)

    def new_view(self):
        return Tensor(self.t, self.storage, self.offset, self.size, self.stride)

    # -- queries -------------------------------------------------------------
    def dim(self):
        return len(self.size)

    def nelement(self):
        n = 1
        for s in self.size:
            n *= s
        return n if self.size else 0

    def is_contiguous(self):
        z = 1
        for d in range(len(self.size) - 1, -1, -1):
            if self.size[d] != 1:
                if self.stride[d] != z:
                    return False
                z *= self.size[d]
        return True

    def check_dim(self, dim, argn=2, name="?"):
        if dim < 0 or dim >= len(self.size):
            raise TorchError("bad argument #%d to '%s' (dimension %d out of range of %dD tensor)"
                             % (argn, name, dim + 1, len(self.size)))

    # -- geometry (in place) --------------------------------------------------
    def resize(self, size, stride=None):
        """THTensor_resizeNd: sizes stop at the first size <= 0."""
        nd = 0
        for s in size:
            if s <= 0:
                break
            nd += 1
        # (map and plain loops: generator expressions dominated a new tensor's cost)
        size = tuple(map(int, size[:nd]))
        if stride is None:
            if size == self.size:
                return self
            stride = tuple(contiguous_strides(size))
        else:
            stride = tuple(map(int, stride[:nd]))
            if size == self.size and all(
                    s < 0 or s == o for s, o in zip(stride, self.stride)):
                return self
            if min(stride, default=0) < 0:
                cs = contiguous_strides(size)
                stride = tuple(cs[d] if stride[d] < 0 else stride[d] for d in range(nd))
        storage = self.storage
        if nd > 0:
            total = 1 + self.offset
            for n, s in zip(size, stride):
                total += (n - 1) * s
            if storage is None:
                storage = Storage.new(self.t, total)
            elif total > storage.data.size:
                storage.resize(total)
        self._geom(storage, self.offset, size, stride)
        return self

    def set_(self, storage, offset, size, stride):
        self._geom(storage, offset, tuple(size), tuple(stride))
        if storage is not None and size:
            total = 1 + sum((n - 1) * s for n, s in zip(size, stride))
            if total + offset > storage.data.size:
                storage.resize(total + offset)
                self._base = None
        return self

    # -- views (new tensors sharing the storage) ------------------------------
    def narrow(self, dim, first, n):
        if dim < 0 or dim >= len(self.size):
            raise TorchError("bad argument #2 to 'narrow' (out of range)")
        if first < 0 or first >= self.size[dim]:
            raise TorchError("bad argument #3 to 'narrow' (out of range)")
        if n <= 0 or first + n > self.size[dim]:
            raise TorchError("bad argument #4 to 'narrow' (out of range)")
        size = self.size[:dim] + (n,) + self.size[dim + 1:]
        return Tensor(self.t, self.storage, self.offset + first * self.stride[dim], size,
                      self.stride)

    def select(self, dim, index):
        if len(self.size) <= 1:
            raise TorchError("bad argument #1 to 'select' (cannot select on a vector)")
        if dim < 0 or dim >= len(self.size):
            raise TorchError("bad argument #2 to 'select' (out of range)")
        if index < 0 or index >= self.size[dim]:
            raise TorchError("bad argument #3 to 'select' (out of range)")
        size = self.size[:dim] + self.size[dim + 1:]
        stride = self.stride[:dim] + self.stride[dim + 1:]
        return Tensor(self.t, self.storage, self.offset + index * self.stride[dim], size, stride)

    def transpose(self, d1, d2):
        nd = len(self.size)
        # THTensor_(transpose) numbers its checks 1 and 2 (not the Lua positions)
        if d1 < 0 or d1 >= nd:
            raise TorchError("bad argument #1 to 'transpose' (out of range)")
        if d2 < 0 or d2 >= nd:
            raise TorchError("bad argument #2 to 'transpose' (out of range)")
        size = list(self.size)
        stride = list(self.stride)
        size[d1], size[d2] = size[d2], size[d1]
        stride[d1], stride[d2] = stride[d2], stride[d1]
        return Tensor(self.t, self.storage, self.offset, size, stride)

    def unfold(self, dim, sz, step):
        nd = len(self.size)
        if nd == 0:
            raise TorchError("bad argument #1 to 'unfold' (cannot unfold an empty tensor)")
        if dim < 0 or dim >= nd:
            raise TorchError("bad argument #2 to 'unfold' (out of range)")
        if sz > self.size[dim]:
            raise TorchError("bad argument #3 to 'unfold' (out of range)")
        if step <= 0:
            raise TorchError("bad argument #4 to 'unfold' (invalid step)")
        size = list(self.size)
        stride = list(self.stride)
        size[dim] = (self.size[dim] - sz) // step + 1
        stride[dim] = step * self.stride[dim]
        return Tensor(self.t, self.storage, self.offset, size + [sz], stride + [self.stride[dim]])

    def squeeze(self, dim=None):
        if dim is None:
            pairs = [(s, st) for s, st in zip(self.size, self.stride) if s != 1]
            if not pairs and self.size:
                pairs = [(1, 1)]
        else:
            pairs = list(zip(self.size, self.stride))
            if dim < 0 or dim >= len(self.size):
                raise TorchError("bad argument #2 to 'squeeze' (dimension out of range)")
            if self.size[dim] == 1 and len(self.size) > 1:
                del pairs[dim]
        return Tensor(self.t, self.storage, self.offset, [p[0] for p in pairs],
                      [p[1] for p in pairs])

    def unsqueeze(self, dim):
        nd = len(self.size)
        if dim < 0 or dim > nd:
            raise TorchError("bad argument #2 to 'unsqueeze' (dimension out of range)")
        size = list(self.size)
        stride = list(self.stride)
        st = size[dim] * stride[dim] if dim < nd else 1
        size.insert(dim, 1)
        stride.insert(dim, st)
        return Tensor(self.t, self.storage, self.offset, size, stride)

    def contiguous(self):
        return self if self.is_contiguous() else self.clone()

    def clone(self, t=None):
        t = t or self.t
        x = Tensor.of_size(t, self.size)
        if self.size:
            np.copyto(x.a, self.a, casting="unsafe")
        return x
