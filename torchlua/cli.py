"""The `torchlua` command: Torch7's `th` on torchlua.

It runs scripts the way `th` and `lua` do (options, `arg`, `...`, `-e`, `-l`, `-i`,
`-` for stdin, a REPL on a terminal), sets up th's environment (its print, `paths`,
`sys`, `xlua`), and reports errors like `lua`: `torchlua: file:line: message` plus a
Lua stack traceback, exit status 1, no Python traceback unless TORCHLUA_DEBUG=1.
"""
import os
import re
import signal
import sys
import traceback

USAGE = """\
usage: torchlua [options] [script.lua [args...]]

Runs a Lua Torch7 script (as `th script.lua args...` would); with no script,
starts an interactive prompt on a terminal, or runs the Lua code read from stdin.

options:
  -e code         run this Lua code (may be repeated; runs before the script)
  -l name         require library `name` first (may be repeated; also -lname)
  -i              enter the interactive prompt after the script
  -               read the script from stdin
  --              stop handling options (the next argument is the script)
  --snippet       run a pasted forum snippet: preload nn and nngraph, and treat a
                  Python-style ' #...' tail after a complete statement as a comment
  -v, --version   print version information
  -h, --help      print this help

environment:
  LUA_PATH        where `require` looks for modules (';;' stands for the default)
  LUA_INIT        Lua code (or @file) run before anything else
  TORCHLUA_DEBUG  set to 1 to see Python tracebacks of internal errors
  TORCHLUA_HISTORY  file of the prompt's history (default ~/.torchlua_history)
"""

PROMPT, PROMPT2 = "th> ", "..> "
DRIVER_NAME = "=[torchlua]"

# Lua side of the command: protected calls with a Lua traceback, chunk loading,
# -l/preloads, and the REPL's evaluate-and-print.
_DRIVER = r"""
local describe, prelude = ...
local D = {}
local type, tostring, select = type, tostring, select

-- where a Python exception surfaced: the innermost Lua frame outside the prelude
local function position()
  local first
  for level = 3, 60 do
    local info = debug.getinfo(level, 'Sl')
    if not info then break end
    if info.what ~= 'C' and info.currentline > 0 and info.short_src ~= '[torchlua]' then
      local where = info.short_src .. ':' .. info.currentline .. ': '
      if info.source:sub(1, #prelude + 1) ~= '@' .. prelude then return where end
      first = first or where
    end
  end
  return first or ''
end

-- drop the frames of this driver (and the C frames around it) from the bottom
local function trim(tb)
  local lines = {}
  for l in (tb .. '\n'):gmatch('(.-)\n') do lines[#lines + 1] = l end
  while #lines > 1 do
    local l = lines[#lines]
    if l:find('^\t%[C%]:') or l:find('^\t%[torchlua%]:') or l:find('^\t%(tail call%)') then
      lines[#lines] = nil
    else
      break
    end
  end
  if #lines == 2 and lines[2] == 'stack traceback:' then lines[2] = nil end
  return table.concat(lines, '\n')
end

local function handler(e)
  local t, msg = type(e)
  if t == 'string' or t == 'number' then
    msg = tostring(e)
  else
    local kind, text = describe(e)
    if kind == 'pass' then return e end   -- os.exit, Ctrl-C: not errors of the script
    if kind == 'python' then
      msg = position() .. text
    else
      local mt = getmetatable(e)
      if type(mt) == 'table' and mt.__tostring then msg = tostring(e)
      else msg = '(error object is a ' .. t .. ' value)' end
    end
  end
  return trim(debug.traceback(msg, 2))
end

function D.run(f, ...)
  local ok, err = xpcall(f, handler, ...)
  if ok then return true end
  return false, err
end

-- the chunk is called by xpcall itself, so tracebacks say 'in main chunk' as lua's do
local function print_results(ok, ...)
  if not ok then return false, (...) end
  if select('#', ...) > 0 then return D.run(print, ...) end
  return true
end
function D.eval_print(f)
  return print_results(xpcall(f, handler))
end

function D.load(src, name) return loadstring(src, name) end

-- -l name: require called by xpcall itself, so its message carries no driver position;
-- the module also becomes a global of its name, as lua 5.2's -l does
local function set_global(name, ok, m, ...)
  if ok and rawget(_G, name) == nil and not name:find('.', 1, true) then _G[name] = m end
  return ok, m, ...
end
function D.require(name)
  local ok, err = set_global(name, xpcall(require, handler, name))
  if ok then return true end
  return false, err
end

-- require `name` if it exists: true; false when it does not; false, msg when it fails
function D.preload(name)
  local ok, err = set_global(name, pcall(require, name))
  if ok then return true end
  err = tostring(err)
  if err:find("module '" .. name .. "' not found", 1, true) then return false end
  return false, err
end

-- the object a dotted/colon path names (for completion), or nil
function D.resolve(path)
  local o = _G
  for name in path:gmatch('[^.:]+') do
    local to = type(o)
    if to ~= 'table' and to ~= 'userdata' then return nil end
    local ok, v = pcall(function() return o[name] end)
    if not ok then return nil end
    o = v
  end
  return o
end
return D
"""

