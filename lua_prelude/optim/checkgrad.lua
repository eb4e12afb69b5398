-- Compare opfunc's analytic gradient at x with central finite differences
-- (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), eps defaulting to 1e-7.
-- Returns the relative error |dC - dC_est| / |dC + dC_est|, dC and dC_est.
-- opfunc may return its value as a number or as a one-element tensor.
function optim.checkgrad(opfunc, x, eps)
   local f0, dC = opfunc(x)
   dC:resize(x:size())

   local valueIsTensor = torch.isTensor(f0)
   local held
   if valueIsTensor then
      held = f0.new(f0:size())
   end

   eps = eps or 1e-7
   local dC_est = torch.Tensor():typeAs(dC):resizeAs(dC)
   for i = 1, dC:size(1) do
      local saved = x[i]
      x[i] = x[i] + eps
      local fPlus = opfunc(x)
      if valueIsTensor then
         -- opfunc may hand back the same tensor each time: keep a copy
         held:copy(fPlus)
         fPlus = held
      end
      x[i] = x[i] - 2 * eps
      local fMinus = opfunc(x)
      x[i] = saved
      dC_est[i] = (fPlus - fMinus) / (2 * eps)
   end

   local relError = torch.norm(dC - dC_est) / torch.norm(dC + dC_est)
   return relError, dC, dC_est
end
