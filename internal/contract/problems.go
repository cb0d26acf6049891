package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// problem is one leaf of a validation error: where, which keyword, and a short
// message. The long Error() texts of kin-openapi embed whole schemas; these
// are built from the typed fields instead.
type problem struct {
	pointer []string
	keyword string
	message string
}

// schemaProblems flattens the errors of a schema validation into problems.
func schemaProblems(out []problem, err error) []problem {
	if err == nil {
		return out
	}
	if me, ok := err.(openapi3.MultiError); ok {
		for _, e := range me {
			out = schemaProblems(out, e)
		}
		return out
	}
	if se, ok := err.(*openapi3.SchemaError); ok {
		return schemaErrorProblems(out, se)
	}
	// A wrapper: prefer the collection inside it, then a single leaf.
	var me openapi3.MultiError
	if errors.As(err, &me) {
		return schemaProblems(out, me)
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return schemaErrorProblems(out, se)
	}
	return append(out, problem{message: shorten(oneLine(err.Error()), 200)})
}

func schemaErrorProblems(out []problem, se *openapi3.SchemaError) []problem {
	if se.SchemaField == "allOf" {
		// Each member reports its own failures with full pointers.
		var nested openapi3.MultiError
		if errors.As(se.Origin, &nested) {
			return schemaProblems(out, nested)
		}
	}
	p := problem{pointer: se.JSONPointer(), keyword: se.SchemaField, message: reason(se)}
	if se.SchemaField == "enum" {
		// kin-openapi checks enum before type: say "must be a string" when the
		// value has the wrong type, not "not one of [...]".
		if want, ok := typeMismatch(se.Schema, se.Value); ok {
			p.keyword, p.message = "type", "value must be "+want
		}
	}
	if se.SchemaField == "oneOf" || se.SchemaField == "anyOf" {
		p.message += variantReasons(se)
	}
	if got := gotValue(se); got != "" {
		p.message += " (got " + got + ")"
	}
	return append(out, p)
}

func reason(se *openapi3.SchemaError) string {
	if se.Reason != "" {
		return se.Reason
	}
	return fmt.Sprintf("does not match %q", se.SchemaField)
}

// variantReasons summarises why each variant of a oneOf/anyOf failed, with
// the place below the value when it is deeper ("/0: value must be a string").
func variantReasons(parent *openapi3.SchemaError) string {
	var nested openapi3.MultiError
	if parent.Origin == nil || !errors.As(parent.Origin, &nested) {
		return ""
	}
	depth := len(parent.JSONPointer())
	var reasons []string
	for _, e := range nested {
		var se *openapi3.SchemaError
		if !errors.As(e, &se) {
			continue
		}
		r := reason(se)
		if rel := se.JSONPointer(); len(rel) > depth {
			r = pointer(rel[depth:]) + ": " + r
		}
		if !slices.Contains(reasons, r) {
			reasons = append(reasons, r)
		}
	}
	if len(reasons) == 0 {
		return ""
	}
	return ": " + shorten(strings.Join(reasons, " | "), 160)
}

// gotValue renders a scalar value as evidence; objects and arrays are named
// by kind only, and "required" errors carry the parent, so nothing.
func gotValue(se *openapi3.SchemaError) string {
	if se.SchemaField == "required" || se.SchemaField == "discriminator" {
		return ""
	}
	switch se.Value.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	b, err := json.Marshal(se.Value)
	if err != nil {
		return ""
	}
	return shorten(string(b), 60)
}

// typeMismatch reports the type a schema wants when value is of another type.
func typeMismatch(s *openapi3.Schema, value any) (string, bool) {
	if s == nil || s.Type == nil || len(*s.Type) == 0 {
		return "", false
	}
	got := jsonType(value)
	for _, t := range *s.Type {
		if t == got || (t == "number" && got == "integer") {
			return "", false
		}
	}
	if got == "null" && s.Nullable {
		return "", false
	}
	want := (*s.Type)[0]
	return article(want) + " " + want, true
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	}
	return "unknown"
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// pointer renders JSON pointer segments as "/a/0/b" (RFC 6901 escaping).
func pointer(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		s = strings.ReplaceAll(s, "~", "~0")
		b.WriteString(strings.ReplaceAll(s, "/", "~1"))
	}
	return b.String()
}

// shorten cuts s to about n bytes, on a rune boundary.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
