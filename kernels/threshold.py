"""nn.Threshold / nn.ReLU in one pass over flat C-contiguous arrays (the Lua
module used compare, mask and masked fill: three passes and two mask tensors).

Same results as those tensor operations: ``th`` and ``val`` arrive already
converted to the arrays' type (as cwrap converts a Lua number to ``real``), the
comparisons are the same strict/loose ones, and a NaN input counts as "not
above the threshold" (replaced) except in place, where ``x <= th`` is false
for NaN (kept).
"""
from ._common import lazyjit

__all__ = ["forward", "forward_inplace", "backward", "backward_inplace"]


@lazyjit
def _fwd_k(x, out, th, val):
    for i in range(x.size):
        v = x[i]
        out[i] = v if v > th else val


@lazyjit
def _fwd_inplace_k(x, th, val):
    for i in range(x.size):
        if x[i] <= th:
            x[i] = val


@lazyjit
def _bwd_k(x, go, gi, th):
    zero = gi.dtype.type(0)
    for i in range(x.size):
        gi[i] = go[i] if x[i] > th else zero


@lazyjit
def _bwd_inplace_k(x, go, th):
    zero = go.dtype.type(0)
    for i in range(x.size):
        if x[i] <= th:
            go[i] = zero


def forward(x, out, th, val):
    """out = x where x > th, val elsewhere; flat arrays of one dtype."""
    _fwd_k(x, out, th, val)


def forward_inplace(x, th, val):
    """x = val where x <= th."""
    _fwd_inplace_k(x, th, val)


def backward(x, go, gi, th):
    """gi = go where x > th, 0 elsewhere."""
    _bwd_k(x, go, gi, th)


def backward_inplace(x, go, th):
    """go = 0 where x <= th."""
    _bwd_inplace_k(x, go, th)

