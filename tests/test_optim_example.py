"""examples/train_mlp.lua, run with the torchlua command as a user would."""
import re
import subprocess
import sys
from pathlib import Path


SCRIPT = Path(__file__).resolve().parent.parent / "examples" / "train_mlp.lua"
TORCHLUA = [sys.executable, "-I", "-m", "torchlua"]


def run(tmp_path, *options):
    return subprocess.run(TORCHLUA + [str(SCRIPT), "-save", str(tmp_path / "out")] + list(options),
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)


def test_train_mlp_short_run(tmp_path):
    r = run(tmp_path, "-epochs", "3", "-nPerClass", "40")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    # one printed ConfusionMatrix per epoch, in optim's format
    assert out.count("ConfusionMatrix:\n") == 3
    for epoch in (1, 2, 3):
        assert re.search(r"^epoch %d/3  mean loss \d+\.\d{6}  \(" % epoch, out, re.M)
    block = out.split("ConfusionMatrix:\n")[1].split("\n")
    assert re.fullmatch(r"\[\[ *\d+ *\d+\]   \d+\.\d{3}% \t\[class: spiral 1\]", block[0])
    assert re.fullmatch(r" \[ *\d+ *\d+\]\]  \d+\.\d{3}% \t\[class: spiral 2\]", block[1])
    assert block[4].startswith(" + global correct: ")
    # the Logger's file: header, then one row per epoch
    log = (tmp_path / "out" / "train.log").read_text().split("\n")
    assert log[0] == "epoch\tmean loss\t% global accuracy\t"
    assert len(log) == 5 and log[4] == ""
    for i, row in enumerate(log[1:4], start=1):
        cells = row.split("\t")
        assert cells[0] == "%11.4e" % i and cells[-1] == ""
        assert re.fullmatch(r" \d\.\d{4}e[+-]\d\d", cells[1])
    # every sample was counted once per epoch: 80 points
    m = re.findall(r"^\[\[ *(\d+) *(\d+)\].*\n \[ *(\d+) *(\d+)\]\]", out, re.M)
    assert len(m) == 3 and all(sum(map(int, g)) == 80 for g in m)


def test_train_mlp_is_deterministic(tmp_path):
    a = run(tmp_path, "-epochs", "2", "-nPerClass", "30", "-quiet")
    b = run(tmp_path, "-epochs", "2", "-nPerClass", "30", "-quiet")
    strip = lambda s: re.sub(r"\(\d+\.\d+s\)", "", s)
    assert a.returncode == 0 and strip(a.stdout) == strip(b.stdout)
    c = run(tmp_path, "-epochs", "2", "-nPerClass", "30", "-quiet", "-seed", "2")
    assert strip(c.stdout) != strip(a.stdout)


def test_train_mlp_full_run_reaches_95_percent(tmp_path):
    r = run(tmp_path, "-quiet")
    assert r.returncode == 0, r.stderr
    acc = float(re.search(r"final training accuracy: (\d+\.\d+)%", r.stdout).group(1))
    assert acc > 95
    log = (tmp_path / "out" / "train.log").read_text().split("\n")
    assert float(log[-2].split("\t")[2]) > 95  # accuracy measured during the last epoch
