"""Memory pressure shared with Lua's garbage collector.

Lua's collector sees a tensor as a few dozen bytes, not the NumPy buffer behind
it, so a loop making big temporaries (or millions of views) can grow without
bound before Lua collects.  The core adds the bytes it allocates to one counter
that Lua reads through the FFI each time it wraps a new tensor or storage; past
a threshold Lua runs a full collection and resets it (lua_prelude/torch/_core.lua)."""
import ctypes
import sys

import numpy as np

PRESSURE = (ctypes.c_double * 1)()
PRESSURE_ADDR = ctypes.addressof(PRESSURE)

# Python-side cost of one tensor object (Tensor, geometry block, lupa wrapper).
TENSOR_BYTES = 600.0


def account_buffer(data):
    """Count a storage's buffer if the storage owns it (not a view of another array)."""
    if not isinstance(data.base, np.ndarray):
        PRESSURE[0] += data.nbytes


# -- recycling big buffers ------------------------------------------------------------
# Lua frees garbage tensors in batches (a full collection per 64 MB, above), so the
# allocator gives their pages back to the system and the next big tensor gets fresh
# pages: each first touch is a page fault, and with transparent huge pages a 2 MB page
# zeroed (sometimes compacted) by the kernel in the middle of the computation that
# writes it (torch.mm 1000x1000 in a loop: 39 ms -> 50-65 ms in bursts).  Buffers of a
# collected storage that nothing else references are kept here, by element type and
# length, and handed to the next storage of the same shape, as Torch's own loops would
# have reused memory through malloc.
POOL_MIN_BYTES = 1 << 20
POOL_MAX_BYTES = 64 << 20
_pool = {}
_pool_bytes = [0]


def take_buffer(n, dtype, zeroed=True):
    """A 1-D array of n elements of dtype (all zero unless zeroed=False)."""
    dtype = np.dtype(dtype)
    if n * dtype.itemsize >= POOL_MIN_BYTES:
        kept = _pool.get((dtype, n))
        if kept:
            a = kept.pop()
            _pool_bytes[0] -= a.nbytes
            if zeroed:
                a.fill(0)
            return a
    return np.zeros(n, dtype) if zeroed else np.empty(n, dtype)


class plain_pages:
    """Within it, new big buffers are not advised to the kernel as huge-page memory
    (NumPy's default, which Torch7's malloc never did).  For results a gemm writes:
    on physically contiguous 2 MB pages its blocked writes collide in the cache
    (a new 1000x1000 torch.mm result: 50-60 ms in bursts instead of 40).  Arrays
    that are streamed through stay on huge pages, which read faster (sum of
    4000x4000: 4.5 ms against 5.5-6.5 ms on 4 KB pages)."""

    def __enter__(self):
        self.before = _set_hugepage_hint(False) if _set_hugepage_hint else None

    def __exit__(self, *exc):
        if self.before is not None:
            _set_hugepage_hint(self.before)


try:
    from numpy._core.multiarray import _set_madvise_hugepage as _set_hugepage_hint
except ImportError:
    try:
        from numpy.core.multiarray import _set_madvise_hugepage as _set_hugepage_hint
    except ImportError:
        _set_hugepage_hint = None


# references to an array passed to give_back: the caller's, the parameter's and
# getrefcount's own argument
_UNSHARED_REFS = 3


def give_back(a):
    """Keep the buffer of a dying storage for reuse if nothing else can see it."""
    if (a.nbytes < POOL_MIN_BYTES or a.base is not None or not a.flags.owndata
            or a.ndim != 1 or sys.getrefcount(a) > _UNSHARED_REFS
            or _pool_bytes[0] + a.nbytes > POOL_MAX_BYTES):
        return
    _pool.setdefault((a.dtype, a.size), []).append(a)
    _pool_bytes[0] += a.nbytes


def memory_pressure_address():
    return PRESSURE_ADDR


EXPORTS = {"memory_pressure_address": memory_pressure_address}