_LUA_KEYWORDS = ("and break do else elseif end false for function goto if in local nil not "
                 "or repeat return then true until while").split()


class Usage(Exception):
    pass


class Failed(Exception):
    """The run stopped with an error that was already reported; carries the exit status."""

    def __init__(self, status=1):
        self.status = status


class Options:
    def __init__(self):
        self.actions = []        # ('e', code) / ('l', name), in command-line order
        self.interactive = False
        self.version = False
        self.help = False
        self.snippet = False
        self.script = None       # index in argv of the script ('-' = stdin)


def parse_args(argv):
    o = Options()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            if i + 1 < len(argv):
                o.script = i + 1
            break
        if a == "-" or not a.startswith("-"):
            o.script = i
            break
        if a in ("-h", "--help"):
            o.help = True
        elif a in ("-i", "--interactive"):
            o.interactive = True
        elif a in ("-v", "--version"):
            o.version = True
        elif a == "--snippet":
            o.snippet = True
        elif a[:2] in ("-e", "-l"):
            value = a[2:]
            if not value:
                i += 1
                if i >= len(argv):
                    raise Usage("'%s' needs an argument" % a)
                value = argv[i]
            o.actions.append((a[1], value))
        else:
            raise Usage("unrecognized option '%s'" % a)
        i += 1
    return o


def version_line():
    import lupa
    import numpy
    from . import __version__
    from .runtime import _lupa
    jit = _lupa.LuaRuntime().eval("jit and jit.version or _VERSION")
    return "torchlua %s (%s, lupa %s, NumPy %s, Python %s)" % (
        __version__, jit, lupa.__version__, numpy.__version__, sys.version.split()[0])


# -- Python-style comments in pasted snippets -------------------------------------------
def _long_bracket(src, i):
    """Level of a Lua long bracket `[==[` opening at i, or -1."""
    if i >= len(src) or src[i] != "[":
        return -1
    j = i + 1
    while j < len(src) and src[j] == "=":
        j += 1
    return j - i - 1 if j < len(src) and src[j] == "[" else -1


def code_hashes(src):
    """{line: [column, ...]} of each '#' that is Lua code (not inside a string or a
    comment) and starts a line or follows a space or tab: where a Python-style
    comment could begin."""
    starts = [0] + [m.end() for m in re.finditer("\n", src)]
    out = {}
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "-" and src.startswith("--", i):
            lvl = _long_bracket(src, i + 2)
            if lvl >= 0:
                k = src.find("]" + "=" * lvl + "]", i)
                i = n if k < 0 else k + lvl + 2
            else:
                k = src.find("\n", i)
                i = n if k < 0 else k
            continue
        if c == "[":
            lvl = _long_bracket(src, i)
            if lvl >= 0:
                k = src.find("]" + "=" * lvl + "]", i)
                i = n if k < 0 else k + lvl + 2
                continue
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        elif c == "#" and (i == 0 or src[i - 1] in " \t\n"):
            line = _line_of(starts, i)
            out.setdefault(line, []).append(i - starts[line - 1])
        i += 1
    return out


