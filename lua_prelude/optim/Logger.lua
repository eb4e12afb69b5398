-- optim.Logger([filename[, timestamp]]): records named values during training,
-- one tab-separated line per add() (a header line first), and plots them.
--
--   logger = optim.Logger('train.log')         -- stdout when no file is given
--   logger:setNames{'train error', 'test error'}
--   logger:add{0.5, 0.6}                       -- or add{['train error'] = 0.5, ...}
--   logger:style{'-', '+-'}
--   logger:plot()
--
-- The file format is Torch7's: names each followed by a tab, then for every add()
-- the values as '%11.4e' (strings as they are), each followed by a tab.
-- Torch7 plotted with gnuplot (a window plus filename.eps); torchlua draws the
-- same curves with matplotlib into filename.png when matplotlib is importable by
-- the Python found as $TORCHLUA_PYTHON or `python3`, and otherwise writes one
-- warning line on stderr.
require 'xlua'
require 'sys'
require 'paths'
local Logger = torch.class('optim.Logger')

function Logger:__init(filename, timestamp)
   if filename then
      self.name = filename
      os.execute('mkdir ' .. (sys.uname() ~= 'windows' and '-p ' or '') ..
                 ' "' .. paths.dirname(filename) .. '"')
      if timestamp then
         filename = filename .. '-' .. os.date("%Y_%m_%d_%X")
      end
      self.file = io.open(filename, 'w')
      self.epsfile = self.name .. '.eps'
      self.pngfile = self.name .. '.png'
   else
      self.file = io.stdout
      self.name = 'stdout'
      print('<Logger> warning: no path provided, logging to std out')
   end
   self.empty = true
   self.symbols = {}
   self.styles = {}
   self.names = {}
   self.idx = {}
   self.figure = nil
   self.showPlot = true
   self.plotRawCmd = nil
   self.defaultStyle = '+'
   self.logscale = false
end

function Logger:setNames(names)
   self.names = names
   self.empty = false
   self.nsymbols = #names
   local header = {}
   for k, key in pairs(names) do
      header[#header + 1] = key .. '\t'
      self.symbols[k] = {}
      self.styles[k] = {self.defaultStyle}
      self.idx[key] = k
   end
   self.file:write(table.concat(header) .. '\n')
   self.file:flush()
   return self
end

function Logger:add(symbols)
   -- the first add() without setNames() names the columns after its keys
   if self.empty then
      self.empty = false
      self.nsymbols = #symbols
      local header = {}
      for k in pairs(symbols) do
         header[#header + 1] = k .. '\t'
         self.symbols[k] = {}
         self.styles[k] = {self.defaultStyle}
         self.names[k] = k
      end
      self.idx = self.names
      self.file:write(table.concat(header) .. '\n')
   end
   local row = {}
   for _, val in pairs(symbols) do
      if type(val) == 'number' then
         row[#row + 1] = string.format('%11.4e', val) .. '\t'
      elseif type(val) == 'string' then
         row[#row + 1] = val .. '\t'
      else
         xlua.error('can only log numbers and strings', 'Logger')
      end
   end
   self.file:write(table.concat(row) .. '\n')
   self.file:flush()
   for k, val in pairs(symbols) do
      table.insert(self.symbols[k], val)
   end
end

function Logger:style(symbols)
   for name, style in pairs(symbols) do
      if type(style) == 'string' then
         self.styles[name] = {style}
      elseif type(style) == 'table' then
         self.styles[name] = style
      else
         xlua.error('style should be a string or a table of strings', 'Logger')
      end
   end
   return self
end

function Logger:setlogscale(state)
   self.logscale = state
end

function Logger:display(state)
   self.showPlot = state
end

-- gnuplot style -> matplotlib format string
local styleMap = {
   ['-'] = '-', ['+'] = '+', ['+-'] = '+-', ['-+'] = '+-', ['.'] = '.',
   ['|'] = '|', ['~'] = '-',
}

local function pyString(s)
   return "'" .. tostring(s):gsub('\\', '\\\\'):gsub("'", "\\'"):gsub('\n', '\\n') .. "'"
end

local function shellQuote(s)
   return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- the series plot() draws: {label, values, style} for every symbol with 2+ values
function Logger:_series(...)
   local series = {}
   local function addSymbol(key, list)
      if list == nil or #list < 2 then return end
      local values = {}
      for i = 1, #list do values[i] = tonumber(list[i]) or (0 / 0) end
      for _, style in ipairs(self.styles[key] or {self.defaultStyle}) do
         series[#series + 1] = {tostring(self.names[key]), values, style}
      end
   end
   local wanted = {...}
   if wanted[1] == nil then
      for key, list in pairs(self.symbols) do addSymbol(key, list) end
   else
      for _, name in ipairs(wanted) do
         addSymbol(self.idx[name], self.symbols[self.idx[name]])
      end
   end
   return series
end

local function warn(self, message)
   if not self.warned then
      io.stderr:write('<Logger> warning: ' .. message .. '\n')
      self.warned = true
   end
end

function Logger:plot(...)
   local series = self:_series(...)
   if #series == 0 then return end
   if not self.pngfile then
      warn(self, 'logging to stdout, no file to plot into')
      return
   end
   local lines = {
      'import sys',
      'try:',
      '    import matplotlib',
      '    matplotlib.use("Agg")',
      '    import matplotlib.pyplot as plt',
      'except ImportError:',
      '    sys.exit(3)',
      'fig, ax = plt.subplots()',
   }
   for _, s in ipairs(series) do
      local nums = {}
      for i, v in ipairs(s[2]) do
         nums[i] = (v ~= v) and 'float("nan")' or string.format('%.17g', v)
      end
      lines[#lines + 1] = string.format('ax.plot(list(range(1, %d)), [%s], %s, label=%s)',
         #nums + 1, table.concat(nums, ', '), pyString(styleMap[s[3]] or s[3]), pyString(s[1]))
   end
   if self.logscale then lines[#lines + 1] = 'ax.set_yscale("log")' end
   lines[#lines + 1] = 'ax.grid(True)'
   lines[#lines + 1] = 'ax.legend()'
   lines[#lines + 1] = 'ax.set_title(' .. pyString('<Logger::' .. self.name .. '>') .. ')'
   lines[#lines + 1] = 'fig.savefig(' .. pyString(self.pngfile) .. ')'

   local script = os.tmpname()
   local f = assert(io.open(script, 'w'))
   f:write(table.concat(lines, '\n') .. '\n')
   f:close()
   local python = os.getenv('TORCHLUA_PYTHON') or 'python3'
   local status, _, code = os.execute(shellQuote(python) .. ' ' .. shellQuote(script) .. ' >/dev/null 2>&1')
   os.remove(script)
   if type(status) == 'number' then code = status / 256 >= 1 and math.floor(status / 256) or status
   elseif status == true then code = 0 end
   if code == 3 then
      warn(self, 'matplotlib is not installed, Logger:plot() draws nothing (pip install matplotlib)')
   elseif code ~= 0 then
      warn(self, 'plotting with ' .. python .. ' failed, Logger:plot() draws nothing')
   end
end
