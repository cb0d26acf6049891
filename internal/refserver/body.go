package refserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
)

// maxBodyBytes is the documented request body limit (512 KB).
const maxBodyBytes = 512 * 1024

// unenforcedBodyLimit is what error-413-not-enforced reads instead.
const unenforcedBodyLimit = 32 << 20

// object is a decoded request body: its top-level fields, undecoded.
type object map[string]json.RawMessage

// readObject reads a JSON object body. An absent body reads as {} so that
// validation names the missing fields. On failure it has answered (415, 413 or
// 400) and reports false.
func (s *Server) readObject(w http.ResponseWriter, r *http.Request) (object, bool) {
	if r.ContentLength == 0 {
		return object{}, true
	}
	if !isJSON(r.Header.Get("Content-Type")) && !s.fault(faultError415NotEnforced) {
		writeError(w, http.StatusUnsupportedMediaType, msgNotJSON)
		return nil, false
	}
	limit := int64(maxBodyBytes)
	if s.fault(faultError413NotEnforced) {
		limit = unenforcedBodyLimit
	}
	if r.ContentLength > limit {
		writeError(w, http.StatusRequestEntityTooLarge, msgTooLarge)
		return nil, false
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, msgTooLarge)
		return nil, false
	case err != nil:
		s.malformed(w, err)
		return nil, false
	}
	return s.decodeObject(w, data)
}

func (s *Server) decodeObject(w http.ResponseWriter, data []byte) (object, bool) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return object{}, true // a chunked empty body
	}
	if !json.Valid(trimmed) {
		if s.fault(faultError500OnBadBody) {
			errInternal.write(w) // the parser's error escapes unmapped
			return nil, false
		}
		s.malformed(w, json.Unmarshal(trimmed, new(any)))
		return nil, false
	}
	var obj object
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &obj) != nil {
		validationError(w, msgNotObject)
		return nil, false
	}
	return obj, true
}

// malformed answers a body that cannot be parsed: a validation error (message
// an array), or with StringParseMessages the parser's own text as one string,
// as a NestJS server's body parser answers.
func (s *Server) malformed(w http.ResponseWriter, err error) {
	if !s.cfg.StringParseMessages {
		validationError(w, msgMalformedJSON)
		return
	}
	msg := msgMalformedJSON
	if err != nil {
		msg = err.Error()
	}
	writeError(w, http.StatusBadRequest, msg)
}

// isJSON accepts application/json with any parameters (charset=utf-8 ...).
func isJSON(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && mediaType == "application/json"
}
