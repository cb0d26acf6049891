package report

import (
	"time"
)

// sampleSummary is a run with one of everything: documented, inferred, new
// and known failures, a skip, coverage with all marks, and drift.
func sampleSummary() Summary {
	evidence := "GET /media/123 broke the contract (1 finding)\n" +
		"→ GET /api/v1/media/123 (getMedia)\n" +
		"Host: staging.example.test\n" +
		"Accept: application/json\n" +
		"Authorization: ApiKey $RENTIX_API_KEY\n" +
		"\n← 500\n" +
		"Content-Type: application/json\n" +
		"\n{\"message\":\"<script>alert(1)</script> & more\"}\n" +
		"\nresponse.status: status 500 is not documented"
	linkEvidence := "the status\n  want: a 4xx\n  got:  500\n\n" +
		"→ DELETE /api/v1/media/7/link (unlinkExternalId)\n" +
		"Host: staging.example.test\n" +
		"X-Api-Key: $RENTIX_API_KEY\n" +
		"\n← 500\n\n{}"
	return Summary{
		RunID:     "20261128-184105-3fa2",
		Target:    "https://staging.example.test/api/v1",
		Tags:      "~@destructive",
		Inferred:  "warn",
		StartedAt: time.Date(2026, 11, 28, 18, 41, 5, 0, time.UTC),
		Duration:  Duration(83*time.Second + 420*time.Millisecond),
		Verdict:   Fail,
		ExitCode:  1,
		Totals: Totals{Scenarios: 5, Passed: 2, Failed: 2, Skipped: 1,
			DocumentedFailures: 1, InferredFailures: 1, Counted: 1},
		Baseline: &BaselineDiff{From: "20261127-101010-abcd",
			Regressions: []string{"features/media_read.feature » Read a file by id"},
			Known:       []string{"features/link.feature » Unlink a file without external ID | pipe"},
			Fixed:       []string{"features/auth.feature » Both key headers"}},
		Fixtures: Fixtures{Created: 4, Deleted: 4, Ledger: "ledger.jsonl"},
		Traffic:  Traffic{Requests: 212, RateLimitWaits: 1, Retries: 1},
		Features: []Feature{
			{Name: "Reading media", URI: "features/media_read.feature", Scenarios: []Scenario{
				{ID: "features/media_read.feature » Read a file by id", Name: "Read a file by id", URI: "features/media_read.feature", Line: 7,
					Tags: []string{"@smoke"}, Status: Failed, Duration: Duration(1200 * time.Millisecond),
					Failure:  NewFailure("I get the media by id", evidence, "https://staging.example.test/api/v1"),
					Baseline: "new", Counted: true},
				{ID: "features/media_read.feature » Unknown id is 404", Name: "Unknown id is 404", Line: 15,
					Status: Passed, Duration: Duration(35 * time.Millisecond)},
			}},
			{Name: "Linking external IDs", URI: "features/link.feature", Scenarios: []Scenario{
				{ID: "features/link.feature » Unlink a file without external ID | pipe", Name: "Unlink a file without external ID | pipe", URI: "features/link.feature",
					Line: 20, Tags: []string{"@inferred"}, Status: Failed, Inferred: true,
					Duration: Duration(80 * time.Millisecond),
					Failure:  NewFailure("the status is a 4xx error", linkEvidence, "https://staging.example.test/api/v1"),
					Baseline: "known"},
				{ID: "features/link.feature » Link twice", Name: "Link twice", Line: 30, Status: Passed,
					Duration: Duration(90 * time.Millisecond)},
				{ID: "features/link.feature » Needs a suspended key", Name: "Needs a suspended key", Line: 40,
					Status: Skipped, Skip: &Skip{Reason: "no suspended key configured"}},
			}},
		},
		Coverage: []OperationCoverage{
			{Operation: "getMedia", Method: "GET", Path: "/media/{id}",
				Documented: []int{200, 400, 401, 404}, Received: []int{200, 404}, Undocumented: []int{500}},
			{Operation: "unlinkExternalId", Method: "DELETE", Path: "/media/{id}/link",
				Documented: []int{200, 400, 404}, Received: []int{200}, Undocumented: []int{}},
		},
		Drift: []DriftItem{
			{Operation: "getMedia", Status: 200, Rule: "response.body", Pointer: "/width",
				Message: `unknown property "width"`, Count: 3},
		},
	}
}
