// Package lynq turns Lynq's objects (operator.lynq.sh/v1 LynqHub and LynqForm, and the Secret a
// LynqHub's passwordRef names) into rowplane's: a ProviderConfig and its credentials Secret, a
// Hub, an XRD whose claim has one field per extraValueMappings entry, and a Composition with one
// function-rowplane Form step per LynqForm. The LynqForms' specs become Form inputs unedited.
package lynq

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/pkg/errors"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// Hub is a LynqHub as far as rowplane translates it. Decoding is strict: a field the
// translation does not know is an error, never dropped.
type Hub struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              HubSpec `json:"spec"`
}

// HubSpec is a LynqHub's spec.
type HubSpec struct {
	Source struct {
		Type         string `json:"type"`
		SyncInterval string `json:"syncInterval"`
		MySQL        struct {
			Host        string `json:"host"`
			Port        int32  `json:"port"`
			Username    string `json:"username"`
			PasswordRef struct {
				Name string `json:"name"`
				Key  string `json:"key"`
			} `json:"passwordRef"`
			Database string `json:"database"`
			Table    string `json:"table"`
		} `json:"mysql"`
	} `json:"source"`
	ValueMappings struct {
		UID       string `json:"uid"`
		HostOrURL string `json:"hostOrUrl"`
		Activate  string `json:"activate"`
	} `json:"valueMappings"`
	ExtraValueMappings map[string]string `json:"extraValueMappings"`
}

// Form is a LynqForm: its name, hubId, and its whole spec, which becomes a Form input.
type Form struct {
	Name      string
	Namespace string
	HubID     string
	Spec      map[string]any
}

// Objects are the Lynq objects of one conversion, in input order.
type Objects struct {
	Hubs    []Hub
	Secrets []corev1.Secret
	Forms   []Form
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// Decode reads LynqHubs, LynqForms and Secrets from multi-document YAML. Any other kind is an
// error naming the document, so nothing given is silently left out.
func Decode(files ...[]byte) (Objects, error) {
	var out Objects
	n := 0
	for _, file := range files {
		for _, doc := range docSeparator.Split(string(file), -1) {
			if len(bytes.TrimSpace([]byte(doc))) == 0 || isComment(doc) {
				continue
			}
			n++
			tm := metav1.TypeMeta{}
			if err := yaml.Unmarshal([]byte(doc), &tm); err != nil {
				return out, errors.Wrapf(err, "document %d is not YAML", n)
			}
			if err := out.add(n, tm, []byte(doc)); err != nil {
				return out, err
			}
		}
	}
	if len(out.Hubs) == 0 {
		return out, errors.New("no LynqHub in the input")
	}
	return out, nil
}

func (o *Objects) add(n int, tm metav1.TypeMeta, doc []byte) error {
	switch tm.Kind {
	case "LynqHub":
		h := Hub{}
		if err := yaml.UnmarshalStrict(doc, &h); err != nil {
			return errors.Wrapf(err, "document %d: LynqHub", n)
		}
		o.Hubs = append(o.Hubs, h)
	case "Secret":
		s := corev1.Secret{}
		if err := yaml.UnmarshalStrict(doc, &s); err != nil {
			return errors.Wrapf(err, "document %d: Secret", n)
		}
		o.Secrets = append(o.Secrets, s)
	case "LynqForm":
		f := struct {
			metav1.ObjectMeta `json:"metadata"`
			Spec              map[string]any `json:"spec"`
		}{}
		if err := yaml.Unmarshal(doc, &f); err != nil {
			return errors.Wrapf(err, "document %d: LynqForm", n)
		}
		hub, _ := f.Spec["hubId"].(string)
		o.Forms = append(o.Forms, Form{Name: f.Name, Namespace: f.Namespace, HubID: hub, Spec: f.Spec})
	default:
		return fmt.Errorf("document %d: kind %q is not a LynqHub, LynqForm or Secret", n, tm.Kind)
	}
	return nil
}

// isComment reports whether a document holds only comments.
func isComment(doc string) bool {
	var v any
	return yaml.Unmarshal([]byte(doc), &v) == nil && v == nil
}

// toMap turns a typed object into the map form the output is written in.
func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	return m, json.Unmarshal(b, &m)
}
