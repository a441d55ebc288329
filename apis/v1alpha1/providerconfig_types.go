package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// TLSMode says whether and how the connection to the database is encrypted and verified. The
// names follow the MySQL client's --ssl-mode.
// +kubebuilder:validation:Enum=disabled;preferred;required;verify-ca;verify-full
type TLSMode string

// TLS modes.
const (
	// TLSDisabled sends everything in plain text.
	TLSDisabled TLSMode = "disabled"
	// TLSPreferred encrypts when the server offers TLS and falls back to plain text otherwise;
	// the server certificate is not verified.
	TLSPreferred TLSMode = "preferred"
	// TLSRequired always encrypts but does not verify the server certificate.
	TLSRequired TLSMode = "required"
	// TLSVerifyCA encrypts and verifies that the server certificate chains to the CA.
	TLSVerifyCA TLSMode = "verify-ca"
	// TLSVerifyFull encrypts, verifies the chain and that the certificate names the host.
	TLSVerifyFull TLSMode = "verify-full"
)

// Engine is the kind of database server a ProviderConfig connects to.
// +kubebuilder:validation:Enum=mysql;postgres
type Engine string

// Engines.
const (
	// EngineMySQL is MySQL or MariaDB.
	EngineMySQL Engine = "mysql"
	// EnginePostgres is PostgreSQL.
	EnginePostgres Engine = "postgres"
)

// A SecretRef names a Secret. A ProviderConfig may only read Secrets in its own namespace, so
// there the namespace must be empty or equal to the ProviderConfig's; a ClusterProviderConfig
// must set it.
type SecretRef struct {
	// Name of the Secret.
	// +kubebuilder:validation:MinLength=1
	Name string `json:"name"`

	// Namespace of the Secret.
	// +optional
	Namespace string `json:"namespace,omitempty"`
}

// Credentials of the database user, read from a Secret.
type Credentials struct {
	// SecretRef names the Secret holding the username and the password.
	SecretRef SecretRef `json:"secretRef"`

	// UsernameKey is the Secret key holding the username.
	// +kubebuilder:default=username
	// +optional
	UsernameKey string `json:"usernameKey,omitempty"`

	// PasswordKey is the Secret key holding the password.
	// +kubebuilder:default=password
	// +optional
	PasswordKey string `json:"passwordKey,omitempty"`
}

// TLSConfig configures encryption of the database connection.
type TLSConfig struct {
	// Mode is one of disabled, preferred, required, verify-ca and verify-full, meaning on
	// PostgreSQL what the sslmode of the same name means (disabled is sslmode=disable).
	// +kubebuilder:default=preferred
	// +optional
	Mode TLSMode `json:"mode,omitempty"`

	// CASecretRef names the Secret holding the PEM CA bundle that signs the server certificate.
	// Required for verify-ca and verify-full; without it the system roots are used.
	// +optional
	CASecretRef *SecretRef `json:"caSecretRef,omitempty"`

	// CAKey is the key of the CA bundle in CASecretRef.
	// +kubebuilder:default=ca.crt
	// +optional
	CAKey string `json:"caKey,omitempty"`

	// ClientCertSecretRef names a Secret (usually of type kubernetes.io/tls) holding a client
	// certificate and key for servers that require X.509 authentication.
	// +optional
	ClientCertSecretRef *SecretRef `json:"clientCertSecretRef,omitempty"`

	// CertKey is the key of the PEM client certificate in ClientCertSecretRef.
	// +kubebuilder:default=tls.crt
	// +optional
	CertKey string `json:"certKey,omitempty"`

	// KeyKey is the key of the PEM client private key in ClientCertSecretRef.
	// +kubebuilder:default=tls.key
	// +optional
	KeyKey string `json:"keyKey,omitempty"`

	// ServerName overrides the host name verify-full checks the certificate against.
	// +optional
	ServerName string `json:"serverName,omitempty"`
}

// ProviderConfigSpec is the database connection a Hub reads its table through.
type ProviderConfigSpec struct {
	// Engine is the kind of database server: mysql (MySQL or MariaDB, the default) or
	// postgres (PostgreSQL). Any other value is refused.
	// +kubebuilder:default=mysql
	// +optional
	Engine Engine `json:"engine,omitempty"`

	// Host of the database server.
	// +kubebuilder:validation:MinLength=1
	Host string `json:"host"`

	// Port of the database server; when unset, the engine's default: 3306 for mysql, 5432
	// for postgres.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	// +optional
	Port int32 `json:"port,omitempty"`

	// Database that holds the Hub tables (on MySQL, the schema).
	// +kubebuilder:validation:MinLength=1
	Database string `json:"database"`

	// Credentials of the database user. The user needs SELECT on the Hub tables only.
	Credentials Credentials `json:"credentials"`

	// TLS configures encryption of the connection.
	// +optional
	TLS *TLSConfig `json:"tls,omitempty"`

	// QueryTimeout bounds every query, ping included.
	// +kubebuilder:default="10s"
	// +optional
	QueryTimeout *metav1.Duration `json:"queryTimeout,omitempty"`
}

// ProviderConfigStatus is the observed status of a ProviderConfig or ClusterProviderConfig: its
// conditions and how many Hubs use it.
type ProviderConfigStatus struct {
	// Embedded, not used directly as the status, so angryjet generates the methods of a
	// crossplane-runtime ProviderConfig (zz_generated.pc.go).
	xpv2.ProviderConfigStatus `json:",inline"`
}

// A ProviderConfig configures a database connection for the Hubs in its namespace.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="ENGINE",type="string",JSONPath=".spec.engine"
// +kubebuilder:printcolumn:name="HOST",type="string",JSONPath=".spec.host"
// +kubebuilder:printcolumn:name="DATABASE",type="string",JSONPath=".spec.database"
// +kubebuilder:printcolumn:name="TLS",type="string",JSONPath=".spec.tls.mode"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:resource:scope=Namespaced,categories={crossplane,provider,rowplane}
type ProviderConfig struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ProviderConfigSpec   `json:"spec"`
	Status ProviderConfigStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ProviderConfigList contains a list of ProviderConfig.
type ProviderConfigList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ProviderConfig `json:"items"`
}

// A ClusterProviderConfig configures a database connection for Hubs in any namespace.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="ENGINE",type="string",JSONPath=".spec.engine"
// +kubebuilder:printcolumn:name="HOST",type="string",JSONPath=".spec.host"
// +kubebuilder:printcolumn:name="DATABASE",type="string",JSONPath=".spec.database"
// +kubebuilder:printcolumn:name="TLS",type="string",JSONPath=".spec.tls.mode"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:resource:scope=Cluster,categories={crossplane,provider,rowplane}
type ClusterProviderConfig struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ProviderConfigSpec   `json:"spec"`
	Status ProviderConfigStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ClusterProviderConfigList contains a list of ClusterProviderConfig.
type ClusterProviderConfigList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ClusterProviderConfig `json:"items"`
}
