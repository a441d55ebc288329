package compose

import (
	"hash/maphash"
	"math"

	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/utils/lru"
)

// A Composition's Form and most composed objects are the same on every reconcile of a
// tenant, and the same for every tenant of a Composition. Converting them between structpb and
// Go values was most of a steady-state call, so the function keeps the result by a hash of the
// input and confirms each hit by comparing the input with the one the result was made from:
// a hash collision costs a conversion, never a wrong answer. Hashes ignore map order, so they
// allocate nothing.

// Type tags keep e.g. the string "1" and the number 1 apart in a hash.
const (
	tagNull uint64 = iota + 1
	tagBool
	tagNumber
	tagString
	tagStruct
	tagList
)

// mix combines two hashes; it need not be strong, since every hit is confirmed.
func mix(a, b uint64) uint64 {
	h := a*0x9e3779b97f4a7c15 ^ b
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// hashStruct returns the hash of s with seed. Fields are summed, so their order does not
// matter and nothing is allocated.
func hashStruct(seed maphash.Seed, s *structpb.Struct) uint64 {
	var sum uint64
	for k, v := range s.GetFields() {
		sum += mix(maphash.String(seed, k), hashValue(seed, v))
	}
	return mix(tagStruct, sum)
}

func hashValue(seed maphash.Seed, v *structpb.Value) uint64 {
	switch k := v.GetKind().(type) {
	case *structpb.Value_BoolValue:
		return hashBool(k.BoolValue)
	case *structpb.Value_NumberValue:
		return mix(tagNumber, math.Float64bits(k.NumberValue))
	case *structpb.Value_StringValue:
		return mix(tagString, maphash.String(seed, k.StringValue))
	case *structpb.Value_StructValue:
		return hashStruct(seed, k.StructValue)
	case *structpb.Value_ListValue:
		h := tagList
		for _, e := range k.ListValue.GetValues() {
			h = mix(h, hashValue(seed, e))
		}
		return h
	}
	return tagNull
}

// hashMap returns the hash of m with seed, equal to hashStruct of structpb.NewStruct(m). ok is
// false when m holds a value NewStruct converts in a way the cache does not follow.
func hashMap(seed maphash.Seed, m map[string]any) (uint64, bool) {
	var sum uint64
	for k, v := range m {
		h, ok := hashAny(seed, v)
		if !ok {
			return 0, false
		}
		sum += mix(maphash.String(seed, k), h)
	}
	return mix(tagStruct, sum), true
}

func hashAny(seed maphash.Seed, v any) (uint64, bool) {
	if n, ok := number(v); ok {
		return mix(tagNumber, math.Float64bits(n)), true
	}
	switch t := v.(type) {
	case nil:
		return tagNull, true
	case bool:
		return hashBool(t), true
	case string:
		return mix(tagString, maphash.String(seed, t)), true
	case map[string]any:
		return hashMap(seed, t)
	case []any:
		h := tagList
		for _, e := range t {
			eh, ok := hashAny(seed, e)
			if !ok {
				return 0, false
			}
			h = mix(h, eh)
		}
		return h, true
	}
	return 0, false
}

func hashBool(b bool) uint64 {
	if b {
		return mix(tagBool, 1)
	}
	return mix(tagBool, 0)
}

// number returns v as structpb stores it, for the Go number types the cache follows.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case float32:
		return float64(n), true
	}
	return 0, false
}

// equalStruct reports whether a and b hold the same fields.
func equalStruct(a, b *structpb.Struct) bool {
	af, bf := a.GetFields(), b.GetFields()
	if len(af) != len(bf) {
		return false
	}
	for k, av := range af {
		bv, ok := bf[k]
		if !ok || !equalValue(av, bv) {
			return false
		}
	}
	return true
}

func equalValue(a, b *structpb.Value) bool {
	switch ak := a.GetKind().(type) {
	case *structpb.Value_BoolValue:
		bk, ok := b.GetKind().(*structpb.Value_BoolValue)
		return ok && ak.BoolValue == bk.BoolValue
	case *structpb.Value_NumberValue:
		bk, ok := b.GetKind().(*structpb.Value_NumberValue)
		return ok && math.Float64bits(ak.NumberValue) == math.Float64bits(bk.NumberValue)
	case *structpb.Value_StringValue:
		bk, ok := b.GetKind().(*structpb.Value_StringValue)
		return ok && ak.StringValue == bk.StringValue
	case *structpb.Value_StructValue:
		bk, ok := b.GetKind().(*structpb.Value_StructValue)
		return ok && equalStruct(ak.StructValue, bk.StructValue)
	case *structpb.Value_ListValue:
		bk, ok := b.GetKind().(*structpb.Value_ListValue)
		if !ok || len(ak.ListValue.GetValues()) != len(bk.ListValue.GetValues()) {
			return false
		}
		for i, e := range ak.ListValue.GetValues() {
			if !equalValue(e, bk.ListValue.GetValues()[i]) {
				return false
			}
		}
		return true
	}
	_, ok := b.GetKind().(*structpb.Value_NullValue)
	return ok || b.GetKind() == nil
}

// equalMap reports whether structpb.NewStruct(m) would equal s.
func equalMap(m map[string]any, s *structpb.Struct) bool {
	f := s.GetFields()
	if len(m) != len(f) {
		return false
	}
	for k, v := range m {
		pv, ok := f[k]
		if !ok || !equalAny(v, pv) {
			return false
		}
	}
	return true
}

func equalAny(v any, p *structpb.Value) bool {
	if n, ok := number(v); ok {
		pk, ok := p.GetKind().(*structpb.Value_NumberValue)
		return ok && math.Float64bits(n) == math.Float64bits(pk.NumberValue)
	}
	switch t := v.(type) {
	case nil:
		_, ok := p.GetKind().(*structpb.Value_NullValue)
		return ok
	case bool:
		pk, ok := p.GetKind().(*structpb.Value_BoolValue)
		return ok && pk.BoolValue == t
	case string:
		pk, ok := p.GetKind().(*structpb.Value_StringValue)
		return ok && pk.StringValue == t
	case map[string]any:
		pk, ok := p.GetKind().(*structpb.Value_StructValue)
		return ok && equalMap(t, pk.StructValue)
	case []any:
		pk, ok := p.GetKind().(*structpb.Value_ListValue)
		if !ok || len(pk.ListValue.GetValues()) != len(t) {
			return false
		}
		for i, e := range t {
			if !equalAny(e, pk.ListValue.GetValues()[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// structCache keeps the structpb form of composed objects, so an object rendered the same as
// on an earlier call is not converted again. Its structs are shared by responses and must
// never be modified.
type structCache struct {
	seed maphash.Seed
	lru  *lru.Cache
}

func newStructCache(size int) *structCache {
	return &structCache{seed: maphash.MakeSeed(), lru: lru.New(size)}
}

// get returns m as a Struct, from the cache when an equal object was converted before.
func (c *structCache) get(m map[string]any) (*structpb.Struct, error) {
	key, ok := hashMap(c.seed, m)
	if ok {
		if v, hit := c.lru.Get(key); hit {
			if s := v.(*structpb.Struct); equalMap(m, s) {
				return s, nil
			}
		}
	}
	s, err := structpb.NewStruct(m)
	if err != nil || !ok {
		return s, err
	}
	c.lru.Add(key, s)
	return s, nil
}
