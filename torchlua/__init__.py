"""torchlua: run Lua Torch7 scripts on LuaJIT + NumPy."""
from .runtime import Runtime, LuaExit, _lupa
from .pyapi import LuaObject, LuaTensor, LuaStorage, LuaMethod, to_numpy, to_python

LuaError = _lupa.LuaError
LuaSyntaxError = _lupa.LuaSyntaxError

__version__ = "0.1.0"
__all__ = ["Runtime", "LuaExit", "LuaError", "LuaSyntaxError", "LuaObject", "LuaTensor",
           "LuaStorage", "LuaMethod", "to_numpy", "to_python"]
