"""Running Lua snippets from tests."""


def lua(rt, code, *args):
    """Run `code` as the body of a function of `...`, loaded as script.lua (so errors
    name script.lua:N as they would name a user's script)."""
    f = rt.eval("function(code) return assert(loadstring(code, '@script.lua')) end")(code)
    return f(*args)
