package steps

import (
	"context"
	"reflect"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOperationStep(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text, op, subject, creds, mod string
	}{
		{`I get "A" by id`, "get", "A", "", ""},
		{`I get "A" by external ID with another agency's key`, "get-external", "A", "with another agency's key", ""},
		{`I delete "Z" by id without a key`, "delete", "Z", "without a key", ""},
		{`I link "B" to the former external ID of "A"`, "link", "B", "", ""},
		{`I link "A" to a new external ID of 255 characters`, "link", "A", "", ""},
		{`I link "A" to a new external ID with the Content-Type "text/plain"`, "link", "A", "", `with the Content-Type "text/plain"`},
		{`I link "A" with the body {"externalId":""}`, "link-body", "A", "", ""},
		{`I upload a file as "N" with the key in both headers`, "upload", "N", "with the key in both headers", ""},
		{`I upload a file as "N" with a body of 600 KB`, "upload", "N", "", "with a body of 600 KB"},
		{`I get the job status of "A" with the CRM-disabled agency's key`, "job-status", "A", "with the CRM-disabled agency's key", ""},
		{`I send DELETE to "/media/abc/link"`, "send", "", "", ""},
	}
	for _, tc := range cases {
		rec, n := runOperationStep(tc.text)
		if n != 1 {
			t.Errorf("%q matches %d operation steps, want 1", tc.text, n)
			continue
		}
		if rec == nil {
			t.Errorf("%q: the step recorded no operation", tc.text)
			continue
		}
		got := []string{rec.op, rec.subject, rec.creds, rec.mod}
		if d := cmp.Diff([]string{tc.op, tc.subject, tc.creds, tc.mod}, got); d != "" {
			t.Errorf("%q: (-want +got):\n%s", tc.text, d)
		}
	}
	// Steps of their own must not read as an operation (godog would call
	// them ambiguous).
	for _, text := range []string{
		`I get "Z" by id 3 times`,
		`I get "Z" by id with the rate-limit key until the API answers 429`,
		`I follow the job of "A" until it ends`,
		`I wait for the optimization of "A" to end`,
	} {
		if _, n := runOperationStep(text); n != 0 {
			t.Errorf("%q reads as an operation", text)
		}
	}
}

// runOperationStep calls the operation steps that match text, as godog
// would, on a scenario without files (so no request is sent), and returns
// the operation the last one recorded and how many matched.
func runOperationStep(text string) (*opRecord, int) {
	s := &state{env: &Resources{}, files: map[string]*file{}}
	ctx := context.WithValue(context.Background(), stateKey{}, s)
	n := 0
	for _, o := range operationSteps {
		sub := regexp.MustCompile(operationPattern(o.phrase)).FindStringSubmatch(text)
		if sub == nil {
			continue
		}
		n++
		args := []reflect.Value{reflect.ValueOf(ctx)}
		for _, a := range sub[1:] {
			args = append(args, reflect.ValueOf(a))
		}
		_ = reflect.ValueOf(o.step).Call(args) // fails: the scenario has no files
	}
	return s.lastOp, n
}

func TestEndedWithoutGoingBack(t *testing.T) {
	t.Parallel()
	cases := []struct {
		trail []string
		want  string
		ok    bool
	}{
		{[]string{"pending", "in_progress", "success"}, "success", true},
		{[]string{"pending", "success"}, "success", true},
		{[]string{"success"}, "success", true},
		{[]string{"pending", "failed"}, "success", false},
		{[]string{"in_progress", "pending", "success"}, "success", false},
		{[]string{"pending", "queued", "success"}, "success", false},
		{nil, "success", false},
	}
	for _, tc := range cases {
		err := endedWithoutGoingBack("it", tc.trail, tc.want, optimizationRank)
		if (err == nil) != tc.ok {
			t.Errorf("trail %v, want %q: got error %v, want ok=%v", tc.trail, tc.want, err, tc.ok)
		}
	}
	retried := []string{"pending", "processing", "failed_retryable", "processing", "completed"}
	if err := endedWithoutGoingBack("job", retried, "completed", jobRank); err != nil {
		t.Errorf("a retried job: %v", err)
	}
}

func TestStorageURLs_IgnoreTheQuery(t *testing.T) {
	t.Parallel()
	signed := func(original, variantURL string) *media {
		return &media{ID: 1, OriginalURL: &original, Variants: []variant{{URL: variantURL, VariantSize: "128", Size: 9}}}
	}
	a := signed("https://s/1/original.jpg?sig=a", "https://s/1/128.webp?sig=a")
	b := signed("https://s/1/original.jpg?sig=b", "https://s/1/128.webp?sig=b")
	if d := cmp.Diff(a, b, storageURLs); d != "" {
		t.Errorf("URLs that differ in their query only:\n%s", d)
	}
	c := signed("https://s/2/original.jpg", "https://s/1/128.webp")
	if cmp.Diff(a, c, storageURLs) == "" {
		t.Error("URLs that differ in their path compare equal")
	}
}
