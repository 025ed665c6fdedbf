package lib

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A moduleCase evaluates lib/tests/modules/default.nix with a list of
// modules and prints one attribute as JSON, like nixpkgs' modules.sh:
// checkConfigOutput (want) or checkConfigError (wantErr).
type moduleCase struct {
	attr    string   // attribute path printed (-A)
	modules []string // Nix expressions: fixture paths (./x.nix) or inline modules
	want    string   // regexp the JSON output must match
	wantErr string   // regexp the error output must match; evaluation must fail
	stderr  string   // with want: regexp stderr must match (warnings, traces)
	notErr  string   // with wantErr: regexp the error output must not match
	trace   bool     // pass --show-trace (to see error contexts)
}

// out is checkConfigOutput: attr must print JSON matching want.
func out(want, attr string, modules ...string) moduleCase {
	return moduleCase{attr: attr, modules: modules, want: want}
}

// fail is checkConfigError: evaluating attr must fail with a message
// matching wantErr.
func fail(wantErr, attr string, modules ...string) moduleCase {
	return moduleCase{attr: attr, modules: modules, wantErr: wantErr}
}

func (c moduleCase) withStderr(re string) moduleCase { c.stderr = re; return c }
func (c moduleCase) withTrace() moduleCase           { c.trace = true; return c }
func (c moduleCase) without(re string) moduleCase    { c.notErr = re; return c }

func (c moduleCase) name() string {
	var mods []string
	for _, m := range c.modules {
		if strings.HasPrefix(m, "./") {
			m = strings.TrimSuffix(path.Base(m), ".nix")
		} else {
			m = "inline"
		}
		mods = append(mods, m)
	}
	return c.attr + "/" + strings.Join(mods, ",")
}

// Regexps below use "." where a message has a backtick or quote, as
// modules.sh does.
const (
	conflict  = `has conflicting definition values:`
	suggest   = `\n\s*Use .lib.mkForce value. or .lib.mkDefault value. to change the priority on any of these definitions.`
	notOfType = `A definition for option .%s. is not of type .%s.. Definition values:\n\s*- In .*%s.:\s*%s`
)

// typeErr is the regexp of a type error for option opt of the given type
// description, defined in the file ending in where with the value shown.
func typeErr(opt, desc, where, value string) string {
	return fmt.Sprintf(notOfType, regexp.QuoteMeta(opt), regexp.QuoteMeta(desc), where, value)
}

var basicCases = []moduleCase{
	out(`^false$`, "config.enable", "./declare-enable.nix"),
	out(`^true$`, "config.enable", "./declare-enable.nix", "./define-enable.nix"),
	fail(`The option .enable. does not exist. Definition values:\n\s*- In .*/define-enable.nix:2.: true`,
		"config.enable", "./define-enable.nix"),
	out(`^"Whether to enable the feature."$`, "options.enable.description", "./declare-enable.nix"),
	out(`^true$`, "options.enable.example", "./declare-enable.nix"),
	out(`^"boolean"$`, "options.enable.type.description", "./declare-enable.nix"),
	fail(typeErr("enable", "boolean", "/define-enable-string.nix:2", `"yes"`),
		"config.enable", "./declare-enable.nix", "./define-enable-string.nix"),
	fail(`The option .enable. `+conflict+`\n\s*- In .*/define-enable-false.nix:2.: false\n\s*- In .*/define-enable.nix:2.: true`+suggest,
		"config.enable", "./declare-enable.nix", "./define-enable.nix", "./define-enable-false.nix"),
	fail(`while evaluating the error message for definitions for .enable., which is an option that does not exist`,
		"config.enable", "./define-enable-abort.nix").withTrace(),
	fail(`while evaluating a definition from .*/define-enable-abort.nix`,
		"config.enable", "./define-enable-abort.nix").withTrace(),
	out(`^true$`, "config.enable", "./declare-enable.nix", "./define-enable-top-level-if.nix"),
	out(`^false$`, "config.enable", "./declare-enable.nix", "./define-enable-if-false.nix"),
	fail(`mkIf called with a non-Boolean condition`, "config.enable", "./declare-enable.nix", "./define-enable-if-string.nix"),
	out(`^9$`, "config.value", "./declare-value-int.nix", "./define-value-merge-if.nix"),
	fail(`The option .value. is used but not defined.`, "config.value", "./declare-value-int.nix"),
	fail(typeErr("value", "signed integer", "/define-value-string.nix:2", `"24"`),
		"config.value", "./declare-value-int.nix", "./define-value-string.nix"),
	fail(typeErr("value", "signed integer", "/define-value-list.nix:2", `\[ \]`),
		"config.value", "./declare-value-int.nix", "./define-value-list.nix"),
	// Every invalid definition is reported, even next to valid ones.
	fail(`A definition for option .value. is not of type .signed integer.. Definition values:\n\s*- In .*/define-value-list.nix:2.: \[ \]`,
		"config.value", "./declare-value-int.nix", "./define-value-list.nix", "./define-value-1.nix").without(`define-value-1.nix`),
}

var priorityCases = []moduleCase{
	out(`^false$`, "config.enable", "./declare-enable.nix", "./define-enable.nix", "./define-enable-force-false.nix"),
	out(`^false$`, "config.enable", "./declare-enable.nix", "./define-enable-force-false.nix", "./define-enable.nix"),
	out(`^false$`, "config.enable", "./declare-enable.nix", "./define-enable-default-true.nix", "./define-enable-false.nix"),
	out(`^true$`, "config.enable", "./declare-enable.nix", "./define-enable-default-true.nix"),
	// A definition with mkOptionDefault has the priority of the option's
	// default, so they conflict.
	fail(`The option .enable. `+conflict, "config.enable", "./declare-enable.nix", "./define-enable-option-default-true.nix"),
	out(`^true$`, "config.enable", "./declare-enable.nix", "./define-enable-vm-override.nix", "./define-enable-force-false.nix"),
	out(`^1500$`, "options.enable.highestPrio", "./declare-enable.nix"),
	out(`^100$`, "options.enable.highestPrio", "./declare-enable.nix", "./define-enable.nix"),
	out(`^1000$`, "options.enable.highestPrio", "./declare-enable.nix", "./define-enable-default-true.nix"),
	out(`^50$`, "options.enable.highestPrio", "./declare-enable.nix", "./define-enable-force-false.nix"),
	out(`^10$`, "options.enable.highestPrio", "./declare-enable.nix", "./define-enable-vm-override.nix"),
	out(`^60$`, "options.value.highestPrio", "./declare-value-int.nix", "./define-value-image-media.nix"),
	out(`^1$`, "config.value", "./declare-value-int.nix", "./define-value-1.nix", "./define-value-1-again.nix"),
	fail(`The option .value. `+conflict+`\n\s*- In .*/define-value-2.nix:2.: 2\n\s*- In .*/define-value-1.nix:2.: 1`+suggest,
		"config.value", "./declare-value-int.nix", "./define-value-1.nix", "./define-value-2.nix"),
	fail(`The option .value. `+conflict+`\n\s*- In .*/define-value-force-4.nix:3.: 4\n\s*- In .*/define-value-force-3.nix:3.: 3`,
		"config.value", "./declare-value-int.nix", "./define-value-1.nix", "./define-value-force-3.nix", "./define-value-force-4.nix"),
	out(`^3$`, "config.value", "./declare-value-int.nix", "./define-value-1.nix", "./define-value-force-3.nix"),
	out(`^5$`, "config.value", "./declare-value-int.nix", "./define-value-default-5.nix"),
	out(`^7$`, "config.value", "./declare-value-int-default.nix"),
	out(`^5$`, "config.value", "./declare-value-int-default.nix", "./define-value-default-5.nix"),
	out(`^1$`, "config.value", "./declare-value-int-default.nix", "./define-value-default-5.nix", "./define-value-1.nix"),
	out(`^10$`, "config.value", "./declare-value-int.nix", "./define-value-1.nix", "./define-value-override-10.nix", "./define-value-force-3.nix"),
	out(`^false$`, "options.value.isDefined", "./declare-value-int.nix"),
	out(`^true$`, "options.value.isDefined", "./declare-value-int.nix", "./define-value-1.nix"),
	out(`^\[1\]$`, "options.value.definitions", "./declare-value-int-default.nix", "./define-value-default-5.nix", "./define-value-1.nix"),
	// Inline modules: priorities of list definitions.
	out(`^\["forced"\]$`, "config.list", "./declare-list.nix", "./define-list-a.nix", "./define-list-b.nix", "./define-list-force.nix"),
	out(`^\[\]$`, "config.list", "./declare-list.nix", `{ lib, ... }: { list = lib.mkDefault [ "d" ]; }`, `{ list = [ ]; }`),
}

