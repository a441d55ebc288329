package template

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// Defaults of Options.
const (
	DefaultCacheSize      = 4096
	DefaultMaxOutputBytes = 1 << 20
	DefaultMaxRenderTime  = 2 * time.Second
)

// noValue is what text/template prints for an absent or nil value; it is rendered as empty.
const noValue = "<no value>"

// Options configure an Engine. The zero value is production-ready.
type Options struct {
	// Now is the clock behind the now function (default time.Now).
	Now func() time.Time
	// Random is the source of the rand* functions (default crypto/rand).
	Random io.Reader
	// CacheSize bounds how many parsed templates are kept (default 4096).
	CacheSize int
	// MaxOutputBytes bounds the output of all templates rendered under one Budget (default 1 MiB).
	MaxOutputBytes int
	// MaxRenderTime bounds the time of all templates rendered under one Budget (default 2 s).
	MaxRenderTime time.Duration
}

// An Engine parses, caches and executes templates. It is safe for concurrent use.
type Engine struct {
	funcs template.FuncMap
	cache *cache
	opts  Options
}

// New returns an Engine.
func New(o Options) *Engine {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Random == nil {
		o.Random = rand.Reader
	}
	if o.CacheSize <= 0 {
		o.CacheSize = DefaultCacheSize
	}
	if o.MaxOutputBytes <= 0 {
		o.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if o.MaxRenderTime <= 0 {
		o.MaxRenderTime = DefaultMaxRenderTime
	}
	return &Engine{funcs: funcMap(o.Now, o.Random), cache: newCache(o.CacheSize), opts: o}
}

// A Budget bounds the output size and render time of every template rendered under it,
// typically all the templates of one resource.
type Budget struct {
	deadline  time.Time
	remaining int
	limit     int
	timeout   time.Duration
}

// NewBudget returns a fresh budget with the engine's limits.
func (e *Engine) NewBudget() *Budget {
	return &Budget{
		deadline:  time.Now().Add(e.opts.MaxRenderTime),
		remaining: e.opts.MaxOutputBytes,
		limit:     e.opts.MaxOutputBytes,
		timeout:   e.opts.MaxRenderTime,
	}
}

// IsTemplate reports whether s contains template actions at all.
func IsTemplate(s string) bool { return strings.Contains(s, "{{") }

// Parse parses (and caches) a template, returning a located error if it does not parse.
func (e *Engine) Parse(name, text string) error {
	_, err := e.parse(name, text)
	return err
}

// RenderString renders a template to a string under a fresh budget.
func (e *Engine) RenderString(name, text string, vars map[string]any) (string, error) {
	return e.Render(e.NewBudget(), name, text, vars)
}

// Render renders a template to a string. An absent or null variable renders as empty.
func (e *Engine) Render(b *Budget, name, text string, vars map[string]any) (string, error) {
	if !IsTemplate(text) {
		return text, b.spend(name, len(text))
	}
	p, err := e.parse(name, text)
	if err != nil {
		return "", err
	}
	return p.execute(b, vars)
}

// RenderTyped renders a template whose whole text is one expression ending in int, float or
// bool to an int64, float64 or bool; any other template renders to a string.
func (e *Engine) RenderTyped(b *Budget, name, text string, vars map[string]any) (any, error) {
	if !IsTemplate(text) {
		return text, b.spend(name, len(text))
	}
	p, err := e.parse(name, text)
	if err != nil {
		return "", err
	}
	out, err := p.execute(b, vars)
	if err != nil || p.typed == "" {
		return out, err
	}
	return convert(name, p.typed, out)
}

func convert(name, typed, s string) (any, error) {
	s = strings.TrimSpace(s)
	var (
		v   any
		err error
	)
	switch typed {
	case FuncInt:
		v, err = strconv.ParseInt(s, 10, 64)
	case FuncFloat:
		v, err = strconv.ParseFloat(s, 64)
	case FuncBool:
		v, err = strconv.ParseBool(s)
	}
	if err != nil {
		return nil, &Error{Template: name, Line: 1, Msg: fmt.Sprintf("%s result %q is not a %s", typed, s, typed)}
	}
	return v, nil
}

func (e *Engine) parse(name, text string) (*parsed, error) {
	key := name + "\x00" + text
	if p, ok := e.cache.get(key); ok {
		return p, nil
	}
	t, err := template.New(name).Option("missingkey=default").Funcs(e.funcs).Parse(text)
	if err != nil {
		return nil, locate(name, err)
	}
	p := &parsed{tmpl: t, name: name, typed: typedTail(t), loops: mayLoop(t)}
	e.cache.add(key, p)
	return p, nil
}

type parsed struct {
	tmpl  *template.Template
	name  string
	typed string
	loops bool
}

func (p *parsed) execute(b *Budget, vars map[string]any) (string, error) {
	w := &limitWriter{b: b, name: p.name}
	run := func() error { return p.tmpl.Execute(w, vars) }
	var err error
	if p.loops {
		err = withDeadline(b, p.name, run)
	} else {
		err = run()
	}
	if err != nil {
		var le *Error
		if errors.As(err, &le) {
			return "", le
		}
		return "", locate(p.name, err)
	}
	out := w.sb.String()
	if strings.Contains(out, noValue) {
		out = strings.ReplaceAll(out, noValue, "")
	}
	return out, nil
}

// withDeadline runs a template that can loop without writing in its own goroutine, so a
// runaway loop is reported at the deadline instead of hanging the reconcile.
func withDeadline(b *Budget, name string, run func() error) error {
	done := make(chan error, 1)
	go func() { done <- run() }()
	left := time.Until(b.deadline)
	if left <= 0 {
		return b.timeoutError(name)
	}
	t := time.NewTimer(left)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return b.timeoutError(name)
	}
}

func (b *Budget) spend(name string, n int) error {
	if n > b.remaining {
		return &Error{Template: name, Msg: fmt.Sprintf("output is over the limit of %d bytes per resource", b.limit)}
	}
	b.remaining -= n
	return nil
}

func (b *Budget) timeoutError(name string) error {
	return &Error{Template: name, Msg: fmt.Sprintf("rendering took longer than the limit of %s per resource", b.timeout)}
}

type limitWriter struct {
	sb   strings.Builder
	b    *Budget
	name string
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if err := w.b.spend(w.name, len(p)); err != nil {
		return 0, err
	}
	if time.Now().After(w.b.deadline) {
		return 0, w.b.timeoutError(w.name)
	}
	return w.sb.Write(p)
}
