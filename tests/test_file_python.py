"""torchlua.serialization.file: Torch's File objects, checked against THDiskFile /
THMemoryFile semantics (formats, spacing, encodings, positions, error texts)."""
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from torchlua.serialization.file import DiskFile, MemoryFile, PipeFile, TorchFileError, c_cast

KIND_DTYPES = {"Byte": np.uint8, "Char": np.int8, "Short": np.int16, "Int": np.int32,
               "Long": np.int64, "Float": np.float32, "Double": np.float64}


@pytest.fixture(params=["disk", "memory"])
def rw(request, tmp_path):
    """A fresh read-write file of either kind, and a way to get its bytes."""
    if request.param == "memory":
        f = MemoryFile("rw")
        yield f, lambda: f.storage_bytes()[:-1]
    else:
        path = tmp_path / "f.bin"
        f = DiskFile(str(path), "rw")

        def contents():
            f.synchronize()
            return path.read_bytes()
        yield f, contents
    if f._is_open():
        f.close()


# -- ascii mode ------------------------------------------------------------------------

def test_new_files_are_ascii_with_autospacing(rw):
    f, _ = rw
    assert not f.isBinary() and f.isAutoSpacing() and not f.isQuiet() and not f.hasError()
    assert f.isReadable() and f.isWritable()


def test_ascii_formats_match_thdiskfile(rw):
    f, contents = rw
    f.writeInt(3)
    f.writeLong(-9007199254740992)
    f.writeShort(np.array([300, -301], np.int16))
    f.writeFloat(np.array([0.5, -1.25, 3, 0.001], np.float32))
    f.writeDouble(np.array([1.0, 0.1, 1 / 3, -1e300, 5e-324]))
    f.writeChar(np.frombuffer(b"hi there", np.int8))
    f.writeByte(np.array([0, 128, 255], np.uint8))
    f.writeDouble(np.array([]))            # zero elements: nothing, not even a newline
    f.writeString("raw")                    # strings never get spacing
    f.writeDouble(np.array([np.inf, -np.inf, np.nan, -np.nan]))
    assert contents() == (
        b"3\n-9007199254740992\n300 -301\n0.5 -1.25 3 0.00100000005\n"
        b"1 0.10000000000000001 0.33333333333333331 -1.0000000000000001e+300 "
        b"4.9406564584124654e-324\nhi there\n\x00\x80\xff\nrawinf -inf nan -nan\n")


def test_no_autospacing_concatenates(rw):
    f, contents = rw
    f.noAutoSpacing()
    f.writeInt(np.array([1, 2], np.int32))
    f.writeChar(np.frombuffer(b"ab", np.int8))
    f.writeInt(3)
    assert contents() == b"12ab3"


def test_ascii_round_trip_every_kind(rw):
    f, contents = rw
    values = {k: np.array(v, dtype=KIND_DTYPES[k]) for k, v in {
        "Byte": [0, 10, 32, 255], "Char": [-128, 10, 0, 127], "Short": [-32768, 32767],
        "Int": [-2**31, 2**31 - 1], "Long": [-2**63, 2**63 - 1, 0],
        "Float": [3.4028235e38, -1.1754944e-38, 1e-45, 0.1],
        "Double": [1.7976931348623157e308, 5e-324, -0.0, 0.1]}.items()}
    for kind, arr in values.items():
        f.write_array(kind, arr)
    f.seek(1)
    for kind, arr in values.items():
        got = f.read_array(kind, arr.size)
        assert got.dtype == arr.dtype
        np.testing.assert_array_equal(got, arr)
        if kind == "Double":
            assert np.signbit(got[2])
    assert f.position() == len(contents()) + 1


def test_ascii_reading_swallows_exactly_one_newline():
    f = MemoryFile.from_bytes(b"12\n\nab\n", "r")
    assert f.readInt() == 12
    assert f.position() == 4          # "12" and one "\n"
    # raw chars are read as they are: the second newline is data
    assert f.read_array("Char", 3).tobytes() == b"\nab"
    assert f.position() == 8          # and the newline after them is swallowed


