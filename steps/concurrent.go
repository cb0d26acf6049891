package steps

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/client"
)

// The steps that send requests at the same moment: an answer must be about
// what its own request asked, whatever else the API is answering.

func registerConcurrentSteps(sc *godog.ScenarioContext) {
	sc.When(`^I get "([^"]+)" and "([^"]+)" by id at the same time, (\d+) times over$`, on3((*state).iGetBothAtOnce))
	sc.Then(`^every answer describes the file it asked for$`, on0((*state).everyAnswerDescribesItsFile))
}

// together sends the requests at the same moment through the unpaced client
// (a pacing client would space them out) and waits for every answer.
func (s *state) together(ctx context.Context, reqs []client.Request) ([]*client.Response, []error) {
	resps, errs := make([]*client.Response, len(reqs)), make([]error, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			<-start
			resps[i], errs[i] = s.env.rateLimitClient().Do(ctx, r)
		})
	}
	close(start)
	wg.Wait()
	return resps, errs
}

// pairedRead is one answer of a series of simultaneous reads.
type pairedRead struct {
	f    *file
	resp *client.Response
}

func (s *state) iGetBothAtOnce(ctx context.Context, a, b string, n int) error {
	files := make([]*file, 2)
	for i, name := range []string{a, b} {
		f, err := s.fileNamed(name)
		if err != nil {
			return err
		}
		files[i] = f
	}
	reqs := make([]client.Request, len(files))
	for i, f := range files {
		reqs[i] = client.Request{Method: http.MethodGet, Path: f.path(), Key: s.key(f.agency)}
	}
	s.reads = nil
	for range n {
		resps, errs := s.together(ctx, reqs)
		for i, resp := range resps {
			if resp != nil {
				s.last = resp
				s.reads = append(s.reads, pairedRead{files[i], resp})
			}
			if errs[i] != nil {
				return fmt.Errorf("reading %q: %w", files[i].name, errs[i])
			}
		}
	}
	return nil
}

func (s *state) everyAnswerDescribesItsFile(context.Context) error {
	if len(s.reads) == 0 {
		return fmt.Errorf("no simultaneous reads yet: the When step that reads files at the same time must come first")
	}
	for i, r := range s.reads {
		got, err := s.decodeMedia(r.resp)
		if err != nil {
			return fmt.Errorf("answer %d of %d: %w", i+1, len(s.reads), err)
		}
		if d := r.f.compare(got); d != "" {
			return s.mismatch(r.resp, fmt.Sprintf("answer %d of %d describes %q, the file it asked for", i+1, len(s.reads), r.f.name), d)
		}
	}
	return nil
}
