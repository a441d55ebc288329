package template

import (
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"text/template/parse"
	"time"

	"k8s.io/utils/lru"
)

// Defaults of Options.
const (
	DefaultCacheSize      = 4096
	DefaultMaxOutputBytes = 1 << 20
	DefaultMaxAllocBytes  = 16 << 20
	DefaultMaxIterations  = 1_000_000
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
	// MaxAllocBytes bounds the size of the values (strings, lists, dicts) the functions of all
	// templates rendered under one Budget may build (default 16 MiB).
	MaxAllocBytes int
	// MaxIterations bounds the range iterations and template calls of all templates rendered
	// under one Budget (default 1,000,000).
	MaxIterations int
	// MaxRenderTime bounds the time of all templates rendered under one Budget (default 2 s).
	MaxRenderTime time.Duration
}

// An Engine parses, caches and executes templates. It is safe for concurrent use.
type Engine struct {
	funcs      map[string]*function
	parseFuncs map[string]any
	cache      *lru.Cache // of *parsed by name and text: bounded, so distinct templates cannot grow memory forever
	opts       Options
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
	if o.MaxAllocBytes <= 0 {
		o.MaxAllocBytes = DefaultMaxAllocBytes
	}
	if o.MaxIterations <= 0 {
		o.MaxIterations = DefaultMaxIterations
	}
	if o.MaxRenderTime <= 0 {
		o.MaxRenderTime = DefaultMaxRenderTime
	}
	fm := funcMap(o.Now, o.Random)
	return &Engine{funcs: guarded(fm), parseFuncs: parseNames(fm), cache: lru.New(o.CacheSize), opts: o}
}

// Pinned returns Options whose now is always t and whose rand* functions draw from a fixed
// seed, so the same input renders the same bytes: for golden renders and offline simulation,
// never for serving tenants.
func Pinned(t time.Time) Options {
	return Options{
		Now:    func() time.Time { return t },
		Random: mrand.NewChaCha8([32]byte{'r', 'o', 'w', 'p', 'l', 'a', 'n', 'e'}),
	}
}

// IsTemplate reports whether s contains template actions at all.
func IsTemplate(s string) bool { return strings.Contains(s, "{{") }

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
		return nil, &Error{Template: name, Line: 1, Msg: fmt.Sprintf("%s result %s is not a %s", typed, quote(s), typed)}
	}
	return v, nil
}

// parse parses a template into trees only: the executable templates are built per concurrent
// render from these trees (see instance), with the functions bound to that render's budget.
func (e *Engine) parse(name, text string) (*parsed, error) {
	key := name + "\x00" + text
	if p, ok := e.cache.Get(key); ok {
		return p.(*parsed), nil
	}
	trees, err := parse.Parse(name, text, "", "", e.parseFuncs)
	if err != nil {
		return nil, locate(name, err)
	}
	p := newParsed(e, name, trees)
	e.cache.Add(key, p)
	return p, nil
}
