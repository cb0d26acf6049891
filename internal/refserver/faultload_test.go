package refserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadTested are the faults the tests below show.
var loadTested = []string{faultLoadSlow, faultLoad5xx, faultLoadLinkRace, faultLoadMixedResponses}

// The delay is a floor the server's timer guarantees, so this cannot flake
// the way an upper bound would.
func TestFault_LoadSlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{Faults: []string{faultLoadSlow}})
	id := e.upload(e.keys.Primary, deadSource, "").MediaID
	start := time.Now()
	e.get(e.keys.Primary, mediaPath(id)).wantStatus(t, http.StatusOK)
	if took := time.Since(start); took < slowDelay {
		t.Errorf("GET took %s, want at least %s", took, slowDelay)
	}
}

func TestFault_Load5xx(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		faults []string
		want   int
	}{{nil, 0}, {[]string{faultLoad5xx}, 6}} {
		e := newEnv(t, Config{Faults: tt.faults})
		key := e.keys.Primary
		id := e.upload(key, deadSource, "").MediaID
		shed := 0
		for i := range 300 {
			c := call{method: http.MethodGet, path: mediaPath(id), key: key}
			if i%3 == 1 {
				c = call{method: http.MethodPost, path: mediaPath(999999) + "/link", key: key, json: map[string]string{"externalId": "x"}}
			}
			if r := e.do(c); r.status == http.StatusServiceUnavailable {
				r.wantError(t, http.StatusServiceUnavailable, "Service Unavailable")
				shed++
			}
		}
		if shed != tt.want {
			t.Errorf("faults %v: %d of 300 requests answered 503, want %d", tt.faults, shed, tt.want)
		}
	}
}

// Two links of one external ID to two files, released together: on a clean
// server exactly one wins every round; with the race both win in some.
func TestFault_LoadLinkRace(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		faults []string
		race   bool
	}{{nil, false}, {[]string{faultLoadLinkRace}, true}} {
		e := newEnv(t, Config{Faults: tt.faults})
		key := e.keys.Primary
		a, b := e.upload(key, deadSource, "").MediaID, e.upload(key, deadSource, "").MediaID
		bothWon := 0
		for round := range 50 {
			body := map[string]string{"externalId": fmt.Sprintf("race-%d", round)}
			rs, err := race(e,
				call{method: http.MethodPost, path: mediaPath(a) + "/link", key: key, json: body},
				call{method: http.MethodPost, path: mediaPath(b) + "/link", key: key, json: body})
			if err != nil {
				t.Fatal(err)
			}
			lo, hi := statuses(rs)
			switch {
			case lo == http.StatusOK && hi == http.StatusOK:
				bothWon++
			case lo != http.StatusOK || hi != http.StatusConflict:
				t.Fatalf("round %d: statuses %d and %d", round, lo, hi)
			}
			for _, id := range []int64{a, b} {
				e.del(key, mediaPath(id)+"/link") // 400 for the loser
			}
		}
		if got := bothWon > 0; got != tt.race {
			t.Errorf("faults %v: both links won in %d of 50 rounds", tt.faults, bothWon)
		}
		t.Logf("faults %v: both links won in %d of 50 rounds", tt.faults, bothWon)
	}
}

// One at a time, the racy link still refuses a taken ID.
func TestFault_LoadLinkRaceSequential(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{Faults: []string{faultLoadLinkRace}})
	key := e.keys.Primary
	a, b := e.upload(key, deadSource, "").MediaID, e.upload(key, deadSource, "").MediaID
	e.link(key, a, "seq").wantStatus(t, http.StatusOK)
	e.link(key, b, "seq").wantError(t, http.StatusConflict, msgExternalTaken)
	e.link(key, a, "other").wantError(t, http.StatusConflict, msgHasExternal)
}

// Readers of different files at once: on a clean server each gets its own
// file; with the shared buffer some get another's. One at a time, the
// shared buffer is harmless.
func TestFault_LoadMixedResponses(t *testing.T) {
	t.Parallel()
	clean := newEnv(t, Config{})
	if n := mixUps(t, clean, 16, 40); n != 0 {
		t.Errorf("clean server: %d answers about another file", n)
	}
	faulty := newEnv(t, Config{Faults: []string{faultLoadMixedResponses}})
	ids := files(faulty, 4)
	for range 5 {
		for _, id := range ids {
			if m := faulty.media(faulty.keys.Primary, id); m.ID != id {
				t.Fatalf("sequential GET of %d answered file %d", id, m.ID)
			}
		}
	}
	if n := mixUps(t, faulty, 16, 200); n == 0 {
		t.Error("with the shared buffer no concurrent reader got another file")
	}
}

func files(e *testEnv, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = e.upload(e.keys.Primary, deadSource, "").MediaID
	}
	return ids
}

// mixUps has readers GET their own file up to rounds times each, stopping
// at the first answer about another file, and counts those answers.
func mixUps(t *testing.T, e *testEnv, readers, rounds int) int {
	t.Helper()
	ids := files(e, readers)
	var wrong atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	for _, id := range ids {
		wg.Go(func() {
			for range rounds {
				if wrong.Load() > 0 {
					return
				}
				r, err := e.send(call{method: http.MethodGet, path: mediaPath(id), key: e.keys.Primary}, "")
				var m struct {
					ID int64 `json:"id"`
				}
				if err == nil && r.status == http.StatusOK {
					err = json.Unmarshal(r.body, &m)
				}
				if err != nil || r.status != http.StatusOK {
					errs <- fmt.Errorf("GET %d: %d %v", id, r.status, err)
					return
				}
				if m.ID != id {
					wrong.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	return int(wrong.Load())
}
