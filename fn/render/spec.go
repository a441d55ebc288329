package render

import (
	"encoding/json"
	"sync"
)

// maxCachedSpecs bounds the spec cache like maxCachedRefs: past it the cache starts over.
const maxCachedSpecs = 1024

// specCache keeps each resource spec decoded, by its JSON, so the spec of a Form is decoded
// once and not on every reconcile. The decoded values are shared: walk only reads them and
// builds new maps and slices for what it returns.
type specCache struct {
	mu sync.Mutex
	m  map[string]map[string]any
}

func (c *specCache) get(raw []byte) (map[string]any, error) {
	c.mu.Lock()
	spec, ok := c.m[string(raw)]
	c.mu.Unlock()
	if ok {
		return spec, nil
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedSpecs {
		c.m = make(map[string]map[string]any)
	}
	c.m[string(raw)] = spec
	c.mu.Unlock()
	return spec, nil
}