var orderCases = []moduleCase{
	// Definitions of later modules come first (nixpkgs issue 56519).
	out(`^\["b","a"\]$`, "config.list", "./declare-list.nix", "./define-list-a.nix", "./define-list-b.nix"),
	out(`^\["before","a","after"\]$`, "config.list", "./declare-list.nix", "./define-list-a.nix", "./define-list-before.nix", "./define-list-after.nix"),
	out(`^\["before","a","b","after"\]$`, "config.list", "./declare-list.nix", "./define-list-after.nix", "./define-list-b.nix", "./define-list-before.nix", "./define-list-a.nix"),
	out(`^\["order400","before","a"\]$`, "config.list", "./declare-list.nix", "./define-list-a.nix", "./define-list-order-400.nix", "./define-list-before.nix"),
	out(`^\["m-before","m1","m2","m-after"\]$`, "config.list", "./declare-list.nix", "./define-list-merge.nix"),
	out(`^\["keep","also"\]$`, "config.list", "./declare-list.nix", "./define-list-elements-if.nix"),
	out(`^\[\]$`, "config.list", "./declare-list.nix"),
	fail(typeErr("list.[definition 1-entry 2]", "string", "/define-list-bad-element.nix:2", `42`),
		"config.list", "./declare-list.nix", "./define-list-bad-element.nix"),
	out(`^"first\\nmiddle\\nlast"$`, "config.text", "./declare-lines.nix", "./define-lines.nix"),
	out(`^"c,b,a"$`, "config.csv", "./declare-lines.nix", "./define-lines.nix"),
	out(`^"/a:/b"$`, "config.searchPath", "./declare-lines.nix", "./define-lines.nix"),
	out(`^"z-y-x"$`, "config.dashed", "./declare-lines.nix", "./define-lines.nix"),
	out(`^""$`, "config.text", "./declare-lines.nix"),
	out(`^"strings concatenated with \\",\\""$`, "options.csv.type.description", "./declare-lines.nix"),
}

// typeOK lists the options of declare-types.nix with the JSON of their value
// in define-types-ok.nix.
var typeOK = []struct{ opt, want string }{
	{"bool", `true`}, {"boolByOr", `false`}, {"int", `-5`}, {"unsigned", `0`}, {"positive", `1`},
	{"between", `43`}, {"u8", `255`}, {"u16", `65535`}, {"u32", `4294967295`}, {"s8", `-128`},
	{"s16", `32767`}, {"s32", `-2147483648`}, {"port", `8080`}, {"float", `1.5`}, {"number", `2`},
	{"numberBetween", `0.5`}, {"str", `"hello"`}, {"nonEmptyStr", `"x"`}, {"singleLineStr", `"one line"`},
	{"strMatching", `"abc"`}, {"passwdEntry", `"alice"`}, {"path", `"/etc/hosts"`},
	{"pathInStore", `"/nix/store/0fb3ykw9r5hpayd05sr0cizwadzq1d8q-bash-5.2-p15/bin/bash"`},
	{"package.name", `"hello-2.12"`}, {"attrs", `\{"a":1\}`}, {"listOfInt", `\[1,2\]`},
	{"nonEmptyList", `\[1\]`}, {"attrsOfInt", `\{"a":1\}`}, {"lazyAttrsOfInt", `\{"a":1\}`},
	{"nullOrInt", `null`}, {"enum", `"a"`}, {"either", `"str"`}, {"oneOf", `\[1\]`},
	{"raw.nested.condition", `false`}, {"uniq", `1`}, {"unique", `2`}, {"coerced", `"42"`},
	{"untyped", `\["x"\]`}, {"unspecified", `"u"`},
}

// typeMerged lists values after merging define-types-ok.nix and
// define-types-more.nix (definitions of the later module first).
var typeMerged = []struct{ opt, want string }{
	{"boolByOr", `true`}, {"attrs", `\{"a":1,"b":2\}`}, {"listOfInt", `\[3,1,2\]`},
	{"attrsOfInt", `\{"a":1,"b":2\}`}, {"lazyAttrsOfInt", `\{"a":1,"b":2\}`}, {"nullOrInt", `null`},
	{"untyped", `\["y","x"\]`}, {"unspecified", `"vu"`},
}

// typeConflicts lists the errors of merging define-types-ok.nix with
// define-types-conflict.nix.
var typeConflicts = []struct{ opt, wantErr string }{
	{"bool", `The option .bool. ` + conflict + `\n\s*- In .*/define-types-conflict.nix:\d+.: false\n\s*- In .*/define-types-ok.nix:\d+.: true`},
	{"int", `The option .int. ` + conflict},
	{"str", `The option .str. ` + conflict + `\n\s*- In .*: "world"\n\s*- In .*: "hello"`},
	{"attrsOfInt", `The option .attrsOfInt.a. ` + conflict},
	{"nullOrInt", `The option .nullOrInt. is defined both null and not null, in .*/define-types-conflict.nix. and .*/define-types-ok.nix.`},
	{"enum", `The option .enum. ` + conflict},
	{"either", `The option .either. is defined multiple times while it's expected to be unique.`},
	{"raw", `The option .raw. is defined multiple times while it's expected to be unique.`},
	{"uniq", `The option .uniq. is defined multiple times while it's expected to be unique.\n\s*\n\s*Definition values:\n\s*- In .*: 1\n\s*- In .*: 1`},
	{"unique", `The option .unique. is defined multiple times while it's expected to be unique.\n\s*Only one module may set it.\n`},
}

