"""Filesystem and process helpers behind the `paths` and `sys` packages.

Directory listings cross to Lua as one '\\0'-joined string: Lua cannot read
Python containers (attribute access is closed), and one string is one crossing."""
import os
import platform
import sys
import tempfile


def fs_isfile(p):
    return os.path.exists(p) and not os.path.isdir(p)


def fs_isdir(p):
    return os.path.isdir(p)


def fs_listdir(p):
    """Entries of a directory including '.' and '..' (as readdir gives them), or None."""
    try:
        names = os.listdir(p)
    except OSError:
        return None
    return "\0".join([".", ".."] + names)


def fs_mkdir(p):
    try:
        os.mkdir(p)
        return True, None
    except OSError as e:
        return None, e.strerror


def fs_rmdir(p):
    try:
        os.rmdir(p)
        return True, None
    except OSError as e:
        return None, e.strerror


def fs_cwd():
    return os.getcwd()


def fs_tmpname():
    fd, name = tempfile.mkstemp(prefix="lua_")
    os.close(fd)
    return name


def fs_uname():
    return platform.system()


def fs_execdir():
    return os.path.dirname(os.path.abspath(sys.argv[0] if sys.argv and sys.argv[0] else sys.executable))


EXPORTS = {name: fn for name, fn in globals().items() if name.startswith("fs_") and callable(fn)}


def fs_isatty(stream="stdout"):
    """Whether Python's stdout (where Lua's output goes) is a terminal."""
    s = sys.stdout if stream == "stdout" else sys.stderr
    try:
        return s.isatty()
    except (AttributeError, ValueError):
        return False


def fs_term_columns():
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, AttributeError, ValueError):
        return 80


EXPORTS.update(fs_isatty=fs_isatty, fs_term_columns=fs_term_columns)
