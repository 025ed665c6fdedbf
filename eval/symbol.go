package eval

// This file defines symbols: interned attribute and variable names.

import (
	"sync"
	"sync/atomic"
)

// Symbol is an interned name. Symbols compare equal exactly when their
// names are equal; String returns the name.
type Symbol uint32

const (
	symPageBits = 12
	symPageSize = 1 << symPageBits
	symMaxPages = 1 << 14 // 64M symbols
)

// The table is append-only and paged so that readers need no lock: a
// page, once published, never moves.
var (
	symPages [symMaxPages]atomic.Pointer[[symPageSize]string]
	strPages [symMaxPages]atomic.Pointer[[symPageSize]atomic.Pointer[String]]
	symMu    sync.RWMutex
	symIndex = map[string]Symbol{}
	symNext  uint32
)

// Intern returns the symbol for name.
func Intern(name string) Symbol {
	symMu.RLock()
	s, ok := symIndex[name]
	symMu.RUnlock()
	if ok {
		return s
	}
	symMu.Lock()
	defer symMu.Unlock()
	if s, ok := symIndex[name]; ok {
		return s
	}
	n := symNext
	if n>>symPageBits >= symMaxPages {
		panic("eval: symbol table full")
	}
	page := symPages[n>>symPageBits].Load()
	if page == nil {
		page = new([symPageSize]string)
		symPages[n>>symPageBits].Store(page)
	}
	page[n&(symPageSize-1)] = name
	symNext++
	s = Symbol(n)
	symIndex[name] = s
	return s
}

// String returns the symbol's name.
func (s Symbol) String() string {
	return symPages[s>>symPageBits].Load()[s&(symPageSize-1)]
}

// Value returns the symbol's name as a Nix string, made once per symbol
// (attrNames and mapAttrs produce the same names again and again).
func (s Symbol) Value() *String {
	page := strPages[s>>symPageBits].Load()
	if page == nil {
		page = new([symPageSize]atomic.Pointer[String])
		if !strPages[s>>symPageBits].CompareAndSwap(nil, page) {
			page = strPages[s>>symPageBits].Load()
		}
	}
	slot := &page[s&(symPageSize-1)]
	if v := slot.Load(); v != nil {
		return v
	}
	v := NewString(s.String())
	slot.Store(v)
	return v
}

// Frequently used symbols.
var (
	symOutPath     = Intern("outPath")
	symType        = Intern("type")
	symDrvPath     = Intern("drvPath")
	symName        = Intern("name")
	symValue       = Intern("value")
	symFunctor     = Intern("__functor")
	symToString    = Intern("__toString")
	symOverrides   = Intern("__overrides")
	symOutputs     = Intern("outputs")
	symOutputName  = Intern("outputName")
	symSuccess     = Intern("success")
	symLine        = Intern("line")
	symColumn      = Intern("column")
	symFile        = Intern("file")
	symIgnoreNulls = Intern("__ignoreNulls")
	symStructured  = Intern("__structuredAttrs")
	symStartSet    = Intern("startSet")
	symOperator    = Intern("operator")
	symKey         = Intern("key")
	symRight       = Intern("right")
	symWrong       = Intern("wrong")
	symPath        = Intern("path")
	symPrefix      = Intern("prefix")
)
