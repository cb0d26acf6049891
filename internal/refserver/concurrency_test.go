package refserver

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
)

// race runs the calls at once, released together by a barrier, and returns
// their replies in order.
func race(e *testEnv, calls ...call) ([]reply, error) {
	start := make(chan struct{})
	replies := make([]reply, len(calls))
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Go(func() {
			<-start
			replies[i], errs[i] = e.send(c, "")
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return replies, nil
}

// statuses of replies, sorted small first.
func statuses(rs []reply) (int, int) {
	a, b := rs[0].status, rs[1].status
	return min(a, b), max(a, b)
}

// Of two links of one external ID to two files, exactly one wins, every round.
func TestConcurrency_CompetingLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	a := e.upload(key, deadSource, "").MediaID
	b := e.upload(key, deadSource, "").MediaID
	for round := range 100 {
		ext := fmt.Sprintf("race-%d", round)
		body := map[string]string{"externalId": ext}
		rs, err := race(e,
			call{method: http.MethodPost, path: "/media/" + itoa(a) + "/link", key: key, json: body},
			call{method: http.MethodPost, path: "/media/" + itoa(b) + "/link", key: key, json: body})
		if err != nil {
			t.Fatal(err)
		}
		if lo, hi := statuses(rs); lo != http.StatusOK || hi != http.StatusConflict {
			t.Fatalf("round %d: statuses %d and %d, want one 200 and one 409", round, lo, hi)
		}
		winner, loser := a, rs[1]
		if rs[1].status == http.StatusOK {
			winner, loser = b, rs[0]
		}
		loser.wantError(t, http.StatusConflict, msgExternalTaken)
		if m := e.get(key, extPath(ext)).media(t); m.ID != winner {
			t.Fatalf("round %d: %s resolves to %d, want the winner %d", round, ext, m.ID, winner)
		}
		e.del(key, "/media/"+itoa(winner)+"/link").wantStatus(t, http.StatusOK)
	}
}

// Of two uploads with one external ID, exactly one creates a file; of two
// deletes of one file, exactly one succeeds.
func TestConcurrency_CompetingUploadsAndDeletes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	for round := range 50 {
		body := map[string]string{"url": deadSource, "externalId": fmt.Sprintf("up-%d", round)}
		up := call{method: http.MethodPost, path: "/media/upload-from-url", key: key, json: body}
		rs, err := race(e, up, up)
		if err != nil {
			t.Fatal(err)
		}
		if lo, hi := statuses(rs); lo != http.StatusCreated || hi != http.StatusConflict {
			t.Fatalf("round %d: uploads answered %d and %d", round, lo, hi)
		}
		del := call{method: http.MethodDelete, path: extPath(body["externalId"]), key: key}
		if rs, err = race(e, del, del); err != nil {
			t.Fatal(err)
		}
		if lo, hi := statuses(rs); lo != http.StatusOK || hi != http.StatusNotFound {
			t.Fatalf("round %d: deletes answered %d and %d", round, lo, hi)
		}
	}
	if n := e.srv.MediaCount(key); n != 0 {
		t.Errorf("MediaCount %d after deleting everything", n)
	}
}

// Many clients link, unlink, delete and read the same few files and IDs;
// every answer is a documented one and the store stays consistent.
func TestConcurrency_Hammer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	var ids []int64
	for range 6 {
		ids = append(ids, e.upload(key, deadSource, "").MediaID)
	}
	exts := []string{"h-1", "h-2", "h-3"}
	expected := map[string]bool{ // status and message
		"200": true, "404 File not found": true, "409 External ID already linked": true,
		"409 File already has external ID": true, "400 File has no external ID": true,
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(w), 1))
			for range 60 {
				c := randomOp(rnd, key, ids, exts)
				r, err := e.send(c, "")
				if err == nil && !expected[outcomeOf(r)] {
					err = fmt.Errorf("%s %s: unexpected %d %s", c.method, c.path, r.status, r.body)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkStore(t, e.srv.agencies[key])
}

func randomOp(rnd *rand.Rand, key string, ids []int64, exts []string) call {
	id, ext := itoa(ids[rnd.IntN(len(ids))]), exts[rnd.IntN(len(exts))]
	ops := []call{
		{method: http.MethodPost, path: "/media/" + id + "/link", json: map[string]string{"externalId": ext}},
		{method: http.MethodDelete, path: "/media/" + id + "/link"},
		{method: http.MethodGet, path: "/media/" + id},
		{method: http.MethodGet, path: extPath(ext)},
		{method: http.MethodDelete, path: extPath(ext)},
		{method: http.MethodDelete, path: "/media/" + id},
	}
	// Deletes are rare so that links and unlinks have files to fight over.
	c := ops[rnd.IntN(len(ops)-1)]
	if rnd.IntN(20) == 0 {
		c = ops[len(ops)-1]
	}
	c.key = key
	return c
}

func outcomeOf(r reply) string {
	if r.status == http.StatusOK {
		return "200"
	}
	var body struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(r.body, &body)
	return fmt.Sprintf("%d %s", r.status, body.Message)
}

// checkStore: the external-ID index and the files agree both ways.
func checkStore(t *testing.T, a *agency) {
	t.Helper()
	a.mu.RLock()
	defer a.mu.RUnlock()
	for ext, m := range a.byExternal {
		if a.media[m.id] != m || !m.hasExternal || m.externalID != ext || m.deleted {
			t.Errorf("index %q points to file %d with %q (deleted %v)", ext, m.id, m.externalID, m.deleted)
		}
	}
	for id, m := range a.media {
		if m.hasExternal && a.byExternal[m.externalID] != m {
			t.Errorf("file %d has %q but the index disagrees", id, m.externalID)
		}
	}
}
