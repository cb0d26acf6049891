package conform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/report"
)

// recorder collects the result of every scenario. It is a godog formatter
// (statuses and failure errors, exactly as junit.xml sees them) and a set of
// scenario hooks (timing, skip reasons, and skipping what has not started
// once the run is interrupted). It also prints the progress line.
type recorder struct {
	mu       sync.Mutex
	features map[string]string // uri → feature name
	scen     map[string]*scenarioRecord
	owner    map[string]*scenarioRecord // pickle step id → its scenario
	progress *progress
	stop     func() string // "" while the run may go on, else why it stopped
}

type scenarioRecord struct {
	pickle     *messages.Pickle
	started    bool
	start, end time.Time
	status     report.Status
	failStep   string
	err        error
	skipReason string
	// stopped: the run's context had ended when the scenario ended.
	stopped bool
}

func newRecorder(out io.Writer, stop func() string) *recorder {
	return &recorder{
		features: map[string]string{},
		scen:     map[string]*scenarioRecord{},
		owner:    map[string]*scenarioRecord{},
		progress: &progress{out: out},
		stop:     stop,
	}
}

// record returns the record of a pickle, making it on first sight.
// Callers hold r.mu.
func (r *recorder) record(p *messages.Pickle) *scenarioRecord {
	rec, ok := r.scen[p.Id]
	if !ok {
		rec = &scenarioRecord{pickle: p}
		r.scen[p.Id] = rec
	}
	return rec
}

// wrap adds the recorder's hooks around the steps' own scenario initializer.
func (r *recorder) wrap(init func(*godog.ScenarioContext)) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		sc.Before(r.beforeScenario)
		if err := initSafely(init, sc); err != nil {
			sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) { return ctx, err })
		}
		sc.After(r.afterScenario)
		sc.StepContext().After(r.afterStep)
	}
}

// initSafely turns a panic while registering steps (a bad step pattern)
// into an error that fails each scenario. Under concurrency godog calls the
// initializer in its own goroutine, where a panic would end the process
// before fixtures are cleaned up.
func initSafely(init func(*godog.ScenarioContext), sc *godog.ScenarioContext) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the step definitions could not be registered: %v", p)
		}
	}()
	init(sc)
	return nil
}

// beforeScenario skips every scenario that starts after the run was
// interrupted, so an interrupted run winds down at once and still cleans up.
func (r *recorder) beforeScenario(ctx context.Context, p *godog.Scenario) (context.Context, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec := r.record(p)
	for _, st := range p.Steps {
		r.owner[st.Id] = rec
	}
	if why := r.stop(); why != "" {
		rec.skipReason = "not run: " + why
		return ctx, godog.ErrSkip
	}
	rec.started, rec.start = true, time.Now()
	return ctx, nil
}

func (r *recorder) afterScenario(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec := r.record(p)
	rec.end, rec.stopped = time.Now(), ctx.Err() != nil
	return ctx, nil
}

// afterStep keeps the reason a step gave for skipping (godog's formatter
// events do not carry it).
func (r *recorder) afterStep(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
	if status != godog.StepSkipped || err == nil {
		return ctx, nil
	}
	reason := strings.TrimPrefix(err.Error(), "before scenario hook failed: ")
	reason = strings.TrimPrefix(reason, godog.ErrSkip.Error()+": ")
	r.mu.Lock()
	defer r.mu.Unlock()
	if rec := r.owner[st.Id]; rec != nil && rec.skipReason == "" {
		rec.skipReason = reason
	}
	return ctx, nil
}

// step records the outcome of one step; the worst outcome wins: failed,
// then skipped, then passed. A scenario whose later step skips did not
// check everything, so it is skipped, not passed.
func (r *recorder) step(p *messages.Pickle, st *messages.PickleStep, status report.Status, err error, mark byte) {
	r.mu.Lock()
	rec := r.record(p)
	switch {
	case status == report.Failed && rec.status != report.Failed:
		rec.status, rec.failStep, rec.err = report.Failed, st.Text, err
	case status == report.Skipped && rec.status != report.Failed:
		rec.status = report.Skipped
	case status == report.Passed && rec.status == "":
		rec.status = report.Passed
	}
	r.mu.Unlock()
	r.progress.mark(mark)
}

var _ godog.Formatter = (*recorder)(nil)

// godog formatter methods. Under concurrency godog replays each scenario's
// events when it ends, from several goroutines: every method locks.

func (r *recorder) TestRunStarted() {}

func (r *recorder) Feature(doc *messages.GherkinDocument, uri string, _ []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if doc != nil && doc.Feature != nil {
		r.features[uri] = doc.Feature.Name
	}
}

func (r *recorder) Pickle(p *messages.Pickle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec := r.record(p)
	if len(p.Steps) == 0 {
		rec.status, rec.err = report.Failed, errors.New("the scenario has no steps")
	}
}

func (r *recorder) Defined(*messages.Pickle, *messages.PickleStep, *godog.StepDefinition) {}

func (r *recorder) Passed(p *messages.Pickle, st *messages.PickleStep, _ *godog.StepDefinition) {
	r.step(p, st, report.Passed, nil, '.')
}

func (r *recorder) Skipped(p *messages.Pickle, st *messages.PickleStep, _ *godog.StepDefinition) {
	r.step(p, st, report.Skipped, nil, '-')
}

func (r *recorder) Failed(p *messages.Pickle, st *messages.PickleStep, _ *godog.StepDefinition, err error) {
	r.step(p, st, report.Failed, err, 'F')
}

func (r *recorder) Undefined(p *messages.Pickle, st *messages.PickleStep, _ *godog.StepDefinition) {
	r.step(p, st, report.Failed, errors.New("no step definition matches this step"), 'U')
}

