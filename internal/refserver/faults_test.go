package refserver

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var areas = []string{"auth", "bounds", "control", "delete", "error", "isolation", "link", "load", "optimize", "ratelimit", "roundtrip", "shape"}

var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)

func TestFaults_Catalogue(t *testing.T) {
	t.Parallel()
	fs := Faults()
	if len(fs) < 30 {
		t.Errorf("%d faults, want at least 30", len(fs))
	}
	sorted := slices.IsSortedFunc(fs, func(a, b FaultInfo) int {
		return cmp.Or(cmp.Compare(a.Area, b.Area), cmp.Compare(a.Name, b.Name))
	})
	if !sorted {
		t.Error("Faults() is not sorted by area, then name")
	}
	seen := map[string]bool{}
	perArea := map[string]int{}
	for _, f := range fs {
		switch {
		case seen[f.Name]:
			t.Errorf("%s listed twice", f.Name)
		case !kebab.MatchString(f.Name) || !strings.HasPrefix(f.Name, f.Area+"-"):
			t.Errorf("%s: want kebab-case prefixed by its area %q", f.Name, f.Area)
		case !slices.Contains(areas, f.Area):
			t.Errorf("%s: unknown area %q", f.Name, f.Area)
		case f.LoadOnly != (f.Area == "load"):
			t.Errorf("%s: LoadOnly %v in area %s", f.Name, f.LoadOnly, f.Area)
		case len(f.Description) < 20:
			t.Errorf("%s: description %q says too little", f.Name, f.Description)
		}
		seen[f.Name] = true
		perArea[f.Area]++
	}
	for _, a := range areas {
		if perArea[a] == 0 {
			t.Errorf("no fault in area %s", a)
		}
	}
	fs[0].Name = "changed"
	if Faults()[0].Name == "changed" {
		t.Error("Faults() hands out the catalogue itself")
	}
}

// Every fault is accepted alone and all of them together.
func TestFaults_AcceptedByNew(t *testing.T) {
	t.Parallel()
	var all []string
	for _, f := range Faults() {
		all = append(all, f.Name)
		s, err := New(Config{Faults: []string{f.Name}})
		if err != nil {
			t.Fatalf("New with %s: %v", f.Name, err)
		}
		if !s.fault(f.Name) || !s.faults.any {
			t.Errorf("%s: not switched on", f.Name)
		}
		s.Close()
	}
	s, err := New(Config{Faults: append(all, "", " "+all[0])})
	if err != nil {
		t.Fatalf("New with every fault: %v", err)
	}
	defer s.Close()
	for _, name := range all {
		if !s.fault(name) {
			t.Errorf("%s: not switched on", name)
		}
	}
}

func TestFaults_UnknownRejected(t *testing.T) {
	t.Parallel()
	_, err := New(Config{Faults: []string{"isolation-read", "isolation-reed"}})
	if err == nil {
		t.Fatal("New accepted an unknown fault")
	}
	for _, want := range []string{`unknown fault "isolation-reed"`, "isolation-read, isolation-read-external", "load-slow"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// A clean server has no fault state at all: the fast path reads one bool.
func TestFaults_CleanServerHasNone(t *testing.T) {
	t.Parallel()
	for _, names := range [][]string{nil, {}, {""}} {
		s, err := New(Config{Faults: names})
		if err != nil {
			t.Fatal(err)
		}
		if s.faults.any || s.faults.st != nil || s.limiter.faults.any {
			t.Errorf("Faults %q: fault set %+v", names, s.faults)
		}
		for _, a := range s.agencies {
			if a.faults.any || a.residue != nil {
				t.Errorf("Faults %q: agency %d has faults", names, a.id)
			}
		}
		s.Close()
	}
}

// Every fault has a test that shows it: a detector, or a load test.
func TestFaults_EveryFaultIsTested(t *testing.T) {
	t.Parallel()
	tested := map[string]bool{}
	for _, d := range detectors {
		if tested[d.fault] {
			t.Errorf("two detectors for %s", d.fault)
		}
		tested[d.fault] = true
	}
	for _, name := range loadTested {
		tested[name] = true
	}
	for _, name := range exploreTested {
		tested[name] = true
	}
	for _, f := range Faults() {
		if !tested[f.Name] {
			t.Errorf("%s has no test", f.Name)
		}
		delete(tested, f.Name)
	}
	for name := range tested {
		t.Errorf("test for unknown fault %s", name)
	}
}
