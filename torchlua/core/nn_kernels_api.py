"""The THNN-like bridge between nn's spatial/temporal/volumetric modules and
torchlua.kernels.

Every function takes tensor handles (torchlua.core.tensor.Tensor), numbers and
booleans in THNN's argument order, resizes its output tensors as THNN does
(output, gradInput, indices...) and fills them; gradWeight/gradBias are
accumulated in place. Kernel errors (KernelError) become TorchError with THNN's
wording: ``bad argument #N to 'v' (...)`` when the kernel reports THArgCheck's
argument number (THNN functions are reached through the closure ``v`` in
upstream nn's THNN.lua), the bare message for a plain THError.

A few THNN kernels that torchlua.kernels does not provide (SpatialSubSampling,
SpatialConvolutionLocal, SpatialConvolutionMap, SpatialFullConvolutionMap,
SpatialDepthWiseConvolution, TemporalSubSampling, FeatureLPPooling,
SpatialClassNLLCriterion) are written here with NumPy.

SpatialConvolutionMM and SpatialMaxPooling write straight into their tensors
(and keep the columns in finput, as THNN does); nn.Threshold / nn.ReLU call
Threshold_updateOutput / Threshold_updateGradInput (torchlua.kernels.threshold).
"""
import functools
import weakref

import numpy as np

from .errors import TorchError
from .tensor import Tensor

_K = {}


def _kern(name):
    m = _K.get(name)
    if m is None:
        import importlib
        m = importlib.import_module("torchlua.kernels." + name)
        _K[name] = m
    return m


def _kernel_error():
    from torchlua.kernels import KernelError
    return KernelError


def _thnn(fn):
    """Map KernelError to TorchError with THNN's wording."""
    @functools.wraps(fn)
    def wrapper(*args):
        KE = _kernel_error()
        try:
            return fn(*args)
        except KE as e:
            if e.argnum:
                raise TorchError("bad argument #%d to 'v' (%s)" % (e.argnum, e.message)) from None
            raise TorchError(e.message) from None
    return wrapper


def _arg_error(argnum, msg):
    return TorchError("bad argument #%d to 'v' (%s)" % (argnum, msg))


def _a(t):
    return None if t is None else t.a


def _store(t, arr):
    """THNN's resize of an output tensor, then its content."""
    arr = np.asarray(arr)
    t.resize(arr.shape)
    if arr.size:
        dst = t.a
        same = (dst.__array_interface__["data"][0] == arr.__array_interface__["data"][0]
                and dst.strides == arr.strides and dst.dtype == arr.dtype)
        if not same:
            np.copyto(dst, arr, casting="unsafe")
    return t


def _acc(t, arr):
    """gradWeight/gradBias += arr, in place, in the tensor's own type."""
    dst = t.a
    dst += arr.reshape(dst.shape).astype(dst.dtype, copy=False)


def _size_desc(shape):
    from torchlua.kernels._common import size_desc
    return size_desc(shape)


class _into:
    """A callable(shape) handing a kernel tensor t's own elements as its output
    buffer, t resized to the shape as THNN resizes its outputs (``lead``: the
    shape has a leading batch dimension of 1 that t does not get).  It answers
    None (the kernel then allocates, and _store copies) when t's layout is not
    C-contiguous or t may overlap one of ``avoid`` (arrays, or tensors looked at
    when the buffer is asked for); ``used`` tells whether the kernel got t's
    elements."""
    __slots__ = ("t", "avoid", "lead", "used")

    def __init__(self, t, avoid=(), lead=False):
        self.t, self.avoid, self.lead, self.used = t, avoid, lead, False

    def __call__(self, shape):
        t = self.t
        t.resize(shape[1:] if self.lead else shape)
        _written(t)
        a = t.a
        if not a.flags.c_contiguous or any(
                np.may_share_memory(a, v.a if isinstance(v, Tensor) else v) for v in self.avoid):
            return None
        self.used = True
        return a[None] if self.lead else a


# ---------------------------------------------------------------------------
# SpatialConvolutionMM / SpatialDilatedConvolution
#
# As THNN, updateOutput leaves the unfolded input (the columns) in finput and
# accGradParameters multiplies them; they are used only while they are still
# those of the input it receives (same values, same geometry, finput's view
# unchanged and its storage not written since by these kernels, e.g. as
# another module's fgradInput), else recomputed.

_COLUMNS = weakref.WeakKeyDictionary()   # finput tensor -> _Columns
_HOLDERS = weakref.WeakKeyDictionary()   # its storage -> weakref to that finput


def _forget_columns(storage):
    ref = _HOLDERS.pop(storage, None)
    t = ref() if ref is not None else None
    if t is not None:
        _COLUMNS.pop(t, None)


def _written(t):
    """t's storage is about to be written: columns kept on it go stale."""
    if _HOLDERS and t.storage is not None:
        _forget_columns(t.storage)


def _keep_columns(finput, geometry, x):
    _forget_columns(finput.storage)
    _COLUMNS[finput] = _Columns(finput.a, geometry, x)
    _HOLDERS[finput.storage] = weakref.ref(finput)


class _Columns:
    __slots__ = ("arr", "geometry", "input")

    def __init__(self, arr, geometry, x):
        self.arr = weakref.ref(arr)      # the tensor's cached view: dies if finput changes
        self.geometry = geometry
        self.input = np.array(x, order="C")

    def matches(self, finput, geometry, x):
        a = finput.a
        if self.arr() is not a or geometry != self.geometry or x.shape != self.input.shape:
            return None
        if not _kern("conv").same_bits(x, self.input):
            return None
        return a


@_thnn
def SpatialConvolutionMM_updateOutput(inp, out, w, b, finput, fgi, kW, kH, dW, dH, pW, pH):
    conv = _kern("conv")
    x = inp.a
    cols = None
    if finput is not None:
        _COLUMNS.pop(finput, None)
        cols = _into(finput, (x,), lead=x.ndim == 3)
    res = conv.conv2d_forward(x, w.a, _a(b), kW, kH, dW, dH, pW, pH, variant="mm",
                              finput=cols, out=_into(out, (x, w.a) if finput is None
                                                     else (x, w.a, finput)))
    _store(out, res)
    if cols is not None and cols.used and out.storage is not finput.storage:
        _keep_columns(finput, (kW, kH, dW, dH, pW, pH), x)


@_thnn
def SpatialConvolutionMM_updateGradInput(inp, go, gi, w, finput, fgi, kW, kH, dW, dH, pW, pH):
    conv = _kern("conv")
    x = inp.a
    scratch = None
    if fgi is not None:
        scratch = _into(fgi, (go.a, w.a), lead=x.ndim == 3)
    target = _into(gi, (go.a,) if fgi is None else (go.a, fgi))
    _store(gi, conv.conv2d_backward_input(x, go.a, w.a, kW, kH, dW, dH, pW, pH, variant="mm",
                                          fgrad_input=scratch, out=target))


@_thnn
def SpatialConvolutionMM_accGradParameters(inp, go, gw, gb, finput, fgi, kW, kH, dW, dH,
                                           pW, pH, scale):
    conv = _kern("conv")
    x = inp.a
    cols = None
    rec = _COLUMNS.get(finput) if finput is not None else None
    if rec is not None:
        cols = rec.matches(finput, (kW, kH, dW, dH, pW, pH), x)
        if cols is not None and x.ndim == 3:
            cols = cols[None]
    _grad_params(conv.conv2d_acc_grad_params, gw, gb, x, go.a,
                 kW, kH, dW, dH, pW, pH, 1, 1, scale, variant="mm", finput=cols)


