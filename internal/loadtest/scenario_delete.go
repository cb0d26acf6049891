package loadtest

import (
	"net/http"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// deleteScenario deletes each file of its pool exactly once, in order. The
// pacer's limit stops the attack before the pool runs out.
type deleteScenario struct {
	targets []vegeta.Target
	files   []fixture
	next    uint64Counter
	gone    []fixture // deleted; appended by done on the collector's goroutine
}

func newDelete(e endpoint, p *pool, reg registry) *deleteScenario {
	s := &deleteScenario{}
	s.add(e, p.files, reg)
	return s
}

func (s *deleteScenario) targeter() vegeta.Targeter {
	return func(t *vegeta.Target) error {
		n := s.next.inc()
		if n >= uint64(len(s.targets)) {
			return errNoTargets
		}
		*t = s.targets[n]
		return nil
	}
}

// done notes the files the target confirmed deleted; the rest are left to
// cleanup, which treats 404 as gone.
func (s *deleteScenario) done(r *vegeta.Result, req *request) {
	if r.Code == http.StatusOK {
		s.gone = append(s.gone, s.files[req.fixture])
	}
}

func (s *deleteScenario) remaining() uint64 {
	used := s.next.load()
	if used >= uint64(len(s.targets)) {
		return 0
	}
	return uint64(len(s.targets)) - used
}

func (s *deleteScenario) deleted() []fixture { return s.gone }
func (s *deleteScenario) stop()              {}

// add gives the scenario more files to delete (capacity steps of the mixed
// scenario need a fresh supply each). Call it between attacks only: the
// collector reads the registry while one runs.
func (s *deleteScenario) add(e endpoint, files []fixture, reg registry) {
	for _, f := range files {
		i := len(s.files)
		s.files = append(s.files, f)
		t := vegeta.Target{Method: http.MethodDelete, URL: mediaURL(e.base, f.ID), Header: e.header}
		reg.add(t, &request{op: opDelete, id: f.ID, externalID: f.ExternalID,
			path: relative(e.base, t.URL), header: e.header, fixture: i, owner: s})
		s.targets = append(s.targets, t)
	}
}
