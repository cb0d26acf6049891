package contract

import (
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemaFrom loads one schema, written in YAML, through a minimal document so
// that $refs among the extra schemas resolve.
func schemaFrom(t *testing.T, schemas string) *openapi3.SchemaRef {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n" + schemas))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas["S"]
}

func TestBodyDrift(t *testing.T) {
	t.Parallel()
	const pets = `
    Cat: {type: object, required: [meows], properties: {name: {type: string}, meows: {type: boolean}}}
    Dog: {type: object, required: [barks], properties: {name: {type: string}, barks: {type: boolean}}}
`
	tests := []struct {
		name, schemas, body string
		want                []string
	}{
		{"declared only", "    S: {type: object, properties: {a: {type: integer}}}\n", `{"a": 1}`, nil},
		{"unknown member", "    S: {type: object, properties: {a: {type: integer}}}\n", `{"a": 1, "b": 2, "c": null}`, []string{"/b", "/c"}},
		{"array items", "    S: {type: object, properties: {list: {type: array, items: {type: object, properties: {x: {type: integer}}}}}}\n",
			`{"list": [{"x": 1}, {"x": 2, "y": 3}]}`, []string{"/list/1/y"}},
		{"oneOf picks the matching variant", "    S: {oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]}\n" + pets,
			`{"name": "rex", "barks": true, "wings": 2}`, []string{"/wings"}},
		{"oneOf matching nothing uses every variant", "    S: {oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]}\n" + pets,
			`{"name": 5, "barks": true, "meows": true, "wings": 2}`, []string{"/wings"}},
		{"allOf unites members", "    S: {allOf: [{type: object, properties: {id: {type: integer}}}, {type: object, properties: {extra: {type: string}}}]}\n",
			`{"id": 1, "extra": "x", "z": 0}`, []string{"/z"}},
		{"additionalProperties true", "    S: {type: object, properties: {a: {type: integer}}, additionalProperties: true}\n", `{"a": 1, "b": 2}`, nil},
		{"additionalProperties schema", "    S: {type: object, additionalProperties: {type: object, properties: {v: {type: integer}}}}\n",
			`{"k": {"v": 1, "w": 2}}`, []string{"/k/w"}},
		{"open schema", "    S: {type: object, properties: {data: {nullable: true}}}\n", `{"data": {"anything": {"goes": 1}}}`, nil},
		{"pointer escaping", "    S: {type: object, properties: {a: {type: integer}}}\n", `{"a/b~c": 1}`, []string{"/a~1b~0c"}},
		{"scalars and null", "    S: {type: object, properties: {a: {type: integer, nullable: true}}}\n", `{"a": null}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			value, err := decodeJSON([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range bodyDrift(schemaFrom(t, tt.schemas).Value, value) {
				got = append(got, pointer(p))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("drift = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSchemaInferred(t *testing.T) {
	t.Parallel()
	s := schemaFrom(t, `
    S:
      type: object
      properties:
        plain: {type: integer}
        whole:
          type: object
          x-inferred: true
          properties: {inner: {type: integer}}
        narrowed: {type: integer, nullable: true, x-inferred: true, x-inferred-keywords: [nullable, required]}
        list:
          type: array
          items: {type: object, properties: {n: {type: string, x-inferred: true}}}
        either:
          oneOf:
            - {type: string}
            - {type: object, properties: {deep: {type: integer, x-inferred: true}}}
`)
	tests := []struct {
		pointer []string
		keyword string
		want    bool
	}{
		{[]string{"plain"}, "type", false},
		{[]string{"whole"}, "type", true},
		{[]string{"whole", "inner"}, "type", true},
		{[]string{"narrowed"}, "type", false},
		{[]string{"narrowed"}, "required", true},
		{[]string{"narrowed"}, "nullable", true},
		{[]string{"list", "3", "n"}, "type", true},
		{[]string{"list", "3"}, "type", false},
		{[]string{"either", "deep"}, "type", true},
		{[]string{"either"}, "oneOf", false},
		{[]string{"nowhere", "at", "all"}, "type", false},
		{nil, "type", false},
	}
	for _, tt := range tests {
		if got := schemaInferred(s, tt.pointer, tt.keyword); got != tt.want {
			t.Errorf("schemaInferred(%v, %q) = %v, want %v", tt.pointer, tt.keyword, got, tt.want)
		}
	}
}

func TestPointerAndShorten(t *testing.T) {
	t.Parallel()
	if got := pointer([]string{"a", "0", "b/c", "d~e"}); got != "/a/0/b~1c/d~0e" {
		t.Errorf("pointer = %q", got)
	}
	if got := pointer(nil); got != "" {
		t.Errorf("pointer(nil) = %q, want the root \"\"", got)
	}
	if got := shorten("ééé", 3); got != "é…" {
		t.Errorf("shorten cut a rune: %q", got)
	}
}
