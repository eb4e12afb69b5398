"""The one place where Lua meets Python.

A Runtime owns one LuaJIT state (lupa.luajit21).  It installs the loader that finds
`lua_prelude/` modules, the Lua 5.2 names Torch7 scripts use, routes Lua's output
through Python's sys.stdout/sys.stderr (so the two stay in order), hands the Lua
side the private core table (`_torchcore`), and loads `torch`.

Scripts never see lupa's `python` module and cannot read attributes of Python
objects unless the runtime is created with `python=True`.
"""
import os
import sys
from pathlib import Path

import lupa

try:
    from lupa import luajit21 as _lupa
except ImportError:  # pragma: no cover - only where the wheel lacks LuaJIT
    from lupa import lua51 as _lupa

PRELUDE = Path(__file__).resolve().parent / "lua_prelude"
if not PRELUDE.is_dir():  # running from a source checkout that was not installed
    PRELUDE = Path(__file__).resolve().parent.parent / "lua_prelude"


class LuaExit(SystemExit):
    """Raised by Lua's os.exit: unwinds to the host, which decides what exiting means."""


def _deny_attributes(obj, name, is_setting):
    raise AttributeError("Python objects are not accessible from Lua")


_BOOTSTRAP = r"""
local prelude, io_write_py, io_flush_py, exit_py = ...
-- Lua 5.2 names that Torch7 provided on LuaJIT.
table.unpack = table.unpack or unpack
table.pack = table.pack or function(...) return {n = select('#', ...), ...} end
math.pow = math.pow or function(a, b) return a ^ b end
math.log10 = math.log10 or function(x) return math.log(x, 10) end
string.gfind = string.gfind or string.gmatch
loadstring = loadstring or load

-- prelude modules first (after preload), so `require 'nn'` is always ours.
local sep = package.config:sub(1, 1)
local function prelude_loader(name)
  local rel = name:gsub('%.', '/')
  -- Penlight: a real one on the user's LUA_PATH wins over ours
  if (name == 'pl' or name:sub(1, 3) == 'pl.') and package.searchpath
     and package.searchpath(name, package.path) then
    return "\n\ttorchlua's own '" .. name .. "' skipped: a Penlight on package.path comes first"
  end
  for _, pat in ipairs({'%s/%s.lua', '%s/%s/init.lua'}) do
    local path = pat:format(prelude, rel)
    local f = io.open(path, 'r')
    if f then
      f:close()
      local chunk, err = loadfile(path)
      if not chunk then error(err, 0) end
      return chunk
    end
  end
  return "\n\tno file '" .. prelude .. '/' .. rel .. ".lua' (torchlua prelude)"
end
table.insert(package.loaders, 2, prelude_loader)
-- numbers formatted as Torch7's LuaJIT did (exact ties away from zero)
local fmt = require 'torchlua_format'
string.format, tostring = fmt.format, fmt.tostring
-- last: when nothing found the module, one line saying whether torchlua knows it
table.insert(package.loaders, function(name)
  local ok, hint = pcall(require, 'torchlua_missing')
  if ok and type(hint) == 'function' then
    local ok2, text = pcall(hint, name)
    if ok2 and type(text) == 'string' then return '\n\t' .. text end
  end
  return nil
end)

-- Output goes through Python's streams so Lua and Python writes keep their order.
local function out_writer(stream)
  local obj = newproxy(true)
  local mt = getmetatable(obj)
  local methods = {}
  function methods.write(self, ...)
    for i = 1, select('#', ...) do
      local v = select(i, ...)
      local tv = type(v)
      if tv ~= 'string' and tv ~= 'number' then
        error("bad argument #" .. i .. " to 'write' (string expected, got " .. tv .. ")", 2)
      end
      io_write_py(stream, tostring(v))
    end
    return self
  end
  function methods.flush(self) io_flush_py(stream) return true end
  function methods.setvbuf() return true end
  function methods.close() return nil, 'cannot close standard file' end
  function methods.seek() return nil, 'Illegal seek', 29 end
  function methods.lines() error('file not readable', 2) end
  function methods.read() return nil, 'Bad file descriptor', 9 end
  mt.__index = methods
  mt.__tostring = function() return 'file (' .. stream .. ')' end
  mt.__name = 'FILE*'
  return obj
end
local stdout, stderr = out_writer('stdout'), out_writer('stderr')
local c_stdout, c_stderr = io.stdout, io.stderr
local io_type, io_output, io_write = io.type, io.output, io.write
io.stdout, io.stderr = stdout, stderr
local current_out = stdout
function io.type(f)
  if f == stdout or f == stderr then return 'file' end
  return io_type(f)
end
function io.output(f)
  if f == nil then return current_out end
  if f == stdout or f == c_stdout then current_out = stdout
  elseif f == stderr or f == c_stderr then current_out = stderr
  else current_out = io_output(f) end
  return current_out
end
function io.write(...)
  if current_out == stdout or current_out == stderr then
    return current_out:write(...)
  end
  return io_write(...)
end
function print(...)
  local n = select('#', ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  io_write_py('stdout', table.concat(parts, '\t') .. '\n')
end
-- os.exit ends the script even from inside pcall, as the C os.exit does: the
-- LuaExit error is raised again at every instruction (a debug hook) until it
-- reaches the host, which clears `exiting.err` (see Runtime._clear_exit).
local exiting = {}
local sethook = debug.sethook
local function exit_hook()
  if exiting.err ~= nil then error(exiting.err, 0) end
  sethook()
end
function os.exit(code)
  if code == true or code == nil then code = 0 elseif code == false then code = 1 end
  if type(code) ~= 'number' then
    error("bad argument #1 to 'exit' (number expected, got " .. type(code) .. ")", 2)
  end
  local _, e = pcall(exit_py, code)
  exiting.err = e
  sethook(exit_hook, '', 1)
  error(e, 0)
end
return exiting
"""


