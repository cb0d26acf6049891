package contract

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// checkResponse validates the response of an exchange, in the order a reader
// looks at it: status, headers, content type, body; then drift.
func (v *Validator) checkResponse(req *http.Request, route *routers.Route, op *operation, ex Exchange) []Finding {
	ref := op.op.Responses.Status(ex.Status)
	if ref == nil {
		ref = op.op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return []Finding{violation(RuleResponseStatus, "",
			fmt.Sprintf("status %d is not in the contract (documented: %s)", ex.Status, documented(op)),
			statusInferred(op.op, ex.Status))}
	}
	// An x-inferred-status mark on the response makes only the choice of its
	// status our reading: the header and body rules on it stay documented
	// unless they are marked themselves.
	resp := ref.Value
	out := headerFindings(resp, ex.ResponseHeader)
	if len(resp.Content) == 0 {
		return out
	}
	ct := ex.ResponseHeader.Get("Content-Type")
	mt := resp.Content.Get(ct)
	if mt == nil {
		return append(out, violation(RuleResponseContentType, "Content-Type", contentTypeMessage(ct, resp.Content), false))
	}
	if mt.Schema == nil || mt.Schema.Value == nil {
		return out
	}
	marked := markedInferred(mt.Extensions)
	out = append(out, v.bodyFindings(req, route, op, ex, mt.Schema, marked)...)
	return merge(out)
}

// bodyFindings validates the body with ValidateResponse (on the operation's
// header-less view) and then looks for properties the schema does not declare.
func (v *Validator) bodyFindings(req *http.Request, route *routers.Route, op *operation, ex Exchange,
	schema *openapi3.SchemaRef, marked bool) []Finding {
	if len(bytes.TrimSpace(ex.ResponseBody)) == 0 {
		return []Finding{violation(RuleResponseBody, "", "empty body, want a JSON document", marked)}
	}
	value, err := decodeJSON(ex.ResponseBody)
	if err != nil {
		return []Finding{violation(RuleResponseBody, "", "not JSON: "+shorten(err.Error(), 160), marked)}
	}
	viewRoute := *route
	viewRoute.Operation = op.view
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: &viewRoute, Options: v.opts},
		Status:                 ex.Status,
		Header:                 ex.ResponseHeader,
		Body:                   io.NopCloser(bytes.NewReader(ex.ResponseBody)),
		Options:                v.opts,
	}
	var out []Finding
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		out = responseErrorFindings(err, schema, marked)
	}
	for _, d := range bodyDrift(schema.Value, value) {
		out = append(out, Finding{Kind: Drift, Rule: RuleResponseBody, Pointer: pointer(d),
			Message: "property not in the contract", Inferred: marked || schemaInferred(schema, d, "")})
	}
	return out
}

func responseErrorFindings(err error, schema *openapi3.SchemaRef, marked bool) []Finding {
	var re *openapi3filter.ResponseError
	if !errors.As(err, &re) || re.Err == nil {
		return []Finding{violation(RuleResponseBody, "", shorten(oneLine(err.Error()), 200), marked)}
	}
	var out []Finding
	for _, pr := range schemaProblems(nil, re.Err) {
		inferred := marked || schemaInferred(schema, pr.pointer, pr.keyword)
		out = append(out, violation(RuleResponseBody, pointer(pr.pointer), pr.message, inferred))
	}
	return out
}

// decodeJSON decodes like kin-openapi does (numbers as json.Number), so the
// drift walk sees the same values the validation saw.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}

func documented(op *operation) string {
	codes := op.op.Responses.Keys()
	// Numeric codes ascending, then ranges ("4XX") and "default".
	rank := func(code string) int {
		if n, err := strconv.Atoi(code); err == nil {
			return n
		}
		return 1000
	}
	slices.SortFunc(codes, func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
	})
	return strings.Join(codes, ", ")
}

// merge folds findings of the same kind, rule and pointer into one (several
// keywords failing on one value read better as one line). The merged finding
// is inferred only when all its parts are.
func merge(fs []Finding) []Finding {
	if len(fs) < 2 {
		return fs
	}
	out := fs[:0:0]
	index := map[[3]string]int{}
	for _, f := range fs {
		k := [3]string{string(f.Kind), string(f.Rule), f.Pointer}
		if i, ok := index[k]; ok {
			if !strings.Contains(out[i].Message, f.Message) {
				out[i].Message += "; " + f.Message
			}
			out[i].Inferred = out[i].Inferred && f.Inferred
			continue
		}
		index[k] = len(out)
		out = append(out, f)
	}
	return out
}
