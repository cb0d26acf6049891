package cli

import (
	"strings"
	"testing"
)

func TestGodogTags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"~@slow && @a", "~@slow && @a"},
		{"not @slow", "~@slow"},
		{"@a and not @b", "@a && ~@b"},
		{"@a or @b", "@a, @b"},
		{"@a and (@b or @c)", "@a && @b, @a && @c"},
		{"not (@b or @c)", "~@b && ~@c"},
		{"not (@b and @c)", "~@b, ~@c"},
		{"not not @a", "@a"},
		{"(@a or @b) and not @slow", "@a && ~@slow, @b && ~@slow"},
	} {
		got, err := godogTags(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("godogTags(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"not", "@a and", "(@a or @b", "@a @b and @c", "not slow", "@a and )"} {
		if got, err := godogTags(bad); err == nil || !strings.Contains(err.Error(), "--tags") {
			t.Errorf("godogTags(%q) = %q, %v; want a --tags error", bad, got, err)
		}
	}
}
