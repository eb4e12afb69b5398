"""Models saved by Torch7 (tests/fixtures/t7, see expected.tsv) load in torchlua and
forward to the outputs Torch7 computed."""
from pathlib import Path

import pytest

import torchlua

T7 = Path(__file__).parent / "fixtures" / "t7"


def expected():
    rows = {}
    for line in (T7 / "expected.tsv").read_text().splitlines():
        name, _, text = line.partition("\t")
        rows[name] = text
    return rows


def expected_outputs(name):
    return [float(v) for v in expected()[name].rsplit(" = ", 1)[1].split()]


CASES = {
    "mlp": "torch.range(1, 4):div(4)",
    "convnet": "torch.range(1, 36):view(1, 6, 6):div(36)",
    "gmodule": "torch.Tensor{0.1, -0.2, 0.3}",
}


@pytest.fixture(scope="module")
def rt():
    r = torchlua.Runtime()
    r.execute("require 'nn'; require 'nngraph'")
    return r


@pytest.mark.parametrize("fmt", ["", ".ascii"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_reference_model_forward(rt, name, fmt):
    path = str(T7 / (name + fmt + ".t7"))
    code = """local path, input = ...
      local m = torch.load(path, %s)
      local out = m:forward(loadstring('return ' .. input)())
      local t = {}
      for i = 1, out:nElement() do t[i] = string.format('%%.17g', out:view(-1)[i]) end
      return table.concat(t, ' '), torch.type(m)""" % ("'ascii'" if fmt else "'binary'")
    text, typename = rt.execute(code, path, CASES[name])
    got = [float(v) for v in text.split()]
    want = expected_outputs(name)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        # BLAS may sum in another order than Torch7's: allow the last bits only
        assert g == pytest.approx(w, rel=1e-13, abs=1e-16)
    assert typename == ("nn.gModule" if name == "gmodule" else "nn.Sequential")


def test_reference_criterion_loads(rt):
    loaded = rt.execute("""local c = torch.load(...)
        return torch.type(c), c.sizeAverage,
               c:forward(torch.Tensor{{-1, -2}, {-3, -0.5}}, torch.LongTensor{1, 2})""",
                        str(T7 / "criterion.t7"))
    assert loaded[0] == "nn.ClassNLLCriterion"
    assert loaded[1] is True
    assert loaded[2] == pytest.approx(0.75)
