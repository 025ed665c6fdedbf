package eval

// Env is a runtime environment: the values of one static scope (a let,
// a rec set, a lambda's arguments, a with) and a link to the enclosing
// environment. Variables are resolved at compile time to a (level,
// index) pair, so lookup is a walk of `level` links and an index.
type Env struct {
	up   *Env
	vals []Value
}

// Small environments are allocated together with their values.
type (
	env1 struct {
		Env
		a [1]Value
	}
	env2 struct {
		Env
		a [2]Value
	}
	env3 struct {
		Env
		a [3]Value
	}
	env4 struct {
		Env
		a [4]Value
	}
)

func newEnv(up *Env, n int) *Env {
	switch n {
	case 0:
		return &Env{up: up}
	case 1:
		e := &env1{}
		e.up, e.vals = up, e.a[:]
		return &e.Env
	case 2:
		e := &env2{}
		e.up, e.vals = up, e.a[:]
		return &e.Env
	case 3:
		e := &env3{}
		e.up, e.vals = up, e.a[:]
		return &e.Env
	case 4:
		e := &env4{}
		e.up, e.vals = up, e.a[:]
		return &e.Env
	}
	return &Env{up: up, vals: make([]Value, n)}
}
