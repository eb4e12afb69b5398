"""Torch7's File objects (torch.DiskFile, torch.MemoryFile, torch.PipeFile) in Python.

These are the primitives that the Lua classes wrap one-to-one, so names, defaults,
return values and error texts follow Torch's C implementation (THFile, THDiskFile,
THMemoryFile and the File.c bindings), including its Lua conventions:

* ``seek(pos)`` and ``position()`` are 1-based, as File.c exposes them to Lua.
* Files start in ascii mode with auto-spacing; ``binary()`` switches to raw native
  (little-endian here) encoding; ``long`` is 8 bytes unless ``longSize(4)``.
* Read/write errors set ``hasError()`` and raise :class:`TorchFileError` unless the
  file is ``quiet()``. Argument errors carry ``argnum`` so the Lua side can render
  them as ``bad argument #n to 'f' (...)``.

Element kinds are Torch's type names: Byte Char Short Int Long Float Double (and Half,
which THFile supports internally).
"""
import io
import math
import os
import re
import subprocess
import sys
from fractions import Fraction

import numpy as np

from ..core.errors import TorchError

__all__ = ["TorchFileError", "File", "DiskFile", "MemoryFile", "PipeFile", "KINDS"]


class TorchFileError(TorchError, ValueError):
    """A File error worded as Torch words it. ``argnum`` is set for argument checks
    (THArgCheck), None for plain errors (THError)."""

    def __init__(self, message, argnum=None):
        super().__init__(message)
        self.message = message
        self.argnum = argnum


KINDS = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half")
_DTYPE = {
    "Byte": np.dtype(np.uint8), "Char": np.dtype(np.int8), "Short": np.dtype(np.int16),
    "Int": np.dtype(np.int32), "Long": np.dtype(np.int64), "Float": np.dtype(np.float32),
    "Double": np.dtype(np.float64), "Half": np.dtype(np.float16),
}
_INT_BITS = {"Short": 16, "Int": 32, "Long": 64}
_FLOAT_DIGITS = {"Float": 9, "Double": 17, "Half": 9}

_WS_CHARS = rb" \t\n\v\f\r"
_WS = re.compile(rb"[ \t\n\v\f\r]*")
# What scanf's %d/%ld/%hd accept after skipping white space.
_INT_TOKEN = re.compile(rb"[ \t\n\v\f\r]*([+-]?[0-9]+)")
# What scanf's %g/%lg accept (strtod syntax: decimal, hex, inf/infinity, nan[(chars)]).
_FLOAT_TOKEN = re.compile(
    rb"[ \t\n\v\f\r]*([+-]?(?:"
    rb"0[xX](?:[0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?"
    rb"|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    rb"|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?"
    rb"|[nN][aA][nN](?:\([0-9A-Za-z_]*\))?))")
# A token that ends this close to the end of the bytes seen so far might continue
# (an exponent, "inity", a hex fraction): read more before trusting the match.
_LOOKAHEAD = 64
_CHUNK = 1 << 16


def _kind(kind):
    if kind not in _DTYPE:
        raise ValueError("unknown element kind %r (expected one of %s)" % (kind, ", ".join(KINDS)))
    return kind


def _wrap(value, bits):
    """C conversion of an integer to a signed integer of `bits` bits (modular)."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def c_cast(kind, value):
    """The value C stores when Torch converts a Lua number into `kind`
    (File.c: ``TYPE value = lua_tonumber(L, 2)``) on x86-64: truncation toward
    zero; out-of-range or NaN gives the hardware's "integer indefinite" value."""
    if kind in _FLOAT_DIGITS:
        with np.errstate(over="ignore"):
            return _DTYPE[kind].type(float(value))
    if kind == "Long":
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool) \
                and -2**63 <= value < 2**63:
            return int(value)
        x = float(value)
        return int(x) if -2.0**63 <= x < 2.0**63 else -2**63
    x = float(value)
    # cvttsd2si with a 32-bit destination, then narrowing keeps the low bits
    v = int(x) if -2147483649.0 < x < 2147483648.0 else -2**31
    if kind == "Int":
        return v
    if kind == "Short":
        return _wrap(v, 16)
    if kind == "Char":
        return _wrap(v, 8)
    return v & 0xFF  # Byte


