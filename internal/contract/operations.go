package contract

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// OperationInfo describes one operation of the contract, for coverage
// matrices: which statuses it documents and which of those are our reading.
type OperationInfo struct {
	ID     string
	Method string
	Path   string // the template relative to the API root, e.g. "/media/{id}"
	// Statuses are the explicit status codes of the operation, ascending.
	// Ranges such as 4XX are not listed.
	Statuses []int
	// Inferred marks the statuses whose choice is our reading (their
	// response carries x-inferred-status).
	Inferred map[int]bool
}

// operation is what the validator keeps about one operation of the contract.
type operation struct {
	id           string
	method, path string
	op           *openapi3.Operation
	// view is op with the response headers left out: ValidateResponse stops at
	// the first header problem, so headers are checked separately (all of
	// them) and ValidateResponse only sees the body.
	view *openapi3.Operation
	// declared and shaped serve the verdict cache (see headerKeys).
	declared, shaped map[string]bool
}

func indexOperations(doc *openapi3.T) map[*openapi3.Operation]*operation {
	ops := make(map[*openapi3.Operation]*operation)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := &operation{id: op.OperationID, method: method, path: path, op: op, view: headerless(op)}
			o.declared, o.shaped = headerKeys(op)
			ops[op] = o
		}
	}
	return ops
}

func headerless(op *openapi3.Operation) *openapi3.Operation {
	view := *op
	view.Responses = openapi3.NewResponses()
	for code, ref := range op.Responses.Map() {
		if ref == nil || ref.Value == nil {
			view.Responses.Set(code, ref)
			continue
		}
		resp := *ref.Value
		resp.Headers = nil
		view.Responses.Set(code, &openapi3.ResponseRef{Ref: ref.Ref, Value: &resp})
	}
	return &view
}

// Operations lists every operation of the contract, ordered by path and method.
func (v *Validator) Operations() []OperationInfo {
	out := make([]OperationInfo, 0, len(v.ops))
	for _, o := range v.ops {
		out = append(out, o.info())
	}
	slices.SortFunc(out, func(a, b OperationInfo) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(methodRank(a.Method), methodRank(b.Method)))
	})
	return out
}

func (o *operation) info() OperationInfo {
	info := OperationInfo{ID: o.id, Method: o.method, Path: o.path, Inferred: map[int]bool{}}
	for code, ref := range o.op.Responses.Map() {
		status, err := strconv.Atoi(code)
		if err != nil {
			continue // "default" or a range such as "4XX"
		}
		info.Statuses = append(info.Statuses, status)
		if ref.Value != nil && statusMarked(ref.Value) {
			info.Inferred[status] = true
		}
	}
	slices.Sort(info.Statuses)
	return info
}

func methodRank(m string) int {
	order := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	if i := slices.Index(order, m); i >= 0 {
		return i
	}
	return len(order)
}
