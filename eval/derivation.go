package eval

// This file defines derivations: builtins.derivationStrict, which turns
// a set of attributes into a .drv file in the store and returns its
// path and output paths, and `derivation`, the Nix-language wrapper
// around it that Nix itself defines in Nix.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
	"github.com/frazil/frazil/store/derivation"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// derivationSource is the `derivation` function. Like Nix's own
// derivation.nix it calls derivationStrict once and returns, for the
// first output, the attributes given plus outPath, drvPath, type, all
// the outputs (each the same set for that output) and drvAttrs.
const derivationSource = `drvAttrs @ { outputs ? [ "out" ], ... }:
let
  strict = derivationStrict drvAttrs;
  commonAttrs = drvAttrs // (builtins.listToAttrs outputsList) // {
    all = map (x: x.value) outputsList;
    inherit drvAttrs;
  };
  outputToAttrListElement = outputName: {
    name = outputName;
    value = commonAttrs // {
      outPath = builtins.getAttr outputName strict;
      drvPath = strict.drvPath;
      type = "derivation";
      inherit outputName;
    };
  };
  outputsList = map outputToAttrListElement outputs;
in (builtins.head outputsList).value
`

// derivationExpr evaluates derivationSource (once: the thunk holding it
// caches the function).
type derivationExpr struct{}

func (d *derivationExpr) pos() syntax.Pos { return syntax.NoPos }

func (d *derivationExpr) eval(ev *Evaluator, env *Env) Value {
	x, err := ev.parseAndCompile("«nix-internal»/derivation-internal.nix", []byte(derivationSource), "/", nil)
	if err != nil {
		ev.raiseParseError(err)
	}
	return x.eval(ev, nil)
}

var (
	symArgs           = Intern("args")
	symBuilder        = Intern("builder")
	symSystem         = Intern("system")
	symOutputHash     = Intern("outputHash")
	symOutputHashAlgo = Intern("outputHashAlgo")
	symOutputHashMode = Intern("outputHashMode")
	symContentAddr    = Intern("__contentAddressed")
	symImpure         = Intern("__impure")
)

// drvBuilder accumulates a derivation from its attributes.
type drvBuilder struct {
	ev       *Evaluator
	pos      syntax.Pos
	name     string
	drv      *derivation.Derivation
	cb       contextBuilder
	json     map[string]string // structured attributes, as JSON texts
	outputs  []string
	hash     string
	hashAlgo string
	hashMode string
	fixed    bool
}

func primDerivationStrict(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	attrs := ev.forceAttrs(args[0], pos)
	nameAttr, ok := attrs.Lookup(symName)
	if !ok {
		ev.errorf(ErrEval, pos, "attribute 'name' missing")
	}
	b := &drvBuilder{ev: ev, pos: nameAttr.Pos, outputs: []string{"out"},
		drv: &derivation.Derivation{Env: map[string]string{}, Outputs: map[string]derivation.Output{}, InputDrvs: map[string][]string{}}}
	ev.pushMsg(nameAttr.Pos, "while evaluating the derivation attribute 'name'")
	b.name = ev.forceStringNoCtx(nameAttr.Value, pos)
	ev.pop()
	b.drv.Name = b.name
	ev.pushMsg(nameAttr.Pos, "while evaluating derivation '"+b.name+"'")
	defer ev.pop()
	if v, ok := attrs.Get(symStructured); ok && ev.forceBool(v, pos) {
		b.json = map[string]string{}
	}
	ignoreNulls := false
	if v, ok := attrs.Get(symIgnoreNulls); ok {
		ignoreNulls = ev.forceBool(v, pos)
	}
	for _, at := range attrs.Lexical() {
		if at.Name == symIgnoreNulls {
			continue
		}
		if ignoreNulls {
			if _, isNull := ev.force(at.Value).(Null); isNull {
				continue
			}
		}
		ev.pushMsg(at.Pos, fmt.Sprintf("while evaluating the attribute '%s' of the derivation '%s'", at.Name, b.name))
		b.attr(at)
		ev.pop()
	}
	return b.finish()
}

