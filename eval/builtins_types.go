package eval

// This file defines the builtins for types and arithmetic.

import (
	"math"

	"github.com/frazil/frazil/eval/syntax"
)

func primTypeOf(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return NewString(ev.force(args[0]).TypeName())
}

func primIsNull(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	_, ok := ev.force(args[0]).(Null)
	return boolValue(ok)
}

func primIsFunction(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return boolValue(isFunction(ev.force(args[0])))
}

func primIsString(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	_, ok := ev.force(args[0]).(*String)
	return boolValue(ok)
}

func primIsInt(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	_, ok := ev.force(args[0]).(Int)
	return boolValue(ok)
}

func primIsFloat(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	_, ok := ev.force(args[0]).(Float)
	return boolValue(ok)
}

func primIsBool(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	_, ok := ev.force(args[0]).(Bool)
	return boolValue(ok)
}

func primIsAttrs(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	_, ok := ev.force(args[0]).(*Attrs)
	return boolValue(ok)
}

func primIsList(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	_, ok := ev.force(args[0]).(*List)
	return boolValue(ok)
}

func primIsPath(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	_, ok := ev.force(args[0]).(Path)
	return boolValue(ok)
}

// numArgs forces two numeric arguments.
func (ev *Evaluator) numArgs(pos syntax.Pos, args []Value) (Value, Value) {
	a, b := ev.force(args[0]), ev.force(args[1])
	if !isNumber(a) {
		ev.typeError(pos, a, "an integer")
	}
	if !isNumber(b) {
		ev.typeError(pos, b, "an integer")
	}
	return a, b
}

func primAdd(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a, b := ev.numArgs(pos, args)
	return ev.arith(syntax.PLUS, a, b, pos)
}

func primSub(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a, b := ev.numArgs(pos, args)
	return ev.arith(syntax.MINUS, a, b, pos)
}

func primMul(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a, b := ev.numArgs(pos, args)
	return ev.arith(syntax.STAR, a, b, pos)
}

func primDiv(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	if d := ev.force(args[1]); d == Value(Int(0)) || d == Value(Float(0)) {
		ev.errorf(ErrEval, pos, "division by zero")
	}
	a, b := ev.numArgs(pos, args)
	return ev.arith(syntax.SLASH, a, b, pos)
}

func primLessThan(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return boolValue(ev.lessThan(args[0], args[1], pos))
}

func primBitAnd(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return Int(ev.forceInt(args[0], pos) & ev.forceInt(args[1], pos))
}

func primBitOr(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return Int(ev.forceInt(args[0], pos) | ev.forceInt(args[1], pos))
}

func primBitXor(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return Int(ev.forceInt(args[0], pos) ^ ev.forceInt(args[1], pos))
}

func primFloor(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return ev.roundToInt(pos, args[0], math.Floor)
}

func primCeil(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return ev.roundToInt(pos, args[0], math.Ceil)
}

func (ev *Evaluator) roundToInt(pos syntax.Pos, v Value, round func(float64) float64) Value {
	switch x := ev.force(v).(type) {
	case Int:
		return x
	case Float:
		f := round(float64(x))
		if f >= 0x1p63 || f < -0x1p63 || math.IsNaN(f) {
			ev.errorf(ErrEval, pos, "float %s does not fit in an integer", syntax.FormatFloat(float64(x)))
		}
		return Int(int64(f))
	default:
		ev.typeError(pos, x, "a float")
	}
	return nil
}
