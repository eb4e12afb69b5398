-- Tensor operators + - * / % and unary -, as Torch7's TensorOperator.c: the result
-- is always a new tensor; the operator of the left operand's type runs when it is a
-- tensor (else the right one's), and an operand of another tensor type is taken
-- for a number (and refused as one).  tensor * tensor is dot/mv/mm by dimensions,
-- through torch.dot/torch.mv/torch.mm, looked up when used.
local ffi = require 'ffi'
local core = require 'torch._core'
local C = core.C
local TDATA, TI = core.TDATA, core.TI
local callT = core.callT
local getmetatable, type, tonumber = getmetatable, type, tonumber
local format = string.format

local Tensor = torch.Tensor_methods

local function tiof(x) return TDATA[x] ~= nil and TI[getmetatable(x)] or nil end

-- the operator's type, and the operands that are tensors of that type
local function operands(a, b)
  local ti = tiof(a)
  if ti == nil then ti = tiof(b) end
  return ti, tiof(a) == ti and a or nil, tiof(b) == ti and b or nil
end

local function checkreal(v, argn)
  if type(v) == 'number' then return v end
  if type(v) == 'string' and tonumber(v) then return tonumber(v) end
  -- an operator always has two operands: a missing one is a nil
  core.error(format("bad argument #%d to '?' (number expected, got %s)", argn, type(v)))
end

local function tname(ti) return 'torch.' .. core.TYPES[ti + 1].name .. 'Tensor' end

local function neither(ti)
  core.error(format('expecting two %ss or one %s and one number', tname(ti), tname(ti)))
end

local function h(x) return TDATA[x].h end

function Tensor.__add__(a, b)
  local ti, t1, t2 = operands(a, b)
  if t1 and t2 then return callT(C.pw_cadd, nil, h(t1), 1, h(t2)) end
  if t1 then return callT(C.pw_add, nil, h(t1), checkreal(b, 2)) end
  if t2 then return callT(C.pw_add, nil, h(t2), checkreal(a, 1)) end
  neither(ti)
end

function Tensor.__sub__(a, b)
  local ti, t1, t2 = operands(a, b)
  if t1 and t2 then return callT(C.pw_cadd, nil, h(t1), -1, h(t2)) end
  if t1 then return callT(C.pw_add, nil, h(t1), -checkreal(b, 2)) end
  if t2 then return callT(C.pw_rsub, h(t2), checkreal(a, 1)) end
  neither(ti)
end

function Tensor.__unm__(a)
  return callT(C.pw_mul, nil, h(a), -1)
end

-- a number converted to the element type (luaG_pushreal of a dot product)
local BOX = {}
for ti, T in ipairs(core.TYPES) do BOX[ti - 1] = ffi.new(T.ctype .. '[1]') end
local function as_real(ti, v)
  local box = BOX[ti]
  box[0] = v
  return tonumber(box[0])
end

local function product(ti, t1, t2)
  local d1, d2 = TDATA[t1].m.nd, TDATA[t2].m.nd
  if d1 == 1 and d2 == 1 then return as_real(ti, torch.dot(t1, t2)) end
  if d1 == 2 and d2 == 1 then return torch.mv(t1, t2) end
  if d1 == 2 and d2 == 2 then return torch.mm(t1, t2) end
  core.error(format('multiplication between %dD and %dD tensors not yet supported', d1, d2))
end

function Tensor.__mul__(a, b)
  local ti, t1, t2 = operands(a, b)
  if t1 and t2 then return product(ti, t1, t2) end
  if t1 then return callT(C.pw_mul, nil, h(t1), checkreal(b, 2)) end
  if t2 then return callT(C.pw_mul, nil, h(t2), checkreal(a, 1)) end
  neither(ti)
end

-- tensor / number and tensor % number only
local function scalar_right(pyf)
  return function(a, b)
    local ti, t1 = operands(a, b)
    if not t1 then
      -- reached only for a left operand without metatable (a number, a plain table):
      -- Torch7's luaT_typerror named it "boolean" whatever it was (th printed that)
      core.error(format("bad argument #1 to '?' (%s expected, got boolean)", tname(ti)))
    end
    if type(b) ~= 'number' and not (type(b) == 'string' and tonumber(b)) then
      core.error("bad argument #2 to '?' (number expected)")
    end
    return callT(pyf, nil, h(t1), tonumber(b))
  end
end
Tensor.__div__ = scalar_right(C.pw_div)
Tensor.__mod__ = scalar_right(C.pw_remainder)

-- Torch's operators were C functions called by luaT's (C) metamethods: their
-- errors had no position.  The wrapper's frame stays on the stack and says so.
local function pass(...) return ... end
for _, name in ipairs({'__add__', '__sub__', '__mul__', '__div__', '__mod__', '__unm__'}) do
  local f = Tensor[name]
  local w = function(...) return pass(f(...)) end
  core.NOPOS[w] = true
  Tensor[name] = w
end

torch._install_tensor_methods()
