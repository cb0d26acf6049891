package usage

import (
	"errors"
	"fmt"
	"testing"
)

func TestUsage(t *testing.T) {
	err := Errorf("--rate %q: want a positive count", "0/s")
	if !Is(err) || !errors.Is(err, ErrUsage) || err.Error() != `--rate "0/s": want a positive count` {
		t.Errorf("Errorf: %v (usage %v)", err, Is(err))
	}
	wrapped := fmt.Errorf("load: %w", err)
	if !Is(wrapped) {
		t.Error("a wrapped usage error is still one")
	}
	if Is(errors.New("the target answered 500")) || Wrap(nil) != nil {
		t.Error("only marked errors are usage errors")
	}
	cause := errors.New("cause")
	if w := Wrap(cause); !Is(w) || !errors.Is(w, cause) || w.Error() != "cause" {
		t.Errorf("Wrap keeps the cause and its text: %v", w)
	}
}
