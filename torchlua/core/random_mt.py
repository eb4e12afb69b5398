"""The MT19937 word stream of TH's generator, with TH's bookkeeping.

TH keeps the 624-word state, `next` (index of the next word to temper) and
`left` (draws until the next twist, counting the twist itself). We hold the
same thing as `key` + `pos` + `end`: words key[pos:end] are still to be read,
and the twist happens when pos reaches end. A regular stream has end == 624;
right after seeding TH has left=1/next=0, i.e. pos == end == 0.

Small draws come from a tempered copy of the current block; large draws let
NumPy's MT19937 (same recurrence, same tempering) run the twists in C.
"""
import numpy as np

N = 624
M = 397
_MATRIX_A = np.uint32(0x9908B0DF)
_UPPER = np.uint32(0x80000000)
_LOWER = np.uint32(0x7FFFFFFF)

# Above this many words past the current block, NumPy's generator is cheaper
# than our vectorised twist despite its ~0.1 ms state round trip.
_BULK = 4 * N


def seed_key(seed32):
    """init_genrand: the state TH's manualSeed builds from the low 32 bits."""
    key = [0] * N
    x = seed32 & 0xFFFFFFFF
    key[0] = x
    for j in range(1, N):
        x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
        key[j] = x
    return np.array(key, dtype=np.uint32)


def _mix(u, v):
    y = (u & _UPPER) | (v & _LOWER)
    return (y >> np.uint32(1)) ^ np.where(v & np.uint32(1), _MATRIX_A, np.uint32(0))


def twist(s):
    """One regeneration of the 624 words. The recurrence reads words 227
    positions back once they are new, so it runs in chunks of at most 227."""
    new = np.empty(N, dtype=np.uint32)
    k = N - M  # 227
    new[:k] = s[M:] ^ _mix(s[:k], s[1:k + 1])
    new[k:2 * k] = new[:k] ^ _mix(s[k:2 * k], s[k + 1:2 * k + 1])
    new[2 * k:N - 1] = new[k:N - 1 - k] ^ _mix(s[2 * k:N - 1], s[2 * k + 1:N])
    new[N - 1] = new[N - 1 - k] ^ _mix(s[N - 1:N], new[:1])[0]
    return new


def temper(words):
    y = words.astype(np.uint32, copy=True)
    y ^= y >> np.uint32(11)
    y ^= (y << np.uint32(7)) & np.uint32(0x9D2C5680)
    y ^= (y << np.uint32(15)) & np.uint32(0xEFC60000)
    y ^= y >> np.uint32(18)
    return y


class Stream:
    """The raw 32-bit output of one TH generator."""
    __slots__ = ("key", "pos", "end", "_out", "_bg")

    def __init__(self, key, pos, end):
        self.key = key
        self.pos = pos
        self.end = end
        self._out = None   # tempered key as a list, built on first scalar read
        self._bg = None

    def _next_block(self):
        self.key = twist(self.key)
        self.pos = 0
        self.end = N
        self._out = None

    def next1(self):
        """One tempered word (THRandom_random)."""
        if self.pos == self.end:
            self._next_block()
        if self._out is None:
            self._out = temper(self.key).tolist()
        v = self._out[self.pos]
        self.pos += 1
        return v

    def take(self, k):
        """The next k tempered words as a uint64 array (uint64 so that the
        unsigned-long arithmetic of TH can be done without overflow games)."""
        k = int(k)
        res = np.empty(k, dtype=np.uint64)
        avail = min(self.end - self.pos, k)
        res[:avail] = temper(self.key[self.pos:self.pos + avail])
        self.pos += avail
        done = avail
        if k - done > _BULK:
            res[done:] = self._bulk(k - done)
            return res
        while done < k:
            self._next_block()
            c = min(k - done, N)
            res[done:done + c] = temper(self.key[:c])
            self.pos = c
            done += c
        return res

    def _bulk(self, rem):
        # NumPy's MT19937 twists when pos == 624 and then reads key[pos++],
        # exactly our block boundary; after the call its state is ours.
        if self._bg is None:
            self._bg = np.random.MT19937(0)
        bg = self._bg
        bg.state = {"bit_generator": "MT19937", "state": {"key": self.key, "pos": N}}
        r = bg.random_raw(rem)
        st = bg.state["state"]
        self.key = np.array(st["key"], dtype=np.uint32)
        self.pos = int(st["pos"])
        self.end = N
        self._out = None
        return r

    def th_left_next(self):
        """TH's (left, next) for the current position."""
        return self.end - self.pos + 1, self.pos
