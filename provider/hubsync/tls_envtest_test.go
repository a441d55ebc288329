package hubsync_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/source/mysql/mysqltest"
)

// TestTLSVerifyFull syncs a Hub through a ProviderConfig with tls.mode verify-full and the CA in
// a Secret, against a private MariaDB whose user requires TLS.
func TestTLSVerifyFull(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := mysqltest.StartTLSServer(t)
	objs := []client.Object{
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: h.ns, Name: "tls-creds"},
			Data: map[string][]byte{"username": []byte(s.User), "password": []byte(s.Password)}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: h.ns, Name: "tls-ca"},
			Data: map[string][]byte{"ca.crt": s.CAPEM}},
		&v1alpha1.ProviderConfig{ObjectMeta: metav1.ObjectMeta{Namespace: h.ns, Name: "tls"},
			Spec: v1alpha1.ProviderConfigSpec{Host: s.Host, Port: int32(s.Port), Database: "nodes_db", //nolint:gosec // test port.
				Credentials: v1alpha1.Credentials{SecretRef: v1alpha1.SecretRef{Name: "tls-creds"}},
				TLS:         &v1alpha1.TLSConfig{Mode: v1alpha1.TLSVerifyFull, CASecretRef: &v1alpha1.SecretRef{Name: "tls-ca"}}}},
	}
	for _, o := range objs {
		if err := h.c.Create(h.ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	h.createHub(func(hub *v1alpha1.Hub) {
		hub.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: "tls"}
		hub.Spec.ExtraValueMappings = nil
	})
	if got := h.sync(); got != 1 {
		s, msg := h.condition("Synced")
		t.Fatalf("verify-full: want 1 claim written, got %d (Synced %s %s)", got, s, msg)
	}
	if _, ok := h.claims()["acme-corp"]; !ok {
		t.Errorf("verify-full: claim acme-corp missing")
	}
}
