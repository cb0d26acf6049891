package loadtest

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/rentix/mediaharness/internal/contract"
)

// problem is one kind of trouble seen in responses, how often, and where it
// was first seen. Its Finding says what and on which operation: a contract
// finding (Kind violation or drift) or one of the load test's own kinds
// (identity, status, transport).
type problem struct {
	contract.Finding
	Count uint64 `json:"count"`
	// Example is the first request that showed it: method, path and
	// Vegeta's sequence number, which finds it in the results file.
	Example string `json:"example"`
}

// The load test's own kinds of problem, beside contract.Violation and
// contract.Drift.
const (
	kindIdentity  contract.Kind = "identity"  // a body about another file
	kindStatus    contract.Kind = "status"    // an unexpected status
	kindTransport contract.Kind = "transport" // no answer
	kindOther     contract.Kind = "other"     // past maxProblems
)

// ruleIdentity is the rule an identity mismatch breaks: the body is about the
// file asked for.
const ruleIdentity contract.Rule = "identity"

func (p problem) String() string {
	where := string(p.Rule)
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

// key tells problems apart: the same finding on the same operation and
// status is one problem, counted.
func (p problem) key() string {
	return strings.Join([]string{string(p.Kind), p.Operation, fmt.Sprint(p.Status), string(p.Rule), p.Pointer, p.Message}, "\x00")
}

// maxProblems bounds how many distinct problems a run keeps; the rest are
// counted under one "other" entry.
const maxProblems = 100

// problems collects Problems from several goroutines.
type problems struct {
	mu   sync.Mutex
	byID map[string]*problem
}

func newProblems() *problems { return &problems{byID: map[string]*problem{}} }

// add counts f, seen on item it: the operation is the request's, and the
// status the response's unless f names one.
func (ps *problems) add(it item, f contract.Finding) {
	op := opUnknown
	if it.req != nil {
		op = it.req.op
	}
	f.Operation = string(op)
	if f.Status == 0 {
		f.Status = int(it.r.Code)
	}
	ps.put(problem{Finding: f}, it)
}

func (ps *problems) put(p problem, it item) {
	id := p.key()
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
		p = problem{Finding: contract.Finding{Kind: kindOther, Message: "further distinct problems, not kept apart"}}
	}
	p.Count = 1
	p.Example = fmt.Sprintf("%s %s (seq %d)", it.r.Method, it.path(), it.r.Seq)
	ps.byID[id] = &p
}

// list returns the problems, most frequent first.
func (ps *problems) list() []problem {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := make([]problem, 0, len(ps.byID))
	for _, p := range ps.byID {
		out = append(out, *p)
	}
	sortProblems(out)
	return out
}

func sortProblems(out []problem) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].String() < out[j].String()
	})
}

// mergeProblems adds up the problems of several shards.
func mergeProblems(lists ...[]problem) []problem {
	byID := map[string]*problem{}
	var order []string
	for _, list := range lists {
		for _, p := range list {
			id := p.key()
			if known, ok := byID[id]; ok {
				known.Count += p.Count
				continue
			}
			cp := p
			byID[id] = &cp
			order = append(order, id)
		}
	}
	out := make([]problem, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	sortProblems(out)
	return out
}
