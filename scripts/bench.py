"""torchlua benchmarks against NumPy (and optionally Torch7's th).

    python scripts/bench.py [--quick] [--tiny] [--json out.json] [--th PATH_TO_TH]
                            [--threads N] [--cases KEY[,KEY...]]

Cases (see README, "Performance"):
  1. start-up of `torchlua -e "require 'nn'"` and `torchlua -e "print(1)"` (fresh
     processes, warm Numba cache) against `python -c "import numpy"`; also checks
     that the start-up does not import Numba;
  2. small-op overhead from a Lua loop (os.clock): x:add(y), x:size(1), x[i],
     x:narrow(1,2,3), microseconds per op, against the NumPy call in a Python loop;
  3. large ops: torch.mm, addmm, cmul, exp, sum(2), against NumPy;
  4. nn: MLP train step, the seed SpatialConvolution fwd+bwd, LeNet float train step,
     an nngraph LSTM step fwd+bwd, against hand-written NumPy (im2col + GEMM convs);
  5. the four seed scripts of examples/ end to end (wall time, no baseline);
  6. torch.save / torch.load of a ~100 MB Sequential of Linear layers, against
     numpy.save / numpy.load of the same arrays.

Process cases report the median wall time of fresh processes after one warm-up run;
in-process cases report the median of repeats after warm-up (repeated until both a
minimum count and a time budget are reached).  "ratio" is the ratio of the medians,
"ratio of minima" that of the best repeats (steadier on a loaded machine).  Peak RSS
is ru_maxrss of the torchlua child process (os.wait4; children are started by a small
spawner process so that they do not inherit this process's RSS high-water mark).
--th runs every case under Torch7's th as well (the same Lua files; for the --snippet
seed, the same text with its '#' tails made comments).
--threads N sets the BLAS/OpenMP thread count of every process: on a shared machine
multi-threaded OpenBLAS stalls whenever another process holds a core (the same GEMM
varies 20x), so --threads 1 gives the steadier comparison.
A case that needs a piece of torchlua that is missing prints "n/a (missing: X)".
--quick uses smaller sizes and fewer repeats; --tiny (or TORCHLUA_BENCH_TINY=1) uses
toy sizes and single repeats (for tests: checks the script runs, not the speed).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import bench_lua as L  # noqa: E402  (pure Python: no NumPy)

B = None   # bench_numpy, imported by main() once the spawner is running

EXAMPLES = os.path.join(ROOT, "examples")

# -- sizes and repeat policies ----------------------------------------------------------------

FULL = dict(
    small_n=200000, mm_n=1000, ew_n=10 ** 7, sum_n=4000,
    mlp_batch=128, mlp_in=784, mlp_hidden=500, mlp_out=10,
    conv=dict(batch=2, nin=3, nout=128, k=9, size=100),
    lenet=dict(batch=64, size=32, c1=6, c2=16, hidden=120),   # 16x5x5 -> Linear(400, 120)
    lstm_rnn=128, lstm_batch=50, lstm_input=128,
    ser_layers=4, ser_width=1280,          # 4 x (weight + gradWeight) of 1280^2 doubles: 105 MB
)
QUICK = dict(FULL, small_n=20000, mm_n=500, ew_n=10 ** 6, sum_n=1000, ser_layers=2, ser_width=640)
TINY = dict(
    small_n=200, mm_n=16, ew_n=1000, sum_n=16,
    mlp_batch=4, mlp_in=12, mlp_hidden=6, mlp_out=3,
    conv=dict(batch=1, nin=2, nout=3, k=3, size=8),
    lenet=dict(batch=2, size=28, c1=2, c2=3, hidden=5),
    lstm_rnn=4, lstm_batch=2, lstm_input=3,
    ser_layers=2, ser_width=8,
)
MODES = {
    "full": dict(sizes=FULL, repeat=dict(warm=2, min=7, max=500, budget=1.0), proc_runs=7),
    "quick": dict(sizes=QUICK, repeat=dict(warm=1, min=3, max=50, budget=0.15), proc_runs=2),
    "tiny": dict(sizes=TINY, repeat=dict(warm=0, min=1, max=1, budget=0.0), proc_runs=1,
                 proc_warm=False),
}

# -- cases ------------------------------------------------------------------------------------
# (key, section, label, unit, target) ; target: ('abs', limit in unit) or ('ratio', limit)

CASES = [
    ("startup_nn", 1, "start-up: -e \"require 'nn'\"", "s", ("abs", 0.5)),
    ("startup_print", 1, "start-up: -e \"print(1)\"", "s", None),
    ("add", 2, "x:add(y) (10 elements)", "us", ("abs", 1.5)),
    ("size", 2, "x:size(1)", "us", ("abs", 0.5)),
    ("index", 2, "x[i]", "us", ("abs", 0.5)),
    ("narrow", 2, "x:narrow(1,2,3)", "us", None),
    ("mm", 3, "torch.mm {mm_n}x{mm_n}", "ms", ("ratio", 1.3)),
    ("addmm", 3, "C:addmm(A,B) {mm_n}x{mm_n}", "ms", ("ratio", 1.3)),
    ("cmul", 3, "z:cmul(x,y) {ew_n:.0e}", "ms", ("ratio", 1.3)),
    ("exp", 3, "z:exp(x) {ew_n:.0e}", "ms", ("ratio", 1.3)),
    ("sum2", 3, "m:sum(2) {sum_n}x{sum_n}", "ms", ("ratio", 1.3)),
    ("mlp", 4, "MLP {mlp_in}-{mlp_hidden}-{mlp_out} b{mlp_batch} train step", "ms", ("ratio", 1.3)),
    ("conv", 4, "SpatialConvolution seed fwd+bwd", "ms", ("ratio", 1.3)),
    ("lenet", 4, "LeNet float b{lenet[batch]} train step", "ms", ("ratio", 1.3)),
    ("lstm", 4, "nngraph LSTM {lstm_rnn} b{lstm_batch} fwd+bwd", "ms", ("ratio", 1.3)),
    ("seed_sel_q", 5, "select_one_output_question.lua", "s", None),
    ("seed_sel_a", 5, "select_one_output_answer.lua", "s", None),
    ("seed_cmul", 5, "gmodule_cmul_answer.lua", "s", None),
    ("seed_two", 5, "gmodule_two_paths_question.lua --snippet", "s", None),
    ("save", 6, "torch.save {ser_mb:.0f} MB model", "ms", None),
    ("load", 6, "torch.load {ser_mb:.0f} MB model", "ms", None),
]
CASE_NAMES = [c[0] for c in CASES]
SEEDS = {
    "seed_sel_q": ("select_one_output_question.lua", False),
    "seed_sel_a": ("select_one_output_answer.lua", False),
    "seed_cmul": ("gmodule_cmul_answer.lua", False),
    "seed_two": ("gmodule_two_paths_question.lua", True),
}
UNIT_SCALE = {"s": 1.0, "ms": 1e3, "us": 1e6}
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

# -- processes --------------------------------------------------------------------------------


class Proc:
    def __init__(self, rc, out, err, wall, maxrss_kb):
        self.rc, self.out, self.err, self.wall, self.maxrss_kb = rc, out, err, wall, maxrss_kb


# On Linux a child's ru_maxrss starts from the RSS of the process that forked it (the
# high-water mark survives exec), so children are started by a small spawner process
# forked before NumPy is imported and before any baseline allocates its arrays.
_SPAWNER = None


def _spawner_loop(rfd, wfd):
    rf, wf = os.fdopen(rfd, "r"), os.fdopen(wfd, "w")
    for line in rf:
        req = json.loads(line)
        p = _run_proc_here(req["cmd"], req["timeout"], req["env"], req["cwd"])
        wf.write(json.dumps([p.rc, p.out, p.err, p.wall, p.maxrss_kb]) + "\n")
        wf.flush()
    os._exit(0)


def start_spawner():
    global _SPAWNER
    if _SPAWNER is not None or not hasattr(os, "fork"):
        return
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w1)
        os.close(r2)
        try:
            _spawner_loop(r1, w2)
        finally:
            os._exit(0)
    os.close(r1)
    os.close(w2)
    _SPAWNER = (pid, os.fdopen(w1, "w"), os.fdopen(r2, "r"))


def stop_spawner():
    global _SPAWNER
    if _SPAWNER is not None:
        pid, w, r = _SPAWNER
        _SPAWNER = None
        w.close()
        r.close()
        os.waitpid(pid, 0)


def run_proc(cmd, timeout=900, env=None, cwd=None):
    """Run cmd (through the spawner when it runs): a Proc with the exit status, output,
    wall time and ru_maxrss (KiB) of this child alone."""
    if _SPAWNER is None:
        return _run_proc_here(cmd, timeout, env, cwd)
    _, w, r = _SPAWNER
    w.write(json.dumps({"cmd": cmd, "timeout": timeout, "env": env, "cwd": cwd}) + "\n")
    w.flush()
    return Proc(*json.loads(r.readline()))


def _run_proc_here(cmd, timeout=900, env=None, cwd=None):
    """Run cmd; wall time and ru_maxrss (KiB) of this child alone, through os.wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                             env=env, cwd=cwd)
        killer = threading.Timer(timeout, p.kill)
        killer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Proc(p.returncode, out.read().decode("utf-8", "replace"),
                    err.read().decode("utf-8", "replace"), wall, ru.ru_maxrss)


