"""torchlua.core.random against streams recorded from Torch7 (fixtures/random).

Each fixture line is `seed<N>.<expression>\t<values %.17g>`: what Torch7 printed
right after torch.manualSeed(N). CASES maps every expression to the same calls
on a Generator. The tensor library is not used here: tensors are numpy arrays,
and views (transpose) are numpy views.
"""
import math
import os

import numpy as np
import pytest

from torchlua.core.errors import TorchError
from torchlua.core.random import STATE_SIZE, Generator, RandomArgError

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "random", "torch7_streams.tsv")

# The fixture does not spell out `probs`: Torch7's seed-1 draws (0.417, 0.997,
# 0.720, 0.933, 0.0001) give 3 4 4 4 1 only with cumulative 0.1 0.3 0.6 1.
PROBS = np.array([0.1, 0.2, 0.3, 0.4])


def _fill(g, method, shape, dtype=np.float64, *args):
    out = np.empty(shape, dtype=dtype)
    getattr(g, method)(out, *args)
    return out.ravel()


def _times5(f):
    return lambda g, seed: [f(g) for _ in range(5)]


def _transposed(g, seed):
    # x = torch.Tensor(3,4); x:transpose(1,2):uniform(); Torch printed x
    x = np.empty((3, 4))
    g.fill_uniform(x.T)
    return x.ravel()


def _interleaved(g, seed):
    # torch.rand(1), torch.randn(3), torch.rand(2): the 3rd normal is the cos
    # half of a fresh pair, whose sin half stays cached (not consumed by rand)
    return np.concatenate([_fill(g, "fill_uniform", 1), _fill(g, "fill_normal", 3),
                           _fill(g, "fill_uniform", 2)])


def _replay(g, seed):
    s = g.get_state()
    first = _fill(g, "fill_uniform", 3)
    g.set_state(s)
    return np.concatenate([first, _fill(g, "fill_uniform", 3)])


def _other_generator(g, seed):
    g2 = Generator()
    g2.manual_seed(seed + 1)
    return _fill(g2, "fill_uniform", 3)


CASES = {
    "initialSeed": lambda g, seed: [g.initial_seed()],
    "rand(5)": lambda g, seed: _fill(g, "fill_uniform", 5),
    "rand(2,3)": lambda g, seed: _fill(g, "fill_uniform", (2, 3)),
    "FloatTensor(5):uniform()": lambda g, seed: _fill(g, "fill_uniform", 5, np.float32),
    "Tensor(6):uniform(-1,1)": lambda g, seed: _fill(g, "fill_uniform", 6, np.float64, -1, 1),
    "randn(7)": lambda g, seed: _fill(g, "fill_normal", 7),
    "FloatTensor(7):normal(2,3)": lambda g, seed: _fill(g, "fill_normal", 7, np.float32, 2, 3),
    "Tensor(3,4):transpose(1,2):uniform()": _transposed,
    "torch.uniform()x5": _times5(lambda g: g.uniform()),
    "torch.uniform(-2,3)x5": _times5(lambda g: g.uniform(-2, 3)),
    "torch.normal()x5": _times5(lambda g: g.normal()),
    "torch.normal(1,2)x5": _times5(lambda g: g.normal(1, 2)),
    "torch.random()x5": _times5(lambda g: g.random()),
    "torch.random(10)x5": _times5(lambda g: g.random1(10)),
    "torch.random(3,9)x5": _times5(lambda g: g.random2(3, 9)),
    "torch.exponential(2)x5": _times5(lambda g: g.exponential(2)),
    "torch.cauchy(0,1)x5": _times5(lambda g: g.cauchy(0, 1)),
    "torch.logNormal(1,2)x5": _times5(lambda g: g.log_normal(1, 2)),
    "torch.geometric(0.3)x5": _times5(lambda g: g.geometric(0.3)),
    "torch.bernoulli(0.4)x5": _times5(lambda g: g.bernoulli(0.4)),
    "Tensor(8):bernoulli(0.5)": lambda g, seed: _fill(g, "fill_bernoulli", 8, np.float64, 0.5),
    "LongTensor(6):random(1,100)": lambda g, seed: _fill(g, "fill_random", 6, np.int64, 1, 100),
    "ByteTensor(6):random()": lambda g, seed: _fill(g, "fill_random", 6, np.uint8),
    "randperm(10)": lambda g, seed: g.randperm(10),
    "multinomial(probs,5,true)": lambda g, seed: g.multinomial(PROBS, 5, True),
    "multinomial(probs,3,false)": lambda g, seed: g.multinomial(PROBS, 3, False),
    "Tensor(5):exponential(1.5)": lambda g, seed: _fill(g, "fill_exponential", 5, np.float64, 1.5),
    "Tensor(5):cauchy()": lambda g, seed: _fill(g, "fill_cauchy", 5),
    "Tensor(5):logNormal(0,1)": lambda g, seed: _fill(g, "fill_log_normal", 5, np.float64, 0, 1),
    "Tensor(5):geometric(0.2)": lambda g, seed: _fill(g, "fill_geometric", 5, np.float64, 0.2),
    "rand then randn interleaved": _interleaved,
    "getRNGState/setRNGState replay": _replay,
    "Generator(seed+1):rand(3) via torch.rand(g,3)": _other_generator,
}


