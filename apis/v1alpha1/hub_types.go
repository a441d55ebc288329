package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/rowplane/rowplane/internal/contract"
)

// Labels and annotations the Hub controller puts on the objects it writes. The keys are the
// Hub–Form contract's (internal/contract); these names keep the API package's exports.
const (
	// LabelHub names the Hub that wrote an object.
	LabelHub = contract.LabelHub
	// LabelHubNamespace is the namespace of that Hub.
	LabelHubNamespace = contract.LabelHubNamespace
	// AnnotationUID is the row's uid.
	AnnotationUID = contract.AnnotationUID
	// AnnotationHash is a hash of what the Hub last applied; an unchanged hash skips the write.
	AnnotationHash = contract.AnnotationHash
	// AnnotationApproveDeletions, set on a Hub to the id of a held batch of deletions (as the
	// DeletionsPaused condition and status.pendingDeletionBatch give it), approves exactly that
	// batch once. The controller removes it when it is used, and removes with a warning event
	// one that names no held batch. A number approves nothing.
	AnnotationApproveDeletions = contract.AnnotationApproveDeletions
	// AnnotationOrphanedFrom, on an object a deleted Hub left behind, is that Hub's
	// namespace/name.
	AnnotationOrphanedFrom = contract.AnnotationOrphanedFrom
)

// Condition types and reasons of a Hub, besides Ready and Synced.
const (
	// TypeDeletionsPaused is True while deletions the table asks for are held back by a guard.
	TypeDeletionsPaused xpv2.ConditionType = "DeletionsPaused"

	ReasonEmptyTable       xpv2.ConditionReason = "EmptyTable"
	ReasonOverBudget       xpv2.ConditionReason = "OverDeletionBudget"
	ReasonNoPausedDeletion xpv2.ConditionReason = "NoneHeld"
)

// DeletionPolicy says what happens to a Hub's objects when the Hub is deleted.
// +kubebuilder:validation:Enum=Delete;Orphan
type DeletionPolicy string

// Deletion policies.
const (
	// DeletionDelete deletes the Hub's objects with the Hub, behind the deletion guards.
	DeletionDelete DeletionPolicy = "Delete"
	// DeletionOrphan, the default, removes the Hub labels from its objects and leaves them.
	DeletionOrphan DeletionPolicy = "Orphan"
)

// ValueMappings maps the two columns every Hub needs, with Lynq's names, and the optional ones.
type ValueMappings struct {
	// UID is the column holding the row's unique id, exposed to templates as .uid.
	// +kubebuilder:validation:MinLength=1
	UID string `json:"uid"`

	// Activate is the column that switches a row on. A value of 1, true or yes (any case, after
	// trimming blanks) is active; anything else, NULL included, is inactive. Exposed as .activate.
	// +kubebuilder:validation:MinLength=1
	Activate string `json:"activate"`

	// HostOrURL is Lynq's deprecated host-or-URL column, kept so LynqHubs translate one to one.
	// Exposed to templates as .hostOrUrl and, with scheme, port and path removed, as .host, and
	// written into the target as hostOrUrl under valuesPath when its schema has that field.
	// Prefer an extraValueMappings entry.
	// +optional
	HostOrURL string `json:"hostOrUrl,omitempty"`

	// ExpiresAt is an optional column holding when a row expires: a DATETIME or TIMESTAMP (read
	// as UTC), a DATE (midnight UTC) or a string in RFC 3339. A row whose expiry is at or before
	// the sync time counts as inactive, so its objects are deleted behind the same guards as a
	// deactivated row's; NULL never expires. An unparsable value makes the row invalid and leaves
	// its objects as they are. Exposed to templates as .expiresAt (RFC 3339, UTC) when not NULL;
	// it is not written into the objects unless an extraValueMappings entry maps it too.
	// +optional
	ExpiresAt string `json:"expiresAt,omitempty"`
}

// A CompositionReference names a Composition.
type CompositionReference struct {
	// Name of the Composition.
	Name string `json:"name"`
}

