package eval

import "github.com/frazil/frazil/eval/syntax"

func primFromTOML(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	ev.errorf(ErrEval, pos, "fromTOML: not implemented yet")
	return nil
}
