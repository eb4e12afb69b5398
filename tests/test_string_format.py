"""string.format prints numbers as Torch7's LuaJIT did (lua_prelude/torchlua_format.lua).
Every expected string below is what Torch7's th (LuaJIT 2.1.0-beta3) printed."""
import pytest

import torchlua

# (format, value, th's text)
TH_CASES = [
    ("%.3f", 0.0625, "0.063"),
    ("%.0f", 2.5, "3"),
    ("%.0f", 3.5, "4"),
    ("%.0f", 0.5, "1"),
    ("%.0f", -0.5, "-1"),
    ("%.1f", 0.25, "0.3"),
    ("%.1f", 87.25, "87.3"),
    ("%.1f", 87.75, "87.8"),
    ("%.2f", 0.125, "0.13"),
    ("%.2f", 0.375, "0.38"),
    ("%.2f", 1.005, "1.00"),          # not a tie: 1.00499999...
    ("%5.1f", -0.25, " -0.3"),
    ("%-8.2f|", 0.125, "0.13    |"),
    ("%+.1f", 0.25, "+0.3"),
    ("%#.0f", 2.5, "3."),
    ("%05.1f", 0.25, "000.3"),
    ("%.2e", 1.125, "1.13e+00"),
    ("%.1e", 125, "1.3e+02"),
    ("%.1E", -125, "-1.3E+02"),
    ("%.17g", 419.101348876953125, "419.10134887695313"),
    ("%.3g", 1.0625, "1.06"),         # 1.0625 to 3 digits is no tie
    ("%.4g", 1.0625, "1.063"),
    ("%.2g", 10.5, "11"),
    ("%.3g", 100.5, "101"),
    ("%.1g", 2.5, "3"),
    ("%.1g", 9.5, "1e+01"),
    ("%g", 2.5, "2.5"),
    ("%.4f", 2.34375, "2.3438"),
    ("%.1f", 1 / 3, "0.3"),
    ("%.0f", 5e-324, "0"),
    ("%f", -5e-324, "-0.000000"),
    ("%.3f", 1e-310, "0.000"),
    ("%.20f", 2 ** -200, "0.00000000000000000000"),
    ("%.2e", 5e-324, "4.94e-324"),
    ("%.0f", 2.0 ** 70 + 2.0 ** 20, "1180591620717412352000"),
]


@pytest.fixture(scope="module")
def fmt():
    rt = torchlua.Runtime()
    return rt.eval("function(f, x) return string.format(f, x) end")


@pytest.mark.parametrize("spec,value,want", TH_CASES)
def test_numbers_print_as_in_th(fmt, spec, value, want):
    assert fmt(spec, float(value)) == want


def test_several_conversions_and_literal_percent():
    rt = torchlua.Runtime()
    got = rt.eval("string.format('%5.2f%%  %s %d %.1f', 12.125, 'abc', 7, 0.75)")
    assert got == "12.13%  abc 7 0.8"
    assert rt.eval("('%.1f'):format(0.25)") == "0.3"
    assert rt.eval("string.format('%.2f', '0.125')") == "0.13"


def test_bad_arguments_still_name_the_script_line(tmp_path):
    rt = torchlua.Runtime()
    script = tmp_path / "fmt_err.lua"
    script.write_text("local a = 1\nlocal s = ('%.1f x %d'):format(0.25, {})\nreturn s\n")
    with pytest.raises(torchlua.LuaError) as e:
        rt.run_file(str(script))
    assert "fmt_err.lua:2: bad argument #2 to 'format' (number expected, got table)" in str(e.value)


def test_tostring_print_and_io_write_of_numbers_as_th(capsys):
    rt = torchlua.Runtime()
    # th: print(2^-21, 1234567890123.25, -2^-21, 0.1, 2.5, 12345678901234.5)
    rt.execute("print(2^-21, 1234567890123.25, -2^-21, 0.1, 2.5, 12345678901234.5)")
    rt.execute("io.write(2^-21, ' ', 1234567890123.25, '\\n')")
    out = capsys.readouterr().out
    assert out == ("4.7683715820313e-07\t1234567890123.3\t-4.7683715820313e-07\t0.1\t2.5\t"
                   "12345678901235\n4.7683715820313e-07 1234567890123.3\n")
    assert rt.eval("tostring(2^-21)") == "4.7683715820313e-07"
    assert rt.eval("tostring(nil) .. tostring(true) .. tostring('s')") == "niltrues"