// typeBad lists, for each option of declare-types.nix, the description of
// its type and the shown value of its definition in define-types-bad.nix.
var typeBad = []struct{ opt, desc, value string }{
	{"bool", "boolean", `1`},
	{"int", "signed integer", `1\.5`},
	{"unsigned", "unsigned integer, meaning >=0", `-1`},
	{"positive", "positive integer, meaning >0", `0`},
	{"between", "integer between -21 and 43 (both inclusive)", `-22`},
	{"u8", "8 bit unsigned integer; between 0 and 255 (both inclusive)", `256`},
	{"u16", "16 bit unsigned integer; between 0 and 65535 (both inclusive)", `-1`},
	{"s8", "8 bit signed integer; between -128 and 127 (both inclusive)", `-129`},
	{"port", "16 bit unsigned integer; between 0 and 65535 (both inclusive)", `70000`},
	{"float", "floating point number", `1`},
	{"number", "signed integer or floating point number", `"1"`},
	{"numberBetween", "integer or floating point number between 0 and 1 (both inclusive)", `2`},
	{"str", "string", `1`},
	{"nonEmptyStr", "non-empty string", `"   "`},
	{"singleLineStr", "(optionally newline-terminated) single-line string", `''\n\s*two\n\s*lines''`},
	{"strMatching", "string matching the pattern [a-z]+", `"ABC"`},
	{"passwdEntry", "string, not containing newlines or colons", `"a:b"`},
	{"path", "path", `"relative/path"`},
	{"pathInStore", "path in the Nix store", `"/nix/store"`},
	{"package", "package", `"hello"`},
	{"attrs", "attribute set", `\[ \]`},
	{"listOfInt.[definition 1-entry 2]", "signed integer", `"two"`},
	{"nonEmptyList", "non-empty (list of signed integer)", `\[ \]`},
	{"attrsOfInt.a", "signed integer", `"x"`},
	{"nullOrInt", "null or signed integer", `"x"`},
	{"enum", `one of "a", "b", 3, true`, `"c"`},
	{"either", "signed integer or string", `\[ \]`},
	{"oneOf", "signed integer or string or list of signed integer", `\{ \}`},
	{"coerced", "string or signed integer convertible to it", `\[ \]`},
}

func typeCases() []moduleCase {
	var cs []moduleCase
	for _, c := range typeOK {
		cs = append(cs, out("^"+c.want+"$", "config."+c.opt, "./declare-types.nix", "./define-types-ok.nix"))
	}
	for _, c := range typeMerged {
		cs = append(cs, out("^"+c.want+"$", "config."+c.opt, "./declare-types.nix", "./define-types-ok.nix", "./define-types-more.nix"))
	}
	for _, c := range typeConflicts {
		cs = append(cs, fail(c.wantErr, "config."+c.opt, "./declare-types.nix", "./define-types-ok.nix", "./define-types-conflict.nix"))
	}
	for _, c := range typeBad {
		attr := "config." + strings.SplitN(c.opt, ".", 2)[0]
		cs = append(cs, fail(typeErr(c.opt, c.desc, `/define-types-bad.nix:\d+`, c.value), attr, "./declare-types.nix", "./define-types-bad.nix"))
	}
	return cs
}

var typeMiscCases = []moduleCase{
	out(`^"list of \(null or string\)"$`, "options.listOfNullOrStr.type.description", "./declare-descriptions.nix"),
	out(`^"attribute set of \(submodule\)"$`, "options.attrsOfSubmodule.type.description", "./declare-descriptions.nix"),
	out(`^"null or package"$`, "options.nullOrPackage.type.description", "./declare-descriptions.nix"),
	out(`^"list of list of signed integer"$`, "options.listOfListOfInt.type.description", "./declare-descriptions.nix"),
	out(`^"signed integer or list of string"$`, "options.eitherIntListOfStr.type.description", "./declare-descriptions.nix"),
	out(`^"function that evaluates to a\(n\) string"$`, "options.functionToStr.type.description", "./declare-descriptions.nix"),
	out(`^"value \\"only\\" \(singular enum\)"$`, "options.enumOne.type.description", "./declare-descriptions.nix"),
	out(`^"impossible \(empty enum\)"$`, "options.enumNone.type.description", "./declare-descriptions.nix"),
	out(`^"lazy attribute set of boolean"$`, "options.lazyAttrsOfBool.type.description", "./declare-descriptions.nix"),
	out(`^"string or signed integer convertible to it"$`, "options.coerced.type.description", "./declare-descriptions.nix"),
	out(`^"non-empty \(list of string\)"$`, "options.nonEmptyListOfStr.type.description", "./declare-descriptions.nix"),
	out(`^"strings concatenated with \\", \\""$`, "options.separated.type.description", "./declare-descriptions.nix"),
	out(`^12$`, "config.value", "./declare-coerced-unsound.nix"),
	fail(`A definition for option .value. is not of type .8 bit signed integer; between -128 and 127 \(both inclusive\) or string convertible to it.. Definition values:\n\s*- In .*: "1000"`,
		"config.value", "./declare-coerced-unsound.nix", `{ value = "1000"; }`),
	fail(`toInt: Could not convert "abc" to int`, "config.value", "./declare-coerced-unsound.nix", `{ value = "abc"; }`),
	out(`^\{"a":1,"b":2\}$`, "config.value", "./declare-either-merge.nix"),
	out(`^"b"$`, "config.value", "./declare-enum-twice.nix"),
	out(`^"one of \\"b\\", \\"a\\""$`, "options.value.type.description", "./declare-enum-twice.nix"),
	fail(typeErr("value", `one of "b", "a"`, "", `"c"`), "config.value", "./declare-enum-twice.nix", `{ value = "c"; }`),
	// types.anything
	out(`^\{"a":1,"b":2,"deeper":\{"c":3\}\}$`, "config.value.nested", "./anything.nix"),
	out(`^\{"bool":false,"float":0.1,"int":0,"null":null,"str":""\}$`, "config.value.equal", "./anything.nix"),
	out(`^\{"x":null,"y":null\}$`, "config.applied.merging", "./anything.nix"),
	fail(`The option .value.functions.conflicting.<function body>. has conflicting option types in .*/anything.nix. and .*/anything.nix.`,
		"config.applied.conflicting", "./anything.nix"),
	fail(`attribute .ifFalse.* (missing|not found)`, "config.value.mk.ifFalse", "./anything.nix"),
	out(`^\{\}$`, "config.value.mk.ifTrue", "./anything.nix"),
	out(`^2$`, "config.value.mk.default", "./anything.nix"),
	out(`^\{\}$`, "config.value.mk.merge", "./anything.nix"),
	out(`^\{"bar":\{"baz":"baz"\},"foo":1\}$`, "config.value.mk.nested", "./anything.nix"),
	out(`^"foo"$`, "config.value.coercible.outPath", "./anything.nix"),
	out(`^\[1\]$`, "config.value.list", "./anything.nix"),
	fail(`The option .value. has conflicting definitions, in .*/anything-lists.nix. and .*/anything-lists.nix.`, "config.value", "./anything-lists.nix"),
	fail(`The option .value. `+conflict, "config.value", "./anything-atoms.nix"),
	// No type: mergeDefaultOption.
	out(`^\[2,1\]$`, "config.lists", "./unspecified.nix"),
	out(`^\{"a":1,"b":2\}$`, "config.sets", "./unspecified.nix"),
	out(`^true$`, "config.bools", "./unspecified.nix"),
	out(`^"ba"$`, "config.strings", "./unspecified.nix"),
	out(`^3$`, "config.ints", "./unspecified.nix"),
	fail(`Cannot merge definitions of .intsBad.. Definition values:\n\s*- In .*: 4\n\s*- In .*: 3`, "config.intsBad", "./unspecified.nix"),
	fail(`Cannot merge definitions of .mixed.`, "config.mixed", "./unspecified.nix"),
	out(`^"unspecified value"$`, "options.untyped.type.description", "./declare-types.nix"),
	// functionTo
	out(`^"b a"$`, "config.result", "./functionTo.nix"),
	out(`^\{"a":"x","c":"xx"\}$`, "config.attrsResult", "./functionTo.nix"),
	fail(typeErr("badFun.<function body>", "string", "/functionTo.nix:\\d+", `1`), "config.badResult", "./functionTo.nix"),
	out(`^"function that evaluates to a\(n\) list of string"$`, "options.fun.type.description", "./functionTo.nix"),
	// raw
	out(`^false$`, "config.unprocessed.inner.condition", "./raw.nix"),
	fail(`The option .multiple. is defined multiple times while it's expected to be unique`, "config.multiple", "./raw.nix"),
	out(`^"bar"$`, "config.priorities", "./raw.nix"),
	// empty values of lazyAttrsOf
	out(`^\[\]$`, "config.list.a", "./emptyValues.nix"),
	out(`^\{\}$`, "config.attrs.a", "./emptyValues.nix"),
	out(`^null$`, "config.null.a", "./emptyValues.nix"),
	out(`^\{\}$`, "config.submodule.a", "./emptyValues.nix"),
	fail(`The option .int.a. is used but not defined`, "config.int.a", "./emptyValues.nix"),
	fail(`The option .nonEmptyList.a. is used but not defined`, "config.nonEmptyList.a", "./emptyValues.nix"),
	// attrsOf is strict in its attribute names, lazyAttrsOf is not.
	fail(`infinite recursion encountered`, "config.strictIsLazy", "./attrsOf-laziness.nix"),
	out(`^true$`, "config.lazyIsLazy", "./attrsOf-laziness.nix"),
	out(`^true$`, "config.strictConditional", "./attrsOf-laziness.nix"),
	out(`^false$`, "config.lazyConditional", "./attrsOf-laziness.nix"),
	fail(`The option .lazyCond.gone. is used but not defined`, "config.lazyCond.gone", "./attrsOf-laziness.nix"),
	out(`^2$`, "config.lazy.b", "./attrsOf-mkif-dependent.nix"),
	// package: a path string becomes a derivation-like set.
	out(`^"hello-2.12"$`, "config.package.name", "./declare-types.nix",
		`{ package = "/nix/store/0fb3ykw9r5hpayd05sr0cizwadzq1d8q-hello-2.12"; }`),
}

