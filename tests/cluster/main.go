// Command harness runs a real kube-apiserver (and optionally
// kube-controller-manager) on 127.0.0.1 with an embedded etcd, for the
// libk8smig tests. See README.md for the contract.
//
//	harness -dir D -port P [-kcm] [-crds DIR] [-max-requests-inflight N]
//	harness kcm --kubeconfig=...   (internal: the controller-manager child)
//	harness kubectl ...            (kubectl of the same Kubernetes version)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
	apiserverapp "k8s.io/kubernetes/cmd/kube-apiserver/app"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, " ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type options struct {
	dir         string
	port        int
	kcm         bool
	crds        string
	maxInflight int
	extraArgs   stringList
	kcmArgs     stringList
	readyWait   time.Duration
	keepPKI     bool
	pprof       string
	kcmPprof    string
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "kcm":
			os.Exit(runKCMChild(os.Args[2:]))
		case "kubectl":
			os.Exit(runKubectl(os.Args[2:]))
		}
	}

	tuneGC(1 << 30) // apiserver + etcd + readier: ~200 MB live after a few thousand objects
	var o options
	fs := flag.NewFlagSet("harness", flag.ExitOnError) // own set: klog owns the global one
	fs.StringVar(&o.dir, "dir", "", "working directory (PKI, etcd data, kubeconfig, logs); created if missing")
	fs.IntVar(&o.port, "port", 16443, "secure port on 127.0.0.1")
	fs.BoolVar(&o.kcm, "kcm", false, "also run kube-controller-manager and mark unbound pods Running/Ready")
	fs.StringVar(&o.crds, "crds", "", "directory whose *.yaml CRDs are installed before ready")
	fs.IntVar(&o.maxInflight, "max-requests-inflight", 0, "if > 0: --max-requests-inflight and --max-mutating-requests-inflight, with APF off")
	fs.Var(&o.extraArgs, "apiserver-arg", "extra kube-apiserver flag, e.g. --v=4 (repeatable)")
	fs.Var(&o.kcmArgs, "kcm-arg", "extra kube-controller-manager flag with -kcm (repeatable)")
	fs.DurationVar(&o.readyWait, "ready-timeout", 3*time.Minute, "give up if not ready within this time")
	fs.BoolVar(&o.keepPKI, "keep-pki", false, "reuse the PKI and tokens an earlier start in the same dir made (restart tests: clients keep working)")
	fs.StringVar(&o.pprof, "pprof", "", "serve Go's /debug/pprof/ of the harness process (apiserver, etcd, pod readier) on this loopback host:port")
	fs.StringVar(&o.kcmPprof, "kcm-pprof", "", "with -kcm: serve the controller manager's /debug/pprof/ on this loopback host:port")
	fs.Parse(os.Args[1:])
	if o.dir == "" || o.port <= 0 {
		fmt.Fprintln(os.Stderr, "usage: harness -dir D -port P [-kcm] [-crds DIR] [-max-requests-inflight N]")
		os.Exit(2)
	}
	dir, err := filepath.Abs(o.dir)
	if err != nil {
		fatal(err)
	}
	o.dir = dir
	if o.crds != "" {
		if o.crds, err = filepath.Abs(o.crds); err != nil {
			fatal(err)
		}
	}
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		fatal(err)
	}
	if err := redirectOutput(filepath.Join(o.dir, "harness.log")); err != nil {
		fatal(err)
	}
	os.Exit(run(o))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "harness:", err)
	os.Exit(1)
}

// redirectOutput points fds 1 and 2 at the log file, so klog, etcd's zap,
// panics and cobra all land there and never in the test output.
func redirectOutput(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	for _, fd := range []int{1, 2} {
		if err := unix.Dup3(int(f.Fd()), fd, 0); err != nil {
			return err
		}
	}
	return f.Close()
}

var logf = log.New(os.Stderr, "harness: ", log.LstdFlags|log.Lmicroseconds).Printf

