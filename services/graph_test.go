package services

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// svc is a service with dependencies: "after:a,b requires:c wants:d".
func svc(name, deps string) *Service {
	s := &Service{Name: name}
	for _, field := range strings.Fields(deps) {
		key, list, _ := strings.Cut(field, ":")
		names := strings.Split(list, ",")
		switch key {
		case "after":
			s.After = names
		case "requires":
			s.Requires = names
		case "wants":
			s.Wants = names
		}
	}
	return s
}

func mustGraph(t *testing.T, services ...*Service) *Graph {
	t.Helper()
	g, err := NewGraph(services)
	if err != nil {
		t.Fatalf("NewGraph: %v", err)
	}
	return g
}

func TestGraphWaves(t *testing.T) {
	tests := []struct {
		name     string
		services []*Service
		want     [][]string
	}{
		{"single", []*Service{svc("a", "")}, [][]string{{"a"}}},
		{"independent", []*Service{svc("b", ""), svc("a", ""), svc("c", "")}, [][]string{{"a", "b", "c"}}},
		{"chain", []*Service{svc("c", "after:b"), svc("b", "requires:a"), svc("a", "")}, [][]string{{"a"}, {"b"}, {"c"}}},
		{"diamond", []*Service{svc("top", "requires:l,r"), svc("l", "after:base"), svc("r", "wants:base"), svc("base", "")},
			[][]string{{"base"}, {"l", "r"}, {"top"}}},
		{"long edge", []*Service{svc("a", ""), svc("b", "after:a"), svc("c", "after:b"), svc("d", "after:a,c")},
			[][]string{{"a"}, {"b"}, {"c"}, {"d"}}},
		{"same service in two lists", []*Service{svc("a", ""), svc("b", "after:a requires:a")}, [][]string{{"a"}, {"b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := mustGraph(t, tt.services...)
			if got := g.Waves(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Waves() = %v, want %v", got, tt.want)
			}
			stop := g.StopOrder()
			for i := range stop {
				if !reflect.DeepEqual(stop[i], tt.want[len(tt.want)-1-i]) {
					t.Errorf("StopOrder() = %v, want the waves reversed", stop)
				}
			}
		})
	}
}

func TestGraphQueries(t *testing.T) {
	g := mustGraph(t, svc("web", "requires:db after:migrate wants:logs"), svc("db", ""),
		svc("migrate", "requires:db"), svc("logs", ""))
	tests := []struct {
		what string
		got  []string
		want []string
	}{
		{"After(web)", g.After("web"), []string{"db", "logs", "migrate"}},
		{"Requires(web)", g.Requires("web"), []string{"db"}},
		{"Wants(web)", g.Wants("web"), []string{"logs"}},
		{"Dependents(db)", g.Dependents("db"), []string{"migrate", "web"}},
		{"RequiredBy(db)", g.RequiredBy("db"), []string{"migrate", "web"}},
		{"RequiredBy(logs)", g.RequiredBy("logs"), []string{}},
		{"Dependents(logs)", g.Dependents("logs"), []string{"web"}},
		{"After(nope)", g.After("nope"), nil},
		{"Names()", g.Names(), []string{"db", "logs", "migrate", "web"}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.what, tt.got, tt.want)
		}
	}
	if got, want := g.Wave("web"), 2; got != want {
		t.Errorf("Wave(web) = %d, want %d", got, want)
	}
	if got := g.Wave("nope"); got != -1 {
		t.Errorf("Wave(nope) = %d, want -1", got)
	}
	// Results are copies: changing one does not change the graph.
	g.After("web")[0] = "changed"
	g.Waves()[0][0] = "changed"
	if g.After("web")[0] != "db" || g.Waves()[0][0] != "db" {
		t.Errorf("a query's result shares memory with the graph")
	}
}

