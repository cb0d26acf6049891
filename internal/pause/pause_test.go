package pause

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestFor_waitsTheWholeDuration(t *testing.T) {
	t.Parallel()
	const d = 20 * time.Millisecond
	start := time.Now()
	if err := For(context.Background(), d); err != nil {
		t.Fatalf("For(live, %v) = %v, want nil", d, err)
	}
	if got := time.Since(start); got < d {
		t.Errorf("For(live, %v) returned after %v, want at least %v", d, got, d)
	}
}

func TestFor_endsWithTheContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	start := time.Now()
	err := For(ctx, time.Hour)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("For(cancelled after 10ms, 1h) = %v, want context.Canceled", err)
	}
	if got := time.Since(start); got > time.Minute {
		t.Errorf("For(cancelled after 10ms, 1h) returned after %v", got)
	}
}

func TestFor_deadlineIsTheContextsError(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := For(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("For(10ms deadline, 1h) = %v, want context.DeadlineExceeded", err)
	}
}

func TestFor_noWait(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tt := range []struct {
		name string
		ctx  context.Context
		d    time.Duration
		want error
	}{
		{"zero, live", context.Background(), 0, nil},
		{"negative, live", context.Background(), -time.Second, nil},
		{"zero, cancelled", cancelled, 0, context.Canceled},
		{"positive, cancelled", cancelled, time.Hour, context.Canceled},
	} {
		if err := For(tt.ctx, tt.d); !errors.Is(err, tt.want) {
			t.Errorf("%s: For(ctx, %v) = %v, want %v", tt.name, tt.d, err, tt.want)
		}
	}
}
