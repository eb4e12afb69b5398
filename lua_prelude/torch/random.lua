-- Random numbers as Torch7 exposes them: torch.Generator, the default generator
-- torch._gen, seeding and RNG state, the scalar draws (torch.uniform ...), the
-- tensor fills (x:uniform(...) ...), rand/randn/randperm, multinomial and the
-- alias method.
--
-- Arguments are matched the way Torch7's cwrap wrappers match them: each
-- function has a list of signatures, optional arguments are tried in cwrap's
-- order, and a call matching none fails with cwrap's "invalid arguments"
-- message.  torch.X functions pick the tensor type as Torch7's dispatcher does
-- (type of the 1st or 2nd argument, else the default tensor type).  Each call
-- reaches the Python core once (torchlua/core/random_api.py).
local core = require 'torch._core'
local C = core.C
local TDATA, SDATA = core.TDATA, core.SDATA
local TI, TYPENAME, tiof = core.TI, core.TYPENAME, core.tiof
local type, tonumber, select, pcall, getmetatable = type, tonumber, select, pcall, getmetatable

local BYTE, LONG, FLOAT, DOUBLE = 0, 4, 5, 6
local REAL = {[0] = 'unsigned char', 'char', 'short', 'int', 'long', 'float', 'double'}
local NTYPES = #core.TYPES
-- cutorch's types draw as their CPU base type (core.TYPES[].base)
local BASE = {}
for ti, T in ipairs(core.TYPES) do
  BASE[ti - 1] = T.base or ti - 1
  if T.base then REAL[ti - 1] = REAL[T.base] end
end

------------------------------------------------------------------------------
-- torch.Generator: a userdata holding a Python Generator
local GDATA = setmetatable({}, {__mode = 'k'})
local GPROTO = newproxy(true)
local GMT = getmetatable(GPROTO)

local function wrapG(h)
  local ud = newproxy(GPROTO)
  GDATA[ud] = h
  return ud
end

local function new_generator()
  return wrapG(C.random_generator_new())
end
torch.newmetatable('torch.Generator', nil, new_generator, nil, new_generator, torch, GMT)

-- the generator of a call that names none: torch._gen, looked up each time
local function default_gen()
  local ud = rawget(torch, '_gen')
  local g = GDATA[ud]
  if g == nil then
    core.error(ud == nil and 'bad argument #-1 (field _gen does not exist)'
               or 'bad argument #-1 (field _gen is not a torch.Generator)')
  end
  return g
end

------------------------------------------------------------------------------
-- errors
local ENTRY = setmetatable({}, {__mode = 'k'})   -- entry function -> 'dispatch' | 'direct'

-- A failed THArgCheck reads as luaL_argerror words it under LuaJIT: a method
-- call does not count self; a torch.X call goes through the dispatcher, whose
-- callee has no name ('?').
local function fail(e)
  local argn = C.random_error_argnum(e)
  local msg = tostring(e)
  if argn ~= nil then
    local name, namewhat, kind = '?', '', 'dispatch'
    for level = 2, 40 do
      local info = debug.getinfo(level, 'nf')
      if info == nil then break end
      local k = ENTRY[info.func]
      if k then
        kind = k
        name, namewhat = info.name or '?', info.namewhat
        break
      end
    end
    if kind == 'dispatch' then
      msg = string.format("bad argument #%d to '?' (%s)", argn, msg)
    elseif namewhat == 'method' and argn - 1 == 0 then
      msg = string.format("calling '%s' on bad self (%s)", name, msg)
    else
      if namewhat == 'method' then argn = argn - 1 end
      msg = string.format("bad argument #%d to '%s' (%s)", argn, name, msg)
    end
  end
  core.error(msg)
end

-- cwrap's list of the argument types it was given
local function isnum(x)
  local t = type(x)
  return t == 'number' or (t == 'string' and tonumber(x) ~= nil)
end

local function arg_types(n, args)
  if n == 0 then return 'no arguments provided' end
  local parts = {}
  for i = 1, n do
    local x = args[i]
    local tn = torch.typename(x)
    if tn then
      parts[i] = (tn:gsub('^torch%.', ''))
    elseif x == nil then parts[i] = 'nil'
    elseif type(x) == 'boolean' then parts[i] = 'boolean'
    elseif isnum(x) then parts[i] = 'number'
    elseif type(x) == 'string' then parts[i] = 'string'
    elseif type(x) == 'table' then parts[i] = 'table'
    elseif type(x) == 'userdata' then parts[i] = 'userdata'
    else parts[i] = '???' end
  end
  return table.concat(parts, ' ') .. ' '
