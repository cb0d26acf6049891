package refserver

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rentix/mediaharness/internal/imaging"
)

type jobJSON struct {
	ID            int64  `json:"id"`
	Type          string `json:"type"`
	Status        string `json:"status"`
	CreatedAt     string `json:"createdAt"`
	QueuePosition *int64 `json:"queuePosition"`
	ResultData    *struct {
		MediaID int64 `json:"mediaId"`
	} `json:"resultData"`
	PublicErrorMessage *string `json:"publicErrorMessage"`
}

func (e *testEnv) job(key string, id int64) jobJSON {
	e.t.Helper()
	r := e.get(key, "/job/status?id="+itoa(id))
	r.wantStatus(e.t, http.StatusOK)
	var j jobJSON
	r.decode(e.t, &j)
	if j.ID != id || j.Type != "media.optimize" {
		e.t.Errorf("job %s: want id %d, type media.optimize", r.body, id)
	}
	if _, err := time.Parse(time.RFC3339, j.CreatedAt); err != nil {
		e.t.Errorf("job createdAt %q: %v", j.CreatedAt, err)
	}
	return j
}

// fetchStorage downloads a storage URL.
func fetchStorage(t *testing.T, e *testEnv, url string) (contentType string, body []byte) {
	t.Helper()
	resp, err := e.ts.Client().Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v", url, resp.StatusCode, err)
	}
	return resp.Header.Get("Content-Type"), body
}

// isSubsequence: seen follows the order of want and skips nothing backwards.
func isSubsequence(seen, want []string) bool {
	i := 0
	for _, s := range seen {
		for i < len(want) && want[i] != s {
			i++
		}
		if i == len(want) {
			return false
		}
	}
	return true
}

func TestOptimization_Success(t *testing.T) {
	t.Parallel()
	src := newSources(t)
	e := newEnv(t, Config{})
	key := e.keys.Primary
	u := e.upload(key, src.url("/photo.jpg"), "photo-1")
	m, seen := e.settle(key, u.MediaID)
	if !isSubsequence(seen, []string{optPending, optInProgress, optSuccess}) || m.Optimization != optSuccess {
		t.Fatalf("states seen %v, final %+v", seen, m)
	}
	checkOptimized(t, e, m, src.jpeg, "image/jpeg")
	j := e.job(key, u.JobID)
	if j.Status != jobCompleted || j.ResultData == nil || j.ResultData.MediaID != u.MediaID || j.PublicErrorMessage != nil {
		t.Errorf("job %+v", j)
	}

	// Deleting removes the stored files.
	e.del(key, "/media/"+itoa(u.MediaID)).wantStatus(t, http.StatusOK)
	for _, url := range append([]string{*m.OriginalURL}, m.Variants[0].URL, m.Variants[2].URL) {
		e.get("", url).wantError(t, http.StatusNotFound, msgStorageMissing)
	}
}

// The full-size sample photo goes through the real pipeline too.
func TestOptimization_SamplePhoto(t *testing.T) {
	t.Parallel()
	sample := imaging.SampleJPEG()
	src := newSources(t)
	src.ts.Config.Handler.(*http.ServeMux).HandleFunc("/sample.jpg", src.serve("image/jpeg", sample))
	e := newEnv(t, Config{})
	u := e.upload(e.keys.Primary, src.url("/sample.jpg"), "")
	m, _ := e.settle(e.keys.Primary, u.MediaID)
	if m.Optimization != optSuccess {
		t.Fatalf("final %+v", m)
	}
	checkOptimized(t, e, m, sample, "image/jpeg")
}

