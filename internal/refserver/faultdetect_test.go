package refserver

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// A detector is the shortest request sequence that tells a fault from the
// documented behaviour. Each runs twice, on a clean server (where it must
// find nothing) and on a server with its fault (where it must find the bug).
type detector struct {
	fault string
	cfg   Config
	check func(p *probe)
}

func TestFaults_Observable(t *testing.T) {
	t.Parallel()
	src := newSources(t)
	// Small sources keep optimization cheap under -race; the strip is just
	// wide enough for its 512 and 1024 variants to differ.
	mux := src.ts.Config.Handler.(*http.ServeMux)
	mux.HandleFunc("/tiny.jpg", src.serve("image/jpeg", gradientJPEG(t, 64, 48)))
	mux.HandleFunc("/strip.jpg", src.serve("image/jpeg", gradientJPEG(t, 520, 24)))
	for _, d := range detectors {
		t.Run(d.fault, func(t *testing.T) {
			t.Parallel()
			if err := runDetector(t, src, d, nil); err != nil {
				t.Fatalf("clean server: %v", err)
			}
			err := runDetector(t, src, d, []string{d.fault})
			if err == nil {
				t.Fatalf("with %s the server still behaves as documented", d.fault)
			}
			t.Logf("observed: %v", err)
		})
	}
}

func runDetector(t *testing.T, src *sources, d detector, faults []string) error {
	cfg := d.cfg
	cfg.Faults = faults
	e := newEnv(t, cfg)
	p := &probe{t: t, e: e, k: e.keys, src: src}
	d.check(p)
	return p.err
}

