"""nn.Linear's batch (2-D input) steps in one Lua->Python crossing each, doing
exactly what its method chain did (math_blas's BLAS calls on the same operands, the
bias added as addr(1, ones, bias) adds it), so results are bit-identical.  Any
size mismatch is handed to the BLAS functions themselves, which raise Torch's
error.  The Lua side calls these only for tensors of one floating type.
"""
import numpy as np

from .math_blas import _matmul_into, addmv_into, blas_addmm, blas_addmv, blas_addr
from .nn_pointwise import resize_to


def nnl_output(out, x, weight, bias, ones):
    """out:resize(n, nOut), zeroed if its element count changed;
    out:addmm(0, out, 1, x, weight:t()); out:addr(1, ones, bias) when there is a bias."""
    before = out.nelement()
    resize_to(out, (x.size[0], weight.size[0]))
    if out.nelement() != before and out.size:
        out.a.fill(0)
    if x.size[1] != weight.size[1]:
        blas_addmm(out, 0, out, 1, x, weight.transpose(0, 1))   # raises the size error
    _matmul_into(out, 0, 1, x.a, weight.a.T)
    if bias is not None:
        if bias.size != (out.size[1],) or ones.size != (out.size[0],):
            blas_addr(out, 1, out, 1, ones, bias)
        else:
            # ger with alpha 1 adds 1 * ones[i] * bias[j], which is bias[j] itself
            ra = out.a
            with np.errstate(over="ignore"):
                np.add(ra, bias.a, out=ra, casting="unsafe")


def nnl_grad_input(gi, x, go, weight):
    """gi:resizeAs(x), zeroed if its element count changed; gi:addmm(0, 1, go, weight)."""
    before = gi.nelement()
    resize_to(gi, x.size)
    if gi.nelement() != before and gi.size:
        gi.a.fill(0)
    blas_addmm(gi, 0, gi, 1, go, weight)


def nnl_acc_grad(gw, gb, x, go, ones, scale):
    """gw:addmm(scale, go:t(), x); gb:addmv(scale, go:t(), ones) when there is a bias."""
    if go.dim() != 2 or go.size[0] != x.size[0] or gw.size != (go.size[1], x.size[1]):
        blas_addmm(gw, 1, gw, scale, go.transpose(0, 1), x)   # raises the size error
    _matmul_into(gw, 1, scale, go.a.T, x.a)
    if gb is not None:
        if gb.size != (go.size[1],) or ones.size != (go.size[0],):
            blas_addmv(gb, 1, gb, scale, go.transpose(0, 1), ones)   # raises the size error
        addmv_into(gb, 1, scale, go.transpose(0, 1), ones)


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("nnl_") and callable(fn)}