var submoduleCases = []moduleCase{
	out(`^1000$`, "config.users.alice.uid", "./declare-users.nix", "./define-users-alice.nix"),
	out(`^"alice"$`, "config.users.alice.name", "./declare-users.nix", "./define-users-alice.nix"),
	out(`^"/home/alice"$`, "config.users.alice.home", "./declare-users.nix", "./define-users-alice.nix"),
	out(`^\["wheel","audio"\]$`, "config.users.alice.groups", "./declare-users.nix", "./define-users-alice.nix", "./define-users-alice-more.nix"),
	out(`^true$`, "config.users.alice.enable", "./declare-users.nix", "./define-users-alice.nix", "./define-users-alice-more.nix"),
	out(`^"/srv/bob"$`, "config.users.bob.home", "./declare-users.nix", "./define-users-alice-more.nix"),
	out(`^\{\}$`, "config.users", "./declare-users.nix"),
	fail(typeErr("users.alice.uid", "null or signed integer", "/define-users-alice-bad-uid.nix:3", `"1000"`),
		"config.users.alice.uid", "./declare-users.nix", "./define-users-alice-bad-uid.nix"),
	fail(`The option .users.alice.shell. does not exist. Definition values:\n\s*- In .*/define-users-alice-undeclared.nix:3.: "/bin/sh"`,
		"config.users.alice", "./declare-users.nix", "./define-users-alice-undeclared.nix"),
	fail(`The option .users.alice.uid. `+conflict+`\n\s*- In .*/define-users-alice.nix:3.: 1000\n\s*- In .*/define-users-alice-conflict.nix:2.: 1001`,
		"config.users.alice.uid", "./declare-users.nix", "./define-users-alice.nix", "./define-users-alice-conflict.nix"),
	out(`^1002$`, "config.users.carol.uid", "./declare-users.nix", "./define-users-path.nix"),
	out(`^true$`, "config.users.dave.enable", "./declare-users.nix", "./declare-enable.nix", "./define-enable.nix", "./define-users-if.nix"),
	out(`^\{\}$`, "config.users", "./declare-users.nix", "./declare-enable.nix", "./define-users-if.nix"),
	// mkIf inside a submodule value keeps the attribute; around it, removes it.
	out(`^\["alice"\]$`, "config.names", "./declare-users.nix",
		`{ lib, config, ... }: { options.names = lib.mkOption { default = builtins.attrNames config.users; }; config.users.alice.enable = lib.mkIf false true; config.users.bob = lib.mkIf false { }; }`),
	out(`^\["erin"\]$`, "config.names", "./declare-users.nix", "./define-users-alice.nix", "./define-users-force.nix",
		`{ lib, config, ... }: { options.names = lib.mkOption { default = builtins.attrNames config.users; }; }`),
	out(`^false$`, "config.users.alice.enable", "./declare-users.nix", "./define-users-alice.nix", "./define-users-alice-more.nix", "./define-users-alice-force-enable.nix"),
	out(`^"user alice"$`, "config.users.alice.description", "./declare-users.nix", "./define-users-alice.nix", "./declare-users-extra.nix"),
	out(`^"attribute set of \(submodule\)"$`, "options.users.type.description", "./declare-users.nix"),
	out(`^1$`, "config.single.a", "./declare-users-nested-option.nix"),
	out(`^2$`, "config.single.b", "./declare-users-nested-option.nix"),
	out(`^\[\{"addr":"::","port":8080\},\{"addr":"0.0.0.0","port":80\}\]$`, "config.listeners", "./declare-submodule-list.nix"),
	fail(typeErr("listeners.[definition 3-entry 1].port", "16 bit unsigned integer; between 0 and 65535 (both inclusive)", "", `-1`),
		"config.listeners", "./declare-submodule-list.nix", `{ listeners = [ { addr = "x"; port = -1; } ]; }`),
	out(`^2$`, "config.outer.x.inner.y-z.value", "./declare-submodule-nested.nix", `{ outer.x.inner.y-z.value = 2; }`),
	out(`^"outer.x.inner"$`, "config.outer.x.path", "./declare-submodule-nested.nix"),
	out(`"y.z":\{"path":"outer.x.inner.\\"y.z\\".value","value":2\}`, "config.outer.x.inner", "./declare-submodule-nested.nix"),
	out(`^"hello"$`, "config.special.text", "./declare-submoduleWith.nix"),
	out(`^true$`, "config.shorthand.config", "./declare-submoduleWith.nix", "./define-submoduleWith.nix"),
	out(`^true$`, "config.noShorthand.enable", "./declare-submoduleWith.nix", "./define-submoduleWith.nix"),
	fail(`In module .<unknown-file>., you're trying to define a value of type .bool.\n\s*rather than an attribute set for the option\n\s*.noShorthand.!`,
		"config.noShorthand", "./declare-submoduleWith.nix", "./define-submoduleWith.nix", `{ noShorthand = { config = true; }; }`),
	out(`^"a special thing"$`, "options.described.type.description", "./declare-submoduleWith.nix"),
	out(`^false$`, "config.sub.flag", "./declare-submodule-via-evalModules.nix"),
	out(`^"worker"$`, "config.nodes.a.role", "./declare-deferred.nix"),
	out(`^"leader"$`, "config.nodes.b.role", "./declare-deferred.nix"),
	out(`^\{"int":10,"str":"hello"\}$`, "config.theOption", "./declare-optionType.nix"),
	out(`^\{"base":7,"extended":20\}$`, "config.result", "./extend-modules.nix"),
	out(`^100$`, "config.special", "./specialisation.nix"),
	out(`^7$`, "config.value", "./specialisation.nix"),
}

