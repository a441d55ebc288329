package ready

import (
	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/ext"
	"github.com/pkg/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/lru"
)

// Limits on readyWhen expressions. An expression runs on every reconcile of every tenant, so
// it must stay cheap; the cost limit is the one Kubernetes uses for a single CRD validation
// rule's order of magnitude, and far above what a readiness check needs.
const (
	// MaxExpressionLength is the longest readyWhen expression Compile accepts.
	MaxExpressionLength = 4096
	// CostLimit is the most CEL cost units one evaluation may spend.
	CostLimit = 1_000_000
	// DefaultCacheSize is the number of compiled programs a CEL keeps when NewCEL is given
	// a size below 1.
	DefaultCacheSize = 256
)

// VariableObject is the name under which an expression sees the observed object.
const VariableObject = "object"

// CEL evaluates readyWhen expressions. It keeps a bounded, least-recently-used cache of
// compiled programs, so a function serving many tenants compiles each expression once. A CEL
// is safe for concurrent use.
type CEL struct {
	env      *cel.Env
	programs *lru.Cache // of cel.Program by expression
}

// NewCEL returns a CEL that caches up to cacheSize compiled programs (DefaultCacheSize when
// cacheSize < 1). It panics only if the fixed CEL environment cannot be built, which is a
// programming error.
func NewCEL(cacheSize int) *CEL {
	if cacheSize < 1 {
		cacheSize = DefaultCacheSize
	}
	env, err := cel.NewEnv(
		cel.Variable(VariableObject, cel.MapType(cel.StringType, cel.DynType)),
		cel.OptionalTypes(),
		ext.Strings(),
	)
	if err != nil {
		panic(errors.Wrap(err, "build readyWhen CEL environment"))
	}
	return &CEL{env: env, programs: lru.New(cacheSize)}
}

// Compile checks that expr is a valid boolean readyWhen expression and caches its program.
// Call it when the input is read, so a typo fails the pipeline before anything is composed.
func (c *CEL) Compile(expr string) error {
	_, err := c.program(expr)
	return err
}

// Eval evaluates expr with the observed object bound to `object` and returns its result.
// Reading a field that is not there (status not written yet) is an error, which a caller
// usually treats as "not ready"; write `has(object.status.x) && ...` to avoid it.
func (c *CEL) Eval(expr string, obj *unstructured.Unstructured) (bool, error) {
	if obj == nil {
		return false, errors.Errorf("readyWhen %q: no observed object", expr)
	}
	prg, err := c.program(expr)
	if err != nil {
		return false, err
	}
	out, _, err := prg.Eval(map[string]any{VariableObject: obj.Object})
	if err != nil {
		return false, errors.Wrapf(err, "readyWhen %q", expr)
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, errors.Errorf("readyWhen %q: result is %s, not bool", expr, out.Type().TypeName())
	}
	return b, nil
}

// program returns the cached program of expr, compiling it on a miss. Compilation happens
// outside the cache's lock; two goroutines may compile the same expression once each, which
// is cheaper than serialising every compile.
func (c *CEL) program(expr string) (cel.Program, error) {
	if prg, ok := c.programs.Get(expr); ok {
		return prg.(cel.Program), nil
	}
	prg, err := c.compile(expr)
	if err != nil {
		return nil, err
	}
	c.programs.Add(expr, prg)
	return prg, nil
}

func (c *CEL) compile(expr string) (cel.Program, error) {
	if expr == "" {
		return nil, errors.New("readyWhen: expression is empty")
	}
	if len(expr) > MaxExpressionLength {
		return nil, errors.Errorf("readyWhen %.40q...: expression is %d bytes, longer than %d", expr, len(expr), MaxExpressionLength)
	}
	ast, iss := c.env.Compile(expr)
	if iss.Err() != nil {
		return nil, errors.Wrapf(iss.Err(), "readyWhen %q: compile", expr)
	}
	if t := ast.OutputType(); !t.IsExactType(cel.BoolType) && !t.IsExactType(cel.DynType) {
		return nil, errors.Errorf("readyWhen %q: result type is %s, want bool", expr, t)
	}
	prg, err := c.env.Program(ast, cel.CostLimit(CostLimit))
	if err != nil {
		return nil, errors.Wrapf(err, "readyWhen %q: build program", expr)
	}
	return prg, nil
}

// cached returns the number of cached programs. Tests use it to prove the bound.
func (c *CEL) cached() int { return c.programs.Len() }
