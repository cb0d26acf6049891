package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// Problem is one finding of Lint: the rule it breaks, where (a JSON pointer
// into the document) and why.
type Problem struct {
	Rule    string
	Pointer string
	Message string
}

func (p Problem) String() string { return p.Rule + " " + p.Pointer + ": " + p.Message }

// Lint checks a contract for the defects that validation alone lets through.
// The rules are written here against the raw document and kin-openapi's
// loaded one (no maintained Go OpenAPI linter is available offline):
//
//	valid                  kin-openapi's validation of the document
//	nullable-without-type  nullable: true on a schema without a type
//	example                an example that does not validate against its schema
//	unused-component       a component nothing refers to
//	ambiguous-paths        two paths of one method that can match the same URL
//	inferred-response      x-inferred on a whole response (use x-inferred-status)
//	inferred-reason        an inferred mark without x-inferred-reason
func Lint(data []byte) []Problem {
	DefineFormats()
	var raw any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return []Problem{{"valid", "", "not YAML or JSON: " + oneLine(err.Error())}}
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return []Problem{{"valid", "", oneLine(err.Error())}}
	}
	var out []Problem
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		out = append(out, Problem{"valid", "", oneLine(err.Error())})
	}
	out = append(out, rawRules(raw)...)
	out = append(out, unusedComponents(raw)...)
	out = append(out, exampleProblems(raw, doc)...)
	out = append(out, ambiguousPaths(doc)...)
	return out
}

// rawRules walks every object of the document for the rules that need only
// its text: nullable without type, and the inferred marks.
func rawRules(raw any) []Problem {
	var out []Problem
	walk(raw, "", func(ptr string, m map[string]any) {
		if m["nullable"] == true && m["type"] == nil {
			out = append(out, Problem{"nullable-without-type", ptr, "nullable needs a type beside it (OpenAPI 3.0)"})
		}
		if (m["x-inferred"] == true || m["x-inferred-status"] == true) && strings.TrimSpace(fmt.Sprint(m["x-inferred-reason"])) == "<nil>" {
			out = append(out, Problem{"inferred-reason", ptr, "an inferred mark without x-inferred-reason"})
		}
		if m["x-inferred"] == true && isResponse(ptr) {
			out = append(out, Problem{"inferred-response", ptr,
				"x-inferred on a whole response turns its documented rules into readings; mark the status with x-inferred-status and the rules that are readings with x-inferred"})
		}
	})
	return out
}

// isResponse reports whether ptr names a response object.
func isResponse(ptr string) bool {
	segs := strings.Split(ptr, "/")
	n := len(segs)
	if n == 4 && segs[1] == "components" && segs[2] == "responses" {
		return true
	}
	return n == 6 && segs[1] == "paths" && segs[4] == "responses"
}

func walk(v any, ptr string, visit func(string, map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		visit(ptr, x)
		for _, k := range sortedKeys(x) {
			walk(x[k], ptr+"/"+escape(k), visit)
		}
	case []any:
		for i, e := range x {
			walk(e, fmt.Sprintf("%s/%d", ptr, i), visit)
		}
	}
}

func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// unusedComponents lists components no $ref names (security schemes count as
// used when a security requirement names them).
func unusedComponents(raw any) []Problem {
	root, _ := raw.(map[string]any)
	comps, _ := root["components"].(map[string]any)
	used := map[string]bool{}
	walk(raw, "", func(_ string, m map[string]any) {
		if r, ok := m["$ref"].(string); ok {
			used[r] = true
		}
	})
	var reqs []any
	if sec, ok := root["security"].([]any); ok {
		reqs = append(reqs, sec...)
	}
	walk(root["paths"], "", func(_ string, m map[string]any) {
		if sec, ok := m["security"].([]any); ok {
			reqs = append(reqs, sec...)
		}
	})
	for _, r := range reqs {
		if rm, ok := r.(map[string]any); ok {
			for name := range rm {
				used["#/components/securitySchemes/"+escape(name)] = true
			}
		}
	}
	var out []Problem
	for _, kind := range sortedKeys(comps) {
		group, _ := comps[kind].(map[string]any)
		for _, name := range sortedKeys(group) {
			ptr := "#/components/" + kind + "/" + escape(name)
			if !used[ptr] {
				out = append(out, Problem{"unused-component", ptr[1:], "nothing refers to this component"})
			}
		}
	}
	return out
}

// exampleProblems validates every example (example, or examples[*].value)
// against the schema beside it, as kin-openapi validates answers.
func exampleProblems(raw any, doc *openapi3.T) []Problem {
	var out []Problem
	check := func(ptr string, schema *openapi3.Schema, value any) {
		if schema == nil {
			return
		}
		if err := schema.VisitJSON(normalize(value), openapi3.MultiErrors()); err != nil {
			out = append(out, Problem{"example", ptr, "does not validate: " + shorten(oneLine(err.Error()), 200)})
		}
	}
	walk(raw, "", func(ptr string, m map[string]any) {
		schema := schemaAt(doc, ptr, m)
		if schema == nil {
			return
		}
		if ex, ok := m["example"]; ok {
			check(ptr+"/example", schema, ex)
		}
		if exs, ok := m["examples"].(map[string]any); ok {
			for _, name := range sortedKeys(exs) {
				if e, ok := exs[name].(map[string]any); ok {
					if v, ok := e["value"]; ok {
						check(ptr+"/examples/"+escape(name)+"/value", schema, v)
					}
				}
			}
		}
	})
	return out
}

