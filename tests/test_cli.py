"""The torchlua command, run in subprocesses as a user would run it."""
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
SEED = FIXTURES / "gmodule_two_paths_question.lua"


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("TORCHLUA_DEBUG", "LUA_PATH", "LUA_INIT", "TORCHLUA_HISTORY")}
    env.update(extra)
    return env


# -I: the installed torchlua, never a source tree that happens to be the working directory
TORCHLUA = [sys.executable, "-I", "-m", "torchlua"]


def run(*args, input=None, cwd=None, env=None, merge=False):
    """Run the torchlua command with these arguments."""
    return subprocess.run(
        TORCHLUA + [str(a) for a in args], input=input, cwd=cwd,
        stdin=subprocess.DEVNULL if input is None else None,
        env=env or clean_env(), capture_output=not merge, text=True, timeout=120,
        stdout=subprocess.PIPE if merge else None, stderr=subprocess.STDOUT if merge else None)


def script(tmp_path, text, name="script.lua"):
    """Write a script; tests run it by this relative name from tmp_path (Lua shortens
    long chunk names in messages, as `lua` does)."""
    (tmp_path / name).write_text(text)
    return name


def no_python_traceback(text):
    return "Traceback (most recent call last)" not in text


ARGS_LUA = """
io.write('arg0=', arg[0], '\\n')
io.write('n=', #arg, '\\n')
for i = 1, #arg do io.write('arg', i, '=', arg[i], '\\n') end
io.write('dots=', table.concat({...}, ','), '\\n')
io.write('neg=', tostring(arg[-1]), ',', tostring(arg[-2]), ',', tostring(arg[-3]), '\\n')
"""


