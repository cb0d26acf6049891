package refserver

import (
	"net/http"
	"net/url"
	"testing"
)

// deadSource refuses connections: the file exists, its optimization fails.
const deadSource = "http://127.0.0.1:9/none.jpg"

type linkJSON struct {
	MediaID    int64  `json:"mediaId"`
	ExternalID string `json:"externalId"`
	Linked     bool   `json:"linked"`
}

type unlinkJSON struct {
	MediaID    int64  `json:"mediaId"`
	ExternalID string `json:"externalId"`
	Unlinked   bool   `json:"unlinked"`
}

func (e *testEnv) link(key string, id int64, ext string) reply {
	return e.post(key, "/media/"+itoa(id)+"/link", map[string]string{"externalId": ext})
}

func extPath(ext string) string { return "/media/external/" + url.PathEscape(ext) }

func TestMedia_LinkUnlink(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	a := e.upload(key, deadSource, "").MediaID
	b := e.upload(key, deadSource, "").MediaID
	const ext = "apt 001/photo#1?é"

	r := e.link(key, a, ext)
	r.wantStatus(t, http.StatusOK)
	var l linkJSON
	r.decode(t, &l)
	if l != (linkJSON{MediaID: a, ExternalID: ext, Linked: true}) {
		t.Errorf("link answer %+v", l)
	}
	if m := e.media(key, a); m.ExternalID == nil || *m.ExternalID != ext {
		t.Errorf("after link externalId %v", m.ExternalID)
	}
	r = e.get(key, extPath(ext))
	r.wantStatus(t, http.StatusOK)
	if m := r.media(t); m.ID != a {
		t.Errorf("by external ID: file %d, want %d", m.ID, a)
	}

	e.link(key, b, ext).wantError(t, http.StatusConflict, msgExternalTaken)
	e.link(key, a, ext).wantError(t, http.StatusConflict, msgHasExternal)
	e.link(key, a, "another").wantError(t, http.StatusConflict, msgHasExternal)
	e.link(key, 999999, "free").wantError(t, http.StatusNotFound, msgFileNotFound)

	r = e.del(key, "/media/"+itoa(a)+"/link")
	r.wantStatus(t, http.StatusOK)
	var u unlinkJSON
	r.decode(t, &u)
	if u != (unlinkJSON{MediaID: a, ExternalID: ext, Unlinked: true}) {
		t.Errorf("unlink answer %+v", u)
	}
	if m := e.media(key, a); m.ExternalID != nil {
		t.Errorf("after unlink externalId %q, want null", *m.ExternalID)
	}
	e.get(key, extPath(ext)).wantError(t, http.StatusNotFound, msgFileNotFound)
	e.del(key, "/media/"+itoa(a)+"/link").wantError(t, http.StatusBadRequest, msgNoExternal)
	e.del(key, "/media/999999/link").wantError(t, http.StatusNotFound, msgFileNotFound)
	e.link(key, b, ext).wantStatus(t, http.StatusOK) // the freed ID goes to any file
}

func TestMedia_Delete(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	byID := e.upload(key, deadSource, "by-id")
	byExt := e.upload(key, deadSource, "by-ext")
	if n := e.srv.MediaCount(key); n != 2 {
		t.Fatalf("MediaCount %d, want 2", n)
	}

	r := e.del(key, "/media/"+itoa(byID.MediaID))
	r.wantStatus(t, http.StatusOK)
	var d struct {
		Deleted bool `json:"deleted"`
	}
	r.decode(t, &d)
	if !d.Deleted {
		t.Errorf("delete answer %s", r.body)
	}
	r = e.del(key, extPath("by-ext"))
	r.wantStatus(t, http.StatusOK)
	var dx struct {
		Deleted bool  `json:"deleted"`
		MediaID int64 `json:"mediaId"`
	}
	r.decode(t, &dx)
	if !dx.Deleted || dx.MediaID != byExt.MediaID {
		t.Errorf("delete by external ID answer %s, want mediaId %d", r.body, byExt.MediaID)
	}

	for _, u := range []uploadJSON{byID, byExt} {
		e.get(key, "/media/"+itoa(u.MediaID)).wantError(t, http.StatusNotFound, msgFileNotFound)
		e.get(key, extPath(*u.ExternalID)).wantError(t, http.StatusNotFound, msgFileNotFound)
		e.del(key, "/media/"+itoa(u.MediaID)).wantError(t, http.StatusNotFound, msgFileNotFound)
		e.del(key, extPath(*u.ExternalID)).wantError(t, http.StatusNotFound, msgFileNotFound)
		e.link(key, u.MediaID, "x").wantError(t, http.StatusNotFound, msgFileNotFound)
	}
	if n := e.srv.MediaCount(key); n != 0 {
		t.Errorf("MediaCount %d after deleting both", n)
	}
	// The external IDs are free again: for an upload and for a link.
	e.upload(key, deadSource, "by-id")
	c := e.upload(key, deadSource, "")
	e.link(key, c.MediaID, "by-ext").wantStatus(t, http.StatusOK)
}

