package faultproxy

import "testing"

func draws(c *chooser, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = c.hit()
	}
	return out
}

func TestChooser_SameSeedSameSequence(t *testing.T) {
	t.Parallel()
	a, b := draws(newChooser(42, 0.3), 500), draws(newChooser(42, 0.3), 500)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d differs between two choosers with seed 42: %v vs %v", i, a[i], b[i])
		}
	}
	c := draws(newChooser(43, 0.3), 500)
	same := true
	for i := range a {
		same = same && a[i] == c[i]
	}
	if same {
		t.Error("seeds 42 and 43 gave the same 500 draws")
	}
}

func TestChooser_ZeroAndOneHitAll(t *testing.T) {
	t.Parallel()
	for _, ratio := range []float64{0, 1} {
		for i, hit := range draws(newChooser(1, ratio), 100) {
			if !hit {
				t.Fatalf("ratio %v: draw %d missed; want every request affected", ratio, i)
			}
		}
	}
}

func TestChooser_ShareFollowsRatio(t *testing.T) {
	t.Parallel()
	for _, ratio := range []float64{0.05, 0.25, 0.5, 0.9} {
		hits := 0
		for _, hit := range draws(newChooser(7, ratio), 10000) {
			if hit {
				hits++
			}
		}
		if share := float64(hits) / 10000; share < ratio-0.03 || share > ratio+0.03 {
			t.Errorf("ratio %v with seed 7: share %v over 10000 draws; want within 0.03", ratio, share)
		}
	}
}
