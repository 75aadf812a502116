package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
)

// kcmPprofEnv carries the -kcm-pprof address to the controller-manager child.
const kcmPprofEnv = "K8SMIG_HARNESS_KCM_PPROF"

// servePprof serves Go's profiling endpoints (/debug/pprof/...) on addr, a
// loopback address, for profiling the harness (-pprof) or its controller
// manager (-kcm-pprof). Opt-in: the apiserver's own --profiling stays off.
func servePprof(addr, who string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("pprof address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("pprof address %q: only loopback addresses", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go http.Serve(l, mux) //nolint:errcheck // lives as long as the process
	logf("%s: pprof on http://%s/debug/pprof/", who, l.Addr())
	return nil
}
