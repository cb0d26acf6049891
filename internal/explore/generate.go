package explore

import "github.com/rentix/mediaharness/internal/config"

const (
	a = config.Primary
	b = config.Other
)

type scriptedSequence struct {
	name  string
	steps []step
}

func up(agency string, slot int) step { return step{kind: stepUpload, agency: agency, slot: slot} }
func on(k stepKind, agency string, f int) step {
	return step{kind: k, agency: agency, file: f, slot: -1}
}
func onExt(k stepKind, agency string, slot int) step {
	return step{kind: k, agency: agency, slot: slot}
}
func link(agency string, f, slot int) step {
	return step{kind: stepLink, agency: agency, file: f, slot: slot}
}

// scripted are the sequences every run tries first: what each delete path
// leaves for the other lookups, relinking after unlink, an external ID
// freed by one path and reused by another, and the other agency on every
// endpoint.
func scripted() []scriptedSequence {
	return []scriptedSequence{
		{"delete by id, then the other lookups", []step{
			up(a, 0), on(stepDeleteID, a, 0), onExt(stepGetExt, a, 0), on(stepGetID, a, 0), up(a, 0), onExt(stepGetExt, a, 0)}},
		{"delete by external ID, then the other lookups", []step{
			up(a, 0), onExt(stepDeleteExt, a, 0), on(stepGetID, a, 0), on(stepDeleteID, a, 0), up(a, -1), link(a, 1, 0)}},
		{"relink after unlink", []step{
			up(a, 0), on(stepUnlink, a, 0), link(a, 0, 1), up(a, -1), link(a, 1, 0), onExt(stepGetExt, a, 0), on(stepGetID, a, 0)}},
		{"an external ID freed by one path, reused by another", []step{
			up(a, 0), onExt(stepDeleteExt, a, 0), up(a, -1), link(a, 1, 0), on(stepUnlink, a, 1), up(a, 0), onExt(stepGetExt, a, 0)}},
		{"the other agency's file and job on every endpoint", []step{
			up(a, 0), on(stepGetID, b, 0), onExt(stepGetExt, b, 0), on(stepJob, b, 0), link(b, 0, 1), on(stepUnlink, b, 0),
			on(stepDeleteID, b, 0), onExt(stepDeleteExt, b, 0), up(b, 0), on(stepGetID, a, 0), on(stepJob, a, 0)}},
		{"external IDs are unique per agency, not across agencies", []step{
			up(a, 0), up(a, 0), up(b, -1), link(b, 2, 0), on(stepDeleteID, a, 0), onExt(stepGetExt, b, 0), on(stepJob, a, 0)}},
	}
}

// randomSequence draws 6 to 10 steps from the run's seed: the first an
// upload, most by the primary agency, files and slots among the few there
// are, so that collisions (reuse, relink, foreign access) are common.
func (e *explorer) randomSequence() []step {
	n := 6 + e.rng.IntN(5)
	steps := []step{up(a, e.rng.IntN(3)-1)}
	uploads := 1
	for len(steps) < n {
		agency := a
		if e.rng.IntN(4) == 0 {
			agency = b
		}
		k := stepKind(e.rng.IntN(int(stepJob) + 1))
		st := step{kind: k, agency: agency, file: e.rng.IntN(uploads), slot: e.rng.IntN(3)}
		if k == stepUpload {
			st.slot = e.rng.IntN(4) - 1
			uploads++
		}
		steps = append(steps, st)
	}
	return steps
}

// open0 is an explorer with only its random source, for generating.
func open0(seed int64) (*explorer, error) {
	o := Options{Seed: seed}.withDefaults()
	return &explorer{o: o, rng: newRand(o.Seed)}, nil
}
