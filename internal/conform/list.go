package conform

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cucumber/godog"

	"github.com/rentix/mediaharness/internal/usage"
)

// Scenario is one scenario a run would execute: its feature file, its
// name and its tags (the feature's included).
type Scenario struct {
	File string
	Name string
	Tags []string
}

// List is the scenarios o.Tags and o.FeaturesDir select, in the order of
// their files, checked the way a run checks them (the tag expression, the
// directory, the feature files, every step defined) but without starting
// a server or touching a target. A problem is a usage error.
func List(o Options) ([]Scenario, error) {
	if err := errors.Join(checkTags(o.Tags), checkFeaturesDir(o.FeaturesDir)); err != nil {
		return nil, usage.Wrap(err)
	}
	r := &runner{o: o.withDefaults(), su: suiteFor(o.FeaturesDir)}
	if err := r.checkSuite(); err != nil {
		return nil, usage.Wrap(err)
	}
	return r.su.scenarios(r.o.Tags)
}

// scenarios lists the selected scenarios without running them.
func (su suite) scenarios(tags string) ([]Scenario, error) {
	feats, err := godog.TestSuite{Options: &godog.Options{FS: su.fs, Paths: su.paths, Tags: tags}}.RetrieveFeatures()
	if err != nil {
		return nil, usage.Wrap(fmt.Errorf("feature files: %s", oneLine(err.Error())))
	}
	var out []Scenario
	for _, f := range feats {
		for _, p := range f.Pickles {
			s := Scenario{File: strings.TrimPrefix(p.Uri, "./"), Name: p.Name}
			for _, t := range p.Tags {
				s.Tags = append(s.Tags, t.Name)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// WriteList prints one line a scenario, "file » name  @tags", then how
// many there are.
func WriteList(w io.Writer, scenarios []Scenario) error {
	var b strings.Builder
	for _, s := range scenarios {
		fmt.Fprintf(&b, "%s » %s", s.File, s.Name)
		if len(s.Tags) > 0 {
			fmt.Fprintf(&b, "  %s", strings.Join(s.Tags, " "))
		}
		b.WriteString("\n")
	}
	noun := "scenarios"
	if len(scenarios) == 1 {
		noun = "scenario"
	}
	fmt.Fprintf(&b, "%d %s selected\n", len(scenarios), noun)
	_, err := io.WriteString(w, b.String())
	return err
}
