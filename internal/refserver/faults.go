package refserver

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// FaultInfo describes one deliberate bug Config.Faults may switch on.
type FaultInfo struct {
	Name        string // kebab-case, prefixed by its area
	Description string // what breaks and how a client sees it
	Area        string // isolation, auth, link, delete, shape, error, ratelimit, optimize, load, roundtrip, bounds, control
	// LoadOnly faults show under concurrency or in latency and error-rate
	// thresholds, not in a sequential conformance run.
	LoadOnly bool
}

// Fault names. Each is one decision point in the code, marked with its name.
const (
	faultIsolationRead         = "isolation-read"
	faultIsolationReadExternal = "isolation-read-external"
	faultIsolationDelete       = "isolation-delete"
	faultIsolationLink         = "isolation-link"
	faultIsolationUnlink       = "isolation-unlink"
	faultIsolationForbidden    = "isolation-forbidden"
	faultIsolationJob          = "isolation-job"

	faultAuthMissingKeyAccepted   = "auth-missing-key-accepted"
	faultAuthXAPIKeyIgnored       = "auth-x-api-key-ignored"
	faultAuthAuthorizationIgnored = "auth-authorization-ignored"
	faultAuthBothAccepted         = "auth-both-headers-accepted"
	faultAuthSuspendedAllowed     = "auth-suspended-allowed"
	faultAuthCRMDisabledAllowed   = "auth-crm-disabled-allowed"
	faultAuthBearerAccepted       = "auth-bearer-accepted"
	faultAuthInvalidKeyMessage    = "auth-invalid-key-message"

	faultLinkDuplicateAccepted   = "link-duplicate-accepted"
	faultLinkUploadDuplicate     = "link-upload-duplicate"
	faultLinkOverwrite           = "link-overwrite"
	faultLinkRelinkSameOK        = "link-relink-same-ok"
	faultLinkStaleAfterUnlink    = "link-stale-after-unlink"
	faultLinkReservedAfterDelete = "link-reserved-after-delete"
	faultLinkUnlinkWrongID       = "link-unlink-wrong-id"
	faultLinkAnswerNoLinked      = "link-answer-no-linked"

	faultDeleteStillServed       = "delete-still-served"
	faultDeleteAnswerString      = "delete-answer-string"
	faultDeleteAnswerEmpty       = "delete-answer-empty"
	faultDeleteExternalNoMediaID = "delete-external-no-media-id"
	faultDeleteTwiceOK           = "delete-twice-ok"

	faultShapeSizeString           = "shape-size-string"
	faultShapeIDString             = "shape-id-string"
	faultShapeExternalIDOmitted    = "shape-external-id-omitted"
	faultShapeVariantSizeNumber    = "shape-variant-size-number"
	faultShapeContentTypeRenamed   = "shape-content-type-renamed"
	faultShapeOptimizationEnum     = "shape-optimization-enum"
	faultShapeBlurhashUndecodable  = "shape-blurhash-undecodable"
	faultShapeBlurhashLength       = "shape-blurhash-length"
	faultShapeVariantMissing       = "shape-variant-missing"
	faultShapeVariantsUnordered    = "shape-variants-unordered"
	faultShapeVariantURL404        = "shape-variant-url-404"
	faultShapeOriginalSizeMismatch = "shape-original-size-mismatch"
	faultShapeVariantOversized     = "shape-variant-oversized"

	faultErrorPlainText          = "error-plain-text"
	faultErrorNoStatusCode       = "error-no-status-code"
	faultErrorMessageWrong       = "error-message-wrong"
	faultError500OnConflict      = "error-500-on-conflict"
	faultError500OnBadBody       = "error-500-on-bad-body"
	faultError415NotEnforced     = "error-415-not-enforced"
	faultError413NotEnforced     = "error-413-not-enforced"
	faultErrorMessageNotArray    = "error-message-not-array"
	faultErrorStatusCodeMismatch = "error-status-code-mismatch"

	faultRatelimitHeaderMissing   = "ratelimit-header-missing"
	faultRatelimitRemainingFrozen = "ratelimit-remaining-frozen"
	faultRatelimitNotEnforced     = "ratelimit-not-enforced"
	faultRatelimit429WithoutBody  = "ratelimit-429-without-body"
	faultRatelimitResetMillis     = "ratelimit-reset-millis"
	faultRatelimitResetHourAway   = "ratelimit-reset-hour-away"
	faultRatelimitRemainingOver   = "ratelimit-remaining-over-limit"

	faultOptimizeStuck           = "optimize-stuck"
	faultOptimizeNotImageSuccess = "optimize-not-image-success"
	faultOptimizeStatusRegress   = "optimize-status-regress"
	faultOptimizeJobStale        = "optimize-job-stale"
	faultOptimizeLifecycleBack   = "optimize-lifecycle-backwards"

	faultLoadSlow           = "load-slow"
	faultLoad5xx            = "load-5xx"
	faultLoadLinkRace       = "load-link-race"
	faultLoadMixedResponses = "load-mixed-responses"
)