func TestNewGraphErrors(t *testing.T) {
	tests := []struct {
		name     string
		services []*Service
		want     string
	}{
		{"duplicate", []*Service{svc("a", ""), svc("a", "")}, `service "a": defined twice`},
		{"unknown", []*Service{svc("a", "requires:b")}, `service "a": dependency "b": not another service`},
		{"self", []*Service{svc("a", "after:a")}, `service "a": dependency "a": not another service`},
		{"cycle", []*Service{svc("a", "requires:b"), svc("b", "wants:c"), svc("c", "after:a")}, "dependency cycle: a -> b -> c -> a"},
		{"two cycles", []*Service{svc("a", "after:b"), svc("b", "after:a"), svc("c", "after:d"), svc("d", "after:c")},
			"dependency cycle: a -> b -> a\ndependency cycle: c -> d -> c"},
	}
	for _, tt := range tests {
		_, err := NewGraph(tt.services)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: NewGraph() error = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestGraphCycleIsShortest checks that the loop reported through a big
// strongly connected component is the shortest one from its first service,
// and that the rest of the component is named.
func TestGraphCycleIsShortest(t *testing.T) {
	g, cycles := buildGraph([]*Service{
		svc("a", "after:b,e"), svc("b", "after:c"), svc("c", "after:d"), svc("d", "after:a"),
		svc("e", "after:a"), svc("f", ""),
	})
	if len(cycles) != 1 {
		t.Fatalf("found %d cycles, want 1", len(cycles))
	}
	if got, want := strings.Join(g.namesOf(cycles[0].path), " -> "), "a -> e -> a"; got != want {
		t.Errorf("cycle %q, want %q", got, want)
	}
	if got, want := cycles[0].others, []string{"b", "c", "d"}; !reflect.DeepEqual(got, want) {
		t.Errorf("others %v, want %v", got, want)
	}
}

// TestGraphLarge builds graphs of maxServices services shaped as a chain
// (the deepest recursion) and as a fan (the widest wave).
func TestGraphLarge(t *testing.T) {
	chain := make([]*Service, maxServices)
	fan := make([]*Service, maxServices)
	for i := range chain {
		chain[i] = &Service{Name: fmt.Sprintf("s%05d", i)}
		fan[i] = &Service{Name: fmt.Sprintf("s%05d", i)}
		if i > 0 {
			chain[i].After = []string{chain[i-1].Name}
			fan[i].Requires = []string{fan[0].Name}
		}
	}
	if got := len(mustGraph(t, chain...).Waves()); got != maxServices {
		t.Errorf("chain: %d waves, want %d", got, maxServices)
	}
	if w := mustGraph(t, fan...).Waves(); len(w) != 2 || len(w[1]) != maxServices-1 {
		t.Errorf("fan: waves of sizes %d, want 1 and %d", len(w), maxServices-1)
	}
	chain[0].After = []string{chain[len(chain)-1].Name}
	if _, err := NewGraph(chain); err == nil || !strings.Contains(err.Error(), "s00000 -> s04095 -> s04094 -> ") {
		t.Errorf("ring: NewGraph() error = %.80v…, want the whole loop", err)
	}
}

func BenchmarkGraph(b *testing.B) {
	services := generatedServices(1000)
	b.ResetTimer()
	for b.Loop() {
		if _, cycles := buildGraph(services); len(cycles) != 0 {
			b.Fatal("cycle in generated services")
		}
	}
}

// generatedServices returns n services, each depending on up to three
// earlier ones, like a large real configuration.
func generatedServices(n int) []*Service {
	out := make([]*Service, n)
	for i := range out {
		s := &Service{Name: fmt.Sprintf("svc-%04d", i)}
		if i >= 1 {
			s.Requires = []string{out[i/2].Name}
		}
		if i >= 3 {
			s.After = []string{out[i-3].Name}
		}
		if i >= 4 && i/3 != i/2 {
			s.Wants = []string{out[i/3].Name}
		}
		out[i] = s
	}
	return out
}
