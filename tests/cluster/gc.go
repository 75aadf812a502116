package main

import (
	"os"
	"runtime/debug"
)

// tuneGC makes Go's garbage collector run less often than its default
// (GOGC=100: a collection each time the heap doubles). During a rollout the
// collector took ~12-17% of the API server's and the controller manager's
// CPU here. With GOGC=400 it runs about a quarter as often while the heap is
// small, and the soft limit makes it collect as often as needed to stay
// near limit bytes: a test cluster trades a few hundred MB for CPU, with a
// bound. GOGC or GOMEMLIMIT in the environment win.
func tuneGC(limit int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}
