-- optim: Torch7's optimisation package (first-order methods, quasi-Newton, line
-- searches, evolution strategies) plus its two training tools, ConfusionMatrix and
-- Logger.  Every algorithm has the signature
--    x, fs[, extra] = optim.NAME(opfunc, x, config, state)
-- where opfunc(x) returns f(x), df/dx and `state` (defaulting to `config`) keeps
-- whatever the method carries from one call to the next.
require 'torch'

optim = optim or {}

local parts = {
   'sgd', 'cg', 'asgd', 'nag', 'fista', 'lbfgs', 'adagrad', 'rprop', 'adam',
   'adamax', 'rmsprop', 'adadelta', 'cmaes', 'de',
   'lswolfe',
   'polyinterp', 'checkgrad',
   'ConfusionMatrix', 'Logger',
}
for _, name in ipairs(parts) do
   require('optim.' .. name)
end

return optim