def _parse_int(token, kind):
    # glibc scanf converts with strtol (saturating at the long range) and then
    # stores into the narrower C type, keeping the low bits.
    v = max(-2**63, min(2**63 - 1, int(token)))
    return v if kind == "Long" else _wrap(v, _INT_BITS[kind])


def _parse_double(token):
    s = token.decode("ascii")
    low = s.lower()
    if "x" in low:
        return float.fromhex(s)
    if "n" in low and "nan" in low:
        return float(s.split("(", 1)[0])
    return float(s)


def _parse_float32(token):
    """strtof: round the decimal text to float32 once (via double, corrected where
    the double happens to land exactly halfway between two floats)."""
    d = _parse_double(token)
    with np.errstate(over="ignore"):
        f = np.float32(d)
    if np.isfinite(f) and float(f) != d:
        with np.errstate(over="ignore"):  # the neighbour of FLT_MAX is inf: harmless
            other = np.nextafter(f, np.float32(math.copysign(np.inf, d - float(f))))
        if (float(f) + float(other)) / 2 == d and b"x" not in token.lower():
            exact = Fraction(token.decode("ascii"))
            if exact != d and (exact > d) == (float(other) > float(f)):
                f = other
    return f


def _fmt_g(x, digits):
    """C's printf("%.<digits>g") for a double, including glibc's "-nan"."""
    if x != x:
        return "-nan" if math.copysign(1.0, x) < 0 else "nan"
    return "%.*g" % (digits, x)


def _format_ascii(kind, arr):
    if kind in _FLOAT_DIGITS:
        digits = _FLOAT_DIGITS[kind]
        values = arr.astype(np.float64).tolist()
        if np.isnan(arr).any():
            return [_fmt_g(x, digits) for x in values]
        return ["%.*g" % (digits, x) for x in values]
    return [str(x) for x in arr.tolist()]


def _own(arr):
    """A writable array that owns its buffer (so views made from it find it as
    their root, which the .t7 writer relies on to keep storages shared)."""
    if not arr.flags.writeable or isinstance(arr.base, np.ndarray):
        arr = arr.copy()
    return arr