def _grad_params(fn, gw, gb, *args, **kw):
    """Run an in-place accGradParameters kernel on gradWeight/gradBias (handing it
    contiguous arrays; copied back when the tensors were not contiguous)."""
    gwa = gw.a
    gba = None if gb is None else gb.a
    cw = gwa if gwa.flags.c_contiguous else np.ascontiguousarray(gwa)
    cb = None if gba is None else (gba if gba.flags.c_contiguous else np.ascontiguousarray(gba))
    fn(args[0], args[1], cw, cb, *args[2:], **kw)
    if cw is not gwa:
        gwa[...] = cw
    if cb is not None and cb is not gba:
        gba[...] = cb


@_thnn
def SpatialDilatedConvolution_updateOutput(inp, out, w, b, kW, kH, dW, dH, pW, pH, dilW, dilH):
    conv = _kern("conv")
    _store(out, conv.conv2d_forward(inp.a, w.a, _a(b), kW, kH, dW, dH, pW, pH, dilW, dilH,
                                    variant="dilated"))


@_thnn
def SpatialDilatedConvolution_updateGradInput(inp, go, gi, w, kW, kH, dW, dH, pW, pH,
                                              dilW, dilH):
    conv = _kern("conv")
    _store(gi, conv.conv2d_backward_input(inp.a, go.a, w.a, kW, kH, dW, dH, pW, pH,
                                          dilW, dilH, variant="dilated"))


@_thnn
def SpatialDilatedConvolution_accGradParameters(inp, go, gw, gb, kW, kH, dW, dH, pW, pH,
                                                dilW, dilH, scale):
    conv = _kern("conv")
    _grad_params(conv.conv2d_acc_grad_params, gw, gb, inp.a, go.a,
                 kW, kH, dW, dH, pW, pH, dilW, dilH, scale, variant="dilated")


# ---------------------------------------------------------------------------
# SpatialFull(Dilated)Convolution

@_thnn
def SpatialFullConvolution_updateOutput(inp, out, w, b, kW, kH, dW, dH, pW, pH, aW, aH,
                                        dilW, dilH):
    conv = _kern("conv")
    _store(out, conv.full_conv2d_forward(inp.a, w.a, _a(b), kW, kH, dW, dH, pW, pH, aW, aH,
                                         dilW, dilH))


@_thnn
def SpatialFullConvolution_updateGradInput(inp, go, gi, w, kW, kH, dW, dH, pW, pH, aW, aH,
                                           dilW, dilH):
    conv = _kern("conv")
    _store(gi, conv.full_conv2d_backward_input(inp.a, go.a, w.a, kW, kH, dW, dH, pW, pH,
                                               aW, aH, dilW, dilH))


@_thnn
def SpatialFullConvolution_accGradParameters(inp, go, gw, gb, kW, kH, dW, dH, pW, pH, aW, aH,
                                             dilW, dilH, scale):
    conv = _kern("conv")
    _grad_params(conv.full_conv2d_acc_grad_params, gw, gb, inp.a, go.a,
                 kW, kH, dW, dH, pW, pH, aW, aH, dilW, dilH, scale)


# ---------------------------------------------------------------------------
# Volumetric convolutions

@_thnn
def VolumetricConvolution_updateOutput(inp, out, w, b, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                       dilT, dilW, dilH, variant):
    vol = _kern("volumetric")
    _store(out, vol.conv3d_forward(inp.a, w.a, _a(b), kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                   dilT, dilW, dilH, variant=variant))


@_thnn
def VolumetricConvolution_updateGradInput(inp, go, gi, w, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                          dilT, dilW, dilH, variant):
    vol = _kern("volumetric")
    _store(gi, vol.conv3d_backward_input(inp.a, go.a, w.a, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                         dilT, dilW, dilH, variant=variant))


@_thnn
def VolumetricConvolution_accGradParameters(inp, go, gw, gb, kT, kW, kH, dT, dW, dH,
                                            pT, pW, pH, dilT, dilW, dilH, scale, variant):
    vol = _kern("volumetric")
    _grad_params(vol.conv3d_acc_grad_params, gw, gb, inp.a, go.a, kT, kW, kH, dT, dW, dH,
                 pT, pW, pH, dilT, dilW, dilH, scale, variant=variant)


@_thnn
def VolumetricFullConvolution_updateOutput(inp, out, w, b, dT, dW, dH, pT, pW, pH,
                                           aT, aW, aH, dilT, dilW, dilH):
    vol = _kern("volumetric")
    _store(out, vol.full_conv3d_forward(inp.a, w.a, _a(b), dT, dW, dH, pT, pW, pH,
                                        aT, aW, aH, dilT, dilW, dilH))


@_thnn
def VolumetricFullConvolution_updateGradInput(inp, go, gi, w, dT, dW, dH, pT, pW, pH,
                                              aT, aW, aH, dilT, dilW, dilH):
    vol = _kern("volumetric")
    _store(gi, vol.full_conv3d_backward_input(inp.a, go.a, w.a, dT, dW, dH, pT, pW, pH,
                                              aT, aW, aH, dilT, dilW, dilH))


@_thnn
def VolumetricFullConvolution_accGradParameters(inp, go, gw, gb, dT, dW, dH, pT, pW, pH,
                                                aT, aW, aH, dilT, dilW, dilH, scale):
    vol = _kern("volumetric")
    _grad_params(vol.full_conv3d_acc_grad_params, gw, gb, inp.a, go.a, dT, dW, dH,
                 pT, pW, pH, aT, aW, aH, dilT, dilW, dilH, scale)


# ---------------------------------------------------------------------------
# Spatial pooling

@_thnn
def SpatialMaxPooling_updateOutput(inp, out, ind, kW, kH, dW, dH, pW, pH, dilW, dilH, ceil):
    pool = _kern("pooling")
    x = inp.a
    o, i = pool.max_pool2d_forward(x, kW, kH, dW, dH, pW, pH, dilW, dilH, bool(ceil),
                                   out=_into(out, (x,)), indices=_into(ind, (x,)))
    _store(out, o)
    _store(ind, i)


@_thnn
def SpatialMaxPooling_updateGradInput(inp, go, gi, ind, kW, kH, dW, dH, pW, pH, dilW, dilH,
                                      ceil):
    pool = _kern("pooling")
    g, i = go.a, ind.a
    res = pool.max_pool2d_backward(inp.a, g, i, kW, kH, dW, dH, pW, pH, dilW, dilH, bool(ceil),
                                   out=_into(gi, (g, i)))
    _store(gi, res)


@_thnn
def SpatialAveragePooling_updateOutput(inp, out, kW, kH, dW, dH, pW, pH, ceil, cip):
    pool = _kern("pooling")
    _store(out, pool.avg_pool2d_forward(inp.a, kW, kH, dW, dH, pW, pH, bool(ceil), bool(cip)))


@_thnn
def SpatialAveragePooling_updateGradInput(inp, go, gi, kW, kH, dW, dH, pW, pH, ceil, cip):
    pool = _kern("pooling")
    _store(gi, pool.avg_pool2d_backward(inp.a, go.a, kW, kH, dW, dH, pW, pH, bool(ceil),
                                        bool(cip)))