// checkOptimized checks a successful file against its original, and that
// its storage URLs serve what the body says.
func checkOptimized(t *testing.T, e *testEnv, m mediaJSON, original []byte, contentType string) {
	t.Helper()
	if m.Size == nil || *m.Size != int64(len(original)) || m.ContentType == nil || *m.ContentType != contentType {
		t.Errorf("size %v contentType %v, want %d %s", m.Size, m.ContentType, len(original), contentType)
	}
	if m.Blurhash == nil || imaging.ValidateBlurHash(*m.Blurhash) != nil {
		t.Errorf("blurhash %v", m.Blurhash)
	}
	if m.OriginalURL == nil || !strings.HasPrefix(*m.OriginalURL, e.ts.URL+"/storage/") {
		t.Fatalf("originalUrl %v, want an absolute URL on %s", m.OriginalURL, e.ts.URL)
	}
	ct, body := fetchStorage(t, e, *m.OriginalURL)
	if ct != contentType || !bytes.Equal(body, original) {
		t.Errorf("original: %s, %d bytes; want %s, the uploaded %d bytes", ct, len(body), contentType, len(original))
	}
	var sizes []string
	for _, v := range m.Variants {
		sizes = append(sizes, v.VariantSize)
		if !strings.HasPrefix(v.URL, e.ts.URL+"/storage/") || !strings.HasSuffix(v.URL, "/"+v.VariantSize+".webp") {
			t.Errorf("variant URL %q", v.URL)
		}
		ct, body := fetchStorage(t, e, v.URL)
		if ct != "image/webp" || len(body) != v.Size {
			t.Errorf("variant %s: %s, %d bytes; body says %d", v.VariantSize, ct, len(body), v.Size)
		}
		if _, _, err := imaging.DecodeWebP(body); err != nil {
			t.Errorf("variant %s: %v", v.VariantSize, err)
		}
	}
	if !reflect.DeepEqual(sizes, []string{"128", "512", "1024"}) {
		t.Errorf("variant sizes %v", sizes)
	}
}

func TestOptimization_Failures(t *testing.T) {
	t.Parallel()
	src := newSources(t)
	e := newEnv(t, Config{MaxSourceBytes: int64(len(src.jpeg) + src.bigLength/2)})
	key := e.keys.Primary
	tests := []struct {
		name, source, publicError string
	}{
		{"not an image", src.url("/not-image.html"), msgNotImage},
		{"source answers 404", src.url("/missing.jpg"), msgDownloadFailed},
		{"nothing listening", deadSource, msgDownloadFailed},
		{"larger than MaxSourceBytes", src.url("/big.jpg"), msgSourceTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := e.upload(key, tt.source, "")
			m, _ := e.settle(key, u.MediaID)
			if m.Optimization != optFailed || m.Blurhash != nil || len(m.Variants) != 0 || m.OriginalURL != nil {
				t.Errorf("failed file %+v", m)
			}
			j := e.job(key, u.JobID)
			if j.Status != jobFailed || j.PublicErrorMessage == nil || *j.PublicErrorMessage != tt.publicError || j.ResultData != nil {
				t.Errorf("job %+v, want failed with %q", j, tt.publicError)
			}
			e.get("", "/storage/"+itoa(u.MediaID)+"/original").wantError(t, http.StatusNotFound, msgStorageMissing)
		})
	}
}

// A long OptimizeDelay holds files in pending; their jobs report a place in
// the queue.
func TestOptimization_Pending(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{OptimizeDelay: time.Hour})
	key := e.keys.Primary
	var last uploadJSON
	for range workers + 2 {
		last = e.upload(key, deadSource, "")
	}
	m := e.media(key, last.MediaID)
	if m.Optimization != optPending || m.Blurhash != nil || len(m.Variants) != 0 || m.Size != nil ||
		m.ContentType != nil || m.OriginalURL != nil || m.ExternalID != nil {
		t.Errorf("pending file %+v", m)
	}
	j := e.job(key, last.JobID)
	if j.Status != jobPending || j.QueuePosition == nil || *j.QueuePosition < 1 || j.ResultData != nil || j.PublicErrorMessage != nil {
		t.Errorf("pending job %+v", j)
	}
}

