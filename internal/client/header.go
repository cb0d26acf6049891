package client

import "net/http"

// withExtra adds Options.Header to the headers of one request: over the
// defaults (Accept, User-Agent), under what the request sets itself, so a
// scenario that sends a header on purpose still sends its own.
func (c *Client) withExtra(h http.Header, r Request) http.Header {
	for name, vs := range c.opts.Header {
		name = http.CanonicalHeaderKey(name)
		if requestSets(r, name) {
			continue
		}
		h[name] = append([]string(nil), vs...)
	}
	return h
}

func requestSets(r Request, name string) bool {
	for k := range r.Header {
		if http.CanonicalHeaderKey(k) == name {
			return true
		}
	}
	return false
}
