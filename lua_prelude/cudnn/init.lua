-- require 'cudnn' without a GPU: cudnn's layers with cudnn's constructors and
-- names, computed by the matching nn modules on the CPU.  Each cudnn.X is a
-- subclass of nn.X, so nn's forward/backward, parameters and serialization apply;
-- cudnn.convert switches a network between the two families, as upstream does.
require 'cunn'

local cudnn = rawget(_G, 'cudnn') or {}
_G.cudnn = cudnn

-- upstream's global switches; kept so scripts may set them (no effect on the CPU)
cudnn.benchmark = false
cudnn.fastest = false
cudnn.verbose = false
cudnn.version = 5105

function cudnn.getHandle() return nil end
function cudnn.getSharedWorkspace() return nil end
function cudnn.setMaxWorkspaceSize() end
function cudnn.reset() end

-- the layers cudnn.convert switches, in upstream's list
local layer_list = {
   'BatchNormalization', 'SpatialBatchNormalization', 'SpatialConvolution',
   'SpatialCrossMapLRN', 'SpatialFullConvolution', 'SpatialMaxPooling',
   'SpatialAveragePooling', 'ReLU', 'Tanh', 'Sigmoid', 'SoftMax', 'LogSoftMax',
   'VolumetricBatchNormalization', 'VolumetricConvolution', 'VolumetricFullConvolution',
   'VolumetricMaxPooling', 'VolumetricAveragePooling',
}
cudnn._layer_list = layer_list

-- modules whose cudnn version prints like nn.Module (its type name only)
local PLAIN_NAME = {
   BatchNormalization = true, SpatialBatchNormalization = true,
   VolumetricBatchNormalization = true, ReLU = true, Tanh = true, Sigmoid = true,
   SoftMax = true, LogSoftMax = true, SpatialSoftMax = true, SpatialLogSoftMax = true,
   SpatialCrossMapLRN = true,
}

local function nn_class(name)
   local ok, cls = pcall(function() return nn[name] end)
   if ok and cls then return cls end
end

local function plain_tostring(self) return torch.type(self) end

-- cudnn.X from nn.X; `init` adapts the constructor's arguments when they differ
local function define(name, init)
   local base = nn_class(name)
   if not base then return end
   local cls, parent = torch.class('cudnn.' .. name, 'nn.' .. name)
   if init then
      cls.__init = function(self, ...) return init(self, parent, ...) end
   end
   if PLAIN_NAME[name] then cls.__tostring__ = plain_tostring end
   -- cudnn's per-module switches: accepted, nothing to select on the CPU
   function cls:fastest() return self end
   function cls:setMode() return self end
   function cls:resetMode() return self end
   function cls:clearDesc() return self end
   return cls
end

-- convolutions: an extra `groups` argument (upstream: groups > 1 splits the planes)
define('SpatialConvolution', function(self, parent, nIn, nOut, kW, kH, dW, dH, padW, padH, groups)
   groups = groups or 1
   if groups ~= 1 then
      error('cudnn.SpatialConvolution: groups > 1 is not supported by torchlua', 3)
   end
   parent.__init(self, nIn, nOut, kW, kH, dW, dH, padW, padH)
   self.groups = groups
end)
define('VolumetricConvolution')
define('SpatialFullConvolution')
define('VolumetricFullConvolution')

-- pooling (nn's constructors take the same arguments, :ceil()/:floor() too)
define('SpatialMaxPooling')
define('SpatialAveragePooling', function(self, parent, kW, kH, dW, dH, padW, padH)
   parent.__init(self, kW, kH, dW, dH, padW, padH)
   -- cudnn averages over the padded window (count_include_pad), as nn's default
   self.count_include_pad = true
end)
define('VolumetricMaxPooling')
define('VolumetricAveragePooling')

-- pointwise: cudnn takes an `inplace` flag for each of them
define('ReLU', function(self, parent, inplace) parent.__init(self, inplace or false) end)
define('Tanh', function(self, parent, inplace)
   parent.__init(self)
   self.inplace = inplace or false
end)
define('Sigmoid', function(self, parent, inplace)
   parent.__init(self)
   self.inplace = inplace or false
end)

-- softmax family (cudnn's `fast` flag selects an algorithm; no effect here)
define('SoftMax', function(self, parent, fast) parent.__init(self); self.fast = fast end)
define('LogSoftMax', function(self, parent, fast) parent.__init(self); self.fast = fast end)
define('SpatialSoftMax', function(self, parent, fast) parent.__init(self); self.fast = fast end)
define('SpatialLogSoftMax', function(self, parent, fast) parent.__init(self); self.fast = fast end)

-- normalization (same arguments as nn)
define('BatchNormalization')
define('SpatialBatchNormalization')
define('VolumetricBatchNormalization')
define('SpatialCrossMapLRN')

-- cudnn.convert(net, dst[, exclusion_fn]): every convertible layer of net becomes
-- the dst family's (nn or cudnn) layer with the same fields.
function cudnn.convert(net, dst, exclusion_fn)
   local src = dst == nn and cudnn or nn
   local src_prefix = src == nn and 'nn.' or 'cudnn.'
   local dst_prefix = dst == nn and 'nn.' or 'cudnn.'
   return net:replace(function(x)
      if torch.type(x) == 'nn.gModule' then
         io.stderr:write('Warning: cudnn.convert does not work with nngraph yet. Ignoring nn.gModule')
         return x
      end
      if exclusion_fn and exclusion_fn(x) then return x end
      local t = torch.typename(x)
      local name
      if t == 'nn.SpatialConvolutionMM' and dst == cudnn then
         name = 'SpatialConvolution'
      else
         for _, v in ipairs(layer_list) do
            if t == src_prefix .. v then name = v end
         end
      end
      if not name or not torch.getmetatable(dst_prefix .. name) then return x end
      local y = {}
      torch.setmetatable(y, dst_prefix .. name)
      for k, u in pairs(x) do y[k] = u end
      if dst == cudnn and name == 'SpatialConvolution' and y.groups == nil then y.groups = 1 end
      return y
   end)
end

package.loaded.cudnn = cudnn
return cudnn
