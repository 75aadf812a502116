package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	kcmapp "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

// runKCMChild is the "harness kcm ..." subcommand. The controller manager
// runs in its own process: it has its own global flags, feature gates and
// signal handling, which cannot share a process with kube-apiserver.
func runKCMChild(args []string) int {
	tuneGC(512 << 20)
	if addr := os.Getenv(kcmPprofEnv); addr != "" {
		if err := servePprof(addr, "kube-controller-manager"); err != nil {
			fmt.Fprintln(os.Stderr, "kube-controller-manager:", err)
			return 1
		}
	}
	cmd := kcmapp.NewControllerManagerCommand()
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "kube-controller-manager:", err)
		return 1
	}
	return 0
}

func kcmArgs(dir string) []string {
	kc := filepath.Join(dir, "kcm.kubeconfig")
	return []string{
		"--kubeconfig=" + kc,
		"--authentication-kubeconfig=" + kc,
		"--authorization-kubeconfig=" + kc,
		"--secure-port=0", // no metrics/health server: nothing to collide on
		"--leader-elect=false",
		// Enables the serviceaccount-token controller (legacy token Secrets)
		// and puts our CA into them and into kube-root-ca.crt ConfigMaps.
		"--service-account-private-key-file=" + filepath.Join(dir, "sa.key"),
		"--root-ca-file=" + filepath.Join(dir, "ca.crt"),
		"--cluster-signing-cert-file=" + filepath.Join(dir, "ca.crt"),
		"--cluster-signing-key-file=" + filepath.Join(dir, "ca.key"),
		// Client-side limit of the controller manager: high enough that it
		// never paces a rollout here (see README.md, "-kcm").
		"--kube-api-qps=1000",
		"--kube-api-burst=2000",
	}
}

// superviseKCM runs the controller-manager child until ctx is cancelled,
// restarting it if it dies on its own. Its output goes to kcm.log.
func superviseKCM(ctx context.Context, dir string, extra []string) {
	for ctx.Err() == nil {
		err := runKCMOnce(ctx, dir, extra)
		if ctx.Err() != nil {
			logf("kube-controller-manager stopped: %v", err)
			return
		}
		logf("kube-controller-manager exited (%v); restarting in 2s", err)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}

func runKCMOnce(ctx context.Context, dir string, extra []string) error {
	// Pdeathsig fires when the *thread* that forked the child exits, so
	// keep this goroutine on its thread for the child's lifetime.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	logFile, err := os.OpenFile(filepath.Join(dir, "kcm.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()

	// /proc/self/exe still works after build.sh replaced or pruned our file.
	cmd := exec.CommandContext(ctx, "/proc/self/exe", append(append([]string{"kcm"}, kcmArgs(dir)...), extra...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second // then SIGKILL
	if err := cmd.Start(); err != nil {
		return err
	}
	logf("kube-controller-manager started, pid %d, log %s", cmd.Process.Pid, logFile.Name())
	return cmd.Wait()
}

// waitKCM waits until the controller manager's controllers are running, as
// shown by the serviceaccount controller creating default/default.
func waitKCM(ctx context.Context, c kubernetes.Interface) error {
	err := wait.PollUntilContextCancel(ctx, 200*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		_, err := c.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		return err == nil, nil
	})
	if err != nil {
		return fmt.Errorf("no default ServiceAccount (see kcm.log): %w", err)
	}
	logf("kube-controller-manager is working")
	return nil
}
