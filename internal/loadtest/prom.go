package loadtest

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// promMetrics exposes a run's live figures for Prometheus. Series are
// labelled by operation, never by URL (one series per media file would
// swamp the server), and failures are counted here: Vegeta's lib/prom
// failure counter never increments.
type promMetrics struct {
	requests *prometheus.CounterVec
	failures *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	lag      prometheus.Histogram
	rate     prometheus.Gauge
	srv      *http.Server
	addr     string
}

// startProm listens on addr and serves /metrics until close.
func startProm(addr, scenario string) (*promMetrics, error) {
	constLabels := prometheus.Labels{"scenario": scenario}
	pm := &promMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loadtest_requests_total", Help: "Requests sent, by operation and outcome (expected, transport, rate-limited, unexpected).",
			ConstLabels: constLabels,
		}, []string{"operation", "outcome"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "loadtest_failures_total", Help: "Failed requests and checks, by operation and reason.",
			ConstLabels: constLabels,
		}, []string{"operation", "reason"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "loadtest_request_duration_seconds", Help: "Latency from the scheduled send time to the end of the response.",
			ConstLabels: constLabels, Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}, []string{"operation"}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "loadtest_send_lag_seconds", Help: "How late requests left the generator.",
			ConstLabels: constLabels, Buckets: prometheus.ExponentialBuckets(0.0001, 4, 8),
		}),
		rate: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "loadtest_requested_rate", Help: "Requested requests per second.", ConstLabels: constLabels,
		}),
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(pm.requests, pm.failures, pm.latency, pm.lag, pm.rate)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, usagef("prometheus address %q: %v", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	pm.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	pm.addr = ln.Addr().String()
	// Serve ends with ErrServerClosed at close; any other error leaves the
	// run going without metrics, which are a convenience.
	go func() { _ = pm.srv.Serve(ln) }()
	return pm, nil
}

var failureReason = map[outcome]string{outcomeTransport: "transport", outcomeLimited: "rate_limited", outcomeUnexpected: "unexpected_status"}

func (pm *promMetrics) observe(it item) {
	if pm == nil {
		return
	}
	op := string(it.op())
	pm.requests.WithLabelValues(op, it.outcome.String()).Inc()
	pm.latency.WithLabelValues(op).Observe(it.corrected.Seconds())
	pm.lag.Observe(it.lag.Seconds())
	if reason, failed := failureReason[it.outcome]; failed {
		pm.failures.WithLabelValues(op, reason).Inc()
	}
}

// failed counts a failed check (contract_violation, identity_mismatch).
func (pm *promMetrics) failed(op operation, reason string) {
	if pm == nil {
		return
	}
	pm.failures.WithLabelValues(string(op), reason).Inc()
}

func (pm *promMetrics) setRate(r float64) {
	if pm != nil {
		pm.rate.Set(r)
	}
}

func (pm *promMetrics) close() {
	if pm == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = pm.srv.Shutdown(ctx)
}
