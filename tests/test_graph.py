"""lua_prelude/graph: torch/graph's Graph, Node, Edge, traversals, dot export.

Orders (node ids, roots, dfs/bfs/topsort) are asserted exactly: nngraph's
forwardnodes/backwardnodes and module order are built from them.
"""
import os
import shutil

import pytest

import torchlua

HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot program is not on PATH")


@pytest.fixture(scope="module")
def rt():
    r = torchlua.Runtime()
    r.execute("require 'graph'")
    return r


def lua(rt, code, *args):
    return rt.execute(code, *args)


# a diamond 1 -> {2, 3}, 2 -> 3, {2, 3} -> 4, built once per snippet
DIAMOND = """
local n1, n2, n3, n4 = graph.Node(1), graph.Node(2), graph.Node(3), graph.Node(4)
local g = graph.Graph()
g:add(graph.Edge(n1, n2)); g:add(graph.Edge(n1, n3)); g:add(graph.Edge(n2, n3))
g:add(graph.Edge(n2, n4)); g:add(graph.Edge(n3, n4))
"""


def test_require_sets_global_and_classes(rt):
    assert rt.eval("require('graph') == graph")
    assert rt.eval("torch.typename(graph.Graph())") == "graph.Graph"
    assert rt.eval("torch.typename(graph.Node(1))") == "graph.Node"
    e = rt.eval("graph.Edge(1, 2, 0.5)")
    assert (e["from"], e.to, e.weight) == (1, 2, 0.5)


def test_node_fields_and_add(rt):
    ok = lua(rt, """
    local a, b, c = graph.Node('a'), graph.Node('b'), graph.Node('c')
    assert(a.data == 'a' and a.id == 0 and a.visited == false and a.marked == false)
    a:add(b); a:add(b); a:add({c, b})
    assert(#a.children == 2 and a.children[1] == b and a.children[2] == c)
    assert(a.children[b] == 1 and a.children[c] == 2)
    assert(a:label() == 'a' and graph.Node(3):label() == '3')
    return true""")
    assert ok


def test_graph_add_indexes_ids_and_errors(rt):
    res = lua(rt, DIAMOND + """
    local e = g.edges[1]
    g:add(e)  -- same edge again: ignored
    g:add({graph.Edge(n4, n1)})  -- a list of edges
    local ids = {}
    for i, n in ipairs(g.nodes) do ids[i] = n.id .. ':' .. n.data .. ':' .. g.nodes[n] end
    local ok, err = pcall(g.add, g, 3)
    return #g.edges, table.concat(ids, ' '), g.edges[e], err""")
    nedges, ids, eidx, err = res
    assert nedges == 6 and eidx == 1
    assert ids == "1:1:1 2:2:2 3:3:3 4:4:4"
    assert "graph.Edge or {graph.Edges} expected" in err


def test_roots_leaves_in_insertion_order(rt):
    res = lua(rt, """
    local a, b, c, d, e = graph.Node('a'), graph.Node('b'), graph.Node('c'), graph.Node('d'), graph.Node('e')
    local g = graph.Graph()
    g:add(graph.Edge(c, a)); g:add(graph.Edge(b, a)); g:add(graph.Edge(a, d)); g:add(graph.Edge(a, e))
    local r, l = {}, {}
    for i, n in ipairs(g:roots()) do r[i] = n.data end
    for i, n in ipairs(g:leaves()) do l[i] = n.data end
    return table.concat(r), table.concat(l), #graph.Graph():roots()""")
    assert res == ("cb", "de", 0)


def test_dfs_is_postorder_and_bfs_levels(rt):
    res = lua(rt, DIAMOND + """
    local d, b = {}, {}
    n1:dfs(function(n) d[#d + 1] = n.data end)
    n1:bfs(function(n) b[#b + 1] = n.data end)
    local clean = true
    for _, n in ipairs(g.nodes) do clean = clean and not n.visited and not n.marked end
    local dirty = n1:dfs_dirty(function() end)
    local flagged = n4.visited
    for _, n in ipairs(dirty) do n.visited = false end
    return table.concat(d), table.concat(b), clean, flagged, #dirty""")
    assert res == ("4321", "1234", True, True, 4)