end

------------------------------------------------------------------------------
-- signatures.  A token is KIND [*] [? [default]]:
--   G Generator, d double, l long, i int, r real (the tensor type's), b boolean,
--   T a tensor of the function's type, L/F/D/B Long/Float/Double/ByteTensor,
--   A sizes (a LongStorage or numbers, to the end);
--   * returned, ? optional (a returned tensor left out is created).
local TENSOR_TI = {L = LONG, F = FLOAT, D = DOUBLE, B = BYTE}
local HELP = {G = 'Generator', d = 'double', l = 'long', i = 'int', b = 'boolean',
              L = 'LongTensor', F = 'FloatTensor', D = 'DoubleTensor', B = 'ByteTensor',
              A = '(LongStorage | dim1 [dim2...])'}

local function parse_sig(sig)
  local args = {}
  for tok in sig:gmatch('%S+') do
    local kind, ret, opt, def = tok:match('^(%a)(%*?)(%??)(.*)$')
    local a = {kind = kind, ret = ret == '*', opt = opt == '?'}
    if def == 'false' then a.def = false elseif def ~= '' then a.def = tonumber(def) end
    args[#args + 1] = a
  end
  return args
end

local function short_name(ti) return (TYPENAME[ti]:gsub('^torch%.', '')) end

local function help_of(args, ti)
  local parts = {}
  for _, a in ipairs(args) do
    local h = HELP[a.kind] or (a.kind == 'T' and short_name(ti)) or REAL[ti]
    if a.ret then h = '*' .. h .. '*' end
    if a.opt then h = '[' .. h .. ']' end
    parts[#parts + 1] = h
  end
  return table.concat(parts, ' ')
end

-- every combination of present optional arguments, in cwrap's order
local function compile(sigs, ti)
  local combos, helps = {}, {}
  for vi, args in ipairs(sigs) do
    helps[vi] = help_of(args, ti)
    local opts = {}
    for j, a in ipairs(args) do if a.opt then opts[#opts + 1] = j end end
    for variant = 0, 2 ^ #opts - 1 do
      local present = {}
      for k, j in ipairs(opts) do
        if math.floor(variant / 2 ^ (k - 1)) % 2 == 1 then present[j] = true end
      end
      local c = {vi = vi, pos = {}, kinds = {}, tis = {}}
      for j, a in ipairs(args) do
        if not a.opt or present[j] then
          local m = #c.pos + 1
          c.pos[m], c.kinds[m] = j, a.kind
          c.tis[m] = a.kind == 'T' and ti or TENSOR_TI[a.kind]
        end
      end
      c.n = #c.pos
      c.va = c.kinds[c.n] == 'A'
      combos[#combos + 1] = c
    end
  end
  return {combos = combos, help = table.concat(helps, ' | '), sigs = sigs}
end

local function is_longargs(args, i, n)
  if n - i + 1 == 1 and torch.typename(args[i]) == 'torch.LongStorage' then return true end
  for j = i, n do if not isnum(args[j]) then return false end end
  return true
end

local function check(kind, x, tti, args, i, n)
  if kind == 'G' then return GDATA[x] ~= nil
  elseif tti ~= nil then return TDATA[x] ~= nil and tiof(x) == tti
  elseif kind == 'b' then return type(x) == 'boolean'
  elseif kind == 'A' then return is_longargs(args, i, n)
  end
  return isnum(x)
end

local function read_sizes(args, i, n)
  local x = args[i]
  local sizes = {}
  if n - i + 1 == 1 and torch.typename(x) == 'torch.LongStorage' then
    local s = SDATA[x].s
    for k = 0, tonumber(s.size) - 1 do sizes[k + 1] = tonumber(s.data[k]) end
  else
    for j = i, n do sizes[#sizes + 1] = tonumber(args[j]) end
  end
  return sizes
end

-- match(compiled, n, args) -> variant index, values by signature position
local function match(cp, n, args)
  local combos = cp.combos
  for ci = 1, #combos do
    local c = combos[ci]
    local cn = c.n
    if n == cn or (c.va and n >= cn) then
      local kinds, tis = c.kinds, c.tis
      local ok = true
      for j = 1, cn do
        if not check(kinds[j], args[j], tis[j], args, j, n) then ok = false; break end
      end
      if ok then
        local sig = cp.sigs[c.vi]
        local v = {}
        for j, a in ipairs(sig) do v[j] = a.def end
        for j = 1, cn do
          local k, x = kinds[j], args[j]
          local p = c.pos[j]
          if k == 'G' then v[p] = GDATA[x]
          elseif k == 'A' then v[p] = read_sizes(args, j, n)
          elseif c.tis[j] ~= nil or k == 'b' then v[p] = x
          else v[p] = tonumber(x) end
        end
        return c.vi, v
      end
    end
  end
  core.error('invalid arguments: ' .. arg_types(n, args) .. '\nexpected arguments: ' .. cp.help)
end

------------------------------------------------------------------------------
-- the functions: name -> {sigs = {...}, fsigs = {...} (function form, when it
-- differs from the method form), act = function(vi, v, ti), float = only
-- Float/Double have it}
local DEFS = {}

local function pcall_ret(ok, a, ...)
  if not ok then fail(a) end
  return a, ...
end

local function fill(g, t, kind, ...)
  pcall_ret(pcall(C.random_fill, g, TDATA[t].h, kind, ...))
  return t
end

local function scalar(f, ...)
  local ok, r = pcall(f, ...)
  if not ok then fail(r) end
  return r
end

local function newT(ok, h, ti, ma)
  if not ok then fail(h) end
  return core.wrapT(h, ti, ma)
end

local function def(name, spec)
  local function sigs(list)
    local out = {}
    for i, s in ipairs(list) do out[i] = parse_sig(s) end
    return out
  end
  spec.sigs = sigs(spec.sigs)
  spec.fsigs = spec.fsigs and sigs(spec.fsigs) or spec.sigs
  spec.name = name
  spec.cache = {}
  DEFS[name] = spec
end

def('random', {
  sigs = {'G? l l', 'G? l', 'G?', 'T* G? l l', 'T* G? l', 'T* G?'},
  act = function(vi, v)
    if vi == 1 then return scalar(C.random_random2, v[1] or default_gen(), v[2], v[3])
    elseif vi == 2 then return scalar(C.random_random1, v[1] or default_gen(), v[2])
    elseif vi == 3 then return scalar(C.random_random0, v[1] or default_gen())
    elseif vi == 4 then return fill(v[2] or default_gen(), v[1], 'random', v[3], v[4])
    elseif vi == 5 then return fill(v[2] or default_gen(), v[1], 'random', v[3])
    end
    return fill(v[2] or default_gen(), v[1], 'random')
  end})

def('geometric', {
  sigs = {'G? d', 'T* G? d'},
  act = function(vi, v)
    if vi == 1 then return scalar(C.random_geometric, v[1] or default_gen(), v[2]) end
    return fill(v[2] or default_gen(), v[1], 'geometric', v[3])
  end})

def('bernoulli', {
  sigs = {'G? d?0.5', 'T* G? d?0.5', 'T* G? F', 'T* G? D'},
  act = function(vi, v)
    if vi == 1 then return scalar(C.random_bernoulli, v[1] or default_gen(), v[2]) end
    local g = v[2] or default_gen()
    if vi == 2 then return fill(g, v[1], 'bernoulli', v[3]) end
    pcall_ret(pcall(C.random_fill_bernoulli_tensor, g, TDATA[v[1]].h, TDATA[v[3]].h))
    return v[1]
  end})

for _, f in ipairs({{'uniform', 0, 1}, {'normal', 0, 1}, {'cauchy', 0, 1}, {'logNormal', 1, 2}}) do
  local name = f[1]
  local cfun = C['random_' .. name]
  def(name, {
    float = true,
    sigs = {string.format('G? d?%g d?%g', f[2], f[3]), string.format('T* G? r?%g r?%g', f[2], f[3])},
    act = function(vi, v)
      if vi == 1 then return scalar(cfun, v[1] or default_gen(), v[2], v[3]) end
      return fill(v[2] or default_gen(), v[1], name, v[3], v[4])
    end})
end

def('exponential', {
  float = true,
  sigs = {'G? d', 'T* G? r'},
  act = function(vi, v)
    if vi == 1 then return scalar(C.random_exponential, v[1] or default_gen(), v[2]) end
    return fill(v[2] or default_gen(), v[1], 'exponential', v[3])
  end})

for _, name in ipairs({'rand', 'randn'}) do
  local kind = name == 'rand' and 'uniform' or 'normal'
  def(name, {
    float = true,
    sigs = {'T* G? A'},
    fsigs = {'T*? G? A'},
    act = function(vi, v, ti)
      local g, sizes = v[2] or default_gen(), v[3]
      if v[1] == nil then
        return newT(pcall(C.random_new_fill, g, ti, kind, unpack(sizes)))
      end
      pcall_ret(pcall(C.random_resize_fill, g, TDATA[v[1]].h, kind, unpack(sizes)))
      return v[1]
    end})
end

def('randperm', {
  sigs = {'T* G? l'},
  fsigs = {'T*? G? l'},
  act = function(vi, v, ti)
    local g = v[2] or default_gen()
    if v[1] == nil then return newT(pcall(C.random_randperm, g, nil, ti, v[3])) end
    pcall_ret(pcall(C.random_randperm, g, TDATA[v[1]].h, ti, v[3]))
    return v[1]
  end})

def('multinomial', {
  float = true,
  sigs = {'L* G? T i b?false'},
  fsigs = {'L*? G? T i b?false'},
  act = function(vi, v)
    local g, res = v[2] or default_gen(), v[1]
    local prob = TDATA[v[3]].h
    if res == nil then return newT(pcall(C.random_multinomial, g, nil, prob, v[4], v[5])) end
    pcall_ret(pcall(C.random_multinomial, g, TDATA[res].h, prob, v[4], v[5]))
    return res
  end})

def('multinomialAliasSetup_', {
  float = true,
  sigs = {'T L* T*'},
  fsigs = {'T L*? T*?'},
  act = function(vi, v)
    local J, q = v[2], v[3]
    if J ~= nil and q ~= nil then
      pcall_ret(pcall(C.random_alias_setup, TDATA[v[1]].h, TDATA[J].h, TDATA[q].h))
      return J, q
    end
    local ok, h1, t1, m1, h2, t2, m2 = pcall(C.random_alias_setup, TDATA[v[1]].h, nil, nil)
    if not ok then fail(h1) end
    local nJ, nq = core.wrapT(h1, t1, m1), core.wrapT(h2, t2, m2)
    -- a tensor given for one of the two is filled too, as cwrap would
    if J ~= nil then J:resizeAs(nJ):copy(nJ); nJ = J end
    if q ~= nil then q:resizeAs(nq):copy(nq); nq = q end
    return nJ, nq
  end})

def('multinomialAlias_', {
  float = true,
  sigs = {'L* G? L T'},
  fsigs = {'L*? G? L T'},
  act = function(vi, v, ti)
    local out = v[1] or torch.LongTensor()
    pcall_ret(pcall(C.random_alias_draw, v[2] or default_gen(), TDATA[out].h,
                    TDATA[v[3]].h, TDATA[v[4]].h))
    return out
  end})

local function compiled(d, ti, fn)
  local key = fn and ti + NTYPES or ti
  local cp = d.cache[key]
  if cp == nil then
    cp = compile(fn and d.fsigs or d.sigs, ti)
    d.cache[key] = cp
  end
  return cp
end

local function run(d, ti, fn, n, ...)
  local args = {...}
  local vi, v = match(compiled(d, ti, fn), n, args)
  return d.act(vi, v, ti)
end

-- methods: one closure per type, set in that type's metatable
for name, d in pairs(DEFS) do
  for ti = 0, NTYPES - 1 do
    if not d.float or BASE[ti] == FLOAT or BASE[ti] == DOUBLE then
      local function method(...)
        local a, b = run(d, ti, false, select('#', ...), ...)
        if b == nil then return a end
        return a, b
      end
      ENTRY[method] = 'direct'
      rawset(core.TMT[ti], name, method)
    end
  end
end

-- torch.X: the tensor type of the 1st or 2nd argument, a tensor table's first
-- element, a type name given last, or the default tensor type.
local function tensor_ti(x)
  if TDATA[x] ~= nil then return tiof(x) end
end

local function dispatch_ti(n, a1, a2, ...)
  local ti = n >= 1 and tensor_ti(a1)
  if ti then return ti end
  ti = n >= 2 and tensor_ti(a2)
  if ti then return ti end
  if n >= 1 and type(a1) == 'table' and TDATA[a1] == nil then
    ti = tensor_ti(rawget(a1, 1))
    if ti then return ti end
  end
  local last = n >= 1 and select(n, a1, a2, ...)
  if type(last) == 'string' then
    local mt = torch.getmetatable(last)
    if mt and TI[mt] then return TI[mt] end
  end
  return TI[getmetatable(torch.Tensor)]
end

for name, d in pairs(DEFS) do
  local function fn(...)
    local n = select('#', ...)
    local ti = dispatch_ti(n, ...)
    if name == 'multinomial' and ti == LONG then
      -- torch.multinomial(res, [gen,] prob, ...): Torch7's dispatcher looks at
      -- res and fails; the documented form is served with prob's type.
      local _, b, c = ...
      ti = tensor_ti(b) or tensor_ti(c) or ti
    end
    if d.float and BASE[ti] ~= FLOAT and BASE[ti] ~= DOUBLE then
      -- raised by the dispatcher itself, a C function the script called: its caller's line
      error(string.format('%s does not implement the torch.%s() function', TYPENAME[ti], name), 2)
    end
    local a, b = run(d, ti, true, n, ...)
    if b == nil then return a end
    return a, b
  end
  ENTRY[fn] = 'dispatch'
  core.NOPOS[fn] = true   -- a torch.X dispatcher: its errors had no position in Torch
  torch[name] = fn
end

------------------------------------------------------------------------------
-- seeding and state (Torch7's random.lua: plain functions, no dispatch)
local RDEFS = {
  seed = {sig = 'G?', act = function(v) return scalar(C.random_seed, v[1] or default_gen()) end},
  initialSeed = {sig = 'G?',
                 act = function(v) return scalar(C.random_initial_seed, v[1] or default_gen()) end},
  manualSeed = {sig = 'G? l', act = function(v)
    pcall_ret(pcall(C.random_manual_seed, v[1] or default_gen(), v[2]))
  end},
  getRNGState = {sig = 'G? B*?', act = function(v)
    local g, t = v[1] or default_gen(), v[2]
    if t == nil then return newT(pcall(C.random_get_state, g, nil)) end
    pcall_ret(pcall(C.random_get_state, g, TDATA[t].h))
    return t
  end},
  setRNGState = {sig = 'G? B*?', act = function(v)
    local t = v[2] or torch.ByteTensor()
    pcall_ret(pcall(C.random_set_state, v[1] or default_gen(), TDATA[t].h))
    return t
  end},
}

for name, d in pairs(RDEFS) do
  local cp = compile({parse_sig(d.sig)}, DOUBLE)
  local act = d.act
  local function fn(...)
    local _, v = match(cp, select('#', ...), {...})
    local r = act(v)          -- not a tail call: fail() looks for this frame
    if r ~= nil then return r end
  end
  ENTRY[fn] = 'direct'
  torch[name] = fn
end

------------------------------------------------------------------------------
-- Torch7's init.lua helpers around the alias method
function torch.multinomialAliasSetup(probs, state)
  if torch.type(state) == 'table' then
    state[1], state[2] = torch.multinomialAliasSetup_(probs, state[1], state[2])
  else
    state = {}
    state[1], state[2] = torch.multinomialAliasSetup_(probs)
  end
  return state
end

function torch.multinomialAlias(output, state)
  torch.DoubleTensor.multinomialAlias_(output, state[1], state[2])
  return output
end

------------------------------------------------------------------------------
-- Generator serialization: the raw 5048-byte THGenerator, as Generator.c
-- writes it (THFile_writeByteRaw / readByteRaw).
function GMT.write(self, file)
  local state = torch.getRNGState(self)
  file:writeByte(state:storage())
end

local STATE_BYTES = 5048    -- sizeof(THGenerator) on LP64

function GMT.read(self, file)
  local s = torch.ByteStorage(STATE_BYTES)
  file:readByte(s)
  pcall_ret(pcall(C.random_set_state_storage, GDATA[self], SDATA[s].h))
end

-- the default generator, seeded from /dev/urandom as torch_random_init does
torch._gen = new_generator()

return torch
