package explore

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rentix/mediaharness/internal/client"
	"github.com/rentix/mediaharness/internal/config"
)

// probe is one generated input and the class of answer it must get.
type probe struct {
	op     opSpec
	class  string
	input  string
	agency string
	req    client.Request
	want   expect
	// ext is the external ID a link sends; on a 2xx it must round-trip.
	ext    string
	hasExt bool
}

// exploreInputs sends every generated input of every operation, in the
// contract's order, until the budget is spent.
func (e *explorer) exploreInputs(ctx context.Context) {
	for _, op := range e.doc.ops {
		for _, p := range e.probes(op) {
			if ctx.Err() != nil || e.left() <= 0 {
				return
			}
			e.try(ctx, p)
		}
	}
}

// probes generates the inputs of one operation: a valid call, then each
// parameter's and each body field's odd values with the others valid.
func (e *explorer) probes(op opSpec) []probe {
	var out []probe
	if v, okv := e.validProbe(op); okv {
		out = append(out, v)
	}
	for _, p := range op.Params {
		out = append(out, e.paramProbes(op, p)...)
	}
	if op.HasBody {
		out = append(out, e.bodyProbes(op)...)
	}
	return out
}

// validProbe is the operation called as documented, on the run's files.
// Operations that delete are left to the sequences, which model them.
func (e *explorer) validProbe(op opSpec) (probe, bool) {
	if op.Method == http.MethodDelete {
		return probe{}, false
	}
	p := probe{op: op, class: "valid", input: "as documented", agency: config.Primary, want: want2xx}
	path, query := e.fill(op, "", "")
	p.req = client.Request{Method: op.Method, Path: path + query}
	if op.HasBody {
		if _, isLink := e.bodyField(op, "url"); isLink {
			return probe{}, false // uploads are exercised by every fixture
		}
		p.ext, p.hasExt = e.mgr.NextExternalID(), true
		p.req = jsonRequest(op.Method, p.req.Path, map[string]any{"externalId": p.ext})
	}
	return p, true
}

// fill builds the path and query of op with the valid value of every
// parameter except the one named over, which gets value (already escaped).
func (e *explorer) fill(op opSpec, over, value string) (string, string) {
	path := op.Path
	q := url.Values{}
	var raw []string
	for _, p := range op.Params {
		v := e.validParam(op, p)
		if p.Name == over {
			v = value
		}
		if p.In == "path" {
			path = strings.ReplaceAll(path, "{"+p.Name+"}", v)
			continue
		}
		if p.Name == over {
			raw = append(raw, url.QueryEscape(p.Name)+"="+v)
		} else {
			q.Set(p.Name, v)
		}
	}
	query := q.Encode()
	if len(raw) > 0 {
		query = strings.Join(append(raw, query), "&")
	}
	query = strings.TrimSuffix(query, "&")
	if query != "" {
		query = "?" + query
	}
	return path, query
}

// validParam is the escaped value of a parameter naming one of the run's
// files: its id, its job (a query id) or its external ID.
func (e *explorer) validParam(op opSpec, p paramSpec) string {
	switch {
	case schemaType(p.Schema) == "string":
		return url.PathEscape(e.fix.tagged.ext)
	case p.In == "query":
		return strconv.FormatInt(e.fix.plain.job, 10)
	case op.Method == http.MethodPost:
		return strconv.FormatInt(e.fix.plain.id, 10) // links land on the file without one
	}
	return strconv.FormatInt(e.fix.tagged.id, 10)
}

// paramProbes: the boundary and malformed values of one parameter, and
// the other agency's file or job.
func (e *explorer) paramProbes(op opSpec, p paramSpec) []probe {
	var out []probe
	mk := func(class, input, value string, want expect) probe {
		path, query := e.fill(op, p.Name, value)
		pr := probe{op: op, class: class, input: p.Name + " " + input, agency: config.Primary, want: want,
			req: client.Request{Method: op.Method, Path: path + query, Deliberate: want != want2xx}}
		if op.HasBody {
			pr.req = jsonRequest(op.Method, pr.req.Path, map[string]any{"externalId": e.mgr.NextExternalID()})
			pr.req.Deliberate = true
		}
		return pr
	}
	switch schemaType(p.Schema) {
	case "integer":
		for _, v := range integerValues(p.Schema, op.Method != http.MethodGet) {
			out = append(out, mk(v.class, "= "+v.text, v.text, v.want))
		}
		foreign := e.fix.foreign.id
		if p.In == "query" {
			foreign = e.fix.foreign.job
		}
		out = append(out, mk("foreign", "of the other agency", strconv.FormatInt(foreign, 10), want404))
	case "string":
		max := e.maxExternalLen()
		for _, v := range stringValues(e.prefix+"-unknown", max) {
			want := want404
			if v.class == "control" || refused(v, max) {
				want = want4xx
			}
			out = append(out, mk(v.class, v.label+" (no file has it)", url.PathEscape(v.value), want))
		}
		out = append(out, mk("foreign", "of the other agency's file", url.PathEscape(e.fix.foreign.ext), want404))
	}
	return out
}