@_thnn
def SpatialAdaptiveMaxPooling_updateOutput(inp, out, ind, oW, oH):
    pool = _kern("pooling")
    o, i = pool.adaptive_max_pool2d_forward(inp.a, oW, oH)
    _store(out, o)
    _store(ind, i)


@_thnn
def SpatialAdaptiveMaxPooling_updateGradInput(inp, go, gi, ind):
    pool = _kern("pooling")
    _store(gi, pool.adaptive_max_pool2d_backward(inp.a, go.a, ind.a))


@_thnn
def SpatialAdaptiveAveragePooling_updateOutput(inp, out, oW, oH):
    pool = _kern("pooling")
    _store(out, pool.adaptive_avg_pool2d_forward(inp.a, oW, oH))


@_thnn
def SpatialAdaptiveAveragePooling_updateGradInput(inp, go, gi):
    pool = _kern("pooling")
    _store(gi, pool.adaptive_avg_pool2d_backward(inp.a, go.a))


@_thnn
def SpatialMaxUnpooling_updateOutput(inp, out, ind, oW, oH):
    pool = _kern("pooling")
    _store(out, pool.max_unpool2d_forward(inp.a, ind.a, oW, oH))


@_thnn
def SpatialMaxUnpooling_updateGradInput(inp, go, gi, ind, oW, oH):
    pool = _kern("pooling")
    _store(gi, pool.max_unpool2d_backward(inp.a, go.a, ind.a, oW, oH))


@_thnn
def SpatialFractionalMaxPooling_updateOutput(inp, out, oW, oH, poolW, poolH, ind, samples):
    fr = _kern("fractional")
    o, i = fr.fractional_max_pool2d_forward(inp.a, oW, oH, poolW, poolH, samples.a)
    _store(out, o)
    _store(ind, i)


@_thnn
def SpatialFractionalMaxPooling_updateGradInput(inp, go, gi, oW, oH, poolW, poolH, ind):
    fr = _kern("fractional")
    _store(gi, fr.fractional_max_pool2d_backward(inp.a, go.a, oW, oH, poolW, poolH, ind.a))


@_thnn
def VolumetricFractionalMaxPooling_updateOutput(inp, out, oT, oW, oH, pT, pW, pH, ind, samples):
    fr = _kern("fractional")
    o, i = fr.fractional_max_pool3d_forward(inp.a, oT, oW, oH, pT, pW, pH, samples.a)
    _store(out, o)
    _store(ind, i)


@_thnn
def VolumetricFractionalMaxPooling_updateGradInput(inp, go, gi, oT, oW, oH, pT, pW, pH, ind):
    fr = _kern("fractional")
    _store(gi, fr.fractional_max_pool3d_backward(inp.a, go.a, oT, oW, oH, pT, pW, pH, ind.a))


# ---------------------------------------------------------------------------
# Volumetric pooling

@_thnn
def VolumetricMaxPooling_updateOutput(inp, out, ind, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                      dilT, dilW, dilH, ceil):
    vol = _kern("volumetric")
    prev = ind.a if ind.size else None
    o, i = vol.max_pool3d_forward(inp.a, kT, kW, kH, dT, dW, dH, pT, pW, pH, dilT, dilW, dilH,
                                  bool(ceil))
    if prev is not None and prev.shape == i.shape:
        # THNN reuses the index tensor and writes only its four low bytes
        i = (i & 0xFFFFFFFF) | (prev.astype(np.int64) & ~np.int64(0xFFFFFFFF))
    _store(out, o)
    _store(ind, i)


@_thnn
def VolumetricMaxPooling_updateGradInput(inp, go, gi, ind, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                         dilT, dilW, dilH, ceil):
    vol = _kern("volumetric")
    _store(gi, vol.max_pool3d_backward(inp.a, go.a, ind.a, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                       dilT, dilW, dilH, bool(ceil)))


@_thnn
def VolumetricAveragePooling_updateOutput(inp, out, kT, kW, kH, dT, dW, dH, pT, pW, pH, ceil,
                                          cip):
    vol = _kern("volumetric")
    _store(out, vol.avg_pool3d_forward(inp.a, kT, kW, kH, dT, dW, dH, pT, pW, pH, bool(ceil),
                                       bool(cip)))


@_thnn
def VolumetricAveragePooling_updateGradInput(inp, go, gi, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                             ceil, cip):
    vol = _kern("volumetric")
    _store(gi, vol.avg_pool3d_backward(inp.a, go.a, kT, kW, kH, dT, dW, dH, pT, pW, pH,
                                       bool(ceil), bool(cip)))


@_thnn
def VolumetricMaxUnpooling_updateOutput(inp, out, ind, oT, oW, oH, dT, dW, dH, pT, pW, pH):
    vol = _kern("volumetric")
    _store(out, vol.max_unpool3d_forward(inp.a, ind.a, oT, oW, oH, dT, dW, dH, pT, pW, pH))


@_thnn
def VolumetricMaxUnpooling_updateGradInput(inp, go, gi, ind, oT, oW, oH, dT, dW, dH, pT, pW, pH):
    vol = _kern("volumetric")
    _store(gi, vol.max_unpool3d_backward(inp.a, go.a, ind.a, oT, oW, oH, dT, dW, dH,
                                         pT, pW, pH))


# ---------------------------------------------------------------------------
# Padding, up-sampling, LRN

@_thnn
def SpatialReflectionPadding_updateOutput(inp, out, l, r, t, b):
    _store(out, _kern("padding").reflection_pad2d_forward(inp.a, l, r, t, b))


@_thnn
def SpatialReflectionPadding_updateGradInput(inp, go, gi, l, r, t, b):
    _store(gi, _kern("padding").reflection_pad2d_backward(inp.a, go.a, l, r, t, b))


@_thnn
def SpatialReplicationPadding_updateOutput(inp, out, l, r, t, b):
    _store(out, _kern("padding").replication_pad2d_forward(inp.a, l, r, t, b))


@_thnn
def SpatialReplicationPadding_updateGradInput(inp, go, gi, l, r, t, b):
    _store(gi, _kern("padding").replication_pad2d_backward(inp.a, go.a, l, r, t, b))


@_thnn
def VolumetricReplicationPadding_updateOutput(inp, out, l, r, t, b, f, k):
    _store(out, _kern("padding").replication_pad3d_forward(inp.a, l, r, t, b, f, k))


@_thnn
def VolumetricReplicationPadding_updateGradInput(inp, go, gi, l, r, t, b, f, k):
    _store(gi, _kern("padding").replication_pad3d_backward(inp.a, go.a, l, r, t, b, f, k))


@_thnn
def SpatialUpSamplingNearest_updateOutput(inp, out, scale):
    _store(out, _kern("upsampling").upsampling_nearest2d_forward(inp.a, scale))


@_thnn
def SpatialUpSamplingNearest_updateGradInput(inp, go, gi, scale):
    _store(gi, _kern("upsampling").upsampling_nearest2d_backward(inp.a, go.a, scale))


@_thnn
def SpatialUpSamplingBilinear_updateOutput(inp, out, oH, oW):
    _store(out, _kern("upsampling").upsampling_bilinear2d_forward(inp.a, oH, oW))


@_thnn
def SpatialUpSamplingBilinear_updateGradInput(go, gi, N, C, H, W, oH, oW):
    _store(gi, _kern("upsampling").upsampling_bilinear2d_backward(go.a, N, C, H, W, oH, oW))


