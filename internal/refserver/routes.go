package refserver

import (
	"fmt"
	"net/http"
)

const apiRoot = "/api/v1"

// routes builds the router. Every API route passes the rate limit first and,
// except the fallback, authentication, then the modeled backend if any.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	api := func(method, path string, h apiHandler) {
		mux.Handle(method+" "+apiRoot+path, s.authed(s.backend.serve(h)))
	}
	api("POST", "/media/upload-from-url", s.uploadFromURL)
	api("GET", "/job/status", s.jobStatus)
	api("GET", "/agency", s.getAgency)
	api("GET", "/media/{id}", s.getMedia)
	api("DELETE", "/media/{id}", s.deleteMedia)
	api("GET", "/media/external/{externalId}", s.getMediaByExternalID)
	api("DELETE", "/media/external/{externalId}", s.deleteMediaByExternalID)
	api("POST", "/media/{id}/link", s.linkExternalID)
	// "DELETE /media/{id}/link" and "DELETE /media/external/{externalId}" both
	// match /media/external/link, which ServeMux refuses; the wildcard form
	// gives the external-ID route precedence and checks the last segment itself.
	mux.Handle("DELETE "+apiRoot+"/media/{id}/{action}", s.onlyAction("link", s.authed(s.backend.serve(s.unlinkExternalID))))
	mux.HandleFunc("GET /storage/{mediaId}/{file}", s.serveStorage)
	mux.HandleFunc("/storage/", storageNotFound)
	mux.Handle("/", s.limited(routeNotFound))
	return mux
}

// onlyAction serves h when the {action} segment is action, else the fallback.
func (s *Server) onlyAction(action string, h http.Handler) http.Handler {
	fallback := s.limited(routeNotFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("action") != action {
			fallback.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// routeNotFound answers requests no route matches, a wrong method included,
// as NestJS does.
func routeNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, fmt.Sprintf(msgRouteNotFound, r.Method, r.URL.Path))
}
