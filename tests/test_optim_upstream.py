"""Torch7 optim's own test scripts (test/test_*.lua at HEAD), run unchanged with the
torchlua command.  They are read from the fetched upstream repository (never copied
into this project): exported with `git archive` into a temporary folder.  Skipped
when that repository is not on this machine."""
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile

import numpy as np
import pytest

MIRROR = os.environ.get("TORCHLUA_OPTIM_REPO", "/work/.mirror/torch+optim/repo")
TORCHLUA = [sys.executable, "-I", "-m", "torchlua"]

pytestmark = pytest.mark.skipif(
    not os.path.isdir(MIRROR) or shutil.which("git") is None,
    reason="upstream torch/optim repository not available")


@pytest.fixture(scope="module")
def testdir(tmp_path_factory):
    out = tmp_path_factory.mktemp("optim_upstream")
    tar = subprocess.run(["git", "--git-dir", MIRROR, "archive", "HEAD", "test"],
                         capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(out)
    return out / "test"


def run(testdir, name, timeout=600):
    r = subprocess.run(TORCHLUA + ["test_%s.lua" % name], cwd=testdir, capture_output=True,
                       text=True, timeout=timeout)
    return r


def parse(out):
    """The printed x (a column of numbers) and the last f value of the fx= table."""
    lines = out.split("\n")
    i = lines.index("x=\t")
    xs = []
    for line in lines[i + 1:]:
        if line.startswith("["):
            break
        xs.append(float(line))
    j = lines.index("fx=\t")
    fs = [float(l.split("\t")[1]) for l in lines[j + 1:] if l.count("\t") >= 2]
    return np.array(xs), fs


@pytest.mark.parametrize("name,xtol,ftol", [
    # adam: Torch7's th itself ends this script at f = 4.7132840039642e-08
    ("sgd", 2e-2, 1e-4), ("adagrad", 1e-4, 1e-8), ("adam", 1e-4, 1e-7), ("adamax", 1e-4, 1e-8),
    ("adadelta", 2e-2, 1e-4), ("rmsprop", 1e-3, 1e-4),
    ("cg", 1e-4, 1e-8), ("lbfgs", 1e-3, 1e-6), ("lbfgs_w_ls", 1e-4, 1e-8),
])
def test_upstream_rosenbrock(testdir, name, xtol, ftol):
    r = run(testdir, name)
    assert r.returncode == 0, r.stderr
    x, fs = parse(r.stdout)
    np.testing.assert_allclose(x, [1, 1], atol=xtol)
    assert fs[0] == 1 and fs[-1] < ftol


def test_upstream_de(testdir):
    r = run(testdir, "de")
    assert r.returncode == 0, r.stderr
    x, fs = parse(r.stdout)
    assert len(fs) == 3000
    np.testing.assert_allclose(x, [1, 1], atol=1e-4)


def test_upstream_cmaes(testdir):
    r = run(testdir, "cmaes")
    assert r.returncode == 0, r.stderr
    x, fs = parse(r.stdout)
    np.testing.assert_allclose(x, np.ones(10), atol=1e-4)
    n = int(re.search(r"Number of function evals = \t(\d+)", r.stdout).group(1))
    assert n <= 10000 and fs[0] == 9


def test_upstream_confusion(testdir):
    r = run(testdir, "confusion")
    assert r.returncode == 0, r.stderr
    assert "ConfusionMatrix:\n[[" in r.stdout and "[class: 9]" in r.stdout


def test_upstream_logger(testdir):
    r = run(testdir, "logger")
    assert r.returncode == 0, r.stderr
    new = (testdir / "accuracy-new.log").read_text().split("\n")
    assert new[0] == "channel 1\tchannel 2\tchannel 3\t"
    assert new[1] == " 1.0000e+00\t 1.0000e-01\t 8.0000e-01\t"
    assert len(new) == 22
    former = (testdir / "accuracy-former.log").read_text().split("\n")
    assert sorted(former[0].split("\t")) == ["", "channel 1", "channel 2", "channel 3"]


def test_upstream_fista_needs_unsup(testdir):
    # test_fista.lua drives optim.FistaL1 from the separate `unsup` package
    r = run(testdir, "fista")
    assert r.returncode != 0 and "unsup" in r.stderr
