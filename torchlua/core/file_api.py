"""Core exports behind torch.DiskFile / torch.MemoryFile / torch.PipeFile (File.lua).

Each Lua file method is one crossing into the Python File of
torchlua.serialization.file. Raw data of storages moves straight between the file
and the storage's NumPy array. Byte strings cross as CharStorages (Lua strings
reaching Python are decoded text, so binary data never travels as a string)."""
import numpy as np

from ..serialization import file as F
from .errors import TorchError
from .storage import Storage
from .tensor_api import sret
from .types import TYPES

_KINDS = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double")


def _ti(kind):
    return _KINDS.index(kind)


def file_disk(path, mode, quiet):
    return F.DiskFile(path, mode or "r", bool(quiet))


def file_pipe(cmd, mode, quiet):
    return F.PipeFile(cmd, mode or "r", bool(quiet))


def file_memory(storage, mode):
    if storage is None:
        return F.MemoryFile(mode or "rw")
    return F.MemoryFile(storage.data.tobytes(), mode or "rw")


def file_memory_storage(f):
    data = f.storage_bytes()
    return sret(Storage(TYPES[_ti("Char")], np.frombuffer(data, dtype=np.int8).copy()))


def file_method(f, name, *args):
    """Methods without data arguments (binary, ascii, seek, position, close, ...)."""
    if name.startswith("_") or name not in _PLAIN:
        raise TorchError("unknown File method %s" % name)
    r = getattr(f, name)(*args)
    return None if r is f else r


_PLAIN = {"isQuiet", "isReadable", "isWritable", "isBinary", "isAutoSpacing", "hasError",
          "binary", "ascii", "autoSpacing", "noAutoSpacing", "quiet", "pedantic", "clearError",
          "longSize", "seek", "seekEnd", "position", "synchronize", "close", "tostring",
          "nativeEndianEncoding", "littleEndianEncoding", "bigEndianEncoding", "noBuffer",
          "isLittleEndianCPU", "isBigEndianCPU"}


def file_read_scalar(f, kind):
    return f.read_scalar(kind)


def file_write_scalar(f, kind, v):
    f.write_scalar(kind, v)


def file_read_storage_new(f, kind, n):
    """f:readX(n) -> a new XStorage holding what was read."""
    arr = f.read_array(kind, n)
    return sret(Storage(TYPES[_ti(kind)], np.ascontiguousarray(arr, dtype=TYPES[_ti(kind)].dtype)))


def file_read_into(f, kind, s):
    """f:readX(storage): fill the storage (any type; converted from `kind`)."""
    if s.data.dtype == F._DTYPE[kind] and s.data.flags.c_contiguous and s.data.flags.writeable:
        return f.read_into(kind, s.data)
    tmp = np.empty(s.data.size, F._DTYPE[kind])
    n = f.read_into(kind, tmp)
    s.data[:n] = tmp[:n]
    return n


def file_write_storage(f, kind, s):
    return f.write_array(kind, s.data)


def file_read_string(f, fmt):
    data = f.readString(fmt)
    return sret(Storage(TYPES[_ti("Char")], np.frombuffer(bytes(data), dtype=np.int8).copy()))


def file_write_string(f, s):
    return f.writeString(s.data.tobytes())


def _torch_words(f):
    """A File argument check (TorchFileError with argnum) reaches Lua as luaL_argerror
    words, which File.lua renames and renumbers for the call the script made."""
    def call(*args):
        try:
            return f(*args)
        except F.TorchFileError as e:
            if e.argnum:
                raise TorchError("bad argument #%d to '?' (%s)" % (e.argnum, e.message)) from None
            raise
    call.__name__ = f.__name__
    return call


EXPORTS = {k: _torch_words(v) for k, v in globals().items() if k.startswith("file_")}
