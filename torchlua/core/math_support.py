"""Helpers shared by the BLAS, index, construction and LAPACK families.

Argument errors are raised as "bad argument #N to '?' (msg)": the Lua side
(lua_prelude/torch/TensorMath_args.lua) rewrites the name and the number the way
luaL_argerror would for the call the script made (method calls count self as
argument 0).  Other errors are THError messages, shown as they are.
"""
import math

import numpy as np

from .errors import TorchError
from .tensor import Tensor
from .tensor_api import ret


def argerror(argn, msg):
    return TorchError("bad argument #%d to '?' (%s)" % (argn, msg))


def argcheck(cond, argn, msg):
    if not cond:
        raise argerror(argn, msg)


def size_desc(size):
    """THDescBuff of a size: '[2 x 3]'."""
    return "[" + " x ".join(str(s) for s in size) + "]"


def new_like(r, t):
    """The result tensor: `r` if the script gave one, else a new tensor of type t."""
    return Tensor(t) if r is None else r


def answer(r, given):
    """What a function returns to Lua: the new tensor, or nothing when the script
    passed the result tensor (Lua returns its own wrapper, keeping identity)."""
    return None if given is not None else ret(r)


def zero(r):
    if r.size:
        r.a.fill(0)


def _c_int(v, bits, signed):
    """A double converted to a C integer type as x86-64 does: truncation toward
    zero, then the low bits (NaN and out-of-range values give the 'indefinite'
    integer of cvttsd2si)."""
    if isinstance(v, int):
        iv = v
    elif math.isnan(v) or math.isinf(v) or abs(v) >= 2.0 ** 63:
        iv = -(1 << 63) if bits == 64 else (-(1 << 31) if bits == 32 else 0)
    else:
        iv = int(v)
    iv &= (1 << bits) - 1
    if signed and iv >= 1 << (bits - 1):
        iv -= 1 << bits
    return iv


def to_real(t, v):
    """A Lua number converted to the tensor's C element type (cwrap's `real`)."""
    if t.is_float:
        return t.dtype.type(v)
    return t.dtype.type(_c_int(v, t.itemsize * 8, t.dtype.kind == "i"))


def to_long(v):
    """cwrap's `long`/`index` argument: (long)lua_tonumber(...)."""
    return _c_int(v, 64, True)


def to_int(v):
    return _c_int(v, 32, True)


def to_accreal(t, v):
    """accreal is double for Float/Double tensors and long for integer tensors."""
    return float(v) if t.is_float else to_long(v)


def scalar(x):
    """A NumPy scalar as the plain Python number Lua receives."""
    return float(x) if isinstance(x, (float, np.floating)) else int(x)


def apply_run(t):
    """Length of the innermost run TH_TENSOR_APPLY walks with a single stride."""
    size, stride = t.size, t.stride
    n = len(size)
    if n == 0:
        return 0
    run = 1
    contiguous = True
    for d in range(n - 1, -1, -1):
        if size[d] != 1:
            if stride[d] == run:
                run *= size[d]
            else:
                contiguous = False
                break
    if contiguous:
        return t.nelement()
    run = size[-1]
    for d in range(n - 2, -1, -1):
        if stride[d] == stride[d + 1] * size[d + 1]:
            run *= size[d]
        else:
            break
    return run
