package refserver

import (
	"slices"
	"sync/atomic"
)

// faultState is what the switched-on faults remember between requests. It
// exists only when some fault is on.
type faultState struct {
	misrenders []misrender // the media serializer bugs switched on, in name order

	replicaReads atomic.Int64           // optimize-status-regress: round robin over two replicas
	calls        atomic.Int64           // load-5xx: requests that may be shed
	shared       atomic.Pointer[[]byte] // load-mixed-responses: the one response buffer
}

func newFaultState(on map[string]bool) *faultState {
	st := &faultState{}
	for _, name := range sortedNames(on) {
		if fn, ok := misrenders[name]; ok {
			st.misrenders = append(st.misrenders, fn)
		}
	}
	return st
}

func sortedNames(on map[string]bool) []string {
	names := make([]string, 0, len(on))
	for n := range on {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// residue is what faulty deletes leave behind in an agency, guarded by the
// agency lock.
type residue struct {
	ghosts  map[int64]*media // delete-still-served: deleted files a stale cache still serves
	retired map[string]bool  // link-reserved-after-delete: external IDs of deleted files
	// link-relink-after-unlink-refused: files whose has-external flag unlink left set
	unlinked map[int64]bool
	freed    map[string]bool // link-upload-after-unlink-refused: external IDs unlink freed
}

func newResidue() *residue {
	return &residue{ghosts: map[int64]*media{}, retired: map[string]bool{}, unlinked: map[int64]bool{}, freed: map[string]bool{}}
}

// stillReserved: the external ID belonged to a deleted file whose row still
// holds the unique key. Called with a.mu held.
func (a *agency) stillReserved(ext string) bool {
	return a.fault(faultLinkReservedAfterDelete) && a.residue.retired[ext]
}