// catalogue is every fault New accepts.
var catalogue = append([]FaultInfo{
	{faultIsolationRead, "GET /media/{id} finds another agency's file (the lookup by id lost its agency filter): 200 with its body instead of 404", "isolation", false},
	{faultIsolationReadExternal, "GET /media/external/{externalId} falls back to other agencies' external IDs: 200 with another agency's file instead of 404", "isolation", false},
	{faultIsolationDelete, "DELETE /media/{id} deletes another agency's file: 200, and the owner's file is gone", "isolation", false},
	{faultIsolationLink, "POST /media/{id}/link links another agency's file: 200, and the owner's file carries the new external ID", "isolation", false},
	{faultIsolationUnlink, "DELETE /media/{id}/link unlinks another agency's file: 200 naming its external ID", "isolation", false},
	{faultIsolationForbidden, "GET /media/{id} of another agency's file answers 403 \"You do not have access to this file\", revealing that it exists", "isolation", false},
	{faultIsolationJob, "GET /job/status finds another agency's job: 200 with its status instead of 404", "isolation", false},

	{faultAuthMissingKeyAccepted, "a request without a key (or with a scheme that carries none) is served as the primary agency instead of 401 \"API key is required\"", "auth", false},
	{faultAuthXAPIKeyIgnored, "the X-API-Key header is not read: a key sent there gets 401 \"API key is required\"", "auth", false},
	{faultAuthAuthorizationIgnored, "the Authorization header is not read: \"ApiKey <key>\" gets 401 \"API key is required\"", "auth", false},
	{faultAuthBothAccepted, "both headers at once are served with the X-API-Key key instead of 400 \"Multiple authentication methods provided\"", "auth", false},
	{faultAuthSuspendedAllowed, "a suspended agency's key is served instead of 403 \"Agency is suspended\"", "auth", false},
	{faultAuthCRMDisabledAllowed, "the key of an agency without CRM is served instead of 403 \"CRM is not enabled for this agency\"", "auth", false},
	{faultAuthBearerAccepted, "\"Authorization: Bearer <key>\" is taken as an API key: 200 instead of 401", "auth", false},
	{faultAuthInvalidKeyMessage, "an unknown key gets 401 with the message \"Unauthorized\" instead of \"Invalid API key\"", "auth", false},

	{faultLinkDuplicateAccepted, "linking an external ID another file of the agency uses answers 200: two files carry one external ID (no 409 \"External ID already linked\")", "link", false},
	{faultLinkUploadDuplicate, "an upload with an external ID already in use creates a second file with it: 201 with a new mediaId instead of 409 or the existing file", "link", false},
	{faultLinkOverwrite, "linking a file that already has an external ID replaces it: 200 instead of 409 \"File already has external ID\"", "link", false},
	{faultLinkRelinkSameOK, "linking a file to the external ID it already has answers 200 instead of 409 \"File already has external ID\"", "link", false},
	{faultLinkStaleAfterUnlink, "unlink leaves the external ID in the index: GET /media/external/{old ID} still finds the file and linking the old ID elsewhere gets 409", "link", false},
	{faultLinkReservedAfterDelete, "a deleted file's external ID stays reserved: linking or uploading it again gets 409 \"External ID already linked\"", "link", false},
	{faultLinkUnlinkWrongID, "the unlink answer is built after the ID was cleared: \"externalId\" is \"\" instead of the ID removed", "link", false},
	{faultLinkAnswerNoLinked, "the link answer lacks \"linked\": {\"mediaId\",\"externalId\"} only", "link", false},

	{faultDeleteStillServed, "a read cache is not invalidated on delete: GET /media/{id} of a deleted file still answers 200 with its old body", "delete", false},
	{faultDeleteAnswerString, "DELETE /media/{id} answers {\"deleted\":\"true\"} (a string, not a boolean)", "delete", false},
	{faultDeleteAnswerEmpty, "DELETE /media/{id} answers {} without \"deleted\"", "delete", false},
	{faultDeleteExternalNoMediaID, "DELETE /media/external/{externalId} answers {\"deleted\":true} without \"mediaId\"", "delete", false},
	{faultDeleteTwiceOK, "deleting a file that is not there (already deleted, or never was) answers 200 {\"deleted\":true} instead of 404", "delete", false},

	{faultShapeSizeString, "the media body has \"size\" as a string (\"245000\")", "shape", false},
	{faultShapeIDString, "the media body has \"id\" as a string (\"123\")", "shape", false},
	{faultShapeExternalIDOmitted, "the media body leaves \"externalId\" out when the file has none, instead of null", "shape", false},
	{faultShapeVariantSizeNumber, "variants have \"variantSize\" as a number (128) instead of a string", "shape", false},
	{faultShapeContentTypeRenamed, "the media body names \"contentType\" \"mimeType\"", "shape", false},
	{faultShapeOptimizationEnum, "a finished file reports \"optimization\": \"done\", outside the documented enum", "shape", false},
	{faultShapeBlurhashUndecodable, "the blurhash has the right alphabet and length but its last AC component is out of range, so a validating decoder rejects it", "shape", false},
	{faultShapeBlurhashLength, "the blurhash is stored one character short (a column too narrow): its length does not match its size flag", "shape", false},
	{faultShapeVariantMissing, "an optimized file has only the 128 and 512 variants, no 1024", "shape", false},
	{faultShapeVariantsUnordered, "variants are listed largest first (1024, 512, 128), so variantSize and size do not increase", "shape", false},
	{faultShapeVariantURL404, "the 1024 variant is stored under another name than its URL: the URL answers 404", "shape", false},
	{faultShapeOriginalSizeMismatch, "\"size\" is the byte count of the 1024 variant, not of the original that originalUrl serves", "shape", false},
	{faultShapeVariantOversized, "the 512 variant is the 1024 image: its URL serves a picture larger than 512 pixels (visible on originals over 512 pixels)", "shape", false},

	{faultErrorPlainText, "GET /media/{id} of an unknown file answers 404 as text/plain \"File not found\", not the JSON error body", "error", false},
	{faultErrorNoStatusCode, "GET /job/status of an unknown job answers 404 {\"error\":\"Job not found\"}, without statusCode and message", "error", false},
	{faultErrorMessageWrong, "GET /media/external/{externalId} of an unknown ID answers 404 with the message \"Not found\" instead of \"File not found\"", "error", false},
	{faultError500OnConflict, "linking an external ID another file uses answers 500 (the unique-key violation is not mapped) instead of 409", "error", false},
	{faultError500OnBadBody, "a malformed JSON body answers 500 \"Internal server error\" instead of 400", "error", false},
	{faultError415NotEnforced, "a body sent without Content-Type: application/json (text/plain) is parsed anyway instead of 415", "error", false},
	{faultError413NotEnforced, "bodies over 512 KB are read (up to 32 MiB) instead of 413", "error", false},
	{faultErrorMessageNotArray, "a link body that fails validation answers 400 with \"message\" one string instead of an array", "error", false},
	{faultErrorStatusCodeMismatch, "the 409 answers of link carry \"statusCode\": 400 and \"error\": \"Bad Request\" in the body", "error", false},

	{faultRatelimitHeaderMissing, "answers lack the X-RateLimit-Reset header", "ratelimit", false},
	{faultRatelimitRemainingFrozen, "X-RateLimit-Remaining always equals the limit: it does not go down", "ratelimit", false},
	{faultRatelimitNotEnforced, "the limit is counted but never enforced: no 429, requests over it are served", "ratelimit", false},
	{faultRatelimit429WithoutBody, "429 answers have an empty body instead of the JSON error", "ratelimit", false},
	{faultRatelimitResetMillis, "X-RateLimit-Reset is the Unix time of the reset in milliseconds, not seconds", "ratelimit", false},
	{faultRatelimitResetHourAway, "X-RateLimit-Reset announces the reset an hour later than the window ends", "ratelimit", false},
	{faultRatelimitRemainingOver, "X-RateLimit-Remaining counts down from twice the limit: it starts over X-RateLimit-Limit", "ratelimit", false},

	{faultOptimizeStuck, "uploads are stored but never handed to the optimizer: files stay pending and jobs pending forever", "optimize", false},
	{faultOptimizeNotImageSuccess, "a download that is not an image is not rejected: the file ends \"success\" with an empty blurhash and empty variants", "optimize", false},
	{faultOptimizeStatusRegress, "reads alternate with a replica one write behind: every second read of a finished file says \"in_progress\" again", "optimize", false},
	{faultOptimizeLifecycleBack, "after the download the file goes back from \"in_progress\" to \"pending\" for a moment (a requeue) before it ends: seen only by reads close together", "optimize", false},
	{faultOptimizeJobStale, "the worker never updates the job of a successful optimization: the file ends \"success\", the job stays \"pending\"", "optimize", false},

	{faultLoadSlow, "GET /media/{id} waits 50 ms before answering", "load", true},
	{faultLoad5xx, "every 50th GET /media/{id}, POST /media/{id}/link or DELETE /media/{id} answers 503 (2%)", "load", true},
	{faultLoadLinkRace, "link checks the external ID and writes it in two critical sections, 1 ms apart: two concurrent links of one external ID to two files both answer 200", "load", true},
	{faultLoadMixedResponses, "GET /media/{id} renders into a buffer shared by all requests: under concurrency a request can get another file's body", "load", true},
}, exploreFaults...)