var freeformCases = []moduleCase{
	out(`^"24"$`, "config.value", "./freeform-attrsOf.nix", "./define-value-string.nix"),
	out(`^\{\}$`, "config", "./freeform-attrsOf.nix"),
	fail(typeErr("value", "string or attribute set of string", "/define-value-list.nix:2", `\[ \]`),
		"config.value", "./freeform-attrsOf.nix", "./define-value-list.nix"),
	out(`^"yes"$`, "config.value", "./freeform-attrsOf.nix", "./define-value-properties.nix"),
	out(`^false$`, "config.enable", "./freeform-attrsOf.nix", "./define-value-string.nix", "./declare-enable.nix"),
	out(`^"24"$`, "config.value", "./freeform-attrsOf.nix", "./define-value-string.nix", "./declare-enable.nix"),
	out(`^false$`, "config.nest.foo", "./freeform-attrsOf.nix", "./freeform-nested.nix"),
	out(`^"bar"$`, "config.nest.bar", "./freeform-attrsOf.nix", "./freeform-nested.nix"),
	out(`^null$`, "config.foo", "./freeform-attrsOf.nix", "./freeform-str-dep-unstr.nix"),
	out(`^"24"$`, "config.foo", "./freeform-attrsOf.nix", "./freeform-str-dep-unstr.nix", "./define-value-string.nix"),
	fail(`infinite recursion encountered`, "config.foo", "./freeform-attrsOf.nix", "./freeform-unstr-dep-str.nix"),
	fail(`The option .value. is used but not defined`, "config.foo", "./freeform-lazyAttrsOf.nix", "./freeform-unstr-dep-str.nix"),
	out(`^"24"$`, "config.foo", "./freeform-lazyAttrsOf.nix", "./freeform-unstr-dep-str.nix", "./define-value-string.nix"),
	out(`^"MaxSessions=4\\nPermitRootLogin=no\\nport=22\\n"$`, "config.rendered", "./freeform-submodule.nix"),
	out(`^22$`, "config.settings.port", "./freeform-submodule.nix"),
	fail(typeErr("settings.Banner", "string or signed integer or boolean", "/freeform-submodule-bad.nix:2", `\[\n\s*"not"`),
		"config.settings", "./freeform-submodule.nix", "./freeform-submodule-bad.nix"),
	out(`^"attribute set of \(string or attribute set of string\)"$`, "options._module.freeformType.value.description", "./freeform-attrsOf.nix"),
}

var importCases = []moduleCase{
	out(`^3$`, "config.value", "./imports.nix"),
	out(`^true$`, "config.enable", "./imports.nix"),
	out(`^7$`, "config.value", "./import-twice.nix"),
	out(`^"pear"$`, "config.once", "./module-with-key.nix"),
	out(`^"pear\\npear"$`, "config.twice", "./module-with-key.nix"),
	out(`^false$`, "config.enable", "./define-enable.nix", "./declare-enable.nix", "./disable-define-enable.nix"),
	out(`^false$`, "config.enable", "./define-enable.nix", "./declare-enable.nix", "./disable-define-enable-string.nix"),
	fail(`The option .enable. does not exist. Definition values:\n\s*- In .*/define-enable.nix:2.: true`,
		"config.enable", "./define-enable.nix", "./declare-enable.nix", "./disable-declare-enable.nix"),
	fail(`attribute .enable.*(missing|not found)`, "config.enable",
		"./define-enable.nix", "./declare-enable.nix", "./disable-declare-enable.nix", "./disable-define-enable.nix"),
	out(`^false$`, "config.enable", "./disable-by-key.nix"),
	fail(`Module .*/disable-bad-key.nix. contains a disabledModules item that is an attribute set, presumably a module, that does not have a .key. attribute.`,
		"config.enable", "./declare-enable.nix", "./disable-bad-key.nix"),
	out(`^true$`, "config.enable", "./disable-recursive/main.nix"),
	out(`^true$`, "config.enable", "./disable-recursive/main.nix", "./disable-recursive/disable-foo.nix"),
	out(`^true$`, "config.enable", "./disable-recursive/main.nix", "./disable-recursive/disable-bar.nix"),
	fail(`The option .enable. does not exist. Definition values:\n\s*- In .*/disable-recursive/main.nix:5.: true`,
		"config.enable", "./disable-recursive/main.nix", "./disable-recursive/disable-foo.nix", "./disable-recursive/disable-bar.nix"),
	fail(`A definition for option .value. is not of type .signed integer.. Definition values:\n\s*- In .the-file.nix.: "not an int"`,
		"config.value", "./declare-value-int.nix", "./define-file-override.nix"),
	fail(`Module imports can't be nested lists. Perhaps you meant to remove one level of lists\?`, "config", "./import-nested-list.nix"),
	fail(`Could not load a value as a module, because it is of type "configuration", in file .*/import-configuration.nix.*please only import the modules that make up the configuration`,
		"config", "./import-configuration.nix"),
	fail(`Could not load a value as a module, because it is of type "flake", in file .*/import-flake.nix`, "config", "./import-flake.nix"),
	fail(`Module .*/unsupported-attribute.nix. has an unsupported attribute .enable.. This is caused by introducing a top-level .config. or .options. attribute.`,
		"config", "./unsupported-attribute.nix"),
	out(`^"two one"$`, "config.result", "./shorthand-meta.nix"),
	out(`^true$`, "config.enable", "./declare-enable.nix", `(import ../..).mkIf true { enable = true; }`),
	fail(`module .*/not-a-module.nix \(.*/not-a-module.nix\) does not look like a module.`, "config", "./not-a-module.nix"),
	out(`^42$`, "options.value.value", "./declare-value-int.nix", "./define-value-42.nix"),
	out(`^"nixos"$`, "config.ok", "./class-check.nix"),
	fail(`The module darwin.nix was imported into nixos instead of darwin.`, "config.fail", "./class-check.nix"),
	out(`^\[".*/declare-value-described.nix",".*/declare-value-int.nix"\]$`, "options.value.declarations",
		"./declare-value-int.nix", "./declare-value-described.nix"),
}

