"""Errors raised by the core. The Lua side turns them into Lua errors (strings)
carrying the user's file:line (see lua_prelude/torch/_core.lua)."""


class TorchError(Exception):
    """An error whose message is shown to the Lua script as is, in Torch's words."""