// A CompositionSelector selects a Composition by labels.
type CompositionSelector struct {
	// MatchLabels the Composition must carry.
	MatchLabels map[string]string `json:"matchLabels"`
}

// A Target is a kind of object the Hub writes, one per active row: a claim (created in the Hub's
// namespace) or a composite resource (a namespaced one in the Hub's namespace, a cluster-scoped
// one with a name that must be unique to this Hub).
type Target struct {
	// APIVersion of the target kind, e.g. example.rowplane.io/v1alpha1.
	// +kubebuilder:validation:MinLength=1
	APIVersion string `json:"apiVersion"`

	// Kind of the target, e.g. NodeDatabase.
	// +kubebuilder:validation:MinLength=1
	Kind string `json:"kind"`

	// NameTemplate renders the object's name from the row's variables (.uid, .activate, .hubId,
	// .expiresAt when mapped, and every extraValueMappings key). It must render a DNS-1123
	// subdomain.
	// +kubebuilder:default="{{ .uid }}"
	// +optional
	NameTemplate string `json:"nameTemplate,omitempty"`

	// ValuesPath is the dot-separated field path the extraValueMappings values are written
	// under, e.g. spec or spec.parameters.
	// +kubebuilder:default=spec
	// +optional
	ValuesPath string `json:"valuesPath,omitempty"`

	// CompositionRef pins the Composition of every object of this target.
	// +optional
	CompositionRef *CompositionReference `json:"compositionRef,omitempty"`

	// CompositionSelector selects the Composition of every object of this target.
	// +optional
	CompositionSelector *CompositionSelector `json:"compositionSelector,omitempty"`
}

// Deletion configures when and how the Hub deletes objects.
type Deletion struct {
	// Policy is what happens to the Hub's objects when the Hub is deleted: Orphan (the default)
	// leaves them, without the Hub's labels and with a rowplane.io/orphaned-from annotation;
	// Delete deletes them, behind maxPercent, maxPerSync and approvals like any other deletion.
	// +kubebuilder:default=Orphan
	// +optional
	Policy DeletionPolicy `json:"policy,omitempty"`

	// MaxPerSync holds back a sync's deletions when there are more than this many. Unset means
	// no count limit.
	// +kubebuilder:validation:Minimum=0
	// +optional
	MaxPerSync *int32 `json:"maxPerSync,omitempty"`

	// MaxPercent holds back a sync's deletions when they are more than this percentage of the
	// Hub's existing objects. A single deletion never exceeds it.
	// +kubebuilder:default=25
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +optional
	MaxPercent *int32 `json:"maxPercent,omitempty"`

	// AllowEmpty lets a table with no active rows delete the Hub's objects (subject to the
	// budgets above). By default an empty result while objects exist holds every deletion back,
	// since it is more often an accident than an intent. A table whose active rows are all
	// invalid is held back even so.
	// +optional
	AllowEmpty bool `json:"allowEmpty,omitempty"`
}

// HubSpec is the desired state of a Hub.
type HubSpec struct {
	// ProviderConfigRef names the ProviderConfig or ClusterProviderConfig of the database.
	// +kubebuilder:default={"kind": "ProviderConfig", "name": "default"}
	// +optional
	ProviderConfigReference *xpv2.ProviderConfigReference `json:"providerConfigRef,omitempty"`

	// Table (or view) to read, optionally qualified by its database (MySQL) or schema
	// (PostgreSQL) as db.table.
	// +kubebuilder:validation:Pattern=`^[0-9A-Za-z_$]{1,64}(\.[0-9A-Za-z_$]{1,64})?$`
	Table string `json:"table"`

	// SyncInterval between two reads of the table, like 30s, 5m or 1h.
	// +kubebuilder:default="30s"
	// +kubebuilder:validation:Pattern=`^[0-9]+(s|m|h)$`
	// +optional
	SyncInterval string `json:"syncInterval,omitempty"`

	// ChangeDetection makes a change to the table reach its objects sooner than the next
	// syncInterval. Unset, the Hub probes its table every second; mode None turns it off.
	// +optional
	ChangeDetection *ChangeDetection `json:"changeDetection,omitempty"`

	// ValueMappings maps the uid and activate columns, and optionally the expiry column.
	ValueMappings ValueMappings `json:"valueMappings"`

	// ExtraValueMappings maps template variables (and target fields) to columns.
	// +optional
	ExtraValueMappings map[string]string `json:"extraValueMappings,omitempty"`

	// Targets are the kinds written for every active row.
	// +kubebuilder:validation:MinItems=1
	Targets []Target `json:"targets"`

	// Deletion configures deletion guards and what happens on Hub deletion.
	// +kubebuilder:default={"policy": "Orphan", "maxPercent": 25}
	// +optional
	Deletion Deletion `json:"deletion,omitempty"`
}

