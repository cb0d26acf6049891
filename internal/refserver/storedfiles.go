package refserver

import (
	"net/http"
	"strconv"
	"sync"
)

// The stored files (the bytes optimization produced: the original and its
// WebP variants) and the /storage/ route that serves them without
// authentication, as a CDN would: /storage/{mediaId}/original and
// /storage/{mediaId}/{size}.webp.

const originalFile = "original"

func variantFile(size int) string { return strconv.Itoa(size) + ".webp" }

func storageURL(base string, id int64, file string) string {
	return base + "/storage/" + strconv.FormatInt(id, 10) + "/" + file
}

// blobs are the stored files of one media file.
type blobs struct {
	contentType string
	original    []byte
	variants    map[string][]byte // by file name ("128.webp")
}

type blobStore struct {
	mu sync.RWMutex
	m  map[int64]*blobs
}

func newBlobStore() *blobStore { return &blobStore{m: map[int64]*blobs{}} }

func (s *blobStore) put(id int64, b *blobs) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id] = b
}

func (s *blobStore) get(id int64) *blobs {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.m[id]
}

func (s *blobStore) drop(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

// file is the named file and its content type.
func (b *blobs) file(name string) ([]byte, string, bool) {
	if name == originalFile {
		return b.original, b.contentType, true
	}
	data, ok := b.variants[name]
	return data, "image/webp", ok
}

func (s *Server) serveStorage(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("mediaId"))
	if !ok {
		storageNotFound(w, r)
		return
	}
	b := s.blobs.get(id)
	if b == nil {
		storageNotFound(w, r)
		return
	}
	data, contentType, ok := b.file(r.PathValue("file"))
	if !ok {
		storageNotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data) // HEAD: net/http drops the body
}

func storageNotFound(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusNotFound, msgStorageMissing)
}
