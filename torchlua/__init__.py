"""torchlua: run Lua Torch7 scripts on LuaJIT + NumPy."""
from .runtime import Runtime, LuaExit

__version__ = "0.1.0"
__all__ = ["Runtime", "LuaExit"]
