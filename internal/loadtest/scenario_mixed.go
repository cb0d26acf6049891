package loadtest

import (
	"math"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// mixedWeights is the blend of the mixed scenario, in requests out of
// mixedTotal: mostly reads, some link/unlink cycles, a few deletes. Each part
// has its own pool, so a read never meets a file another part is changing.
var mixedWeights = []struct {
	name   string
	weight int
}{
	{scenarioGet, 12},
	{scenarioGetExternal, 4},
	{scenarioLink, 3},
	{scenarioDelete, 1},
}

const mixedTotal = 20

// mixedSlots spreads the weights evenly over mixedTotal slots (smooth
// weighted round robin), so any window of requests has about the blend.
var mixedSlots = func() []int {
	slots := make([]int, 0, mixedTotal)
	current := make([]int, len(mixedWeights))
	for range mixedTotal {
		best := 0
		for i, w := range mixedWeights {
			current[i] += w.weight
			if current[i] > current[best] {
				best = i
			}
		}
		current[best] -= mixedTotal
		slots = append(slots, best)
	}
	return slots
}()

const mixedDelete = 3 // index of the delete part in mixedWeights

func mixedNeeds(p plan) []poolNeed {
	needs := make([]poolNeed, len(mixedWeights))
	for i, w := range mixedWeights {
		name, hits := "mixed/"+w.name, p.share(w.weight, mixedTotal)
		switch w.name {
		case scenarioLink:
			needs[i] = p.linkNeed(name, hits)
		case scenarioDelete:
			needs[i] = p.deleteNeed(name, hits)
		default:
			needs[i] = p.readNeed(name, hits)
		}
	}
	return needs
}

// mixedScenario picks the part of each request from mixedSlots.
type mixedScenario struct {
	parts []scenario
	next  uint64Counter
}

func newMixed(e endpoint, pools []*pool, reg registry) scenario {
	return &mixedScenario{parts: []scenario{
		newGet(e, pools[0], reg),
		newGetExternal(e, pools[1], reg),
		newLink(e, pools[2], reg),
		newDelete(e, pools[3], reg),
	}}
}

func (m *mixedScenario) targeter() vegeta.Targeter {
	ts := make([]vegeta.Targeter, len(m.parts))
	for i, p := range m.parts {
		ts[i] = p.targeter()
	}
	return func(t *vegeta.Target) error {
		return ts[mixedSlots[m.next.inc()%mixedTotal]](t)
	}
}

// remaining counts the requests until the delete part would need one more
// file than it has left.
func (m *mixedScenario) remaining() uint64 {
	left := m.parts[mixedDelete].remaining()
	if left == math.MaxUint64 {
		return left
	}
	start := m.next.load()
	var n, used uint64
	for ; ; n++ {
		if mixedSlots[(start+n)%mixedTotal] == mixedDelete {
			if used == left {
				return n
			}
			used++
		}
	}
}

func (m *mixedScenario) deleted() []fixture {
	var out []fixture
	for _, p := range m.parts {
		out = append(out, p.deleted()...)
	}
	return out
}

func (m *mixedScenario) stop() {
	for _, p := range m.parts {
		p.stop()
	}
}

// shortfall is how many more files the delete part needs for the next hits
// requests.
func (m *mixedScenario) shortfall(hits uint64) int {
	start := m.next.load()
	var need uint64
	for n := range min(hits, mixedTotal) {
		if mixedSlots[(start+n)%mixedTotal] == mixedDelete {
			need += (hits - n + mixedTotal - 1) / mixedTotal
		}
	}
	left := m.parts[mixedDelete].remaining()
	if need <= left {
		return 0
	}
	return int(need - left)
}

// refill adds files to the delete part; between attacks only.
func (m *mixedScenario) refill(e endpoint, files []fixture, reg registry) {
	m.parts[mixedDelete].(*deleteScenario).add(e, files, reg)
}