@_thnn
def SpatialCrossMapLRN_updateOutput(inp, out, scale, size, alpha, beta, k):
    o, s = _kern("lrn").cross_map_lrn_forward(inp.a, size, alpha, beta, k)
    _store(out, o)
    _store(scale, s)


@_thnn
def SpatialCrossMapLRN_updateGradInput(inp, go, gi, scale, out, size, alpha, beta, k):
    _store(gi, _kern("lrn").cross_map_lrn_backward(inp.a, go.a, scale.a, out.a, size, alpha,
                                                   beta, k))


# ---------------------------------------------------------------------------
# Temporal

@_thnn
def TemporalConvolution_updateOutput(inp, out, w, b, kW, dW, inF, outF):
    _store(out, _kern("temporal").temporal_conv_forward(inp.a, w.a, b.a, kW, dW, inF, outF))


@_thnn
def TemporalConvolution_updateGradInput(inp, go, gi, w, kW, dW):
    _store(gi, _kern("temporal").temporal_conv_backward_input(inp.a, go.a, w.a, kW, dW))


@_thnn
def TemporalConvolution_accGradParameters(inp, go, gw, gb, kW, dW, scale):
    _grad_params(_kern("temporal").temporal_conv_acc_grad_params, gw, gb, inp.a, go.a,
                 kW, dW, scale)


@_thnn
def TemporalRowConvolution_updateOutput(inp, out, w, b, kW, dW, pW, featFirst):
    _store(out, _kern("temporal").row_conv_forward(inp.a, w.a, _a(b), kW, dW, pW,
                                                   bool(featFirst)))


@_thnn
def TemporalRowConvolution_updateGradInput(inp, go, gi, w, kW, dW, pW, featFirst):
    _store(gi, _kern("temporal").row_conv_backward_input(inp.a, go.a, w.a, kW, dW, pW,
                                                         bool(featFirst)))


@_thnn
def TemporalRowConvolution_accGradParameters(inp, go, gw, gb, kW, dW, pW, featFirst, scale):
    _grad_params(_kern("temporal").row_conv_acc_grad_params, gw, gb, inp.a, go.a,
                 kW, dW, pW, bool(featFirst), scale)


@_thnn
def TemporalMaxPooling_updateOutput(inp, out, ind, kW, dW):
    o, i = _kern("temporal").temporal_max_pool_forward(inp.a, kW, dW)
    _store(out, o)
    _store(ind, i)


@_thnn
def TemporalMaxPooling_updateGradInput(inp, go, gi, ind, kW, dW):
    _store(gi, _kern("temporal").temporal_max_pool_backward(inp.a, go.a, ind.a, kW, dW))



# ---------------------------------------------------------------------------
# NumPy implementations of the THNN kernels torchlua.kernels lacks

def _windows(x, kH, kW, dH, dW):
    """(..., H, W) -> (..., oH, oW, kH, kW) view of the valid windows."""
    from numpy.lib.stride_tricks import sliding_window_view
    return sliding_window_view(x, (kH, kW), axis=(-2, -1))[..., ::dH, ::dW, :, :]


def _scatter_windows(g, kH, kW, dH, dW, H, W, wk):
    """Adjoint of valid cross-correlation: (..., oH, oW) gradients times the
    kernel taps wk(ky, kx) (a scalar or an array broadcasting against g),
    summed back onto a (..., H, W) zero image."""
    oH, oW = g.shape[-2:]
    out = np.zeros(g.shape[:-2] + (H, W), g.dtype)
    for ky in range(kH):
        for kx in range(kW):
            out[..., ky:ky + dH * (oH - 1) + 1:dH, kx:kx + dW * (oW - 1) + 1:dW] += g * wk(ky, kx)
    return out


def _thnn_argcheck(cond, argnum, msg):
    if not cond:
        raise _arg_error(argnum, msg)


def _check_dim_size(arr, name, ndim, dim, size):
    if arr.ndim != ndim or arr.shape[dim] != size:
        raise TorchError("Need %s of dimension %d and %s.size[%d] == %d but got %s to be of "
                         "shape: %s" % (name, ndim, name, dim, size, name, _size_desc(arr.shape)))


# -- SpatialSubSampling: out[k] = bias[k] + weight[k] * (window sum of plane k)

def _subsampling_check(x, w, kW, kH):
    _thnn_argcheck(x.ndim in (3, 4), 2,
                   "3D or 4D input tensor expected but got: %s" % _size_desc(x.shape))
    nIn = w.shape[0]
    _thnn_argcheck(x.shape[-3] == nIn, 2, "invalid number of input planes")
    _thnn_argcheck(x.shape[-1] >= kW and x.shape[-2] >= kH, 2,
                   "input image smaller than kernel size")


def SpatialSubSampling_updateOutput(inp, out, w, b, kW, kH, dW, dH):
    x, wa = inp.a, w.a
    _subsampling_check(x, wa, kW, kH)
    s = _windows(x, kH, kW, dH, dW).sum(axis=(-2, -1), dtype=x.dtype)
    bcast = (slice(None), None, None)
    _store(out, b.a[bcast] + wa[bcast] * s)


def SpatialSubSampling_updateGradInput(inp, go, gi, w, kW, kH, dW, dH):
    x, wa, g = inp.a, w.a, go.a
    _subsampling_check(x, wa, kW, kH)
    H, W = x.shape[-2:]
    gw = g * wa[:, None, None]
    _store(gi, _scatter_windows(gw, kH, kW, dH, dW, H, W, lambda ky, kx: 1))


def SpatialSubSampling_accGradParameters(inp, go, gw, gb, kW, kH, dW, dH, scale):
    x, g = inp.a, go.a
    _subsampling_check(x, gw.a, kW, kH)
    s = _windows(x, kH, kW, dH, dW).sum(axis=(-2, -1), dtype=x.dtype)
    axes = (0, 2, 3) if x.ndim == 4 else (1, 2)
    _acc(gw, scale * (g * s).sum(axis=axes))
    _acc(gb, scale * g.sum(axis=axes))


# -- TemporalSubSampling (2-D input only, as THNN)

def _tsub_check(x, go, kW, dW, F):
    _thnn_argcheck(kW > 0, 6, "kernel size should be greater than zero, but got kW: %d" % kW)
    _thnn_argcheck(dW > 0, 7, "stride should be greater than zero, but got dW: %d" % dW)
    _thnn_argcheck(x.ndim == 2, 2, "2D or 3D (batch mode) tensor expected for input, but got: %s"
                   % _size_desc(x.shape))
    _thnn_argcheck(x.shape[1] == F, 2, "invalid input frame size.  Got: %d, Expected: %d"
                   % (x.shape[1], F))
    _thnn_argcheck(x.shape[0] >= kW, 2, "input sequence smaller than kernel size.  Got %d, "
                   "Expected: %d" % (x.shape[0], kW))
    nOut = (x.shape[0] - kW) // dW + 1
    if go is not None:
        _check_dim_size(go, "gradOutput", 2, 0, nOut)
        _check_dim_size(go, "gradOutput", 2, 1, F)
    return nOut


def _tsub_sums(x, kW, dW, nOut):
    from numpy.lib.stride_tricks import sliding_window_view
    return sliding_window_view(x, kW, axis=0)[::dW][:nOut].sum(axis=-1, dtype=x.dtype)


