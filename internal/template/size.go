package template

import (
	"reflect"
	"unsafe"
)

// maxDepth bounds how deep sizeOf looks; deeper values count as over any limit, which is also
// how a value that contains itself is refused.
const maxDepth = 1000

// sizeOf returns about how many bytes v takes when printed or encoded, each reference counted
// every time it appears, as printing would. It stops once over limit, so the work is bounded
// even for a value built by doubling references.
func sizeOf(v reflect.Value, limit int64) int64 {
	n := int64(0)
	sizeInto(v, limit, 0, &n)
	return n
}

func sizeInto(v reflect.Value, limit int64, depth int, n *int64) {
	if *n > limit {
		return
	}
	if depth > maxDepth {
		*n = limit + 1
		return
	}
	switch v.Kind() {
	case reflect.Invalid:
	case reflect.String:
		*n += int64(v.Len())
	case reflect.Interface, reflect.Pointer:
		if !v.IsNil() {
			*n += 8
			sizeInto(v.Elem(), limit, depth+1, n)
		}
	case reflect.Slice, reflect.Array:
		if k := v.Type().Elem().Kind(); k <= reflect.Complex128 {
			*n += int64(v.Len()) * int64(v.Type().Elem().Size())
			return
		}
		for i := range v.Len() {
			*n += 16
			if sizeInto(v.Index(i), limit, depth+1, n); *n > limit {
				return
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			*n += 16
			sizeInto(it.Key(), limit, depth+1, n)
			if sizeInto(it.Value(), limit, depth+1, n); *n > limit {
				return
			}
		}
	case reflect.Struct:
		*n += int64(v.Type().Size())
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.String || f.Kind() == reflect.Slice || f.Kind() == reflect.Map {
				sizeInto(f, limit, depth+1, n)
			}
		}
	default:
		*n += 8
	}
}

// sharesString reports whether s lies within the memory of a string argument: a substring
// (trim, first word, default) costs nothing new.
func sharesString(s string, args []reflect.Value) bool {
	if len(s) == 0 {
		return true
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	for _, a := range args {
		for a.Kind() == reflect.Interface && !a.IsNil() {
			a = a.Elem()
		}
		if a.Kind() != reflect.String || a.Len() < len(s) {
			continue
		}
		as := a.String()
		q := uintptr(unsafe.Pointer(unsafe.StringData(as)))
		if p >= q && p+uintptr(len(s)) <= q+uintptr(len(as)) {
			return true
		}
	}
	return false
}

// sameRef reports whether r is one of the maps or lists the call was given.
func sameRef(r reflect.Value, args []reflect.Value) bool {
	for _, a := range args {
		for a.Kind() == reflect.Interface && !a.IsNil() {
			a = a.Elem()
		}
		if a.Kind() == r.Kind() && a.Pointer() == r.Pointer() && (r.Kind() != reflect.Slice || a.Len() == r.Len()) {
			return true
		}
	}
	return false
}

// contains reports whether the map target can be reached from any of vals, or might be: a
// search too deep or too long to finish counts as reaching it.
func contains(vals []reflect.Value, target reflect.Value) bool {
	for target.Kind() == reflect.Interface && !target.IsNil() {
		target = target.Elem()
	}
	if target.Kind() != reflect.Map {
		return false
	}
	steps := 100_000
	for _, v := range vals {
		if reaches(v, target.Pointer(), 0, &steps) {
			return true
		}
	}
	return false
}

func reaches(v reflect.Value, target uintptr, depth int, steps *int) bool {
	if *steps--; *steps < 0 || depth > maxDepth {
		return true
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		return !v.IsNil() && reaches(v.Elem(), target, depth+1, steps)
	case reflect.Map:
		if v.Pointer() == target {
			return true
		}
		for it := v.MapRange(); it.Next(); {
			if reaches(it.Value(), target, depth+1, steps) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() <= reflect.Complex128 {
			return false
		}
		for i := range v.Len() {
			if reaches(v.Index(i), target, depth+1, steps) {
				return true
			}
		}
	}
	return false
}