// An InvalidRow is a row the Hub skipped, with the reason.
type InvalidRow struct {
	// Key identifies the row: its uid, or its position when the uid is NULL.
	Key string `json:"key"`

	// Reason the row was skipped.
	Reason string `json:"reason"`
}

// HubStatus is the observed state of a Hub.
type HubStatus struct {
	xpv2.ConditionedStatus `json:",inline"`

	// ObservedGeneration is the generation the last sync acted on.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Rows read by the last successful sync.
	Rows int64 `json:"rows"`

	// ActiveRows among them.
	ActiveRows int64 `json:"activeRows"`

	// InvalidRows is how many active rows were skipped.
	InvalidRows int64 `json:"invalidRows"`

	// ExpiredRows is how many rows would be active but are past their valueMappings.expiresAt.
	// They are not counted in ActiveRows.
	// +optional
	ExpiredRows int64 `json:"expiredRows,omitempty"`

	// InvalidRowSamples are the first invalid rows (at most 10) with their reasons, each cut to
	// a bounded length; InvalidRows has the count.
	// +optional
	InvalidRowSamples []InvalidRow `json:"invalidRowSamples,omitempty"`

	// Desired is the number of objects the rows ask for (valid active rows times targets).
	Desired int64 `json:"desired"`

	// Ready is how many of them report Ready=True.
	Ready int64 `json:"ready"`

	// Failed is how many could not be written or report Synced=False.
	Failed int64 `json:"failed"`

	// PendingDeletions is how many deletions a guard holds back.
	// +optional
	PendingDeletions int64 `json:"pendingDeletions,omitempty"`

	// PendingDeletionBatch is the id of the held-back deletions: annotate the Hub with
	// rowplane.io/approve-deletions=<id> to let exactly them through once.
	// +optional
	PendingDeletionBatch string `json:"pendingDeletionBatch,omitempty"`

	// LastSyncTime is when the last sync finished.
	// +optional
	LastSyncTime *metav1.Time `json:"lastSyncTime,omitempty"`

	// LastSyncDuration is how long it took.
	// +optional
	LastSyncDuration *metav1.Duration `json:"lastSyncDuration,omitempty"`
}

// A Hub reads a MySQL, MariaDB or PostgreSQL table and keeps one claim or composite resource
// per active row and target: a new row creates it, a changed column updates it, a deactivated
// or deleted row deletes it, behind guards that stop a database accident from deleting tenants.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="TABLE",type="string",JSONPath=".spec.table"
// +kubebuilder:printcolumn:name="ROWS",type="integer",JSONPath=".status.activeRows"
// +kubebuilder:printcolumn:name="DESIRED",type="integer",JSONPath=".status.desired"
// +kubebuilder:printcolumn:name="READY",type="integer",JSONPath=".status.ready"
// +kubebuilder:printcolumn:name="FAILED",type="integer",JSONPath=".status.failed"
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:resource:scope=Namespaced,categories={crossplane,rowplane}
type Hub struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   HubSpec   `json:"spec"`
	Status HubStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// HubList contains a list of Hub.
type HubList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Hub `json:"items"`
}

// GetCondition of this Hub.
func (h *Hub) GetCondition(ct xpv2.ConditionType) xpv2.Condition {
	return h.Status.GetCondition(ct)
}

// SetConditions of this Hub.
func (h *Hub) SetConditions(c ...xpv2.Condition) {
	h.Status.SetConditions(c...)
}