def TemporalSubSampling_updateOutput(inp, out, w, b, kW, dW, F):
    x = inp.a
    nOut = _tsub_check(x, None, kW, dW, F)
    _store(out, b.a[None, :] + w.a[None, :] * _tsub_sums(x, kW, dW, nOut))


def TemporalSubSampling_updateGradInput(inp, go, gi, w, kW, dW):
    x, g = inp.a, go.a
    _tsub_check(x, g, kW, dW, x.shape[1] if x.ndim == 2 else -1)
    res = np.zeros_like(x)
    gw = g * w.a[None, :]
    for t in range(g.shape[0]):
        res[t * dW:t * dW + kW] += gw[t]
    _store(gi, res)


def TemporalSubSampling_accGradParameters(inp, go, gw, gb, kW, dW, scale):
    x, g = inp.a, go.a
    nOut = _tsub_check(x, g, kW, dW, x.shape[1] if x.ndim == 2 else -1)
    _acc(gw, scale * (g * _tsub_sums(x, kW, dW, nOut)).sum(axis=0))
    _acc(gb, scale * g.sum(axis=0))


# -- SpatialConvolutionLocal: a different kernel at every output position.
# weight viewed (oH*oW, nOut, nIn*kH*kW), bias (nOut, oH, oW).

def _local_columns(x4, kW, kH, dW, dH, pW, pH):
    conv = _kern("conv")
    return np.stack([conv.im2col(np.ascontiguousarray(x4[n]), kH, kW, dH, dW, pH, pW)
                     for n in range(x4.shape[0])])


def _local_check(x, kW, kH, iW, iH, oW, oH, w):
    _thnn_argcheck(x.ndim in (3, 4), 2, "3D or 4D(batch mode) tensor expected for input, but "
                   "got: %s" % _size_desc(x.shape))


@_thnn
def SpatialConvolutionLocal_updateOutput(inp, out, w, b, finput, fgi, kW, kH, dW, dH, pW, pH,
                                         iW, iH, oW, oH):
    x = inp.a
    _local_check(x, kW, kH, iW, iH, oW, oH, w)
    x4 = x if x.ndim == 4 else x[None]
    cols = _local_columns(x4, kW, kH, dW, dH, pW, pH)          # (N, K, P)
    wa = w.a                                                    # (P, nOut, K)
    res = np.einsum("pok,nkp->nop", wa, cols).astype(x.dtype, copy=False)
    res = res.reshape(x4.shape[0], wa.shape[1], oH, oW) + b.a[None]
    _store(out, res if x.ndim == 4 else res[0])


@_thnn
def SpatialConvolutionLocal_updateGradInput(inp, go, gi, w, finput, fgi, kW, kH, dW, dH, pW, pH,
                                            iW, iH, oW, oH):
    x, g = inp.a, go.a
    _local_check(x, kW, kH, iW, iH, oW, oH, w)
    x4 = x if x.ndim == 4 else x[None]
    g4 = (g if g.ndim == 4 else g[None]).reshape(x4.shape[0], -1, oH * oW)
    gcols = np.einsum("pok,nop->nkp", w.a, g4).astype(x.dtype, copy=False)
    conv = _kern("conv")
    C, H, W = x4.shape[1:]
    res = np.stack([conv.col2im(np.ascontiguousarray(gcols[n]), C, H, W, kH, kW, dH, dW, pH, pW)
                    for n in range(x4.shape[0])])
    _store(gi, res if x.ndim == 4 else res[0])


@_thnn
def SpatialConvolutionLocal_accGradParameters(inp, go, gw, gb, finput, fgi, kW, kH, dW, dH,
                                              pW, pH, iW, iH, oW, oH, scale):
    x, g = inp.a, go.a
    _local_check(x, kW, kH, iW, iH, oW, oH, gw)
    x4 = x if x.ndim == 4 else x[None]
    g4 = g if g.ndim == 4 else g[None]
    cols = _local_columns(x4, kW, kH, dW, dH, pW, pH)
    gflat = g4.reshape(x4.shape[0], -1, oH * oW)
    _acc(gw, scale * np.einsum("nop,nkp->pok", gflat, cols))
    _acc(gb, scale * g4.sum(axis=0))


# -- SpatialDepthWiseConvolution: every input plane convolved with nOut
# kernels; output plane i*nOut + o.  THNN takes the planes' height from the
# last dimension and the width from the one before (a reinterpretation of the
# contiguous plane as W x H), reproduced here; weight and gradWeight, when 2-D,
# are resized to nOut x nIn x kH x kW in place, as THNN does.

def _dw_prepare(x, w, kW, kH, dW, dH, pW, pH, bias=None, go=None):
    nIn = w.size[1] // (kH * kW) if len(w.size) == 2 else w.size[1]
    nOut = w.size[0]
    if len(w.size) == 2:
        w.resize((nOut, nIn, kH, kW))
    _thnn_argcheck(kW > 0 and kH > 0, 9, "kernel size should be greater than zero, but got "
                   "kH: %d kW: %d" % (kH, kW))
    _thnn_argcheck(dW > 0 and dH > 0, 11, "stride should be greater than zero, but got dH: %d "
                   "dW: %d" % (dH, dW))
    _thnn_argcheck(x.ndim in (3, 4), 2, "3D or 4D input tensor expected but got: %s"
                   % _size_desc(x.shape))
    if bias is not None:
        _check_dim_size(bias, "bias", 2, 0, nOut)
        _check_dim_size(bias, "bias", 2, 1, nIn)
    dimf = x.ndim - 3
    rows, cols = x.shape[-1], x.shape[-2]   # THNN's inputHeight, inputWidth
    oH = (rows + 2 * pH - kH) // dH + 1
    oW = (cols + 2 * pW - kW) // dW + 1
    if oW < 1 or oH < 1:
        raise TorchError("Given input size: (%d x %d x %d). Calculated output size: (%d x %d x %d)."
                         " Output size is too small" % (nIn, rows, cols, nOut * nIn, oH, oW))
    _check_dim_size(x, "input", x.ndim, dimf, nIn)
    x4 = np.ascontiguousarray(x if x.ndim == 4 else x[None])
    x4 = x4.reshape(x4.shape[0], nIn, rows, cols)
    if go is not None:
        g = go if go.ndim == x.ndim + 1 else go.reshape(
            ((go.shape[0],) if x.ndim == 4 else ()) + (nIn, nOut) + go.shape[-2:])
        _check_dim_size(g, "gradOutput", x.ndim + 1, dimf, nIn)
        _check_dim_size(g, "gradOutput", x.ndim + 1, dimf + 1, nOut)
        _check_dim_size(g, "gradOutput", x.ndim + 1, dimf + 2, oH)
        _check_dim_size(g, "gradOutput", x.ndim + 1, dimf + 3, oW)
        go = g if x.ndim == 4 else g[None]
    return x4, nIn, nOut, oH, oW, go


@_thnn
def SpatialDepthWiseConvolution_updateOutput(inp, out, w, b, finput, fgi, kW, kH, dW, dH, pW, pH):
    x = inp.a
    x4, nIn, nOut, oH, oW, _ = _dw_prepare(x, w, kW, kH, dW, dH, pW, pH,
                                           None if b is None else b.a)
    conv = _kern("conv")
    wa = w.a
    N = x4.shape[0]
    res = np.empty((N, nIn * nOut, oH, oW), x.dtype)
    for i in range(nIn):
        bi = None if b is None else np.ascontiguousarray(b.a[:, i])
        res[:, i * nOut:(i + 1) * nOut] = conv.conv2d_forward(
            np.ascontiguousarray(x4[:, i:i + 1]), np.ascontiguousarray(wa[:, i:i + 1]), bi,
            kW, kH, dW, dH, pW, pH)
    _store(out, res if x.ndim == 4 else res[0])


