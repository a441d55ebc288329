// Command lynq-convert turns Lynq objects into rowplane objects: a LynqHub (with the Secret its
// passwordRef names) and the LynqForms that name it become a ProviderConfig and credentials
// Secret, a Hub, an XRD whose claim has one field per extraValueMappings entry, and a
// Composition with one function-rowplane Form step per LynqForm.
//
//	go run ./cmd/lynq-convert lynqhub.yaml lynqforms.yaml > rowplane.yaml
//	kubectl get lynqhubs,lynqforms,secrets -n shops -o yaml | go run ./cmd/lynq-convert -o out/ -
package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/alecthomas/kong"
	driver "github.com/go-sql-driver/mysql"
	"github.com/pkg/errors"
	"sigs.k8s.io/yaml"

	"github.com/rowplane/rowplane/internal/lynq"
	"github.com/rowplane/rowplane/provider/source/mysql"
)

// CLI is lynq-convert's command line.
type CLI struct {
	Files     []string `arg:"" help:"Files of multi-document YAML holding LynqHubs, LynqForms and Secrets; - reads standard input."`
	Hub       string   `help:"The LynqHub to convert when the input holds several."`
	Group     string   `default:"example.rowplane.io" help:"API group of the XRD and claim."`
	Version   string   `default:"v1alpha1" help:"API version of the XRD and claim."`
	ClaimKind string   `help:"Kind of the claim (default: the LynqHub's name in CamelCase); the composite kind is X<kind>."`
	DSN       string   `help:"MySQL DSN (user:pass@tcp(host:3306)/db) to read the table's column types from, so the claim's fields are typed; without it every field is a string."`
	Output    string   `short:"o" type:"path" help:"Write providerconfig.yaml, hub.yaml, xrd.yaml and composition.yaml into this folder instead of standard output."`
}

func main() {
	cli := &CLI{}
	ctx := kong.Parse(cli, kong.Name("lynq-convert"), kong.Description("Turn Lynq objects into rowplane objects."), kong.UsageOnError())
	ctx.FatalIfErrorf(cli.Run(os.Stdin, os.Stdout))
}

// Run converts the input and writes the result.
func (c *CLI) Run(stdin io.Reader, stdout io.Writer) error {
	var docs [][]byte
	for _, f := range c.Files {
		var (
			b   []byte
			err error
		)
		if f == "-" {
			b, err = io.ReadAll(stdin)
		} else {
			b, err = os.ReadFile(f) //nolint:gosec // the user names the files to read.
		}
		if err != nil {
			return errors.Wrapf(err, "cannot read %s", f)
		}
		docs = append(docs, b)
	}
	in, err := lynq.Decode(docs...)
	if err != nil {
		return err
	}
	o := lynq.Options{Group: c.Group, Version: c.Version, ClaimKind: c.ClaimKind}
	if c.DSN != "" {
		if o.ColumnTypes, err = columnTypes(c.DSN, in, c.Hub); err != nil {
			return err
		}
	}
	files, err := lynq.Convert(in, c.Hub, o)
	if err != nil {
		return err
	}
	return write(files, c.Output, stdout)
}

func columnTypes(dsn string, in lynq.Objects, hub string) (map[string]string, error) {
	cfg, err := driver.ParseDSN(dsn)
	if err != nil {
		return nil, errors.Wrap(err, "--dsn is not a MySQL DSN")
	}
	conn, err := driver.NewConnector(cfg)
	if err != nil {
		return nil, errors.Wrap(err, "--dsn")
	}
	db := sql.OpenDB(conn)
	defer db.Close() //nolint:errcheck // read-only.
	table := ""
	for _, h := range in.Hubs {
		if h.Name == hub || hub == "" {
			table = h.Spec.Source.MySQL.Table
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	types, err := mysql.ColumnTypes(ctx, db, table)
	return types, errors.Wrapf(err, "cannot read the column types of %s", table)
}

func write(files []lynq.File, dir string, stdout io.Writer) error {
	for _, f := range files {
		var out []byte
		out = fmt.Appendf(out, "# %s, converted from Lynq by lynq-convert.\n", f.Name)
		for _, o := range f.Objects {
			y, err := yaml.Marshal(o)
			if err != nil {
				return err
			}
			out = append(out, "---\n"...)
			out = append(out, y...)
		}
		if dir == "" {
			if _, err := stdout.Write(out); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), out, 0o600); err != nil {
			return err
		}
	}
	return nil
}