def _lines():
    with open(FIXTURE) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                key, values = line.split("\t")
                seed, expr = key.split(".", 1)
                yield int(seed[len("seed"):]), expr, [float(v) for v in values.split()]


LINES = list(_lines())


def test_fixture_is_complete():
    assert len(LINES) == 99
    assert {expr for _, expr, _ in LINES} == set(CASES)


@pytest.mark.parametrize("seed,expr,expected", LINES, ids=["%d:%s" % l[:2] for l in LINES])
def test_torch7_stream(seed, expr, expected):
    g = Generator(seed)
    got = [float(v) for v in CASES[expr](g, seed)]
    # exact: %.17g round-trips doubles, and float32 results widen exactly
    assert got == expected


# -- seeding ----------------------------------------------------------------

def test_seed_conversion_like_cwrap_long():
    # (long) truncates toward zero, then only the low 32 bits seed the state
    ref = Generator(1).get_state()[24:]
    assert (Generator(1.9).get_state()[24:] == ref).all()
    assert (Generator(2 ** 32 + 1).get_state()[24:] == ref).all()
    g = Generator(-1)
    assert g.initial_seed() == -1
    a, b = Generator(-1), Generator(0xFFFFFFFF)
    assert [a.random() for _ in range(700)] == [b.random() for _ in range(700)]
    assert Generator(-2.7).initial_seed() == -2
    # Torch's doc/random.md vectors
    g = Generator(0)
    assert (g.random(), g.random()) == (2357136044, 2546248239)


def test_seed_from_urandom():
    g = Generator()
    s = g.seed()
    assert g.initial_seed() == s
    h = Generator(s)
    assert [g.random() for _ in range(5)] == [h.random() for _ in range(5)]


def test_manual_seed_resets_normal_cache():
    g = Generator(3)
    g.normal()                       # cache now holds a sin half
    g.manual_seed(3)
    assert g.normal() == Generator(3).normal()


# -- state ------------------------------------------------------------------

def test_state_layout():
    g = Generator(7)
    s = g.get_state()
    assert s.dtype == np.uint8 and s.shape == (STATE_SIZE,) and STATE_SIZE == 5048
    head = s[:24].view("<u8")
    assert head[0] == 7                                      # the_initial_seed
    assert tuple(s[8:16].view("<i4")) == (1, 1)              # left, seeded
    assert head[2] == 0                                      # next
    words = s[24:24 + 8 * 624].view("<u8")
    np.testing.assert_array_equal(words, np.random.RandomState(7).get_state()[1])
    g.random()
    s = g.get_state()
    assert tuple(s[8:16].view("<i4")) == (624, 1) and s[16:24].view("<u8")[0] == 1
    g.normal()
    s = g.get_state()
    x, y, rho = s[5016:5040].view("<f8")
    assert s[5040:5044].view("<i4")[0] == 1
    assert rho == math.sqrt(-2.0 * math.log(1.0 - y))
    assert (s[5044:] == 0).all()


