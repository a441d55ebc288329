package hubsync

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/rowplane/rowplane/apis/v1alpha1"
	"github.com/rowplane/rowplane/internal/contract"
	"github.com/rowplane/rowplane/provider/schema"
	"github.com/rowplane/rowplane/provider/source"
)

// Renderer renders a target's nameTemplate; internal/template's Engine is one.
type Renderer interface {
	RenderString(name, text string, vars map[string]any) (string, error)
}

// desired is one object a row asks for.
type desired struct {
	target int
	uid    string
	name   string
	hash   string
	obj    *unstructured.Unstructured
}

// rowSet is what the rows of one read ask for.
type rowSet struct {
	rows, active int
	// invalid are active rows that were skipped, with their reasons, in row order.
	invalid []v1alpha1.InvalidRow
	// protected uids belong to rows that exist but were skipped (invalid, duplicated, values
	// that do not fit): their existing objects are neither updated nor deleted.
	protected map[string]bool
	desired   []desired
	// expired counts the rows that would be active but are past their expiry; expiredAt holds
	// their expiry by uid, so a deletion can say why.
	expired   int
	expiredAt map[string]time.Time
	// nextExpiry is the earliest expiry still ahead among the active rows; zero when none.
	nextExpiry time.Time
}

// columns returns every mapped column.
func columns(hub *v1alpha1.Hub) []string {
	cols := []string{hub.Spec.ValueMappings.UID, hub.Spec.ValueMappings.Activate}
	if hub.Spec.ValueMappings.HostOrURL != "" {
		cols = append(cols, hub.Spec.ValueMappings.HostOrURL)
	}
	if hub.Spec.ValueMappings.ExpiresAt != "" {
		cols = append(cols, hub.Spec.ValueMappings.ExpiresAt)
	}
	for _, c := range hub.Spec.ExtraValueMappings {
		cols = append(cols, c)
	}
	return cols
}

// isActive implements Lynq's truthy set, case-insensitively: 1, true and yes.
func isActive(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x == 1
	case json.Number:
		return x.String() == "1"
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "1", "true", "yes":
			return true
		}
	}
	return false
}

// uidString renders a uid value; ok is false for NULL.
func uidString(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	case json.Number:
		return x.String(), true
	default:
		return fmt.Sprint(x), true
	}
}

// buildRowSet turns rows into desired objects as of the sync time now. It never fails as a
// whole: every problem is reported for its row, and other rows are unaffected.
func buildRowSet(hub *v1alpha1.Hub, targets []*target, rows []source.Row, r Renderer, now time.Time) rowSet {
	vm := hub.Spec.ValueMappings
	rs := rowSet{rows: len(rows), protected: map[string]bool{}, expiredAt: map[string]time.Time{}}
	count := map[string]int{}
	for _, row := range rows {
		if uid, ok := uidString(row[vm.UID]); ok {
			count[uid]++
		}
	}
	// names[target][name] = uid, to catch two uids rendering the same name.
	names := make([]map[string]int, len(targets))
	for i := range names {
		names[i] = map[string]int{}
	}
	var cand []desired
	for pos, row := range rows {
		uid, hasUID := uidString(row[vm.UID])
		if count[uid] > 1 {
			rs.protected[uid] = true
		}
		if !isActive(row[vm.Activate]) {
			continue
		}
		exp, expErr := rowExpiry(vm.ExpiresAt, row[vm.ExpiresAt], now)
		if expErr == nil && exp.expired {
			// Expired is inactive: the row asks for nothing, so its objects become deletions
			// and pass the same guards as a deactivated row's.
			rs.expired++
			if hasUID {
				rs.expiredAt[uid] = exp.at
			}
			continue
		}
		rs.active++
		if !exp.at.IsZero() && (rs.nextExpiry.IsZero() || exp.at.Before(rs.nextExpiry)) {
			rs.nextExpiry = exp.at
		}
		switch {
		case !hasUID:
			rs.invalid = append(rs.invalid, v1alpha1.InvalidRow{Key: fmt.Sprintf("row %d", pos+1), Reason: "uid column " + vm.UID + " is NULL"})
			continue
		case uid == "":
			rs.invalid = append(rs.invalid, v1alpha1.InvalidRow{Key: fmt.Sprintf("row %d", pos+1), Reason: "uid column " + vm.UID + " is empty"})
			continue
		case count[uid] > 1:
			rs.invalid = append(rs.invalid, v1alpha1.InvalidRow{Key: uid, Reason: fmt.Sprintf("uid appears in %d rows; the rows are skipped and existing objects left as they are", count[uid])})
			continue
		case expErr != nil:
			rs.protected[uid] = true
			rs.invalid = append(rs.invalid, v1alpha1.InvalidRow{Key: uid, Reason: expErr.Error() + "; existing objects are left as they are"})
			continue
		}
		objs, err := rowObjects(hub, targets, row, uid, r)
		if err != nil {
			rs.protected[uid] = true
			rs.invalid = append(rs.invalid, v1alpha1.InvalidRow{Key: uid, Reason: err.Error()})
			continue
		}
		for i := range objs {
			names[objs[i].target][objs[i].name]++
		}
		cand = append(cand, objs...)
	}
	clash := map[string]bool{}
	for _, d := range cand {
		if names[d.target][d.name] > 1 && !clash[d.uid] {
			clash[d.uid] = true
			rs.protected[d.uid] = true
			rs.invalid = append(rs.invalid, v1alpha1.InvalidRow{Key: d.uid, Reason: fmt.Sprintf(
				"%s: name %q is rendered by more than one row", targets[d.target], d.name)})
		}
	}
	for _, d := range cand {
		if !clash[d.uid] {
			rs.desired = append(rs.desired, d)
		}
	}
	return rs
}