// maxExternalLen is the maxLength of the externalId body field, 255 when
// the contract gives none.
func (e *explorer) maxExternalLen() int {
	for _, op := range e.doc.ops {
		if f, found := e.bodyField(op, "externalId"); found && maxLen(f.Schema) > 0 {
			return maxLen(f.Schema)
		}
	}
	return 255
}

func (e *explorer) bodyField(op opSpec, name string) (fieldSpec, bool) {
	for _, f := range op.Body {
		if f.Name == name {
			return f, true
		}
	}
	return fieldSpec{}, false
}

// bodyProbes: bodies that are not objects, and for each field wrong JSON
// types, a missing required one, an extra one, and for strings the odd
// values (which a link must round-trip exactly or refuse).
func (e *explorer) bodyProbes(op opSpec) []probe {
	path, query := e.fill(op, "", "")
	target := path + query
	var out []probe
	for _, raw := range []string{`[]`, `"x"`, `{`, `null`} {
		out = append(out, probe{op: op, class: "body-shape", input: "body " + raw, agency: config.Primary,
			want: want4xx, req: deliberate(rawRequest(op.Method, target, []byte(raw)))})
	}
	valid := e.validBody(op)
	for _, f := range op.Body {
		out = append(out, e.fieldProbes(op, target, valid, f)...)
	}
	extra := clone(valid)
	extra["unexpected"] = "x"
	pr := probe{op: op, class: "extra-field", input: `an extra field "unexpected"`, agency: config.Primary,
		want: want2xxOr4xx, req: deliberate(jsonRequest(op.Method, target, extra))}
	pr.ext, pr.hasExt = extString(extra)
	return append(out, pr)
}

func (e *explorer) fieldProbes(op opSpec, target string, valid map[string]any, f fieldSpec) []probe {
	var out []probe
	with := func(class, input string, v any, want expect) probe {
		b := clone(valid)
		b[f.Name] = v
		pr := probe{op: op, class: class, input: f.Name + " " + input, agency: config.Primary, want: want,
			req: deliberate(jsonRequest(op.Method, target, b))}
		pr.ext, pr.hasExt = extString(b)
		return pr
	}
	for _, v := range wrongTypes(schemaType(f.Schema)) {
		want := want4xx
		if v == nil && !f.Required {
			want = want2xxOr4xx // null is "absent" to many servers
		}
		raw, _ := json.Marshal(v)
		out = append(out, with("wrong-type", "= "+string(raw), v, want))
	}
	if f.Required {
		b := clone(valid)
		delete(b, f.Name)
		out = append(out, probe{op: op, class: "missing-field", input: f.Name + " missing", agency: config.Primary,
			want: want4xx, req: deliberate(jsonRequest(op.Method, target, b))})
	}
	if schemaType(f.Schema) != "string" {
		return out
	}
	if f.Schema.Format == "uri" {
		for _, v := range []string{"not a url", "ftp://example.com/a.jpg", "http://"} {
			out = append(out, with("format", fmt.Sprintf("= %q", v), v, want4xx))
		}
		return out
	}
	if f.Schema.MinLength > 0 {
		out = append(out, with("length", `= "" (empty)`, "", want4xx))
	}
	if _, isUpload := e.bodyField(op, "url"); isUpload {
		return out // odd external IDs are round-tripped through link, which makes no file
	}
	max := maxLen(f.Schema)
	for _, v := range stringValues(e.prefix+"-rt", max) {
		want := want2xxOr4xx
		if refused(v, max) {
			want = want4xx
		}
		out = append(out, with(v.class, v.label, v.value, want))
	}
	return out
}

// validBody is a body the operation takes: the source image for url, a
// fresh external ID for externalId.
func (e *explorer) validBody(op opSpec) map[string]any {
	b := map[string]any{}
	for _, f := range op.Body {
		switch f.Name {
		case "url":
			b[f.Name] = e.source
		case "externalId":
			if f.Required {
				b[f.Name] = e.mgr.NextExternalID()
			}
		default:
			if f.Required {
				b[f.Name] = "x"
			}
		}
	}
	return b
}

// wrongTypes are JSON values of every type but the schema's.
func wrongTypes(typ string) []any {
	all := map[string]any{"string": "1", "integer": 1, "number": 1.5, "boolean": true, "array": []any{"x"}, "object": map[string]any{"x": 1}}
	var out []any
	for _, t := range []string{"integer", "boolean", "array", "object", "string"} {
		if t != typ && !(typ == "number" && t == "integer") {
			out = append(out, all[t])
		}
	}
	return append(out, nil)
}

func extString(b map[string]any) (string, bool) {
	s, isStr := b["externalId"].(string)
	return s, isStr
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func deliberate(r client.Request) client.Request {
	r.Deliberate = true
	return r
}