@_thnn
def SpatialDepthWiseConvolution_updateGradInput(inp, go, gi, w, finput, fgi, kW, kH, dW, dH,
                                                pW, pH):
    x = inp.a
    x4, nIn, nOut, oH, oW, g5 = _dw_prepare(x, w, kW, kH, dW, dH, pW, pH, go=go.a)
    conv = _kern("conv")
    wa = w.a
    res = np.empty_like(x4)
    for i in range(nIn):
        res[:, i:i + 1] = conv.conv2d_backward_input(
            np.ascontiguousarray(x4[:, i:i + 1]), np.ascontiguousarray(g5[:, i]),
            np.ascontiguousarray(wa[:, i:i + 1]), kW, kH, dW, dH, pW, pH)
    _store(gi, res.reshape(x.shape))


@_thnn
def SpatialDepthWiseConvolution_accGradParameters(inp, go, gw, gb, finput, fgi, kW, kH, dW, dH,
                                                  pW, pH, scale):
    x = inp.a
    x4, nIn, nOut, oH, oW, g5 = _dw_prepare(x, gw, kW, kH, dW, dH, pW, pH,
                                            None if gb is None else gb.a, go=go.a)
    conv = _kern("conv")
    gwa = gw.a
    for i in range(nIn):
        tw = np.zeros((nOut, 1, kH, kW), x.dtype)
        tb = None if gb is None else np.zeros(nOut, x.dtype)
        conv.conv2d_acc_grad_params(np.ascontiguousarray(x4[:, i:i + 1]),
                                    np.ascontiguousarray(g5[:, i]), tw, tb,
                                    kW, kH, dW, dH, pW, pH, 1, 1, scale)
        gwa[:, i] += tw[:, 0]
        if gb is not None:
            gb.a[:, i] += tb


# -- SpatialConvolutionMap / SpatialFullConvolutionMap: one kH x kW kernel per
# (input plane, output plane) pair listed in the connection table (1-based).

def _conn(table):
    t = table.a
    return [(int(t[k, 0]) - 1, int(t[k, 1]) - 1) for k in range(t.shape[0])]


def _map_check(x, w, conn, nIn):
    _thnn_argcheck(w.ndim == 3 and conn.a.shape[0] == w.shape[0], 4,
                   "3D weight tensor expected (connTable:size(1) x kH x kW)")
    _thnn_argcheck(x.ndim in (3, 4), 2, "3D or 4D(batch mode) tensor expected")
    kH, kW = w.shape[1:]
    _thnn_argcheck(x.shape[-3] >= nIn, 2, "invalid number of input planes")
    _thnn_argcheck(x.shape[-1] >= kW and x.shape[-2] >= kH, 2,
                   "input image smaller than kernel size")
    return kH, kW


def _map_planes(x, nIn):
    """(N, nIn, H, W) planes as THNN addresses them (sample m, plane i at
    (m*nIn + i)*H*W in the contiguous input)."""
    H, W = x.shape[-2:]
    if x.ndim == 3:
        return np.ascontiguousarray(x)[None]
    flat = np.ascontiguousarray(x).reshape(-1)
    N = x.shape[0]
    return flat[:N * nIn * H * W].reshape(N, nIn, H, W)


@_thnn
def SpatialConvolutionMap_updateOutput(inp, out, w, b, conn, nIn, nOut, dW, dH):
    x, wa = inp.a, w.a
    kH, kW = _map_check(x, wa, conn, nIn)
    xs = _map_planes(x, nIn)
    H, W = x.shape[-2:]
    oH, oW = (H - kH) // dH + 1, (W - kW) // dW + 1
    res = np.empty((xs.shape[0], nOut, oH, oW), x.dtype)
    res[...] = b.a[None, :, None, None]
    for k, (i, o) in enumerate(_conn(conn)):
        win = _windows(xs[:, i], kH, kW, dH, dW)
        res[:, o] += np.einsum("nyxab,ab->nyx", win, wa[k])
    _store(out, res if x.ndim == 4 else res[0])


@_thnn
def SpatialConvolutionMap_updateGradInput(inp, go, gi, w, b, conn, nIn, nOut, dW, dH):
    x, wa, g = inp.a, w.a, go.a
    kH, kW = _map_check(x, wa, conn, nIn)
    g4 = g if g.ndim == 4 else g[None]
    H, W = x.shape[-2:]
    # gradInput has the input's shape; planes addressed as in the forward
    res = np.zeros(x.shape, x.dtype)
    planes = res.reshape(-1)[:g4.shape[0] * nIn * H * W].reshape(g4.shape[0], nIn, H, W)
    for k, (i, o) in enumerate(_conn(conn)):
        planes[:, i] += _scatter_windows(g4[:, o], kH, kW, dH, dW, H, W,
                                         lambda ky, kx, k=k: wa[k, ky, kx])
    _store(gi, res)


@_thnn
def SpatialConvolutionMap_accGradParameters(inp, go, gw, gb, conn, nIn, nOut, dW, dH, scale):
    x, g = inp.a, go.a
    kH, kW = _map_check(x, gw.a, conn, nIn)
    xs = _map_planes(x, nIn)
    g4 = g if g.ndim == 4 else g[None]
    gwa = gw.a
    gb.a[...] += (scale * g4.sum(axis=(0, 2, 3))).astype(gb.a.dtype)
    for k, (i, o) in enumerate(_conn(conn)):
        win = _windows(xs[:, i], kH, kW, dH, dW)
        gwa[k] += scale * np.einsum("nyxab,nyx->ab", win, g4[:, o])


def _fullmap_check(x, w, conn, nIn):
    _thnn_argcheck(w.ndim == 3 and conn.a.shape[0] == w.shape[0], 4,
                   "3D weight tensor expected (connTable:size(1) x kH x kW)")
    _thnn_argcheck(x.ndim == 3, 2, "3D tensor expected")
    _thnn_argcheck(x.shape[0] >= nIn, 2, "invalid number of input planes")
    return w.shape[1], w.shape[2]


@_thnn
def SpatialFullConvolutionMap_updateOutput(inp, out, w, b, conn, nIn, nOut, dW, dH):
    x, wa = inp.a, w.a
    kH, kW = _fullmap_check(x, wa, conn, nIn)
    H, W = x.shape[1:]
    oH, oW = (H - 1) * dH + kH, (W - 1) * dW + kW
    res = np.empty((nOut, oH, oW), x.dtype)
    res[...] = b.a[:, None, None]
    for k, (i, o) in enumerate(_conn(conn)):
        res[o] += _scatter_windows(x[i], kH, kW, dH, dW, oH, oW,
                                   lambda ky, kx, k=k: wa[k, ky, kx])
    _store(out, res)


@_thnn
def SpatialFullConvolutionMap_updateGradInput(inp, go, gi, w, b, conn, nIn, nOut, dW, dH):
    x, wa, g = inp.a, w.a, go.a
    kH, kW = _fullmap_check(x, wa, conn, nIn)
    res = np.zeros_like(x)
    for k, (i, o) in enumerate(_conn(conn)):
        res[i] += np.einsum("yxab,ab->yx", _windows(g[o], kH, kW, dH, dW), wa[k])
    _store(gi, res)