// varHostOrURL is the variable (and claim field) of Lynq's deprecated hostOrUrl mapping.
const varHostOrURL = "hostOrUrl"

// rowVars are the template variables of a row: .uid, .activate, .hubId, .expiresAt when the
// row has an expiry, every extra variable whose column is not NULL, and Lynq's deprecated
// .hostOrUrl and .host.
func rowVars(hub *v1alpha1.Hub, row source.Row, uid string) map[string]any {
	vm := hub.Spec.ValueMappings
	vars := map[string]any{"uid": uid, "activate": row[vm.Activate], "hubId": hub.Name}
	if vm.ExpiresAt != "" {
		if at, err := parseExpiry(row[vm.ExpiresAt]); err == nil {
			vars["expiresAt"] = at.Format(time.RFC3339)
		}
	}
	for v, c := range hub.Spec.ExtraValueMappings {
		if x := row[c]; x != nil {
			vars[v] = x
		}
	}
	if vm.HostOrURL != "" {
		if s, ok := uidString(row[vm.HostOrURL]); ok {
			vars[varHostOrURL] = s
			vars[contract.VarHost] = contract.Host(s)
		}
	}
	return vars
}

func rowObjects(hub *v1alpha1.Hub, targets []*target, row source.Row, uid string, r Renderer) ([]desired, error) {
	vars := rowVars(hub, row, uid)
	out := make([]desired, 0, len(targets))
	for _, t := range targets {
		name, err := r.RenderString(fmt.Sprintf("%s/%s", hub.Name, t), t.spec.NameTemplate, vars)
		if err != nil {
			return nil, errors.Wrapf(err, "%s: render nameTemplate", t)
		}
		if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
			return nil, fmt.Errorf("%s: name %s is not a DNS-1123 subdomain: %s", t, schema.Quote(name), strings.Join(errs, "; "))
		}
		obj, err := t.object(hub, row, uid, name)
		if err != nil {
			return nil, err
		}
		out = append(out, desired{target: t.index, uid: uid, name: name, hash: obj.GetAnnotations()[v1alpha1.AnnotationHash], obj: obj})
	}
	return out, nil
}

// object composes what the Hub applies for one row. The hash annotation is added last, over
// everything else, so any change to the row or the Hub's mapping changes it.
func (t *target) object(hub *v1alpha1.Hub, row source.Row, uid, name string) (*unstructured.Unstructured, error) {
	u := &unstructured.Unstructured{Object: map[string]any{}}
	u.SetGroupVersionKind(t.gvk)
	u.SetName(name)
	if t.namespaced {
		u.SetNamespace(hub.Namespace)
	}
	u.SetLabels(map[string]string{v1alpha1.LabelHub: hub.Name, v1alpha1.LabelHubNamespace: hub.Namespace})
	u.SetAnnotations(map[string]string{v1alpha1.AnnotationUID: uid})
	values := map[string]any{}
	vars := make([]string, 0, len(t.columns))
	for v := range t.columns {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	for _, v := range vars {
		col := t.columns[v]
		c, err := schema.Coerce(row[col], t.fields[v])
		if err != nil {
			return nil, errors.Wrapf(err, "%s: column %s does not fit %s.%s", t, col, t.spec.ValuesPath, v)
		}
		if c != nil {
			values[v] = c
		}
	}
	if err := unstructured.SetNestedField(u.Object, values, t.valuesPath...); err != nil {
		return nil, errors.Wrapf(err, "%s: set %s", t, t.spec.ValuesPath)
	}
	if ref := t.spec.CompositionRef; ref != nil {
		_ = unstructured.SetNestedField(u.Object, map[string]any{"name": ref.Name}, append(t.compositionPath, "compositionRef")...)
	}
	if sel := t.spec.CompositionSelector; sel != nil {
		ml := map[string]any{}
		for k, v := range sel.MatchLabels {
			ml[k] = v
		}
		_ = unstructured.SetNestedField(u.Object, map[string]any{"matchLabels": ml}, append(t.compositionPath, "compositionSelector")...)
	}
	u.SetAnnotations(map[string]string{v1alpha1.AnnotationUID: uid, v1alpha1.AnnotationHash: hashOf(u.Object)})
	return u, nil
}

// hashOf digests an object; encoding/json sorts map keys, so equal objects hash equally.
func hashOf(obj map[string]any) string {
	b, _ := json.Marshal(obj) //nolint:errchkjson // unstructured content always marshals.
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
