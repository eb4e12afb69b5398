"""The tensor element types, in Torch7's order, and their C/NumPy equivalents.

The index of a type in TYPES is what Lua receives to pick the matching metatable
(see lua_prelude/torch/Tensor.lua), so the order is part of the Lua/Python contract.
"""
import numpy as np


class TypeInfo:
    __slots__ = ("index", "name", "dtype", "ctype", "is_float", "itemsize", "tensor_name",
                 "storage_name", "base")

    def __init__(self, index, name, dtype, ctype, base=None):
        self.index = index
        self.name = name                      # 'Double'
        self.dtype = np.dtype(dtype)
        self.ctype = ctype                    # C element type for LuaJIT's FFI
        self.is_float = self.dtype.kind == "f"
        self.itemsize = self.dtype.itemsize
        self.tensor_name = "torch.%sTensor" % name
        self.storage_name = "torch.%sStorage" % name
        # cutorch's types run on the CPU: `base` is the index of the CPU type whose
        # dtype and kernels they share (None for the CPU types themselves).
        self.base = base


TYPES = [
    TypeInfo(0, "Byte", np.uint8, "unsigned char"),
    TypeInfo(1, "Char", np.int8, "signed char"),
    TypeInfo(2, "Short", np.int16, "short"),
    TypeInfo(3, "Int", np.int32, "int"),
    TypeInfo(4, "Long", np.int64, "int64_t"),
    TypeInfo(5, "Float", np.float32, "float"),
    TypeInfo(6, "Double", np.float64, "double"),
    # torch.CudaTensor & co. (require 'cutorch'): CPU tensors under cutorch's names
    TypeInfo(7, "Cuda", np.float32, "float", base=5),
    TypeInfo(8, "CudaLong", np.int64, "int64_t", base=4),
    TypeInfo(9, "CudaByte", np.uint8, "unsigned char", base=0),
    TypeInfo(10, "CudaDouble", np.float64, "double", base=6),
]

BY_NAME = {t.name: t for t in TYPES}
BY_DTYPE = {t.dtype: t for t in TYPES if t.base is None}

BYTE, CHAR, SHORT, INT, LONG, FLOAT, DOUBLE = TYPES[:7]

# Geometry capacity of the per-tensor metadata block read by LuaJIT's FFI.
MAXDIM = 24


def type_of_dtype(dtype):
    """TypeInfo for a NumPy dtype (bool maps to Byte, as a mask would in Torch)."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return BYTE
    t = BY_DTYPE.get(dtype.newbyteorder("=")) if dtype.byteorder not in "=|" else BY_DTYPE.get(dtype)
    if t is None:
        raise TypeError("no torch tensor type for NumPy dtype %s" % dtype)
    return t
