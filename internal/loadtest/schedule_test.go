package loadtest

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The due time of request n must be when Vegeta's own pacer sends it: just
// before it the pacer waits out the difference, at it the pacer sends.
func TestSchedule_DueMatchesVegetaConstantPacer(t *testing.T) {
	t.Parallel()
	for _, r := range []Rate{{200, time.Second}, {5000, time.Second}, {200, 3 * time.Second}, {300, time.Minute}} {
		s := newSchedule(r, Ramp{}, time.Minute, 0)
		for _, n := range []uint64{0, 1, 2, 17, 199, 1000, 12345} {
			due := s.due(n)
			const early = 37 * time.Microsecond
			if wait, stop := s.inner.Pace(due-early, n); stop || wait != early {
				t.Errorf("rate %v: Pace(due(%d)-%s) = %s, %v; want %s", r, n, early, wait, stop, early)
			}
			if wait, _ := s.inner.Pace(due, n); wait > 0 {
				t.Errorf("rate %v: Pace(due(%d)) waits %s, want 0", r, n, wait)
			}
		}
	}
}

func TestSchedule_DueMatchesVegetaLinearPacer(t *testing.T) {
	t.Parallel()
	for _, ramp := range []Ramp{
		{Rate{10, time.Second}, Rate{500, time.Second}},
		{Rate{500, time.Second}, Rate{10, time.Second}},
		{Rate{100, time.Second}, Rate{100, time.Second}},
	} {
		s := newSchedule(Rate{}, ramp, 10*time.Second, 0)
		if wait, _ := s.inner.Pace(0, 0); wait != 0 || s.due(0) != 0 {
			t.Errorf("ramp %v: request 0 goes at once in Vegeta (wait %s), due %s", ramp, wait, s.due(0))
		}
		for _, n := range []uint64{1, 2, 50, 400, 2000} {
			due := s.due(n)
			early := 200 * time.Microsecond
			wait, stop := s.inner.Pace(due-early, n)
			// LinearPacer steps with the rate at the time it is asked, so it
			// agrees with the exact solution to within a few microseconds.
			if stop || math.Abs(float64(wait-early)) > float64(5*time.Microsecond) {
				t.Errorf("ramp %v: Pace(due(%d)-%s) = %s, %v; want about %s", ramp, n, early, wait, stop, early)
			}
		}
	}
}

// A long wait is sat out by Pace itself, so halting the attack ends it at
// once: Vegeta would sleep an hour through a Stop.
func TestSchedule_HaltEndsALongWait(t *testing.T) {
	t.Parallel()
	s := newSchedule(Rate{Freq: 1, Per: time.Hour}, Ramp{}, time.Hour, 0)
	paced := make(chan bool, 1)
	go func() {
		_, stop := s.Pace(0, 0)
		paced <- stop
	}()
	s.halt()
	select {
	case stop := <-paced:
		if !stop {
			t.Error("a halted Pace did not say stop")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Pace still waiting 10s after the halt")
	}
	if wait, stop := newSchedule(Rate{Freq: 1, Per: time.Hour}, Ramp{}, time.Hour, 0).Pace(time.Hour-50*time.Millisecond, 0); stop || wait != 50*time.Millisecond {
		t.Errorf("a short wait: %s, %v; want 50ms handed to Vegeta", wait, stop)
	}
}

// Along a ramp, the wait runs until the next request is due, however soon
// after the last send Pace is asked: Vegeta asks right after each send.
func TestSchedule_RampPacesToTheDueTime(t *testing.T) {
	t.Parallel()
	s := newSchedule(Rate{}, Ramp{Rate{1, time.Second}, Rate{300, time.Second}}, 10*time.Second, 0)
	for _, n := range []uint64{1, 2, 10, 500} {
		after := s.due(n-1) + time.Millisecond
		wait, stop := s.wait(after, n)
		if stop || wait != max(s.due(n)-after, 0) {
			t.Errorf("wait(due(%d)+1ms, %d) = %s, %v; want %s", n-1, n, wait, stop, s.due(n)-after)
		}
	}
	if wait, _ := s.Pace(s.due(7)+time.Second, 7); wait != 0 {
		t.Errorf("a request already due waits %s; want 0", wait)
	}
	falling := newSchedule(Rate{}, Ramp{Rate{100, time.Second}, Rate{1, time.Second}}, time.Second, 0)
	if _, stop := falling.Pace(0, 1000); !stop {
		t.Error("a falling ramp asked for a request it never reaches did not stop")
	}
}

// Open model, never above the requested rate: by any time t the schedule
// has made no more requests due than the rate allows.
func TestSchedule_NeverAheadOfRate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		s     *schedule
		allow func(t time.Duration) float64
	}{
		{newSchedule(Rate{250, time.Second}, Ramp{}, 0, 0), func(t time.Duration) float64 { return 250 * t.Seconds() }},
		{newSchedule(Rate{}, Ramp{Rate{10, time.Second}, Rate{1000, time.Second}}, 4*time.Second, 0),
			func(t time.Duration) float64 { x := t.Seconds(); return 990.0/4/2*x*x + 10*x + 1 }},
	}
	for i, c := range cases {
		var n uint64
		for at := time.Duration(0); at <= 4*time.Second; at += 7 * time.Millisecond {
			for c.s.due(n) <= at {
				n++
			}
			if float64(n) > c.allow(at)+1e-9 {
				t.Fatalf("case %d: %d requests due by %s, the rate allows %.2f", i, n, at, c.allow(at))
			}
		}
	}
}

