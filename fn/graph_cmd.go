package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pkg/errors"

	"github.com/rowplane/rowplane/fn/diagram"
	"github.com/rowplane/rowplane/input/v1beta1"
)

// GraphCmd prints the dependency graph of a Composition's Form steps.
type GraphCmd struct {
	Composition string `arg:"" type:"existingfile" help:"Pipeline Composition whose Form steps to draw."`
	Format      string `short:"f" default:"mermaid" enum:"mermaid,dot" help:"Output format: mermaid or dot (Graphviz)."`
}

// Run reads the Composition and prints its graph.
func (c *GraphCmd) Run() error {
	comp, err := readStruct(c.Composition)
	if err != nil {
		return err
	}
	var steps []diagram.Step
	for _, s := range comp.GetFields()["spec"].GetStructValue().GetFields()["pipeline"].GetListValue().GetValues() {
		in := s.GetStructValue().GetFields()["input"].GetStructValue()
		if in.GetFields()["kind"].GetStringValue() != "Form" {
			continue
		}
		name := s.GetStructValue().GetFields()["step"].GetStringValue()
		j, err := in.MarshalJSON()
		if err != nil {
			return errors.Wrapf(err, "step %q", name)
		}
		form := &v1beta1.Form{}
		if err := json.Unmarshal(j, form); err != nil {
			return errors.Wrapf(err, "step %q: cannot read the Form", name)
		}
		steps = append(steps, diagram.Step{Name: name, Form: form.Spec})
	}
	if len(steps) == 0 {
		return errors.Errorf("%s has no pipeline step with a Form input", c.Composition)
	}
	out, err := diagram.Draw(steps, c.Format)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(os.Stdout, out)
	return err
}
