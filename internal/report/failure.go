package report

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Failure says which step failed and why; Message is the full evidence.
// Rule, Operation, Request and Curl are read from Message by NewFailure, so
// reports can name the broken rule, group identical findings and show how
// to send the failing request again.
type Failure struct {
	Step    string `json:"step"`
	Message string `json:"message"`
	// Rule is what broke: the first contract finding ("response.body
	// /deleted: value must be a boolean"), or the expectation a step checked
	// ("the error message").
	Rule string `json:"rule,omitempty"`
	// Operation is the operationId of the exchange the failure shows.
	Operation string `json:"operation,omitempty"`
	// Request is that exchange's request line: "DELETE /api/v1/media/3".
	Request string `json:"request,omitempty"`
	// Curl sends that request again, with the key as the variable of the
	// agency whose key it carried: $RENTIX_API_KEY, $RENTIX_OTHER_API_KEY...
	Curl string `json:"curl,omitempty"`
}

// Skip says why a scenario did not run to its end.
type Skip struct {
	Reason string `json:"reason"`
}

// KeyVariable stands for the primary agency's API key in a reproduction
// that names no key: the key itself is never printed.
const KeyVariable = "$RENTIX_API_KEY"

// NewFailure builds a failure from a step and its error text, which holds
// the evidence of one or more exchanges as the client renders it
// ("→ METHOD path (operation)", headers, body, "← status", ..., findings).
// base is the target's base URL; it gives the scheme (and the host when the
// evidence names none) of the reproduction.
func NewFailure(step, message, base string) *Failure {
	f := &Failure{Step: step, Message: message}
	exs := parseExchanges(message)
	if len(exs) > 0 {
		f.Operation = exs[0].operation
		f.Request = exs[0].method + " " + exs[0].path
		f.Curl = exs[0].curl(base)
	}
	f.Rule = ruleOf(message)
	return f
}

// ruleOf is the broken rule: the first contract finding of a "broke the
// contract" error, else the first line of the message (a step's
// expectation, whose want and got follow).
func ruleOf(message string) string {
	lines := strings.Split(strings.TrimSpace(message), "\n")
	if strings.Contains(lines[0], " broke the contract (") {
		for _, l := range lines[1:] {
			if isFindingLine(l) {
				return strings.TrimSpace(l)
			}
		}
	}
	rule := strings.TrimSuffix(strings.TrimSpace(lines[0]), " (-want +got):")
	if want, ok := wantGot(lines, "want:"); ok {
		rule += ": want " + want
	}
	return rule
}

// wantGot reads the "want:" (line 2) or "got:" (line 3) of a step's
// expectation.
func wantGot(lines []string, which string) (string, bool) {
	i := 1
	if which == "got:" {
		i = 2
	}
	if len(lines) <= i {
		return "", false
	}
	v, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), which)
	return strings.TrimSpace(v), ok
}

// findingRules are the rule names a contract finding line starts with.
var findingRules = []string{"route", "request.", "response."}

func isFindingLine(l string) bool {
	for _, r := range findingRules {
		if strings.HasPrefix(l, r) && strings.Contains(l, ": ") {
			return true
		}
	}
	return false
}

// exchange is the request half of one exchange in a failure's evidence.
type exchange struct {
	method, path, operation, host string
	headers                       [][2]string
	body                          string
}

// parseExchanges reads every request of the evidence in message.
func parseExchanges(message string) []exchange {
	var out []exchange
	lines := strings.Split(message, "\n")
	for i := 0; i < len(lines); i++ {
		ex, ok := requestLine(lines[i])
		if !ok {
			continue
		}
		i = ex.readRest(lines, i+1)
		out = append(out, ex)
	}
	return out
}

// requestLine parses "→ METHOD path (operation)".
func requestLine(l string) (exchange, bool) {
	rest, ok := strings.CutPrefix(l, "→ ")
	if !ok {
		return exchange{}, false
	}
	method, rest, ok := strings.Cut(rest, " ")
	if !ok || method == "" || strings.ToUpper(method) != method {
		return exchange{}, false
	}
	ex := exchange{method: method, path: rest}
	if p, op, found := strings.Cut(rest, " ("); found && strings.HasSuffix(op, ")") {
		ex.path, ex.operation = p, strings.TrimSuffix(op, ")")
	}
	return ex, true
}

