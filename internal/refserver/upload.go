package refserver

import "net/http"

type uploadBody struct {
	MediaID    int64   `json:"mediaId"`
	Status     string  `json:"status"`
	ExternalID *string `json:"externalId"`
	JobID      int64   `json:"jobId"`
}

// uploadFromURL creates a pending file and queues its optimization; it
// answers at once.
func (s *Server) uploadFromURL(w http.ResponseWriter, r *http.Request, a *agency) {
	obj, ok := s.readObject(w, r)
	if !ok {
		return
	}
	source, problems := checkURL(obj)
	ext, hasExt, extProblems := checkExternalID(obj, false)
	if problems = append(problems, extProblems...); len(problems) > 0 {
		validationError(w, problems...)
		return
	}
	ext = s.storedExternalID(ext)
	m := &media{id: s.mediaSeq.Add(1), externalID: ext, hasExternal: hasExt, state: optPending}
	j := &job{id: s.jobSeq.Add(1), mediaID: m.id, createdAt: s.now(), status: jobPending}
	if err := a.create(m, j); err != nil {
		err.write(w)
		return
	}
	if !s.fault(faultOptimizeStuck) { // with it, the file is stored but never dispatched
		s.opt.enqueue(&task{a: a, m: m, j: j, url: source})
	}
	body := uploadBody{MediaID: m.id, Status: optPending, JobID: j.id}
	if hasExt {
		body.ExternalID = &ext
	}
	status := http.StatusCreated
	if s.cfg.OtherStatuses {
		status = http.StatusOK
	}
	marshalJSON(w, status, body)
}
