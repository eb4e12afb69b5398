"""torchlua: run Lua Torch7 scripts on LuaJIT + NumPy."""
import os as _os

# Installed, `kernels/` and `lua_prelude/` are subpackages of torchlua.  In a source
# checkout (e.g. `python -c 'import torchlua'` from the repository root shadowing a
# non-editable install) they sit beside this folder: let the package find them there.
_here = _os.path.dirname(_os.path.abspath(__file__))
if not _os.path.isdir(_os.path.join(_here, "kernels")):
    _root = _os.path.dirname(_here)
    if _os.path.isfile(_os.path.join(_root, "kernels", "__init__.py")):
        __path__.append(_root)
from .runtime import Runtime, LuaExit, _lupa
from .pyapi import LuaObject, LuaTensor, LuaStorage, LuaMethod, to_numpy, to_python

LuaError = _lupa.LuaError
LuaSyntaxError = _lupa.LuaSyntaxError

__version__ = "0.1.0"
__all__ = ["Runtime", "LuaExit", "LuaError", "LuaSyntaxError", "LuaObject", "LuaTensor",
           "LuaStorage", "LuaMethod", "to_numpy", "to_python"]