func run(o options) int {
	start := time.Now()
	logf("starting: dir=%s port=%d kcm=%v crds=%q max-requests-inflight=%d", o.dir, o.port, o.kcm, o.crds, o.maxInflight)
	kubeconfig := filepath.Join(o.dir, "kubeconfig")
	os.Remove(kubeconfig) // its appearance must mean "this run is ready"

	// Creating the command installs kube-apiserver's SIGINT/SIGTERM handler
	// (once per process); its context is our shutdown signal too.
	cmd := apiserverapp.NewAPIServerCommand()
	ctx := cmd.Context()

	if o.pprof != "" {
		if err := servePprof(o.pprof, "harness"); err != nil {
			logf("%v", err)
			return 1
		}
	}
	if o.kcmPprof != "" {
		os.Setenv(kcmPprofEnv, o.kcmPprof) // inherited by the child
	}
	p, err := loadOrMakePKI(o.dir, o.keepPKI)
	if err != nil {
		logf("pki: %v", err)
		return 1
	}
	etcd, err := startEtcd(o.dir)
	if err != nil {
		logf("etcd: %v", err)
		return 1
	}
	defer etcd.stop()
	if ctx.Err() != nil { // SIGTERM while etcd was starting
		return 0
	}

	cmd.SetArgs(apiserverArgs(o, p, etcd.endpoint))
	api := &apiserverRun{done: make(chan struct{})}
	go func() { api.err = cmd.Execute(); close(api.done) }()

	// Derived from the apiserver's context: the controller manager and the
	// pod readier stop as soon as shutdown begins.
	kcmCtx, stopKCM := context.WithCancel(ctx)
	defer stopKCM()
	kcmDone := make(chan struct{})
	close(kcmDone)

	upErr := func() error {
		upCtx, cancel := context.WithTimeout(ctx, o.readyWait)
		defer cancel()
		c, err := waitReady(upCtx, o, p, api.done)
		if err != nil {
			return err
		}
		if o.crds != "" {
			if err := installCRDs(upCtx, c, o.crds); err != nil {
				return fmt.Errorf("crds: %w", err)
			}
		}
		if o.kcm {
			if err := kcmKubeconfig(filepath.Join(o.dir, "kcm.kubeconfig"), o.port, p); err != nil {
				return err
			}
			if err := registerNode(kcmCtx, c.core); err != nil {
				return err
			}
			kcmDone = make(chan struct{})
			go func() { defer close(kcmDone); superviseKCM(kcmCtx, o.dir, o.kcmArgs) }()
			go runPodReadier(kcmCtx, c.core)
			go runVolumeProvisioner(kcmCtx, c.core)
			if err := waitKCM(upCtx, c.core); err != nil {
				return fmt.Errorf("controller-manager: %w", err)
			}
		}
		return writeKubeconfig(kubeconfig, o.port, p)
	}()

	exit := 0
	if upErr == nil {
		logf("ready in %s: %s", time.Since(start).Round(time.Millisecond), kubeconfig)
	} else if ctx.Err() == nil {
		logf("not ready: %v", upErr)
		exit = 1
		// Stop the apiserver through its own signal handler. Only once: a
		// second signal makes that handler exit the process at once.
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}

	<-api.done
	logf("kube-apiserver stopped: %v", api.err)
	if api.err != nil && ctx.Err() == nil {
		exit = 1
	}
	stopKCM()
	<-kcmDone
	os.Remove(kubeconfig)
	return exit
}

// apiserverRun is the outcome of cmd.Execute: err is valid once done is closed.
type apiserverRun struct {
	done chan struct{}
	err  error
}

var errAPIServerExited = errors.New("kube-apiserver exited")

func apiserverArgs(o options, p *pki, etcdEndpoint string) []string {
	args := []string{
		"--etcd-servers=" + etcdEndpoint,
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(o.port),
		// Without a default route, a loopback bind fails with
		// "Unable to find suitable network address" unless this is given.
		"--advertise-address=127.0.0.1",
		"--cert-dir=" + filepath.Join(o.dir, "certs"), // unused, keeps it off /var/run
		"--tls-cert-file=" + p.servingCert,
		"--tls-private-key-file=" + p.servingKey,
		"--client-ca-file=" + p.caCert,
		"--token-auth-file=" + p.tokenFile,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + p.saKey,
		"--service-account-signing-key-file=" + p.saKey,
		"--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.0.0.0/24",
		"--allow-privileged=true",
		// Nothing would create the default ServiceAccount without the
		// controller manager, and pods would be rejected.
		"--disable-admission-plugins=ServiceAccount",
		// The master-lease reconciler rejects a loopback address and logs
		// an error every 10 s; the kubernetes Endpoints are of no use here.
		"--endpoint-reconciler-type=none",
		"--profiling=false",
	}
	if o.maxInflight > 0 {
		n := strconv.Itoa(o.maxInflight)
		// With APF on, these flags only size its total concurrency and
		// requests queue first; off, the max-in-flight filter answers 429
		// as soon as N requests are in flight (system:masters exempt).
		args = append(args, "--enable-priority-and-fairness=false",
			"--max-requests-inflight="+n, "--max-mutating-requests-inflight="+n)
	}
	return append(args, o.extraArgs...)
}
