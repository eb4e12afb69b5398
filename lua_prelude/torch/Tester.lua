-- torch.Tester: Torch7's unit-test harness (tests registered with :add, run
-- with :run, a progress line per test, a summary, and one block per failure).
local torch = torch
local unpack = unpack or table.unpack

local Tester = torch.class('torch.Tester')

-- comparison helpers (areEq, areTensorsEq, ...), filled in at the end
local check = {}

local LINE_WIDTH = 80

function Tester:__init()
  self.errors = {}
  self.tests = {}
  self.warnings = {}
  self._warningCount = {}
  self.disabledTests = {}
  self._currentTestName = ''
  -- as in Torch7: assertTensorEq compares element counts, not shapes, by
  -- default ({{1}} equals {1}, with a warning)
  self._assertTensorEqIgnoresDims = true
end

function Tester:setEarlyAbort(flag) self.earlyAbort = flag end
function Tester:setRethrowErrors(flag) self.rethrow = flag end
function Tester:setSummaryOnly(flag) self.summaryOnly = flag end

------------------------------------------------------------------------------
-- bookkeeping of assertion results

function Tester:_success()
  local current = self._currentTestName
  self.assertionPass[current] = self.assertionPass[current] + 1
  return true
end

-- The failing test's name, the message, and the two stack lines just above the
-- protected call that runs the test (the assertion call and the test's line).
function Tester:_addDebugInfo(message)
  local tb = debug.traceback('tester', 3) or ''
  local where = tb:match('.-\n([^\n]+\n[^\n]+)\n[^\n]+xpcall') or ''
  local current = self._currentTestName
  local head = ''
  if current ~= '' then head = current .. '\n' end
  return head .. message .. '\n' .. where
end

function Tester:_failure(message)
  if self.rethrow then error(message, 2) end
  local current = self._currentTestName
  self.assertionFail[current] = self.assertionFail[current] + 1
  table.insert(self.errors, self:_addDebugInfo(message))
  return false
end

function Tester:_warning(message)
  local current = self._currentTestName
  self._warningCount[current] = (self._warningCount[current] or 0) + 1
  table.insert(self.warnings, self:_addDebugInfo(message))
end

function Tester:_assert_sub(condition, message)
  if not condition then
    return self:_failure(message)
  end
  return self:_success()
end

------------------------------------------------------------------------------
-- optional trailing arguments of the assertions

-- message only
local function messageArg(message, ...)
  assert(next({...}) == nil, "Unexpected arguments passed to test function")
  if not message then return '' end
  assert(type(message) == 'string', 'message parameter must be a string')
  if message == '' then return '' end
  return message .. '\n'
end

-- a tolerance and/or a message, in either order
local function toleranceAndMessage(defaultTolerance, ...)
  local tolerance, message
  for _, v in ipairs({...}) do
    local tv = type(v)
    if tv == 'number' then
      if tolerance then
        error("Unexpected number argument; already have tolerance", v)
      end
      assert(v >= 0, "tolerance cannot be negative")
      tolerance = v
    elseif tv == 'string' then
      if message then
        error("Unexpected string argument; already have message", v)
      end
      message = v .. '\n'
    else
      error("Unrecognized argument; should be a tolerance or message", v)
    end
  end
  if tolerance == nil then tolerance = defaultTolerance end
  return tolerance, message or ''
end

------------------------------------------------------------------------------
-- assertions

function Tester:assert(condition, ...)
  local message = messageArg(...)
  if type(condition) ~= 'boolean' then
    self:_warning(" :assert should only be used for boolean conditions. "
      .. "To check for non-nil variables, do this explicitly: "
      .. "Tester:assert(var ~= nil).")
  end
  return self:_assert_sub(condition,
    message .. 'BOOL violation condition=' .. tostring(condition))
end

function Tester:_eqOrNeq(got, expected, negate, ...)
  local tolerance, message = toleranceAndMessage(0, ...)
  local ok, detail = check.areEq(got, expected, tolerance, negate)
  return self:_assert_sub(ok, message .. (detail or ''))
end

function Tester:assertGeneralEq(got, expected, ...)
  return self:_eqOrNeq(got, expected, false, ...)
end

function Tester:assertGeneralNe(got, unexpected, ...)
  return self:_eqOrNeq(got, unexpected, true, ...)
end

function Tester:eq(got, expected, ...)
  return self:assertGeneralEq(got, expected, ...)
end

function Tester:ne(got, unexpected, ...)
  return self:assertGeneralNe(got, unexpected, ...)
end

-- assertlt & co: `name` is what the failure says, `rel` the failing relation
local function ordering(op, name, rel)
  return function(self, a, b, ...)
    local message = messageArg(...)
    return self:_assert_sub(op(a, b), string.format('%s%s failed: %s %s %s',
      message, name, tostring(a), rel, tostring(b)))
  end
end
Tester.assertlt = ordering(function(a, b) return a < b end, 'LT', '>=')
Tester.assertgt = ordering(function(a, b) return a > b end, 'GT', '<=')
Tester.assertle = ordering(function(a, b) return a <= b end, 'LE', '>')
Tester.assertge = ordering(function(a, b) return a >= b end, 'GE', '<')

function Tester:assertalmosteq(a, b, ...)
  local tolerance, message = toleranceAndMessage(1e-16, ...)
  return self:_assert_sub(math.abs(a - b) <= tolerance,
    string.format('%sALMOST_EQ failed: %s ~= %s with tolerance=%s',
      message, tostring(a), tostring(b), tostring(tolerance)))
end

function Tester:asserteq(a, b, ...)
  local message = messageArg(...)
  return self:_assert_sub(a == b, string.format('%sEQ failed: %s ~= %s',
    message, tostring(a), tostring(b)))
end

function Tester:assertne(a, b, ...)
  local message = messageArg(...)
  -- (sic: Torch7 warns for two tables, or whenever the first is userdata)
  if (type(a) == 'table' and type(b) == 'table') or type(a) == 'userdata' then
    self:_warning(" :assertne should only be used to compare basic lua "
      .. "objects (numbers, booleans, etc). Consider using "
      .. "either :assertGeneralNe or :assert(a ~= b).")
  end
  return self:_assert_sub(a ~= b, string.format('%sNE failed: %s == %s',
    message, tostring(a), tostring(b)))
end

function Tester:_assertTensorEqOrNeq(ta, tb, negate, ...)
  assert(torch.isTensor(ta), "First argument should be a Tensor")
  assert(torch.isTensor(tb), "Second argument should be a Tensor")
  local tolerance, message = toleranceAndMessage(0, ...)
  local loose = self._assertTensorEqIgnoresDims
  local ok, detail = check.areTensorsEq(ta, tb, tolerance, negate, loose)
  if loose and ok and not negate and not ta:isSameSizeAs(tb) then
    self:_warning("Tensors have the same content but different dimensions. "
      .. "For backwards compatibility, they are considered equal, "
      .. "but this may change in the future. Consider using :eq "
      .. "to check for equality instead.")
  end
  return self:_assert_sub(ok, message .. (detail or ''))
end

function Tester:assertTensorEq(ta, tb, ...)
  return self:_assertTensorEqOrNeq(ta, tb, false, ...)
end

function Tester:assertTensorNe(ta, tb, ...)
  return self:_assertTensorEqOrNeq(ta, tb, true, ...)
end

function Tester:_assertTableEqOrNeq(ta, tb, negate, ...)
  assert(type(ta) == 'table', "First argument should be a Table")
  assert(type(tb) == 'table', "Second argument should be a Table")
  return self:_eqOrNeq(ta, tb, negate, ...)
end

function Tester:assertTableEq(ta, tb, ...)
  return self:_assertTableEqOrNeq(ta, tb, false, ...)
end

function Tester:assertTableNe(ta, tb, ...)
  return self:_assertTableEqOrNeq(ta, tb, true, ...)
end

function Tester:assertErrorObj(f, errcomp, ...)
  local message = messageArg(...)
  local ok, err = pcall(f)
  return self:_assert_sub((not ok) and errcomp(err),
    string.format('%sERROR violation: err=%s', message, tostring(err)))
end

function Tester:assertError(f, ...)
  return self:assertErrorObj(f, function() return true end, ...)
end

function Tester:assertErrorMsg(f, errmsg, ...)
  return self:assertErrorObj(f, function(err) return err == errmsg end, ...)
end

function Tester:assertErrorPattern(f, pattern, ...)
  return self:assertErrorObj(f, function(err)
    return string.find(err, pattern) ~= nil
  end, ...)
end

function Tester:assertNoError(f, ...)
  local message = messageArg(...)
  local ok, err = pcall(f)
  return self:_assert_sub(ok,
    string.format('%sERROR violation: err=%s', message, tostring(err)))
end

------------------------------------------------------------------------------
-- registering tests

function Tester:add(f, name)
  if type(f) == 'table' then
    assert(name == nil, "Name parameter is forbidden for a table of tests, "
      .. "since its use is ambiguous")
    local set = f
    if f.__isTestSuite then
      set = f.__tests
    else
      self:_warning("Should use TestSuite rather than plain lua table")
    end
    for k, v in pairs(set) do
      assert(type(v) ~= 'table', "Nested sets of tests are not supported")
      self:add(v, k)
    end
    return self
  end
  assert(type(f) == 'function', "Only tables of functions and functions supported")
  if name == '_setUp' then
    assert(not self._setUp, "Only one set-up function allowed")
    self._setUp = f
  elseif name == '_tearDown' then
    assert(not self._tearDown, "Only one tear-down function allowed")
    self._tearDown = f
  else
    name = name or 'unknown'
    if self.tests[name] ~= nil then
      error('Test with name ' .. name .. ' already exists!')
    end
    self.tests[name] = f
  end
  return self
end

function Tester:disable(names)
  if type(names) == 'string' then names = {names} end
  assert(type(names) == 'table', "Expecting name or list for disable")
  for _, n in ipairs(names) do
    assert(self.tests[n], "Unrecognized test '" .. n .. "'")
    self.disabledTests[n] = true
  end
  return self
end

-- the tests selected by a name, a list of names (Lua patterns), or nil (all)
function Tester:_getTests(names)
  if names == nil then return self.tests end
  if type(names) == 'string' then names = {names} end
  assert(type(names) == 'table',
    "Only accept a name or table of test names (or nil for all tests)")
  local selected = {}
  for _, pattern in ipairs(names) do
    local found = false
    for n, fn in pairs(self.tests) do
      if string.match(n, pattern) then
        selected[n] = fn
        found = true
      end
    end
    assert(found, "Couldn't find test '" .. pattern .. "'")
  end
  return selected
end

------------------------------------------------------------------------------
-- running

-- Colours are used, as in Torch7, when run as a script (`arg` is set) and the
-- sys package is available.
local function plain(s) return s end
local function colours()
  local ok, c = pcall(require, 'sys.colors')
  if rawget(_G, 'arg') and ok and type(c) == 'table' then
    return c, function(s, colour) return colour .. s .. c.none end
  end
  return {}, plain
end

local function plural(n, word)
  if n == 1 then return n .. ' ' .. word end
  return n .. ' ' .. word .. 's'
end

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

function Tester:run(names)
  local tests = self:_getTests(names)
  self.assertionPass, self.assertionFail = {}, {}
  self.haveWarning, self.testError = {}, {}
  for n in pairs(tests) do
    self.assertionPass[n] = 0
    self.assertionFail[n] = 0
    self.testError[n] = 0
    self._warningCount[n] = 0
  end
  self:_run(tests)
  self:_report(tests)
  -- a failure or an error makes run raise, so a test script exits non-zero
  for n in pairs(tests) do
    assert(self.assertionFail[n] == 0, 'An error was found while running tests!')
    assert(self.testError[n] == 0, 'An error was found while running tests!')
  end
  return 0
end

-- Calls f protected with a traceback; returns (no error, its result, no new
-- failure was recorded).
function Tester:_pcall(f)
  local before = #self.errors
  local ok, result = xpcall(f, debug.traceback)
  if not ok then
    -- (an error object that is not a string is shown with tostring)
    if type(result) ~= 'string' and type(result) ~= 'number' then
      result = tostring(result)
    end
    table.insert(self.errors,
      self._currentTestName .. '\n Function call failed\n' .. result .. '\n')
  end
  return ok, result, ok and (#self.errors == before)
end

function Tester:_run(tests)
  local c, paint = colours()
  local ntests = count(tests)
  local total = tostring(ntests)
  local counterFormat = '%' .. #total .. 'd/' .. total .. ' '
  local counterWidth = 2 * #total + 2
  io.write('Running ' .. plural(ntests, 'test') .. '\n')
  local i = 1
  for name, fn in pairs(tests) do
    self._currentTestName = name
    local dots = LINE_WIDTH - 8 - counterWidth - #name
    local lead = paint(string.format(counterFormat, i), c.cyan) .. name .. ' '
      .. string.rep('.', dots) .. ' '
    io.write(lead .. '[' .. paint('WAIT', c.cyan) .. ']')
    io.flush()

    local skipped = self.disabledTests[name] and true or false
    local ok, pass
    if not skipped then
      if self._setUp then self._setUp(name) end
      if self.rethrow then
        local before = #self.errors
        fn()
        ok, pass = true, (#self.errors == before)
      else
        local _
        ok, _, pass = self:_pcall(fn)
      end
      if self._tearDown then self._tearDown(name) end
    end

    io.write('\r')
    io.write(lead)
    if skipped then
      io.write('[' .. paint('SKIP', c.yellow) .. ']')
    elseif not ok then
      self.testError[name] = 1
      io.write('[' .. paint('ERROR', c.magenta) .. ']')
    elseif not pass then
      io.write('[' .. paint('FAIL', c.red) .. ']')
    else
      io.write('[' .. paint('PASS', c.green) .. ']')
      if self._warningCount[name] > 0 then
        io.write('\n' .. string.rep(' ', LINE_WIDTH - 10))
        io.write('[' .. paint('+warning', c.yellow) .. ']')
      end
    end
    io.write('\n')
    io.flush()

    if self.earlyAbort and not skipped and i < ntests and not (ok and pass) then
      io.write('Aborting on first error, not all tests have been executed\n')
      break
    end
    i = i + 1
    collectgarbage()
  end
end

function Tester:_report(tests)
  local c, paint = colours()
  local ntests, nfailures, nerrors, nskipped, nwarnings = 0, 0, 0, 0, 0
  local asserts = 0
  for n in pairs(tests) do
    ntests = ntests + 1
    asserts = asserts + self.assertionPass[n] + self.assertionFail[n]
    if self.assertionFail[n] > 0 then nfailures = nfailures + 1 end
    if self.testError[n] > 0 then nerrors = nerrors + 1 end
    if self._warningCount[n] > 0 then nwarnings = nwarnings + 1 end
    if self.disabledTests[n] then nskipped = nskipped + 1 end
  end
  self.countasserts = asserts
  -- warnings raised outside any test (while adding tests)
  nwarnings = nwarnings + (self._warningCount[''] or 0)

  io.write('Completed ' .. plural(asserts, 'assert'))
  io.write(' in ' .. plural(ntests, 'test') .. ' with ')
  io.write(paint(plural(nfailures, 'failure'), nfailures == 0 and c.green or c.red))
  io.write(' and ')
  io.write(paint(plural(nerrors, 'error'), nerrors == 0 and c.green or c.magenta))
  if nwarnings > 0 then
    io.write(' and ')
    io.write(paint(plural(nwarnings, 'warning'), c.yellow))
  end
  if nskipped > 0 then
    io.write(' and ')
    io.write(paint(nskipped .. ' disabled', c.yellow))
  end
  io.write('\n')

  if self.summaryOnly then return end
  local rule = string.rep('-', LINE_WIDTH) .. '\n'
  local opened = false
  local function section(text)
    if not opened then
      io.write(rule)
      opened = true
    end
    io.write(text .. '\n')
    io.write(rule)
  end
  for _, e in ipairs(self.errors) do section(e) end
  for _, w in ipairs(self.warnings) do section(w) end
end

------------------------------------------------------------------------------
-- comparisons: each returns (success, message or nil); `negate` inverts the
-- success (the message then describes what was found)

-- same type and size: compares the largest absolute elementwise difference
function check.areSameFormatTensorsEq(ta, tb, tolerance, negate, storage)
  -- integer types below Int have no abs
  if not ta.abs then ta = ta:double() end
  if not tb.abs then tb = tb:double() end
  local maxdiff = ta:clone():add(-1, tb):abs():max()
  local ok = maxdiff <= tolerance
  if negate then ok = not ok end
  if ok then return true end
  return false, string.format('%s%s violation: max diff=%s, tolerance=%s',
    storage and 'Storage' or 'Tensor', negate and 'NE(==)' or 'EQ(==)',
    tostring(maxdiff), tostring(tolerance))
end

function check.areTensorsEq(ta, tb, tolerance, negate, ignoreTensorDims)
  if not ignoreTensorDims and ta:dim() ~= tb:dim() then
    return negate, 'The tensors have different dimensions'
  end
  if ta:type() ~= tb:type() then
    return negate, 'The tensors have different types'
  end
  if ta:dim() == 0 and tb:dim() == 0 then
    return not negate, 'Both tensors are empty'
  end
  local sameSize
  if ignoreTensorDims then
    sameSize = ta:nElement() == tb:nElement()
  else
    sameSize = ta:isSameSizeAs(tb)
  end
  if not sameSize then
    return negate, 'The tensors have different sizes'
  end
  return check.areSameFormatTensorsEq(ta, tb, tolerance, negate, false)
end

local tensorOfStorage = {
  ['torch.ByteStorage'] = 'ByteTensor', ['torch.CharStorage'] = 'CharTensor',
  ['torch.ShortStorage'] = 'ShortTensor', ['torch.IntStorage'] = 'IntTensor',
  ['torch.LongStorage'] = 'LongTensor', ['torch.FloatStorage'] = 'FloatTensor',
  ['torch.DoubleStorage'] = 'DoubleTensor', ['torch.HalfStorage'] = 'HalfTensor',
}

function check.areStoragesEq(sa, sb, tolerance, negate)
  if sa:size() ~= sb:size() then
    return negate, 'The storages have different sizes'
  end
  local typeA, typeB = torch.type(sa), torch.type(sb)
  if typeA ~= typeB then
    return negate, 'The storages have different types'
  end
  local T = torch[tensorOfStorage[typeA]]
  return check.areSameFormatTensorsEq(T(sa), T(sb), tolerance, negate, true)
end

function check.areEq(got, expected, tolerance, negate)
  local tg, te = type(got), type(expected)
  if tg ~= te then
    local msg
    if not negate then
      msg = 'EQ failed: values have different types (first: ' .. tg
        .. ', second: ' .. te .. ')'
    end
    return negate, msg
  end
  if tg == 'number' then
    local ok = math.abs(got - expected) <= tolerance
    if negate then ok = not ok end
    if ok then return true end
    local msg = string.format(negate and 'NE failed: %s == %s' or 'EQ failed: %s ~= %s',
      tostring(got), tostring(expected))
    if tolerance > 0 then msg = msg .. ' with tolerance=' .. tostring(tolerance) end
    return false, msg
  end
  if te == 'table' then
    return check.areTablesEq(got, expected, tolerance, negate)
  end
  if torch.isTensor(got) then
    return check.areTensorsEq(got, expected, tolerance, negate)
  end
  if torch.isStorage(got) then
    return check.areStoragesEq(got, expected, tolerance, negate)
  end
  local ok = got == expected
  if negate then ok = not ok end
  if ok then return true end
  return false, string.format(
    negate and 'NE failed: %s (%s) == %s (%s)' or 'EQ failed: %s (%s) ~= %s (%s)',
    tostring(got), tg, tostring(expected), te)
end

-- Breadth first, so that the reported difference is the shallowest one.
function check.areTablesEq(t1, t2, tolerance, negate)
  local pending = {{t1, t2, nil}}
  local head = 1
  while pending[head] do
    local a, b, path = unpack(pending[head])
    pending[head] = false
    head = head + 1
    local function at(key)
      if path then return path .. '.' .. tostring(key) end
      return tostring(key)
    end
    for k, va in pairs(a) do
      local vb = b[k]
      if vb == nil then
        return negate, string.format('Entry %s missing in second table (is %s in first)',
          at(k), tostring(va))
      end
      if type(va) == 'table' and type(vb) == 'table' then
        pending[#pending + 1] = {va, vb, at(k)}
      else
        local ok, msg = check.areEq(va, vb, tolerance, false)
        if not ok then
          return negate, 'At table location ' .. at(k) .. ': ' .. msg
        end
      end
    end
    for k, vb in pairs(b) do
      if a[k] == nil then
        return negate, string.format('Entry %s missing in first table (is %s in second)',
          at(k), tostring(vb))
      end
    end
  end
  return not negate, 'The tables are equal'
end

return Tester
