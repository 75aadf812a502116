package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/component-base/logs"
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
)

// runKubectl is the "harness kubectl ..." subcommand: a kubectl of exactly
// the server's version, so scripts and tests do not depend on (or warn
// about the skew of) whatever kubectl the machine has.
func runKubectl(args []string) int {
	// kubectl reads os.Args itself (plugins, -v, .kuberc).
	os.Args = append([]string{"kubectl"}, args...)
	logs.GlogSetter(kubectlcmd.GetLogVerbosity(os.Args)) //nolint:errcheck
	if err := cli.RunNoErrOutput(kubectlcmd.NewDefaultKubectlCommand()); err != nil {
		kubectlutil.CheckErr(err) // prints and exits non-zero
	}
	return 0
}