var argCases = []moduleCase{
	fail(`attribute .custom. missing`, "config.enable", "./declare-enable.nix", "./define-enable-with-custom-arg.nix"),
	fail(`while evaluating the module argument .custom. in ".*/define-enable-with-custom-arg.nix":`,
		"config.enable", "./declare-enable.nix", "./define-enable-with-custom-arg.nix").withTrace(),
	out(`^true$`, "config.enable", "./declare-enable.nix", "./define-enable-with-custom-arg.nix", "./define-module-args-custom.nix"),
	fail(`infinite recursion encountered`, "config.enable",
		"./declare-enable.nix", "./define-enable-with-custom-arg.nix", "./define-module-args-custom.nix", "./import-custom-arg.nix"),
	out(`^10$`, "config.value", "./special-args.nix"),
	out(`^true$`, "config.result", "./module-argument-default.nix"),
	fail(`The option .value. does not exist. Definition values:\n\s*- In .*/define-value-1.nix:2.: 1`,
		"config.enable", "./declare-enable.nix", "./define-enable.nix", "./define-value-1.nix"),
	out(`^true$`, "config.enable", "./declare-enable.nix", "./define-enable.nix", "./define-value-1.nix", "./define-module-check-false.nix"),
	out(`^\{"asString":"value","enableDefined":true,"valueDefined":true,"valueLoc":\["value"\],"valuePrio":1500\}$`,
		"config.result", "./options-arg.nix"),
	out(`^true$`, "config.enable", "./define-option-dependently.nix", "./declare-enable.nix", "./declare-value-int.nix"),
	out(`^360$`, "config.value", "./define-option-dependently.nix", "./declare-enable.nix", "./declare-value-int.nix"),
	out(`^7$`, "config.value", "./define-option-dependently.nix", "./declare-value-int.nix"),
	out(`^99$`, "config.value", "./declare-value-int.nix", "./declare-enable.nix", "./define-if-dependent.nix", "./define-enable.nix"),
	fail(`The option .value. is used but not defined.`, "config.value", "./declare-value-int.nix", "./declare-enable.nix", "./define-if-dependent.nix"),
	out(`^"sub"$`, "config.sub.n", `{ lib, ... }: { options.sub = lib.mkOption { type = lib.types.submodule ({ name, ... }: { options.n = lib.mkOption { default = name; }; }); default = { }; }; }`),
	out(`^true$`, "config.result", `{ lib, ... }: { options.result = lib.mkOption { default = lib ? evalModules && lib ? mkOption; }; }`),
}

var assertionCases = []moduleCase{
	out(`^"ok"$`, "config.result", "./assertions.nix"),
	out(`^"ok"$`, "config.result", "./assertions.nix", "./assertion-true.nix"),
	fail(`\n\s*Failed assertions:\n\s*- value must be greater than 10, is 1\n\s*- second failure`,
		"config.result", "./assertions.nix", "./assertion-true.nix", "./assertion-false.nix", "./declare-value-int.nix", "./define-value-1.nix"),
	out(`^"ok"$`, "config.result", "./assertions.nix", "./warning.nix").withStderr(`warning: this is deprecated`),
	out(`^"ok"$`, "config.locatedResult", "./assertions-located.nix", "./assertion-true.nix"),
	fail(`\n\s*Failed assertions:\n\s*- value must be greater than 10, is 1 \(defined in .*/assertion-false.nix:3.\)\n\s*- second failure \(defined in .*/assertion-false.nix:3.\)`,
		"config.locatedResult", "./assertions-located.nix", "./assertion-false.nix", "./declare-value-int.nix", "./define-value-1.nix"),
}

var renameCases = []moduleCase{
	out(`^8080$`, "config.services.new.port", "./rename.nix", "./rename-define-old.nix"),
	out(`^8082$`, "config.services.new.port", "./rename.nix", "./rename-define-old-default.nix"),
	out(`^80$`, "config.services.new.port", "./rename.nix"),
	out(`^8080$`, "config.services.old.port", "./rename.nix", "./rename-define-old.nix").
		withStderr(`Obsolete option .services.old.port. is used. It was renamed to .services.new.port..`),
	out(`^9090$`, "config.services.new.port", "./rename.nix", "./rename-define-alias.nix"),
	out(`^9090$`, "config.aliasPort", "./rename.nix", "./rename-define-alias.nix"),
	out(`^80$`, "config.aliasPort", "./rename.nix"),
	out(`^\["The option .services.old.port. defined in .*/rename-define-old.nix. has been renamed to .services.new.port.."\]$`,
		"config.warnings", "./rename.nix", "./assertions.nix", "./rename-define-old.nix"),
	out(`^"ok"$`, "config.result", "./rename.nix", "./assertions.nix"),
	fail(`Failed assertions:\n\s*- The option definition .services.gone. in .*/rename-define-gone.nix. no longer has any effect; please remove it.\n\s*Use services.new instead.`,
		"config.result", "./rename.nix", "./assertions.nix", "./rename-define-gone.nix"),
	fail(`The option .services.gone. can no longer be used since it's been removed. Use services.new instead.`,
		"config.services.gone", "./rename.nix", "./assertions.nix", "./rename-define-gone.nix"),
	out(`^2048$`, "config.services.new.sizeMB", "./rename.nix", "./rename-define-changed.nix"),
	out(`^"web.example.org"$`, "config.services.new.fqdn", "./rename.nix", "./rename-define-changed.nix"),
	out(`^"localhost"$`, "config.services.new.fqdn", "./rename.nix"),
	out(`has been changed to .services.new.sizeMB. that has a different type`, "config.warnings", "./rename.nix", "./assertions.nix", "./rename-define-changed.nix"),
	out(`^true$`, "config.enable", "./alias-priority.nix"),
	out(`^true$`, "config.enableAlias", "./alias-priority.nix"),
	out(`^false$`, "config.enable", "./alias-priority.nix", `{ enable = false; }`),
	out(`^false$`, "config.enableAlias", "./alias-priority.nix", `{ enable = false; }`),
	out(`^"old"$`, "config.newName", "./misc-helpers.nix", `{ oldName = "old"; }`),
	out(`^\["The option .oldName. defined in .<unknown-file>. has been renamed to .newName.."\]$`, "config.warnings", "./misc-helpers.nix", `{ oldName = "old"; }`),
	out(`^"hi"$`, "config.greeting", "./misc-helpers.nix"),
	out(`^true$`, "options.sink.isDefined", "./misc-helpers.nix"),
	fail(`Option value is not readable because the option is not declared.`, "config.sink", "./misc-helpers.nix"),
	out(`^10$`, "config.derived", "./misc-helpers.nix"),
	out(`^70$`, "config.derived", "./misc-helpers.nix", `{ base = 7; }`),
	// mkDerivedConfig keeps the priority of the source: a default stays a default.
	out(`^5$`, "config.derived", "./misc-helpers.nix", `{ derived = 5; }`),
	fail(`A submoduleWith option is declared multiple times with conflicting class values "darwin" and "nixos".`,
		"config.sub", "./misc-helpers.nix", "./submodule-class-conflict.nix"),
	out(`^\[1,2\]$`, "config.target", "./alias-definitions.nix"),
	out(`^5$`, "config.unsetTarget", "./alias-definitions.nix"),
}

