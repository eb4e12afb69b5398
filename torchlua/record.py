"""Recorded outputs: `torchlua record script.lua [args...]`.

Runs a script as the `torchlua` command would and writes what it printed beside it,
in `script.lua.out`:

    torchlua recorded output
    command: torchlua script.lua 10 --seed 1
    rtol: 1e-06
    exit status: 0
    ---- stdout: 3 lines ----
    ...the script's standard output...
    ---- stderr: 1 line, no newline at end ----
    ...its standard error...

The pytest plugin (torchlua.pytest_plugin) runs every script that has such a file
beside it and compares: the text must be the same, except that numbers may differ
by the relative tolerance `rtol` (from the header, else the ini option
`torchlua_rtol`) and runs of spaces may differ in length; the exit status must be
the same.

The script runs in its own folder with its name as the path (so messages read
`script.lua:12: ...` wherever the project lives), and the path of torchlua's Lua
prelude is written as `<torchlua>` in the recording.
"""
import argparse
import difflib
import io
import json
import math
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field

MAGIC = "torchlua recorded output"
DEFAULT_RTOL = 1e-6
PRELUDE_TOKEN = "<torchlua>"


@dataclass
class Recording:
    args: list = field(default_factory=list)   # the script's arguments
    stdout: str = ""
    stderr: str = ""
    status: int = 0
    rtol: float = None                          # None: not given in the file


# -- running a script -------------------------------------------------------------
def _prelude_dir():
    from .runtime import PRELUDE
    return str(PRELUDE)


def _normalise(text):
    return text.replace(_prelude_dir(), PRELUDE_TOKEN)


def _command_available():
    try:
        from . import cli
    except Exception:  # the command is not there (or broken): run in-process
        return False
    return callable(getattr(cli, "main", None))


_CLI_BOOT = "import sys; from torchlua.cli import main; sys.exit(main(sys.argv[1:]))"