// gradientJPEG is a w x h photo-like JPEG.
func gradientJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) % 256), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var detectors = []detector{
	{faultIsolationRead, Config{}, otherCannotRead},
	{faultIsolationForbidden, Config{}, otherCannotRead},
	{faultIsolationReadExternal, Config{}, func(p *probe) {
		p.file("iso-ext")
		p.wantError(p.get(p.k.Other, extPath("iso-ext")), http.StatusNotFound, "other agency reads by external ID", msgFileNotFound)
	}},
	{faultIsolationDelete, Config{}, func(p *probe) {
		id := p.file("")
		p.wantError(p.del(p.k.Other, mediaPath(id)), http.StatusNotFound, "other agency deletes", msgFileNotFound)
		p.media(id)
	}},
	{faultIsolationLink, Config{}, func(p *probe) {
		id := p.file("")
		p.wantError(p.link(p.k.Other, id, "theirs"), http.StatusNotFound, "other agency links", msgFileNotFound)
		if m := p.media(id); p.ok() && m.ExternalID != nil {
			p.failf("the owner's file now has external ID %q", *m.ExternalID)
		}
	}},
	{faultIsolationUnlink, Config{}, func(p *probe) {
		id := p.file("mine")
		p.wantError(p.del(p.k.Other, mediaPath(id)+"/link"), http.StatusNotFound, "other agency unlinks", msgFileNotFound)
	}},
	{faultIsolationJob, Config{}, func(p *probe) {
		u := p.upload(deadSource, "")
		p.wantError(p.get(p.k.Other, "/job/status?id="+itoa(u.JobID)), http.StatusNotFound, "other agency's job", msgJobNotFound)
	}},

	{faultAuthMissingKeyAccepted, Config{}, func(p *probe) {
		p.wantError(p.agency(authNone, ""), http.StatusUnauthorized, "no key", msgKeyRequired)
	}},
	{faultAuthXAPIKeyIgnored, Config{}, func(p *probe) {
		p.wantStatus(p.agency(authXKey, p.k.Primary), http.StatusOK, "X-API-Key")
	}},
	{faultAuthAuthorizationIgnored, Config{}, func(p *probe) {
		p.wantStatus(p.agency(authAPIKey, p.k.Primary), http.StatusOK, "Authorization: ApiKey")
	}},
	{faultAuthBothAccepted, Config{}, func(p *probe) {
		p.wantError(p.agency(authBoth, p.k.Primary), http.StatusBadRequest, "both headers", msgMultipleAuth)
	}},
	{faultAuthSuspendedAllowed, Config{}, func(p *probe) {
		p.wantError(p.agency(authAPIKey, p.k.Suspended), http.StatusForbidden, "suspended agency", msgSuspended)
	}},
	{faultAuthCRMDisabledAllowed, Config{}, func(p *probe) {
		p.wantError(p.agency(authAPIKey, p.k.CRMDisabled), http.StatusForbidden, "CRM disabled", msgCRMDisabled)
	}},
	{faultAuthBearerAccepted, Config{}, func(p *probe) {
		p.wantError(p.agency(authBearer, p.k.Primary), http.StatusUnauthorized, "Bearer scheme", msgKeyRequired, msgInvalidKey)
	}},
	{faultAuthInvalidKeyMessage, Config{}, func(p *probe) {
		p.wantError(p.agency(authAPIKey, "rx_unknown"), http.StatusUnauthorized, "unknown key", msgInvalidKey)
	}},

	{faultLinkDuplicateAccepted, Config{}, func(p *probe) {
		p.file("dup")
		b := p.file("")
		p.wantError(p.link(p.k.Primary, b, "dup"), http.StatusConflict, "link a used ID", msgExternalTaken)
	}},
	{faultLinkUploadDuplicate, Config{}, func(p *probe) {
		first := p.file("dup")
		r := p.do(call{method: http.MethodPost, path: "/media/upload-from-url", key: p.k.Primary,
			json: map[string]string{"url": deadSource, "externalId": "dup"}})
		if r.status == http.StatusConflict {
			p.wantError(r, http.StatusConflict, "upload with a used ID", msgExternalTaken)
			return
		}
		var u uploadJSON
		if p.ok() && (strictDecode(r.body, &u) != nil || u.MediaID != first) {
			p.failf("upload with a used ID: %d %s, want 409 or the existing file %d", r.status, r.body, first)
		}
	}},
	{faultLinkOverwrite, Config{}, func(p *probe) {
		id := p.file("first")
		p.wantError(p.link(p.k.Primary, id, "second"), http.StatusConflict, "link a linked file", msgHasExternal)
	}},
	{faultLinkRelinkSameOK, Config{}, func(p *probe) {
		id := p.file("same")
		p.wantError(p.link(p.k.Primary, id, "same"), http.StatusConflict, "link the same ID again", msgHasExternal)
	}},
	{faultLinkStaleAfterUnlink, Config{}, func(p *probe) {
		id := p.file("old")
		p.wantStatus(p.del(p.k.Primary, mediaPath(id)+"/link"), http.StatusOK, "unlink")
		p.wantError(p.get(p.k.Primary, extPath("old")), http.StatusNotFound, "read by the unlinked ID", msgFileNotFound)
	}},
	{faultLinkReservedAfterDelete, Config{}, func(p *probe) {
		id := p.file("reuse")
		p.wantStatus(p.del(p.k.Primary, mediaPath(id)), http.StatusOK, "delete")
		b := p.file("")
		p.wantStatus(p.link(p.k.Primary, b, "reuse"), http.StatusOK, "link the deleted file's ID")
	}},
	{faultLinkUnlinkWrongID, Config{}, func(p *probe) {
		id := p.file("named")
		p.wantJSON(p.del(p.k.Primary, mediaPath(id)+"/link"), http.StatusOK, unlinkJSON{id, "named", true}, "unlink")
	}},
	{faultLinkAnswerNoLinked, Config{}, func(p *probe) {
		id := p.file("")
		p.wantJSON(p.link(p.k.Primary, id, "x"), http.StatusOK, linkJSON{id, "x", true}, "link")
	}},

	{faultDeleteStillServed, Config{}, func(p *probe) {
		id := p.file("")
		p.wantStatus(p.del(p.k.Primary, mediaPath(id)), http.StatusOK, "delete")
		p.wantError(p.get(p.k.Primary, mediaPath(id)), http.StatusNotFound, "read a deleted file", msgFileNotFound)
	}},
	{faultDeleteAnswerString, Config{}, deleteAnswers},
	{faultDeleteAnswerEmpty, Config{}, deleteAnswers},
	{faultDeleteExternalNoMediaID, Config{}, func(p *probe) {
		id := p.file("gone")
		p.wantJSON(p.del(p.k.Primary, extPath("gone")), http.StatusOK, deletedByExternalJSON{true, id}, "delete by external ID")
	}},
	{faultDeleteTwiceOK, Config{}, func(p *probe) {
		id := p.file("")
		p.wantStatus(p.del(p.k.Primary, mediaPath(id)), http.StatusOK, "delete")
		p.wantError(p.del(p.k.Primary, mediaPath(id)), http.StatusNotFound, "delete again", msgFileNotFound)
	}},

	{faultShapeSizeString, Config{}, readyPhoto},
	{faultShapeIDString, Config{}, readyPhoto},
	{faultShapeExternalIDOmitted, Config{}, func(p *probe) { p.media(p.file("")) }},
	{faultShapeVariantSizeNumber, Config{}, readyPhoto},
	{faultShapeContentTypeRenamed, Config{}, readyPhoto},
	{faultShapeOptimizationEnum, Config{}, readyPhoto},
	{faultShapeBlurhashUndecodable, Config{}, readyPhoto},
	{faultShapeBlurhashLength, Config{}, readyPhoto},
	{faultShapeVariantMissing, Config{}, readyPhoto},
	{faultShapeVariantsUnordered, Config{}, readyPhoto},
	{faultShapeVariantURL404, Config{}, readyPhoto},
	{faultShapeOriginalSizeMismatch, Config{}, readyPhoto},
	{faultShapeVariantOversized, Config{}, func(p *probe) { p.ready(p.src.url("/strip.jpg")) }},

	{faultErrorPlainText, Config{}, func(p *probe) {
		p.wantError(p.get(p.k.Primary, mediaPath(999999)), http.StatusNotFound, "unknown id", msgFileNotFound)
	}},
	{faultErrorNoStatusCode, Config{}, func(p *probe) {
		p.wantError(p.get(p.k.Primary, "/job/status?id=999999"), http.StatusNotFound, "unknown job", msgJobNotFound)
	}},
	{faultErrorMessageWrong, Config{}, func(p *probe) {
		p.wantError(p.get(p.k.Primary, extPath("nothing-here")), http.StatusNotFound, "unknown external ID", msgFileNotFound)
	}},
	{faultError500OnConflict, Config{}, func(p *probe) {
		p.file("taken")
		b := p.file("")
		p.wantError(p.link(p.k.Primary, b, "taken"), http.StatusConflict, "link a used ID", msgExternalTaken)
	}},
	{faultError500OnBadBody, Config{}, func(p *probe) {
		r := p.linkRaw(p.file(""), "application/json", []byte(`{"externalId":`))
		p.wantError(r, http.StatusBadRequest, "malformed JSON", []string{msgMalformedJSON})
	}},
	{faultError415NotEnforced, Config{}, func(p *probe) {
		r := p.linkRaw(p.file(""), "text/plain", []byte(`{"externalId":"x"}`))
		p.wantError(r, http.StatusUnsupportedMediaType, "text/plain body", msgNotJSON)
	}},
	{faultError413NotEnforced, Config{}, func(p *probe) {
		r := p.linkRaw(p.file(""), "application/json", paddedBody(maxBodyBytes+1))
		p.wantError(r, http.StatusRequestEntityTooLarge, "body over 512 KB", msgTooLarge)
	}},
	{faultErrorMessageNotArray, Config{}, func(p *probe) {
		r := p.linkRaw(p.file(""), "application/json", []byte(`{}`))
		p.wantError(r, http.StatusBadRequest, "link without externalId", []string{msgExternalIDEmpty, msgExternalIDString})
	}},
	{faultErrorStatusCodeMismatch, Config{}, func(p *probe) {
		id := p.file("x")
		p.wantError(p.link(p.k.Primary, id, "y"), http.StatusConflict, "link a linked file", msgHasExternal)
	}},

	{faultRatelimitHeaderMissing, Config{RateLimit: 3}, rateLimitWindow},
	{faultRatelimitRemainingFrozen, Config{RateLimit: 3}, rateLimitWindow},
	{faultRatelimitNotEnforced, Config{RateLimit: 3}, rateLimitWindow},
	{faultRatelimit429WithoutBody, Config{RateLimit: 3}, rateLimitWindow},
	{faultRatelimitResetMillis, Config{RateLimit: 3}, rateLimitWindow},
	{faultRatelimitResetHourAway, Config{RateLimit: 3}, rateLimitWindow},
	{faultRatelimitRemainingOver, Config{RateLimit: 3}, rateLimitWindow},

	{faultOptimizeLifecycleBack, Config{OptimizeDelay: 10 * time.Millisecond}, func(p *probe) {
		u := p.upload(p.src.url("/tiny.jpg"), "")
		p.settle(u.MediaID) // reads every few milliseconds: the step back shows
	}},
	{faultOptimizeStuck, Config{}, func(p *probe) {
		u := p.upload(p.src.url("/tiny.jpg"), "")
		if p.ok() && !queued(p.e.srv, u.JobID) {
			p.failf("job %d never reached the optimizer: the file stays pending", u.JobID)
		}
		if m := p.settle(u.MediaID); p.ok() && m.Optimization != optSuccess {
			p.failf("optimization ended %q", m.Optimization)
		}
	}},
	{faultOptimizeNotImageSuccess, Config{}, func(p *probe) {
		u := p.upload(p.src.url("/not-image.html"), "")
		if m := p.settle(u.MediaID); p.ok() && m.Optimization != optFailed {
			p.failf("a non-image ended %q, want failed", m.Optimization)
		}
	}},
	{faultOptimizeStatusRegress, Config{}, func(p *probe) {
		id := p.ready(p.src.url("/tiny.jpg")).ID
		for range 3 {
			if m := p.media(id); p.ok() && m.Optimization != optSuccess {
				p.failf("a finished file reads %q again", m.Optimization)
			}
		}
	}},
	{faultOptimizeJobStale, Config{}, func(p *probe) {
		u := p.upload(p.src.url("/tiny.jpg"), "")
		p.settle(u.MediaID)
		var j jobJSON
		if r := p.get(p.k.Primary, "/job/status?id="+itoa(u.JobID)); p.ok() {
			if err := strictDecode(r.body, &j); err != nil {
				p.failf("job: %v", err)
			}
		}
		if p.ok() && (j.Status != jobCompleted || j.ResultData == nil || j.ResultData.MediaID != u.MediaID) {
			p.failf("job of a finished file: status %q, result %+v", j.Status, j.ResultData)
		}
	}},
}

