package explore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rentix/mediaharness/internal/client"
)

// sequenceRecord is one sequence the run tried and how it ended.
type sequenceRecord struct {
	Name    string
	Steps   int
	Failure *Finding
}

// failure is where a sequence broke: the step, and the finding.
type failure struct {
	at int
	f  Finding
}

// seqRun replays one sequence against the target and the model.
type seqRun struct {
	e    *explorer
	ctx  context.Context
	m    model
	exts map[int]string
}

// errSkip: the budget ran out during the replay; it proves nothing.
var errSkip = errors.New("budget spent")

// exploreSequences runs the scripted sequences, then random ones, until the
// budget is spent; a failing one is shrunk.
func (e *explorer) exploreSequences(ctx context.Context) {
	if e.o.NoSequences {
		return
	}
	all := scripted()
	for i := range all {
		// the seed picks the first, so short runs (a slice) vary
		j := (i + int(uint64(e.o.Seed)%uint64(len(all)))) % len(all)
		if !e.runSequence(ctx, all[j].name, all[j].steps, j) {
			return
		}
	}
	for n := len(scripted()); ; n++ {
		steps := e.randomSequence()
		if !e.runSequence(ctx, fmt.Sprintf("random #%d", n-len(scripted())+1), steps, n) {
			return
		}
	}
}

// runSequence runs one sequence and, if it fails, shrinks it. It reports
// whether there is budget for another.
func (e *explorer) runSequence(ctx context.Context, name string, steps []step, n int) bool {
	if ctx.Err() != nil || e.left() < 2*len(steps) {
		return false
	}
	fail, err := e.replay(ctx, steps, n, 0)
	if err != nil {
		return false
	}
	rec := sequenceRecord{Name: name, Steps: len(steps)}
	if fail != nil {
		steps, fail = e.shrink(ctx, steps, fail, n)
		f := fail.f
		f.Group, f.Input = "sequences", name
		f.Steps = describe(steps)
		f.Message = fmt.Sprintf("step %d (%s): %s", fail.at+1, steps[fail.at], f.Message)
		rec.Failure = &f
		e.fail(f)
	}
	e.sequences = append(e.sequences, rec)
	e.table.add("sequences", name, fail != nil)
	return true
}

func describe(steps []step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.String()
	}
	return out
}

// replay runs steps from a fresh model with fresh external IDs (replay r
// of sequence n) and returns the first failure.
func (e *explorer) replay(ctx context.Context, steps []step, n, r int) (*failure, error) {
	s := &seqRun{e: e, ctx: ctx, exts: map[int]string{}}
	for slot := range 4 {
		s.exts[slot] = fmt.Sprintf("%s-q%d-%d-e%d", e.prefix, n, r, slot)
	}
	for i, st := range steps {
		f, err := s.do(st)
		if err != nil {
			return nil, err
		}
		if f != nil {
			return &failure{at: i, f: *f}, nil
		}
	}
	return nil, nil
}

// shrink removes steps while the sequence still fails, one at a time,
// until no single removal keeps it failing or the budget runs out.
func (e *explorer) shrink(ctx context.Context, steps []step, fail *failure, n int) ([]step, *failure) {
	steps = steps[:fail.at+1]
	r := 1
	for changed := true; changed; {
		changed = false
		for i := len(steps) - 1; i >= 0; i-- {
			cand := without(steps, i)
			if len(cand) == 0 || len(cand) == len(steps) || e.left() < 2*len(cand) || ctx.Err() != nil {
				continue
			}
			got, err := e.replay(ctx, cand, n, r)
			r++
			if err != nil || got == nil {
				continue
			}
			steps, fail, changed = cand[:got.at+1], got, true
			break
		}
	}
	return steps, fail
}

