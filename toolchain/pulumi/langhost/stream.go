package langhost

import "sync"

// StreamTo is an io.Writer that hands each write to the engine as it happens, through the
// serialised send of a streaming RPC. Nothing is buffered: a resource provider announces its port on
// its first line of stdout. Wrap builds the RPC's response from a copy of the bytes, as the child
// reuses its buffer.
type StreamTo[R any] struct {
	Send func(R) error
	Wrap func([]byte) R
}

func (w StreamTo[R]) Write(p []byte) (int, error) {
	if err := w.Send(w.Wrap(append([]byte(nil), p...))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Serialised returns send guarded by a mutex: a child's stdout and stderr are copied on two
// goroutines, and a gRPC stream's Send must not be called from two at once.
func Serialised[R any](send func(R) error) func(R) error {
	var mu sync.Mutex
	return func(r R) error {
		mu.Lock()
		defer mu.Unlock()
		return send(r)
	}
}
