package refserver

import (
	"encoding/json"
	"net/http"
	"sync"
)

// Agency statuses as GET /agency reports them.
const (
	statusActive    = "active"
	statusSuspended = "suspended"
)

// agency is one tenant: its profile and its media store. The store fields are
// guarded by mu; the profile is read-only after New.
type agency struct {
	id         int64
	name       string
	status     string
	crmEnabled bool
	profile    []byte  // the body of GET /agency
	bucket     *bucket // the rate-limit bucket of its key

	blobs      *blobStore
	mu         sync.RWMutex
	media      map[int64]*media
	byExternal map[string]*media
	jobs       map[int64]*job

	faults  faultSet
	residue *residue // what faulty deletes leave behind; nil without faults
}

type agencyBody struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Status       string       `json:"status"`
	IsCrmEnabled bool         `json:"isCrmEnabled"`
	Limits       agencyLimits `json:"limits"`
}

type agencyLimits struct {
	MonthlyListings usage `json:"monthlyListings"`
}

type usage struct {
	Used  int `json:"used"`
	Limit int `json:"limit"`
}

// newAgencies makes the five agencies, keyed by their API keys. The
// rate-limited one has an allowance of its own (0: the server's).
func newAgencies(k Keys, rateLimited int, blobs *blobStore) map[string]*agency {
	limited := newAgency(5, "Rate-limited Test Agency", statusActive, true, 0, blobs)
	limited.bucket = bucketOf(rateLimited)
	return map[string]*agency{
		k.Primary:     newAgency(1, "Primary Test Agency", statusActive, true, 12, blobs),
		k.Other:       newAgency(2, "Other Test Agency", statusActive, true, 0, blobs),
		k.Suspended:   newAgency(3, "Suspended Test Agency", statusSuspended, true, 0, blobs),
		k.CRMDisabled: newAgency(4, "No CRM Test Agency", statusActive, false, 0, blobs),
		k.RateLimited: limited,
	}
}

func newAgency(id int64, name, status string, crm bool, used int, blobs *blobStore) *agency {
	a := &agency{
		id: id, name: name, status: status, crmEnabled: crm,
		bucket:     &bucket{},
		blobs:      blobs,
		media:      map[int64]*media{},
		byExternal: map[string]*media{},
		jobs:       map[int64]*job{},
	}
	a.profile, _ = json.Marshal(agencyBody{
		ID: id, Name: name, Status: status, IsCrmEnabled: crm,
		Limits: agencyLimits{MonthlyListings: usage{Used: used, Limit: 100}},
	})
	return a
}

// access is the error a key of this agency gets, or nil when it may use the API.
func (a *agency) access() *apiError {
	switch {
	case a.status == statusSuspended && !a.fault(faultAuthSuspendedAllowed):
		return errSuspended
	case !a.crmEnabled && !a.fault(faultAuthCRMDisabledAllowed):
		return errCRMDisabled
	}
	return nil
}

func (s *Server) getAgency(w http.ResponseWriter, _ *http.Request, a *agency) {
	writeJSON(w, http.StatusOK, a.profile)
}
