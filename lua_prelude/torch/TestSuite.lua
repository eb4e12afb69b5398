-- torch.TestSuite(): a table of test functions for Tester:add that refuses
-- redefinitions, nested tables and non-functions.
local torch = torch

local suiteMeta = {}

function suiteMeta.__index(suite, key)
  return suite.__tests[key]
end

function suiteMeta.__newindex(suite, key, value)
  if suite.__tests[key] ~= nil then
    error("Test " .. tostring(key) .. " is already defined.")
  end
  local tv = type(value)
  if tv == 'table' then
    error("Nested tables of tests are not supported")
  elseif tv ~= 'function' then
    error("Only functions are supported as members of a TestSuite")
  end
  suite.__tests[key] = value
end

function torch.TestSuite()
  return setmetatable({__tests = {}, __isTestSuite = true}, suiteMeta)
end

return torch.TestSuite
