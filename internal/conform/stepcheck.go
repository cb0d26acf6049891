package conform

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/rentix/mediaharness/steps"
)

// checkFormatName is the godog formatter of the step check.
const checkFormatName = "mediaharness-stepcheck"

// stepChecks maps a check's suite name to its collector (godog builds
// formatters from the suite name only, like recorders).
var stepChecks sync.Map

func init() {
	godog.Format(checkFormatName, "lists the steps no definition matches, for mediaharness", func(suiteName string, _ io.Writer) godog.Formatter {
		if c, ok := stepChecks.Load(suiteName); ok {
			return c.(*stepCheck)
		}
		return &stepCheck{}
	})
}

var checkSeq struct {
	sync.Mutex
	n int
}

// undefinedSteps lists the selected steps that no step definition matches,
// as "file:line: text", without running any step or touching the target.
//
// godog has no dry run, so every scenario is started with a Before hook
// that skips it: godog still matches each step against the definitions and
// tells its formatter (Defined) before it looks at the hook's error. A
// suite whose definitions could not all be registered is not judged here:
// the run reports that on every scenario.
func (su suite) undefinedSteps(tags string) ([]string, error) {
	checkSeq.Lock()
	checkSeq.n++
	name := fmt.Sprintf("mediaharness step check %d", checkSeq.n)
	checkSeq.Unlock()
	c := &stepCheck{lines: map[string]int64{}}
	stepChecks.Store(name, c)
	defer stepChecks.Delete(name)
	init := func(sc *godog.ScenarioContext) {
		sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
			return ctx, godog.ErrSkip
		})
		if err := initSafely(su.steps(&steps.Resources{}), sc); err != nil {
			c.setBroken()
		}
	}
	opts := &godog.Options{Format: checkFormatName, Output: io.Discard, NoColors: true, FS: su.fs, Paths: su.paths,
		Tags: tags, Concurrency: 1}
	if status := (godog.TestSuite{Name: name, ScenarioInitializer: init, Options: opts}).Run(); status > 1 {
		return nil, fmt.Errorf("feature files: godog could not check the steps (status %d)", status)
	}
	return c.result(), nil
}

// stepCheck is a godog formatter that remembers each step without a
// definition. Only Feature and Defined matter.
type stepCheck struct {
	mu        sync.Mutex
	lines     map[string]int64 // AST node id of a step → its line
	undefined []string
	seen      map[string]bool
	broken    bool
}

func (c *stepCheck) setBroken() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.broken = true
}

func (c *stepCheck) result() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.broken {
		return nil
	}
	return c.undefined
}

func (c *stepCheck) Feature(doc *messages.GherkinDocument, _ string, _ []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if doc != nil && doc.Feature != nil {
		collectStepLines(doc.Feature.Children, c.lines)
	}
}

func (c *stepCheck) Defined(p *messages.Pickle, st *messages.PickleStep, def *godog.StepDefinition) {
	if def != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	where := p.Uri
	if len(st.AstNodeIds) > 0 && c.lines[st.AstNodeIds[0]] > 0 {
		where = fmt.Sprintf("%s:%d", p.Uri, c.lines[st.AstNodeIds[0]])
	}
	entry := fmt.Sprintf("%s %q", where, st.Text)
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if !c.seen[entry] { // outline rows repeat a step
		c.seen[entry] = true
		c.undefined = append(c.undefined, entry)
	}
}

// collectStepLines maps every step of a feature (backgrounds, scenarios,
// rules) to its line.
func collectStepLines(children []*messages.FeatureChild, lines map[string]int64) {
	add := func(sts []*messages.Step) {
		for _, s := range sts {
			if s.Location != nil {
				lines[s.Id] = s.Location.Line
			}
		}
	}
	for _, ch := range children {
		switch {
		case ch.Background != nil:
			add(ch.Background.Steps)
		case ch.Scenario != nil:
			add(ch.Scenario.Steps)
		case ch.Rule != nil:
			for _, rc := range ch.Rule.Children {
				if rc.Background != nil {
					add(rc.Background.Steps)
				}
				if rc.Scenario != nil {
					add(rc.Scenario.Steps)
				}
			}
		}
	}
}

func (c *stepCheck) TestRunStarted()                                                             {}
func (c *stepCheck) Pickle(*messages.Pickle)                                                     {}
func (c *stepCheck) Failed(*messages.Pickle, *messages.PickleStep, *godog.StepDefinition, error) {}
func (c *stepCheck) Passed(*messages.Pickle, *messages.PickleStep, *godog.StepDefinition)        {}
func (c *stepCheck) Skipped(*messages.Pickle, *messages.PickleStep, *godog.StepDefinition)       {}
func (c *stepCheck) Undefined(*messages.Pickle, *messages.PickleStep, *godog.StepDefinition)     {}
func (c *stepCheck) Pending(*messages.Pickle, *messages.PickleStep, *godog.StepDefinition)       {}
func (c *stepCheck) Ambiguous(*messages.Pickle, *messages.PickleStep, *godog.StepDefinition, error) {
}
func (c *stepCheck) Summary() {}

// undefinedError is the configuration error for steps without definitions.
func undefinedError(list []string) error {
	const shown = 3
	n, more := len(list), ""
	if n > shown {
		more = fmt.Sprintf(" and %d more", n-shown)
		list = list[:shown]
	}
	what := "undefined step"
	if n > 1 {
		what = fmt.Sprintf("%d undefined steps", n)
	}
	return fmt.Errorf("feature files: %s (no step definition of the harness matches): %s%s", what, strings.Join(list, ", "), more)
}
