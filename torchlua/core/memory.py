"""Memory pressure shared with Lua's garbage collector.

Lua's collector sees a tensor as a few dozen bytes, not the NumPy buffer behind
it, so a loop making big temporaries (or millions of views) can grow without
bound before Lua collects.  The core adds the bytes it allocates to one counter
that Lua reads through the FFI each time it wraps a new tensor or storage; past
a threshold Lua runs a full collection and resets it (lua_prelude/torch/_core.lua)."""
import ctypes

import numpy as np

PRESSURE = (ctypes.c_double * 1)()
PRESSURE_ADDR = ctypes.addressof(PRESSURE)

# Python-side cost of one tensor object (Tensor, geometry block, lupa wrapper).
TENSOR_BYTES = 600.0


def account_buffer(data):
    """Count a storage's buffer if the storage owns it (not a view of another array)."""
    if not isinstance(data.base, np.ndarray):
        PRESSURE[0] += data.nbytes


def memory_pressure_address():
    return PRESSURE_ADDR


EXPORTS = {"memory_pressure_address": memory_pressure_address}
