package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tsenart/vegeta/v12/lib/plot"

	"github.com/rentix/mediaharness/internal/config"
	"github.com/rentix/mediaharness/internal/redact"
)

// cleanupTimeout bounds fixture cleanup, which runs even after the run's
// context has ended (Ctrl-C).
const cleanupTimeout = 2 * time.Minute

// session is one prepared target with its HTTP client and fixtures. Run
// uses it for one attack (and its warm-up), Capacity for every step.
type session struct {
	o      Options
	target *preparedTarget
	conns  *conns
	hc     *http.Client
	prom   *promMetrics
	fx     fixtureSummary
	dir    string     // the report directory, once opened
	plot   *plot.Plot // the latency plot, with a report directory
	red    *redact.Redactor
}

// fixtureSummary says what a run did with fixtures.
type fixtureSummary struct {
	Pools             map[string]int `json:"pools"`
	Created           int            `json:"created"`
	DeletedByScenario int            `json:"deletedByScenario"`
	CleanedUp         int            `json:"cleanedUp"`
	CleanupError      string         `json:"cleanupError,omitempty"`
}

// openSession prepares the target; o has its defaults.
func openSession(ctx context.Context, o Options) (*session, error) {
	env := o.prepared
	if env == nil {
		var err error
		if env, err = prepareTarget(ctx, o); err != nil {
			return nil, err
		}
	}
	if env.fixtures == nil {
		closeTarget(env)
		return nil, usagef("the target has no fixture maker")
	}
	s := &session{o: o, target: env, conns: &conns{}, fx: fixtureSummary{Pools: map[string]int{}}, red: redact.New(targetSecrets(env)...)}
	s.hc = newHTTPClient(o.Workers, o.timeout, s.conns)
	if o.PrometheusAddr != "" {
		pm, err := startProm(o.PrometheusAddr, o.Scenario)
		if err != nil {
			closeTarget(env)
			return nil, err
		}
		s.prom = pm
	}
	return s, nil
}

// safeURL is a URL fit for reports: any user:password part is dropped.
func safeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// targetSecrets are the secrets of env: those it names, and the key in the
// header every request carries.
func targetSecrets(env *preparedTarget) []string {
	s := append([]string(nil), env.secrets...)
	for _, v := range env.header.Values("Authorization") {
		if _, key, ok := strings.Cut(v, " "); ok && len(key) >= config.MinKeyLength {
			s = append(s, key)
		}
	}
	return s
}

func closeTarget(env *preparedTarget) {
	if env != nil && env.close != nil {
		env.close()
	}
}

// scenario creates the pools the named scenario needs for hits requests
// (more later when growing) and builds it on them. Pool notes say when a
// pool was capped.
func (s *session) scenario(ctx context.Context, name string, hits uint64, growing bool) (scenario, registry, []string, error) {
	def := scenarios[name]
	needs := def.needs(plan{hits: hits, workers: s.o.Workers, readPool: s.o.PoolSize, maxPool: s.o.MaxPool, growing: growing})
	var notes []string
	for _, n := range needs {
		if note := n.note(); note != "" {
			notes = append(notes, note)
		}
	}
	total := 0
	for _, n := range needs {
		total += n.n
	}
	began := time.Now()
	s.phase("fixtures: uploading %d file(s) for %s and waiting until each is optimized", total, name)
	pools, err := createPools(ctx, s.target.fixtures, needs)
	if err == nil {
		s.phase("fixtures: %d ready in %s", total, time.Since(began).Round(100*time.Millisecond))
	}
	for _, p := range pools {
		s.fx.Pools[p.name] += len(p.files)
		s.fx.Created += len(p.files)
	}
	if err != nil {
		return nil, nil, notes, err
	}
	reg := registry{}
	scn := def.build(newEndpoint(s.target.baseURL, s.target.header), pools, reg)
	return scn, reg, notes, nil
}

// retire tells the fixture maker which files a scenario deleted itself.
func (s *session) retire(scn scenario) {
	for _, f := range scn.deleted() {
		s.target.fixtures.Deleted(f)
		s.fx.DeletedByScenario++
	}
}

// close cleans up the fixtures, also after ctx ended, and releases the rest.
func (s *session) close(ctx context.Context) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	began := time.Now()
	s.phase("cleanup: deleting the fixtures left")
	n, err := s.target.fixtures.Cleanup(cctx)
	s.phase("cleanup: %d deleted in %s", n, time.Since(began).Round(100*time.Millisecond))
	s.fx.CleanedUp += n
	if err != nil {
		s.fx.CleanupError = fmt.Sprintf("cleanup: %v (the ledger lists what is left; run mediaharness sweep)", err)
	}
	s.hc.CloseIdleConnections()
	s.prom.close()
	closeTarget(s.target)
}