func TestSchedule_Planned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    *schedule
		d    time.Duration
		want uint64
	}{
		{newSchedule(Rate{200, time.Second}, Ramp{}, 0, 0), time.Second, 200},
		{newSchedule(Rate{50, time.Second}, Ramp{}, 0, 0), 1500 * time.Millisecond, 75},
		{newSchedule(Rate{200, time.Second}, Ramp{}, 0, 30), time.Second, 30},
		// 10/s rising to 30/s over 2s: 2·(10+30)/2 = 40.
		{newSchedule(Rate{}, Ramp{Rate{10, time.Second}, Rate{30, time.Second}}, 2*time.Second, 0), 2 * time.Second, 40},
		{newSchedule(Rate{1, time.Minute}, Ramp{}, 0, 0), time.Second, 1},
	}
	for i, tt := range tests {
		if got := tt.s.planned(tt.d); got != tt.want {
			t.Errorf("case %d: planned(%s) = %d, want %d", i, tt.d, got, tt.want)
		}
	}
}

func TestSchedule_LimitStops(t *testing.T) {
	t.Parallel()
	s := newSchedule(Rate{100, time.Second}, Ramp{}, time.Second, 3)
	if _, stop := s.Pace(0, 2); stop {
		t.Error("stopped before the limit")
	}
	if _, stop := s.Pace(0, 3); !stop {
		t.Error("did not stop at the limit of 3")
	}
}

// Latency counts from the due time: a request sent 40ms late that took
// 2ms took 42ms as far as its user is concerned.
func TestSchedule_Corrected(t *testing.T) {
	t.Parallel()
	s := newSchedule(Rate{100, time.Second}, Ramp{}, time.Second, 0)
	s.Pace(0, 0) // notes the start
	began := s.began
	r := &vegeta.Result{Seq: 9, Timestamp: began.Add(s.due(9) + 40*time.Millisecond), Latency: 2 * time.Millisecond}
	if got := s.corrected(r); got != 42*time.Millisecond {
		t.Errorf("corrected = %s, want 42ms", got)
	}
	if got := s.lag(r); got != 40*time.Millisecond {
		t.Errorf("lag = %s, want 40ms", got)
	}
	onTime := &vegeta.Result{Seq: 3, Timestamp: began.Add(s.due(3)), Latency: 5 * time.Millisecond}
	if got := s.corrected(onTime); got != 5*time.Millisecond {
		t.Errorf("on time: corrected = %s, want the latency itself, 5ms", got)
	}
}

// A merge rebuilds each shard's schedule from load.json.
func TestScheduleSpec_RoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rate Rate
		ramp Ramp
	}{
		{rate: Rate{200, 3 * time.Second}},
		{ramp: Ramp{Rate{10, time.Second}, Rate{90, time.Second}}},
	} {
		s := newSchedule(c.rate, c.ramp, 5*time.Second, 0)
		s.Pace(0, 0)
		data, err := json.Marshal(specOf(s, c.rate, c.ramp, 5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		var sp scheduleSpec
		if err := json.Unmarshal(data, &sp); err != nil || !sp.valid() {
			t.Fatalf("unmarshal %s: %v (valid %v)", data, err, sp.valid())
		}
		back := sp.rebuild()
		for _, n := range []uint64{0, 1, 77, 300} {
			if back.due(n) != s.due(n) || !back.began.Equal(s.began) {
				t.Errorf("%s: due(%d) = %s after the round trip, want %s", data, n, back.due(n), s.due(n))
			}
		}
	}
}
