package main

import (
	"fmt"
	"os"
	"time"

	authnv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	auditinternal "k8s.io/apiserver/pkg/apis/audit"
	"k8s.io/apiserver/pkg/server"
	"k8s.io/component-base/metrics/legacyregistry"
)

// exitNotDelivered: the backend logged "Error in audit plugin 'webhook' …" and dropped the event.
// kube-apiserver keeps running then, so this is not a "command failed".
const exitNotDelivered = 3

// deliverOne sends one event through the backends ApplyTo built, as the apiserver's audit filter
// does for a request, and waits for it: in blocking mode ProcessEvents returns after the POST (and
// its retries). Whether it arrived is read from apiserver_audit_error_total{plugin="webhook"}, the
// counter an operator watches, which HandlePluginError increments.
func deliverOne(config *server.Config) error {
	stop := make(chan struct{})
	backend := config.AuditBackend
	if err := backend.Run(stop); err != nil {
		return fmt.Errorf("starting the audit backend: %w", err)
	}
	now := metav1.NewMicroTime(time.Now())
	event := &auditinternal.Event{
		Level:                    auditinternal.LevelMetadata,
		AuditID:                  types.UID(fmt.Sprintf("audit-oracle-%d", time.Now().UnixNano())),
		Stage:                    auditinternal.StageResponseComplete,
		RequestURI:               "/api/v1/namespaces/default/configmaps",
		Verb:                     "create",
		User:                     authnv1.UserInfo{Username: "audit-oracle"},
		SourceIPs:                []string{"127.0.0.1"},
		ObjectRef:                &auditinternal.ObjectReference{Resource: "configmaps", Namespace: "default", Name: "audit-oracle", APIVersion: "v1"},
		ResponseStatus:           &metav1.Status{Code: 201},
		RequestReceivedTimestamp: now,
		StageTimestamp:           now,
	}
	backend.ProcessEvents(event)
	close(stop)
	backend.Shutdown()
	failed, err := webhookErrors()
	if err != nil {
		return err
	}
	if failed > 0 {
		fmt.Printf("not delivered: %v audit event(s) dropped by the webhook backend\n", failed)
		os.Exit(exitNotDelivered)
	}
	fmt.Println("delivered: 1 audit event")
	return nil
}

// webhookErrors reads apiserver_audit_error_total{plugin="webhook"} from the registry the apiserver
// serves at /metrics.
func webhookErrors() (float64, error) {
	families, err := legacyregistry.DefaultGatherer.Gather()
	if err != nil {
		return 0, fmt.Errorf("reading the audit metrics: %w", err)
	}
	for _, family := range families {
		if family.GetName() != "apiserver_audit_error_total" {
			continue
		}
		for _, m := range family.GetMetric() {
			for _, label := range m.GetLabel() {
				if label.GetName() == "plugin" && label.GetValue() == "webhook" {
					return m.GetCounter().GetValue(), nil
				}
			}
		}
	}
	return 0, nil
}
