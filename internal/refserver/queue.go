package refserver

import "sync"

// task is one queued optimization.
type task struct {
	a   *agency
	m   *media
	j   *job
	url string
}

// taskQueue is an unbounded FIFO: uploads never wait for the workers.
type taskQueue struct {
	mu    sync.Mutex
	items []*task
	seq   int64
	// wake tells idle workers there is work; a worker drains the queue
	// before it waits again, so a full buffer loses nothing.
	wake chan struct{}
}

func newTaskQueue(workers int) *taskQueue {
	return &taskQueue{wake: make(chan struct{}, workers)}
}

// push appends t and numbers its job in queue order.
func (q *taskQueue) push(t *task) {
	q.mu.Lock()
	q.seq++
	t.j.seq.Store(q.seq)
	q.items = append(q.items, t)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pop takes the oldest task, or nil when the queue is empty.
func (q *taskQueue) pop() *task {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return nil
	}
	t := q.items[0]
	q.items[0] = nil
	q.items = q.items[1:]
	if len(q.items) == 0 {
		q.items = nil // let the backing array go
	}
	return t
}