// without is steps minus step i; removing an upload removes the steps on
// its file and renumbers the later files.
func without(steps []step, i int) []step {
	ord := -1
	if steps[i].kind == stepUpload {
		ord = 0
		for _, s := range steps[:i] {
			if s.kind == stepUpload {
				ord++
			}
		}
	}
	var out []step
	for j, s := range steps {
		if j == i || (ord >= 0 && s.usesFile() && s.file == ord) {
			continue
		}
		if ord >= 0 && s.usesFile() && s.file > ord {
			s.file--
		}
		out = append(out, s)
	}
	return out
}

// do runs one step: predicts, sends, compares, then probes what the step
// should have left behind. A step on a file no upload made is skipped.
func (s *seqRun) do(st step) (*Finding, error) {
	switch st.kind {
	case stepUpload:
		return s.upload(st)
	case stepDeleteExt, stepGetExt:
		return s.onExt(st)
	}
	f := s.m.file(st.file)
	if f == nil {
		return nil, nil
	}
	return s.onFile(st, f)
}

// call sends a request for step st and judges its status; a finding
// carries the curl line of the request.
func (s *seqRun) call(st step, op string, req client.Request, want expect) (*client.Response, *Finding, error) {
	resp, err := s.e.send(s.ctx, st.agency, req)
	if errors.Is(err, errBudget) || (resp == nil && s.ctx.Err() != nil) {
		return nil, nil, errSkip
	}
	if problem := s.e.judge(want, resp, err); problem != nil {
		f := s.e.finding("sequences", op, "sequence", st.String(), st.agency, req, resp, problem)
		return resp, &f, nil
	}
	return resp, nil, nil
}

// check turns a failed comparison into a finding on resp's request.
func (s *seqRun) check(st step, op string, req client.Request, resp *client.Response, problem error) *Finding {
	if problem == nil {
		return nil
	}
	f := s.e.finding("sequences", op, "sequence", st.String(), st.agency, req, resp, problem)
	return &f
}

func (s *seqRun) upload(st step) (*Finding, error) {
	ext := ""
	if st.slot >= 0 {
		ext = s.exts[st.slot]
	}
	holder := s.m.holder(st.agency, ext)
	want := want2xx
	if holder != nil {
		want = want2xxOr4xx // 409, or the file that has it (I)
	}
	req := uploadRequest(s.e.source, ext, st.slot >= 0)
	resp, f, err := s.call(st, "uploadFromUrl", req, want)
	if f != nil || err != nil {
		return f, err
	}
	a, made := s.e.adopt(st.agency, ext, resp)
	switch {
	case holder != nil && !ok(resp.Status):
		s.m.files = append(s.m.files, nil)
		return s.check(st, "uploadFromUrl", req, resp, wantConflict(resp)), nil
	case holder != nil && a.MediaID != holder.id:
		return s.check(st, "uploadFromUrl", req, resp, fmt.Errorf("upload with %q, which file %d has, answered mediaId %d: a second file with one external ID", ext, holder.id, a.MediaID)), nil
	case holder != nil:
		s.m.files = append(s.m.files, holder)
		return nil, nil
	case !made:
		return s.check(st, "uploadFromUrl", req, resp, errors.New("the upload answer names no mediaId")), nil
	}
	nf := &mfile{agency: st.agency, id: a.MediaID, job: a.JobID, ext: ext}
	s.m.files = append(s.m.files, nf)
	if got := derefOr(a.ExternalID, ""); got != ext {
		return s.check(st, "uploadFromUrl", req, resp, fmt.Errorf("upload answered externalId %s, sent %q", show(a.ExternalID), ext)), nil
	}
	if ext != "" {
		return s.probeExt(st, ext, nf)
	}
	return nil, nil
}

func wantConflict(resp *client.Response) error {
	if resp.Status != http.StatusConflict {
		return fmt.Errorf("an upload with an external ID in use answered %d, want 409 or the file that has it", resp.Status)
	}
	return nil
}

func derefOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// onExt: delete and get by external ID.
func (s *seqRun) onExt(st step) (*Finding, error) {
	ext := s.exts[st.slot]
	holder := s.m.holder(st.agency, ext)
	path := "/media/external/" + url.PathEscape(ext)
	want := want404
	if holder != nil {
		want = want2xx
	}
	method, op := http.MethodGet, "getMediaByExternalId"
	if st.kind == stepDeleteExt {
		method, op = http.MethodDelete, "deleteMediaByExternalId"
	}
	req := client.Request{Method: method, Path: path, Deliberate: holder == nil}
	resp, f, err := s.call(st, op, req, want)
	if f != nil || err != nil || holder == nil {
		return f, err
	}
	var body struct {
		ID      int64 `json:"id"`
		MediaID int64 `json:"mediaId"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	if st.kind == stepGetExt {
		if body.ID != holder.id {
			return s.check(st, op, req, resp, fmt.Errorf("found file %d, the model says %d has %q", body.ID, holder.id, ext)), nil
		}
		return nil, nil
	}
	holder.deleted = true
	s.e.mgr.Deleted(holder.agency, holder.id)
	if body.MediaID != holder.id {
		return s.check(st, op, req, resp, fmt.Errorf("deleted mediaId %d, the model says %d had %q", body.MediaID, holder.id, ext)), nil
	}
	return s.probeGone(st, holder, ext)
}

// onFile: link, unlink, delete, get and job status of one file.
func (s *seqRun) onFile(st step, f *mfile) (*Finding, error) {
	mine := visible(f, st.agency)
	idPath := "/media/" + strconv.FormatInt(f.id, 10)
	switch st.kind {
	case stepLink:
		return s.link(st, f, mine, idPath)
	case stepUnlink:
		return s.unlink(st, f, mine, idPath)
	case stepDeleteID:
		req := client.Request{Method: http.MethodDelete, Path: idPath, Deliberate: !mine}
		resp, fd, err := s.call(st, "deleteMedia", req, map[bool]expect{true: want2xx, false: want404}[mine])
		if fd != nil || err != nil || !mine || resp == nil {
			return fd, err
		}
		f.deleted = true
		s.e.mgr.Deleted(f.agency, f.id)
		return s.probeGone(st, f, f.ext)
	case stepGetID:
		return s.getID(st, f, mine, idPath)
	}
	return s.job(st, f)
}

func (s *seqRun) link(st step, f *mfile, mine bool, idPath string) (*Finding, error) {
	ext := s.exts[st.slot]
	want := want2xx
	switch {
	case !mine:
		want = want404
	case f.ext != "" || s.m.holder(st.agency, ext) != nil:
		want = want4xx
	}
	req := jsonRequest(http.MethodPost, idPath+"/link", map[string]any{"externalId": ext})
	req.Deliberate = want != want2xx
	resp, fd, err := s.call(st, "linkExternalId", req, want)
	if fd != nil || err != nil || want != want2xx {
		if fd == nil && err == nil && want == want4xx && resp.Status != http.StatusConflict {
			return s.check(st, "linkExternalId", req, resp, fmt.Errorf("answered %d, want 409 (the file has an external ID, or another file has %q)", resp.Status, ext)), nil
		}
		return fd, err
	}
	var a struct {
		ExternalID *string `json:"externalId"`
	}
	_ = json.Unmarshal(resp.Body, &a)
	f.ext = ext
	if derefOr(a.ExternalID, "") != ext {
		return s.check(st, "linkExternalId", req, resp, fmt.Errorf("link answered externalId %s, sent %q", show(a.ExternalID), ext)), nil
	}
	return s.probeExt(st, ext, f)
}

func (s *seqRun) unlink(st step, f *mfile, mine bool, idPath string) (*Finding, error) {
	want := want2xx
	switch {
	case !mine:
		want = want404
	case f.ext == "":
		want = want4xx
	}
	req := client.Request{Method: http.MethodDelete, Path: idPath + "/link", Deliberate: want != want2xx}
	resp, fd, err := s.call(st, "unlinkExternalId", req, want)
	if fd != nil || err != nil || want != want2xx {
		return fd, err
	}
	old := f.ext
	f.ext = ""
	var a struct {
		ExternalID *string `json:"externalId"`
	}
	_ = json.Unmarshal(resp.Body, &a)
	if derefOr(a.ExternalID, "") != old {
		return s.check(st, "unlinkExternalId", req, resp, fmt.Errorf("unlink answered externalId %s, the file had %q", show(a.ExternalID), old)), nil
	}
	return s.probeExtFree(st, old)
}

func (s *seqRun) getID(st step, f *mfile, mine bool, idPath string) (*Finding, error) {
	req := client.Request{Method: http.MethodGet, Path: idPath, Deliberate: !mine}
	resp, fd, err := s.call(st, "getMedia", req, map[bool]expect{true: want2xx, false: want404}[mine])
	if fd != nil || err != nil || !mine {
		return fd, err
	}
	var m mediaBody
	_ = json.Unmarshal(resp.Body, &m)
	var problem error
	switch {
	case derefOr(m.ExternalID, "") != f.ext:
		problem = fmt.Errorf("shows externalId %s, the model says %q", show(m.ExternalID), f.ext)
	case m.Optimization == "failed":
		problem = errors.New(`optimization "failed" for an image the target could download`)
	case f.optimum && m.Optimization != "success":
		problem = fmt.Errorf("optimization went back from \"success\" to %q", m.Optimization)
	}
	f.optimum = f.optimum || m.Optimization == "success"
	return s.check(st, "getMedia", req, resp, problem), nil
}

// job: a file's own agency sees its job (a deleted file's job may be gone);
// another agency never does.
func (s *seqRun) job(st step, f *mfile) (*Finding, error) {
	want := want404
	switch {
	case f.agency == st.agency && f.deleted:
		want = want2xxOr4xx
	case f.agency == st.agency:
		want = want2xx
	}
	req := client.Request{Method: http.MethodGet, Path: "/job/status?id=" + strconv.FormatInt(f.job, 10), Deliberate: want == want404}
	_, fd, err := s.call(st, "getJobStatus", req, want)
	return fd, err
}

// probeExt: after ext was linked to f (by upload or link), GET by ext
// finds f and GET by id shows ext.
func (s *seqRun) probeExt(st step, ext string, f *mfile) (*Finding, error) {
	req := client.Request{Method: http.MethodGet, Path: "/media/external/" + url.PathEscape(ext)}
	resp, fd, err := s.call(st, "getMediaByExternalId", req, want2xx)
	if fd != nil || err != nil {
		return annotate(fd, "then GET by external ID"), err
	}
	var m mediaBody
	_ = json.Unmarshal(resp.Body, &m)
	if m.ID != f.id {
		return s.check(st, "getMediaByExternalId", req, resp, fmt.Errorf("then GET by external ID %q found file %d, want %d", ext, m.ID, f.id)), nil
	}
	return nil, nil
}

// probeExtFree: after unlink, the old ID finds nothing.
func (s *seqRun) probeExtFree(st step, ext string) (*Finding, error) {
	req := client.Request{Method: http.MethodGet, Path: "/media/external/" + url.PathEscape(ext), Deliberate: true}
	_, fd, err := s.call(st, "getMediaByExternalId", req, want404)
	return annotate(fd, "then GET by the external ID it had"), err
}

// probeGone: after a delete (by either path), GET by id and GET by its
// former external ID both find nothing.
func (s *seqRun) probeGone(st step, f *mfile, ext string) (*Finding, error) {
	req := client.Request{Method: http.MethodGet, Path: "/media/" + strconv.FormatInt(f.id, 10), Deliberate: true}
	_, fd, err := s.call(st, "getMedia", req, want404)
	if fd != nil || err != nil || ext == "" {
		return annotate(fd, "then GET the deleted file by id"), err
	}
	fd, err = s.probeExtFree(st, ext)
	return annotate(fd, "(deleted)"), err
}

func annotate(f *Finding, what string) *Finding {
	if f != nil {
		f.Message = what + ": " + f.Message
	}
	return f
}
