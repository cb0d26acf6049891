package contract

import (
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// bodyDrift walks a decoded body with its schema and returns the pointers of
// the object members the schema does not declare. Unknown properties are not
// a violation (the contract does not use additionalProperties: false): they
// are drift, reported so a strict run can fail on them.
func bodyDrift(s *openapi3.Schema, value any) [][]string {
	var out [][]string
	walkDrift(s, value, nil, &out)
	return out
}

func walkDrift(s *openapi3.Schema, value any, path []string, out *[][]string) {
	if s == nil {
		return
	}
	nodes := applicable(nil, s, value)
	switch v := value.(type) {
	case map[string]any:
		for _, key := range sortedKeys(v) {
			subs, known := members(nodes, key)
			child := append(slices.Clip(path), key)
			if !known {
				*out = appendUnique(*out, child)
				continue
			}
			for _, sub := range subs {
				walkDrift(sub, v[key], child, out)
			}
		}
	case []any:
		for i, item := range v {
			child := append(slices.Clip(path), strconv.Itoa(i))
			for _, n := range nodes {
				if n.Items != nil {
					walkDrift(n.Items.Value, item, child, out)
				}
			}
		}
	}
}

// applicable appends s and the variants that apply to value: every allOf
// member, and the oneOf/anyOf members value matches (all of them when it
// matches none, so a broken value still gets its members checked).
func applicable(out []*openapi3.Schema, s *openapi3.Schema, value any) []*openapi3.Schema {
	if s == nil || slices.Contains(out, s) {
		return out
	}
	out = append(out, s)
	for _, ref := range s.AllOf {
		if ref != nil {
			out = applicable(out, ref.Value, value)
		}
	}
	for _, group := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		matched := matching(group, value)
		if len(matched) == 0 {
			matched = group
		}
		for _, ref := range matched {
			if ref != nil {
				out = applicable(out, ref.Value, value)
			}
		}
	}
	return out
}

func matching(group openapi3.SchemaRefs, value any) openapi3.SchemaRefs {
	var out openapi3.SchemaRefs
	for _, ref := range group {
		if ref != nil && ref.Value != nil && ref.Value.VisitJSON(value, openapi3.VisitAsResponse()) == nil {
			out = append(out, ref)
		}
	}
	return out
}

// members returns the schemas of member key, and whether the schemas allow
// the key at all: declared, allowed by additionalProperties, or left open
// by a schema that describes no properties.
func members(nodes []*openapi3.Schema, key string) ([]*openapi3.Schema, bool) {
	var subs []*openapi3.Schema
	known, describes := false, false
	for _, n := range nodes {
		if len(n.Properties) > 0 {
			describes = true
		}
		if p := n.Properties[key]; p != nil {
			subs, known = append(subs, p.Value), true
		}
		ap := n.AdditionalProperties
		if ap.Schema != nil {
			subs, known = append(subs, ap.Schema.Value), true
		} else if ap.Has != nil && *ap.Has {
			known = true
		}
	}
	return subs, known || !describes
}

func appendUnique(out [][]string, p []string) [][]string {
	for _, q := range out {
		if slices.Equal(p, q) {
			return out
		}
	}
	return append(out, p)
}
