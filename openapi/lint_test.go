package openapi

import (
	"strings"
	"testing"
)

func TestLint_RealSpecPasses(t *testing.T) {
	t.Parallel()
	if got := Lint(Spec); len(got) != 0 {
		t.Errorf("the contract has lint problems: %v", got)
	}
}

// Each broken copy of the contract carries one defect class; the linter must
// name it with its rule.
func TestLint_BrokenCopies(t *testing.T) {
	t.Parallel()
	spec := string(Spec)
	tests := []struct {
		name, old, new, rule, pointer string
	}{
		{"nullable without type", "        resultData:\n          type: object\n", "        resultData:\n",
			"nullable-without-type", "/components/schemas/JobStatus/properties/resultData"},
		{"schema example that does not validate", "        id: 42\n        name: Example Realty\n        status: active\n        isCrmEnabled: true\n        limits:\n          monthlyListings:\n            used: 12\n            limit: 100\n\n    Message:",
			"        id: 42\n        name: Example Realty\n        status: active\n        isCrmEnabled: yes please\n        limits:\n          monthlyListings:\n            used: 12\n            limit: 100\n\n    Message:",
			"example", "/components/schemas/Agency/example"},
		{"media example that does not validate", "                deleted: true\n                mediaId: 123\n", "                deleted: true\n                mediaId: 0\n",
			"example", "/paths/~1media~1external~1{externalId}/delete/responses/200/content/application~1json/example"},
		{"ambiguous paths", "    MediaId:\n      name: id\n      in: path\n      required: true\n      description: The file's internal ID, a positive integer.\n      x-inferred: true\n      x-inferred-reason: an id that is not a positive integer answers 400; the docs are silent\n      schema:\n        type: integer\n        format: int64\n",
			"    MediaId:\n      name: id\n      in: path\n      required: true\n      description: The file's internal ID, a positive integer.\n      x-inferred: true\n      x-inferred-reason: an id that is not a positive integer answers 400; the docs are silent\n      schema:\n        type: string\n",
			"ambiguous-paths", "/paths/~1media~1external~1{externalId}"},
		{"unused component", "  schemas:\n", "  schemas:\n    Spare:\n      type: string\n",
			"unused-component", "/components/schemas/Spare"},
		{"x-inferred on a whole response", "      description: No such job.\n      x-inferred-status: true\n", "      description: No such job.\n      x-inferred: true\n",
			"inferred-response", "/components/responses/JobNotFound"},
		{"inferred mark without a reason", "      x-inferred-reason: the docs do not say what an unknown job id answers\n", "",
			"inferred-reason", "/components/responses/JobNotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if strings.Count(spec, tt.old) != 1 {
				t.Fatalf("the text to break is not in the contract exactly once: %q", tt.old)
			}
			got := Lint([]byte(strings.Replace(spec, tt.old, tt.new, 1)))
			for _, p := range got {
				if p.Rule == tt.rule && p.Pointer == tt.pointer {
					return
				}
			}
			t.Errorf("no %s problem at %s; got %v", tt.rule, tt.pointer, got)
		})
	}
}
