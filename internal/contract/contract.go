// Package contract is what the Hub (provider-rowplane) and the Form (function-rowplane) agree
// on: the labels and annotations the Hub writes and the function reads, the names of the
// well-known template variables both fill in, and the rule that derives .host from
// .hostOrUrl. It lives once so the two binaries cannot drift apart, and it imports nothing of
// either.
package contract

import (
	"net/url"
	"strings"
)

// Labels and annotations on the objects the Hub writes.
const (
	// LabelHub names the Hub that wrote an object (a claim or XR).
	LabelHub = "rowplane.io/hub"
	// LabelHubNamespace is the namespace of that Hub.
	LabelHubNamespace = "rowplane.io/hub-namespace"
	// AnnotationUID is the row's uid. The Hub sets it on every claim and XR, and Crossplane
	// copies claim annotations to the XR, where the function reads it.
	AnnotationUID = "rowplane.io/uid"
	// AnnotationHash is a hash of what the Hub last applied; an unchanged hash skips the write.
	AnnotationHash = "rowplane.io/applied-hash"
	// AnnotationApproveDeletions, set on a Hub to the id of a held batch of deletions,
	// approves exactly that batch once.
	AnnotationApproveDeletions = "rowplane.io/approve-deletions"
	// AnnotationOrphanedFrom, on an object a deleted Hub left behind, is that Hub's
	// namespace/name.
	AnnotationOrphanedFrom = "rowplane.io/orphaned-from"
	// LabelClaimName is set by Crossplane on an XR bound to a claim; the function falls back
	// to it for .uid when the uid annotation is missing.
	LabelClaimName = "crossplane.io/claim-name"
)

// Names of the well-known template variables (Lynq's, plus xr and observed in the function).
const (
	// VarUID is the row's uid.
	VarUID = "uid"
	// VarActivate is the row's activate column.
	VarActivate = "activate"
	// VarHubID is the name of the Hub that owns the row.
	VarHubID = "hubId"
	// VarTemplateRef is the name of the Composition that renders the row.
	VarTemplateRef = "templateRef"
	// VarHostOrURL is Lynq's deprecated host-or-URL column, verbatim.
	VarHostOrURL = "hostOrUrl"
	// VarHost is VarHostOrURL reduced to its host (see Host).
	VarHost = "host"
	// VarExpiresAt is the row's expiry in RFC 3339, UTC, when it has one.
	VarExpiresAt = "expiresAt"
	// VarXR is the whole observed composite resource (function only).
	VarXR = "xr"
	// VarObserved is the observed composed resources by id (function only).
	VarObserved = "observed"
)

// Host returns the host of a URL or host:port, without scheme, port, path or user info, or ""
// when there is none: Lynq's toHost, and the rule that derives .host from .hostOrUrl on both
// sides of the contract.
func Host(hostOrURL string) string {
	s := strings.TrimSpace(hostOrURL)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "//" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
