"""Core exports for random numbers: torch.Generator, seeding, RNG state, scalar
draws, tensor fills, rand/randn/randperm, multinomial and the alias method.

The Lua side (lua_prelude/torch/random.lua) parses arguments as Torch7's cwrap
does and calls one of these once per Lua call. Generators are
torchlua.core.random.Generator objects; tensors are filled through their NumPy
view `t.a`, so views of any geometry are filled in logical row-major order.
See api.py for the calling conventions.
"""
import numpy as np

from .errors import TorchError
from .random import STATE_SIZE, Generator, RandomArgError
from .random_cast import to_long
from .tensor import Tensor
from .tensor_api import ret
from .types import BYTE, LONG, TYPES


def random_generator_new():
    """torch.Generator(): a new generator seeded from /dev/urandom."""
    return Generator()


def random_error_argnum(e):
    """The argument number of a failed THArgCheck, or None for other errors."""
    return e.argnum if isinstance(e, RandomArgError) else None


# -- state ------------------------------------------------------------------------
def random_get_state(g, t=None):
    """torch.getRNGState([gen] [, res]): a new ByteTensor, or res resized to the
    state size and filled (a strided res of that size stays strided: an error)."""
    state = g.get_state()
    if t is None:
        return ret(Tensor.from_array(state, BYTE))
    t.resize((STATE_SIZE,))
    if not t.is_contiguous():
        raise RandomArgError(1, "RNG state needs to be contiguous")
    t.a[...] = state


def random_set_state(g, t):
    if t.nelement() != STATE_SIZE:
        raise RandomArgError(1, "RNG state is wrong size")
    if not t.is_contiguous():
        raise RandomArgError(1, "RNG state needs to be contiguous")
    g.set_state(t.a)


def random_set_state_storage(g, s):
    """Generator:read(file): the raw struct read into a ByteStorage."""
    if s.data.size != STATE_SIZE:
        raise TorchError("read error: a torch.Generator needs %d bytes, got %d"
                         % (STATE_SIZE, s.data.size))
    g.set_state(s.data)


# -- tensor fills (Tensor:uniform(...), ...) --------------------------------------
_FILLS = {
    "uniform": Generator.fill_uniform,
    "normal": Generator.fill_normal,
    "exponential": Generator.fill_exponential,
    "cauchy": Generator.fill_cauchy,
    "logNormal": Generator.fill_log_normal,
    "geometric": Generator.fill_geometric,
    "bernoulli": Generator.fill_bernoulli,
    "random": Generator.fill_random,
}


def random_fill(g, t, kind, *args):
    """Fill t in place with draws of `kind` (arguments as the Generator fill takes them)."""
    _FILLS[kind](g, t.a, *args)


def random_fill_bernoulli_tensor(g, t, p):
    """Tensor:bernoulli(FloatTensor|DoubleTensor p): one probability per element."""
    g.fill_bernoulli(t.a, p.a)


def _sizes(sizes):
    return [to_long(s) for s in sizes]


def random_resize_fill(g, t, kind, *sizes):
    """torch.rand(res, ...) / torch.randn(res, ...): resize then fill (0, 1)."""
    t.resize(_sizes(sizes))
    _FILLS[kind](g, t.a)


def random_new_fill(g, ti, kind, *sizes):
    """torch.rand(...) / torch.randn(...) into a new tensor of type index ti."""
    t = Tensor.of_size(TYPES[ti], _sizes(sizes))
    _FILLS[kind](g, t.a)
    return ret(t)


# -- randperm, multinomial ----------------------------------------------------------
def random_randperm(g, t, ti, n):
    """torch.randperm([res,] n): res (or a new tensor of type ti) = a permutation of 1..n."""
    perm = g.randperm(n)
    new = t is None
    if new:
        t = Tensor(TYPES[ti])
    t.resize((perm.size,))
    np.copyto(t.a, perm, casting="unsafe")   # (real)i as TH stores it: integer types wrap
    if new:
        return ret(t)


