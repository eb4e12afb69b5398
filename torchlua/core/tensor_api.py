"""Core exports: storages, tensor construction, geometry, copy/fill.

See api.py for the calling conventions shared by all families."""
import numpy as np

from .errors import TorchError
from .storage import Storage
from .tensor import Tensor
from .types import TYPES


def ret(t):
    return t, t.t.index, t.meta_addr


def sret(s):
    return s, s.t.index, s.hdr_addr


def _sizes_str(size):
    return "[" + " x ".join(str(s) for s in size) + "]" if size else "[]"


def check_same_numel(dst, src, name="copy"):
    n, m = dst.nelement(), src.nelement()
    if n != m:
        raise TorchError(
            "inconsistent tensor size, expected tensor %s and src %s to have the same number of "
            "elements, but got %d and %d elements respectively"
            % (_sizes_str(dst.size), _sizes_str(src.size), n, m))


def copy_into(dst, src):
    """TH copy: element-wise in logical order, any types, same number of elements."""
    check_same_numel(dst, src)
    if not dst.size:
        return
    a = src.a
    if a.shape != dst.size:
        a = a.reshape(dst.size)
    np.copyto(dst.a, a, casting="unsafe")


# -- storages --------------------------------------------------------------------
def storage_new(ti, n=0):
    return sret(Storage.new(TYPES[ti], n))


def storage_view(ti, src, offset, size):
    return sret(Storage.view_of(TYPES[ti], src, offset, size))


def storage_resize(s, n):
    s.resize(n)


def storage_fill(s, v):
    s.data.fill(v)


def storage_copy(s, src):
    data = src.data if isinstance(src, Storage) else src.a.reshape(-1)
    if data.size != s.data.size:
        raise TorchError("bad argument #2 to 'copy' (sizes do not match)")
    np.copyto(s.data, data, casting="unsafe")


def storage_pointer(s):
    return s.hdr[0]


# -- tensors ---------------------------------------------------------------------
def tensor_new(ti):
    return ret(Tensor(TYPES[ti]))


def tensor_new_sizes(ti, *sizes):
    return ret(Tensor.of_size(TYPES[ti], sizes))


def tensor_new_view(ti, storage, offset, nd, *geom):
    """torch.Tensor(storage, offset, sizes, strides): geom = sizes..., strides...
    (a stride < 0 means 'contiguous')."""
    size, stride = geom[:nd], list(geom[nd:2 * nd])
    t = Tensor(TYPES[ti])
    t._geom(storage, offset, (), ())
    t.resize(size, stride)
    if storage is not None and t.size:
        total = 1 + sum((n - 1) * s for n, s in zip(t.size, t.stride))
        if total + offset > storage.data.size:
            raise TorchError("bad argument #2 (storage size too small for the requested view)")
    return ret(t)


def tensor_share(src):
    """A new tensor object with the same geometry (torch.Tensor(tensor))."""
    return ret(src.new_view())


def tensor_set(t, storage, offset, nd, *geom):
    size, stride = geom[:nd], list(geom[nd:2 * nd])
    if stride and any(s < 0 for s in stride):
        from .tensor import contiguous_strides
        cs = contiguous_strides(size)
        stride = [cs[d] if stride[d] < 0 else stride[d] for d in range(nd)]
    t.set_(storage, offset, size, stride)


def tensor_set_tensor(t, src):
    t.set_(src.storage, src.offset, src.size, src.stride)


def tensor_resize(t, *sizes):
    t.resize(sizes)


def tensor_resize_strided(t, nd, *geom):
    t.resize(geom[:nd], geom[nd:2 * nd])


def tensor_storage(t):
    if t.storage is None:
        return None
    return sret(t.storage)


def tensor_narrow(t, dim, first, n):
    return ret(t.narrow(dim, first, n))


def tensor_select(t, dim, index):
    return ret(t.select(dim, index))


def tensor_transpose(t, d1, d2):
    return ret(t.transpose(d1, d2))


def tensor_unfold(t, dim, size, step):
    return ret(t.unfold(dim, size, step))


def tensor_squeeze(t, dim=None):
    return ret(t.squeeze(dim))


def tensor_squeeze_(t, dim=None):
    s = t.squeeze(dim)
    t._geom(s.storage, s.offset, s.size, s.stride)


def tensor_unsqueeze(t, dim):
    return ret(t.unsqueeze(dim))


def tensor_view(t, *sizes):
    """A view with new sizes of a contiguous tensor (the Lua side resolves -1)."""
    from .tensor import contiguous_strides
    return ret(Tensor(t.t, t.storage, t.offset, sizes, contiguous_strides(sizes)))


def tensor_expand(t, *sizes):
    nd = len(t.size)
    if len(sizes) != nd:
        raise TorchError("the number of dimensions provided must equal tensor:dim()")
    stride = list(t.stride)
    for d in range(nd):
        if t.size[d] != sizes[d]:
            if t.size[d] != 1:
                raise TorchError("incorrect size: only supporting singleton expansion (size=1)")
            stride[d] = 0
    return ret(Tensor(t.t, t.storage, t.offset, sizes, stride))


def tensor_permute(t, *perm):
    return ret(Tensor(t.t, t.storage, t.offset, [t.size[p] for p in perm],
                      [t.stride[p] for p in perm]))


def tensor_clone(t):
    return ret(t.clone())


def tensor_convert(t, ti):
    """A copy of t as another type (Tensor:type(name) when the type differs)."""
    return ret(t.clone(TYPES[ti]))


def tensor_copy(t, src):
    copy_into(t, src)


def tensor_fill(t, v):
    if t.size:
        t.a.fill(v)


def tensor_zero(t):
    if t.size:
        t.a.fill(0)


def tensor_equal_geometry(t, src):
    return t.size == src.size


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith(("storage_", "tensor_")) and callable(fn)}


def tensor_tostring(t, typename):
    from .printing import format_tensor
    return format_tensor(typename, t.a if t.size else t.a[0:0])


def storage_tostring(s, typename):
    from .printing import format_storage
    return format_storage(typename, s.data)


EXPORTS["tensor_tostring"] = tensor_tostring
EXPORTS["storage_tostring"] = storage_tostring


def tensor_view_of(t, offset, nd, *geom):
    """A new tensor on t's storage with the given geometry (computed by Lua for slicing)."""
    return ret(Tensor(t.t, t.storage, offset, geom[:nd], geom[nd:2 * nd]))


EXPORTS["tensor_view_of"] = tensor_view_of
