"""Storage: a flat typed buffer, as TH's THStorage.

`data` is a 1-D NumPy array. `hdr` is a tiny C struct {T *data; int64 size} that
LuaJIT reads through its FFI (scalar reads/writes without crossing into Python);
it is refreshed in `_set_data`, the only place where the buffer can move.
"""
import ctypes

import numpy as np

from .errors import TorchError
from .memory import account_buffer, give_back, take_buffer


def _address(data):
    """Address of a non-empty array's first element.

    A ctypes view of the buffer answers in about a quarter of the time of
    `__array_interface__` or `.ctypes.data` (both build Python objects); it needs a
    writable contiguous buffer, which a storage's 1-D array normally is."""
    try:
        return ctypes.addressof(_c_char.from_buffer(data))
    except (TypeError, ValueError, BufferError):
        return data.__array_interface__["data"][0]


_c_char = ctypes.c_char


class Storage:
    __slots__ = ("t", "data", "hdr", "hdr_addr", "__weakref__")

    def __init__(self, t, data):
        self.t = t
        self.hdr = (ctypes.c_uint64 * 2)()
        self.hdr_addr = ctypes.addressof(self.hdr)
        self._set_data(data)

    def __del__(self):
        try:
            give_back(self.data)
        except Exception:   # interpreter shutdown: modules already torn down
            pass

    def _set_data(self, data):
        self.data = data
        account_buffer(data)
        self.hdr[0] = _address(data) if data.size else 0
        self.hdr[1] = data.size

    # -- construction --------------------------------------------------------
    @classmethod
    def new(cls, t, n=0):
        if n < 0:
            raise TorchError("size must be non-negative")
        return cls(t, take_buffer(int(n), t.dtype))

    @classmethod
    def from_values(cls, t, values):
        return cls(t, np.array(values, dtype=np.float64).astype(t.dtype) if t.dtype.kind != "f"
                   else np.array(values, dtype=t.dtype))

    @classmethod
    def view_of(cls, t, other, offset, size):
        """A storage sharing memory with `other` from 1-based `offset`, as Torch's
        torch.XStorage(storage, offset[, size])."""
        n = other.data.size
        if offset < 1 or offset > n:
            raise TorchError("offset out of bounds")
        if size is None or size < 0:
            size = n - offset + 1
        if offset - 1 + size > n:
            raise TorchError("storage size out of bounds")
        return cls(t, other.data[offset - 1: offset - 1 + size])

    # -- operations ----------------------------------------------------------
    def size(self):
        return self.data.size

    def resize(self, n):
        n = int(n)
        if n < 0:
            raise TorchError("size must be non-negative")
        old = self.data
        if n == old.size:
            return
        new = take_buffer(n, old.dtype)
        m = min(n, old.size)
        new[:m] = old[:m]
        self._set_data(new)

    def pointer(self):
        return self.hdr[0]
