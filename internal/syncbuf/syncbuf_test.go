package syncbuf

import (
	"strings"
	"sync"
	"testing"
)

func TestBuffer_ConcurrentWritesAndReads(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, _ = b.Write([]byte("line\n"))
			_ = b.String()
		})
	}
	wg.Wait()
	if n := strings.Count(b.String(), "line\n"); n != 8 {
		t.Errorf("%d lines, want 8", n)
	}
}