// attr processes one attribute.
func (b *drvBuilder) attr(at Attr) {
	ev, key := b.ev, at.Name.String()
	switch at.Name {
	case symContentAddr, symImpure:
		if ev.forceBool(at.Value, at.Pos) {
			ev.errorf(ErrEval, at.Pos, "content-addressed and impure derivations are not supported")
		}
		return
	case symArgs:
		for _, e := range ev.forceList(at.Value, at.Pos).elems {
			b.drv.Args = append(b.drv.Args, ev.coerceToString(b.pos, e, &b.cb, true, true))
		}
		return
	}
	if b.json != nil {
		if at.Name == symStructured {
			return
		}
		var sb strings.Builder
		ev.writeJSON(&sb, at.Value, at.Pos, &b.cb, true)
		b.json[key] = sb.String()
		switch at.Name {
		case symBuilder:
			b.drv.Builder = ev.forceString(at.Value, b.pos).s
		case symSystem:
			b.drv.Platform = ev.forceStringNoCtx(at.Value, b.pos)
		case symOutputHash:
			b.hash, b.fixed = ev.forceStringNoCtx(at.Value, b.pos), true
		case symOutputHashAlgo:
			b.hashAlgo = ev.forceStringNoCtx(at.Value, b.pos)
		case symOutputHashMode:
			b.setHashMode(ev.forceStringNoCtx(at.Value, b.pos))
		case symOutputs:
			var outs []string
			for _, e := range ev.forceList(at.Value, b.pos).elems {
				outs = append(outs, ev.forceStringNoCtx(e, b.pos))
			}
			b.setOutputs(outs)
		}
		return
	}
	s := ev.coerceToString(at.Pos, at.Value, &b.cb, true, true)
	b.drv.Env[key] = s
	switch at.Name {
	case symBuilder:
		b.drv.Builder = s
	case symSystem:
		b.drv.Platform = s
	case symOutputHash:
		b.hash, b.fixed = s, true
	case symOutputHashAlgo:
		b.hashAlgo = s
	case symOutputHashMode:
		b.setHashMode(s)
	case symOutputs:
		b.setOutputs(strings.Fields(s))
	}
}

func (b *drvBuilder) setHashMode(s string) {
	if s != "flat" && s != "recursive" {
		b.ev.errorf(ErrEval, b.pos, "invalid value '%s' for 'outputHashMode' attribute", s)
	}
	b.hashMode = s
}

func (b *drvBuilder) setOutputs(outs []string) {
	seen := map[string]bool{}
	for _, o := range outs {
		if seen[o] {
			b.ev.errorf(ErrEval, b.pos, "duplicate derivation output '%s'", o)
		}
		if o == "drv" || o == "drvPath" || storepath.ValidateName(o) != nil {
			b.ev.errorf(ErrEval, b.pos, "invalid derivation output name '%s'", o)
		}
		seen[o] = true
	}
	if len(outs) == 0 {
		b.ev.errorf(ErrEval, b.pos, "derivation cannot have an empty set of outputs")
	}
	b.outputs = outs
}

// finish computes the inputs and outputs, writes the .drv file and
// returns { drvPath; <output> = path; … }.
func (b *drvBuilder) finish() Value {
	ev, drv := b.ev, b.drv
	if b.json != nil {
		drv.Env["__json"] = b.jsonText()
	}
	b.addInputs()
	if drv.Builder == "" {
		ev.errorf(ErrEval, b.pos, "required attribute 'builder' missing")
	}
	if drv.Platform == "" {
		ev.errorf(ErrEval, b.pos, "required attribute 'system' missing")
	}
	if strings.HasSuffix(b.name, ".drv") {
		ev.errorf(ErrEval, b.pos, "derivation names are not allowed to end in '.drv'")
	}
	if err := storepath.ValidateName(b.name); err != nil {
		ev.errorf(ErrEval, b.pos, "invalid derivation name: %s. Please pass a different 'name'.", strings.TrimSuffix(err.Error(), ": "+storepath.ErrInvalid.Error()))
	}
	if b.fixed {
		b.fixedOutput()
	} else {
		for _, o := range b.outputs {
			drv.Outputs[o] = derivation.Output{}
			drv.Env[o] = ""
		}
		if err := drv.FillOutputs(ev.loadDrv, ev.drvHashes); err != nil {
			ev.errorf(ErrEval, b.pos, "%v", err)
		}
	}
	drvPath, err := ev.store.AddText(b.name+".drv", drv.ATerm(), drv.References())
	if err != nil {
		ev.errorf(ErrEval, b.pos, "writing derivation '%s': %v", b.name, err)
	}
	ev.drvs[string(drvPath)] = drv
	out := []Attr{{Name: symDrvPath, Value: NewStringContext(string(drvPath), NewContext("="+string(drvPath)))}}
	for name, o := range drv.Outputs {
		out = append(out, Attr{Name: Intern(name), Value: NewStringContext(o.Path, NewContext("!"+name+"!"+string(drvPath)))})
	}
	return NewAttrs(out)
}

