package explore

import (
	"fmt"

	"github.com/rentix/mediaharness/internal/config"
)

// stepKind is one operation a sequence may do.
type stepKind int

const (
	stepUpload stepKind = iota // slot < 0: without an external ID
	stepLink
	stepUnlink
	stepDeleteID
	stepDeleteExt
	stepGetID
	stepGetExt
	stepJob
)

// step is one operation of a sequence. Files are named by the ordinal of
// the upload that made them and external IDs by a slot, so that a sequence
// can be replayed (with fresh external IDs) and shrunk.
type step struct {
	kind   stepKind
	agency string
	file   int // upload ordinal, for the operations on a file
	slot   int // external ID slot, -1 for none
}

func (s step) String() string {
	who := "A"
	if s.agency == config.Other {
		who = "B"
	}
	f, x := fmt.Sprintf("file#%d", s.file), fmt.Sprintf("ext#%d", s.slot)
	switch s.kind {
	case stepUpload:
		if s.slot < 0 {
			return who + ": upload without an external ID"
		}
		return who + ": upload with " + x
	case stepLink:
		return who + ": link " + x + " to " + f
	case stepUnlink:
		return who + ": unlink " + f
	case stepDeleteID:
		return who + ": delete " + f + " by id"
	case stepDeleteExt:
		return who + ": delete by external ID " + x
	case stepGetID:
		return who + ": get " + f + " by id"
	case stepGetExt:
		return who + ": get by external ID " + x
	}
	return who + ": job status of " + f
}

// usesFile reports whether the step names a file by its upload ordinal.
func (s step) usesFile() bool {
	return s.kind != stepUpload && s.kind != stepDeleteExt && s.kind != stepGetExt
}

// mfile is the model of one file.
type mfile struct {
	agency  string
	id, job int64
	ext     string // "" when it has none
	deleted bool
	optimum bool // "success" was seen: it must never go back
}

// model predicts the API: the files each upload made, per agency, with
// their external IDs and whether they were deleted. External IDs are
// unique per agency among files that are not deleted.
type model struct {
	files []*mfile // by upload ordinal; nil when the upload was refused
}

// holder is the live file of agency with external ID ext.
func (m *model) holder(agency, ext string) *mfile {
	for _, f := range m.files {
		if f != nil && !f.deleted && f.agency == agency && f.ext == ext && ext != "" {
			return f
		}
	}
	return nil
}

// file is the file of upload ordinal i, nil if there is none.
func (m *model) file(i int) *mfile {
	if i < 0 || i >= len(m.files) {
		return nil
	}
	return m.files[i]
}

// visible reports whether agency can see f: its own and not deleted.
func visible(f *mfile, agency string) bool { return f.agency == agency && !f.deleted }