var errorCases = []moduleCase{
	fail(`The option .value. in .*/declare-value-int-default.nix. is already declared in .*/declare-value-int-default-again.nix.`,
		"config.value", "./declare-value-int-default.nix", "./declare-value-int-default-again.nix"),
	fail(`The option .value. in .*/declare-value-int.nix. is already declared in .*/declare-value-str.nix.`,
		"config.value", "./declare-value-int.nix", "./declare-value-str.nix"),
	out(`^7$`, "config.value", "./declare-value-int-default.nix", "./declare-value-described.nix"),
	out(`^"The value."$`, "options.value.description", "./declare-value-int-default.nix", "./declare-value-described.nix"),
	fail(`The option .set. in module .*/declare-set.nix. would be a parent of the following options, but its type .attribute set of signed integer. does not support nested options.\n\s*- option\(s\) with prefix .set.enable. in module .*/declare-enable-nested.nix.`,
		"config.set", "./declare-set.nix", "./declare-enable-nested.nix"),
	fail(`In module .*/options-type-error.nix: expected an option declaration at option path .result. but got an attribute set with type option-type`,
		"config.result", "./options-type-error.nix"),
	fail(`In module .*/options-type-error-nested.nix: expected an option declaration at option path .result.here. but got an attribute set with type option-type`,
		"config.result.here", "./options-type-error-nested.nix"),
	fail(`In module .*/define-set-int.nix., you're trying to define a value of type .int.\n\s*rather than an attribute set for the option\n\s*.set.!`,
		"config.set", "./declare-enable-nested.nix", "./define-set-int.nix"),
	fail(`The option .set.unknown. does not exist. Definition values:\n\s*- In .*/define-set-undeclared.nix:2.: 1`,
		"config.set", "./declare-enable-nested.nix", "./define-set-undeclared.nix"),
	out(`^1$`, "config.value", "./declare-read-only.nix"),
	fail(`The option .value. is read-only, but it's set multiple times. Definition values:\n\s*- In .*/declare-read-only.nix:3.: 1\n\s*- In .*/define-value-2.nix:2.: 2`,
		"config.value", "./declare-read-only.nix", "./define-value-2.nix"),
	out(`^\[1,2,3\]$`, "config.value", "./declare-apply.nix"),
	fail(`(?s)The option .options. does not exist.*It seems as if you're trying to declare an option by placing it into .config. rather than .options.!`,
		"config", "./define-in-config.nix"),
	fail(`A definition for option .outer.space.value. is not of type .signed integer.`, "config.result", "./prefix.nix"),
	fail(`The option .value. does not exist. Definition values:\n\s*- In .<unknown-file>.: 1`, "config", `{ value = 1; }`),
	// Every definition of the undeclared option is listed, and close names
	// are suggested.
	fail(`The option .enabel. does not exist. Definition values:\n\s*- In .*/define-enabel.nix:4.: true\n\s*- In .<unknown-file>.: false\n\s*Did you mean .enable.\?`,
		"config.enable", "./declare-enable.nix", `{ enabel = false; }`, "./define-enabel.nix"),
	fail(`The option .set.enabled. does not exist.*\n(.*\n)*\s*Did you mean .set.enable.\?`,
		"config.set", "./declare-enable-nested.nix", `{ set.enabled = true; }`),
}

var recordCases = []moduleCase{
	out(`^6$`, "options.direct.declarationPositions.0.line", "./declaration-positions.nix"),
	out(`/declaration-positions.nix"$`, "options.direct.declarationPositions.0.file", "./declaration-positions.nix"),
	out(`^10$`, "options.nested.inner.declarationPositions.0.line", "./declaration-positions.nix"),
	out(`^null$`, "options.generated.gen.declarationPositions.0.line", "./declaration-positions.nix"),
	out(`/declaration-positions.nix"$`, "options.generated.gen.declarationPositions.0.file", "./declaration-positions.nix"),
	out(`^\[\{"file":".*/declaration-positions.nix","line":6,"value":1\}\]$`, "options.direct.definitionsWithLocations", "./declaration-positions.nix"),
	out(`^\[\{"file":".*/define-positions.nix","line":3,"value":10\}\]$`, "options.direct.definitionsWithLocations", "./declaration-positions.nix", "./define-positions.nix"),
	out(`^\[\{"file":".*/define-positions.nix","line":6,"value":20\}\]$`, "options.nested.inner.definitionsWithLocations", "./declaration-positions.nix", "./define-positions.nix"),
	out(`^50$`, "options.nested.inner.highestPrio", "./declaration-positions.nix", "./define-positions.nix"),
	out(`^\[".*/define-positions.nix"\]$`, "options.direct.files", "./declaration-positions.nix", "./define-positions.nix"),
	out(`^\[10\]$`, "options.direct.definitions", "./declaration-positions.nix", "./define-positions.nix"),
	out(`^\[".*/declaration-positions.nix"\]$`, "options.direct.declarations", "./declaration-positions.nix"),
	out(`^\["nested","inner"\]$`, "options.nested.inner.loc", "./declaration-positions.nix"),
	out(`^1$`, "options.direct.default", "./declaration-positions.nix"),
	out(`^"int"$`, "options.direct.type.name", "./declaration-positions.nix"),
	out(`^40$`, "config.sub.subOpt", "./declaration-positions.nix", "./define-positions.nix"),
	out(`^\{"a":100,"b":50\}$`, "config.result", "./merge-attr-with-prio.nix"),
	// mkPackageOption
	out(`^"hello"$`, "config.package.pname", "./mkPackageOption.nix"),
	out(`^"hello"$`, "config.namedPackage.pname", "./mkPackageOption.nix"),
	out(`^"The Hello package to use."$`, "options.namedPackage.description", "./mkPackageOption.nix"),
	out(`^"requests"$`, "config.nestedPackage.pname", "./mkPackageOption.nix"),
	out(`^"pkgs.python3Packages.requests"$`, "options.nestedPackage.defaultText.text", "./mkPackageOption.nix"),
	out(`^null$`, "config.nullablePackage", "./mkPackageOption.nix"),
	out(`^"null or package"$`, "options.nullablePackage.type.description", "./mkPackageOption.nix"),
	fail(`The option .undefinedPackage. is used but not defined`, "config.undefinedPackage", "./mkPackageOption.nix"),
	out(`^"pkgs.hello.override \{ \}"$`, "options.withExample.example.text", "./mkPackageOption.nix"),
	out(`^"The hello package to use. Extra words."$`, "options.withExample.description", "./mkPackageOption.nix"),
	out(`^"pkgs.hello"$`, "options.package.defaultText.text", "./mkPackageOption.nix"),
	out(`^"pkgs.other.hello"$`, "options.otherSet.defaultText.text", "./mkPackageOption.nix"),
	out(`^"hello-other"$`, "config.otherSet.pname", "./mkPackageOption.nix"),
}