// knownFault indexes the catalogue by name.
var knownFault = func() map[string]FaultInfo {
	m := make(map[string]FaultInfo, len(catalogue))
	for _, f := range catalogue {
		m[f.Name] = f
	}
	return m
}()

// Faults lists every fault New accepts, sorted by area, then name.
func Faults() []FaultInfo {
	out := slices.Clone(catalogue)
	slices.SortFunc(out, func(a, b FaultInfo) int {
		return cmp.Or(cmp.Compare(a.Area, b.Area), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// faultSet is the faults switched on. The clean path only reads any, so a
// server without faults pays one predictable branch per decision point.
type faultSet struct {
	any bool
	on  map[string]bool
	st  *faultState // shared state of the faults; nil when none is on
}

func (f faultSet) has(name string) bool { return f.any && f.on[name] }

// parseFaults checks names against the catalogue. Empty names (from a
// trailing comma) are ignored.
func parseFaults(names []string) (faultSet, error) {
	on := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if _, ok := knownFault[n]; !ok {
			return faultSet{}, fmt.Errorf("refserver: unknown fault %q (known faults: %s)", n, knownFaults())
		}
		on[n] = true
	}
	if len(on) == 0 {
		return faultSet{}, nil
	}
	return faultSet{any: true, on: on, st: newFaultState(on)}, nil
}

func knownFaults() string {
	names := make([]string, 0, len(catalogue))
	for _, f := range Faults() {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// wireFaults hands the fault set to the parts that hold decision points.
func (s *Server) wireFaults() {
	s.limiter.faults = s.faults
	for _, a := range s.agencies {
		a.faults = s.faults
		if s.faults.any {
			a.residue = newResidue()
		}
	}
}

// fault reports whether the named deliberate bug is switched on.
func (s *Server) fault(name string) bool { return s.faults.has(name) }

func (a *agency) fault(name string) bool { return a.faults.has(name) }

func (l *limiter) fault(name string) bool { return l.faults.has(name) }
