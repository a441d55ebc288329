package controlplane

import "testing"

func TestCacheKey(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reason         string
		source, digest string
		want           string
	}{
		"Short": {
			reason: "Separators become dashes and the digest keeps its first 12 characters.",
			source: "xpkg.upbound.io/rowplane/function-rowplane",
			digest: "sha256:8160c758025e77470901b1e8b451ebe135fdf418e43084bf0340dbc3742323de",
			want:   "xpkg-upbound-io-rowplane-function-rowplane-sha256-8160c",
		},
		"LongSource": {
			reason: "The source is cut to 50 characters before the digest is joined.",
			source: "registry.example.com/some/deeply/nested/org/provider-rowplane",
			digest: "sha256:a2c9a789109e4c98abe3db2a742947386f6cf516cbfd66e0f386dfa1db4c182b",
			want:   "registry-example-com-some-deeply-nested-org-provid-sha256-a2c9a",
		},
		"UpperCase": {
			reason: "Characters outside a DNS label are dropped.",
			source: "xpkg.upbound.io/Rowplane/fn_x",
			digest: "sha256:0123456789",
			want:   "xpkg-upbound-io-owplane-fnx-sha256-01234",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := CacheKey(tc.source, tc.digest); got != tc.want {
				t.Errorf("%s\nCacheKey(%q, %q): want %q, got %q", tc.reason, tc.source, tc.digest, tc.want, got)
			}
		})
	}
}