// schemaAt finds the loaded schema that the raw object at ptr describes or
// carries (a schema, a media type, a parameter or a header).
func schemaAt(doc *openapi3.T, ptr string, m map[string]any) *openapi3.Schema {
	if _, ok := m["example"]; !ok {
		if _, ok := m["examples"]; !ok {
			return nil
		}
	}
	node, err := resolvePointer(doc, ptr)
	if err != nil {
		return nil
	}
	switch x := node.(type) {
	case *openapi3.Schema:
		return x
	case *openapi3.SchemaRef:
		return x.Value
	case *openapi3.MediaType:
		return refValue(x.Schema)
	case *openapi3.Parameter:
		return refValue(x.Schema)
	case *openapi3.ParameterRef:
		return refValue(x.Value.Schema)
	case *openapi3.Header:
		return refValue(x.Schema)
	case *openapi3.HeaderRef:
		return refValue(x.Value.Schema)
	}
	return nil
}

func refValue(r *openapi3.SchemaRef) *openapi3.Schema {
	if r == nil {
		return nil
	}
	return r.Value
}

// normalize turns YAML-decoded values into what JSON decoding gives.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// ambiguousPaths finds pairs of paths that share a method and can match the
// same URL. A pair is told apart when, at some segment, one has a literal the
// other's template cannot take (a positive-integer {id} never takes
// "external"); the literal then wins, as OpenAPI 3 matches concrete paths
// before templated ones.
func ambiguousPaths(doc *openapi3.T) []Problem {
	var out []Problem
	paths := doc.Paths.InMatchingOrder()
	slices.Sort(paths)
	for i, a := range paths {
		for _, b := range paths[i+1:] {
			shared := sharedMethods(doc.Paths.Value(a), doc.Paths.Value(b))
			if len(shared) == 0 || !overlap(doc, a, b) {
				continue
			}
			out = append(out, Problem{"ambiguous-paths", "/paths/" + escape(a),
				fmt.Sprintf("%s and %s can match the same URL for %s", a, b, strings.Join(shared, ", "))})
		}
	}
	return out
}

func sharedMethods(a, b *openapi3.PathItem) []string {
	var out []string
	for m := range a.Operations() {
		if b.GetOperation(m) != nil {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

func overlap(doc *openapi3.T, a, b string) bool {
	sa, sb := strings.Split(a, "/"), strings.Split(b, "/")
	if len(sa) != len(sb) {
		return false
	}
	for i := range sa {
		ta, tb := isTemplate(sa[i]), isTemplate(sb[i])
		switch {
		case !ta && !tb && sa[i] != sb[i]:
			return false
		case ta && !tb && !takes(doc, a, sa[i], sb[i]):
			return false
		case tb && !ta && !takes(doc, b, sb[i], sa[i]):
			return false
		}
	}
	return true
}

func isTemplate(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// takes reports whether the path parameter seg of path accepts literal.
func takes(doc *openapi3.T, path, seg, literal string) bool {
	name := strings.Trim(seg, "{}")
	item := doc.Paths.Value(path)
	params := slices.Clone(item.Parameters)
	for _, op := range item.Operations() {
		params = append(params, op.Parameters...)
	}
	for _, p := range params {
		if p == nil || p.Value == nil || p.Value.Name != name || p.Value.In != "path" || p.Value.Schema == nil {
			continue
		}
		s := p.Value.Schema.Value
		if s.Type.Is("integer") || s.Type.Is("number") {
			var n json.Number = json.Number(literal)
			if _, err := n.Float64(); err != nil {
				return false
			}
			return s.VisitJSON(n) == nil
		}
		return s.VisitJSON(literal) == nil
	}
	return true
}

// resolvePointer walks the loaded document along a JSON pointer, through
// kin-openapi's JSONLookup methods and plain maps.
func resolvePointer(doc *openapi3.T, ptr string) (any, error) {
	var node any = doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		next, err := step(node, tok)
		if err != nil {
			return nil, err
		}
		node = next
	}
	return node, nil
}

func step(node any, tok string) (any, error) {
	type lookuper interface{ JSONLookup(string) (any, error) }
	rv := reflect.ValueOf(node)
	if rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String {
		v := rv.MapIndex(reflect.ValueOf(tok).Convert(rv.Type().Key()))
		if !v.IsValid() {
			return nil, fmt.Errorf("no %q", tok)
		}
		return v.Interface(), nil
	}
	switch x := node.(type) {
	case *openapi3.Paths, *openapi3.Responses, *openapi3.Schema, *openapi3.SchemaRef:
		return x.(lookuper).JSONLookup(tok)
	}
	// A struct: the field of that JSON name, else the same inside its Value
	// (a *Ref).
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, fmt.Errorf("nil at %q", tok)
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("cannot step into %T", node)
	}
	for i := 0; i < rv.NumField(); i++ {
		name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("json"), ",")
		if name == tok {
			return rv.Field(i).Interface(), nil
		}
	}
	if v := rv.FieldByName("Value"); v.IsValid() {
		return step(v.Interface(), tok)
	}
	return nil, fmt.Errorf("no %q in %T", tok, node)
}
