// Package loadtest runs load scenarios against the Media API with the Vegeta
// library, checks every response off the timing path, and turns the run into
// a verdict against SLO thresholds.
//
// A run (Run) creates its fixture pools first, through upload-from-url and
// the fixture ledger, then attacks at a constant rate or along a linear ramp
// (an open model: requests go out on schedule whether or not earlier ones
// have come back), and cleans the fixtures up afterwards, also when the
// context ends. The scenarios:
//
//   - get, get-external: GET /media/{id} and /media/external/{externalId}
//     round a pool of files; each body must be about the file asked for.
//   - link: unlink and link again, each file with its own external ID; a
//     file is handed out again only after its last answer came back, so
//     every request is a valid one, and the file answered last goes first,
//     so link and unlink are both measured from the start.
//   - delete: a pool of rate×duration files (capped by MaxPool), each
//     deleted exactly once.
//   - mixed: 60% get, 20% get-external, 15% link/unlink, 5% delete, each
//     part on its own pool.
//
// Latency is measured from the time each request was scheduled to be sent,
// not from when a Vegeta worker got round to it, so a slow target cannot
// hide its queueing by holding the generator back (coordinated omission).
// Vegeta's own latency (from the actual send) and the send lag are reported
// beside it, and the achieved rate beside the requested one.
//
// Results leave the attack through a short collector into a sink (the
// results file, statistics, plot) and a sampled queue to checkers
// (contract and identity); neither ever blocks the attack, and a full check
// queue counts the response as unvalidated. Transport errors, 429s,
// unexpected statuses, contract violations and identity mismatches are
// counted apart.
//
// An attack stops early once half of the last 100 requests failed (no
// answer, 5xx, 429): going on would only load a target that is down.
//
// After the run, each threshold of the scenario (slo.yaml, embedded; or a
// file), and of its operations, is printed with its measured value; any
// break, a regression against a baseline load.json, an attack stopped
// early, fixtures left behind or an interruption makes Report.Passed false. The
// files go to <rundir>/load/<scenario>/: results.bin (Vegeta's gob, for
// vegeta report and vegeta plot), metrics.json, report.txt, index.html (the
// verdict-first page with latency, throughput and answers over time),
// plot.html (Vegeta's per-request plot), load.json and summary.md, whose
// sections are gathered in <rundir>/load/summary.md. RunEntries lists a run
// directory's load and capacity reports for its index page.
//
// Capacity steps the rate up and bisects to the highest rate that meets
// every SLO, running a failed step once more before it counts, and tells a
// saturated target, a rate-limited one and a generator that could not keep
// up apart. Shard splits a load across processes and Merge combines their
// results into one verdict, failing when a shard is missing.
//
// Example:
//
//	rep, err := loadtest.Run(ctx, loadtest.Options{
//		Scenario: "get", Rate: loadtest.Rate{Freq: 200, Per: time.Second},
//		Duration: 30 * time.Second, ReportDir: "reports/20261128-184105-3fa2",
//	})
//	if err != nil { ... }            // errors.Is(err, loadtest.ErrUsage): nothing was attacked
//	rep.WriteText(os.Stdout)
//	if !rep.Passed() { os.Exit(1) }
package loadtest
