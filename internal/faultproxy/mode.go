package faultproxy

import (
	"errors"
	"fmt"
	"strings"
)

// Mode names the fault a proxy injects. The zero value passes every request through.
type Mode string

// The faults. Upstream sees the request in pass-through, latency, reset and truncate modes; the others answer
// (or refuse to answer) without contacting it.
const (
	// ModeNone forwards every request untouched.
	ModeNone Mode = ""
	// ModeLatency waits Config.Latency before forwarding.
	ModeLatency Mode = "latency"
	// ModeReset forwards, then drops the client connection mid-response with a TCP reset.
	ModeReset Mode = "reset"
	// ModeTruncate forwards and announces the full Content-Length, but sends only half the body. A response with
	// nothing to cut (HEAD, 204, 304, under two bytes) gets the connection dropped before any answer instead.
	ModeTruncate Mode = "truncate"
	// ModeNonJSON answers 200 with an HTML body labelled application/json.
	ModeNonJSON Mode = "non-json"
	// ModeHuge answers 200 with a JSON-looking body padded to Config.HugeBytes, streamed.
	ModeHuge Mode = "huge"
	// ModeHang reads the request and never answers, until the client gives up or the proxy closes.
	ModeHang Mode = "hang"
	// ModeBurst5xx answers 503 in the API's error format, with rate-limit headers.
	ModeBurst5xx Mode = "burst-5xx"
)

// ErrUnknownMode is wrapped by ParseMode for a name that is not a mode.
var ErrUnknownMode = errors.New("faultproxy: unknown mode")

// Modes lists every fault mode (not ModeNone), in a stable order for help texts and test tables.
func Modes() []Mode {
	return []Mode{ModeLatency, ModeReset, ModeTruncate, ModeNonJSON, ModeHuge, ModeHang, ModeBurst5xx}
}

// ParseMode reads a mode name, ignoring case and surrounding space. "" and "none" mean pass-through.
func ParseMode(s string) (Mode, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if name == "" || name == "none" {
		return ModeNone, nil
	}
	for _, m := range Modes() {
		if string(m) == name {
			return m, nil
		}
	}
	return ModeNone, fmt.Errorf("%w %q (want none, %s)", ErrUnknownMode, s, modeList())
}

func modeList() string {
	names := make([]string, 0, len(Modes()))
	for _, m := range Modes() {
		names = append(names, string(m))
	}
	return strings.Join(names, ", ")
}
