package refserver

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rentix/mediaharness/internal/imaging"
	"github.com/rentix/mediaharness/internal/pause"
)

// workers is the size of the optimization pool.
const workers = 4

// Public error messages of failed jobs.
const (
	msgDownloadFailed = "The file could not be downloaded from the URL"
	msgSourceTooLarge = "The file is larger than the allowed size"
	msgNotImage       = "The file is not a supported image"
	msgProcessFailed  = "The image could not be processed"
	msgFileDeleted    = "The file was deleted"
)

// optimizer downloads and optimizes uploads in a bounded pool of workers.
type optimizer struct {
	ctx     context.Context // cancelled by close: stops pauses and downloads
	cancel  context.CancelFunc
	fetch   *fetcher
	delay   time.Duration
	queue   *taskQueue
	started atomic.Int64 // tasks taken by workers, for queue positions
	wg      sync.WaitGroup
}

func newOptimizer(delay time.Duration, f *fetcher) *optimizer {
	ctx, cancel := context.WithCancel(context.Background())
	o := &optimizer{ctx: ctx, cancel: cancel, fetch: f, delay: delay, queue: newTaskQueue(workers)}
	o.wg.Add(workers)
	for range workers {
		go o.work()
	}
	return o
}

func (o *optimizer) enqueue(t *task) { o.queue.push(t) }

// close stops the workers (an image being decoded finishes first) and waits.
func (o *optimizer) close() {
	o.cancel()
	o.wg.Wait()
	o.fetch.close()
}

func (o *optimizer) work() {
	defer o.wg.Done()
	for o.ctx.Err() == nil {
		t := o.queue.pop()
		if t == nil {
			select {
			case <-o.queue.wake:
			case <-o.ctx.Done():
			}
			continue
		}
		o.started.Add(1)
		o.run(t)
	}
}

// run takes one file through in_progress to success or failed. OptimizeDelay
// pauses before each step so that clients can observe the states.
func (o *optimizer) run(t *task) {
	if !o.pause() || !t.a.start(t) {
		return
	}
	out := o.optimize(t)
	if t.a.fault(faultOptimizeLifecycleBack) && !o.requeue(t) {
		return
	}
	if !o.pause() {
		return
	}
	t.a.finish(t, out)
}

// requeue holds the file in_progress for a few pauses (so that a reader
// sees it there, however quick the optimization), puts it back to pending
// for a few more, then in_progress again: the fault
// optimize-lifecycle-backwards.
func (o *optimizer) requeue(t *task) bool {
	if !o.pauses(5) {
		return false
	}
	t.a.setState(t.m, optPending)
	if !o.pauses(5) {
		return false
	}
	t.a.setState(t.m, optInProgress)
	return true
}

// pauses waits n times OptimizeDelay; false when the server is closing.
func (o *optimizer) pauses(n int) bool {
	for range n {
		if !o.pause() {
			return false
		}
	}
	return true
}

// pause waits OptimizeDelay; false when the server is closing.
func (o *optimizer) pause() bool {
	return pause.For(o.ctx, o.delay) == nil
}

// outcome is what optimizing one source gave: failure is the public error
// message, empty on success.
type outcome struct {
	failure  string
	original []byte
	result   imaging.Result
}

func (o *optimizer) optimize(t *task) outcome {
	data, err := o.fetch.get(o.ctx, t.url)
	switch {
	case errors.Is(err, errTooLarge):
		return outcome{failure: msgSourceTooLarge}
	case err != nil:
		return outcome{failure: msgDownloadFailed}
	case t.a.gone(t.m):
		return outcome{failure: msgFileDeleted} // spare the decoding
	}
	contentType, ok := imaging.Sniff(data)
	if !ok && t.a.fault(faultOptimizeNotImageSuccess) {
		return outcome{original: data, result: imaging.Result{ContentType: "application/octet-stream"}} // logged, not returned
	}
	if !ok {
		return outcome{failure: msgNotImage}
	}
	res, err := process(data)
	switch {
	case errors.Is(err, imaging.ErrNotImage):
		return outcome{failure: msgNotImage}
	case err != nil || !hasAllVariants(res):
		return outcome{failure: msgProcessFailed}
	}
	if res.ContentType == "" {
		res.ContentType = contentType
	}
	return outcome{original: data, result: res}
}

// process runs imaging.Process; a decoder panic on hostile bytes fails the
// job instead of the server.
func process(data []byte) (res imaging.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("imaging panicked: %v", p)
		}
	}()
	return imaging.Process(data)
}

// hasAllVariants: the API promises every documented size on success.
func hasAllVariants(res imaging.Result) bool {
	if res.BlurHash == "" {
		return false
	}
	for _, size := range imaging.VariantSizes {
		if variantOf(res, size) == nil {
			return false
		}
	}
	return true
}

func variantOf(res imaging.Result, size int) []byte {
	for _, v := range res.Variants {
		if v.Size == size && len(v.WebP) > 0 {
			return v.WebP
		}
	}
	return nil
}