def torchlua_cmd():
    """The torchlua console script beside this Python (not a pyenv shim), else -m torchlua."""
    exe = os.path.join(os.path.dirname(sys.executable), "torchlua")
    if os.path.isfile(exe) and os.access(exe, os.X_OK):
        return [exe]
    return [sys.executable, "-m", "torchlua"]


def failure_reason(proc):
    """One short line saying why a run failed (the last line of a Python traceback, or
    the first line of a Lua error)."""
    lines = [ln.strip() for ln in proc.err.splitlines() if ln.strip()]
    if not lines:
        return "exit status %d" % proc.rc
    if any(ln.startswith("Traceback") for ln in lines):
        why = lines[-1]
    else:
        why = next((ln for ln in lines if not ln.startswith("stack traceback")), lines[0])
    return shorten(why, 70)


def shorten(s, n):
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 3] + "..."


def parse_bench(out):
    """@@BENCH / @@NA lines of a Lua case -> ({key: (median, min) seconds}, missing or None)."""
    res, missing = {}, None
    for line in out.splitlines():
        if line.startswith("@@BENCH "):
            parts = line.split()
            res[parts[1]] = (float(parts[2]), float(parts[4]) if len(parts) > 4 else float(parts[2]))
        elif line.startswith("@@NA "):
            missing = line[5:].strip()
    return res, missing


