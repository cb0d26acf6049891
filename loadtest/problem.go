package loadtest

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/rentix/mediaharness/internal/contract"
)

// Problem is one kind of trouble seen in responses, how often, and where it
// was first seen.
type Problem struct {
	// Kind is "violation" or "drift" (contract findings), "identity" (a body
	// about another file), "status" (an unexpected status) or "transport".
	Kind      string    `json:"kind"`
	Operation Operation `json:"operation"`
	Status    int       `json:"status,omitempty"`
	Rule      string    `json:"rule,omitempty"`
	Pointer   string    `json:"pointer,omitempty"`
	Message   string    `json:"message"`
	Inferred  bool      `json:"inferred,omitempty"`
	Count     uint64    `json:"count"`
	// Example is the first request that showed it: method, path and
	// Vegeta's sequence number, which finds it in the results file.
	Example string `json:"example"`
}

func (p Problem) String() string {
	where := p.Rule
	if p.Pointer != "" {
		where += " " + p.Pointer
	}
	tag := ""
	if p.Inferred {
		tag = " [inferred]"
	}
	status := ""
	if p.Status != 0 {
		status = fmt.Sprintf(" (%d)", p.Status)
	}
	return fmt.Sprintf("%dx %s %s%s %s: %s%s; first: %s", p.Count, p.Kind, p.Operation, status, where, p.Message, tag, p.Example)
}

// maxProblems bounds how many distinct problems a run keeps; the rest are
// counted under one "other" entry.
const maxProblems = 100

// problems collects Problems from several goroutines.
type problems struct {
	mu   sync.Mutex
	byID map[string]*Problem
}

func newProblems() *problems { return &problems{byID: map[string]*Problem{}} }

func (ps *problems) addFinding(it item, f contract.Finding) {
	p := Problem{Kind: string(f.Kind), Operation: it.req.op, Status: f.Status, Rule: f.Rule,
		Pointer: f.Pointer, Message: f.Message, Inferred: f.Inferred}
	if p.Status == 0 {
		p.Status = int(it.r.Code)
	}
	ps.put(p, it)
}

func (ps *problems) add(it item, kind, rule, pointer, msg string, inferred bool) {
	op := opUnknown
	if it.req != nil {
		op = it.req.op
	}
	ps.put(Problem{Kind: kind, Operation: op, Status: int(it.r.Code), Rule: rule, Pointer: pointer,
		Message: msg, Inferred: inferred}, it)
}

func (ps *problems) put(p Problem, it item) {
	id := strings.Join([]string{p.Kind, string(p.Operation), fmt.Sprint(p.Status), p.Rule, p.Pointer, p.Message}, "\x00")
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if known, ok := ps.byID[id]; ok {
		known.Count++
		return
	}
	if len(ps.byID) >= maxProblems {
		id = "other"
		if other, ok := ps.byID[id]; ok {
			other.Count++
			return
		}
		p = Problem{Kind: "other", Message: "further distinct problems, not kept apart"}
	}
	p.Count = 1
	p.Example = fmt.Sprintf("%s %s (seq %d)", it.r.Method, it.path(), it.r.Seq)
	ps.byID[id] = &p
}

// list returns the problems, most frequent first.
func (ps *problems) list() []Problem {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := make([]Problem, 0, len(ps.byID))
	for _, p := range ps.byID {
		out = append(out, *p)
	}
	sortProblems(out)
	return out
}

func sortProblems(out []Problem) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].String() < out[j].String()
	})
}

// mergeProblems adds up the problems of several shards.
func mergeProblems(lists ...[]Problem) []Problem {
	byID := map[string]*Problem{}
	var order []string
	for _, list := range lists {
		for _, p := range list {
			id := strings.Join([]string{p.Kind, string(p.Operation), fmt.Sprint(p.Status), p.Rule, p.Pointer, p.Message}, "\x00")
			if known, ok := byID[id]; ok {
				known.Count += p.Count
				continue
			}
			cp := p
			byID[id] = &cp
			order = append(order, id)
		}
	}
	out := make([]Problem, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	sortProblems(out)
	return out
}
