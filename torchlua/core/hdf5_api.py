"""The h5py calls behind the `hdf5` package (torch-hdf5's interface).

h5py is optional (`pip install 'torchlua[hdf5]'`); it is imported on first use so
that a script that never touches HDF5 does not pay for it."""
import numpy as np

from .errors import TorchError
from .tensor import Tensor
from .tensor_api import ret

INSTALL_HINT = ("hdf5: h5py is not installed; torchlua reads and writes HDF5 files through it: "
                "pip install 'torchlua[hdf5]'")

_MODES = {"r": "r", "r+": "r+", "w": "w", "w-": "w-", "x": "x", "a": "a"}


def _h5py():
    try:
        import h5py
    except ImportError:
        raise TorchError(INSTALL_HINT) from None
    return h5py


def h5_available():
    try:
        import h5py  # noqa: F401
        return True
    except ImportError:
        return False


def h5_open(path, mode):
    h5py = _h5py()
    if mode not in _MODES:
        raise TorchError("hdf5.open: unknown mode '%s' (expected r, r+, w, w- or a)" % mode)
    try:
        return h5py.File(path, _MODES[mode])
    except (OSError, ValueError) as e:
        raise TorchError("HDF5File: cannot open '%s' (mode %s): %s" % (path, mode, e)) from None


def h5_close(f):
    f.close()


def _get(f, name):
    try:
        return f[name]
    except KeyError:
        return None


def h5_kind(f, name):
    """'dataset', 'group', or None when `name` does not exist."""
    h5py = _h5py()
    obj = _get(f, name)
    if obj is None:
        return None
    return "group" if isinstance(obj, h5py.Group) else "dataset"


def h5_keys(f, name):
    return "\0".join(sorted(f[name].keys()))


def _to_tensor(arr):
    arr = np.asarray(arr)
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8)
    elif arr.dtype.kind == "u" and arr.dtype != np.uint8:
        arr = arr.astype(np.int64)
    elif arr.dtype.kind == "f" and arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float32)
    elif arr.dtype.kind not in "iuf":
        raise TorchError("HDF5DataSet: cannot read data of type %s into a tensor" % arr.dtype)
    return ret(Tensor.from_array(np.array(arr, order="C", copy=True)))


def h5_read_all(f, name):
    return _to_tensor(f[name][()])


def h5_read_partial(f, name, *ranges):
    """ranges: start1, end1, start2, end2, ... 1-based and inclusive, as torch-hdf5 takes them."""
    ds = f[name]
    if len(ranges) != 2 * ds.ndim:
        raise TorchError("HDF5DataSet:partial() expects %d ranges (one per dimension), got %d"
                         % (ds.ndim, len(ranges) // 2))
    sl = []
    for d in range(ds.ndim):
        a, b = int(ranges[2 * d]), int(ranges[2 * d + 1])
        if a < 1 or b > ds.shape[d] or a > b:
            raise TorchError("HDF5DataSet:partial() range {%d, %d} out of bounds for dimension %d "
                             "of size %d" % (a, b, d + 1, ds.shape[d]))
        sl.append(slice(a - 1, b))
    return _to_tensor(ds[tuple(sl)])


def h5_dataspace(f, name):
    return tuple(int(n) for n in f[name].shape)


def h5_dtype(f, name):
    k = np.dtype(f[name].dtype)
    table = {"float64": "Double", "float32": "Float", "float16": "Float", "int64": "Long",
             "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte"}
    return table.get(k.name, "Double" if k.kind == "f" else "Long")


def h5_write(f, name, t, chunks, deflate):
    arr = np.ascontiguousarray(t.a) if t.size else np.empty((0,), t.t.dtype)
    if name in f:
        del f[name]
    kw = {}
    if chunks:
        kw["chunks"] = tuple(int(c) for c in chunks.split(","))
    if deflate is not None:
        kw["compression"] = "gzip"
        kw["compression_opts"] = int(deflate)
    try:
        f.create_dataset(name, data=arr, **kw)
    except (ValueError, TypeError) as e:
        raise TorchError("HDF5File:write: cannot write '%s': %s" % (name, e)) from None


EXPORTS = {name: fn for name, fn in globals().items() if name.startswith("h5_") and callable(fn)}
