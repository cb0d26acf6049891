// Package refserver is a reference implementation of the Rentix Media API: an
// in-process http.Handler that behaves as this project reads the public
// documentation (the documented facts and the inferred ones), so the harness
// has a default target to run against.
//
// It keeps five agencies (two active, one suspended, one without CRM, one
// with a rate-limit allowance of its own), stores media per agency, limits
// requests per key, downloads and optimizes uploaded images in a bounded
// worker pool, and serves originals and WebP variants under /storage/. Config.Faults switches on named deliberate bugs (Faults lists
// them) so the harness can prove that it notices each one; every fault is a
// single decision point in the code, marked with its name, and a server
// without faults pays one bool check per point.
//
// Choices where the documentation is silent:
//   - Checks run in this order: rate limit, authentication, path parameters,
//     body (Content-Type 415, size 413, JSON 400, validation 400), then the
//     operation itself.
//   - The rate limit is a fixed window per key that opens with the first
//     request after the previous window closed; X-RateLimit-Reset is the Unix
//     second it closes (rounded up) and a 429 carries Retry-After in seconds.
//     Requests without a known key (no key, unknown key, both headers) are
//     counted per client IP. /storage/ is not limited.
//   - A request that matches no route (wrong method included) gets 404
//     "Cannot METHOD /path", as NestJS answers.
//   - {id} and ?id= that are not positive integers get 400 with the message
//     "id must be a positive integer" (a string).
//   - Link answers 200; upload answers 201; an upload whose externalId is
//     taken gets 409 "External ID already linked".
//   - External IDs are 1 to 255 characters (Unicode code points).
//   - Unlinking a file without an external ID gets 400 "File has no external ID".
//   - DELETE /media/external/link deletes by the external ID "link".
//   - A panic in an operation answers 500 {"statusCode":500,"message":
//     "Internal server error","error":"Internal Server Error"} with the
//     rate-limit headers, instead of dropping the connection.
//   - Media ids start at 1 and job ids at 100001, so that mixing them up is
//     a 404, not someone else's answer.
package refserver