def random_multinomial(g, res, prob, n, replacement):
    """torch.multinomial([res,] prob, n [, replacement]): LongTensor of 1-based indices."""
    a = prob.a
    try:
        idx = g.multinomial(a, n, replacement)
    except RandomArgError:
        # TH views a vector as a 1xK matrix while it samples and restores the
        # vector only on success: after an argument error it stays 1xK.
        if len(prob.size) == 1:
            prob.resize((1, prob.size[0]))
        raise
    if res is None:
        return ret(Tensor.from_array(idx, LONG))
    res.resize(idx.shape)
    res.a[...] = idx


def random_alias_setup(probs, J, q):
    """THTensor_(multinomialAliasSetup): alias table J (LongTensor) and
    probability table q (probs' type), in probs' real arithmetic; returns
    nothing when J and q were given, else the new ones."""
    dt = probs.t.dtype
    p = probs.a.reshape(-1)
    K = p.size
    new = J is None
    if new:
        J, q = Tensor(LONG), Tensor(probs.t)
    J.resize((K,))
    q.resize((K,))
    jv = np.zeros(K, dtype=np.int64)
    qv = np.empty(K, dtype=dt)
    small, large = [], []
    kf = dt.type(K)
    for i in range(K):
        v = kf * p[i]              # long * real, in real
        qv[i] = v
        (small if float(v) < 1.0 else large).append(i)
    while small and large:
        lg, sm = large[-1], small[-1]
        jv[sm] = lg
        qv[lg] = float(qv[lg]) - (1.0 - float(qv[sm]))
        if float(qv[lg]) < 1.0:
            small[-1] = lg
            large.pop()
        else:
            large[-1] = lg
            small.pop()
    q_min = q_max = qv[K - 1] if K else dt.type(0)
    for i in range(K):
        if qv[i] < q_min:
            q_min = qv[i]
        elif qv[i] > q_max:
            q_max = qv[i]
    if not q_min > 0:
        raise RandomArgError(2, "q_min is less than 0")
    if q_max > 1:
        qv /= q_max
    # an index never given an alias keeps J = 0 and always samples itself (an
    # alias to index 0 also reads as 0 here, as in TH)
    qv[jv <= 0] = 1.0
    J.a[...] = jv + 1              # returned IndexTensor: 1-based for Lua
    q.a[...] = qv
    if new:
        return ret(J) + ret(q)


def random_alias_draw(g, out, J, q):
    """THTensor_(multinomialAliasDraw) through its cwrap wrapper: per sample
    one uniform(0, K) and one bernoulli(q). The wrapper turns J to 0-based on
    entry and never back (it is not a returned argument), so J stays one lower
    after each call and an alias sample reads J - 1: kept as Torch7 does it."""
    J.a[...] -= 1
    K = J.nelement()
    jv = J.a.reshape(-1)
    qv = q.a.reshape(-1).astype(np.float64)
    n = out.nelement()
    res = np.empty(n, dtype=np.int64)
    if n and K and ((qv >= 0) & (qv <= 1)).all():
        u = np.empty(2 * n)
        g.fill_uniform(u)
        ind = (u[0::2] * (K - 0.0) + 0.0).astype(np.int64)
        mask = u[1::2] <= qv[ind]
        res[:] = np.where(mask, ind + 1, jv[ind])
    else:
        for i in range(n):
            ind = int(g.uniform(0, K))
            mask = g.bernoulli(float(qv[ind]))
            res[i] = ind + 1 if mask else jv[ind]
    if n:
        out.a[...] = res.reshape(out.a.shape)


EXPORTS = {name: fn for name, fn in globals().items()
           if name.startswith("random_") and callable(fn)}

# scalar draws: the Generator's own methods, called with the generator first
EXPORTS.update({
    "random_manual_seed": Generator.manual_seed,
    "random_seed": Generator.seed,
    "random_initial_seed": Generator.initial_seed,
    "random_random0": Generator.random,
    "random_random1": Generator.random1,
    "random_random2": Generator.random2,
    "random_uniform": Generator.uniform,
    "random_normal": Generator.normal,
    "random_exponential": Generator.exponential,
    "random_cauchy": Generator.cauchy,
    "random_logNormal": Generator.log_normal,
    "random_geometric": Generator.geometric,
    "random_bernoulli": Generator.bernoulli,
})