@_thnn
def SpatialFullConvolutionMap_accGradParameters(inp, go, gw, gb, conn, nIn, nOut, dW, dH, scale):
    x, g = inp.a, go.a
    kH, kW = _fullmap_check(x, gw.a, conn, nIn)
    gwa = gw.a
    gb.a[...] += (scale * g.sum(axis=(1, 2))).astype(gb.a.dtype)
    for k, (i, o) in enumerate(_conn(conn)):
        gwa[k] += scale * np.einsum("yxab,yx->ab", _windows(g[o], kH, kW, dH, dW), x[i])




# -- FeatureLPPooling: (sum over `width` consecutive features of x^p)^(1/p),
# windows `stride` apart; the sums in double (THNN's accreal).

def _flp_view(x, batch):
    """input as (batch, feature, opt1, opt2)."""
    shape = x.shape
    if not batch:
        shape = (1,) + shape
    return x.reshape(shape + (1,) * (4 - len(shape)))


def _flp_check(x, batch, width, stride, argnum, wnum):
    if batch:
        _thnn_argcheck(2 <= x.ndim <= 4, argnum, "input must be 2-4 dimensions for batch mode")
    else:
        _thnn_argcheck(1 <= x.ndim <= 3, argnum,
                       "input must be 1-3 dimensions for non-batch mode")
    v = _flp_view(x, batch)
    _thnn_argcheck(v.shape[1] >= width, 3, "input: feature dimension must be >= width")
    _thnn_argcheck(2 <= width <= 16, wnum, "width must be between 2 - 16")
    _thnn_argcheck(1 <= stride <= 4, wnum + 1, "stride must be between 1 - 4")
    return v, (v.shape[1] - width) // stride + 1


def FeatureLPPooling_updateOutput(inp, out, power, width, stride, batch):
    x = inp.a
    v, nOut = _flp_check(x, batch, width, stride, 2, 5)
    idx = np.arange(nOut)[:, None] * stride + np.arange(width)[None, :]
    acc = np.power(v[:, idx].astype(np.float64), float(power)).sum(axis=2)
    res = np.power(acc, 1.0 / power).astype(x.dtype)
    shape = list(x.shape)
    shape[1 if batch else 0] = nOut
    _store(out, res.reshape(shape))


def FeatureLPPooling_updateGradInput(go, inp, out, gi, power, width, stride, batch):
    x, g, y = inp.a, go.a, out.a
    v, nOut = _flp_check(x, batch, width, stride, 3, 7)
    gv, yv = _flp_view(g, batch), _flp_view(y, batch)
    if gv.shape != yv.shape:
        raise TorchError("Assertion `outputDesc.size[i] == gradOutputDesc.size[i]' failed. "
                         "output and gradOutput sizes do not match")
    _thnn_argcheck(nOut == yv.shape[1], 3,
                   "input and output sizes do not match with respect to width and stride")
    res = np.zeros(v.shape, x.dtype)
    for o in range(nOut):
        yo = yv[:, o]
        nz = yo != 0
        safe = np.where(nz, yo, 1)
        for i in range(width):
            f = o * stride + i
            r = gv[:, o] * np.power(v[:, f] / safe, power - 1.0)
            res[:, f] += np.where(nz, r, 0).astype(x.dtype)
    _store(gi, res.reshape(x.shape))


# -- SpatialClassNLLCriterion (batches of N x C x H x W log-probabilities,
# N x H x W 1-based targets)

def _snll_check(x, t, w):
    _thnn_argcheck(t.ndim == 3, 3, "only batches of spatial targets supported (3D tensors) but "
                   "got targets of dimension: %d" % (t.ndim if t.size else 0))
    _thnn_argcheck(x.ndim == 4, 2, "only batches of spatial inputs supported (4D tensors), but "
                   "got input of dimension: %d" % (x.ndim if x.size else 0))
    if w is not None and w.size != x.shape[1]:
        raise TorchError("weight tensor should be defined either for all or no classes")
    if (x.shape[0], x.shape[2], x.shape[3]) != t.shape:
        raise TorchError("Assertion `input0 == target0 && input2 == target1 && input3 == "
                         "target2' failed. size mismatch (got input: %dx%dx%dx%d, target: "
                         "%dx%dx%d)" % (x.shape + t.shape))
    cls = t.astype(np.int64) - 1
    if cls.size and (cls.min() < 0 or cls.max() >= x.shape[1]):
        raise TorchError("Assertion `cur_target >= 0 && cur_target < n_classes' failed. ")
    return cls


def SpatialClassNLLCriterion_updateOutput(inp, target, out, size_average, weights, total):
    x, t = inp.a, target.a
    w = None if weights is None else weights.a
    cls = _snll_check(x, t, w)
    dt = x.dtype
    picked = np.take_along_axis(x, cls[:, None], axis=1)[:, 0].reshape(-1)
    cw = np.ones(cls.size, dt) if w is None else w.astype(dt)[cls.reshape(-1)]
    # THNN accumulates element by element in the tensor's precision
    tw = np.cumsum(cw, dtype=dt)[-1] if cw.size else dt.type(0)
    loss = -(np.cumsum(picked * cw, dtype=dt)[-1]) if cw.size else dt.type(0)
    if size_average and tw:
        loss = loss / tw
    out.a.reshape(-1)[0] = loss
    total.a.reshape(-1)[0] = tw


def SpatialClassNLLCriterion_updateGradInput(inp, target, gi, size_average, weights, total):
    x, t = inp.a, target.a
    w = None if weights is None else weights.a
    cls = _snll_check(x, t, w)
    _thnn_argcheck(gi.is_contiguous(), 4, "gradInput must be contiguous")
    tw = total.a.reshape(-1)[0]
    if tw <= 0:
        return
    dt = x.dtype
    norm = tw if size_average else dt.type(1)
    cw = np.ones(cls.shape, dt) if w is None else w.astype(dt)[cls]
    g = gi.a
    np.put_along_axis(g, cls[:, None], (-cw / norm).astype(g.dtype)[:, None], axis=1)



# -- VolumetricUpSamplingNearest / VolumetricUpSamplingTrilinear (nn.UpSampling
# on 5-D input)

def _vnearest_check(x, s):
    _thnn_argcheck(s > 1, 4, "scale_factor must be greater than 1, but got: %d" % s)
    _thnn_argcheck(x.ndim in (4, 5), 2, "4D or 5D input tensor expected but got: %s"
                   % _size_desc(x.shape))


def VolumetricUpSamplingNearest_updateOutput(inp, out, scale):
    x, s = inp.a, int(scale)
    _vnearest_check(x, s)
    res = x
    for ax in (-3, -2, -1):
        res = np.repeat(res, s, axis=ax)
    _store(out, res)


def VolumetricUpSamplingNearest_updateGradInput(inp, go, gi, scale):
    x, g, s = inp.a, go.a, int(scale)
    _vnearest_check(x, s)
    lead = x.shape[:-3]
    T, H, W = x.shape[-3:]
    res = g.reshape(lead + (T, s, H, s, W, s)).sum(axis=(-5, -3, -1), dtype=g.dtype)
    _store(gi, res.astype(x.dtype, copy=False))


