"""scripts/bench.py runs end to end (toy sizes) and prints every case; no timing checks."""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "scripts", "bench.py")
TH = "/work/torch7ref/th"

# what the issue asks the table to show, one entry per case
CASE_TEXT = [
    "start-up: -e \"require 'nn'\"", "start-up: -e \"print(1)\"",
    "x:add(y)", "x:size(1)", "x[i]", "x:narrow(1,2,3)",
    "torch.mm", "C:addmm(A,B)", "z:cmul(x,y)", "z:exp(x)", "m:sum(2)",
    "MLP", "SpatialConvolution seed fwd+bwd", "LeNet float", "nngraph LSTM",
    "select_one_output_question.lua", "select_one_output_answer.lua",
    "gmodule_cmul_answer.lua", "gmodule_two_paths_question.lua --snippet",
    "torch.save", "torch.load",
]
HEADER = ["case", "torchlua", "NumPy", "ratio", "ratio of minima", "peak RSS", "target"]


def run_bench(*args, env=None):
    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, BENCH, *args], capture_output=True, text=True,
                          timeout=900, env=e, cwd=ROOT)


def table_rows(stdout):
    return [ln for ln in stdout.splitlines() if ln.startswith("| ")]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "out.json"
    proc = run_bench("--quick", "--json", str(out), env={"TORCHLUA_BENCH_TINY": "1"})
    return proc, out


def test_tiny_run_exits_0_and_prints_header(tiny_run):
    proc, _ = tiny_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = table_rows(proc.stdout)
    assert rows, proc.stdout
    head = [c.strip() for c in rows[0].strip("|").split("|")]
    assert head[:len(HEADER)] == HEADER
    assert "tiny mode" in proc.stdout


def test_every_case_is_in_the_table(tiny_run):
    proc, _ = tiny_run
    first_cells = [r.strip("|").split("|")[0] for r in table_rows(proc.stdout)[1:]]
    for text in CASE_TEXT:
        assert any(text in c for c in first_cells), (text, proc.stdout)
    assert len(first_cells) == len(CASE_TEXT)


def test_each_case_has_a_time_or_says_what_is_missing(tiny_run):
    proc, out = tiny_run
    data = json.loads(out.read_text())
    assert data["mode"] == "tiny"
    assert len(data["rows"]) == len(CASE_TEXT)
    for row in data["rows"]:
        if "torchlua" in row:
            assert row["torchlua"] > 0, row
        else:
            assert row["torchlua_na"], row
    for line in table_rows(proc.stdout)[1:]:
        cell = line.strip("|").split("|")[1].strip()
        assert cell.startswith("n/a (missing: ") or cell.split()[0].replace(".", "").replace(
            "e+", "").replace("e-", "").isdigit(), line


def test_start_up_is_checked_for_numba(tiny_run):
    proc, out = tiny_run
    rows = {r["case"]: r for r in json.loads(out.read_text())["rows"]}
    if "torchlua" in rows["startup_nn"]:
        assert "numba_imported" in rows["startup_nn"]
        assert "note: start-up" in proc.stdout


def test_bad_th_path_is_an_error(tmp_path):
    proc = run_bench("--tiny", "--th", str(tmp_path / "no_such_th"))
    assert proc.returncode == 2
    assert "--th" in proc.stderr


def test_case_selection_runs_only_those_cases():
    proc = run_bench("--tiny", "--cases", "add,size")
    assert proc.returncode == 0, proc.stderr[-3000:]
    first_cells = [r.strip("|").split("|")[0] for r in table_rows(proc.stdout)[1:]]
    assert len(first_cells) == 2
    assert "x:add(y)" in first_cells[0] and "x:size(1)" in first_cells[1]


@pytest.mark.skipif(not os.access(TH, os.X_OK), reason="no reference Torch7 th at " + TH)
def test_torch7_columns_with_th():
    proc = run_bench("--tiny", "--th", TH, "--cases", "add,mlp,seed_cmul")
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = table_rows(proc.stdout)
    head = [c.strip() for c in rows[0].strip("|").split("|")]
    assert head[-2:] == ["Torch7", "tl/T7"]
    for line in rows[1:]:
        torch7 = line.strip("|").split("|")[-2].strip()
        assert torch7 != "-", line
