"""C conversions as TH performs them on x86-64 (gcc), for the random fills.

- (long)x / (int)x of a double truncate toward zero; NaN and out-of-range
  values give the "integer indefinite" of cvttsd2si (the minimum value).
  Narrower integer types go through a 32-bit conversion and then wrap.
- unsigned long -> narrower integer wraps; -> float/double rounds once.
"""
import math

import numpy as np

LONG_MIN = -2 ** 63
INT_MIN = -2 ** 31
MASK64 = 2 ** 64 - 1


def to_long(x):
    """(long)lua_tonumber(x): how cwrap passes a Lua number as a C long."""
    if isinstance(x, (int, np.integer)):
        # exact for Python callers; Lua values arrive as doubles anyway
        x = int(x)
        return x if LONG_MIN <= x < 2 ** 63 else LONG_MIN
    x = float(x)
    if math.isnan(x) or not (-2.0 ** 63 <= x < 2.0 ** 63):
        return LONG_MIN
    return int(x)


def to_int(x):
    """(int)lua_tonumber(x)."""
    x = float(x)
    if math.isnan(x) or not (-2.0 ** 31 - 1 < x < 2.0 ** 31):
        return INT_MIN
    return int(x)


def signed64(u):
    u &= MASK64
    return u - 2 ** 64 if u >= 2 ** 63 else u


def double_to_int32(vals):
    """(int)v elementwise, with cvttsd2si's result for NaN/overflow."""
    t = np.trunc(vals)
    ok = (t > -2.0 ** 31 - 1) & (t < 2.0 ** 31)
    return np.where(ok, t, float(INT_MIN)).astype(np.int32)


def double_to(vals, dtype):
    """(real)v for a float64 array."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        with np.errstate(over="ignore"):
            return vals.astype(dtype, copy=False)
    if dtype.itemsize == 8:
        t = np.trunc(vals)
        ok = (t >= -2.0 ** 63) & (t < 2.0 ** 63)
        return np.where(ok, t, float(LONG_MIN)).astype(np.int64).astype(dtype)
    return double_to_int32(vals).astype(dtype)


def ulong_to(vals, dtype):
    """(real)v for a uint64 array holding C unsigned long results."""
    return vals.astype(np.dtype(dtype))