def _lin_axis(n_in, n_out, dt):
    """THNN's align-corners source positions: index, +1 step (0 at the border)
    and the two weights, in the tensor's precision (ratio in float)."""
    ratio = np.float32((n_in - 1) / np.float32(n_out - 1)) if n_out > 1 else np.float32(0)
    r = ratio * np.arange(n_out, dtype=np.float32)
    i = r.astype(np.int64)
    step = (i < n_in - 1).astype(np.int64)
    lam1 = (r - i).astype(dt)
    lam0 = (dt.type(1) - lam1).astype(dt)
    return i, step, lam0, lam1


def _trilinear_check(x5shape, oT, oH, oW, x=None, g=None):
    N, C, T, H, W = x5shape
    _thnn_argcheck(T > 0 and H > 0 and W > 0 and oT > 0 and oH > 0 and oW > 0, 2,
                   "input and output sizes should be greater than 0, but got input (D: %d, "
                   "H: %d, W: %d) output (D: %d, H: %d, W: %d)" % (T, H, W, oT, oH, oW))
    if x is not None:
        _thnn_argcheck(x.ndim == 5, 2, "5D input tensor expected but got: %s"
                       % _size_desc(x.shape))
    if g is not None:
        for d, n in enumerate((N, C, oT, oH, oW)):
            _check_dim_size(g, "gradOutput", 5, d, n)


def VolumetricUpSamplingTrilinear_updateOutput(inp, out, oT, oH, oW):
    x = inp.a
    _trilinear_check(x.shape if x.ndim == 5 else (1,) * 5, oT, oH, oW, x=x)
    dt = x.dtype
    ti, tp, t0, t1 = _lin_axis(x.shape[2], oT, dt)
    hi, hp, h0, h1 = _lin_axis(x.shape[3], oH, dt)
    wi, wp, w0, w1 = _lin_axis(x.shape[4], oW, dt)
    T_, H_, W_ = np.ix_(ti, hi, wi)
    TP, HP, WP = np.ix_(tp, hp, wp)
    a0, a1 = t0[:, None, None], t1[:, None, None]
    b0, b1 = h0[None, :, None], h1[None, :, None]
    c0, c1 = w0[None, None, :], w1[None, None, :]

    def at(dt_, dh, dw):
        return x[:, :, T_ + dt_ * TP, H_ + dh * HP, W_ + dw * WP]
    res = (a0 * (b0 * (c0 * at(0, 0, 0) + c1 * at(0, 0, 1))
                 + b1 * (c0 * at(0, 1, 0) + c1 * at(0, 1, 1)))
           + a1 * (b0 * (c0 * at(1, 0, 0) + c1 * at(1, 0, 1))
                   + b1 * (c0 * at(1, 1, 0) + c1 * at(1, 1, 1))))
    _store(out, res.astype(dt, copy=False))


def _lin_matrix(n_in, n_out, dt):
    """(n_out, n_in) matrix of THNN's align-corners linear interpolation."""
    i, step, lam0, lam1 = _lin_axis(n_in, n_out, dt)
    m = np.zeros((n_out, n_in), dt)
    rows = np.arange(n_out)
    np.add.at(m, (rows, i), lam0)
    np.add.at(m, (rows, i + step), lam1)
    return m


def VolumetricUpSamplingTrilinear_updateGradInput(go, gi, N, C, T, H, W, oT, oH, oW):
    g = go.a
    _trilinear_check((N, C, T, H, W), oT, oH, oW, g=g)
    dt = g.dtype
    # the adjoint of the (separable) interpolation: one matrix per axis
    mt, mh, mw = _lin_matrix(T, oT, dt), _lin_matrix(H, oH, dt), _lin_matrix(W, oW, dt)
    res = np.einsum("nqabc,at->nqtbc", g, mt)
    res = np.einsum("nqtbc,bh->nqthc", res, mh)
    res = np.einsum("nqthc,cw->nqthw", res, mw)
    _store(gi, res.astype(dt, copy=False))


def RealSum_updateOutput(terms, like):
    """The `real sum` loop of THNN's BCE/SmoothL1 criterions for a FloatTensor:
    each term (computed in double) is added and the sum rounded to float after
    every step, in the tensor's element order.  Returns the float sum."""
    t = np.asarray(terms.a, dtype=np.float64).ravel(order="C")
    if like.a.dtype != np.float32:
        s = 0.0
        for v in t.tolist():
            s += v
        return s
    f32 = np.float32
    s = f32(0)
    for v in t.tolist():
        s = f32(float(s) + v)
    return float(s)


def RealRowSum_updateOutput(terms, out):
    """RealSum_updateOutput for each row of a 2-D tensor of terms (THNN's
    per-plane `real sum` loops); the row sums go to out (a FloatTensor)."""
    t = np.asarray(terms.a, dtype=np.float64)
    f32 = np.float32
    sums = []
    for row in t.tolist():
        s = f32(0)
        for v in row:
            s = f32(float(s) + v)
        sums.append(s)
    _store(out, np.array(sums, dtype=out.a.dtype))


# ---------------------------------------------------------------------------
# Threshold / ReLU (Float and Double; nn.Threshold keeps the tensor-method path
# for other types): one pass instead of compare, mask and masked fill, with the
# same results.  th and val are converted to the tensor's type as cwrap does.

def _flat(a):
    return a.reshape(-1) if a.flags.c_contiguous else None


def Threshold_updateOutput(inp, out, th, val, inplace):
    from .math_util import real_of
    thr, v = inp.t.dtype.type(real_of(inp.t, th)), inp.t.dtype.type(real_of(inp.t, val))
    x = inp.a
    if inplace:
        _written(inp)
        if inp.size:
            f = _flat(x)
            if f is not None:
                _kern("threshold").forward_inplace(f, thr, v)
            else:
                x[x <= thr] = v
        return
    out.resize(inp.size)
    _written(out)
    if not inp.size:
        return
    o = out.a
    fx, fo = _flat(x), _flat(o)
    # (element-wise: o may be x itself, not a shifted view of it)
    if fx is not None and fo is not None and (not np.may_share_memory(fo, fx) or (
            fo.ctypes.data == fx.ctypes.data and fo.size == fx.size)):
        _kern("threshold").forward(fx, fo, thr, v)
    else:
        np.copyto(o, np.where(x > thr, x, v))


def Threshold_updateGradInput(inp, go, gi, th, inplace):
    from .math_util import real_of
    thr = inp.t.dtype.type(real_of(inp.t, th))
    x, g = inp.a, go.a
    if inplace:
        _written(go)
        if go.size:
            fx, fg = _flat(x), _flat(g)
            if fx is not None and fg is not None and not np.may_share_memory(fx, fg):
                _kern("threshold").backward_inplace(fx, fg, thr)
            else:
                g[(x <= thr).reshape(g.shape)] = 0
        return
    gi.resize(inp.size)
    _written(gi)
    if not inp.size:
        return
    o = gi.a
    fx, fg, fo = _flat(x), _flat(g), _flat(o)
    if (fx is not None and fg is not None and fo is not None
            and not np.may_share_memory(o, x) and not np.may_share_memory(o, g)):
        _kern("threshold").backward(fx, fg, fo, thr)
    else:
        np.copyto(o, np.where(x > thr, g.reshape(x.shape), o.dtype.type(0)))


import re as _re

EXPORTS = {"nnk_" + _name: _fn for _name, _fn in list(globals().items())
           if callable(_fn) and _re.match(r"^[A-Z]\w*_(updateOutput|updateGradInput|accGradParameters)$", _name)}