# -- runner -----------------------------------------------------------------------------------


class Bench:
    def __init__(self, mode, th=None, only=None, log=sys.stderr):
        self.mode = mode
        self.cfg = MODES[mode]
        self.sizes = dict(self.cfg["sizes"])
        self.sizes["ser_mb"] = (self.sizes["ser_layers"] * 2 * self.sizes["ser_width"]
                                * (self.sizes["ser_width"] + 1) * 8 / 1e6)
        self.repeat = self.cfg["repeat"]
        self.th = th
        self.only = only
        self.log = log
        self.tl = torchlua_cmd()
        self.tmp = tempfile.mkdtemp(prefix="torchlua_bench_")
        self.rows = {k: {"case": k} for k in CASE_NAMES}
        self.notes = []

    def say(self, msg):
        print(msg, file=self.log, flush=True)

    def wanted(self, *keys):
        return self.only is None or any(k in self.only for k in keys)

    def row(self, key, **kw):
        self.rows[key].update(kw)

    # one Lua case script, under torchlua and (th=True) under th
    def lua_case(self, name, body, keys, th=False, extra=None):
        params = dict(self.sizes, **(extra or {}))
        params.pop("ser_mb", None)
        path = os.path.join(self.tmp, name + ".lua")
        with open(path, "w") as f:
            f.write(L.script(body, params, self.repeat))
        runs = [("torchlua", self.tl)]
        if th and self.th:
            runs.append(("th", [self.th]))
        for who, cmd in runs:
            self.say("  %s: %s" % (who, name))
            proc = run_proc(cmd + [path])
            res, missing = parse_bench(proc.out)
            if missing is None and proc.rc != 0:
                missing = failure_reason(proc)
            for k in keys:
                if k in res:
                    if who == "torchlua":
                        self.row(k, torchlua=res[k][0], torchlua_min=res[k][1],
                                 rss_kb=proc.maxrss_kb)
                    else:
                        self.row(k, th=res[k][0], th_min=res[k][1], th_rss_kb=proc.maxrss_kb)
                else:
                    why = missing or "no result"
                    self.row(k, **{("torchlua_na" if who == "torchlua" else "th_na"): why})

    def baseline(self, fn, keys):
        try:
            res = fn(self.sizes, self.repeat)
        except Exception as e:  # a baseline bug must not hide the other cases
            for k in keys:
                self.row(k, baseline_na="error: %s" % shorten(str(e), 50))
            return {}
        for k in keys:
            if k in res:
                self.row(k, baseline=res[k][0], baseline_min=res[k][1])
        return res

    def proc_case(self, key, cmd, th_cmd=None, env=None, runs=None):
        """Median wall time of fresh processes after a warm-up run; max RSS."""
        runs = runs or self.cfg["proc_runs"]
        for who, c in (("torchlua", cmd), ("th", th_cmd)):
            if c is None:
                continue
            self.say("  %s: %s" % (who, key))
            walls, rss, last = [], 0, None
            if self.cfg.get("proc_warm", True):
                last = run_proc(c, env=env)       # warm-up: Numba cache, page cache
            if last is None or last.rc == 0:
                for _ in range(runs):
                    last = run_proc(c, env=env)
                    if last.rc != 0:
                        break
                    walls.append(last.wall)
                    rss = max(rss, last.maxrss_kb)
            ok = bool(walls) and last.rc == 0
            if who == "torchlua":
                if ok:
                    self.row(key, torchlua=float(statistics.median(walls)),
                             torchlua_min=min(walls), rss_kb=rss)
                else:
                    self.row(key, torchlua_na=failure_reason(last))
            else:
                if ok:
                    self.row(key, th=float(statistics.median(walls)), th_min=min(walls),
                             th_rss_kb=rss)
                else:
                    self.row(key, th_na=failure_reason(last))

    # -- the six sections --
    def run(self):
        t_start = time.perf_counter()
        th = [self.th] if self.th else None
        if self.wanted("startup_nn", "startup_print"):
            self.say("1. start-up")
            self.proc_case("startup_nn", self.tl + ["-e", "require 'nn'"],
                           th and th + ["-e", "require 'nn'"])
            self.proc_case("startup_print", self.tl + ["-e", "print(1)"],
                           th and th + ["-e", "print(1)"])
            runs = []
            if self.cfg.get("proc_warm", True):
                run_proc([sys.executable, "-c", "import numpy"])
            for _ in range(self.cfg["proc_runs"]):
                runs.append(run_proc([sys.executable, "-c", "import numpy"]).wall)
            for k in ("startup_nn", "startup_print"):
                self.row(k, baseline=float(statistics.median(runs)), baseline_min=min(runs))
            self.check_numba_at_startup()
        if self.wanted("add", "size", "index", "narrow"):
            self.say("2. small ops")
            keys = ["add", "size", "index", "narrow"]
            self.lua_case("small_ops", L.SMALL_OPS, keys, th=True)
            self.baseline(B.small_ops, keys)
        if self.wanted("mm", "addmm"):
            self.say("3. large ops")
            self.lua_case("large_mm", L.LARGE_MM, ["mm", "addmm"], th=True)
            self.baseline(B.large_mm, ["mm", "addmm"])
        if self.wanted("cmul", "exp"):
            self.lua_case("large_ewise", L.LARGE_EWISE, ["cmul", "exp"], th=True)
            self.baseline(B.large_ewise, ["cmul", "exp"])
        if self.wanted("sum2"):
            self.lua_case("large_sum", L.LARGE_SUM, ["sum2"], th=True)
            self.baseline(B.large_sum, ["sum2"])
        for key, body, fn in (("mlp", L.NN_MLP, B.nn_mlp), ("conv", L.NN_CONV, B.nn_conv),
                              ("lenet", L.NN_LENET, B.nn_lenet),
                              ("lstm", L.NN_LSTM, B.nn_lstm)):
            if self.wanted(key):
                if key == "mlp":
                    self.say("4. nn")
                self.lua_case("nn_" + key, body, [key], th=True)
                self.baseline(fn, [key])
        seeds = [k for k in SEEDS if self.wanted(k)]
        if seeds:
            self.say("5. seed scripts")
        for key in seeds:
            fname, snippet = SEEDS[key]
            path = os.path.join(EXAMPLES, fname)
            cmd = self.tl + (["--snippet"] if snippet else []) + [path]
            th_cmd = None
            if self.th:
                th_cmd = [self.th, self.th_snippet(path) if snippet else path]
            self.proc_case(key, cmd, th_cmd, runs=max(1, self.cfg["proc_runs"] // 2))
        if self.wanted("save", "load"):
            self.say("6. serialization")
            path = os.path.join(self.tmp, "model.t7")
            self.lua_case("serialize", L.SERIALIZE, ["save", "load"], th=True,
                          extra={"ser_path": path})
            self.baseline(B.serialize, ["save", "load"])
        self.total = time.perf_counter() - t_start
        shutil.rmtree(self.tmp, ignore_errors=True)

    def th_snippet(self, path):
        """What torchlua --snippet does, for th: preload nn/nngraph, '#' tails -> comments."""
        out = ["require 'nn'; pcall(require, 'nngraph')"]
        with open(path) as f:
            for line in f.read().splitlines():
                out.append(re.sub(r"(?<=[\w\)\]\}])(\s+)#([^'\"]*)$", r"\1--\2", line))
        dst = os.path.join(self.tmp, "th_" + os.path.basename(path))
        with open(dst, "w") as f:
            f.write("\n".join(out) + "\n")
        return dst

    def check_numba_at_startup(self):
        """Does `torchlua -e "require 'nn'"` import Numba (and so possibly compile)?"""
        env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
        for key, code in (("startup_nn", "require 'nn'"), ("startup_print", "print(1)")):
            if not self.wanted(key):
                continue
            proc = run_proc(self.tl + ["-e", code], env=env)
            if proc.rc != 0:
                continue
            mods = [ln.rsplit("|", 1)[-1].strip() for ln in proc.err.splitlines()
                    if ln.startswith("import time:")]
            numba = any(m == "numba" or m.startswith("numba.") for m in mods)
            self.row(key, numba_imported=numba)
            self.notes.append("%s: Numba %s" % (
                CASES[CASE_NAMES.index(key)][2],
                "IMPORTED at start-up" if numba else "not imported (no compilation possible)"))

    # -- reporting --
    def label(self, key):
        lab = CASES[CASE_NAMES.index(key)][2]
        try:
            return lab.format(**self.sizes)
        except (KeyError, ValueError, IndexError):
            return lab

    def verdict(self, key):
        r = self.rows[key]
        target = CASES[CASE_NAMES.index(key)][4]
        if target is None or "torchlua" not in r:
            return ""
        kind, lim = target
        unit = CASES[CASE_NAMES.index(key)][3]
        if kind == "abs":
            ok = r["torchlua"] * UNIT_SCALE[unit] <= lim
            goal = "<= %g %s" % (lim, {"us": "µs"}.get(unit, unit))
        else:
            if "baseline" not in r:
                return ""
            ok = r["torchlua"] / r["baseline"] <= lim
            goal = "<= %gx" % lim
        r["target"], r["target_met"] = goal, ok
        return "%s %s" % ("ok" if ok else "MISSED", goal)

    def table(self):
        unitname = {"s": "s", "ms": "ms", "us": "µs"}
        head = ["case", "torchlua", "NumPy", "ratio", "ratio of minima", "peak RSS", "target"]
        if self.th:
            head += ["Torch7", "tl/T7"]
        lines = []
        rows = []
        for key, section, _, unit, _ in CASES:
            r = self.rows[key]
            if self.only is not None and key not in self.only:
                continue
            sc = UNIT_SCALE[unit]

            def fmt(v):
                return "%.3g %s" % (v * sc, unitname[unit])

            tl = fmt(r["torchlua"]) if "torchlua" in r else \
                "n/a (missing: %s)" % r.get("torchlua_na", "not run")
            if "baseline" in r:
                base = fmt(r["baseline"])
            elif "baseline_na" in r:
                base = "n/a (%s)" % r["baseline_na"]
            else:
                base = "-"
            ratio = "%.2f" % (r["torchlua"] / r["baseline"]) \
                if "torchlua" in r and r.get("baseline") else "-"
            best = "%.2f" % (r["torchlua_min"] / r["baseline_min"]) \
                if "torchlua_min" in r and r.get("baseline_min") else "-"
            rss = "%.0f MB" % (r["rss_kb"] / 1024) if "rss_kb" in r else "-"
            cells = ["%d. %s" % (section, self.label(key)), tl, base, ratio, best, rss,
                     self.verdict(key)]
            if self.th:
                if "th" in r:
                    cells += [fmt(r["th"]), "%.2f" % (r["torchlua"] / r["th"])
                              if "torchlua" in r and r["th"] > 0 else "-"]
                else:
                    thna = r.get("th_na")
                    cells += ["n/a (%s)" % thna if thna else "-", "-"]
            rows.append(cells)
        widths = [max(len(str(c[i])) for c in rows + [head]) for i in range(len(head))]
        fmtrow = lambda cells: "| " + " | ".join(  # noqa: E731
            str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
        lines.append(fmtrow(head))
        lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        lines += [fmtrow(c) for c in rows]
        return "\n".join(lines)


def machine():
    info = {"cpus": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version()}
    if "numpy" in sys.modules:
        info["numpy"] = sys.modules["numpy"].__version__
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            if m:
                info["cpu"] = m.group(1).strip()
    except OSError:
        pass
    try:
        info["loadavg"] = os.getloadavg()
    except OSError:
        pass
    return info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes and repeats (< 2 min)")
    ap.add_argument("--tiny", action="store_true",
                    help="toy sizes, single repeats (also TORCHLUA_BENCH_TINY=1)")
    ap.add_argument("--json", metavar="OUT", help="write the results as JSON")
    ap.add_argument("--th", metavar="PATH", help="Torch7's th: also run every case under it")
    ap.add_argument("--threads", type=int, metavar="N",
                    help="BLAS/OpenMP threads for torchlua, th and the baselines "
                    "(sets OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS); "
                    "1 gives steady figures on a shared machine")
    ap.add_argument("--cases", metavar="LIST",
                    help="comma-separated case keys to run (default all): "
                    + ",".join(CASE_NAMES))
    a = ap.parse_args(argv)
    mode = "tiny" if (a.tiny or os.environ.get("TORCHLUA_BENCH_TINY") == "1") else \
        "quick" if a.quick else "full"
    if a.th and not (os.path.isfile(a.th) and os.access(a.th, os.X_OK)):
        ap.error("--th: %s is not an executable file" % a.th)
    only = [s.strip() for s in a.cases.split(",") if s.strip()] if a.cases else None
    if only and set(only) - set(CASE_NAMES):
        ap.error("--cases: unknown %s" % ",".join(sorted(set(only) - set(CASE_NAMES))))
    global B
    if a.threads is not None:
        if a.threads < 1:
            ap.error("--threads: N must be >= 1")
        for var in THREAD_VARS:     # before NumPy is imported and the spawner forks
            os.environ[var] = str(a.threads)
    start_spawner()
    try:
        import bench_numpy
        B = bench_numpy
        b = Bench(mode, th=os.path.abspath(a.th) if a.th else None, only=only)
        info = machine()
        started = datetime.datetime.now(datetime.timezone.utc)
        b.say("torchlua benchmarks (%s mode) on %s, %s CPUs; torchlua = %s"
              % (mode, info.get("cpu", "?"), info["cpus"], " ".join(b.tl)))
        b.run()
    finally:
        stop_spawner()
    table = b.table()
    info["threads"] = a.threads or "library default"
    print("torchlua benchmarks, %s mode, %s, %s CPUs (%s), %s, BLAS threads: %s, "
          "load average at start %s"
          % (mode, started.strftime("%Y-%m-%d %H:%M UTC"),
             info["cpus"], info.get("cpu", "?"), info["platform"], info["threads"],
             " ".join("%.1f" % x for x in info.get("loadavg", ()))))
    print(table)
    for n in b.notes:
        print("note: " + n)
    print("total %.1f s" % b.total)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"mode": mode, "machine": info, "sizes": b.sizes, "repeat": b.repeat,
                       "date": started.isoformat(),
                       "th": b.th, "rows": [dict(b.rows[k], label=b.label(k),
                                                 unit=CASES[i][3], section=CASES[i][1])
                                            for i, k in enumerate(CASE_NAMES)],
                       "notes": b.notes, "total_s": b.total}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
