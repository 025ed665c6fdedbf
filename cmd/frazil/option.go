package main

// frazil option: what an option of a system configuration is set to, its
// type, description and default, and where it is declared and defined
// (like nixos-option).

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/frazil/frazil/eval"
)

var optionCommand = command{"show an option's value, type, description, default and definitions", runOption}

// optionInfo is what modules/option-info.nix returns.
type optionInfo struct {
	Name         string   `json:"name"`
	Kind         string   `json:"kind"` // option, set or missing
	Type         string   `json:"type,omitempty"`
	Description  string   `json:"description,omitempty"`
	Default      *string  `json:"default,omitempty"`
	Example      *string  `json:"example,omitempty"`
	Value        *string  `json:"value,omitempty"`
	ValueJSON    any      `json:"valueJSON,omitempty"`
	ValueError   bool     `json:"valueError,omitempty"`
	Declarations []string `json:"declarations,omitempty"`
	Definitions  []string `json:"definitions,omitempty"`
	ReadOnly     bool     `json:"readOnly,omitempty"`
	Children     []string `json:"children,omitempty"`
}

func runOption(args []string) error {
	tuneGC()
	var o sysOpts
	fs := flag.NewFlagSet("option", flag.ContinueOnError)
	o.register(fs)
	asJSON := fs.Bool("json", false, "print the option as JSON")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: frazil option [--file configuration.nix] [-I NAME=PATH] [--system S] [--json] [NAME]")
		fs.PrintDefaults()
	}
	names, err := parseInterspersed(fs, args)
	if err != nil {
		return errUsage
	}
	if len(names) > 1 {
		fs.Usage()
		return errUsage
	}
	path, err := splitOptionName(strings.Join(names, ""))
	if err != nil {
		return err
	}
	info, err := o.optionInfo(path, os.Stderr)
	if err != nil {
		return err
	}
	if info.Kind == "missing" {
		fmt.Fprintf(os.Stderr, "error: the option `%s' does not exist\n", info.Name)
		return exitError(1)
	}
	if *asJSON {
		return printOptionJSON(os.Stdout, info)
	}
	printOption(os.Stdout, info)
	return nil
}

// optionInfo evaluates modules/option-info.nix for the path.
func (o *sysOpts) optionInfo(path []string, stderr io.Writer) (*optionInfo, error) {
	quoted := make([]string, len(path))
	for i, p := range path {
		quoted[i] = strconv.Quote(p)
	}
	wrap := func(sys, root string) string {
		return fmt.Sprintf("let sys = %s; in import (/. + %s) { lib = import (/. + %s); inherit (sys) options config; path = [ %s ]; }",
			sys, strconv.Quote(filepath.Join(root, "modules/option-info.nix")), strconv.Quote(filepath.Join(root, "lib")), strings.Join(quoted, " "))
	}
	ev, v, err := o.evalConfig(eval.NewComputeStore(), wrap, stderr)
	if err != nil {
		return nil, o.reportEvalError(err, stderr)
	}
	js, err := ev.JSON(v)
	if err != nil {
		return nil, o.reportEvalError(err, stderr)
	}
	var info optionInfo
	if err := json.Unmarshal([]byte(js), &info); err != nil {
		return nil, fmt.Errorf("option-info.nix: %w", err)
	}
	return &info, nil
}

// splitOptionName splits a.b."c.d".e into its names.
func splitOptionName(name string) ([]string, error) {
	var parts []string
	var cur strings.Builder
	quoted, started := false, false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '"':
			quoted, started = !quoted, true
		case c == '.' && !quoted:
			if !started {
				return nil, fmt.Errorf("option name %q: empty component", name)
			}
			parts = append(parts, cur.String())
			cur.Reset()
			started = false
		default:
			cur.WriteByte(c)
			started = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("option name %q: unterminated quote", name)
	}
	if started {
		parts = append(parts, cur.String())
	} else if name != "" {
		return nil, fmt.Errorf("option name %q: empty component", name)
	}
	return parts, nil
}

func printOption(w io.Writer, info *optionInfo) {
	if info.Kind == "set" {
		if info.Name != "" {
			fmt.Fprintf(w, "This attribute set contains:\n")
		}
		for _, c := range info.Children {
			fmt.Fprintln(w, c)
		}
		return
	}
	switch {
	case info.Value != nil:
		fmt.Fprintf(w, "Value:\n%s\n\n", *info.Value)
	case info.ValueError:
		fmt.Fprintf(w, "Value:\n«cannot be evaluated»\n\n")
	}
	fmt.Fprintf(w, "Type: %s\n", info.Type)
	if info.Default != nil {
		fmt.Fprintf(w, "Default: %s\n", *info.Default)
	}
	if info.Example != nil {
		fmt.Fprintf(w, "Example: %s\n", *info.Example)
	}
	if info.ReadOnly {
		fmt.Fprintln(w, "Read-only: yes")
	}
	if d := strings.TrimSpace(info.Description); d != "" {
		fmt.Fprintf(w, "\nDescription:\n%s\n", d)
	}
	fmt.Fprintln(w, "\nDeclared by:")
	for _, d := range info.Declarations {
		fmt.Fprintf(w, "  %s\n", d)
	}
	fmt.Fprintln(w, "\nDefined by:")
	for _, d := range info.Definitions {
		fmt.Fprintf(w, "  %s\n", d)
	}
}

func printOptionJSON(w io.Writer, info *optionInfo) error {
	out := map[string]any{"name": info.Name}
	if info.Kind == "set" {
		out["children"] = info.Children
	} else {
		out["type"] = info.Type
		out["description"] = strings.TrimSpace(info.Description)
		out["declarations"] = nonNil(info.Declarations)
		out["definitions"] = nonNil(info.Definitions)
		out["readOnly"] = info.ReadOnly
		if info.Default != nil {
			out["default"] = *info.Default
		}
		if !info.ValueError {
			out["value"] = info.ValueJSON
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
