package loadtest

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync/atomic"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// scenario makes the requests of one attack. Its targeter runs on Vegeta's
// workers and counts towards latency, so it only copies prepared targets.
type scenario interface {
	targeter() vegeta.Targeter
	// remaining is how many more requests it can make (math.MaxUint64: no limit).
	remaining() uint64
	// deleted lists the pool files it deleted.
	deleted() []fixture
	// stop releases a targeter waiting for a file.
	stop()
}

// owner is told about each result of a request it made, in the order the
// results arrive, on the collector's goroutine.
type owner interface {
	done(r *vegeta.Result, req *request)
}

// endpoint is where requests go and what every request carries.
type endpoint struct {
	base   string      // API root, no trailing slash
	header http.Header // authentication
	json   http.Header // authentication and Content-Type: application/json
}

func newEndpoint(base string, header http.Header) endpoint {
	js := header.Clone()
	if js == nil {
		js = http.Header{}
	}
	js.Set("Content-Type", "application/json")
	return endpoint{base: base, header: header.Clone(), json: js}
}

// registry finds the request behind each result.
type registry map[key]*request

func (reg registry) add(t vegeta.Target, req *request) {
	reg[key{t.Method, t.URL}] = req
}

func (reg registry) lookup(r *vegeta.Result) *request { return reg[key{r.Method, r.URL}] }

// scenarioDef says which pools a scenario needs and how to build it on them.
type scenarioDef struct {
	needs func(p plan) []poolNeed
	build func(e endpoint, pools []*pool, reg registry) scenario
}

// Scenario names.
const (
	scenarioGet         = "get"
	scenarioGetExternal = "get-external"
	scenarioLink        = "link"
	scenarioDelete      = "delete"
	scenarioMixed       = "mixed"
)

var scenarios = map[string]scenarioDef{
	scenarioGet: {
		needs: func(p plan) []poolNeed { return []poolNeed{p.readNeed("get", p.hits)} },
		build: func(e endpoint, ps []*pool, reg registry) scenario { return newGet(e, ps[0], reg) },
	},
	scenarioGetExternal: {
		needs: func(p plan) []poolNeed { return []poolNeed{p.readNeed("get-external", p.hits)} },
		build: func(e endpoint, ps []*pool, reg registry) scenario { return newGetExternal(e, ps[0], reg) },
	},
	scenarioLink: {
		needs: func(p plan) []poolNeed { return []poolNeed{p.linkNeed("link", p.hits)} },
		build: func(e endpoint, ps []*pool, reg registry) scenario { return newLink(e, ps[0], reg) },
	},
	scenarioDelete: {
		needs: func(p plan) []poolNeed { return []poolNeed{p.deleteNeed("delete", p.hits)} },
		build: func(e endpoint, ps []*pool, reg registry) scenario { return newDelete(e, ps[0], reg) },
	},
	scenarioMixed: {needs: mixedNeeds, build: newMixed},
}

// Scenarios lists the scenario names in a stable order.
func Scenarios() []string {
	names := make([]string, 0, len(scenarios))
	for n := range scenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func mediaURL(base string, id int64) string {
	return base + "/media/" + strconv.FormatInt(id, 10)
}

func externalURL(base, ext string) string {
	return base + "/media/external/" + url.PathEscape(ext)
}

// relative is the path of u under the API root, for the contract check.
func relative(base, u string) string {
	if len(u) >= len(base) && u[:len(base)] == base {
		return u[len(base):]
	}
	return u
}

// cycle hands out a fixed list of targets round and round: reads.
type cycle struct {
	targets []vegeta.Target
	next    uint64Counter
}

func (c *cycle) targeter() vegeta.Targeter {
	return func(t *vegeta.Target) error {
		*t = c.targets[c.next.inc()%uint64(len(c.targets))]
		return nil
	}
}

func (c *cycle) remaining() uint64  { return math.MaxUint64 }
func (c *cycle) deleted() []fixture { return nil }
func (c *cycle) stop()              {}

func newGet(e endpoint, p *pool, reg registry) *cycle {
	c := &cycle{}
	for i, f := range p.files {
		t := vegeta.Target{Method: http.MethodGet, URL: mediaURL(e.base, f.ID), Header: e.header}
		reg.add(t, &request{op: opGet, id: f.ID, externalID: f.ExternalID,
			path: relative(e.base, t.URL), header: e.header, fixture: i})
		c.targets = append(c.targets, t)
	}
	return c
}

func newGetExternal(e endpoint, p *pool, reg registry) *cycle {
	c := &cycle{}
	for i, f := range p.files {
		t := vegeta.Target{Method: http.MethodGet, URL: externalURL(e.base, f.ExternalID), Header: e.header}
		reg.add(t, &request{op: opGetExternal, id: f.ID, externalID: f.ExternalID,
			path: relative(e.base, t.URL), header: e.header, fixture: i})
		c.targets = append(c.targets, t)
	}
	return c
}

// uint64Counter hands out 0, 1, 2, ... to concurrent callers.
type uint64Counter struct{ n atomic.Uint64 }

func (c *uint64Counter) inc() uint64  { return c.n.Add(1) - 1 }
func (c *uint64Counter) load() uint64 { return c.n.Load() }

// errNoTargets ends an attack whose pool is used up; the pacer's limit
// normally stops it first.
var errNoTargets = vegeta.ErrNoTargets

// errStopped: the attack stopped while a targeter waited for a file.
var errStopped = errors.New("attack stopped")
