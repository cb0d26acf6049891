package refserver

import (
	"math"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// Faults that only generated inputs and model-based sequences find
// (mediaharness explore): no documented example shows them.
const (
	faultRoundtripTrim          = "roundtrip-trim"
	faultRoundtripLowercase     = "roundtrip-lowercase"
	faultRoundtripCutAtPercent  = "roundtrip-cut-at-percent"
	faultRoundtripNonASCII      = "roundtrip-non-ascii-mangled"
	faultRoundtripDoubleDecode  = "roundtrip-path-double-decode"
	faultBoundsIDInt32          = "bounds-id-int32-500"
	faultBoundsJobIDFloat       = "bounds-job-id-float-500"
	faultControlLink500         = "control-link-500"
	faultControlPath500         = "control-path-500"
	faultDeleteExternalLeavesID = "delete-external-leaves-id"
	faultDeleteIDLeavesExternal = "delete-id-leaves-external"
	faultLinkRelinkRefused      = "link-relink-after-unlink-refused"
	faultLinkUnlinkedReserved   = "link-upload-after-unlink-refused"
)

// exploreFaults join the catalogue; their catcher is explore.
var exploreFaults = []FaultInfo{
	{faultRoundtripTrim, "external IDs are stored trimmed: linking \" a \" answers and stores \"a\"", "roundtrip", false},
	{faultRoundtripLowercase, "external IDs are stored lowercased (a case-insensitive column): linking \"MiXeD\" stores \"mixed\"", "roundtrip", false},
	{faultRoundtripCutAtPercent, "external IDs are cut at the first '%' (a decoding step that stops at a bad escape): \"50%\" is stored as \"50\"", "roundtrip", false},
	{faultRoundtripNonASCII, "external IDs are stored in a Latin-1 column: every non-ASCII character becomes '?'", "roundtrip", false},
	{faultRoundtripDoubleDecode, "GET and DELETE /media/external/{externalId} percent-decode the path twice: an ID containing \"%41\" is looked up as \"A\"", "roundtrip", false},
	{faultBoundsIDInt32, "a path {id} above 2^31-1 overflows an int32 column: 500 instead of 404", "bounds", false},
	{faultBoundsJobIDFloat, "GET /job/status with an id of 2^53 or more loses precision in a float: 500 instead of 404", "bounds", false},
	{faultControlLink500, "linking an external ID with a control character (U+0000-U+001F) crashes the database driver: 500 instead of 2xx or 400", "control", false},
	{faultControlPath500, "GET and DELETE /media/external/{externalId} with a control character in the ID answer 500 instead of 404", "control", false},
	{faultDeleteExternalLeavesID, "DELETE /media/external/{externalId} only unlinks: the answer says deleted, but GET /media/{id} still finds the file", "delete", false},
	{faultDeleteIDLeavesExternal, "DELETE /media/{id} leaves the external ID indexed: GET /media/external/{old ID} still finds the deleted file", "delete", false},
	{faultLinkRelinkRefused, "unlink leaves a \"has an external ID\" flag set: linking any external ID to that file again gets 409 \"File already has external ID\"", "link", false},
	{faultLinkUnlinkedReserved, "an external ID freed by unlink stays reserved for uploads: an upload with it gets 409 \"External ID already linked\"", "link", false},
}

// CaughtBy names the mode that catches a fault: "explore" for the faults
// only generated inputs and sequences find, "" for the conformance suite
// (or its load probe).
func CaughtBy(name string) string {
	for _, f := range exploreFaults {
		if f.Name == name {
			return "explore"
		}
	}
	return ""
}

// storedExternalID is what the store keeps of an external ID sent.
func (s *Server) storedExternalID(ext string) string {
	if !s.faults.any {
		return ext
	}
	if s.fault(faultRoundtripTrim) {
		ext = strings.TrimSpace(ext)
	}
	if s.fault(faultRoundtripLowercase) {
		ext = strings.ToLower(ext)
	}
	if s.fault(faultRoundtripCutAtPercent) {
		ext, _, _ = strings.Cut(ext, "%")
	}
	if s.fault(faultRoundtripNonASCII) {
		ext = strings.Map(func(r rune) rune {
			if r > unicode.MaxASCII {
				return '?'
			}
			return r
		}, ext)
	}
	return ext
}

// externalParam reads {externalId}; on failure it has answered.
func (s *Server) externalParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	ext := r.PathValue("externalId")
	if !s.faults.any {
		return ext, true
	}
	if s.fault(faultControlPath500) && hasControl(ext) {
		errInternal.write(w)
		return "", false
	}
	if s.fault(faultRoundtripDoubleDecode) {
		if again, err := url.PathUnescape(ext); err == nil {
			ext = again
		}
	}
	return ext, true
}

// linkCrashes: the control-character fault answered 500.
func (s *Server) linkCrashes(w http.ResponseWriter, ext string) bool {
	if s.fault(faultControlLink500) && hasControl(ext) {
		errInternal.write(w)
		return true
	}
	return false
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 }) >= 0
}

// pathID reads {id}, with the int32 overflow fault.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(w, r)
	if ok && id > math.MaxInt32 && s.fault(faultBoundsIDInt32) {
		errInternal.write(w)
		return 0, false
	}
	return id, ok
}

// jobIDLost: the float fault answered 500.
func (s *Server) jobIDLost(w http.ResponseWriter, id int64) bool {
	if id >= 1<<53 && s.fault(faultBoundsJobIDFloat) {
		errInternal.write(w)
		return true
	}
	return false
}

// removeLeaky is remove and removeExternal with the delete faults: it
// reports whether a fault handled the delete. Called with a.mu held.
func (a *agency) removeLeaky(m *media, byExternal bool) bool {
	switch {
	case byExternal && a.fault(faultDeleteExternalLeavesID):
		delete(a.byExternal, m.externalID) // the unlink half of the delete
		m.externalID, m.hasExternal = "", false
		m.changed()
		return true
	case !byExternal && a.fault(faultDeleteIDLeavesExternal):
		delete(a.media, m.id) // the index row is not deleted with the file
		m.deleted = true
		return true
	}
	return false
}

// unlinkResidue remembers what the unlink faults keep. Called with a.mu held.
func (a *agency) unlinkResidue(id int64, ext string) {
	if a.residue == nil {
		return
	}
	if a.fault(faultLinkRelinkRefused) {
		a.residue.unlinked[id] = true
	}
	if a.fault(faultLinkUnlinkedReserved) {
		a.residue.freed[ext] = true
	}
}

// relinkRefused: the file's stale flag says it still has an external ID.
func (a *agency) relinkRefused(id int64) bool {
	return a.fault(faultLinkRelinkRefused) && a.residue.unlinked[id]
}

// uploadReserved: an upload meets an external ID unlink freed.
func (a *agency) uploadReserved(ext string) bool {
	return a.fault(faultLinkUnlinkedReserved) && a.residue.freed[ext]
}
