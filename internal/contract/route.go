package contract

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// router finds the operation of a request, literal path segments first.
//
// gorillamux alone tries paths in its own order (fewest variables, then
// reverse-lexicographic), which puts /media/{id}/link before
// /media/external/{externalId}: DELETE /media/external/link would be read as
// unlinking the file "external". One gorillamux router per path, tried in
// order of specificity, keeps the library's matching and fixes the order.
type router struct {
	paths []routers.Router
}

func newRouter(doc *openapi3.T) (*router, error) {
	templates := doc.Paths.InMatchingOrder()
	slices.SortStableFunc(templates, bySpecificity)
	r := &router{}
	for _, tpl := range templates {
		one := *doc
		one.Paths = openapi3.NewPaths(openapi3.WithPath(tpl, doc.Paths.Value(tpl)))
		pr, err := gorillamux.NewRouter(&one)
		if err != nil {
			return nil, fmt.Errorf("contract: router for %s: %w", tpl, err)
		}
		r.paths = append(r.paths, pr)
	}
	return r, nil
}

// FindRoute returns the first path that matches and has the method; when a
// path matched without the method it says so rather than "not found".
func (r *router) FindRoute(req *http.Request) (*routers.Route, map[string]string, error) {
	notFound := routers.ErrPathNotFound
	for _, pr := range r.paths {
		route, params, err := pr.FindRoute(req)
		if err == nil {
			return route, params, nil
		}
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			notFound = err
		}
	}
	return nil, nil, notFound
}

// bySpecificity orders path templates so that at the first segment where one
// has a literal and the other a variable, the literal comes first.
func bySpecificity(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		av, bv := isVariable(as[i]), isVariable(bs[i])
		if av != bv {
			if av {
				return 1
			}
			return -1
		}
	}
	return cmp.Compare(a, b)
}

func isVariable(segment string) bool {
	return strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}")
}
