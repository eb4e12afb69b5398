"""print(module) text: the nn cases Torch7 itself printed (fixtures/printing),
and the __tostring__ formats of the other modules (upstream's format strings)."""
import os

import pytest

from test_nn_helpers import lua, rt  # noqa: F401  (rt is a fixture)

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "printing", "torch7_printing.txt")


def _cases():
    cases, name = {}, None
    with open(FIXTURE, encoding="utf-8") as f:
        for line in f.read().splitlines(keepends=True):
            if line.startswith("=== "):
                name = line[4:].rstrip("\n")
                cases[name] = []
            elif name is not None:
                cases[name].append(line)
    return {k: "".join(v) for k, v in cases.items()}


CASES = _cases()

# fixture case -> the modules printed, one print() each
BUILT = {
    "nn.Linear": ["nn.Linear(3, 5)"],
    "nn.Linear noBias": ["nn.Linear(3, 5, false)"],
    "nn.BatchNormalization": ["nn.BatchNormalization(10)"],
    "nn.Dropout": ["nn.Dropout(0.3)"],
    "nn.View": ["nn.View(1, -1)"],
    "nn.Reshape": ["nn.Reshape(2, 3)"],
    "nn.LookupTable": ["nn.LookupTable(10, 3)"],
    "nn.ReLU Tanh Sigmoid LogSoftMax Identity Squeeze":
        ["nn.ReLU()", "nn.Tanh()", "nn.Sigmoid()", "nn.LogSoftMax()", "nn.Identity()", "nn.Squeeze()"],
    "nn.SplitTable JoinTable SelectTable CAddTable":
        ["nn.SplitTable(1)", "nn.JoinTable(1)", "nn.SelectTable(2)", "nn.CAddTable()"],
    "criterions": ["nn.MSECriterion()", "nn.ClassNLLCriterion()", "nn.SmoothL1Criterion()",
                   "nn.CrossEntropyCriterion()"],
    "nn.Sequential": ["nn.Sequential():add(nn.Linear(784, 500)):add(nn.Tanh())"
                      ":add(nn.Linear(500, 10)):add(nn.LogSoftMax())"],
    "nested containers": ["""nn.Sequential()
        :add(nn.Concat(1):add(nn.Linear(3, 4)):add(nn.Sequential():add(nn.Linear(3, 2)):add(nn.ReLU())))
        :add(nn.View(6))
        :add(nn.ConcatTable():add(nn.Identity()):add(nn.Tanh()))
        :add(nn.ParallelTable():add(nn.Identity()):add(nn.Linear(2, 2)))
        :add(nn.CAddTable())"""],
    "nn.Parallel": ["nn.Parallel(1, 1):add(nn.Linear(2, 3)):add(nn.Linear(2, 3))"],
    "empty Sequential": ["nn.Sequential()"],
}

# the fixture's other nn cases need modules outside this package's scope
NOT_HERE = {"nn.SpatialConvolution padded", "nn.SpatialConvolution plain", "nn.SpatialConvolutionMM",
            "nn.SpatialMaxPooling", "nn.SpatialMaxPooling ceil", "nn.SpatialAveragePooling",
            "nn.SpatialBatchNormalization", "nn.DepthConcat", "gModule", "nngraph node"}


@pytest.mark.parametrize("name", sorted(BUILT))
def test_reference_print(rt, name, capsys):
    for expr in BUILT[name]:
        lua(rt, f"print({expr})")
    assert capsys.readouterr().out == CASES[name]


def test_every_nn_fixture_case_is_covered():
    nn_cases = {k for k in CASES if k.startswith("nn.") or k in ("criterions", "nested containers",
                                                                 "empty Sequential", "gModule",
                                                                 "nngraph node")}
    assert nn_cases - set(BUILT) == NOT_HERE


# upstream's __tostring__ formats for modules the fixture does not show
FORMATS = [
    ("nn.LeakyReLU(0.1)", "nn.LeakyReLU(0.1)"),
    ("nn.ELU()", "nn.ELU (alpha:1.000000)"),
    ("nn.RReLU()", "nn.RReLU (l:0.125000, u:0.333333)"),
    ("nn.WhiteNoise()", "nn.WhiteNoise mean: 0.000000, std: 0.100000"),
    ("nn.Normalize(2)", "nn.Normalize(2)"),
    ("nn.Normalize(1.5)", "nn.Normalize(1.500000)"),
    ("nn.Unsqueeze(2)", "nn.Unsqueeze(dim 2)"),
    ("nn.Bilinear(2, 3, 4)", "nn.Bilinear(2x3 -> 4) "),
    ("nn.Bilinear(2, 3, 4, false)", "nn.Bilinear(2x3 -> 4)  without bias"),
    ("nn.LinearWeightNorm(3, 4)", "nn.LinearWeightNorm(3 -> 4)"),
    ("nn.PartialLinear(3, 4)", "nn.PartialLinear(3 -> 4)"),
    ("nn.BatchNormalization(4, 1e-5, 0.1, false)", "nn.BatchNormalization (2D) (4)"),
    ("nn.CReLU(1)", "CReLU()"),
    ("nn.Bottle(nn.Linear(3, 5))", "nn.Bottle @ nn.Linear(3 -> 5)"),
    ("nn.Bottle(nn.Tanh())", "nn.Bottle @ nn.Tanh"),
    ("nn.NaN(nn.Linear(3, 5), 7)", "nn.NaN(7) @ nn.Linear(3 -> 5)"),
    ("nn.GPU(nn.Linear(3, 5), 2)", "nn.GPU(2) @ nn.Linear(3 -> 5)"),
    ("nn.MapTable()", "nn.MapTable { }"),
    ("nn.MapTable(nn.Sequential():add(nn.Tanh()))",
     "nn.MapTable {\n  nn.Sequential {\n          [input -> (1) -> output]\n          (1): nn.Tanh\n        }\n}"),
    ("nn.Maxout(3, 2, 2)",
     "nn.Sequential {\n  [input -> (1) -> (2) -> (3) -> output]\n  (1): nn.Linear(3 -> 4)\n"
     "  (2): nn.View(2, 2)\n  (3): nn.Max\n}"),
    ("nn.DepthConcat(1):add(nn.Identity())",
     "nn.DepthConcat {\n  input\n     `-> (1): nn.Identity\n     ... -> output\n}"),
]


@pytest.mark.parametrize("expr,text", FORMATS)
def test_tostring_format(rt, expr, text):
    assert lua(rt, f"return tostring({expr})") == text
