"""torchlua.kernels -- the THNN of torchlua: plain functions over NumPy arrays,
one module per kernel family (conv, volumetric, pooling, fractional, temporal,
lrn, padding, upsampling, threshold).

Importing this package (or a family module) is cheap: Numba is imported and a
kernel compiled (then cached on disk) only when a kernel is first called.
Family modules are loaded on first attribute access:
``from torchlua.kernels import conv`` or ``torchlua.kernels.pooling``.
"""
import importlib

FAMILIES = ("conv", "volumetric", "pooling", "fractional", "temporal", "lrn",
            "padding", "upsampling", "threshold")

__all__ = list(FAMILIES) + ["KernelError"]


def __getattr__(name):
    if name in FAMILIES:
        return importlib.import_module("." + name, __name__)
    if name == "KernelError":
        from ._common import KernelError
        return KernelError
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