class File:
    """torch.File: the state and methods common to every file kind."""

    _typename = "torch.File"

    def __init__(self, readable, writable, quiet=False):
        self._readable = bool(readable)
        self._writable = bool(writable)
        self._quiet = bool(quiet)
        self._binary = False
        self._autospacing = True
        self._has_error = False
        self._long_size = 0

    # -- subclass interface --------------------------------------------------
    def _is_open(self):
        raise NotImplementedError

    def _order(self):
        return "="  # memory files are always native; DiskFile can change it

    # -- flags (usable on a closed file, as in Torch) ------------------------
    def isQuiet(self):
        return self._quiet

    def isReadable(self):
        return self._readable

    def isWritable(self):
        return self._writable

    def isBinary(self):
        return self._binary

    def isAutoSpacing(self):
        return self._autospacing

    def hasError(self):
        return self._has_error

    def binary(self):
        self._binary = True
        return self

    def ascii(self):
        self._binary = False
        return self

    def autoSpacing(self):
        self._autospacing = True
        return self

    def noAutoSpacing(self):
        self._autospacing = False
        return self

    def quiet(self):
        self._quiet = True
        return self

    def pedantic(self):
        self._quiet = False
        return self

    def clearError(self):
        self._has_error = False
        return self

    def longSize(self, size):
        self._check_open()
        return self._set_long_size(size)

    def _set_long_size(self, size):
        size = int(size)
        if size not in (0, 4, 8):
            raise TorchFileError("Invalid long size specified", 1)
        self._long_size = size
        return self

    # -- checks and error reporting ------------------------------------------
    def _check_open(self):
        if not self._is_open():
            raise TorchFileError("attempt to use a closed file", 1)

    def _check_read(self):
        self._check_open()
        if not self._readable:
            raise TorchFileError("attempt to read in a write-only file", 1)

    def _check_write(self):
        self._check_open()
        if not self._writable:
            raise TorchFileError("attempt to write in a read-only file", 1)

    def _fail(self, message):
        self._has_error = True
        if not self._quiet:
            raise TorchFileError(message)

    # -- element reading -----------------------------------------------------
    def _binary_dtype(self, kind):
        order = self._order()
        if kind == "Long" and self._long_size == 4:
            return np.dtype(np.int32).newbyteorder(order)
        return _DTYPE[kind].newbyteorder(order)

    def read_array(self, kind, n):
        """Read `n` elements; returns a NumPy array (shorter only in quiet mode
        after a read error), as Lua's ``f:readInt(n)`` returns a storage."""
        _kind(kind)
        n = int(n)
        if n < 0:
            raise TorchFileError("number of elements to read must be non-negative", 2)
        self._check_read()
        arr = self._read_elements(kind, n)
        if arr.size != n:
            self._fail("read error: read %d blocks instead of %d" % (arr.size, n))
        return arr

    def read_into(self, kind, arr):
        """Fill the contiguous array `arr` (dtype of `kind`) from the file, as Lua's
        ``f:readInt(storage)``; returns the number of elements read."""
        _kind(kind)
        if not isinstance(arr, np.ndarray) or arr.dtype != _DTYPE[kind] \
                or not arr.flags.c_contiguous or not arr.flags.writeable:
            raise ValueError("read_into needs a writable C-contiguous %s array" % _DTYPE[kind])
        self._check_read()
        n = arr.size
        if self._binary and n and self._binary_dtype(kind) == arr.dtype:
            # same layout on disk as in memory: read straight into the storage
            got_n = self._read_raw_into(memoryview(arr.reshape(-1)).cast("B")) // arr.itemsize
            if got_n != n:
                self._fail("read error: read %d blocks instead of %d" % (got_n, n))
            return got_n
        got = self._read_elements(kind, n)
        arr.reshape(-1)[:got.size] = got
        if got.size != n:
            self._fail("read error: read %d blocks instead of %d" % (got.size, n))
        return got.size

    def _read_raw_into(self, view):
        """Fill the byte view from the file; returns the number of bytes read."""
        data = self._read_blocks(1, len(view))
        view[:len(data)] = data
        return len(data)

    def read_scalar(self, kind):
        """One element as a Python int/float (0 after a quiet read error)."""
        got = self.read_array(kind, 1)
        if got.size == 0:
            return 0.0 if kind in _FLOAT_DIGITS else 0
        return got[0].item()

    def _read_elements(self, kind, n):
        dtype = _DTYPE[kind]
        if self._binary:
            fdt = self._binary_dtype(kind)
            data = self._read_blocks(fdt.itemsize, n)
            arr = np.frombuffer(data, dtype=fdt)
            if arr.dtype != dtype:
                arr = arr.astype(dtype)
            return _own(arr)
        if kind in ("Byte", "Char"):
            # ascii mode still moves chars/bytes raw (THDiskFile's "trick")
            data = self._read_blocks(1, n)
            arr = np.frombuffer(data, dtype=dtype)
        else:
            tokens = self._scan(_INT_TOKEN if kind in _INT_BITS else _FLOAT_TOKEN, n)
            if kind in _INT_BITS:
                arr = np.array([_parse_int(t, kind) for t in tokens], dtype=dtype)
            elif kind == "Double":
                arr = np.array([_parse_double(t) for t in tokens], dtype=dtype)
            else:
                arr = np.array([_parse_float32(t) for t in tokens], dtype=np.float32)
                if kind == "Half":
                    with np.errstate(over="ignore"):
                        arr = arr.astype(np.float16)
        if self._autospacing and n > 0:
            self._swallow_newline()
        return _own(arr)

    # -- element writing -----------------------------------------------------
    def write_array(self, kind, arr):
        """Write every element of `arr` (converted to `kind`, C order), as Lua's
        ``f:writeInt(storage)``; returns the number of elements written."""
        _kind(kind)
        self._check_write()
        arr = np.asarray(arr)
        if arr.dtype != _DTYPE[kind]:
            with np.errstate(all="ignore"):
                arr = arr.astype(_DTYPE[kind])
        arr = arr.reshape(-1)
        n = arr.size
        if self._binary:
            data = np.ascontiguousarray(arr, dtype=self._binary_dtype(kind)).tobytes()
        elif n == 0:
            data = b""
        else:
            nl = b"\n" if self._autospacing else b""
            if kind in ("Byte", "Char"):
                data = arr.tobytes() + nl
            else:
                sep = " " if self._autospacing else ""
                data = sep.join(_format_ascii(kind, arr)).encode("ascii") + nl
        if data:
            self._write_bytes(data, n)
        return n

    def write_scalar(self, kind, value):
        """Write one number converted as C converts a Lua number into `kind`."""
        _kind(kind)
        self._check_write()
        self.write_array(kind, np.array([c_cast(kind, value)], dtype=_DTYPE[kind]))

    # Lua-style entry points: readInt() -> number, readInt(n) -> array,
    # readInt(array) -> count; writeInt(number) / writeInt(array) -> count.
    def _lua_read(self, kind, arg):
        if arg is None:
            return self.read_scalar(kind)
        if isinstance(arg, np.ndarray):
            return self.read_into(kind, arg)
        if isinstance(arg, (int, float, np.integer, np.floating)) and not isinstance(arg, bool):
            return self.read_array(kind, int(arg))
        raise TorchFileError("nothing, number, or %sStorage expected" % kind)

    def _lua_write(self, kind, arg):
        if isinstance(arg, np.ndarray):
            return self.write_array(kind, arg)
        if isinstance(arg, (int, float, np.integer, np.floating)) and not isinstance(arg, bool):
            self.write_scalar(kind, arg)
            return None
        raise TorchFileError("number, or %sStorage expected" % kind)

    def readByte(self, arg=None): return self._lua_read("Byte", arg)
    def readChar(self, arg=None): return self._lua_read("Char", arg)
    def readShort(self, arg=None): return self._lua_read("Short", arg)
    def readInt(self, arg=None): return self._lua_read("Int", arg)
    def readLong(self, arg=None): return self._lua_read("Long", arg)
    def readFloat(self, arg=None): return self._lua_read("Float", arg)
    def readDouble(self, arg=None): return self._lua_read("Double", arg)
    def writeByte(self, arg): return self._lua_write("Byte", arg)
    def writeChar(self, arg): return self._lua_write("Char", arg)
    def writeShort(self, arg): return self._lua_write("Short", arg)
    def writeInt(self, arg): return self._lua_write("Int", arg)
    def writeLong(self, arg): return self._lua_write("Long", arg)
    def writeFloat(self, arg): return self._lua_write("Float", arg)
    def writeDouble(self, arg): return self._lua_write("Double", arg)

    # -- strings -------------------------------------------------------------
    def readString(self, fmt):
        """'*a' (the rest) or '*l' (a line, without its newline) as bytes."""
        self._check_read()
        if isinstance(fmt, bytes):
            fmt = fmt.decode("latin-1")
        if not (isinstance(fmt, str) and len(fmt) >= 2 and fmt[0] == "*" and fmt[1] in "al"):
            raise TorchFileError("format must be '*a' or '*l'", 2)
        data = self._read_string(fmt[1])
        if data is None:
            self._fail("read error: read 0 blocks instead of 1")
            return b""
        return data

    def writeString(self, s):
        """Write the raw bytes of `s` (no spacing, in any mode); returns the count."""
        self._check_write()
        if isinstance(s, str):
            s = s.encode("utf-8")
        elif isinstance(s, (bytearray, memoryview)):
            s = bytes(s)
        elif not isinstance(s, bytes):
            raise TorchFileError("string expected, got %s" % type(s).__name__, 2)
        if s:
            self._write_bytes(s, len(s))
        return len(s)

    # -- positioning ---------------------------------------------------------
    def seek(self, pos):
        """Go to the 1-based byte position `pos` (Torch's Lua convention)."""
        p = int(pos) - 1
        if p < 0:
            raise TorchFileError("position has to be greater than 0!", 2)
        self._check_open()
        self._seek0(p)
        return self

    def seekEnd(self):
        self._check_open()
        self._seek_end()
        return self

    def position(self):
        """The 1-based byte position."""
        self._check_open()
        return self._tell() + 1

    def synchronize(self):
        self._check_open()
        self._sync()
        return self

    def close(self):
        self._check_open()
        self._close()
        return self

    def tostring(self):
        return self._typename

    def __repr__(self):
        return self.tostring()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._is_open():
            self._close()
        return False

    def _mode_chars(self):
        return ("r" if self._readable else " ") + ("w" if self._writable else " ")

    def _status(self):
        return "open" if self._is_open() else "closed"

    # -- ascii scanning, shared by disk and memory files ----------------------
    def _scan(self, regex, n):
        """Up to `n` number tokens, stopping at the first that scanf would reject."""
        src = self._scan_source(n)
        tokens = []
        try:
            for _ in range(n):
                while True:
                    m = regex.match(src.buf, src.pos, src.end)
                    stop = m.end() if m else _WS.match(src.buf, src.pos, src.end).end()
                    if src.eof or src.end - stop >= _LOOKAHEAD or not src.more():
                        break
                if m is None:
                    if src.consume_ws_on_failure:
                        src.pos = stop
                    break
                tokens.append(m.group(1))
                src.pos = m.end()
        finally:
            src.done()
        return tokens