def test_state_replay_keeps_normal_cache_and_block_position():
    g = Generator(11)
    for _ in range(623):
        g.random()
    g.normal()        # crosses a twist and leaves a cached sin half
    s = g.get_state()
    a = [g.normal() for _ in range(5)] + [g.random() for _ in range(1000)]
    h = Generator(99)
    h.set_state(s)
    assert (h.get_state() == s).all()
    assert [h.normal() for _ in range(5)] + [h.random() for _ in range(1000)] == a


def test_state_after_exact_block_end_and_fresh_seed():
    g = Generator(5)
    g.fill_random(np.empty(624, dtype=np.int64))
    s = g.get_state()
    assert tuple(s[8:16].view("<i4")) == (1, 1) and s[16:24].view("<u8")[0] == 624
    h = Generator(0)
    h.set_state(s)
    assert h.random() == g.random()


def test_set_state_irregular_left_next():
    # a hand-made state: TH reads state[10], state[11] then twists
    g = Generator(21)
    s = g.get_state().copy()
    s[8:12] = np.array([3], "<i4").view(np.uint8)
    s[16:24] = np.array([10], "<u8").view(np.uint8)
    h = Generator(0)
    h.set_state(s)
    ref = Generator(21)
    words = [ref.random() for _ in range(624)]     # temper(twist(seed state))
    out = [h.random() for _ in range(3)]
    from torchlua.core.random_mt import seed_key, temper
    pre = temper(seed_key(21)[10:12]).tolist()
    assert out[:2] == pre and out[2] == words[0]


def test_set_state_errors():
    g = Generator(1)
    with pytest.raises(RandomArgError, match="wrong size"):
        g.set_state(np.zeros(10, dtype=np.uint8))
    bad = g.get_state().copy()
    bad[8:12] = 0                                   # left = 0
    with pytest.raises(RandomArgError, match="Invalid RNG state"):
        g.set_state(bad)


# -- fills: order, types, block boundaries ----------------------------------

@pytest.mark.parametrize("n", [1, 5, 623, 624, 625, 2000, 10 ** 6])
def test_uniform_fill_equals_scalar_stream(n):
    g, h = Generator(42), Generator(42)
    h.random()                        # start mid-block
    g.random()
    a = np.empty(n)
    g.fill_uniform(a, -3, 5)
    if n <= 2000:
        ref = [h.uniform(-3, 5) for _ in range(n)]
        assert a.tolist() == ref
    else:
        # both ends of a fill crossing ~1600 twists, via the scalar path
        assert a[:5].tolist() == [h.uniform(-3, 5) for _ in range(5)]
        h.set_state(_advance(Generator(42), 1 + n - 5))
        assert a[-5:].tolist() == [h.uniform(-3, 5) for _ in range(5)]
    assert g.random() == h.random()


def _advance(g, k):
    """State after k raw draws, reached by scalar calls only."""
    for _ in range(k):
        g.random()
    return g.get_state()