def _line_of(starts, pos):
    import bisect
    return bisect.bisect_right(starts, pos)


def python_comments(text, compile_error, limit=None):
    """Comment out Python-style '#...' tails that make `text` fail to parse.

    `compile_error(text)` returns None or (line, message).  A tail is taken only where
    the parser stops at its '#', and only if the code before it ends a statement (the
    line still parses with ';' there).  Returns (new text, [(line, '#...'), ...])."""
    lines = text.split("\n")
    cands = code_hashes(text)
    fixes, done = [], set()
    while limit is None or len(fixes) < limit:
        err = compile_error("\n".join(lines))
        if err is None:
            break
        line_no, msg = err
        if "near '#'" not in msg or line_no in done or line_no not in cands:
            break
        line = lines[line_no - 1]
        found = None
        for col in reversed(cands[line_no]):
            prefix = line[:col]
            probe = prefix.rstrip() + " ;" if prefix.strip() else ""
            e2 = compile_error("\n".join(lines[:line_no - 1] + [probe] + lines[line_no:]))
            if e2 is None or e2[0] > line_no:
                found = col
                break
        if found is None:
            break
        done.add(line_no)
        fixes.append((line_no, line[found:].rstrip("\r \t")))
        lines[line_no - 1] = line[:found] + "--" + line[found:]
    return "\n".join(lines), fixes