func (b *drvBuilder) jsonText() string {
	keys := make([]string, 0, len(b.json))
	for k := range b.json {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	sb.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			sb.WriteByte(',')
		}
		writeJSONString(&sb, k)
		sb.WriteByte(':')
		sb.WriteString(b.json[k])
	}
	sb.WriteByte('}')
	return sb.String()
}

// addInputs turns the context of every string used into the inputs of
// the derivation.
func (b *drvBuilder) addInputs() {
	ev, drv := b.ev, b.drv
	srcs := map[string]bool{}
	for _, c := range b.cb.ctx.Elems() {
		switch c[0] {
		case '=':
			for _, p := range ev.drvClosure(b.pos, c[1:]) {
				srcs[p] = true
				if strings.HasSuffix(p, ".drv") {
					drv.InputDrvs[p] = ev.loadDrvOrRaise(b.pos, p).OutputNames()
				}
			}
		case '!':
			parts := strings.SplitN(c, "!", 3)
			drv.InputDrvs[parts[2]] = appendUnique(drv.InputDrvs[parts[2]], parts[1])
		default:
			srcs[c] = true
		}
	}
	for p := range srcs {
		drv.InputSrcs = append(drv.InputSrcs, p)
	}
	sort.Strings(drv.InputSrcs)
	for p, outs := range drv.InputDrvs {
		sort.Strings(outs)
		drv.InputDrvs[p] = outs
	}
}

func appendUnique(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

// fixedOutput makes the single output of a fixed-output derivation.
func (b *drvBuilder) fixedOutput() {
	ev, drv := b.ev, b.drv
	if len(b.outputs) != 1 || b.outputs[0] != "out" {
		ev.errorf(ErrEval, b.pos, "multiple outputs are not supported in fixed-output derivations")
	}
	var algo nixhash.Algo
	if b.hashAlgo != "" {
		var err error
		if algo, err = nixhash.ParseAlgo(b.hashAlgo); err != nil {
			ev.errorf(ErrEval, b.pos, "unknown hash algorithm '%s'", b.hashAlgo)
		}
	}
	var h nixhash.Hash
	if b.hash == "" {
		if algo == 0 {
			algo = nixhash.SHA256
		}
		h = nixhash.Hash{Algo: algo, Digest: make([]byte, algo.Size())}
		fmt.Fprintf(ev.opts.Stderr, "warning: found empty hash, assuming '%s'\n", h.SRI())
	} else {
		var err error
		if h, err = nixhash.Parse(b.hash, algo); err != nil {
			ev.errorf(ErrEval, b.pos, "invalid hash '%s': %v", b.hash, err)
		}
	}
	method := storepath.Flat
	switch b.hashMode {
	case "", "flat":
	case "recursive":
		method = storepath.Recursive
	default:
		ev.errorf(ErrEval, b.pos, "invalid value '%s' for 'outputHashMode' attribute", b.hashMode)
	}
	p, err := storepath.MakeFixedOutput(method, h, b.name, nil, false)
	if err != nil {
		ev.errorf(ErrEval, b.pos, "%v", err)
	}
	drv.Env["out"] = string(p)
	drv.Outputs["out"] = derivation.Output{Path: string(p), HashAlgo: method.Prefix() + h.Algo.String(), Hash: h.Hex()}
}

// loadDrv returns a derivation instantiated in this evaluation, or reads
// it from the store.
func (ev *Evaluator) loadDrv(p string) (*derivation.Derivation, error) {
	if d, ok := ev.drvs[p]; ok {
		return d, nil
	}
	sp := storepath.Path(p)
	d, err := derivation.ReadFile(ev.store.RealPath(sp), sp)
	if err != nil {
		return nil, err
	}
	ev.drvs[p] = d
	return d, nil
}

func (ev *Evaluator) loadDrvOrRaise(pos syntax.Pos, p string) *derivation.Derivation {
	d, err := ev.loadDrv(p)
	if err != nil {
		ev.errorf(ErrEval, pos, "%v", err)
	}
	return d
}

// drvClosure returns the .drv file p and everything it refers to,
// recursively (its input sources and input derivations).
func (ev *Evaluator) drvClosure(pos syntax.Pos, p string) []string {
	seen := map[string]bool{}
	var out []string
	var visit func(string)
	visit = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		out = append(out, p)
		if !strings.HasSuffix(p, ".drv") {
			for _, r := range ev.pathRefs[p] {
				visit(r)
			}
			return
		}
		d := ev.loadDrvOrRaise(pos, p)
		for _, s := range d.InputSrcs {
			visit(s)
		}
		for in := range d.InputDrvs {
			visit(in)
		}
	}
	visit(p)
	sort.Strings(out)
	return out
}
