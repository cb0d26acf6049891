package loadtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/tsenart/vegeta/v12/lib/plot"
)

// The files of a report directory, <rundir>/load/<scenario>/.
const (
	resultsFile = "results.bin"  // Vegeta's gob results: vegeta report / vegeta plot read it
	metricsFile = "metrics.json" // Vegeta's JSON metrics (latency from the actual send)
	textFile    = "report.txt"   // Vegeta's text report, our figures and the threshold table
	plotFile    = "plot.html"    // latency over time and its distribution, self-contained
	reportFile  = "load.json"    // the Report: baselines and merges read it
	sectionFile = "summary.md"   // this run's section of <rundir>/load/summary.md
)

// resultsWriter streams results into results.bin.
type resultsWriter struct {
	f   *os.File
	bw  *bufio.Writer
	enc vegeta.Encoder
}

func createResults(dir string) (*resultsWriter, error) {
	f, err := os.Create(filepath.Join(dir, resultsFile))
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	return &resultsWriter{f: f, bw: bw, enc: vegeta.NewEncoder(bw)}, nil
}

// encoder is nil when there is no file.
func (w *resultsWriter) encoder() vegeta.Encoder {
	if w == nil {
		return nil
	}
	return w.enc
}

func (w *resultsWriter) close() error {
	if w == nil {
		return nil
	}
	err := w.bw.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// newPlot is the latency-over-time plot, one line per operation and
// outcome; points show latency from the scheduled send time.
func newPlot(title string, reg registry) *plot.Plot {
	return plot.New(plot.Title(title), plot.Downsample(4000), plot.Label(func(r *vegeta.Result) string {
		op := opOf(reg, r)
		if outcomeOf(r, op) == outcomeExpected {
			return string(op) + ": OK"
		}
		return string(op) + ": ERROR"
	}))
}

func opOf(reg registry, r *vegeta.Result) operation {
	if reg != nil {
		if req := reg.lookup(r); req != nil {
			return req.op
		}
	}
	return classify(r.Method, r.URL)
}

// writeFiles writes every report file but the results, which were streamed.
func (r *Report) writeFiles(dir string, pl *plot.Plot) error {
	write := func(name string, fill func(*bytes.Buffer) error) error {
		var buf bytes.Buffer
		if err := fill(&buf); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r.Files = append(r.Files, name)
		return os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644)
	}
	r.Dir = dir
	r.Files = []string{resultsFile}
	steps := []struct {
		name string
		fill func(*bytes.Buffer) error
	}{
		{metricsFile, func(b *bytes.Buffer) error { m := r.metrics; return vegeta.NewJSONReporter(&m).Report(b) }},
		{textFile, func(b *bytes.Buffer) error { return r.WriteText(b) }},
		{plotFile, func(b *bytes.Buffer) error { return r.writeHTML(b, pl) }},
		{sectionFile, func(b *bytes.Buffer) error { _, err := b.WriteString(r.markdown()); return err }},
		{pageFile, func(b *bytes.Buffer) error { return r.writePage(b) }},
		{reportFile, func(b *bytes.Buffer) error {
			enc := json.NewEncoder(b)
			enc.SetIndent("", "  ")
			return enc.Encode(r)
		}},
	}
	for _, s := range steps {
		if err := write(s.name, s.fill); err != nil {
			return err
		}
	}
	return writeLoadSummary(filepath.Dir(dir))
}

// writeLoadSummary rebuilds <rundir>/load/summary.md from the sections of
// every scenario run in that directory, so several runs into one run
// directory add up instead of overwriting each other.
func writeLoadSummary(loadDir string) error {
	sections, err := filepath.Glob(filepath.Join(loadDir, "*", sectionFile))
	if err != nil {
		return err
	}
	sort.Strings(sections)
	var b strings.Builder
	b.WriteString("## Load tests\n\n")
	for _, s := range sections {
		data, err := os.ReadFile(s)
		if err != nil {
			return err
		}
		b.Write(data)
		b.WriteString("\n")
	}
	return os.WriteFile(filepath.Join(loadDir, sectionFile), []byte(b.String()), 0o644)
}

// reportDir is where a scenario's files go: <rundir>/load/<scenario>[-sIofN].
func reportDir(runDir, scenario string, sh Shard) string {
	name := scenario
	if sh.active() {
		name += "-" + sh.tag()
	}
	return filepath.Join(runDir, "load", name)
}