# -- the command ------------------------------------------------------------------------
class Command:
    def __init__(self, opts, argv, prog, debug):
        from .runtime import PRELUDE, Runtime
        self.opts, self.argv, self.prog, self.debug = opts, argv, prog, debug
        self.rt = Runtime()
        self.lua = self.rt.lua
        # named, so that its frames can be recognised and left out of tracebacks
        driver = self.lua.eval("loadstring")(_DRIVER, DRIVER_NAME)
        self.D = driver(self._describe, str(PRELUDE))

    # -- reporting ------------------------------------------------------------------
    def report(self, msg, prefix=True):
        sys.stdout.flush()
        sys.stderr.write(("%s: %s\n" % (self.prog, msg)) if prefix else msg + "\n")
        sys.stderr.flush()

    def _describe(self, e):
        """For the Lua error handler: what kind of error object `e` is."""
        if isinstance(e, BaseException):
            if not isinstance(e, Exception):
                return "pass", None
            from .core.errors import TorchError
            text = str(e) if isinstance(e, TorchError) else "%s: %s" % (type(e).__name__, e)
            if self.debug:
                text += "\nPython traceback:\n" + "".join(
                    traceback.format_exception(type(e), e, e.__traceback__)).rstrip()
            return "python", text
        return None, None

    def _check(self, res, prefix=True):
        """Result of D.run/D.eval_print: report a failure (raising Failed unless in the REPL)."""
        ok, err = res if isinstance(res, tuple) else (res, None)
        if ok:
            return True
        if isinstance(err, BaseException):
            raise err
        self.report(str(err), prefix)
        if prefix:
            raise Failed(1)
        return False

    # -- loading --------------------------------------------------------------------
    def _compile_error(self, text):
        res = self.D.load(text.encode("latin-1"), "=s")
        if not isinstance(res, tuple) or res[0] is not None:
            return None
        m = re.match(r"s:(\d+): (.*)", res[1], re.S)
        return (int(m.group(1)), m.group(2)) if m else (0, res[1])

    def load(self, src, chunkname, display, file_like=True):
        """Compile Lua source (bytes) as `loadfile`/`loadstring` would; on a syntax
        error report it (with a hint for Python-style comments) and raise Failed."""
        if src.startswith(b"\x1bLJ"):  # precompiled LuaJIT bytecode
            text = None
        else:
            text = src.decode("latin-1")  # byte-preserving: columns are byte offsets
            if file_like and text.startswith("#"):  # a #! line, skipped as lua does
                nl = text.find("\n")
                text = "" if nl < 0 else text[nl:]
            if self.opts.snippet:
                text, fixes = python_comments(text, self._compile_error)
                for line, tail in fixes:
                    self.report("--snippet: %s:%d: treating %r as a comment" % (display, line, tail))
            src = text.encode("latin-1")
        res = self.D.load(src, chunkname)
        if not isinstance(res, tuple):
            return res
        msg = res[1]
        self.report(msg)
        if text is not None and "near '#'" in msg:
            _, fixes = python_comments(text, self._compile_error, limit=1)
            m = re.search(r":(\d+): ", msg)
            if fixes and m and fixes[0][0] == int(m.group(1)):
                self.report("hint: %r on line %d looks like a Python-style comment; Lua comments "
                            "start with '--' (--snippet treats such tails as comments)"
                            % (fixes[0][1], fixes[0][0]))
        raise Failed(1)

    def load_file(self, path):
        try:
            with open(path, "rb") as f:
                src = f.read()
        except OSError as e:
            self.report("cannot open %s: %s" % (path, e.strerror or e))
            raise Failed(1)
        return self.load(src, "@" + path, path)

    def load_stdin(self):
        return self.load(sys.stdin.buffer.read(), "=stdin", "stdin")

    # -- running --------------------------------------------------------------------
    def set_arg(self, script):
        """`arg` as lua builds it: arg[0] the script, negative indices the interpreter
        and options before it, positive ones the script's arguments."""
        full = [self.prog] + list(self.argv)
        p = 0 if script is None else script + 1
        self.lua.globals().arg = self.lua.table_from({i - p: a for i, a in enumerate(full)})
        return full[p + 1:] if script is not None else []

    def setup(self):
        ok, err = self._pair(self.D.preload("trepl"))  # th's print, paths, sys, xlua
        if err:
            self.report("warning: th's environment (trepl) failed to load: " + err)
        elif ok and not sys.stdout.isatty():  # th colours its print only on a terminal
            self.lua.execute("local t = require 'trepl'; if t.set_colors then t.set_colors(false) end")
        self.rt.th_penlight()  # as trepl: pcall(require, 'pl'); text.format_operator()
        init = os.environ.get("LUA_INIT")
        if init:
            if init.startswith("@"):
                f = self.load_file(init[1:])
            else:
                f = self.load(init.encode("utf-8", "surrogateescape"), "=LUA_INIT", "LUA_INIT", False)
            self._check(self.D.run(f))
        if self.opts.snippet:
            for name in ("nn", "nngraph"):
                ok, err = self._pair(self.D.preload(name))
                if not ok:  # one line: the script's own error will tell the rest
                    why = err.split("\n", 1)[0] if err else "no such module"
                    self.report("warning: --snippet could not preload %s (%s)" % (name, why))
                    break  # nngraph needs nn

    @staticmethod
    def _pair(res):
        return res if isinstance(res, tuple) else (res, None)

    def run(self):
        o = self.opts
        script_args = self.set_arg(o.script)
        self.setup()
        for kind, value in o.actions:
            if kind == "e":
                f = self.load(value.encode("utf-8", "surrogateescape"), "=(command line)",
                              "(command line)", False)
                self._check(self.D.run(f))
            else:
                self._check(self.D.require(value))
        if o.script is not None:
            path = self.argv[o.script]
            if path == "-":
                f = self.load_stdin()
            else:
                self.rt.add_package_path(os.path.dirname(os.path.abspath(path)))
                f = self.load_file(path)
            self._check(self.D.run(f, *script_args))
        elif not any(k == "e" for k, _ in o.actions) and not o.version and not o.interactive:
            # like lua: no script and no -e: a prompt on a terminal, else stdin is the script
            if sys.stdin.isatty():
                o.interactive = True
            else:
                self._check(self.D.run(self.load_stdin()))
        if o.interactive:
            self.repl()
        return 0

    # -- the prompt -----------------------------------------------------------------
    def repl(self):
        tty = sys.stdin.isatty()
        # Ctrl-C: back to the prompt (a running computation stops at its next call
        # into Python, e.g. a tensor operation or print)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if tty:
            self._setup_readline()
            print("torchlua %s  |  Torch7 scripts on LuaJIT + NumPy  |  Ctrl-D exits"
                  % __import__("torchlua").__version__)
        while True:
            try:
                line = self._read(PROMPT, tty)
                if line is None:
                    break
                self._repl_chunk(line, tty)
            except KeyboardInterrupt:
                sys.stdout.write("\n")
        if tty:
            sys.stdout.write("\n")
        sys.stdout.flush()

    def _read(self, prompt, tty):
        if tty:
            try:
                line = input(prompt)
            except EOFError:
                return None
            self._save_history()
            return line
        sys.stdout.flush()
        line = sys.stdin.readline()
        return line.rstrip("\n") if line else None

    def _repl_chunk(self, src, tty):
        if not src.strip():
            return
        stripped = src.lstrip()
        if stripped.startswith("="):  # `=expr`, as in lua's REPL
            src = "return " + stripped[1:]
        # `return select(1, expr)` rather than `return expr`: a tail call would hide the
        # line from error() (`> error('x')` must say stdin:1:)
        f = self.D.load("return select(1, " + src + "\n)", "=stdin")
        if isinstance(f, tuple):  # not an expression: a statement, maybe on several lines
            while True:
                f = self.D.load(src, "=stdin")
                if not isinstance(f, tuple) or not f[1].endswith("'<eof>'"):
                    break
                more = self._read(PROMPT2, tty)
                if more is None:
                    return
                src += "\n" + more
        if isinstance(f, tuple):
            self.report(f[1], prefix=False)
            return
        self._check(self.D.eval_print(f), prefix=False)

    def _setup_readline(self):
        try:
            import readline
        except ImportError:  # no line editing; the prompt still works
            self._history = None
            return
        self._history = os.environ.get("TORCHLUA_HISTORY") or os.path.join(
            os.path.expanduser("~"), ".torchlua_history")
        try:
            readline.read_history_file(self._history)
        except OSError:
            pass
        readline.set_history_length(1000)
        readline.set_completer_delims(" \t\n()[]{},;=+-*/%^<>~#\"'")
        readline.set_completer(self._complete)
        readline.parse_and_bind("tab: complete")

    def _save_history(self):
        if getattr(self, "_history", None):
            try:
                import readline
                readline.write_history_file(self._history)
            except OSError:
                pass

    def _complete(self, text, state):
        try:
            if state == 0:
                m = re.match(r"(.*)([.:])([\w]*)$", text)
                if m:
                    base, sep, part = m.groups()
                    obj = self.D.resolve(base)
                    names = list(self.rt._bridge.H.fields(obj).values()) if obj is not None else []
                    self._matches = sorted(base + sep + n for n in names if n.startswith(part))
                else:
                    names = list(self.lua.globals().keys()) + _LUA_KEYWORDS
                    self._matches = sorted({n for n in names if isinstance(n, str) and n.startswith(text)})
            return self._matches[state] if state < len(self._matches) else None
        except Exception:  # completion must never break the prompt
            return None