class Runtime:
    """One Lua state with `torch` loaded.

    python=True exposes lupa's `python` module and Python attribute access to
    scripts (off by default: a script must not reach arbitrary Python).
    """

    def __init__(self, python=False, load_torch=True, th=False):
        kwargs = dict(unpack_returned_tuples=True, register_eval=False, register_builtins=False)
        if not python:
            kwargs["attribute_filter"] = _deny_attributes
        self.lua = _lupa.LuaRuntime(**kwargs)
        self.python_visible = python
        if not python:
            self.lua.execute("python = nil; package.loaded.python = nil")
        self._exiting = self.lua.execute(
            _BOOTSTRAP, str(PRELUDE), _stream_write, _stream_flush, _lua_exit)
        from .core.api import build_core
        core = self.lua.table_from(build_core(self))
        self.lua.globals().package.preload["_torchcore"] = self.lua.eval(
            "function(c) return function() return c end end")(core)
        if load_torch:
            self.lua.execute("torch = require 'torch'")
        from .pyapi import Bridge
        self._bridge = Bridge(self)
        self._path_dirs = set()
        if th:  # th's environment: trepl (print, paths, sys, xlua) and Penlight
            self.lua.execute("pcall(require, 'trepl')")
            self.th_penlight()

    def th_penlight(self):
        """th's Penlight step: `require 'pl'` (modules become lazy globals: path,
        stringx, List, ...) and `text.format_operator()` ('%d' % 5)."""
        return self.lua.execute("return require('torchlua_th').setup()")

    # -- running code ---------------------------------------------------------
    # Values coming back are Python views of Lua values (torchlua.pyapi): numbers,
    # strings, booleans and None as themselves, tensors with .numpy(), tables and
    # functions as LuaObject.  Arguments are converted the other way (NumPy arrays
    # become tensors sharing memory, lists/dicts become tables).
    @property
    def globals(self):
        return self._bridge.wrap(self.lua.globals())

    def execute(self, code, *args):
        return self._bridge.host_call(self.lua.execute, code, *args)

    def eval(self, expr, *args):
        return self._bridge.host_call(self.lua.eval, expr, *args)

    def require(self, name):
        return self._bridge.host_call(self.lua.require, name)

    def from_numpy(self, array):
        """A Lua tensor viewing `array` (no copy when its layout allows it)."""
        return self._bridge.wrap(self._bridge.unwrap(array))

    def add_package_path(self, directory):
        """Let `require` find modules in `directory` (before the default paths)."""
        d = os.path.abspath(str(directory))
        if d in self._path_dirs:
            return
        self._path_dirs.add(d)
        self.lua.execute("local d = ...; package.path = d .. '/?.lua;' .. d .. '/?/init.lua;' .. package.path", d)

    def run_file(self, path, args=()):
        """Run a Lua file as the torchlua command does: `arg` set, `...` = args,
        the file's folder searched by `require`; returns its results."""
        path = str(path)
        self.add_package_path(os.path.dirname(os.path.abspath(path)))
        self.lua.execute(
            "local path, n, args = ...; arg = {[0] = path}; for i = 1, n do arg[i] = args[i] end",
            path, len(args), self.lua.table_from(list(args)))
        chunk = self._loadfile(path)
        return self._bridge.host_call(chunk, *args)

    def load_module(self, path, name=None):
        """Run a Lua file as a module, as `require` would if it found it: `...` is the
        module name (default: the file's name without .lua), the result is stored in
        package.loaded[name] and returned (true when the file returns nothing)."""
        path = str(path)
        if name is None:
            name = os.path.splitext(os.path.basename(path))[0]
        self.add_package_path(os.path.dirname(os.path.abspath(path)))
        chunk = self._loadfile(path)
        runner = self.lua.eval("""function(chunk, name, path)
          local r = chunk(name, path)
          if r ~= nil then package.loaded[name] = r end
          if package.loaded[name] == nil then package.loaded[name] = true end
          return package.loaded[name]
        end""")
        return self._bridge.host_call(runner, chunk, name, path)

    def _loadfile(self, path):
        loader = self.lua.eval("function(path) local f, e = loadfile(path); if not f then error(e, 0) end; return f end")
        return loader(path)

    def _clear_exit(self):
        """After os.exit reached the host: let this state run code again."""
        self._exiting["err"] = None


def _stream_write(stream, text):
    if stream == "stdout":
        sys.stdout.write(text)
    else:
        # stdout is block-buffered when piped: flush it so both streams keep the order
        # in which the script wrote them.
        sys.stdout.flush()
        sys.stderr.write(text)


def _stream_flush(stream):
    (sys.stdout if stream == "stdout" else sys.stderr).flush()


def _lua_exit(code):
    sys.stdout.flush()
    sys.stderr.flush()
    raise LuaExit(int(code))
