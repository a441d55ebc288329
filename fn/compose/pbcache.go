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
	tagNull byte = iota
	tagBool
	tagNumber
	tagString
	tagStruct
	tagList
)

// hashStruct returns the hash of s with seed.
func hashStruct(seed maphash.Seed, s *structpb.Struct) uint64 {
	var sum uint64
	for k, v := range s.GetFields() {
		var h maphash.Hash
		h.SetSeed(seed)
		_, _ = h.WriteString(k)
		hashValue(seed, &h, v)
		sum += h.Sum64()
	}
	return sum
}

func hashValue(seed maphash.Seed, h *maphash.Hash, v *structpb.Value) {
	switch k := v.GetKind().(type) {
	case *structpb.Value_BoolValue:
		writeBool(h, k.BoolValue)
	case *structpb.Value_NumberValue:
		writeNumber(h, k.NumberValue)
	case *structpb.Value_StringValue:
		_ = h.WriteByte(tagString)
		_, _ = h.WriteString(k.StringValue)
	case *structpb.Value_StructValue:
		writeSum(h, tagStruct, hashStruct(seed, k.StructValue))
	case *structpb.Value_ListValue:
		_ = h.WriteByte(tagList)
		for _, e := range k.ListValue.GetValues() {
			hashValue(seed, h, e)
		}
	default:
		_ = h.WriteByte(tagNull)
	}
}

// hashMap returns the hash of m with seed, equal to hashStruct of structpb.NewStruct(m). ok is
// false when m holds a value NewStruct converts in a way the cache does not follow.
func hashMap(seed maphash.Seed, m map[string]any) (uint64, bool) {
	var sum uint64
	for k, v := range m {
		var h maphash.Hash
		h.SetSeed(seed)
		_, _ = h.WriteString(k)
		if !hashAny(seed, &h, v) {
			return 0, false
		}
		sum += h.Sum64()
	}
	return sum, true
}

func hashAny(seed maphash.Seed, h *maphash.Hash, v any) bool {
	if n, ok := number(v); ok {
		writeNumber(h, n)
		return true
	}
	switch t := v.(type) {
	case nil:
		_ = h.WriteByte(tagNull)
	case bool:
		writeBool(h, t)
	case string:
		_ = h.WriteByte(tagString)
		_, _ = h.WriteString(t)
	case map[string]any:
		sum, ok := hashMap(seed, t)
		if !ok {
			return false
		}
		writeSum(h, tagStruct, sum)
	case []any:
		_ = h.WriteByte(tagList)
		for _, e := range t {
			if !hashAny(seed, h, e) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

func writeBool(h *maphash.Hash, b bool) {
	_ = h.WriteByte(tagBool)
	if b {
		_ = h.WriteByte(1)
		return
	}
	_ = h.WriteByte(0)
}

func writeNumber(h *maphash.Hash, n float64) {
	writeSum(h, tagNumber, math.Float64bits(n))
}

func writeSum(h *maphash.Hash, tag byte, u uint64) {
	_ = h.WriteByte(tag)
	for i := range 8 {
		_ = h.WriteByte(byte(u >> (8 * i)))
	}
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