def main(argv=None):
    prog = "torchlua"
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "record":  # `torchlua record script.lua [args]` (torchlua/record.py)
        from .record import main as record_main
        return record_main(argv[1:])
    debug = os.environ.get("TORCHLUA_DEBUG", "") not in ("", "0")
    try:
        opts = parse_args(argv)
    except Usage as e:
        sys.stderr.write("%s: %s\n%s" % (prog, e, USAGE))
        return 1
    if opts.help:
        sys.stdout.write(USAGE)
        return 0
    if opts.version:
        print(version_line())
        if opts.script is None and not opts.actions and not opts.interactive:
            return 0
    if hasattr(signal, "SIGPIPE"):  # `torchlua x.lua | head` ends quietly, as lua does
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # Ctrl-C stops a script at once, even inside a pure Lua loop (the REPL sets its own)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    from .runtime import LuaExit
    try:
        status = Command(opts, argv, prog, debug).run()
    except LuaExit as e:
        status = e.code if isinstance(e.code, int) else 0
    except Failed as e:
        status = e.status
    except KeyboardInterrupt:
        status = 130
    except Exception as e:
        if debug:
            raise
        sys.stdout.flush()
        sys.stderr.write("%s: internal error: %s: %s (TORCHLUA_DEBUG=1 shows the Python "
                         "traceback)\n" % (prog, type(e).__name__, e))
        status = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    return status
