package eval

// This file defines environments. An Env holds the values of one static
// scope (a let, a rec set, a lambda's arguments, a with) and a link to
// the enclosing environment. Variables are resolved at compile time to a
// (level, index) pair, so lookup walks `level` links and indexes.
//
// An Env is a header followed directly by its values, in one allocation
// (Nix lays its Env out the same way): an environment of n values is
// allocated as an envArr of a [m]Value array type with m >= n, and used
// through *Env, whose v field is the first value. Indexing past v[0]
// stays inside that allocation; the compiler guarantees indices are in
// range.

import "unsafe"

// Env is a runtime environment.
type Env struct {
	up *Env
	v  [1]Value // the first of the values; see newEnv
}

type envArr[A any] struct {
	up *Env
	v  A
}

const valueSize = unsafe.Sizeof(Value(nil))

// slot returns the address of value i.
func (e *Env) slot(i int) *Value {
	return (*Value)(unsafe.Add(unsafe.Pointer(&e.v[0]), uintptr(i)*valueSize))
}

func (e *Env) get(i int) Value    { return *e.slot(i) }
func (e *Env) set(i int, v Value) { *e.slot(i) = v }

func allocEnv[A any](up *Env) *Env {
	e := &envArr[A]{up: up}
	return (*Env)(unsafe.Pointer(e))
}

// newEnv allocates an environment of n values below up.
func newEnv(up *Env, n int) *Env {
	switch {
	case n <= 1:
		return allocEnv[[1]Value](up)
	case n == 2:
		return allocEnv[[2]Value](up)
	case n == 3:
		return allocEnv[[3]Value](up)
	case n == 4:
		return allocEnv[[4]Value](up)
	case n <= 6:
		return allocEnv[[6]Value](up)
	case n <= 8:
		return allocEnv[[8]Value](up)
	case n <= 12:
		return allocEnv[[12]Value](up)
	case n <= 16:
		return allocEnv[[16]Value](up)
	case n <= 24:
		return allocEnv[[24]Value](up)
	case n <= 32:
		return allocEnv[[32]Value](up)
	case n <= 64:
		return allocEnv[[64]Value](up)
	case n <= 128:
		return allocEnv[[128]Value](up)
	case n <= 256:
		return allocEnv[[256]Value](up)
	case n <= 512:
		return allocEnv[[512]Value](up)
	case n <= 1024:
		return allocEnv[[1024]Value](up)
	case n <= 2048:
		return allocEnv[[2048]Value](up)
	case n <= 4096:
		return allocEnv[[4096]Value](up)
	case n <= 8192:
		return allocEnv[[8192]Value](up)
	case n <= 16384:
		return allocEnv[[16384]Value](up)
	case n <= 32768:
		return allocEnv[[32768]Value](up)
	case n <= 65536:
		return allocEnv[[65536]Value](up)
	case n <= 131072:
		return allocEnv[[131072]Value](up)
	}
	panic(sprintf("eval: environment of %d values is too large", n))
}

// maxEnvSize is the most bindings one scope may have.
const maxEnvSize = 131072
