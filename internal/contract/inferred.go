package contract

import (
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The contract marks our readings of the docs with these extensions:
//
//	x-inferred: true             the object it sits on (a header, parameter,
//	                             schema or property) is inferred, and so is
//	                             everything inside it;
//	x-inferred-keywords: [a, b]  narrows that to those keywords of that very
//	                             schema (e.g. [nullable]: the type is
//	                             documented, that it may be null is not);
//	x-inferred-status: true      on a response: that the operation answers
//	                             this status is our reading. The header and
//	                             body rules of the response are not covered:
//	                             a documented rule stays documented on every
//	                             response it applies to.
//
// A response never carries x-inferred itself (spec --lint refuses it): the
// mark would turn every documented rule on it into an inferred one.
const (
	extInferred         = "x-inferred"
	extInferredKeywords = "x-inferred-keywords"
	extInferredStatus   = "x-inferred-status"
)

// statusMarked reports whether the choice of a response's status is our
// reading.
func statusMarked(resp *openapi3.Response) bool {
	b, ok := resp.Extensions[extInferredStatus].(bool)
	return ok && b
}

// statusInferred reports whether an answer of status, which op does not
// list, rests on a status choice of ours: every listed response of the same
// class (2xx, 4xx, ...) is marked x-inferred-status, so the docs name no
// status of that class (an upload answered 202: the docs give no code).
func statusInferred(op *openapi3.Operation, status int) bool {
	class := strconv.Itoa(status / 100)
	seen := false
	for code, ref := range op.Responses.Map() {
		if !strings.HasPrefix(code, class) || ref == nil || ref.Value == nil {
			continue
		}
		if !statusMarked(ref.Value) {
			return false
		}
		seen = true
	}
	return seen
}

func markedInferred(ext map[string]any) bool {
	b, ok := ext[extInferred].(bool)
	return ok && b
}

// keywords returns the keywords an x-inferred mark is narrowed to (nil: all).
func keywords(ext map[string]any) []string {
	list, _ := ext[extInferredKeywords].([]any)
	out := make([]string, 0, len(list))
	for _, k := range list {
		if s, ok := k.(string); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// wholly reports whether s is marked inferred without narrowing, so that the
// mark covers everything below it.
func wholly(s *openapi3.Schema) bool {
	return markedInferred(s.Extensions) && keywords(s.Extensions) == nil
}

// covers reports whether the mark on s covers a failure of keyword.
func covers(s *openapi3.Schema, keyword string) bool {
	if !markedInferred(s.Extensions) {
		return false
	}
	kw := keywords(s.Extensions)
	return kw == nil || slices.Contains(kw, keyword)
}

// schemaInferred reports whether a failure of keyword at pointer (a path of
// JSON keys and indices below root) rests on an inferred part of the schema:
// the schema at pointer is marked for that keyword, or an ancestor is wholly
// marked. Where variants (oneOf, anyOf, allOf) leave it open which schema
// applies, any of them counts.
func schemaInferred(root *openapi3.SchemaRef, pointer []string, keyword string) bool {
	if root == nil || root.Value == nil {
		return false
	}
	nodes := expand(nil, root.Value)
	for _, seg := range pointer {
		var next []*openapi3.Schema
		for _, n := range nodes {
			if wholly(n) {
				return true
			}
			next = appendChildren(next, n, seg)
		}
		if len(next) == 0 {
			return false
		}
		nodes = next
	}
	return slices.ContainsFunc(nodes, func(n *openapi3.Schema) bool { return covers(n, keyword) })
}

// expand appends s and the schemas its variants bring in.
func expand(out []*openapi3.Schema, s *openapi3.Schema) []*openapi3.Schema {
	if s == nil || slices.Contains(out, s) {
		return out
	}
	out = append(out, s)
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, ref := range group {
			if ref != nil {
				out = expand(out, ref.Value)
			}
		}
	}
	return out
}

// appendChildren appends the schemas that describe member seg of a value
// described by n.
func appendChildren(out []*openapi3.Schema, n *openapi3.Schema, seg string) []*openapi3.Schema {
	if p := n.Properties[seg]; p != nil {
		return expand(out, p.Value)
	}
	if _, err := strconv.Atoi(seg); err == nil && n.Items != nil {
		return expand(out, n.Items.Value)
	}
	if ap := n.AdditionalProperties.Schema; ap != nil {
		return expand(out, ap.Value)
	}
	return out
}
