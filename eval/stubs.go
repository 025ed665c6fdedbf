package eval

import "github.com/frazil/frazil/eval/syntax"

func primFromTOML(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	ev.errorf(ErrEval, pos, "fromTOML: not implemented yet")
	return nil
}
func primParseFlakeRef(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	ev.errorf(ErrEval, pos, "parseFlakeRef: not implemented yet")
	return nil
}
func primFlakeRefToString(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	ev.errorf(ErrEval, pos, "flakeRefToString: not implemented yet")
	return nil
}
func primDerivationStrict(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	ev.errorf(ErrEval, pos, "derivationStrict: not implemented yet")
	return nil
}

type derivationExpr struct{}

func (d *derivationExpr) eval(ev *Evaluator, env *Env) Value {
	ev.errorf(ErrEval, syntax.NoPos, "derivation: not implemented yet")
	return nil
}
func (d *derivationExpr) pos() syntax.Pos { return syntax.NoPos }