class _MemorySource:
    """Scanning window over a memory file: sscanf stops at the first NUL."""
    consume_ws_on_failure = False  # sscanf failures leave the position alone
    eof = True

    def __init__(self, mf):
        self.mf = mf
        self.buf = mf._buf
        self.pos = mf._pos
        end = self.buf.find(b"\0", self.pos)
        self.end = len(self.buf) if end < 0 else end

    def more(self):
        return False

    def done(self):
        self.mf._pos = self.pos


class _DiskSource:
    """Scanning window over a disk/pipe file, read ahead in chunks; what is not
    consumed is given back (seek back, or kept for the next read on a pipe)."""
    consume_ws_on_failure = True  # fscanf has eaten the white space by then

    def __init__(self, df, hint):
        self.df = df
        self.buf = bytearray(df._ahead)
        df._ahead = b""
        self.eof = False
        self.pos = 0
        self.end = len(self.buf)
        if self.end < hint:
            self._fill(max(hint - self.end, 256))

    def _fill(self, k):
        # read1: a pipe must not block waiting for more than is already there
        chunk = self.df._f.read1(k)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        self.end = len(self.buf)
        return True

    def more(self):
        return self._fill(max(_CHUNK, len(self.buf)))

    def done(self):
        self.df._give_back(bytes(self.buf[self.pos:]))