// While the source is being downloaded the file is in_progress and the job
// processing.
func TestOptimization_InProgress(t *testing.T) {
	t.Parallel()
	src := newSources(t)
	e := newEnv(t, Config{})
	key := e.keys.Primary
	u := e.upload(key, src.url("/gated.jpg"), "")
	<-src.gatedHit
	if m := e.media(key, u.MediaID); m.Optimization != optInProgress || m.Blurhash != nil || len(m.Variants) != 0 {
		t.Errorf("file during download %+v", m)
	}
	if j := e.job(key, u.JobID); j.Status != jobProcessing || j.QueuePosition != nil {
		t.Errorf("job during download %+v", j)
	}
	src.open()
	if m, _ := e.settle(key, u.MediaID); m.Optimization != optSuccess {
		t.Errorf("final %+v", m)
	}
}

// With a short OptimizeDelay the states come in the documented order.
func TestOptimization_DelayKeepsOrder(t *testing.T) {
	t.Parallel()
	src := newSources(t)
	e := newEnv(t, Config{OptimizeDelay: 20 * time.Millisecond})
	u := e.upload(e.keys.Primary, src.url("/photo.jpg"), "")
	m, seen := e.settle(e.keys.Primary, u.MediaID)
	if m.Optimization != optSuccess || !isSubsequence(seen, []string{optPending, optInProgress, optSuccess}) {
		t.Errorf("states seen %v", seen)
	}
}

// A file deleted while it is being optimized stores nothing.
func TestOptimization_DeletedMeanwhile(t *testing.T) {
	t.Parallel()
	src := newSources(t)
	e := newEnv(t, Config{})
	key := e.keys.Primary
	u := e.upload(key, src.url("/gated.jpg"), "")
	<-src.gatedHit
	e.del(key, "/media/"+itoa(u.MediaID)).wantStatus(t, http.StatusOK)
	src.open()
	j := pollUntil(t, func() (jobJSON, bool) {
		j := e.job(key, u.JobID)
		return j, j.Status == jobFailed
	})
	if j.PublicErrorMessage == nil || *j.PublicErrorMessage != msgFileDeleted {
		t.Errorf("job %+v", j)
	}
	e.get("", "/storage/"+itoa(u.MediaID)+"/original").wantError(t, http.StatusNotFound, msgStorageMissing)
	if n := e.srv.MediaCount(key); n != 0 {
		t.Errorf("MediaCount %d", n)
	}
}

// URLs follow the scheme and host the client used.
func TestStorage_URLs(t *testing.T) {
	t.Parallel()
	src := newSources(t)
	e := newEnv(t, Config{})
	key := e.keys.Primary
	u := e.upload(key, src.url("/photo.jpg"), "")
	e.settle(key, u.MediaID)
	path := "/media/" + itoa(u.MediaID)
	host := strings.TrimPrefix(e.ts.URL, "http://")
	tests := []struct {
		header map[string]string
		prefix string
	}{
		{nil, "http://" + host + "/storage/"},
		{map[string]string{"X-Forwarded-Proto": "https"}, "https://" + host + "/storage/"},
		{map[string]string{"X-Forwarded-Proto": "https, http"}, "https://" + host + "/storage/"},
		{map[string]string{"Host": "media.example:8443"}, "http://media.example:8443/storage/"},
		{nil, "http://" + host + "/storage/"},
	}
	for _, tt := range tests {
		c := call{method: http.MethodGet, path: path, key: key, header: tt.header}
		req := e.do(c)
		if tt.header["Host"] != "" {
			req = e.doHost(c, tt.header["Host"])
		}
		m := req.media(t)
		if !strings.HasPrefix(*m.OriginalURL, tt.prefix) || !strings.HasPrefix(m.Variants[1].URL, tt.prefix) {
			t.Errorf("headers %v: originalUrl %s, variant %s; want prefix %s", tt.header, *m.OriginalURL, m.Variants[1].URL, tt.prefix)
		}
	}
	for _, p := range []string{"/storage/" + itoa(u.MediaID) + "/256.webp", "/storage/" + itoa(u.MediaID) + "/original.jpg",
		"/storage/abc/original", "/storage/" + itoa(u.MediaID)} {
		e.get("", p).wantError(t, http.StatusNotFound, msgStorageMissing)
	}
}
