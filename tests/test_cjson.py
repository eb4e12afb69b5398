"""cjson (lua-cjson's interface): encoding and decoding, null, settings, cjson.safe,
and lua-cjson's error messages."""
import math

import pytest

from torchlua import Runtime


@pytest.fixture()
def rt():
    r = Runtime()
    r.execute("cjson = require 'cjson'")
    return r


def enc(rt, expr):
    return rt.eval("cjson.encode(%s)" % expr)


def err(rt, code):
    ok, msg = rt.execute("return pcall(%s)" % code)
    assert ok is False
    return msg


def test_encode_values(rt):
    assert enc(rt, "{1, 2, 3}") == "[1,2,3]"
    assert enc(rt, "{a = 'x/y'}") == '{"a":"x\\/y"}'
    assert enc(rt, "{}") == "{}"
    assert enc(rt, "cjson.null") == "null"
    assert enc(rt, "nil") == "null"
    assert enc(rt, "true") == "true"
    assert enc(rt, "'\\1\\127\"\\n\\t'") == '"\\u0001\\u007f\\"\\n\\t"'
    assert enc(rt, "{[1.5] = 2}") == '{"1.5":2}'
    assert enc(rt, "{{}, {1}, {a = {}}}") == '[{},[1],{"a":{}}]'


def test_number_format_is_14_significant_digits(rt):
    assert enc(rt, "math.pi") == "3.1415926535898"
    assert enc(rt, "1e15") == "1e+15"
    assert enc(rt, "123456789012345") == "1.2345678901234e+14"
    assert enc(rt, "0.1") == "0.1"
    assert enc(rt, "-1.5e-7") == "-1.5e-07"
    assert rt.eval("cjson.encode_number_precision(3)") == 3
    assert enc(rt, "3.14159") == "3.14"
    msg = err(rt, "cjson.encode_number_precision, 15")
    assert "expected integer between 1 and 14" in msg


def test_arrays_and_sparse_arrays(rt):
    assert enc(rt, "{[3] = 'data'}") == '[null,null,"data"]'
    assert enc(rt, "{1, 2, nil, 4}") == "[1,2,null,4]"
    assert enc(rt, "{1, 2, n = 3}").startswith("{")
    assert err(rt, "cjson.encode, {[1000] = 'x'}") == "Cannot serialise table: excessively sparse array"
    assert rt.eval("cjson.encode_sparse_array()") == (False, 2, 10)
    assert rt.eval("cjson.encode_sparse_array(true)") == (True, 2, 10)
    assert enc(rt, "{[1000] = 'excessively sparse'}") == '{"1000":"excessively sparse"}'
    rt.eval("cjson.encode_sparse_array(false, 0)")
    assert enc(rt, "{[12] = 1}") == "[" + "null," * 11 + "1]"


def test_encode_errors(rt):
    assert err(rt, "cjson.encode, {f = print}") == "Cannot serialise function: type not supported"
    assert err(rt, "cjson.encode, {[{}] = 1}") == "Cannot serialise table: table key must be a number or string"
    assert err(rt, "cjson.encode, 0/0") == "Cannot serialise number: must not be NaN or Inf"
    assert err(rt, "cjson.encode, torch.Tensor(2)") == "Cannot serialise userdata: type not supported"
    assert err(rt, "function() local a = {}; a[1] = a; return cjson.encode(a) end") == \
        "Cannot serialise, excessive nesting (1001)"
    rt.eval("cjson.encode_invalid_numbers('null')")
    assert enc(rt, "{1/0}") == "[null]"


def test_decode_values(rt):
    got = rt.execute("""local d = cjson.decode('[1, "a\\\\u00e9\\\\n", null, {"k": [true, false]}, 1e2, -0.5]')
        return d[1], d[2], d[3] == cjson.null, d[4].k[1], d[4].k[2], d[5], d[6], #d""")
    assert got == (1, "a\u00e9\n".encode("utf-8").decode("latin-1") if False else got[1], True, True, False, 100, -0.5, 6)
    assert got[1].encode("utf-8") == b"a\xc3\xa9\n"
    assert rt.eval("cjson.decode('\"\\\\ud83d\\\\ude00\"')").encode("utf-8") == "\U0001F600".encode("utf-8")
    assert rt.eval("type(cjson.null)") == "userdata"
    assert rt.eval("tostring(cjson.null)") == "userdata: NULL"
    # numeric object keys stay strings
    assert rt.eval("type(next(cjson.decode('{\"1\": 2}')))") == "string"
    assert rt.eval("cjson.decode('  \"x\"  ')") == "x"
    assert rt.eval("cjson.decode('[0x10, Infinity, -inf]')[1]") == 16
    assert rt.eval("cjson.decode('[-inf]')[1]") == -math.inf


def test_decode_errors_in_lua_cjson_words(rt):
    assert err(rt, "cjson.decode, 'x'") == "Expected value but found invalid token at character 1"
    assert err(rt, "cjson.decode, ''") == "Expected value but found T_END at character 1"
    assert err(rt, "cjson.decode, '[1,2'") == "Expected comma or array end but found T_END at character 5"
    assert err(rt, "cjson.decode, '{\"a\" 1}'") == "Expected colon but found T_NUMBER at character 6"
    assert err(rt, "cjson.decode, '{1:2}'") == "Expected object key string but found T_NUMBER at character 2"
    assert err(rt, "cjson.decode, '[1] x'") == "Expected the end but found invalid token at character 5"
    assert err(rt, "cjson.decode, '\"abc'") == "Expected value but found unexpected end of string at character 5"
    assert err(rt, "cjson.decode, '[\"\\\\q\"]'") == "Expected value but found invalid escape code at character 3"
    assert err(rt, "cjson.decode, '[1,]'") == "Expected value but found T_ARR_END at character 4"
    rt.eval("cjson.decode_invalid_numbers(false)")
    assert err(rt, "cjson.decode, '[0x10]'") == "Expected value but found invalid number at character 2"
    assert err(rt, "cjson.decode, '[01]'") == "Expected value but found invalid number at character 2"
    rt.eval("cjson.decode_max_depth(2)")
    assert err(rt, "cjson.decode, '[[[1]]]'") == "Found too many nested data structures (3) at character 3"


def test_error_position_is_the_callers(rt):
    # like a C function's luaL_error: the position is the calling Lua line
    msg = rt.execute("local ok, e = pcall(function() local v = cjson.decode('x'); return v end); return e")
    assert msg.endswith(":1: Expected value but found invalid token at character 1")
    assert msg.startswith('[string')


def test_safe_and_new(rt):
    got = rt.execute("local s = require 'cjson.safe'; local v, e = s.decode('['); local v2, e2 = s.encode(print); "
                     "return v, e, v2, e2, s.decode('[1]')[1], s.null == cjson.null")
    assert got == (None, "Expected value but found T_END at character 2", None,
                   "Cannot serialise function: type not supported", 1, True)
    # new(): independent settings
    got = rt.execute("cjson.encode_number_precision(2); local c2 = cjson.new(); "
                     "return c2.encode_number_precision(), c2.encode(1.2345), cjson.encode(1.2345)")
    assert got == (14, "1.2345", "1.2")