@pytest.mark.parametrize("start_cached", [False, True])
@pytest.mark.parametrize("n", [7, 3001, 10 ** 6 + 1])
def test_normal_fill_equals_scalar_normals(n, start_cached):
    g, h = Generator(8), Generator(8)
    if start_cached:
        g.normal()
        h.normal()
    a = np.empty(n)
    g.fill_normal(a, 0.25, 1.5)
    if n < 10 ** 5:
        assert a.tolist() == [h.normal(0.25, 1.5) for _ in range(n)]
    else:
        assert a[:6].tolist() == [h.normal(0.25, 1.5) for _ in range(6)]
        used = n - int(start_cached)
        k = 2 * ((used + 1) // 2) - 4           # stop two pairs before the end
        h2 = Generator(8)
        if start_cached:
            h2.normal()
            h2.normal()                         # uses the cache up: no words
        h2.set_state(_advance(h2, k))
        tail = [h2.normal(0.25, 1.5) for _ in range(4 - (used & 1))]
        assert a[-len(tail):].tolist() == tail
        h = h2
    # the cache (a pending sin half, or none) carries over identically
    assert g.normal() == h.normal() and g.random() == h.random()


@pytest.mark.parametrize("method,args,scalar", [
    ("fill_exponential", (0.7,), lambda g: g.exponential(0.7)),
    ("fill_cauchy", (1.0, 0.5), lambda g: g.cauchy(1.0, 0.5)),
    ("fill_log_normal", (0.5, 0.3), lambda g: g.log_normal(0.5, 0.3)),
    ("fill_geometric", (0.9,), lambda g: g.geometric(0.9)),
    ("fill_bernoulli", (0.3,), lambda g: g.bernoulli(0.3)),
])
def test_large_fills_match_scalar_formulas(method, args, scalar):
    n = 50001                                     # the Numba path
    g, h = Generator(13), Generator(13)
    a = np.empty(n)
    getattr(g, method)(a, *args)
    assert a.tolist() == [float(scalar(h)) for _ in range(n)]
    assert g.random() == h.random()


def test_float32_rounds_arguments_and_result():
    g, h = Generator(2), Generator(2)
    a = np.empty(1000, dtype=np.float32)
    g.fill_uniform(a, 0.1, 0.7)
    lo, hi = float(np.float32(0.1)), float(np.float32(0.7))
    ref = np.array([h.uniform(lo, hi) for _ in range(1000)]).astype(np.float32)
    np.testing.assert_array_equal(a, ref)
    assert not np.array_equal(ref, np.array([Generator(2).uniform(0.1, 0.7)]).astype(np.float32))


def test_fill_order_of_strided_views():
    g = Generator(4)
    base = np.zeros((4, 6, 5))
    view = base[::2, :, 1:4].transpose(2, 0, 1)     # shape (3, 2, 6), non-contiguous
    g.fill_uniform(view)
    h = Generator(4)
    ref = np.array([h.uniform() for _ in range(view.size)]).reshape(view.shape)
    np.testing.assert_array_equal(view, ref)
    assert (base[1::2] == 0).all() and (base[:, :, 0] == 0).all()


@pytest.mark.parametrize("dtype,mod", [(np.uint8, 256), (np.int8, 128), (np.int16, 32768),
                                       (np.int32, 2 ** 31), (np.int64, 2 ** 63),
                                       (np.float32, 2 ** 24 + 1), (np.float64, 2 ** 53 + 1)])
def test_random_type_modulus(dtype, mod):
    g, h = Generator(6), Generator(6)
    a = np.empty((2, 50), dtype=dtype)
    g.fill_random(a)
    assert a.ravel().tolist() == [h.random() % mod for _ in range(100)]


def test_random_bounds_unsigned_arithmetic():
    g = Generator(6)
    h = Generator(6)
    words = [h.random() for _ in range(20)]
    a = np.empty(20, dtype=np.float64)
    g.fill_random(a, -5, 5)
    # negative results wrap through unsigned long before becoming a double
    exp = [float((w % 11 - 5) % 2 ** 64) for w in words]
    assert a.tolist() == exp and max(exp) > 1e19
    c = np.empty(20, dtype=np.int8)
    Generator(6).fill_random(c, -5, 5)
    assert c.tolist() == [w % 11 - 5 for w in words]
    s = Generator(6)
    assert [s.random2(-5, 5) for _ in range(20)] == [w % 11 - 5 for w in words]
    b = np.empty(20, dtype=np.uint8)
    Generator(6).fill_random(b, 1000)
    assert b.tolist() == [(w % 1000 + 1) % 256 for w in words]
    f = np.empty(20, dtype=np.float32)
    Generator(6).fill_random(f, 2 ** 40)
    assert f.tolist() == [float(np.float32(w % 2 ** 40 + 1)) for w in words]


def test_bernoulli_with_probability_array():
    p = np.linspace(0, 1, 12).reshape(3, 4).T           # non-contiguous probabilities
    out = np.empty((2, 6), dtype=np.int16)
    g, h = Generator(10), Generator(10)
    g.fill_bernoulli(out, p)
    ref = [h.bernoulli(q) for q in p.ravel().tolist()]
    assert out.ravel().tolist() == ref
    bad = np.array([0.5, 0.5, 1.5, 0.5])
    out = np.full(4, 7.0)
    with pytest.raises(RandomArgError):
        Generator(10).fill_bernoulli(out, bad)
    h = Generator(10)
    assert out.tolist() == [h.bernoulli(0.5), h.bernoulli(0.5), 7.0, 7.0]
    with pytest.raises(TorchError, match="inconsistent tensor size"):
        Generator(1).fill_bernoulli(np.empty(3), np.ones(4) / 2)


def test_argument_errors():
    g = Generator(1)
    with pytest.raises(RandomArgError, match="strictly positive") as e:
        g.normal(0, 0)
    assert e.value.argnum == 2
    for f in (lambda: g.random1(0), lambda: g.random2(5, 4), lambda: g.geometric(1),
              lambda: g.bernoulli(1.5), lambda: g.randperm(0),
              lambda: g.fill_random(np.empty(2), 0), lambda: g.fill_normal(np.empty(2), 0, -1),
              lambda: g.multinomial(PROBS, 5, False), lambda: g.multinomial(np.zeros(3), 1)):
        with pytest.raises(RandomArgError):
            f()
    assert g.random() == Generator(1).random()      # checks come before any draw
    g.fill_normal(np.empty(0), 0, -1)                # TH checks per element: none here


# -- randperm, multinomial ---------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 10, 5000])
def test_randperm_is_th_shuffle(n):
    g, h = Generator(31), Generator(31)
    perm = g.randperm(n)
    assert perm.dtype == np.int64
    ref = list(range(n))
    for i in range(n - 1):
        z = i + h.random() % (n - i)
        ref[i], ref[z] = ref[z], ref[i]
    assert perm.tolist() == [v + 1 for v in ref]
    assert g.random() == h.random()


def test_multinomial_rows_and_float32():
    p = np.array([[0.0, 1, 2, 3, 4], [5, 0, 0, 0, 1]], dtype=np.float32)
    g, h = Generator(77), Generator(77)
    r = g.multinomial(p, 50, True)
    assert r.shape == (2, 50) and r.dtype == np.int64
    assert set(r[0].tolist()) <= {2, 3, 4, 5} and set(r[1].tolist()) <= {1, 5}
    us = [h.uniform() for _ in range(100)]
    for row, uu in zip(range(2), (us[:50], us[50:])):
        cum = np.add.accumulate(p[row].astype(np.float64))
        cum = cum / cum[-1]
        cum[-1] = 1
        assert r[row].tolist() == [int(np.searchsorted(cum, u, "left")) + 1 for u in uu]
    r = Generator(77).multinomial(p, 2, False)
    assert sorted(r[1].tolist()) == [1, 5] and len(set(r[0].tolist())) == 2


def test_multinomial_without_replacement_draws_every_category_once():
    p = np.random.RandomState(0).rand(40)
    r = Generator(5).multinomial(p, 40, False)
    assert sorted(r.tolist()) == list(range(1, 41))


# -- speed ------------------------------------------------------------------