// readRest reads the headers and body after a request line, up to the
// answer ("← status"); it returns the index of the last line read.
func (ex *exchange) readRest(lines []string, i int) int {
	for ; i < len(lines) && lines[i] != ""; i++ {
		if strings.HasPrefix(lines[i], "← ") {
			return i
		}
		name, value, ok := strings.Cut(lines[i], ": ")
		if !ok {
			continue
		}
		if strings.EqualFold(name, "Host") {
			ex.host = value
			continue
		}
		ex.headers = append(ex.headers, [2]string{name, value})
	}
	var body []string
	for i++; i < len(lines) && !strings.HasPrefix(lines[i], "← "); i++ {
		body = append(body, lines[i])
	}
	ex.body = strings.TrimSpace(strings.Join(body, "\n"))
	return i
}

// curlSkipHeaders are set by curl itself or say nothing about the request.
var curlSkipHeaders = map[string]bool{"accept": true, "user-agent": true, "content-length": true,
	"accept-encoding": true, "connection": true}

// curl is a command that sends the request again, each key as its variable.
func (ex exchange) curl(base string) string {
	scheme, host := "http", ex.host
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		scheme = u.Scheme
		if host == "" {
			host = u.Host
		}
	}
	parts := []string{"curl -sS -i"}
	if ex.method != "GET" {
		parts = append(parts, "-X "+ex.method)
	}
	parts = append(parts, shellQuote(scheme+"://"+host+ex.path))
	for _, h := range ex.headers {
		if curlSkipHeaders[strings.ToLower(h[0])] {
			continue
		}
		parts = append(parts, "-H "+headerArg(h[0], h[1]))
	}
	if ex.body != "" {
		parts = append(parts, "--data-raw "+shellQuote(ex.body))
	}
	return strings.Join(parts, " ")
}

// keyRef is a key variable as the client's evidence names the key a
// request carried ("$RENTIX_OTHER_API_KEY").
var keyRef = regexp.MustCompile(`\$RENTIX_[A-Z_]*API_KEY\b`)

// headerArg quotes one header; a key named by its variable keeps it, in
// double quotes, so the shell fills it in. A redacted value stays
// redacted: the client names every key the run was given, so it was none
// of them (a deliberately unknown key), and sending "[REDACTED]" is sending
// an unknown key again.
func headerArg(name, value string) string {
	h := name + ": " + value
	refs := keyRef.FindAllStringIndex(h, -1)
	if len(refs) == 0 {
		return shellQuote(h)
	}
	inDouble := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	var b strings.Builder
	b.WriteString(`"`)
	last := 0
	for _, r := range refs {
		b.WriteString(inDouble.Replace(h[last:r[0]]))
		b.WriteString(h[r[0]:r[1]])
		last = r[1]
	}
	b.WriteString(inDouble.Replace(h[last:]) + `"`)
	return b.String()
}

// KeyVariablesOf lists the key variables a reproduction needs set, in
// the order it names them: "$RENTIX_OTHER_API_KEY". None for a request
// without a key of the run.
func KeyVariablesOf(curl string) []string {
	var out []string
	for _, v := range keyRef.FindAllString(curl, -1) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// reproduceLabel introduces a reproduction: "Reproduce (with
// $RENTIX_OTHER_API_KEY set)", or "Reproduce" when it needs no key.
func reproduceLabel(curl, verb string) string {
	vs := KeyVariablesOf(curl)
	if len(vs) == 0 {
		return "Reproduce"
	}
	if verb == "export" {
		return "Reproduce (export " + strings.ReplaceAll(strings.Join(vs, " and "), "$", "") + " first)"
	}
	return "Reproduce (with " + strings.Join(vs, " and ") + " set)"
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