def test_chain_dfs_bfs_as_upstream(rt):
    # torch/graph test_dfs/test_bfs on a chain 1 -> 2 -> ... -> 7
    res = lua(rt, """
    local g, nodes = graph.Graph(), {}
    for i = 1, 7 do nodes[i] = graph.Node(i) end
    for i = 1, 6 do g:add(graph.Edge(nodes[i], nodes[i + 1])) end
    local roots, leaves = g:roots(), g:leaves()
    local d, b = {}, {}
    roots[1]:dfs(function(n) d[#d + 1] = n.data end)
    roots[1]:bfs(function(n) b[#b + 1] = n.data end)
    return #roots, #leaves, table.concat(d), table.concat(b)""")
    assert res == (1, 1, "7654321", "1234567")


def test_topsort_upstream_cases(rt):
    res = lua(rt, DIAMOND + """
    local out = {}
    local function order(s) local t = {} for i, n in ipairs(s) do t[i] = n.data end return table.concat(t, ',') end
    local s, rg, rroots = g:topsort()
    out[1] = order(s)
    out[2] = torch.typename(rg) .. #rroots .. tostring(rroots[1].data)
    local n0 = graph.Node(0); g:add(graph.Edge(n0, n2))
    out[3] = order(g:topsort())
    local n5 = graph.Node(5); g:add(graph.Edge(n3, n5))
    out[4] = order(g:topsort())
    local m = {}
    for i = 11, 16 do m[i] = graph.Node(i) end
    for _, p in ipairs({{n4, 11}, {n5, 11}, {11, 12}, {11, 13}, {12, 13}, {13, 14}, {14, 15}, {12, 15}, {13, 16}}) do
      local a = type(p[1]) == 'number' and m[p[1]] or p[1]
      g:add(graph.Edge(a, m[p[2]]))
    end
    out[5] = order(g:topsort())
    return table.concat(out, ' ')""")
    assert res == "1,2,3,4 graph.Graph14 1,0,2,3,4 1,0,2,3,4,5 1,0,2,3,4,5,11,12,13,14,15,16"


def test_cycles(rt):
    res = lua(rt, """
    local n1, n2, n3, n4 = graph.Node(1), graph.Node(2), graph.Node(3), graph.Node(4)
    local c = graph.Graph()
    c:add(graph.Edge(n1, n2)); c:add(graph.Edge(n1, n3)); c:add(graph.Edge(n2, n3))
    c:add(graph.Edge(n3, n2)); c:add(graph.Edge(n2, n4)); c:add(graph.Edge(n3, n4))
    local ok, err = pcall(c.topsort, c)
    local ring = graph.Graph()
    local a, b = graph.Node('a'), graph.Node('b')
    ring:add(graph.Edge(a, b)); ring:add(graph.Edge(b, a))
    local ok2, err2 = pcall(ring.topsort, ring)
    local clean = true
    for _, n in ipairs(c.nodes) do clean = clean and not n.visited and not n.marked end
    return c:hasCycle(), ring:hasCycle(), ok, err, ok2, err2""")
    has, ringhas, ok, err, ok2, err2 = res
    assert has is True and ringhas is True
    # as in torch/graph, topsort only notices cycles that hide roots or nodes
    assert ok is True
    assert ok2 is False and "Graph has cycles" in err2
    assert lua(rt, DIAMOND + "return g:hasCycle()") is False


def test_reverse_and_clone_share_data(rt):
    res = lua(rt, DIAMOND + """
    local rg, map = g:reverse()
    local ok = map[n1].data == n1.data and map[n1] ~= n1
    local edges = {}
    for i, e in ipairs(rg.edges) do edges[i] = e.from.data .. '>' .. e.to.data end
    local r = {}
    for i, n in ipairs(rg:roots()) do r[i] = n.data end
    local t = {data = 'shared'}
    local h = graph.Graph(); local x = graph.Node(t); h:add(graph.Edge(x, graph.Node(2)))
    local c = h:clone()
    return ok, table.concat(edges, ' '), table.concat(r), c.nodes[1].data == t and c.nodes[1] ~= x,
           #c.edges, torch.typename(c.nodes[2])""")
    assert res == (True, "2>1 3>1 3>2 4>2 4>3", "4", True, 1, "graph.Node")


def test_node_graph_is_bfs_of_edges(rt):
    res = lua(rt, DIAMOND + """
    local h = n1:graph()
    local e = {}
    for i, x in ipairs(h.edges) do e[i] = x.from.data .. '>' .. x.to.data end
    return table.concat(e, ' '), #h.nodes""")
    assert res == ("1>2 1>3 2>3 2>4 3>4", 4)