func TestUpload_ExternalIDTaken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	u := e.upload(e.keys.Primary, deadSource, "listing-7")
	if u.ExternalID == nil || *u.ExternalID != "listing-7" {
		t.Errorf("upload externalId %v", u.ExternalID)
	}
	r := e.post(e.keys.Primary, "/media/upload-from-url", map[string]string{"url": deadSource, "externalId": "listing-7"})
	r.wantError(t, http.StatusConflict, msgExternalTaken)
	if n := e.srv.MediaCount(e.keys.Primary); n != 1 {
		t.Errorf("MediaCount %d after a refused upload, want 1", n)
	}
	// Another agency may use the same external ID.
	o := e.upload(e.keys.Other, deadSource, "listing-7")
	if o.MediaID == u.MediaID {
		t.Error("two agencies share a media id")
	}
	plain := e.upload(e.keys.Primary, deadSource, "")
	if plain.ExternalID != nil || plain.MediaID <= o.MediaID || plain.JobID <= u.JobID {
		t.Errorf("upload without externalId %+v (ids must increase)", plain)
	}
}

// No operation of one agency reaches or reveals the files of another.
func TestMedia_TenantIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	mine, theirs := e.keys.Primary, e.keys.Other
	f := e.upload(mine, deadSource, "shared-name")
	id := itoa(f.MediaID)
	e.get(theirs, "/media/"+id).wantError(t, http.StatusNotFound, msgFileNotFound)
	e.get(theirs, extPath("shared-name")).wantError(t, http.StatusNotFound, msgFileNotFound)
	e.del(theirs, "/media/"+id).wantError(t, http.StatusNotFound, msgFileNotFound)
	e.del(theirs, extPath("shared-name")).wantError(t, http.StatusNotFound, msgFileNotFound)
	e.link(theirs, f.MediaID, "theirs").wantError(t, http.StatusNotFound, msgFileNotFound)
	e.del(theirs, "/media/"+id+"/link").wantError(t, http.StatusNotFound, msgFileNotFound)
	e.get(theirs, "/job/status?id="+itoa(f.JobID)).wantError(t, http.StatusNotFound, msgJobNotFound)
	if n := e.srv.MediaCount(theirs); n != 0 {
		t.Errorf("other agency holds %d files", n)
	}

	// The same external ID in the other agency names its own file.
	g := e.upload(theirs, deadSource, "shared-name")
	if m := e.get(theirs, extPath("shared-name")).media(t); m.ID != g.MediaID {
		t.Errorf("other agency's external ID resolves to %d, want %d", m.ID, g.MediaID)
	}
	e.del(theirs, extPath("shared-name")).wantStatus(t, http.StatusOK)
	if m := e.media(mine, f.MediaID); m.ExternalID == nil || *m.ExternalID != "shared-name" {
		t.Errorf("deleting in one agency touched the other: %+v", m)
	}
}

// The path segment "external" belongs to the external-ID routes.
func TestMedia_ExternalIDNamedLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	key := e.keys.Primary
	f := e.upload(key, deadSource, "link")
	e.get(key, "/media/external/link").wantStatus(t, http.StatusOK)
	r := e.del(key, "/media/external/link")
	r.wantStatus(t, http.StatusOK)
	e.get(key, "/media/"+itoa(f.MediaID)).wantError(t, http.StatusNotFound, msgFileNotFound)
}
