package services

import "sort"

// cycles finds every strongly connected component of more than one
// service (Tarjan's algorithm) and returns, for each, the shortest loop
// through its first service by name, with the rest of the component.
func (g *Graph) cycles() []cycle {
	var out []cycle
	for _, comp := range g.components() {
		if len(comp) > 1 {
			out = append(out, g.loop(comp))
		}
	}
	return out
}

// components returns the strongly connected components of the ordering
// edges, each sorted, in order of their first member.
func (g *Graph) components() [][]int {
	n := len(g.names)
	t := tarjan{g: g, index: make([]int, n), low: make([]int, n), onStack: make([]bool, n)}
	for i := range t.index {
		t.index[i] = -1
	}
	for i := range n {
		if t.index[i] < 0 {
			t.visit(i)
		}
	}
	return t.comps
}

type tarjan struct {
	g       *Graph
	next    int
	index   []int
	low     []int
	onStack []bool
	stack   []int
	comps   [][]int
}

// visit is Tarjan's depth-first search from v. The recursion is as deep
// as the longest dependency chain, bounded by maxServices.
func (t *tarjan) visit(v int) {
	t.index[v], t.low[v] = t.next, t.next
	t.next++
	t.stack = append(t.stack, v)
	t.onStack[v] = true
	for _, w := range t.g.deps[v] {
		switch {
		case t.index[w] < 0:
			t.visit(w)
			t.low[v] = min(t.low[v], t.low[w])
		case t.onStack[w]:
			t.low[v] = min(t.low[v], t.index[w])
		}
	}
	if t.low[v] != t.index[v] {
		return
	}
	var comp []int
	for {
		w := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.onStack[w] = false
		comp = append(comp, w)
		if w == v {
			break
		}
	}
	if len(comp) > 1 {
		sort.Ints(comp)
		t.comps = append(t.comps, comp)
	}
}

// loop finds the shortest path from the component's first service back
// to itself (breadth-first, inside the component).
func (g *Graph) loop(comp []int) cycle {
	in := make(map[int]bool, len(comp))
	for _, v := range comp {
		in[v] = true
	}
	start := comp[0]
	parent := map[int]int{start: -1}
	queue := []int{start}
	end := -1
	for len(queue) > 0 && end < 0 {
		u := queue[0]
		queue = queue[1:]
		for _, w := range g.deps[u] {
			if w == start {
				end = u
				break
			}
			if _, seen := parent[w]; !seen && in[w] {
				parent[w] = u
				queue = append(queue, w)
			}
		}
	}
	path := []int{start}
	for v := end; v != start; v = parent[v] {
		path = append(path, v)
	}
	reverse(path[1:])
	path = append(path, start)
	onPath := map[int]bool{}
	for _, v := range path {
		onPath[v] = true
	}
	var others []string
	for _, v := range comp {
		if !onPath[v] {
			others = append(others, g.names[v])
		}
	}
	return cycle{path: path, others: others}
}

func reverse(s []int) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}
