package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// checkRequest validates the request of an exchange: security, parameters
// and body.
func (v *Validator) checkRequest(req *http.Request, route *routers.Route, params map[string]string) []Finding {
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: v.opts}
	err := openapi3filter.ValidateRequest(context.Background(), input)
	if err == nil {
		return nil
	}
	var out []Finding
	errs, ok := err.(openapi3.MultiError)
	if !ok {
		errs = openapi3.MultiError{err}
	}
	for _, e := range errs {
		out = append(out, v.requestFindings(req, e)...)
	}
	return merge(out)
}

func (v *Validator) requestFindings(req *http.Request, err error) []Finding {
	var re *openapi3filter.RequestError
	var se *openapi3filter.SecurityRequirementsError
	switch {
	case errors.As(err, &se):
		return []Finding{violation(RuleRequestHeader, v.keyHeaders[0],
			"no API key: send one of "+strings.Join(v.keyHeaders, ", "), false)}
	case errors.As(err, &re) && re.Parameter != nil:
		return parameterFindings(re)
	case errors.As(err, &re) && re.RequestBody != nil:
		return bodyFindings(req, re)
	}
	return []Finding{violation(RuleRequestBody, "", shorten(oneLine(err.Error()), 200), false)}
}

func parameterFindings(re *openapi3filter.RequestError) []Finding {
	p := re.Parameter
	rule := RuleRequestParameter
	if p.In == openapi3.ParameterInHeader {
		rule = RuleRequestHeader
	}
	marked := markedInferred(p.Extensions)
	if msg, ok := plainError(re.Err); ok {
		return []Finding{violation(rule, p.Name, msg, marked)}
	}
	var out []Finding
	for _, pr := range schemaProblems(nil, re.Err) {
		inferred := marked || schemaInferred(p.Schema, pr.pointer, pr.keyword)
		out = append(out, violation(rule, p.Name+pointer(pr.pointer), pr.message, inferred))
	}
	return out
}

func bodyFindings(req *http.Request, re *openapi3filter.RequestError) []Finding {
	ct := req.Header.Get("Content-Type")
	if re.Err == nil {
		// The one body error without a cause: no declared media type matched.
		return []Finding{violation(RuleRequestHeader, "Content-Type", contentTypeMessage(ct, re.RequestBody.Content), false)}
	}
	var pe *openapi3filter.ParseError
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return []Finding{violation(RuleRequestBody, "", "the body is required but empty", false)}
	case errors.As(re.Err, &pe):
		cause := pe.RootCause()
		if cause == nil {
			cause = pe
		}
		return []Finding{violation(RuleRequestBody, "", "not JSON: "+shorten(oneLine(cause.Error()), 160), false)}
	}
	var schema *openapi3.SchemaRef
	if mt := re.RequestBody.Content.Get(ct); mt != nil {
		schema = mt.Schema
	}
	var out []Finding
	for _, pr := range schemaProblems(nil, re.Err) {
		out = append(out, violation(RuleRequestBody, pointer(pr.pointer), pr.message, schemaInferred(schema, pr.pointer, pr.keyword)))
	}
	return out
}

// plainError turns the errors that are not schema failures (a value that
// cannot be parsed, a missing value) into a message.
func plainError(err error) (string, bool) {
	var pe *openapi3filter.ParseError
	switch {
	case errors.Is(err, openapi3filter.ErrInvalidRequired):
		return "required but missing", true
	case errors.Is(err, openapi3filter.ErrInvalidEmptyValue):
		return "empty value", true
	case errors.As(err, &pe):
		if pe.Value != nil && pe.Reason != "" {
			return fmt.Sprintf("%s (got %q)", pe.Reason, shorten(fmt.Sprint(pe.Value), 60)), true
		}
		return "cannot be parsed: " + shorten(oneLine(pe.Error()), 160), true
	}
	return "", false
}

func contentTypeMessage(got string, content openapi3.Content) string {
	want := make([]string, 0, len(content))
	for mt := range content {
		want = append(want, mt)
	}
	slices.Sort(want)
	if got == "" {
		return "no Content-Type, want " + strings.Join(want, " or ")
	}
	return fmt.Sprintf("got %q, want %s", got, strings.Join(want, " or "))
}

// keyHeaders names the headers of the contract's apiKey schemes, sorted.
func keyHeaders(doc *openapi3.T) []string {
	var names []string
	if doc.Components != nil {
		for _, ref := range doc.Components.SecuritySchemes {
			if s := ref.Value; s != nil && s.Type == "apiKey" && s.In == "header" {
				names = append(names, s.Name)
			}
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return []string{"Authorization"}
	}
	return names
}

// keyPresent is the AuthenticationFunc: an apiKey scheme is met when its
// header is present. That exactly one is sent, and the "ApiKey " prefix, are
// checked by the features, not by the contract.
func keyPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if s == nil || s.Type != "apiKey" || s.In != "header" {
		return nil
	}
	if in.RequestValidationInput.Request.Header.Get(s.Name) == "" {
		return fmt.Errorf("no %s header", s.Name)
	}
	return nil
}

func violation(rule Rule, ptr, msg string, inferred bool) Finding {
	return Finding{Kind: Violation, Rule: rule, Pointer: ptr, Message: msg, Inferred: inferred}
}
