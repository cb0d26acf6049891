package refserver

import (
	"net/http"
	"sync/atomic"
	"time"
)

// Job statuses (D). failed_retryable is documented but never used here:
// a failed download is final.
const (
	jobPending    = "pending"
	jobProcessing = "processing"
	jobCompleted  = "completed"
	jobFailed     = "failed"
)

const jobTypeOptimize = "media.optimize"

// job is the optimization job of one upload. Its fields are guarded by the
// agency lock, except seq which the queue sets.
type job struct {
	id          int64
	mediaID     int64
	createdAt   time.Time
	status      string
	publicError string
	seq         atomic.Int64 // place in the queue's order, 0 until queued
}

type jobBody struct {
	ID                 int64      `json:"id"`
	Type               string     `json:"type"`
	Status             string     `json:"status"`
	CreatedAt          string     `json:"createdAt"`
	QueuePosition      *int64     `json:"queuePosition,omitempty"`
	ResultData         *jobResult `json:"resultData,omitempty"`
	PublicErrorMessage *string    `json:"publicErrorMessage,omitempty"`
}

type jobResult struct {
	MediaID int64 `json:"mediaId"`
}

// createdAtLayout is RFC 3339 with milliseconds, as JavaScript writes dates.
const createdAtLayout = "2006-01-02T15:04:05.000Z07:00"

// body describes j; started is how many jobs the workers have taken so far.
func (j *job) body(started int64) jobBody {
	b := jobBody{ID: j.id, Type: jobTypeOptimize, Status: j.status, CreatedAt: j.createdAt.UTC().Format(createdAtLayout)}
	switch j.status {
	case jobPending:
		if seq := j.seq.Load(); seq > 0 {
			pos := max(seq-started, 1)
			b.QueuePosition = &pos
		}
	case jobCompleted:
		b.ResultData = &jobResult{MediaID: j.mediaID}
	case jobFailed:
		msg := j.publicError
		b.PublicErrorMessage = &msg
	}
	return b
}

func (j *job) fail(publicError string) {
	j.status, j.publicError = jobFailed, publicError
}

// jobView describes job id of the agency.
func (a *agency) jobView(id, started int64) (jobBody, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	j, ok := a.jobs[id]
	if !ok {
		return jobBody{}, false
	}
	return j.body(started), true
}

func (s *Server) jobStatus(w http.ResponseWriter, r *http.Request, a *agency) {
	id, ok := parseID(r.URL.Query().Get("id"))
	if !ok {
		errBadID.write(w)
		return
	}
	if s.jobIDLost(w, id) {
		return
	}
	if s.fault(faultIsolationJob) {
		a = s.jobOwner(id, a) // the query lost its agency filter
	}
	body, found := a.jobView(id, s.opt.started.Load())
	if !found {
		if s.fault(faultErrorNoStatusCode) {
			writeBareError(w, http.StatusNotFound, msgJobNotFound)
			return
		}
		errJobNotFound.write(w)
		return
	}
	marshalJSON(w, http.StatusOK, body)
}
