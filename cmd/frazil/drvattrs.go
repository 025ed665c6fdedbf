package main

// This file reads the structured attributes of a derivation for the
// builder subcommands (frazil initrd build, etc build, toplevel build):
// Nix writes them to $NIX_ATTRS_JSON_FILE, with "outputs" mapping each
// output name to its path.

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

// attrsFlag adds --attrs to a builder subcommand's flags; its default is
// $NIX_ATTRS_JSON_FILE.
func attrsFlag(fs *flag.FlagSet) *string {
	return fs.String("attrs", os.Getenv("NIX_ATTRS_JSON_FILE"), "the derivation's structured attributes (.attrs.json)")
}

// readDrvAttrs decodes the attributes file into v and returns the path of
// the output "out".
func readDrvAttrs(file string, v any) (string, error) {
	if file == "" {
		return "", fmt.Errorf("no structured attributes: run as the builder of a derivation with __structuredAttrs = true, or pass --attrs")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return "", fmt.Errorf("attributes %s: %w", file, err)
	}
	var outs struct {
		Outputs map[string]string `json:"outputs"`
	}
	if err := json.Unmarshal(data, &outs); err != nil {
		return "", fmt.Errorf("attributes %s: %w", file, err)
	}
	out := outs.Outputs["out"]
	if out == "" {
		return "", fmt.Errorf("attributes %s: no output \"out\"", file)
	}
	return out, nil
}