func allModuleCases() []moduleCase {
	var cs []moduleCase
	for _, group := range [][]moduleCase{
		basicCases, priorityCases, orderCases, typeCases(), typeMiscCases, submoduleCases,
		freeformCases, importCases, argCases, assertionCases, renameCases, errorCases, recordCases,
	} {
		cs = append(cs, group...)
	}
	return cs
}

// TestModules runs the module-system cases against the evaluator. Cases
// that only check output are evaluated together in one process (one
// evaluator start instead of hundreds); if that fails, each runs on its own.
func TestModules(t *testing.T) {
	dir := testDir(t, "modules")
	cases := allModuleCases()
	batched := evalBatch(t, dir, cases)
	for i, c := range cases {
		c := c
		t.Run(fmt.Sprintf("%03d_%s", i, c.name()), func(t *testing.T) {
			if out, ok := batched[i]; ok {
				if !regexp.MustCompile(c.want).MatchString(out) {
					t.Fatalf("%s\noutput %s, want a match for %q", c.command(), out, c.want)
				}
				return
			}
			t.Parallel()
			runModuleCase(t, dir, c)
		})
	}
}

// batchable reports whether a case only checks the JSON output.
func (c moduleCase) batchable() bool { return c.want != "" && c.stderr == "" && !c.trace }

// expr is the Nix expression of a case's evaluation.
func (c moduleCase) expr() string {
	return fmt.Sprintf("import ./default.nix { modules = [ %s ]; }", strings.Join(parenthesize(c.modules), " "))
}

// command is the command line that reproduces a case with nix-instantiate.
func (c moduleCase) command() string {
	return fmt.Sprintf("nix-instantiate --eval --strict --json -E '%s' -A '%s'", c.expr(), c.attr)
}

// evalBatch evaluates every batchable case in one evaluator process and
// returns their JSON outputs by case index, or nil when the batch fails.
func evalBatch(t *testing.T, dir string, cases []moduleCase) map[int]string {
	t.Helper()
	var idx []int
	var b strings.Builder
	// get follows an -A style attribute path (numbers index lists).
	b.WriteString("let get = path: v: builtins.foldl' (v: c: if builtins.isList v then builtins.elemAt v (builtins.fromJSON c) else v.${c}) v path; in map builtins.toJSON [\n")
	for i, c := range cases {
		if !c.batchable() {
			continue
		}
		idx = append(idx, i)
		path, _ := json.Marshal(strings.Split(c.attr, "."))
		fmt.Fprintf(&b, "(get (builtins.fromJSON %s) (%s))\n", strconv.Quote(string(path)), c.expr())
	}
	b.WriteString("]")
	res := evalNix(t, dir, "--eval", "--strict", "--json", "-E", b.String())
	var outs []string
	if res.err == nil {
		if err := json.Unmarshal([]byte(res.stdout), &outs); err != nil {
			res.err = err
		}
	}
	if res.err != nil || len(outs) != len(idx) {
		t.Logf("batched evaluation failed (%v), running the cases one by one:\n%s", res.err, res.stderr)
		return nil
	}
	m := make(map[int]string, len(idx))
	for k, i := range idx {
		m[i] = outs[k]
	}
	return m
}

func runModuleCase(t *testing.T, dir string, c moduleCase) {
	t.Helper()
	args := []string{"--eval", "--strict", "--json", "-E", c.expr(), "-A", c.attr}
	if c.trace {
		args = append(args, "--show-trace")
	}
	res := evalNix(t, dir, args...)
	cmd := c.command()
	if c.wantErr != "" {
		if res.err == nil {
			t.Fatalf("%s\nsucceeded with %s, want an error matching %q", cmd, res.stdout, c.wantErr)
		}
		if !regexp.MustCompile(c.wantErr).MatchString(res.stderr) {
			t.Fatalf("%s\nerror:\n%s\nwant an error matching %q", cmd, res.stderr, c.wantErr)
		}
		if c.notErr != "" && regexp.MustCompile(c.notErr).MatchString(res.stderr) {
			t.Fatalf("%s\nerror:\n%s\nwant an error not matching %q", cmd, res.stderr, c.notErr)
		}
		return
	}
	if res.err != nil {
		t.Fatalf("%s\nfailed: %v\n%s\nwant output matching %q", cmd, res.err, res.stderr, c.want)
	}
	if !regexp.MustCompile(c.want).MatchString(res.stdout) {
		t.Fatalf("%s\noutput %s, want a match for %q", cmd, res.stdout, c.want)
	}
	if c.stderr != "" && !regexp.MustCompile(c.stderr).MatchString(res.stderr) {
		t.Fatalf("%s\nstderr:\n%s\nwant a match for %q", cmd, res.stderr, c.stderr)
	}
}

// parenthesize wraps inline modules so that they are one list element.
func parenthesize(modules []string) []string {
	out := make([]string, len(modules))
	for i, m := range modules {
		if strings.HasPrefix(m, "./") {
			out[i] = m
		} else {
			out[i] = "(" + m + ")"
		}
	}
	return out
}

// TestModuleCasesCompile checks every regexp of the table, without an
// evaluator.
func TestModuleCasesCompile(t *testing.T) {
	for _, c := range allModuleCases() {
		for _, re := range []string{c.want, c.wantErr, c.stderr, c.notErr} {
			if _, err := regexp.Compile(re); err != nil {
				t.Errorf("%s: bad regexp %q: %v", c.name(), re, err)
			}
		}
		if (c.want == "") == (c.wantErr == "") {
			t.Errorf("%s: want exactly one of want and wantErr", c.name())
		}
	}
}
