package v1alpha1

// ChangeDetectionMode says how a Hub learns that its table changed between two syncs.
// +kubebuilder:validation:Enum=Probe;Notify;None
type ChangeDetectionMode string

// Change detection modes.
const (
	// ChangeProbe runs a one-row fingerprint query of the mapped columns every probeInterval
	// and syncs when it changes. It needs no schema change and no grant beyond SELECT.
	ChangeProbe ChangeDetectionMode = "Probe"
	// ChangeNotify LISTENs on a PostgreSQL channel that a trigger NOTIFYs (see the README for
	// the trigger SQL) and syncs on every notification and after every reconnect. PostgreSQL
	// only.
	ChangeNotify ChangeDetectionMode = "Notify"
	// ChangeNone only reads on the sync interval.
	ChangeNone ChangeDetectionMode = "None"
)

// DefaultNotifyChannel is the channel a Notify Hub listens on when it names none.
const DefaultNotifyChannel = "rowplane"

// ChangeDetection configures change hints. A hint only makes the next sync happen sooner: every
// sync still reads the whole table, a sync still runs every syncInterval, and a hint source
// that fails leaves the Hub polling. Hints never delete anything by themselves.
type ChangeDetection struct {
	// Mode is Probe (the default), Notify (PostgreSQL) or None.
	// +kubebuilder:default=Probe
	// +optional
	Mode ChangeDetectionMode `json:"mode,omitempty"`

	// ProbeInterval between two fingerprint queries in mode Probe, like 500ms, 1s or 1m.
	// +kubebuilder:default="1s"
	// +kubebuilder:validation:Pattern=`^[0-9]+(ms|s|m)$`
	// +optional
	ProbeInterval string `json:"probeInterval,omitempty"`

	// Channel to LISTEN on in mode Notify.
	// +kubebuilder:default=rowplane
	// +kubebuilder:validation:Pattern=`^[A-Za-z_][0-9A-Za-z_$]{0,62}$`
	// +optional
	Channel string `json:"channel,omitempty"`
}