class DiskFile(File):
    """torch.DiskFile(path, mode='r', quiet=False): a file on disk."""

    _typename = "torch.DiskFile"

    def __init__(self, path, mode="r", quiet=False):
        try:
            name = os.fsdecode(os.fspath(path))
        except TypeError:
            raise TorchFileError("string expected, got %s" % type(path).__name__, 1) from None
        readable, writable = self._parse_mode(mode)
        super().__init__(readable, writable, quiet)
        self.name = name
        self._ahead = b""
        self._order_char = "="
        self._unbuffered = False
        self._f = None
        self._f = self._open(name, readable, writable)

    @classmethod
    def new(cls, *args, **kwargs):
        """torch.DiskFile's constructor: None instead of an error when opening
        fails in quiet mode."""
        try:
            return cls(*args, **kwargs)
        except TorchFileError as e:
            quiet = kwargs.get("quiet", args[2] if len(args) > 2 else False)
            if quiet and e.argnum is None:
                return None
            raise

    @staticmethod
    def _parse_mode(mode):
        if mode == "r":
            return True, False
        if mode == "w":
            return False, True
        if mode == "rw":
            return True, True
        raise TorchFileError("file mode should be 'r','w' or 'rw'", 2)

    def _open(self, name, readable, writable):
        try:
            if readable and writable:
                try:
                    return open(name, "r+b")
                except FileNotFoundError:
                    open(name, "wb").close()
                    return open(name, "r+b")
            return open(name, "rb" if readable else "wb")
        except OSError:
            raise TorchFileError("cannot open <%s> in mode %s" % (name, self._mode_chars())) from None

    def __del__(self):
        f = getattr(self, "_f", None)
        if f is not None:
            try:
                self._close()
            except Exception:
                pass

    def _is_open(self):
        return self._f is not None

    def _order(self):
        return self._order_char

    # -- DiskFile-only methods -----------------------------------------------
    @staticmethod
    def isLittleEndianCPU():
        return sys.byteorder == "little"

    @staticmethod
    def isBigEndianCPU():
        return sys.byteorder == "big"

    def nativeEndianEncoding(self):
        self._check_open()
        self._order_char = "="
        return self

    def littleEndianEncoding(self):
        self._check_open()
        self._order_char = "<"
        return self

    def bigEndianEncoding(self):
        self._check_open()
        self._order_char = ">"
        return self

    def noBuffer(self):
        self._check_open()
        self._sync()
        self._unbuffered = True  # every write is flushed to the OS at once
        return self

    def tostring(self):
        return "torch.DiskFile on <%s> [status: %s -- mode %s]" % (
            self.name, self._status(), self._mode_chars())

    def bytes_remaining(self):
        """Bytes between the position and the end of file (None for pipes).
        Not a Torch method: the .t7 reader uses it to refuse absurd lengths."""
        self._check_open()
        left = self._left_on_disk()
        return None if left is None else left + len(self._ahead)

    # -- primitives ----------------------------------------------------------
    def _give_back(self, data):
        if not data:
            return
        try:
            self._f.seek(-len(data), io.SEEK_CUR)
        except (OSError, ValueError, io.UnsupportedOperation):
            self._ahead = data + self._ahead  # pipes cannot seek back

    def _take(self, k):
        """Up to `k` bytes, from the read-ahead first; chunked so that a huge `k`
        never allocates more than the file really holds."""
        parts = []
        if self._ahead:
            head, self._ahead = self._ahead[:k], self._ahead[k:]
            parts.append(head)
            k -= len(head)
        left = None
        if k > _CHUNK:
            left = self._left_on_disk()
        if left is not None and k > 0:
            buf = bytearray(min(k, left))
            view, got = memoryview(buf), 0
            while got < len(buf):
                r = self._f.readinto(view[got:])
                if not r:
                    break
                got += r
            parts.append(bytes(view[:got]) if got < len(buf) else buf)
        else:
            while k > 0:
                chunk = self._f.read(min(k, 1 << 24))
                if not chunk:
                    break
                parts.append(chunk)
                k -= len(chunk)
        if len(parts) == 1:
            return parts[0]
        return b"".join(parts)

    def _read_raw_into(self, view):
        # the read-ahead first, then the file itself into the caller's memory: no
        # temporary as large as the data (fresh pages cost as much as the read)
        got = 0
        if self._ahead:
            head, self._ahead = self._ahead[:len(view)], self._ahead[len(view):]
            view[:len(head)] = head
            got = len(head)
        while got < len(view):
            r = self._f.readinto(view[got:])
            if not r:
                break
            got += r
        return got

    def _left_on_disk(self):
        try:
            if self._writable:
                self._f.flush()  # so that fstat sees what was written
            return max(0, os.fstat(self._f.fileno()).st_size - self._f.tell())
        except (OSError, ValueError, io.UnsupportedOperation):
            return None

    def _read_blocks(self, size, n):
        data = self._take(size * n)
        # fread consumes a trailing partial element too; only whole ones count
        whole = (len(data) // size) * size
        if whole != len(data):
            data = data[:whole]
        return bytearray(data) if not isinstance(data, bytearray) else data

    def _swallow_newline(self):
        c = self._take(1)
        if c and c != b"\n":
            self._give_back(c)

    def _scan_source(self, n):
        return _DiskSource(self, min(24 * n, 1 << 20) + _LOOKAHEAD)

    def _read_string(self, how):
        if how == "a":
            data = self._ahead + self._f.read()
            self._ahead = b""
        else:
            nl = self._ahead.find(b"\n")
            if nl >= 0:
                data, self._ahead = self._ahead[:nl + 1], self._ahead[nl + 1:]
            else:
                data = self._ahead + self._f.readline()
                self._ahead = b""
            if data.endswith(b"\n"):
                return data[:-1]
        return data if data else None

    def _write_bytes(self, data, n):
        try:
            self._f.write(data)
            if self._unbuffered:
                self._f.flush()
        except OSError:
            # a buffered Python file writes everything or raises
            self._fail("write error: wrote 0 blocks instead of %d" % n)

    def _seek0(self, p):
        try:
            self._ahead = b""
            self._f.seek(p)
        except (OSError, ValueError, OverflowError, io.UnsupportedOperation):
            self._fail("unable to seek to position %d" % p)

    def _seek_end(self):
        try:
            self._ahead = b""
            self._f.seek(0, io.SEEK_END)
        except (OSError, ValueError, io.UnsupportedOperation):
            self._fail("unable to seek at end of file")

    def _tell(self):
        try:
            return self._f.tell() - len(self._ahead)
        except (OSError, ValueError, io.UnsupportedOperation):
            if not self._quiet:
                raise TorchFileError(
                    "unable to obtain disk file offset (maybe a long overflow occurred)") from None
            return 0

    def _sync(self):
        try:
            self._f.flush()
        except (OSError, ValueError):
            pass

    def _close(self):
        f, self._f = self._f, None
        self._ahead = b""
        f.close()


class PipeFile(DiskFile):
    """torch.PipeFile(command, mode='r', quiet=False): the standard output ('r')
    or input ('w') of a shell command, as popen gives it."""

    _typename = "torch.PipeFile"

    @staticmethod
    def _parse_mode(mode):
        if mode == "r":
            return True, False
        if mode == "w":
            return False, True
        raise TorchFileError("file mode should be 'r','w'", 2)

    def _open(self, name, readable, writable):
        try:
            self._proc = subprocess.Popen(
                name, shell=True,
                stdout=subprocess.PIPE if readable else None,
                stdin=subprocess.PIPE if writable else None)
        except OSError:
            raise TorchFileError(
                "cannot open <%s> in mode %s.  This might be because eg the executable doesn't "
                "exist, but it could also be because you are out of memory."
                % (name, self._mode_chars())) from None
        return self._proc.stdout if readable else self._proc.stdin

    def tostring(self):
        return "torch.PipeFile on <%s> [status: %s -- mode: %s]" % (
            self.name, self._status(), self._mode_chars())

    def _left_on_disk(self):
        return None

    def _close(self):
        f, self._f = self._f, None
        self._ahead = b""
        try:
            f.close()
        finally:
            self._proc.wait()


class MemoryFile(File):
    """torch.MemoryFile([mode]) or torch.MemoryFile(storage, [mode]).

    `storage` is the CharStorage's bytes, which must end with the NUL byte
    Torch requires; :meth:`from_bytes` adds it for plain data. The file keeps
    its own copy: :meth:`storage_bytes` returns what ``f:storage()`` holds."""

    _typename = "torch.MemoryFile"

    def __init__(self, storage="rw", mode=None):
        if isinstance(storage, str):
            mode, storage = storage, None
        if storage is not None:
            if isinstance(storage, np.ndarray):
                storage = storage.tobytes()
            try:
                data = bytes(storage)
            except TypeError:
                raise TorchFileError("torch.CharStorage expected", 1) from None
            if not data or data[-1] != 0:
                raise TorchFileError("provided CharStorage must be terminated by 0", 1)
            buf = bytearray(data[:-1])
        else:
            buf = bytearray()
        mode = "rw" if mode is None else mode
        if mode not in ("r", "w", "rw"):
            raise TorchFileError("file mode should be 'r','w' or 'rw'", 2)
        super().__init__("r" in mode, "w" in mode)
        self._buf = buf
        self._pos = 0

    @classmethod
    def from_bytes(cls, data, mode="r"):
        """A memory file holding `data` (the NUL terminator is added)."""
        return cls(bytes(data) + b"\0", mode)

    def _is_open(self):
        return self._buf is not None

    def storage_bytes(self):
        """The contents plus the trailing NUL, as ``f:storage()`` returns them."""
        self._check_open()
        return bytes(self._buf) + b"\0"

    def longSize(self, size):
        return self._set_long_size(size)  # THMemoryFile does not check for closed

    def bytes_remaining(self):
        """Bytes between the position and the end (not a Torch method)."""
        self._check_open()
        return len(self._buf) - self._pos

    def tostring(self):
        return "torch.MemoryFile [status: %s -- mode: %s]" % (self._status(), self._mode_chars())

    def _read_blocks(self, size, n):
        if n == 0:
            return bytearray()
        k = min(n, (len(self._buf) - self._pos) // size) * size
        data = self._buf[self._pos:self._pos + k]
        self._pos += k
        return data

    def _swallow_newline(self):
        if self._pos < len(self._buf) and self._buf[self._pos] == 0x0A:
            self._pos += 1

    def _scan_source(self, n):
        return _MemorySource(self)

    def _read_string(self, how):
        if self._pos == len(self._buf):
            return None
        if how == "l":
            nl = self._buf.find(b"\n", self._pos)
            if nl >= 0:
                data = bytes(self._buf[self._pos:nl])
                self._pos = nl + 1
                return data
        data = bytes(self._buf[self._pos:])
        self._pos = len(self._buf)
        return data

    def _write_bytes(self, data, n):
        self._buf[self._pos:self._pos + len(data)] = data
        self._pos += len(data)

    def _seek0(self, p):
        if p <= len(self._buf):
            self._pos = p
        else:
            self._fail("unable to seek at position %d" % p)

    def _seek_end(self):
        self._pos = len(self._buf)

    def _tell(self):
        return self._pos

    def _sync(self):
        pass

    def _close(self):
        self._buf = None