def test_dot_escape(rt):
    esc = lambda s: rt.eval("graph._dotEscape(...)", s)
    assert esc("red") == "red"
    assert esc("My label") == '"My label"'
    assert esc("Non[an") == '"Non[an"'
    assert esc("My\nnewline") == '"My\\nnewline"'
    assert esc('Say "hello"') == '"Say \\"hello\\""'


def test_todot_text(rt):
    text = lua(rt, DIAMOND + "return g:todot('My title')")
    assert text == (
        'digraph G {\nlabelloc="t";\nlabel="My title";\nnode [shape = oval]; \n'
        'n1[label="Node1\\n1"];\nn2[label="Node2\\n2"];\nn3[label="Node3\\n3"];\nn4[label="Node4\\n4"];\n'
        "n1 -> n2;\nn1 -> n3;\nn2 -> n3;\nn2 -> n4;\nn3 -> n4;\n}")
    assert lua(rt, DIAMOND + "return g:todot()").startswith("digraph G {\nnode [shape = oval]; \nn1[")


def test_todot_uses_node_name_and_sorted_attributes(rt):
    # torch.class with a module table: the class lives in that table
    text = lua(rt, """
    local M = {}
    torch.class('graphtest.Named', 'graph.Node', M)
    local Named = M.Named
    function Named:graphNodeName() return 'N' .. self.id end
    function Named:graphNodeAttributes() return {tooltip = 'a b', color = 'red'} end
    local g = graph.Graph()
    g:add(graph.Edge(Named('x'), graph.Node('y')))
    return g:todot()""")
    assert 'n1[label="N1\\nx" color=red tooltip="a b"];' in text
    assert 'n2[label="Node2\\ny"];' in text


def _write_dot(rt, base, title="t"):
    code = DIAMOND + "local title, base = ...; graph.dot(g, title, base); return g:todot()"
    return rt.execute(code, title, base)


@needs_dot
def test_graph_dot_writes_svg_and_layout_dot(rt, tmp_path):
    base = str(tmp_path / "diamond")
    _write_dot(rt, base)
    svg = open(base + ".svg").read()
    assert "<svg" in svg and "Node4" in svg
    dot = open(base + ".dot").read()
    # graphviz's own dot output, with the layout (as libgvc wrote it)
    assert "bb=" in dot and "pos=" in dot and "n1 -> n2" in dot


def test_graph_dot_without_dot_program(rt, tmp_path, capfd, monkeypatch):
    empty = tmp_path / "nobin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    base = str(tmp_path / "nodot")
    text = _write_dot(rt, base, "ignored")
    assert open(base + ".dot").read() == lua(rt, DIAMOND + "return g:todot()")
    assert text.startswith("digraph G {")
    assert not os.path.exists(base + ".svg")
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "dot program is not on PATH" in err and base + ".dot" in err
    ok, msg = lua(rt, DIAMOND + "return pcall(graph.graphvizFile, g, 'dot', ...)", base + ".png")
    assert ok is False and "graphviz library could not be loaded." in msg


@needs_dot
def test_graphviz_file_png_and_other_engine(rt, tmp_path):
    for algo, name in (("dot", "a.png"), ("neato", "b.svg")):
        path = str(tmp_path / name)
        rt.execute(DIAMOND + "graph.graphvizFile(g, ...)", algo, path)
        head = open(path, "rb").read(8)
        assert head.startswith(b"\x89PNG") if name.endswith("png") else head.startswith(b"<?xml")


@needs_dot
def test_graphviz_layout_positions(rt):
    # a chain laid out top-down: one column, y decreasing along the chain
    pos = rt.execute("""
    local g, a, b, c = graph.Graph(), graph.Node(10), graph.Node(1), graph.Node(2)
    g:add(graph.Edge(a, b)); g:add(graph.Edge(b, c))
    return graph.graphvizLayout(g, 'dot'):totable()""")
    rows = [list(pos[i].values()) for i in range(1, 4)]
    xs, ys = [r[0] for r in rows], [r[1] for r in rows]
    assert max(xs) - min(xs) < 1e-3
    assert ys[0] > ys[1] > ys[2] and all(0 <= v <= 1 for v in xs + ys)