func (p *probe) agency(style authStyle, key string) reply {
	return p.do(call{method: http.MethodGet, path: "/agency", key: key, auth: style})
}

func (p *probe) linkRaw(id int64, contentType string, body []byte) reply {
	return p.do(call{method: http.MethodPost, path: mediaPath(id) + "/link", key: p.k.Primary, raw: body, contentType: contentType})
}

func otherCannotRead(p *probe) {
	id := p.file("")
	p.wantError(p.get(p.k.Other, mediaPath(id)), http.StatusNotFound, "other agency reads", msgFileNotFound)
}

type deletedJSON struct {
	Deleted bool `json:"deleted"`
}

type deletedByExternalJSON struct {
	Deleted bool  `json:"deleted"`
	MediaID int64 `json:"mediaId"`
}

func deleteAnswers(p *probe) {
	p.wantJSON(p.del(p.k.Primary, mediaPath(p.file(""))), http.StatusOK, deletedJSON{true}, "delete")
}

func readyPhoto(p *probe) { p.ready(p.src.url("/tiny.jpg")) }

// rateLimitWindow spends a limit of 3: the headers on every answer,
// Remaining counting down, then 429 in the error format.
func rateLimitWindow(p *probe) {
	for i := range 4 {
		r := p.agency(authAPIKey, p.k.Primary)
		want := http.StatusOK
		if i == 3 {
			want = http.StatusTooManyRequests
		}
		p.wantStatus(r, want, "request "+strconv.Itoa(i+1))
		l := r.limits()
		if remaining := strconv.Itoa(max(2-i, 0)); p.ok() && (l.limit != "3" || l.remaining != remaining || l.reset == "") {
			p.failf("request %d: headers %+v, want limit 3, remaining %s and a reset", i+1, l, remaining)
		}
		if reset, err := strconv.ParseInt(l.reset, 10, 64); p.ok() && (err != nil || reset > p.e.srv.now().Add(time.Minute+time.Second).Unix()) {
			p.failf("request %d: reset %q, want a Unix time in seconds within the minute's window", i+1, l.reset)
		}
		if i == 3 {
			p.wantError(r, http.StatusTooManyRequests, "over the limit", msgRateLimited)
		}
	}
}

// queued reports whether job id of any agency was handed to the optimizer.
// It is set before the upload answers, so it needs no waiting.
func queued(s *Server, id int64) bool {
	for _, a := range s.agencies {
		a.mu.RLock()
		j, ok := a.jobs[id]
		a.mu.RUnlock()
		if ok {
			return j.seq.Load() > 0
		}
	}
	return false
}
