package services

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Graph is the dependency graph of a set of services: who starts after
// whom (after, requires and wants all order), and who needs whom. It is
// immutable; every method returns fresh slices. Building it and each query
// take time linear in the services and dependencies.
type Graph struct {
	names      []string // sorted; a service's index is its place here
	services   []*Service
	index      map[string]int
	deps       [][]int // ordering: after ∪ requires ∪ wants, sorted
	requires   [][]int
	wants      [][]int
	dependents [][]int // reverse of deps
	requiredBy [][]int // reverse of requires
	waves      [][]int
	wave       []int
}

// cycle is a dependency loop: path runs from a service back to itself;
// others are the services caught in the same loop that path does not show.
type cycle struct {
	path   []int
	others []string
}

// NewGraph builds the graph of services, which need not be sorted. It
// fails if two services share a name, a dependency names an unknown
// service or the service itself, or the dependencies form a cycle.
func NewGraph(services []*Service) (*Graph, error) {
	sorted := append([]*Service(nil), services...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var errs []error
	for i, s := range sorted {
		if i > 0 && sorted[i-1].Name == s.Name {
			errs = append(errs, fmt.Errorf("service %q: defined twice", s.Name))
		}
		for _, list := range dependencyLists(s) {
			for _, n := range list {
				if n == s.Name || !hasService(sorted, n) {
					errs = append(errs, fmt.Errorf("service %q: dependency %q: not another service", s.Name, n))
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	g, cycles := buildGraph(sorted)
	for _, c := range cycles {
		errs = append(errs, fmt.Errorf("dependency cycle: %s", strings.Join(g.namesOf(c.path), " -> ")))
	}
	return g, errors.Join(errs...)
}

func hasService(sorted []*Service, name string) bool {
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i].Name >= name })
	return i < len(sorted) && sorted[i].Name == name
}

// buildGraph builds the graph of services sorted by distinct names,
// ignoring dependencies on unknown names and on the service itself (the
// caller reports those), and returns the cycles it found.
func buildGraph(services []*Service) (*Graph, []cycle) {
	n := len(services)
	g := &Graph{
		names: make([]string, n), services: services, index: make(map[string]int, n),
		deps: make([][]int, n), requires: make([][]int, n), wants: make([][]int, n),
		dependents: make([][]int, n), requiredBy: make([][]int, n),
	}
	for i, s := range services {
		g.names[i] = s.Name
		g.index[s.Name] = i
	}
	for i, s := range services {
		g.requires[i] = g.indexes(i, s.Requires)
		g.wants[i] = g.indexes(i, s.Wants)
		g.deps[i] = union(g.indexes(i, s.After), g.requires[i], g.wants[i])
		for _, j := range g.deps[i] {
			g.dependents[j] = append(g.dependents[j], i)
		}
		for _, j := range g.requires[i] {
			g.requiredBy[j] = append(g.requiredBy[j], i)
		}
	}
	cycles := g.cycles()
	if len(cycles) == 0 {
		g.layer()
	}
	return g, cycles
}

// indexes maps names to indexes, dropping unknown names and self.
func (g *Graph) indexes(self int, names []string) []int {
	out := make([]int, 0, len(names))
	for _, name := range names {
		if j, ok := g.index[name]; ok && j != self {
			out = append(out, j)
		}
	}
	sort.Ints(out)
	return out
}

// union merges sorted lists into one sorted list without repeats.
func union(lists ...[]int) []int {
	var out []int
	for _, l := range lists {
		out = append(out, l...)
	}
	sort.Ints(out)
	w := 0
	for i, x := range out {
		if i == 0 || x != out[w-1] {
			out[w] = x
			w++
		}
	}
	return out[:w]
}

// layer puts each service in the wave after the last of its
// dependencies (Kahn's algorithm, level by level).
func (g *Graph) layer() {
	n := len(g.names)
	g.wave = make([]int, n)
	pending := make([]int, n)
	var ready []int
	for i := range n {
		pending[i] = len(g.deps[i])
		if pending[i] == 0 {
			ready = append(ready, i)
		}
	}
	for len(ready) > 0 {
		g.waves = append(g.waves, ready) // ascending index, so sorted by name
		var next []int
		for _, i := range ready {
			for _, j := range g.dependents[i] {
				if pending[j]--; pending[j] == 0 {
					g.wave[j] = len(g.waves)
					next = append(next, j)
				}
			}
		}
		sort.Ints(next)
		ready = next
	}
}

// Names returns every service name, sorted.
func (g *Graph) Names() []string { return append([]string(nil), g.names...) }

// Waves returns the start order: each wave holds the services whose
// dependencies are all in earlier waves, sorted by name; the services of
// one wave may start in parallel.
func (g *Graph) Waves() [][]string {
	out := make([][]string, len(g.waves))
	for i, w := range g.waves {
		out[i] = g.namesOf(w)
	}
	return out
}

// StopOrder returns the waves in reverse: dependents stop before what they
// depend on.
func (g *Graph) StopOrder() [][]string {
	out := g.Waves()
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Wave returns the index of the wave name starts in, or -1 if it is no
// service of the graph.
func (g *Graph) Wave(name string) int {
	if i, ok := g.index[name]; ok && g.wave != nil {
		return g.wave[i]
	}
	return -1
}

// After returns the services name starts after: its after, requires and
// wants together.
func (g *Graph) After(name string) []string { return g.lookup(name, g.deps) }

// Requires returns the services name requires.
func (g *Graph) Requires(name string) []string { return g.lookup(name, g.requires) }

// Wants returns the services name wants.
func (g *Graph) Wants(name string) []string { return g.lookup(name, g.wants) }

// Dependents returns the services that start after name (the reverse of
// After).
func (g *Graph) Dependents(name string) []string { return g.lookup(name, g.dependents) }

// RequiredBy returns the services that require name: those to stop when
// name stops for good.
func (g *Graph) RequiredBy(name string) []string { return g.lookup(name, g.requiredBy) }

func (g *Graph) lookup(name string, edges [][]int) []string {
	i, ok := g.index[name]
	if !ok {
		return nil
	}
	return g.namesOf(edges[i])
}

func (g *Graph) namesOf(idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = g.names[j]
	}
	return out
}
