package hubsync

import (
	"context"
	"fmt"
	"time"

	"github.com/pkg/errors"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/provider/source"
	"github.com/rowplane/rowplane/provider/source/tlsmode"
)

const defaultQueryTimeout = 10 * time.Second

// providerConfigRef returns the Hub's reference with its defaults applied.
func providerConfigRef(hub *v1alpha1.Hub) xpv2.ProviderConfigReference {
	ref := xpv2.ProviderConfigReference{Kind: v1alpha1.ProviderConfigKind, Name: "default"}
	if r := hub.Spec.ProviderConfigReference; r != nil {
		if r.Kind != "" {
			ref.Kind = r.Kind
		}
		if r.Name != "" {
			ref.Name = r.Name
		}
	}
	return ref
}

// connection resolves the Hub's ProviderConfig into a source.Connection and the owner its pool
// is kept under. Secret values never leave this function except inside the Connection.
func connection(ctx context.Context, c client.Reader, hub *v1alpha1.Hub) (string, source.Connection, error) {
	ref := providerConfigRef(hub)
	var spec v1alpha1.ProviderConfigSpec
	var owner, ns string
	switch ref.Kind {
	case v1alpha1.ProviderConfigKind:
		pc := &v1alpha1.ProviderConfig{}
		if err := c.Get(ctx, client.ObjectKey{Namespace: hub.Namespace, Name: ref.Name}, pc); err != nil {
			return "", source.Connection{}, errors.Wrapf(err, "get ProviderConfig %s/%s", hub.Namespace, ref.Name)
		}
		spec, ns, owner = pc.Spec, pc.Namespace, source.Owner(ref.Kind, pc.Namespace, pc.Name)
	case v1alpha1.ClusterProviderConfigKind:
		pc := &v1alpha1.ClusterProviderConfig{}
		if err := c.Get(ctx, client.ObjectKey{Name: ref.Name}, pc); err != nil {
			return "", source.Connection{}, errors.Wrapf(err, "get ClusterProviderConfig %s", ref.Name)
		}
		spec, owner = pc.Spec, source.Owner(ref.Kind, "", pc.Name)
	default:
		return "", source.Connection{}, fmt.Errorf("providerConfigRef.kind %q must be ProviderConfig or ClusterProviderConfig", ref.Kind)
	}
	conn, err := engineConnection(spec)
	if err != nil {
		return "", source.Connection{}, errors.Wrapf(err, "%s", owner)
	}
	sr := secretReader{c: c, pcNamespace: ns}
	cr := spec.Credentials
	if conn.User, err = sr.key(ctx, cr.SecretRef, orDefault(cr.UsernameKey, "username")); err != nil {
		return "", source.Connection{}, errors.Wrapf(err, "%s credentials", owner)
	}
	if conn.Password, err = sr.key(ctx, cr.SecretRef, orDefault(cr.PasswordKey, "password")); err != nil {
		return "", source.Connection{}, errors.Wrapf(err, "%s credentials", owner)
	}
	if conn.TLS, err = sr.tls(ctx, spec.TLS); err != nil {
		return "", source.Connection{}, errors.Wrapf(err, "%s tls", owner)
	}
	return owner, conn, nil
}

// engineConnection is the part of a Connection that needs no Secret: the engine, checked here
// too so a config stored past the CRD's enum is refused rather than read as MySQL, and the
// engine's default port.
func engineConnection(spec v1alpha1.ProviderConfigSpec) (source.Connection, error) {
	conn := source.Connection{Host: spec.Host, Port: int(spec.Port), Database: spec.Database, Timeout: defaultQueryTimeout}
	switch spec.Engine {
	case "", v1alpha1.EngineMySQL:
		conn.Engine = source.EngineMySQL
		if conn.Port == 0 {
			conn.Port = 3306
		}
	case v1alpha1.EnginePostgres:
		conn.Engine = source.EnginePostgres
		if conn.Port == 0 {
			conn.Port = 5432
		}
	default:
		return source.Connection{}, fmt.Errorf("spec.engine: %q is not one of %s (the default), %s", spec.Engine, v1alpha1.EngineMySQL, v1alpha1.EnginePostgres)
	}
	if spec.QueryTimeout != nil && spec.QueryTimeout.Duration > 0 {
		conn.Timeout = spec.QueryTimeout.Duration
	}
	return conn, nil
}

