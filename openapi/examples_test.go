package openapi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// example is one example found in the document, with the schema it must match.
type example struct {
	where    string
	schema   *openapi3.SchemaRef
	value    any
	response bool // validated as a response (readOnly allowed), else as a request
}

// examples collects every example of the document: on schemas (at any depth),
// parameters, headers and media types, in components and in paths. Adding an
// example anywhere gets it tested without touching this file.
func examples(doc *openapi3.T) []example {
	w := &walker{seen: map[*openapi3.Schema]bool{}}
	if c := doc.Components; c != nil {
		for name, ref := range c.Schemas {
			w.schema("#/components/schemas/"+name, ref, true)
		}
		for name, ref := range c.Parameters {
			w.parameter("#/components/parameters/"+name, ref.Value)
		}
		for name, ref := range c.Headers {
			w.parameter("#/components/headers/"+name, &ref.Value.Parameter)
		}
		for name, ref := range c.RequestBodies {
			w.content("#/components/requestBodies/"+name, ref.Value.Content, false)
		}
		for name, ref := range c.Responses {
			w.response("#/components/responses/"+name, ref.Value)
		}
	}
	for path, item := range doc.Paths.Map() {
		for _, p := range item.Parameters {
			w.parameter(path+" parameter "+p.Value.Name, p.Value)
		}
		for method, op := range item.Operations() {
			where := method + " " + path
			for _, p := range op.Parameters {
				w.parameter(where+" parameter "+p.Value.Name, p.Value)
			}
			if op.RequestBody != nil {
				w.content(where+" requestBody", op.RequestBody.Value.Content, false)
			}
			for code, ref := range op.Responses.Map() {
				w.response(where+" "+code, ref.Value)
			}
		}
	}
	return w.found
}

type walker struct {
	found []example
	seen  map[*openapi3.Schema]bool
}

func (w *walker) add(where string, schema *openapi3.SchemaRef, value any, response bool) {
	w.found = append(w.found, example{where: where, schema: schema, value: value, response: response})
}

func (w *walker) schema(where string, ref *openapi3.SchemaRef, response bool) {
	if ref == nil || ref.Value == nil || w.seen[ref.Value] {
		return
	}
	s := ref.Value
	w.seen[s] = true
	if s.Example != nil {
		w.add(where+" example", ref, s.Example, response)
	}
	for name, p := range s.Properties {
		w.schema(where+"/properties/"+name, p, response)
	}
	if s.Items != nil {
		w.schema(where+"/items", s.Items, response)
	}
	for kw, group := range map[string]openapi3.SchemaRefs{"allOf": s.AllOf, "oneOf": s.OneOf, "anyOf": s.AnyOf} {
		for i, sub := range group {
			w.schema(fmt.Sprintf("%s/%s/%d", where, kw, i), sub, response)
		}
	}
	if s.Not != nil {
		w.schema(where+"/not", s.Not, response)
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		w.schema(where+"/additionalProperties", ap, response)
	}
}

func (w *walker) parameter(where string, p *openapi3.Parameter) {
	if p == nil {
		return
	}
	if p.Schema != nil {
		if p.Example != nil {
			w.add(where+" example", p.Schema, p.Example, false)
		}
		for name, ex := range p.Examples {
			w.add(where+" examples/"+name, p.Schema, ex.Value.Value, false)
		}
		w.schema(where+" schema", p.Schema, false)
	}
	w.content(where, p.Content, false)
}

func (w *walker) response(where string, r *openapi3.Response) {
	if r == nil {
		return
	}
	for name, h := range r.Headers {
		w.parameter(where+" header "+name, &h.Value.Parameter)
	}
	w.content(where, r.Content, true)
}

func (w *walker) content(where string, content openapi3.Content, response bool) {
	for mime, mt := range content {
		if mt == nil || mt.Schema == nil {
			continue
		}
		at := where + " " + mime
		if mt.Example != nil {
			w.add(at+" example", mt.Schema, mt.Example, response)
		}
		for name, ex := range mt.Examples {
			w.add(at+" examples/"+name, mt.Schema, ex.Value.Value, response)
		}
		w.schema(at+" schema", mt.Schema, response)
	}
}

func checkExample(ex example) error {
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors()}
	if ex.response {
		opts = append(opts, openapi3.VisitAsResponse())
	} else {
		opts = append(opts, openapi3.VisitAsRequest())
	}
	return ex.schema.Value.VisitJSON(ex.value, opts...)
}

func TestExamples_matchTheirSchemas(t *testing.T) {
	t.Parallel()
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	found := examples(doc)
	// The docs' bodies are all in there: media, delete, link, unlink, upload,
	// job, agency and the error bodies; a collapse of the walk shows here.
	if len(found) < 40 {
		t.Fatalf("found %d examples, want at least 40: the walk missed some", len(found))
	}
	for _, ex := range found {
		if err := checkExample(ex); err != nil {
			t.Errorf("%s does not match its schema: %s", ex.where, oneLine(err.Error()))
		}
	}
}

// The walk must notice a broken example, or the test above proves nothing.
// kin-openapi's own Validate would refuse the document, so it is loaded
// without validation here.
func TestExamples_brokenExampleIsFound(t *testing.T) {
	t.Parallel()
	broken := strings.Replace(string(Spec), "size: 4074\n", "size: four\n", 1)
	if broken == string(Spec) {
		t.Fatal("the mutation did not apply; update the test")
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(broken))
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, ex := range examples(doc) {
		if checkExample(ex) != nil {
			failed = append(failed, ex.where)
		}
	}
	if len(failed) == 0 {
		t.Fatal("a variant example with size: four passed")
	}
	if _, err := Parse([]byte(broken)); err == nil {
		t.Error("Parse accepted a document with a broken example")
	}
}
