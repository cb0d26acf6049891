package refserver

import (
	"net/http"
	"strings"
)

// HTTP handlers of the /media operations that read, delete, link and unlink
// (upload is in upload.go); they act on the agency's records (agencymedia.go).

type deletedByExternalBody struct {
	Deleted bool  `json:"deleted"`
	MediaID int64 `json:"mediaId"`
}

type linkBody struct {
	MediaID    int64  `json:"mediaId"`
	ExternalID string `json:"externalId"`
	Linked     bool   `json:"linked"`
}

type unlinkBody struct {
	MediaID    int64  `json:"mediaId"`
	ExternalID string `json:"externalId"`
	Unlinked   bool   `json:"unlinked"`
}

var deletedBody = []byte(`{"deleted":true}`)

// pathID reads the {id} path parameter; on failure it has answered 400.
func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		errBadID.write(w)
	}
	return id, ok
}

func (s *Server) getMedia(w http.ResponseWriter, r *http.Request, a *agency) {
	if s.fault(faultLoadSlow) {
		stall(r)
	}
	if s.fault(faultLoad5xx) && s.shed(w) {
		return
	}
	id, ok := s.pathID(w, r)
	if !ok {
		return
	}
	if s.fault(faultIsolationRead) {
		a = s.ownerOf(id, a) // the query lost its agency filter
	}
	body, found := a.view(id, requestScheme(r), r.Host)
	if !found {
		if s.fault(faultIsolationForbidden) && s.ownerOf(id, a) != a {
			errForbiddenFile.write(w) // ownership checked after the lookup, and said aloud
			return
		}
		if s.fault(faultErrorPlainText) {
			http.Error(w, msgFileNotFound, http.StatusNotFound) // bypasses the JSON error writer
			return
		}
		errFileNotFound.write(w)
		return
	}
	if s.fault(faultLoadMixedResponses) {
		body = s.faults.st.throughSharedBuffer(body)
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) getMediaByExternalID(w http.ResponseWriter, r *http.Request, a *agency) {
	ext, ok := s.externalParam(w, r)
	if !ok {
		return
	}
	if s.fault(faultIsolationReadExternal) {
		a = s.externalOwner(ext, a) // the query lost its agency filter
	}
	body, found := a.viewExternal(ext, requestScheme(r), r.Host)
	if !found {
		if s.fault(faultErrorMessageWrong) {
			writeError(w, http.StatusNotFound, "Not found")
			return
		}
		errFileNotFound.write(w)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) deleteMedia(w http.ResponseWriter, r *http.Request, a *agency) {
	if s.fault(faultLoad5xx) && s.shed(w) {
		return
	}
	id, ok := s.pathID(w, r)
	if !ok {
		return
	}
	if s.fault(faultIsolationDelete) {
		a = s.ownerOf(id, a) // the query lost its agency filter
	}
	if err := a.remove(id); err != nil {
		err.write(w)
		return
	}
	switch {
	case s.fault(faultDeleteAnswerString):
		writeJSON(w, http.StatusOK, []byte(`{"deleted":"true"}`))
	case s.fault(faultDeleteAnswerEmpty):
		writeJSON(w, http.StatusOK, []byte(`{}`))
	default:
		writeJSON(w, http.StatusOK, deletedBody)
	}
}

func (s *Server) deleteMediaByExternalID(w http.ResponseWriter, r *http.Request, a *agency) {
	ext, ok := s.externalParam(w, r)
	if !ok {
		return
	}
	id, err := a.removeExternal(ext)
	if err != nil {
		err.write(w)
		return
	}
	if s.fault(faultDeleteExternalNoMediaID) {
		writeJSON(w, http.StatusOK, deletedBody) // the by-id answer, reused
		return
	}
	marshalJSON(w, http.StatusOK, deletedByExternalBody{Deleted: true, MediaID: id})
}

func (s *Server) linkExternalID(w http.ResponseWriter, r *http.Request, a *agency) {
	if s.fault(faultLoad5xx) && s.shed(w) {
		return
	}
	id, ok := s.pathID(w, r)
	if !ok {
		return
	}
	obj, ok := s.readObject(w, r)
	if !ok {
		return
	}
	ext, _, problems := checkExternalID(obj, true)
	if len(problems) > 0 {
		if s.fault(faultErrorMessageNotArray) {
			writeError(w, http.StatusBadRequest, strings.Join(problems, "; "))
			return
		}
		validationError(w, problems...)
		return
	}
	if s.linkCrashes(w, ext) {
		return
	}
	ext = s.storedExternalID(ext)
	if s.fault(faultIsolationLink) {
		a = s.ownerOf(id, a) // the query lost its agency filter
	}
	if err := a.link(id, ext); err != nil {
		switch {
		case err == errTaken && s.fault(faultError500OnConflict):
			errInternal.write(w) // the unique-key violation escapes unmapped
		case err.status == http.StatusConflict && s.fault(faultErrorStatusCodeMismatch):
			writeErrorClaiming(w, err, http.StatusBadRequest)
		default:
			err.write(w)
		}
		return
	}
	if s.fault(faultLinkAnswerNoLinked) {
		marshalJSON(w, http.StatusOK, struct {
			MediaID    int64  `json:"mediaId"`
			ExternalID string `json:"externalId"`
		}{id, ext})
		return
	}
	status := http.StatusOK
	if s.cfg.OtherStatuses {
		status = http.StatusCreated
	}
	marshalJSON(w, status, linkBody{MediaID: id, ExternalID: ext, Linked: true})
}

func (s *Server) unlinkExternalID(w http.ResponseWriter, r *http.Request, a *agency) {
	id, ok := s.pathID(w, r)
	if !ok {
		return
	}
	if s.fault(faultIsolationUnlink) {
		a = s.ownerOf(id, a) // the query lost its agency filter
	}
	ext, err := a.unlink(id)
	if err != nil {
		err.write(w)
		return
	}
	marshalJSON(w, http.StatusOK, unlinkBody{MediaID: id, ExternalID: ext, Unlinked: true})
}

// requestScheme is the scheme the client used, trusting X-Forwarded-Proto
// for servers behind a TLS-terminating proxy.
func requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if v, ok := r.Header["X-Forwarded-Proto"]; ok && len(v) > 0 {
		first, _, _ := strings.Cut(v[0], ",")
		if strings.EqualFold(strings.TrimSpace(first), "https") {
			return "https"
		}
	}
	return "http"
}
