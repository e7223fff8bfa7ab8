// audit-oracle: Kubernetes 1.36's own audit start-up and webhook code, called the way kube-apiserver
// calls it, so the version suite (npm run test:versions) can compare the doctor with 1.36 as well as
// with the real 1.20.2 apiserver. Built by scripts/prepare-modern-audit.sh from Debian sid's
// golang-k8s-* sources (GOPATH mode, no -trimpath: the scheme name in decoding errors keeps the
// source path a real apiserver prints).
//
//	audit-oracle policy  --audit-policy-file=F
//	audit-oracle webhook --audit-policy-file=F --audit-webhook-config-file=W
//	audit-oracle deliver --audit-policy-file=F --audit-webhook-config-file=W
//
// Every --audit-* flag of kube-apiserver is accepted (options.AuditOptions.AddFlags). Errors come out
// through component-base/cli.Run, as kube-apiserver's do: `E… run.go:NN] "command failed" err="…"`
// and exit 1. On success the last stdout line says what was built or delivered.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/apiserver/pkg/server"
	"k8s.io/apiserver/pkg/server/options"
	"k8s.io/component-base/cli"
)

func main() {
	root := &cobra.Command{Use: "audit-oracle", SilenceUsage: true}
	root.AddCommand(
		command("policy", "load --audit-policy-file as kube-apiserver does at start-up", false, false),
		command("webhook", "also build the webhook backend from --audit-webhook-config-file", true, false),
		command("deliver", "build the backends, then send one audit.k8s.io/v1 EventList through them", true, true),
	)
	os.Exit(cli.Run(root))
}

func command(name, short string, webhook, deliver bool) *cobra.Command {
	o := options.NewAuditOptions()
	if deliver {
		// An answer in about a second instead of the defaults' ~90 s (5 tries, 10 s × 1.5ⁿ), and no
		// batching: the event is sent (or fails) before ProcessEvents returns.
		o.WebhookOptions.BatchOptions.Mode = options.ModeBlocking
		o.WebhookOptions.InitialBackoff = 100 * time.Millisecond
	}
	cmd := &cobra.Command{
		Use:          name,
		Short:        short,
		SilenceUsage: true,
		Args:         cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if !webhook && o.WebhookOptions.ConfigFile != "" {
				return fmt.Errorf("%s: --audit-webhook-config-file is for the webhook and deliver subcommands", name)
			}
			// kube-apiserver: completedOptions.Validate() → utilerrors.NewAggregate, then
			// BuildGenericConfig → s.Audit.ApplyTo(genericConfig), its error returned unwrapped.
			if errs := o.Validate(); len(errs) != 0 {
				return utilerrors.NewAggregate(errs)
			}
			config := &server.Config{}
			if err := o.ApplyTo(config); err != nil {
				return err
			}
			if config.AuditBackend == nil {
				fmt.Println("started: no audit backend (no --audit-policy-file, or no backend flag)")
				return nil
			}
			if !deliver {
				fmt.Printf("started: audit backend %s\n", config.AuditBackend.String())
				return nil
			}
			return deliverOne(config)
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}