def test_script_gets_arg_and_dots(tmp_path):
    s = script(tmp_path, ARGS_LUA)
    r = run(s, "a", "b c", "-x", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("arg0=%s\nn=3\narg1=a\narg2=b c\narg3=-x\ndots=a,b c,-x\n"
                        "neg=torchlua,nil,nil\n" % s)


def test_options_before_the_script_get_negative_indices(tmp_path):
    s = script(tmp_path, ARGS_LUA)
    r = run("-e", "x = 1", s, "q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "neg=x = 1,-e,torchlua\n" in r.stdout
    assert "dots=q\n" in r.stdout


def test_e_and_l_run_in_order_before_the_script(tmp_path):
    (tmp_path / "mylib.lua").write_text("io.write('loading mylib\\n'); return {x = 42}")
    s = script(tmp_path, "io.write('script sees ', mylib.x, ' ', y, '\\n')")
    r = run("-e", "y = 'why'", "-l", "mylib", "-e", "io.write('after -l ', mylib.x, '\\n')", s,
            cwd=tmp_path, env=clean_env(LUA_PATH=str(tmp_path / "?.lua") + ";;"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "loading mylib\nafter -l 42\nscript sees 42 why\n"
    r = run("-lmylib", "-e", "io.write(mylib.x)", env=clean_env(LUA_PATH=str(tmp_path / "?.lua") + ";;"))
    assert r.stdout == "loading mylib\n42"


def test_missing_library_is_an_error():
    r = run("-l", "no_such_library_xyz", "-e", "io.write('ran')")
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.startswith("torchlua: module 'no_such_library_xyz' not found")


def test_interactive_after_script_with_piped_stdin(tmp_path):
    s = script(tmp_path, "x = 21")
    r = run("-i", s, input="=x * 2\ntorch.type(torch.Tensor(1))\ny = 1\n", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["42", "torch.DoubleTensor"]


def test_script_from_stdin_with_dash_and_bare():
    r = run("-", "p", "q", input="io.write(arg[0], ' ', ..., '\\n') io.write(select('#', ...))")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "- p\n2"
    # no script, stdin not a terminal: stdin is the script (as `lua` does)
    r = run(input="local t = torch.Tensor(3):fill(2)\nio.write(t[1] + t[3])")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "4"


@pytest.mark.parametrize("code,status", [
    ("os.exit(3)", 3), ("os.exit(true)", 0), ("os.exit(false)", 1), ("os.exit()", 0),
    ("pcall(os.exit, 4) io.write('not reached')", 4),
    ("pcall(function() pcall(os.exit, 5) end) io.write('not reached')", 5),
])
def test_exit_codes(code, status):
    r = run("-e", "io.write('before ')", "-e", code)
    assert r.returncode == status
    assert r.stdout == "before "
    assert r.stderr == ""


def test_runtime_error_reports_file_line_and_lua_traceback(tmp_path):
    s = script(tmp_path, "print('partial output')\nlocal function f()\n  error('boom')\nend\nf()\n")
    r = run(s, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout == "partial output\t\n"
    lines = r.stderr.splitlines()
    assert lines[0] == "torchlua: %s:3: boom" % s
    assert lines[1] == "stack traceback:"
    assert "\t%s:5: in main chunk" % s in lines
    assert no_python_traceback(r.stderr)
    assert "[torchlua]" not in r.stderr


def test_tensor_error_points_at_the_script_line(tmp_path):
    s = script(tmp_path, "local x = torch.Tensor(2, 3)\n\nlocal y = x:narrow(1, 2, 5)\n")
    r = run(s, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith("torchlua: %s:3: " % s)
    assert "out of range" in r.stderr.splitlines()[0]
    assert no_python_traceback(r.stderr)


def test_python_exception_has_position_and_traceback_only_in_debug_mode(tmp_path):
    # a core function called with a missing argument fails in Python, not in Lua
    s = script(tmp_path, "local C = require '_torchcore'\nlocal h = C.tensor_new()\n")
    r = run(s, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith("torchlua: %s:2: TypeError: " % s)
    assert no_python_traceback(r.stderr)
    r = run(s, env=clean_env(TORCHLUA_DEBUG="1"), cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith("torchlua: %s:2: TypeError: " % s)
    assert "Traceback (most recent call last)" in r.stderr


def test_syntax_error_is_luas_message(tmp_path):
    s = script(tmp_path, "local a = 1\nlocal b = = 2\n")
    r = run(s, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr == "torchlua: %s:2: unexpected symbol near '='\n" % s


def test_missing_script():
    r = run("no_such_script.lua")
    assert r.returncode == 1
    assert r.stderr.startswith("torchlua: cannot open no_such_script.lua")


def test_output_order_is_kept_across_stdout_and_stderr(tmp_path):
    s = script(tmp_path, "io.write('1\\n')\nio.stderr:write('2\\n')\nio.write('3\\n')\nerror('4')\n")
    r = run(s, merge=True, cwd=tmp_path)
    assert r.stdout.splitlines()[:4] == ["1", "2", "3", "torchlua: %s:4: 4" % s]


def test_python_style_comment_hint(tmp_path):
    seed = script(tmp_path, SEED.read_text(), SEED.name)
    r = run(seed, cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0] == "torchlua: %s:4: unexpected symbol near '#'" % seed
    assert len(lines) == 2
    assert lines[1].startswith("torchlua: hint: '#gModule' on line 4 looks like a Python-style comment")
    assert "--snippet" in lines[1]


SNIPPET = """x = torch.Tensor(3):fill(2) #make a tensor
s = "a # not a comment"  # but this is
# a whole line
--[[ # inside a long comment
]]
n = #s  # a length, then a comment
y = x[2] # second element
io.write(s, ' ', n, ' ', y, '\\n')
"""


def test_snippet_strips_python_comments(tmp_path):
    s = script(tmp_path, SNIPPET)
    r = run(s, cwd=tmp_path)
    assert r.returncode == 1 and "unexpected symbol near '#'" in r.stderr
    r = run("--snippet", s, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "a # not a comment 17 2\n"
    warnings = [l for l in r.stderr.splitlines() if "--snippet: " in l]
    assert warnings == [
        "torchlua: --snippet: %s:1: treating '#make a tensor' as a comment" % s,
        "torchlua: --snippet: %s:2: treating '# but this is' as a comment" % s,
        "torchlua: --snippet: %s:3: treating '# a whole line' as a comment" % s,
        "torchlua: --snippet: %s:6: treating '# a length, then a comment' as a comment" % s,
        "torchlua: --snippet: %s:7: treating '# second element' as a comment" % s,
    ]


def test_snippet_leaves_other_syntax_errors_alone(tmp_path):
    s = script(tmp_path, "x = 1 # fine\ny = = 2 # not fixable\n")
    r = run("--snippet", s, cwd=tmp_path)
    assert r.returncode == 1
    assert "torchlua: --snippet: %s:1: treating '# fine' as a comment" % s in r.stderr
    assert "%s:2: unexpected symbol near '='" % s in r.stderr


def _nngraph_available():
    import torchlua
    try:
        torchlua.Runtime().execute("require 'nngraph'")
        return True
    except Exception:
        return False


@pytest.mark.skipif(not _nngraph_available(), reason="require 'nngraph' does not work yet")
def test_snippet_runs_the_gmodule_seed(tmp_path):
    seed = script(tmp_path, SEED.read_text(), SEED.name)
    r = run("--snippet", "-i", seed, cwd=tmp_path, input="=#gradient1, #gradient2\n=torch.type(gradient1[1])\n")
    assert r.returncode == 0, r.stderr
    assert len([l for l in r.stderr.splitlines() if "--snippet: " in l]) == 4
    assert r.stdout.split() == ["2", "2", "torch.DoubleTensor"]


def test_require_finds_modules_next_to_the_script_from_another_cwd(tmp_path):
    proj, other = tmp_path / "proj", tmp_path / "elsewhere"
    proj.mkdir()
    other.mkdir()
    (proj / "mymodel.lua").write_text("return {name = 'mymodel'}")
    (proj / "pkg").mkdir()
    (proj / "pkg" / "init.lua").write_text("return {name = 'pkg'}")
    (other / "data.lua").write_text("return 'from cwd'")
    s = script(proj, "io.write(require('mymodel').name, ' ', require('pkg').name, ' ', dofile('data.lua'))",
               "main.lua")
    r = run(proj / s, cwd=other)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "mymodel pkg from cwd"


def test_lua_path_is_respected_with_default_marker(tmp_path):
    (tmp_path / "libs").mkdir()
    (tmp_path / "libs" / "extra.lua").write_text("return 'extra'")
    r = run("-e", "io.write(require('extra'), ' ', tostring(package.path:find('./?.lua', 1, true) ~= nil))",
            env=clean_env(LUA_PATH=str(tmp_path / "libs" / "?.lua") + ";;"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "extra true"


def test_lua_init(tmp_path):
    r = run("-e", "io.write(z)", env=clean_env(LUA_INIT="z = 'init ran'"))
    assert r.stdout == "init ran"


def test_help_version_and_bad_option():
    r = run("--help")
    assert r.returncode == 0 and r.stdout.startswith("usage: torchlua")
    r = run("--version")
    assert r.returncode == 0 and re.match(r"torchlua \d+\.\d+\.\d+ \(LuaJIT ", r.stdout)
    r = run("--frobnicate")
    assert r.returncode == 1
    assert r.stderr.startswith("torchlua: unrecognized option '--frobnicate'\nusage:")
    r = run("-e")
    assert r.returncode == 1 and "'-e' needs an argument" in r.stderr


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "torchlua"
    if not exe.exists():
        pytest.skip("torchlua is not installed next to this Python (not run from its venv)")
    r = subprocess.run([str(exe), "-e", "io.write(torch.typename(torch.Tensor()))"],
                       capture_output=True, text=True, env=clean_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "torch.DoubleTensor"


def test_th_environment_is_loaded_and_plain_when_piped():
    r = run("-e", "print(type(paths), type(sys), 1.5)")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "table\ttable\t1.5\t\n"  # th's print, no colour codes on a pipe


# -- the prompt on a terminal -----------------------------------------------------------
class Pty:
    def __init__(self, args, env):
        import pty
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(TORCHLUA + list(args), stdin=slave,
                                     stdout=slave, stderr=slave, env=env, close_fds=True,
                                     preexec_fn=self._controlling_terminal)
        os.close(slave)
        self.out = b""

    @staticmethod
    def _controlling_terminal():
        # so that Ctrl-C typed on the terminal sends SIGINT, as in a real session
        import fcntl
        import termios
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    def expect(self, token, timeout=60):
        """Output up to `token`, colour codes removed (th colours its print on a terminal)."""
        token = token.encode()
        end = time.time() + timeout
        while token not in self.out and time.time() < end:
            r, _, _ = select.select([self.master], [], [], 0.1)
            if r:
                try:
                    self.out += os.read(self.master, 65536)
                except OSError:
                    break
        assert token in self.out, self.out.decode(errors="replace")
        idx = self.out.index(token) + len(token)
        seen, self.out = self.out[:idx], self.out[idx:]
        return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", seen.decode(errors="replace"))

    def send(self, text):
        # readline sets the terminal up around the moment it shows the prompt; keys typed
        # in that instant can be dropped (no person types that fast)
        time.sleep(0.2)
        os.write(self.master, text.encode())

    def close(self):
        try:
            return self.proc.wait(30)
        finally:
            os.close(self.master)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_repl_on_a_terminal(tmp_path):
    hist = tmp_path / "history"
    t = Pty([], clean_env(TERM="dumb", TORCHLUA_HISTORY=str(hist)))
    try:
        t.expect("th> ")
        t.send("1+1\n")
        assert re.search(r"\b2\b", t.expect("th> "))
        t.send("torch.Tensor(2):fill(3)\n")
        assert "[torch.DoubleTensor of size 2]" in t.expect("th> ")
        t.send("for i = 1, 2 do\n")
        t.expect("..> ")
        t.send("print(i * 10)\n")
        t.expect("..> ")
        t.send("end\n")
        out = t.expect("th> ")
        assert "10" in out and "20" in out
        t.send("error('oops')\n")
        out = t.expect("th> ")
        assert "stdin:1: oops" in out and "stack traceback:" in out
        t.send("torch.typen\t")  # tab completion of fields
        time.sleep(0.3)
        t.send("(torch.LongTensor())\n")
        out = t.expect("th> ")
        assert "torch.typename(torch.LongTensor())" in out  # the line as completed
        assert "torch.LongTensor" in [l.strip() for l in out.splitlines()]  # its value
        t.send("=x\n")  # still alive after the error
        assert "nil" in t.expect("th> ")  # (keys are sent at a prompt: readline is reading)
        t.send("\x04")  # Ctrl-D
        assert t.close() == 0
    finally:
        if t.proc.poll() is None:
            t.proc.kill()
    assert "torch.Tensor(2):fill(3)" in hist.read_text()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_repl_os_exit_status(tmp_path):
    t = Pty([], clean_env(TERM="dumb", TORCHLUA_HISTORY=str(tmp_path / "h")))
    try:
        t.expect("th> ")
        t.send("os.exit(7)\n")
        assert t.close() == 7
    finally:
        if t.proc.poll() is None:
            t.proc.kill()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_repl_ctrl_c_interrupts_a_computation_and_the_line(tmp_path):
    t = Pty([], clean_env(TERM="dumb", TORCHLUA_HISTORY=str(tmp_path / "h")))
    try:
        t.expect("th> ")
        t.send("for i = 1, 1e9 do io.write('') end\n")  # minutes long, unless interrupted
        time.sleep(1)
        t.send("\x03")
        t.expect("th> ", timeout=20)
        t.send("unfinished line\x03")
        t.expect("th> ")
        t.send("=1+2\n")
        assert "3" in t.expect("th> ")
        t.send("\x04")
        assert t.close() == 0
    finally:
        if t.proc.poll() is None:
            t.proc.kill()