func (r *recorder) Pending(p *messages.Pickle, st *messages.PickleStep, _ *godog.StepDefinition) {
	r.step(p, st, report.Failed, errors.New("the step definition is pending"), 'P')
}

func (r *recorder) Ambiguous(p *messages.Pickle, st *messages.PickleStep, _ *godog.StepDefinition, err error) {
	r.step(p, st, report.Failed, fmt.Errorf("ambiguous step definition: %w", err), 'A')
}

func (r *recorder) Summary() { r.progress.end() }

// progress prints one character a step, 70 to a line, like godog's
// progress formatter but without its failure dump: the console summary
// lists failures once, after cleanup. Outside a terminal it also prints a
// status line at an interval (see watch), on a line of its own.
type progress struct {
	mu  sync.Mutex
	out io.Writer
	n   int // marks in all
	col int // marks on the current line
}

const progressWidth = 70

func (p *progress) mark(c byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	p.col++
	fmt.Fprintf(p.out, "%c", c)
	if p.col == progressWidth {
		fmt.Fprintf(p.out, " %d\n", p.n)
		p.col = 0
	}
}

// status ends the line of marks, if one is open, and prints line.
func (p *progress) status(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.col != 0 {
		fmt.Fprintf(p.out, " %d\n", p.n)
		p.col = 0
	}
	fmt.Fprintf(p.out, "· %s\n", line)
}

func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.col != 0 {
		fmt.Fprintf(p.out, " %d\n", p.n)
		p.col = 0
	}
}

// done counts the scenarios that have ended and those that failed.
func (r *recorder) done() (ended, failed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rec := range r.scen {
		if !rec.end.IsZero() || (!rec.started && rec.status != "") {
			ended++
		}
		if rec.status == report.Failed {
			failed++
		}
	}
	return ended, failed
}

// watch prints a status line every interval until stop is closed: a CI log
// shows lines only, and a long wait (a rate-limit window, an optimization)
// prints no marks.
func (r *recorder) watch(every time.Duration, status func() string, stop <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.progress.status(status())
		case <-stop:
			return
		}
	}
}

// scenarios turns the records into report scenarios grouped by feature, in
// file order, with IDs that stay stable across runs. redact is applied to
// every failure text; base is the target's base URL, for reproductions.
func (r *recorder) scenarios(redact func(string) string, base string) []report.Feature {
	r.mu.Lock()
	defer r.mu.Unlock()
	byURI := map[string][]*scenarioRecord{}
	for _, rec := range r.scen {
		byURI[rec.pickle.Uri] = append(byURI[rec.pickle.Uri], rec)
	}
	var out []report.Feature
	for _, uri := range sortedKeys(byURI) {
		recs := byURI[uri]
		slices.SortFunc(recs, func(a, b *scenarioRecord) int { return line(a.pickle) - line(b.pickle) })
		f := report.Feature{Name: r.features[uri], URI: uri}
		ids := newIDs(uri)
		for _, rec := range recs {
			sc := rec.toReport(redact, base)
			sc.ID = ids.next(sc.Name)
			f.Scenarios = append(f.Scenarios, sc)
		}
		out = append(out, f)
	}
	return out
}

func (rec *scenarioRecord) toReport(redact func(string) string, base string) report.Scenario {
	p := rec.pickle
	sc := report.Scenario{Name: p.Name, URI: p.Uri, Line: line(p), Status: rec.status}
	for _, t := range p.Tags {
		sc.Tags = append(sc.Tags, t.Name)
	}
	if rec.started && !rec.end.IsZero() {
		sc.Duration = report.Duration(rec.end.Sub(rec.start))
	}
	switch {
	case rec.status == report.Failed && rec.cutShort():
		sc.Status = report.Skipped
		sc.Skip = &report.Skip{Reason: "interrupted: " + redact(oneLine(rec.err.Error()))}
	case rec.status == report.Failed:
		sc.Failure = report.NewFailure(rec.failStep, redact(errText(rec.err)), base)
		sc.Inferred = inferredFailure(sc.Tags, rec.err)
	case rec.status == report.Skipped || rec.status == "":
		sc.Status = report.Skipped
		if rec.skipReason != "" {
			sc.Skip = &report.Skip{Reason: redact(rec.skipReason)}
		}
	}
	return sc
}

// cutShort: the scenario failed only because the run was interrupted under
// it (the run had stopped and its error is the cancellation), so it did not
// really fail. A request timeout in a scenario that ended before is a failure.
func (rec *scenarioRecord) cutShort() bool {
	return rec.stopped && (errors.Is(rec.err, context.Canceled) || errors.Is(rec.err, context.DeadlineExceeded))
}

// inferredFailure: the failure breaks a reading of ours, not the docs. A
// contract error is judged by its violations alone, even in an @inferred
// scenario: a documented rule broken on the way (a missing rate-limit header)
// stays documented. Any other failure of an @inferred scenario is inferred.
func inferredFailure(tags []string, err error) bool {
	var ce *client.ContractError
	if errors.As(err, &ce) {
		return ce.Inferred()
	}
	return slices.Contains(tags, "@inferred")
}

func errText(err error) string {
	if err == nil {
		return "failed"
	}
	return err.Error()
}

func line(p *messages.Pickle) int {
	if p.Location == nil {
		return 0
	}
	return int(p.Location.Line)
}

// ids names scenarios "<uri> » <name>", numbering repeated names (outline
// rows without placeholders in the name) in file order.
type ids struct {
	uri  string
	seen map[string]int
}

func newIDs(uri string) *ids { return &ids{uri: uri, seen: map[string]int{}} }

func (s *ids) next(name string) string {
	s.seen[name]++
	id := s.uri + " » " + name
	if n := s.seen[name]; n > 1 {
		id += fmt.Sprintf(" #%d", n)
	}
	return id
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
