package explore

import (
	"math"
	"net/http"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

type openapiDoc = openapi3.T

// contractDoc is what input generation reads of the contract: each
// operation's parameters and body fields with their schemas.
type contractDoc struct {
	ops []opSpec // by path, then method
}

type opSpec struct {
	ID, Method, Path string
	Params           []paramSpec
	Body             []fieldSpec // the properties of a JSON object body
	HasBody          bool
}

type paramSpec struct {
	Name, In string
	Schema   *openapi3.Schema
}

type fieldSpec struct {
	Name     string
	Required bool
	Schema   *openapi3.Schema
}

func newContractDoc(doc *openapi3.T) *contractDoc {
	d := &contractDoc{}
	paths := doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	for _, p := range keys {
		item := paths[p]
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut, http.MethodPatch} {
			if op := item.GetOperation(m); op != nil {
				d.ops = append(d.ops, newOpSpec(m, p, item, op))
			}
		}
	}
	return d
}

func newOpSpec(method, path string, item *openapi3.PathItem, op *openapi3.Operation) opSpec {
	s := opSpec{ID: op.OperationID, Method: method, Path: path}
	for _, ps := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range ps {
			if p.Value == nil || p.Value.Schema == nil || p.Value.Schema.Value == nil {
				continue
			}
			if p.Value.In == openapi3.ParameterInPath || p.Value.In == openapi3.ParameterInQuery {
				s.Params = append(s.Params, paramSpec{Name: p.Value.Name, In: p.Value.In, Schema: p.Value.Schema.Value})
			}
		}
	}
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return s
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return s
	}
	s.HasBody = true
	body := mt.Schema.Value
	required := map[string]bool{}
	for _, r := range body.Required {
		required[r] = true
	}
	for _, name := range sortedKeys(body.Properties) {
		if ref := body.Properties[name]; ref != nil && ref.Value != nil {
			s.Body = append(s.Body, fieldSpec{Name: name, Required: required[name], Schema: ref.Value})
		}
	}
	return s
}

// intRange is the range of integers a schema admits: its minimum and
// maximum, else the range of its format.
func intRange(s *openapi3.Schema) (lo, hi float64) {
	lo, hi = math.MinInt64, math.MaxInt64
	if s.Format == "int32" {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	if s.Min != nil {
		lo = *s.Min
	}
	if s.Max != nil {
		hi = *s.Max
	}
	return lo, hi
}

// maxLen is a string schema's maxLength, 0 if it has none.
func maxLen(s *openapi3.Schema) int {
	if s.MaxLength == nil {
		return 0
	}
	return int(*s.MaxLength)
}

func schemaType(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) == 0 {
		return ""
	}
	return (*s.Type)[0]
}
