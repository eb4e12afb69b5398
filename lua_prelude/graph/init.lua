-- require 'graph': directed graphs of torch objects (torch/graph), used by nngraph.
require 'torch'

-- Torch7's graph package lives in a global, and scripts rely on that.
graph = rawget(_G, 'graph') or {}
package.loaded.graph = graph

require 'graph.graphviz'
require 'graph.Node'
require 'graph.Edge'
require 'graph.Graph'
require 'graph.todot'

return graph