type secretReader struct {
	c client.Reader
	// pcNamespace is the namespace of a namespaced ProviderConfig, which may only read Secrets
	// there; empty for a ClusterProviderConfig.
	pcNamespace string
}

func (s secretReader) key(ctx context.Context, ref v1alpha1.SecretRef, key string) (string, error) {
	ns := ref.Namespace
	switch {
	case s.pcNamespace != "" && ns == "":
		ns = s.pcNamespace
	case s.pcNamespace != "" && ns != s.pcNamespace:
		return "", fmt.Errorf("secret %s/%s: a ProviderConfig may only read Secrets in its own namespace %s", ns, ref.Name, s.pcNamespace)
	case ns == "":
		return "", fmt.Errorf("secret %s: a ClusterProviderConfig must give the Secret's namespace", ref.Name)
	}
	sec := &corev1.Secret{}
	if err := s.c.Get(ctx, client.ObjectKey{Namespace: ns, Name: ref.Name}, sec); err != nil {
		if kerrors.IsNotFound(err) {
			return "", fmt.Errorf("secret %s/%s not found", ns, ref.Name)
		}
		return "", fmt.Errorf("get secret %s/%s: %w", ns, ref.Name, err)
	}
	v, ok := sec.Data[key]
	if !ok {
		return "", fmt.Errorf("secret %s/%s has no key %q", ns, ref.Name, key)
	}
	return string(v), nil
}

func (s secretReader) tls(ctx context.Context, t *v1alpha1.TLSConfig) (tlsmode.TLS, error) {
	if t == nil {
		return tlsmode.TLS{Mode: tlsmode.Preferred}, nil
	}
	out := tlsmode.TLS{Mode: string(t.Mode), ServerName: t.ServerName}
	if out.Mode == "" {
		out.Mode = tlsmode.Preferred
	}
	if (out.Mode == tlsmode.VerifyCA) && t.CASecretRef == nil {
		return tlsmode.TLS{}, fmt.Errorf("mode %s needs caSecretRef", out.Mode)
	}
	if t.CASecretRef != nil {
		ca, err := s.key(ctx, *t.CASecretRef, orDefault(t.CAKey, "ca.crt"))
		if err != nil {
			return tlsmode.TLS{}, err
		}
		out.CAPEM = []byte(ca)
	}
	if t.ClientCertSecretRef != nil {
		cert, err := s.key(ctx, *t.ClientCertSecretRef, orDefault(t.CertKey, corev1.TLSCertKey))
		if err != nil {
			return tlsmode.TLS{}, err
		}
		key, err := s.key(ctx, *t.ClientCertSecretRef, orDefault(t.KeyKey, corev1.TLSPrivateKeyKey))
		if err != nil {
			return tlsmode.TLS{}, err
		}
		out.CertPEM, out.KeyPEM = []byte(cert), []byte(key)
	}
	return out, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// hubUsage presents a Hub to crossplane-runtime's ProviderConfigUsageTracker, which reads only
// its name, namespace, UID, kind and ProviderConfig reference. A Hub is not a managed resource:
// it has no management policies and no connection Secret, so those are empty and ignored.
type hubUsage struct{ *v1alpha1.Hub }

// usageOf returns the Hub as the tracker needs it: with its kind set (a typed client leaves it
// empty) and its reference defaulted.
func usageOf(hub *v1alpha1.Hub) hubUsage {
	h := hub.DeepCopy()
	h.SetGroupVersionKind(v1alpha1.HubGroupVersionKind)
	ref := providerConfigRef(h)
	h.Spec.ProviderConfigReference = &ref
	return hubUsage{h}
}

func (h hubUsage) GetProviderConfigReference() *xpv2.ProviderConfigReference {
	return h.Spec.ProviderConfigReference
}
func (h hubUsage) SetProviderConfigReference(r *xpv2.ProviderConfigReference) {
	h.Spec.ProviderConfigReference = r
}
func (hubUsage) GetManagementPolicies() xpv2.ManagementPolicies                  { return nil }
func (hubUsage) SetManagementPolicies(xpv2.ManagementPolicies)                   {}
func (hubUsage) GetWriteConnectionSecretToReference() *xpv2.LocalSecretReference { return nil }
func (hubUsage) SetWriteConnectionSecretToReference(*xpv2.LocalSecretReference)  {}