def run_script(script, args=(), timeout=None):
    """Run `script` with `args` as the torchlua command does; returns a Recording
    (stdout, stderr, exit status), with the prelude's path normalised."""
    script = os.path.abspath(str(script))
    folder, name = os.path.split(script)
    args = [str(a) for a in args]
    if _command_available():
        env = dict(os.environ)
        env.pop("TORCHLUA_DEBUG", None)
        proc = subprocess.run([sys.executable, "-c", _CLI_BOOT, name] + args, cwd=folder,
                              env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        status = proc.returncode
    else:
        out, err, status = _run_in_process(folder, name, args)
    return Recording(args=args, stdout=_normalise(out), stderr=_normalise(err), status=status)


# th's environment (its print, paths, sys, xlua), uncoloured as on a pipe
_TH_ENV = """
local ok, trepl = pcall(require, 'trepl')
if ok and type(trepl) == 'table' and trepl.set_colors then trepl.set_colors(false) end
"""


def _run_in_process(folder, name, args):
    """Fallback without the command: a Runtime in this process, its output captured."""
    from .runtime import LuaExit, Runtime
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr, os.getcwd()
    status = 0
    try:
        sys.stdout, sys.stderr = out, err
        os.chdir(folder)
        try:
            rt = Runtime()
            rt.lua.execute(_TH_ENV)
            rt.run_file(name, args)
        except LuaExit as e:
            status = e.code if isinstance(e.code, int) else 0
        except Exception as e:  # a Lua error: reported as the command reports it
            err.write("torchlua: %s\n" % (e,))
            status = 1
    finally:
        sys.stdout, sys.stderr = saved[0], saved[1]
        os.chdir(saved[2])
    return out.getvalue(), err.getvalue(), status


# -- the .out format ---------------------------------------------------------------
def out_path(script):
    return str(script) + ".out"


def _section(title, text):
    lines = text.split("\n")
    complete = text.endswith("\n") or text == ""
    if complete:
        lines = lines[:-1]
    n = len(lines)
    head = "---- %s: %d line%s%s ----\n" % (title, n, "" if n == 1 else "s",
                                            "" if complete else ", no newline at end")
    return head + "".join(l + "\n" for l in lines)


def format_recording(script_name, rec, rtol):
    cmd = " ".join(shlex.quote(a) for a in ["torchlua", script_name] + list(rec.args))
    return (MAGIC + "\n"
            + "command: %s\n" % cmd
            + "rtol: %r\n" % float(rtol)
            + "exit status: %d\n" % rec.status
            + _section("stdout", rec.stdout)
            + _section("stderr", rec.stderr))


class FormatError(ValueError):
    pass


_SECTION_RE = re.compile(r"---- (stdout|stderr): (\d+) lines?(, no newline at end)? ----$")


def parse_recording(text):
    lines = text.split("\n")
    if not lines or lines[0] != MAGIC:
        raise FormatError("not a torchlua recorded output (first line should be %r)" % MAGIC)
    rec = Recording()
    i = 1
    while i < len(lines) and not lines[i].startswith("---- "):
        key, sep, value = lines[i].partition(":")
        value = value.strip()
        if not sep:
            raise FormatError("line %d: expected 'key: value', got %r" % (i + 1, lines[i]))
        if key == "command":
            words = shlex.split(value)
            rec.args = words[2:]
        elif key == "rtol":
            rec.rtol = float(value)
        elif key == "exit status":
            rec.status = int(value)
        else:
            raise FormatError("line %d: unknown header %r" % (i + 1, key))
        i += 1
    for name in ("stdout", "stderr"):
        m = _SECTION_RE.match(lines[i]) if i < len(lines) else None
        if not m or m.group(1) != name:
            raise FormatError("line %d: expected the %s section header" % (i + 1, name))
        n = int(m.group(2))
        body = lines[i + 1:i + 1 + n]
        if len(body) != n:
            raise FormatError("the %s section is shorter than %d lines" % (name, n))
        content = "\n".join(body)
        if not m.group(3) and n:
            content += "\n"
        setattr(rec, name, content)
        i += 1 + n
    return rec


def read_recording(path):
    with open(path, encoding="utf-8", newline="") as f:
        return parse_recording(f.read())


def write_recording(script, rec, rtol):
    text = format_recording(os.path.basename(str(script)), rec, rtol)
    with open(out_path(script), "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return out_path(script)


# -- comparing ----------------------------------------------------------------------
_NUMBER = r"[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf(?:inity)?|nan)"
_TOKEN_RE = re.compile(r"(?<![A-Za-z_])" + _NUMBER + r"(?![A-Za-z_])", re.I)
_SPACES_RE = re.compile(r"[ \t]+")


def _tokens(line):
    """A line split into (text, number) pieces: text between the numbers (runs of
    spaces made single), then the numbers as floats."""
    texts, numbers = [], []
    pos = 0
    for m in _TOKEN_RE.finditer(line):
        texts.append(_SPACES_RE.sub(" ", line[pos:m.start()]))
        numbers.append(m.group(0))
        pos = m.end()
    texts.append(_SPACES_RE.sub(" ", line[pos:]))
    return texts, numbers


def _close(a, b, rtol):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return math.isclose(x, y, rel_tol=rtol, abs_tol=0.0)


def line_difference(expected, got, rtol):
    """None when the two lines match within rtol, else why they do not."""
    if expected == got:
        return None
    te, ne = _tokens(expected)
    tg, ng = _tokens(got)
    if te != tg or len(ne) != len(ng):
        return "text differs"
    for a, b in zip(ne, ng):
        if not _close(a, b, rtol):
            x, y = float(a), float(b)
            scale = max(abs(x), abs(y))
            rel = abs(x - y) / scale if scale and not math.isnan(scale) else float("nan")
            return "number %s != %s (relative difference %.3g > rtol %g)" % (a, b, rel, rtol)
    return None


def compare_text(expected, got, rtol, label):
    """A readable report of where `got` differs from `expected` beyond rtol
    (empty list when they match)."""
    el, gl = expected.split("\n"), got.split("\n")
    if len(el) == len(gl):
        problems = []
        for i, (a, b) in enumerate(zip(el, gl), 1):
            why = line_difference(a, b, rtol)
            if why:
                problems.append("%s line %d: %s\n  recorded: %r\n  now:      %r"
                                % (label, i, why, a, b))
        if not problems:
            return []
        more = len(problems) - 20
        shown = problems[:20]
        if more > 0:
            shown.append("... and %d more differing lines" % more)
        return shown
    diff = difflib.unified_diff(el, gl, "recorded " + label, "current " + label, lineterm="", n=2)
    lines = list(diff)
    if len(lines) > 80:
        lines = lines[:80] + ["... (diff truncated)"]
    return ["%s has %d lines instead of %d:\n%s" % (label, len(gl) - (got.endswith("\n")),
                                                   len(el) - (expected.endswith("\n")),
                                                   "\n".join(lines))]


def compare(expected, got, rtol):
    """Differences between two Recordings, as a list of readable paragraphs."""
    problems = []
    if expected.status != got.status:
        problems.append("exit status %d instead of %d" % (got.status, expected.status))
    problems += compare_text(expected.stdout, got.stdout, rtol, "stdout")
    problems += compare_text(expected.stderr, got.stderr, rtol, "stderr")
    return problems


# -- the command ----------------------------------------------------------------------
def main(argv=None):
    """`torchlua record [--rtol R] script.lua [args...]`: returns the exit status."""
    if argv is None:
        argv = sys.argv[1:]
    parser = argparse.ArgumentParser(
        prog="torchlua record",
        description="Run a Lua script and record its output, error output and exit "
                    "status in SCRIPT.out, for the torchlua pytest plugin to compare.")
    parser.add_argument("--rtol", type=float, default=None,
                        help="relative tolerance for numbers, written in the header "
                             "(default: the one already in SCRIPT.out, else %g)" % DEFAULT_RTOL)
    parser.add_argument("script")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    try:
        opts = parser.parse_args(argv)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 2
    if opts.rtol is not None and not opts.rtol >= 0:
        sys.stderr.write("torchlua record: --rtol must be a number >= 0\n")
        return 2
    if not os.path.isfile(opts.script):
        sys.stderr.write("torchlua record: cannot open %s\n" % opts.script)
        return 1
    rtol = opts.rtol
    if rtol is None:
        rtol = DEFAULT_RTOL
        if os.path.exists(out_path(opts.script)):
            try:
                old = read_recording(out_path(opts.script))
                if old.rtol is not None:
                    rtol = old.rtol
            except (OSError, FormatError):
                pass
    rec = run_script(opts.script, opts.args)
    path = write_recording(opts.script, rec, rtol)
    print("torchlua record: wrote %s (exit status %d, %d stdout lines, %d stderr lines)"
          % (path, rec.status, rec.stdout.count("\n"), rec.stderr.count("\n")))
    return 0