def test_ascii_scanning_accepts_what_scanf_accepts():
    text = b"  +7\t-0x1.8p1 INF -Infinity nan(1) 1e400 1e-400 .5 5. 42"
    f = MemoryFile.from_bytes(text, "r")
    assert f.readInt() == 7
    got = f.read_array("Double", 9)
    assert got[0] == -3.0 and got[1] == np.inf and got[2] == -np.inf and np.isnan(got[3])
    assert got[4] == np.inf and got[5] == 0.0 and got[6] == 0.5 and got[7] == 5.0
    assert got[8] == 42.0


def test_ascii_integer_conversion_keeps_low_bits_like_glibc():
    # scanf's %d/%hd parse a long (saturating) then store the low bits
    f = MemoryFile.from_bytes(b"4294967297 70000 99999999999999999999999", "r")
    assert f.readInt() == 1
    assert f.readShort() == 4464
    assert f.readLong() == 2**63 - 1


def test_float_parsing_rounds_once_like_strtof():
    # a decimal just above the midpoint between 1 and the next float: going
    # through double first lands exactly on the midpoint and rounds to even (1.0)
    mid = Fraction(1) + Fraction(1, 2**24)
    above = mid + Fraction(1, 2**80)
    text = "%d.%s" % (1, str(above.numerator * 10**90 // above.denominator)[1:])
    assert float(text) == float(mid)                       # the double-rounding trap
    f = MemoryFile.from_bytes(text.encode(), "r")
    assert f.readFloat() == float(np.float32(1) + np.finfo(np.float32).eps)


def test_ascii_read_failure_disk_vs_memory_position(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"1   x")
    for f, expected_pos in ((DiskFile(str(path), "r"), 5), (MemoryFile.from_bytes(b"1   x"), 2)):
        f.quiet()
        assert f.read_array("Int", 2).tolist() == [1]
        assert f.hasError()
        # fscanf has eaten the blanks before failing; sscanf leaves the position alone
        assert f.position() == expected_pos
        f.close()


# -- binary mode -----------------------------------------------------------------------

def test_binary_is_native_little_endian(rw):
    f, contents = rw
    f.binary()
    f.writeInt(1)
    f.writeLong(-2)
    f.writeDouble(1.0)
    f.writeFloat(np.array([0.5], np.float32))
    f.writeShort(np.array([-2], np.int16))
    f.writeChar(np.frombuffer(b"ab", np.int8))
    assert sys.byteorder == "little"
    assert contents() == (b"\x01\0\0\0" + b"\xfe" + b"\xff" * 7 + b"\0" * 6 + b"\xf0\x3f"
                          + b"\0\0\0\x3f" + b"\xfe\xff" + b"ab")


def test_long_size_4_and_8(rw):
    f, contents = rw
    f.binary()
    f.longSize(4)
    f.writeLong(np.array([-1, 2**32 + 5], np.int64))   # stored as C ints: low 32 bits
    f.longSize(8)
    f.writeLong(-3)
    assert contents() == b"\xff" * 4 + b"\x05\0\0\0" + b"\xfd" + b"\xff" * 7
    f.seek(1)
    f.longSize(4)
    assert f.readLong(2).tolist() == [-1, 5]              # sign-extended back
    f.longSize(0)
    assert f.readLong() == -3
    with pytest.raises(TorchFileError, match="Invalid long size specified") as e:
        f.longSize(2)
    assert e.value.argnum == 1


def test_big_endian_encoding(tmp_path):
    path = tmp_path / "be.bin"
    with DiskFile(str(path), "w") as f:
        f.binary().bigEndianEncoding()
        f.writeInt(1)
        f.writeDouble(1.0)
        f.writeChar(np.frombuffer(b"xy", np.int8))
        f.littleEndianEncoding()
        f.writeShort(np.array([1], np.int16))
    assert path.read_bytes() == b"\0\0\0\x01" + b"\x3f\xf0" + b"\0" * 6 + b"xy" + b"\x01\0"
    f = DiskFile(str(path), "r").binary().bigEndianEncoding()
    assert (f.readInt(), f.readDouble()) == (1, 1.0)
    f.close()
    assert DiskFile.isLittleEndianCPU() != DiskFile.isBigEndianCPU()


def test_binary_read_error_and_quiet_partial_read(rw):
    f, _ = rw
    f.binary()
    f.writeInt(np.array([1, 2, 3], np.int32))
    f.writeChar(np.frombuffer(b"z", np.int8))   # a partial fourth int
    f.seek(1)
    with pytest.raises(TorchFileError, match=r"^read error: read 3 blocks instead of 4$") as e:
        f.readInt(4)
    assert e.value.argnum is None and f.hasError()
    f.clearError()
    assert not f.hasError()
    f.seek(1)
    f.quiet()
    got = f.readInt(4)
    assert got.tolist() == [1, 2, 3] and f.hasError()
    # fread consumes the partial element; the memory file leaves it
    assert f.position() == (14 if isinstance(f, DiskFile) else 13)


def test_lua_style_entry_points(rw):
    f, _ = rw
    f.binary()
    assert f.writeDouble(np.array([1.5, 2.5])) == 2
    assert f.writeDouble(3.5) is None
    f.seek(1)
    buf = np.zeros(2)
    assert f.readDouble(buf) == 2 and buf.tolist() == [1.5, 2.5]
    assert f.readDouble() == 3.5
    with pytest.raises(TorchFileError, match="nothing, number, or DoubleStorage expected"):
        f.readDouble("x")
    with pytest.raises(TorchFileError, match="number, or IntStorage expected"):
        f.writeInt("x")


def test_read_into_needs_matching_contiguous_array(rw):
    f, _ = rw
    with pytest.raises(ValueError):
        f.read_into("Int", np.zeros(2))


def test_c_conversions_of_lua_numbers():
    assert c_cast("Int", 3.7) == 3 and c_cast("Int", -3.7) == -3
    assert c_cast("Int", 2.0**40) == -2**31 and c_cast("Int", float("nan")) == -2**31
    assert c_cast("Byte", -1) == 255 and c_cast("Byte", 300) == 44
    assert c_cast("Char", 200) == -56 and c_cast("Short", 70000) == 4464
    assert c_cast("Long", 2**63 - 1) == 2**63 - 1 and c_cast("Long", 1e19) == -2**63
    assert c_cast("Float", 1e39) == np.inf
    f = MemoryFile().binary()
    f.writeByte(-1)
    f.writeInt(-2.9)
    assert f.storage_bytes() == b"\xff\xfe\xff\xff\xff\0"


# -- strings ----------------------------------------------------------------------------

def test_read_string_lines_and_all(rw):
    f, _ = rw
    assert f.writeString("line one\nline two\nrest") == 22
    f.seek(1)
    assert f.readString("*l") == b"line one"
    assert f.readString("*line") == b"line two"       # only the first 2 chars matter
    assert f.readString("*l") == b"rest"
    with pytest.raises(TorchFileError, match=r"^read error: read 0 blocks instead of 1$"):
        f.readString("*a")
    f.quiet()
    assert f.readString("*a") == b"" and f.hasError()
    f.seek(6)
    assert f.readString("*a") == b"one\nline two\nrest"
    with pytest.raises(TorchFileError, match=r"format must be '\*a' or '\*l'") as e:
        f.readString("*n")
    assert e.value.argnum == 2


# -- positions, modes, life cycle --------------------------------------------------------

def test_seek_and_position_are_one_based(rw):
    f, _ = rw
    f.writeString("abcdef")
    assert f.position() == 7
    f.seek(3)
    assert f.readString("*a") == b"cdef"
    f.seek(1)
    f.seekEnd()
    assert f.position() == 7
    with pytest.raises(TorchFileError, match="position has to be greater than 0!") as e:
        f.seek(0)
    assert e.value.argnum == 2


def test_memory_seek_past_end():
    f = MemoryFile()
    f.writeString("abc")
    f.seek(4)          # just after the last byte is fine
    with pytest.raises(TorchFileError, match="^unable to seek at position 4$"):
        f.seek(5)
    assert f.hasError()


def test_closed_file(rw):
    f, _ = rw
    f.close()
    for call in (lambda: f.readInt(), lambda: f.writeInt(1), f.position, f.close,
                 lambda: f.seek(1), f.seekEnd, f.synchronize, lambda: f.readString("*a")):
        with pytest.raises(TorchFileError, match="^attempt to use a closed file$") as e:
            call()
        assert e.value.argnum == 1
    assert "status: closed" in f.tostring()
    f.binary()             # flags still work on a closed file, as in Torch
    assert f.isBinary()


def test_read_only_and_write_only(tmp_path):
    path = tmp_path / "x"
    w = DiskFile(str(path), "w")
    with pytest.raises(TorchFileError, match="^attempt to read in a write-only file$"):
        w.readInt()
    w.writeInt(5)
    w.close()
    r = DiskFile(str(path), "r")
    with pytest.raises(TorchFileError, match="^attempt to write in a read-only file$"):
        r.writeInt(1)
    assert r.readInt() == 5
    r.close()
    m = MemoryFile("r")
    with pytest.raises(TorchFileError, match="read-only"):
        m.writeString("a")


def test_open_errors(tmp_path):
    missing = str(tmp_path / "nope" / "x.t7")
    with pytest.raises(TorchFileError, match=r"^cannot open <%s> in mode r $" % missing):
        DiskFile(missing)
    assert DiskFile.new(missing, "r", True) is None
    with pytest.raises(TorchFileError, match="file mode should be 'r','w' or 'rw'") as e:
        DiskFile(str(tmp_path / "y"), "a")
    assert e.value.argnum == 2
    with pytest.raises(TorchFileError, match="string expected") as e:
        DiskFile(None)
    assert e.value.argnum == 1
    with pytest.raises(TorchFileError, match="file mode should be 'r','w' or 'rw'"):
        MemoryFile("x")


def test_rw_disk_file_is_created_and_described(tmp_path):
    path = tmp_path / "new.bin"
    f = DiskFile(str(path), "rw")
    assert path.exists()
    assert f.tostring() == "torch.DiskFile on <%s> [status: open -- mode rw]" % path
    f.writeString("x")
    f.noBuffer()
    f.writeString("y")
    assert path.read_bytes() == b"xy"   # unbuffered: already on disk
    f.close()


def test_memory_file_storage_has_nul_terminator():
    f = MemoryFile()
    assert f.storage_bytes() == b"\0"
    f.writeInt(42)
    assert f.storage_bytes() == b"42\n\0"
    assert f.tostring() == "torch.MemoryFile [status: open -- mode: rw]"
    g = MemoryFile(f.storage_bytes(), "r")
    assert g.readInt() == 42 and not g.isWritable()
    with pytest.raises(TorchFileError, match="provided CharStorage must be terminated by 0"):
        MemoryFile(b"42\n")
    # overwriting in the middle keeps the rest
    f.seek(1)
    f.writeString("7")
    assert f.storage_bytes() == b"72\n\0"


def test_pipe_file(tmp_path):
    p = PipeFile("printf '1 2 3\\n4.5'", "r")
    assert p.readInt(3).tolist() == [1, 2, 3]
    assert p.readDouble() == 4.5
    assert "torch.PipeFile on <" in p.tostring()
    p.close()
    out = tmp_path / "out.txt"
    w = PipeFile("cat > '%s'" % out, "w")
    w.writeInt(np.array([7, 8], np.int32))
    w.close()
    assert out.read_bytes() == b"7 8\n"
    with pytest.raises(TorchFileError, match="file mode should be 'r','w'"):
        PipeFile("true", "rw")


# -- disk and memory files agree --------------------------------------------------------

_OPS = st.lists(st.tuples(
    st.sampled_from(sorted(KIND_DTYPES)), st.booleans(),
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=4)), max_size=8)


@settings(max_examples=40, deadline=None)
@given(ops=_OPS, binary=st.booleans(), spacing=st.booleans())
def test_disk_and_memory_files_write_and_read_the_same(tmp_path_factory, ops, binary, spacing):
    path = tmp_path_factory.mktemp("agree") / "f"
    disk, mem = DiskFile(str(path), "rw"), MemoryFile()
    for f in (disk, mem):
        (f.binary() if binary else f.ascii())
        (f.autoSpacing() if spacing else f.noAutoSpacing())
        for kind, scalar, vals in ops:
            if scalar and vals:
                f.write_scalar(kind, vals[0])
            else:
                f.write_array(kind, np.array([c_cast(kind, v) for v in vals], KIND_DTYPES[kind]))
    disk.synchronize()
    assert path.read_bytes() == mem.storage_bytes()[:-1]
    if spacing or binary:   # without separators ascii numbers run together
        for f in (disk, mem):
            f.seek(1)
            for kind, scalar, vals in ops:
                n = 1 if scalar and vals else len(vals)
                expect = [c_cast(kind, v) for v in vals[:n]]
                got = f.read_array(kind, n)
                np.testing.assert_array_equal(got, np.array(expect, KIND_DTYPES[kind]))
    disk.close()
