package template

import (
	"fmt"
	"reflect"
	"text/template"
)

// A function is one entry of the function map, prepared once per engine so binding it to a
// render's budget costs one reflect.MakeFunc.
type function struct {
	name    string
	fn      reflect.Value
	typ     reflect.Type // fn's type with the results (T, error)
	hasErr  bool
	mutates bool // changes its first argument in place (set, merge...)
	// estimate, when set, bounds what the call will build from its arguments, checked against
	// the budget before the call, for functions whose result can dwarf their arguments.
	estimate func(args []reflect.Value, limit int64) int64
	// work, when set, bounds the steps of a call whose cost grows faster than its arguments.
	work func(args []reflect.Value) int64
}

var errorType = reflect.TypeFor[error]()

// guarded prepares the function map for binding.
func guarded(fm template.FuncMap) map[string]*function {
	out := make(map[string]*function, len(fm))
	for name, f := range fm {
		v := reflect.ValueOf(f)
		t := v.Type()
		in := make([]reflect.Type, t.NumIn())
		for i := range in {
			in[i] = t.In(i)
		}
		out[name] = &function{
			name:     name,
			fn:       v,
			typ:      reflect.FuncOf(in, []reflect.Type{t.Out(0), errorType}, t.IsVariadic()),
			hasErr:   t.NumOut() == 2,
			mutates:  mutators[name],
			estimate: estimators[name],
			work:     work[name],
		}
	}
	return out
}

// parseNames is what the parser needs: every function name, ours and text/template's.
func parseNames(fm template.FuncMap) map[string]any {
	out := make(map[string]any, len(fm)+len(builtinNames))
	for name, f := range fm {
		out[name] = f
	}
	for _, name := range builtinNames {
		if _, ok := out[name]; !ok {
			out[name] = true
		}
	}
	out[tickFunc] = true
	return out
}

// builtinNames are text/template's functions the engine does not replace: they build nothing
// bigger than their arguments (print, printf, println, html, js and urlquery are replaced).
var builtinNames = []string{"and", "call", "index", "slice", "len", "not", "or", "eq", "ge", "gt", "le", "lt", "ne"}

// bind returns the functions a template uses, bound to the budget in s.
func (e *Engine) bind(s *slot, used []string) template.FuncMap {
	fm := template.FuncMap{tickFunc: func() (bool, error) { return false, s.b.iterate(s.name) }}
	for _, name := range used {
		if f, ok := e.funcs[name]; ok {
			fm[name] = reflect.MakeFunc(f.typ, f.call(s)).Interface()
		}
	}
	return fm
}

// call returns the body of f bound to s: check the deadline, check what the call would build,
// call, and charge what it built.
func (f *function) call(s *slot) func([]reflect.Value) []reflect.Value {
	fail := func(err error) []reflect.Value {
		return []reflect.Value{reflect.Zero(f.typ.Out(0)), reflect.ValueOf(&err).Elem()}
	}
	variadic := f.typ.IsVariadic()
	return func(args []reflect.Value) []reflect.Value {
		b := s.b
		if err := b.checkTime(s.name); err != nil {
			return fail(err)
		}
		flat := args
		if variadic {
			flat = flatten(args)
		}
		if err := f.precheck(b, s.name, flat); err != nil {
			return fail(err)
		}
		var before int64
		if f.mutates && len(flat) > 0 {
			if contains(flat[1:], flat[0]) {
				// Refused before the call: once a dict holds itself, printing it never ends.
				return fail(&Error{Template: s.name, Limit: LimitAlloc, Msg: fmt.Sprintf("%s would put a dict inside itself", f.name)})
			}
			before = sizeOf(flat[0], b.allocLimit)
		}
		var out []reflect.Value
		if variadic {
			out = f.fn.CallSlice(args)
		} else {
			out = f.fn.Call(args)
		}
		if f.hasErr && !out[1].IsNil() {
			return out
		}
		if err := f.chargeResult(b, s.name, out[0], flat, before); err != nil {
			return fail(err)
		}
		if f.hasErr {
			return out
		}
		return []reflect.Value{out[0], reflect.Zero(errorType)}
	}
}

func flatten(args []reflect.Value) []reflect.Value {
	last := args[len(args)-1]
	flat := make([]reflect.Value, 0, len(args)-1+last.Len())
	flat = append(flat, args[:len(args)-1]...)
	for i := range last.Len() {
		flat = append(flat, last.Index(i))
	}
	return flat
}

// precheck refuses a call that would build more than the budget allows before it allocates:
// by its estimate where it has one, else by the size of its arguments, since a call like
// cat or toJson over many references to one big value builds their expanded size.
func (f *function) precheck(b *Budget, name string, args []reflect.Value) error {
	if f.work != nil {
		if n := f.work(args); n > maxCallWork {
			return &Error{Template: name, Limit: LimitTime, Msg: fmt.Sprintf(
				"%s would compare %d pairs of elements, over the limit of %d per call", f.name, n, maxCallWork)}
		}
	}
	if f.estimate != nil {
		if n := f.estimate(args, b.allocLimit); n > b.allocLeft {
			return b.allocError(name, f.name, n)
		}
		return nil
	}
	var n int64
	for _, a := range args {
		if n += sizeOf(a, b.allocLimit); n > b.allocLimit {
			return b.allocError(name, f.name, n)
		}
	}
	return nil
}

// chargeResult charges the expanded size of what a call returned, except what it returned of
// its arguments unchanged: a substring of an argument, or the very map or list it was given.
func (f *function) chargeResult(b *Budget, name string, res reflect.Value, args []reflect.Value, before int64) error {
	r := res
	for r.Kind() == reflect.Interface && !r.IsNil() {
		r = r.Elem()
	}
	switch r.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64, reflect.Invalid:
		return nil
	case reflect.String:
		if sharesString(r.String(), args) {
			return nil
		}
	case reflect.Map, reflect.Slice, reflect.Pointer:
		if f.mutates {
			after := sizeOf(r, b.allocLimit)
			if after > b.allocLimit {
				// Also how a dict that now contains itself is refused before anything prints it.
				return b.allocError(name, f.name, after)
			}
			if after > before {
				return b.charge(name, f.name, after-before)
			}
			return nil
		}
		if sameRef(r, args) {
			return nil
		}
	}
	return b.charge(name, f.name, sizeOf(r, b.allocLimit))
}
