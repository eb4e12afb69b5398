"""The Python functions the Lua prelude calls (handed to Lua as the `_torchcore` table).

Conventions (every family module follows them):
- Arguments are tensor/storage handles (the Python objects Lua keeps in its
  records), numbers (Lua integers arrive as int), strings, booleans, None.
  Dimensions and indices arrive already 0-based: the Lua side converts.
- A function that makes a new tensor returns `ret(t)` = (t, type index, meta address),
  a new storage `sret(s)`; Lua wraps them (lua_prelude/torch/_core.lua).
- Functions that change a tensor in place return nothing: Lua returns `self`.
- Errors are raised as TorchError with Torch's wording; Lua adds the user's file:line.
- Each family lives in its own module exposing EXPORTS (a dict); FAMILIES lists them.
"""
import importlib

from . import tensor_api

FAMILIES = [
    "torchlua.core.tensor_api",
    "torchlua.core.random_api",
    "torchlua.core.fs_api",
    "torchlua.core.memory",
    "torchlua.core.file_api",
    "torchlua.core.lfs_api",
    "torchlua.core.hdf5_api",
    "torchlua.core.math_blas",
    "torchlua.core.math_index",
    "torchlua.core.math_construct",
    "torchlua.core.math_conv",
    "torchlua.core.math_linalg",
    "torchlua.core.math_pointwise",
    "torchlua.core.math_reduce",
    "torchlua.core.nn_kernels_api",
    "torchlua.core.nn_linear",
    "torchlua.core.nn_classify",
    "torchlua.core.nn_pointwise",
    "torchlua.core.image_api",
    "torchlua.core.plot_api",
]


def build_core(runtime):
    funcs = {}
    for name in FAMILIES:
        mod = importlib.import_module(name)
        dup = set(funcs) & set(mod.EXPORTS)
        if dup:
            raise RuntimeError("core functions defined twice: %s" % sorted(dup))
        funcs.update(mod.EXPORTS)
    funcs["prelude_root"] = str(_prelude_root())
    return funcs


def _prelude_root():
    from ..runtime import PRELUDE
    return PRELUDE


ret = tensor_api.ret
sret = tensor_api.sret
