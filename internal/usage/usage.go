// Package usage marks errors in how a run was called or configured: a bad
// flag or file, a target that cannot be reached or refuses the key.
// Nothing was tested. Library packages return such errors; only the
// command line maps them to an exit code.
package usage

import (
	"errors"
	"fmt"
)

// ErrUsage is what errors.Is finds in every usage error.
var ErrUsage = errors.New("usage error")

// Error is a usage error; its text is the cause's, without a prefix.
type Error struct{ Err error }

func (e *Error) Error() string        { return e.Err.Error() }
func (e *Error) Unwrap() error        { return e.Err }
func (e *Error) Is(target error) bool { return target == ErrUsage }

// Errorf makes a usage error.
func Errorf(format string, a ...any) error { return &Error{fmt.Errorf(format, a...)} }

// Wrap marks err as a usage error (nil stays nil).
func Wrap(err error) error {
	if err == nil || Is(err) {
		return err
	}
	return &Error{err}
}

// Is reports whether err is a usage error.
func Is(err error) bool { return errors.Is(err, ErrUsage) }
