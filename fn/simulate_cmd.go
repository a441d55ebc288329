package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/pkg/errors"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/fn/compose"
	"github.com/rowplane/rowplane/fn/render"
	"github.com/rowplane/rowplane/fn/simulate"
	"github.com/rowplane/rowplane/internal/template"
)

// SimulateCmd prints a tenant's rollout step by step, as Crossplane would run it, with every
// composed resource created and ready between reconciles. No cluster is needed.
type SimulateCmd struct {
	Composition string   `arg:"" type:"existingfile" help:"Pipeline Composition whose Form steps to run."`
	XR          string   `arg:"" type:"existingfile" help:"Composite resource (XR) to render."`
	NotReady    []string `help:"Ids whose controller never reports them ready (e.g. to watch dependents wait)."`
	FixedTime   string   `default:"2026-01-01T00:00:00Z" help:"Render 'now' as this RFC 3339 time ('' for the real clock)."`
	Output      bool     `short:"o" help:"Print the final desired objects as YAML after the steps."`
	ObservedOut string   `help:"Write the settled observed state (objects with the status their controllers would report) to this file, for crossplane render --observed-resources."`
}

// Run runs the simulation and prints it.
func (c *SimulateCmd) Run() error {
	steps, err := c.simulate()
	if err != nil {
		return err
	}
	if c.ObservedOut != "" && len(steps) > 0 {
		if err := writeObserved(c.ObservedOut, steps[len(steps)-1].Request); err != nil {
			return err
		}
	}
	return printSteps(os.Stdout, steps, c.Output)
}

// writeObserved writes the observed composed resources of req as a YAML stream, by id.
func writeObserved(path string, req *fnv1.RunFunctionRequest) error {
	res := req.GetObserved().GetResources()
	ids := make([]string, 0, len(res))
	for id := range res {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	b.WriteString("# Written by function-rowplane simulate --observed-out: the settled observed state.\n")
	for _, id := range ids {
		out, err := yaml.Marshal(res[id].GetResource().AsMap())
		if err != nil {
			return errors.Wrapf(err, "cannot write observed %s", id)
		}
		b.WriteString("---\n")
		b.Write(out)
	}
	return errors.Wrapf(os.WriteFile(path, []byte(b.String()), 0o600), "cannot write %s", path)
}

func (c *SimulateCmd) simulate() ([]simulate.Step, error) {
	inputs, err := formInputs(c.Composition)
	if err != nil {
		return nil, err
	}
	xr, err := readStruct(c.XR)
	if err != nil {
		return nil, err
	}
	opts, err := engineOptions(c.FixedTime)
	if err != nil {
		return nil, err
	}
	fn := compose.New(logging.NewNopLogger(), render.New(template.New(opts)), opts.Now)
	p := &pipeline{fn: fn, inputs: inputs}
	req := &fnv1.RunFunctionRequest{Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: xr}}}
	notReady := map[string]bool{}
	for _, id := range c.NotReady {
		notReady[id] = true
	}
	return simulate.Run(context.Background(), p, req, simulate.Options{NotReady: notReady})
}

// pipeline runs every Form step of a Composition in order, passing the desired state and the
// context from step to step as Crossplane does.
type pipeline struct {
	fn     *compose.Function
	inputs []*structpb.Struct
}

func (p *pipeline) RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	cur := proto.Clone(req).(*fnv1.RunFunctionRequest)
	var rsp *fnv1.RunFunctionResponse
	var results []*fnv1.Result
	for _, in := range p.inputs {
		cur.Input = in
		var err error
		if rsp, err = p.fn.RunFunction(ctx, cur); err != nil {
			return nil, err
		}
		results = append(results, rsp.GetResults()...)
		cur.Desired, cur.Context = rsp.GetDesired(), rsp.GetContext()
	}
	rsp.Results = results
	return rsp, nil
}

func formInputs(path string) ([]*structpb.Struct, error) {
	comp, err := readStruct(path)
	if err != nil {
		return nil, err
	}
	var inputs []*structpb.Struct
	for _, s := range comp.GetFields()["spec"].GetStructValue().GetFields()["pipeline"].GetListValue().GetValues() {
		in := s.GetStructValue().GetFields()["input"].GetStructValue()
		if in.GetFields()["kind"].GetStringValue() == "Form" {
			inputs = append(inputs, in)
		}
	}
	if len(inputs) == 0 {
		return nil, errors.Errorf("%s has no pipeline step with a Form input", path)
	}
	return inputs, nil
}

func readStruct(path string) (*structpb.Struct, error) {
	raw, err := os.ReadFile(path) //nolint:gosec // the user names the file to read.
	if err != nil {
		return nil, errors.Wrapf(err, "cannot read %s", path)
	}
	j, err := yaml.YAMLToJSON(raw)
	if err != nil {
		return nil, errors.Wrapf(err, "%s is not YAML", path)
	}
	s := &structpb.Struct{}
	return s, errors.Wrapf(s.UnmarshalJSON(j), "%s is not an object", path)
}

func printSteps(w io.Writer, steps []simulate.Step, objects bool) error {
	for i, s := range steps {
		fmt.Fprintf(w, "step %d: emits %s", i+1, strings.Join(s.Emitted, ", "))
		if len(s.New) > 0 {
			fmt.Fprintf(w, " (new: %s)", strings.Join(s.New, ", "))
		}
		fmt.Fprintln(w)
		for _, r := range s.Response.GetResults() {
			fmt.Fprintf(w, "  %-7s %s\n", strings.TrimPrefix(r.GetSeverity().String(), "SEVERITY_"), r.GetMessage())
		}
		for _, c := range s.Response.GetConditions() {
			fmt.Fprintf(w, "  %s=%s %s: %s\n", c.GetType(), strings.TrimPrefix(c.GetStatus().String(), "STATUS_CONDITION_"), c.GetReason(), c.GetMessage())
		}
	}
	if !objects || len(steps) == 0 {
		return nil
	}
	last := steps[len(steps)-1].Response.GetDesired().GetResources()
	ids := make([]string, 0, len(last))
	for id := range last {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		out, err := yaml.Marshal(last[id].GetResource().AsMap())
		if err != nil {
			return errors.Wrapf(err, "cannot print %s", id)
		}
		fmt.Fprintf(w, "---\n# %s\n%s", id, out)
	}
	return nil
}

// engineOptions pins the clock and the random source when fixedTime is set.
func engineOptions(fixedTime string) (template.Options, error) {
	if fixedTime == "" {
		return template.Options{Now: time.Now}, nil
	}
	t, err := time.Parse(time.RFC3339, fixedTime)
	if err != nil {
		return template.Options{}, errors.Wrap(err, "--fixed-time must be an RFC 3339 time")
	}
	return template.Pinned(t), nil
}
