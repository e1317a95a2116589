package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// builtProgram is where a program is built, and the copy of it one run executes.
//
// Each run used to build into a new temporary file. `go build -o FILE` skips the link when FILE
// is already the build of the same sources, and the link is most of a build once the module
// cache and build cache are warm: a program on the Kubernetes SDK links a 60 MB binary in 10 to
// 20 s, against about 1 s for the up-to-date check. So every program directory has one build
// output, kept between runs in the user's cache directory, and `go build` decides whether it is
// stale, by the same rules as for any build.
//
// Stacks of one program may run at once (a rollout previews several shards together), so the
// build happens under a lock on the directory, and each run executes a hard link of its own to
// the output: a later build replaces the output file (go build writes a new file), never the one
// a run is executing.
type builtProgram struct {
	dir  string // the program's build directory in the cache
	lock *os.File
}

// lockBuild takes the build directory of the program in programDir, creating it, and locks it
// until release.
func lockBuild(programDir string) (*builtProgram, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("finding the user's cache directory for the built program: %w", err)
	}
	abs, err := filepath.Abs(programDir)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(abs))
	dir := filepath.Join(cache, "pulumi-language-go", "programs", hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating %s for the built program: %w", dir, err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		lock.Close()
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	return &builtProgram{dir: dir, lock: lock}, nil
}

// output is the path go build writes the program to.
func (b *builtProgram) output() string { return filepath.Join(b.dir, "program") }

// forRun returns a path to the built program that no later build changes, for one run to
// execute and then remove, and releases the lock.
func (b *builtProgram) forRun() (string, error) {
	defer b.release()
	f, err := os.CreateTemp(b.dir, "run-*")
	if err != nil {
		return "", err
	}
	run := f.Name()
	f.Close()
	os.Remove(run)
	if err := os.Link(b.output(), run); err != nil {
		return "", fmt.Errorf("linking the built program for this run: %w", err)
	}
	return run, nil
}

// release unlocks the build directory; it is safe to call more than once.
func (b *builtProgram) release() {
	if b.lock != nil {
		b.lock.Close() // closing the file drops its flock
		b.lock = nil
	}
}
