package syntax

// This file defines the scanner. Nix's lexer is a flex state machine whose
// rules are chosen by longest match; the scanner reproduces that with a
// stack of states (default, string, indented string, inside a path) and,
// in the default state, by measuring every candidate rule at the current
// offset and taking the longest (earliest rule on a tie).

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

type scanState uint8

const (
	stDefault     scanState = iota // expressions (also inside ${ } and { })
	stString                       // inside "…"
	stIndString                    // inside ''…''
	stInPath                       // after a path part; more parts may follow
	stInPathSlash                  // after a path part ending in '/'
)

// A token is one lexical token with its text and offsets.
type token struct {
	tok    Token
	off    int    // byte offset of the first byte
	end    int    // byte offset after the last byte
	text   string // identifier, literal text (unescaped), path or URI
	indent bool   // IND_STR: raw text subject to indentation stripping
	ival   int64
	fval   float64
}

// A scanner turns source bytes into tokens. It panics with an *Error on a
// lexical error; the parser recovers it.
type scanner struct {
	file  *File
	src   []byte
	off   int
	stack []scanState
}

func newScanner(f *File) *scanner {
	return &scanner{file: f, src: f.src, stack: []scanState{stDefault}}
}

func (s *scanner) state() scanState  { return s.stack[len(s.stack)-1] }
func (s *scanner) push(st scanState) { s.stack = append(s.stack, st) }
func (s *scanner) pop() {
	if len(s.stack) > 1 {
		s.stack = s.stack[:len(s.stack)-1]
	}
}

func (s *scanner) errorf(off int, format string, args ...any) {
	panic(&Error{Pos: s.file.position(off), Msg: fmt.Sprintf(format, args...), At: s.file.Pos(off)})
}

// next returns the next token.
func (s *scanner) next() token {
	switch s.state() {
	case stString:
		return s.scanString()
	case stIndString:
		return s.scanIndString()
	case stInPath, stInPathSlash:
		return s.scanInPath()
	}
	s.skipSpace()
	return s.scanDefault()
}

func isPathChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '_' || c == '-' || c == '+'
}
func isIDStart(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }
func isIDChar(c byte) bool  { return isIDStart(c) || '0' <= c && c <= '9' || c == '\'' || c == '-' }
func isDigit(c byte) bool   { return '0' <= c && c <= '9' }
func isURIChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '%' || c == '/' || c == '?' || c == ':' || c == '@' || c == '&' || c == '=' ||
		c == '+' || c == '$' || c == ',' || c == '-' || c == '_' || c == '.' || c == '!' ||
		c == '~' || c == '*' || c == '\''
}

func (s *scanner) at(i int) byte {
	if i < len(s.src) {
		return s.src[i]
	}
	return 0
}

// skipSpace skips whitespace and comments.
func (s *scanner) skipSpace() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			s.off++
		case c == '#':
			for s.off < len(s.src) && s.src[s.off] != '\n' && s.src[s.off] != '\r' {
				s.off++
			}
		case c == '/' && s.at(s.off+1) == '*':
			n := s.matchBlockComment(s.off)
			if n == 0 {
				return
			}
			s.off += n
		default:
			return
		}
	}
}

// matchBlockComment measures /\*([^*]|\*+[^*\/])*\*+\/ at i.
func (s *scanner) matchBlockComment(i int) int {
	j := i + 2
	for j < len(s.src) {
		if s.src[j] == '*' {
			for j < len(s.src) && s.src[j] == '*' {
				j++
			}
			if j < len(s.src) && s.src[j] == '/' {
				return j + 1 - i
			}
			continue
		}
		j++
	}
	return 0
}

// Rule measures for the default state; each returns the match length at i
// or 0.

func (s *scanner) matchID(i int) int {
	if !isIDStart(s.at(i)) {
		return 0
	}
	j := i + 1
	for j < len(s.src) && isIDChar(s.src[j]) {
		j++
	}
	return j - i
}

func (s *scanner) matchInt(i int) int {
	j := i
	for j < len(s.src) && isDigit(s.src[j]) {
		j++
	}
	return j - i
}

// matchFloat measures (([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?.
func (s *scanner) matchFloat(i int) int {
	j := i
	switch c := s.at(j); {
	case c >= '1' && c <= '9':
		for isDigit(s.at(j)) {
			j++
		}
		if s.at(j) != '.' {
			return 0
		}
		j++
		for isDigit(s.at(j)) {
			j++
		}
	default:
		if c == '0' {
			j++
		}
		if s.at(j) != '.' || !isDigit(s.at(j+1)) {
			return 0
		}
		j++
		for isDigit(s.at(j)) {
			j++
		}
	}
	if e := s.at(j); e == 'e' || e == 'E' {
		k := j + 1
		if c := s.at(k); c == '+' || c == '-' {
			k++
		}
		if isDigit(s.at(k)) {
			for isDigit(s.at(k)) {
				k++
			}
			j = k
		}
	}
	return j - i
}

// matchPath measures {PATH_CHAR}*(\/{PATH_CHAR}+)+\/? at i.
func (s *scanner) matchPath(i int) int {
	j := i
	for isPathChar(s.at(j)) {
		j++
	}
	segs := 0
	for s.at(j) == '/' && isPathChar(s.at(j+1)) {
		j++
		for isPathChar(s.at(j)) {
			j++
		}
		segs++
	}
	if segs == 0 {
		return 0
	}
	if s.at(j) == '/' {
		j++
	}
	return j - i
}

// matchPathSegDollar measures {PATH_CHAR}*\/\$\{ at i; the returned length
// excludes the "${".
func (s *scanner) matchPathSegDollar(i int) int {
	j := i
	for isPathChar(s.at(j)) {
		j++
	}
	if s.at(j) == '/' && s.at(j+1) == '$' && s.at(j+2) == '{' {
		return j + 1 - i
	}
	return 0
}

// matchHPath measures \~(\/{PATH_CHAR}+)+\/? at i.
func (s *scanner) matchHPath(i int) int {
	if s.at(i) != '~' {
		return 0
	}
	n := s.matchPath(i + 1)
	if n == 0 || s.at(i+1) != '/' {
		return 0
	}
	return n + 1
}

// matchSPath measures \<{PATH_CHAR}+(\/{PATH_CHAR}+)*\> at i.
func (s *scanner) matchSPath(i int) int {
	if s.at(i) != '<' || !isPathChar(s.at(i+1)) {
		return 0
	}
	j := i + 1
	for isPathChar(s.at(j)) {
		j++
	}
	for s.at(j) == '/' && isPathChar(s.at(j+1)) {
		j++
		for isPathChar(s.at(j)) {
			j++
		}
	}
	if s.at(j) != '>' {
		return 0
	}
	return j + 1 - i
}

// matchURI measures [a-zA-Z][a-zA-Z0-9\+\-\.]*\:[URI chars]+ at i.
func (s *scanner) matchURI(i int) int {
	c := s.at(i)
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return 0
	}
	j := i + 1
	for {
		c := s.at(j)
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.' {
			j++
			continue
		}
		break
	}
	if s.at(j) != ':' || !isURIChar(s.at(j+1)) {
		return 0
	}
	j++
	for j < len(s.src) && isURIChar(s.src[j]) {
		j++
	}
	return j - i
}

var twoCharOps = map[[2]byte]Token{
	{'=', '='}: EQ, {'!', '='}: NEQ, {'<', '='}: LEQ, {'>', '='}: GEQ, {'&', '&'}: AND,
	{'|', '|'}: OR, {'-', '>'}: IMPL, {'/', '/'}: UPDATE, {'+', '+'}: CONCAT,
}

var oneCharOps = [256]Token{
	'{': LBRACE, '}': RBRACE, '[': LBRACK, ']': RBRACK, '(': LPAREN, ')': RPAREN,
	';': SEMI, ':': COLON, ',': COMMA, '@': AT, '?': QUESTION, '.': DOT, '=': ASSIGN,
	'<': LT, '>': GT, '+': PLUS, '-': MINUS, '*': STAR, '/': SLASH, '!': NOT, '"': DQUOTE,
}

// Candidate rules of the default state, in the lexer's rule order.
const (
	ruleKeyword = iota
	ruleOp
	ruleID
	ruleInt
	ruleFloat
	ruleSpecial // ${ } { " ''
	rulePathSegDollar
	ruleHPathStartDollar
	rulePath
	ruleHPath
	ruleSPath
	ruleURI
)

func (s *scanner) scanDefault() token {
	i := s.off
	if i >= len(s.src) {
		return token{tok: EOF, off: i, end: i}
	}
	best, bestLen := -1, 0
	try := func(rule, n int) {
		if n > bestLen {
			best, bestLen = rule, n
		}
	}
	c := s.src[i]
	if c == '.' && s.at(i+1) == '.' && s.at(i+2) == '.' {
		try(ruleOp, 3)
	} else if _, ok := twoCharOps[[2]byte{c, s.at(i + 1)}]; ok {
		try(ruleOp, 2)
	}
	idLen := s.matchID(i)
	if idLen > 0 {
		if _, ok := keywords[string(s.src[i:i+idLen])]; ok {
			try(ruleKeyword, idLen)
		}
	}
	try(ruleID, idLen)
	try(ruleInt, s.matchInt(i))
	try(ruleFloat, s.matchFloat(i))
	switch {
	case c == '$' && s.at(i+1) == '{':
		try(ruleSpecial, 2)
	case c == '\'' && s.at(i+1) == '\'':
		try(ruleSpecial, 2)
	case c == '{' || c == '}' || c == '"':
		try(ruleSpecial, 1)
	}
	if n := s.matchPathSegDollar(i); n > 0 {
		try(rulePathSegDollar, n+2)
	}
	if c == '~' && s.at(i+1) == '/' && s.at(i+2) == '$' && s.at(i+3) == '{' {
		try(ruleHPathStartDollar, 4)
	}
	try(rulePath, s.matchPath(i))
	try(ruleHPath, s.matchHPath(i))
	try(ruleSPath, s.matchSPath(i))
	try(ruleURI, s.matchURI(i))
	if best < 0 {
		s.off++
		if t := oneCharOps[c]; t != ILLEGAL {
			return token{tok: t, off: i, end: i + 1}
		}
		return token{tok: ILLEGAL, off: i, end: i + 1, text: string(c)}
	}
	return s.emitDefault(best, i, bestLen)
}

func (s *scanner) emitDefault(rule, i, n int) token {
	text := string(s.src[i : i+n])
	t := token{off: i, end: i + n, text: text}
	s.off = i + n
	switch rule {
	case ruleKeyword:
		t.tok = keywords[text]
	case ruleOp:
		if text == "..." {
			t.tok = ELLIPSIS
		} else {
			t.tok = twoCharOps[[2]byte{text[0], text[1]}]
		}
	case ruleID:
		t.tok = ID
	case ruleInt:
		v, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			s.errorf(i, "invalid integer '%s'", text)
		}
		t.tok, t.ival = INT, v
	case ruleFloat:
		// Like C's strtod, out of range (overflow, or underflow to a
		// subnormal or zero) is an error.
		v, err := strconv.ParseFloat(text, 64)
		if err != nil || (v != 0 && math.Abs(v) < 0x1p-1022) || (v == 0 && strings.ContainsAny(strings.SplitN(strings.ToLower(text), "e", 2)[0], "123456789")) {
			s.errorf(i, "invalid float '%s'", text)
		}
		t.tok, t.fval = FLOAT, v
	case ruleSpecial:
		return s.emitSpecial(t)
	case rulePathSegDollar, ruleHPathStartDollar:
		// Only the segment up to and including the slash is the token;
		// the "${" follows in the in-path state.
		t.end = i + n - 2
		t.text = text[:n-2]
		s.off = t.end
		t.tok = PATH
		if rule == ruleHPathStartDollar {
			t.tok = HPATH
		}
		s.push(stInPathSlash)
	case rulePath, ruleHPath:
		t.tok = PATH
		if rule == ruleHPath {
			t.tok = HPATH
		}
		s.pushAfterPath(text)
	case ruleSPath:
		t.tok = SPATH
		t.text = text[1 : len(text)-1]
	case ruleURI:
		t.tok = URI
	}
	return t
}

func (s *scanner) pushAfterPath(text string) {
	if text[len(text)-1] == '/' {
		s.push(stInPathSlash)
	} else {
		s.push(stInPath)
	}
}

func (s *scanner) emitSpecial(t token) token {
	switch t.text {
	case "${":
		s.push(stDefault)
		t.tok = DOLLAR_CURLY
	case "{":
		s.push(stDefault)
		t.tok = LBRACE
	case "}":
		s.pop()
		t.tok = RBRACE
	case "\"":
		s.push(stString)
		t.tok = DQUOTE
	case "''":
		// ''(\ *\n)? : the rest of the opening line is dropped when blank.
		j := s.off
		for s.at(j) == ' ' {
			j++
		}
		if s.at(j) == '\n' {
			s.off = j + 1
			t.end = s.off
		}
		s.push(stIndString)
		t.tok = IND_OPEN
	}
	return t
}

// scanString scans inside a double-quoted string.
func (s *scanner) scanString() token {
	i := s.off
	if i >= len(s.src) {
		return token{tok: EOF, off: i, end: i}
	}
	switch {
	case s.src[i] == '"':
		s.off++
		s.pop()
		return token{tok: DQUOTE, off: i, end: i + 1}
	case s.src[i] == '$' && s.at(i+1) == '{':
		s.off += 2
		s.push(stDefault)
		return token{tok: DOLLAR_CURLY, off: i, end: i + 2}
	}
	j := i
loop:
	for j < len(s.src) {
		switch s.src[j] {
		case '"':
			break loop
		case '\\':
			if j+1 >= len(s.src) {
				break loop
			}
			j += 2
		case '$':
			switch c := s.at(j + 1); {
			case j+1 >= len(s.src):
				break loop
			case c == '{':
				break loop
			case c == '"':
				j++
				break loop
			case c == '\\':
				if j+2 >= len(s.src) {
					break loop
				}
				j += 3
			default:
				j += 2
			}
		default:
			j++
		}
	}
	if j == i {
		// A lone '$' or '\' at the end of the input.
		s.off = len(s.src)
		return token{tok: EOF, off: len(s.src), end: len(s.src)}
	}
	s.off = j
	return token{tok: STR, off: i, end: j, text: unescapeStr(s.src[i:j])}
}

// unescapeStr interprets backslash escapes and turns CR and CR LF into LF.
func unescapeStr(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b):
			i++
			switch b[i] {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			default:
				out = append(out, b[i])
			}
		case c == '\r':
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// scanIndString scans inside an indented string.
func (s *scanner) scanIndString() token {
	i := s.off
	if i >= len(s.src) {
		return token{tok: EOF, off: i, end: i}
	}
	c, c1, c2 := s.src[i], s.at(i+1), s.at(i+2)
	lit := func(n int, text string) token {
		s.off = i + n
		return token{tok: IND_STR, off: i, end: i + n, text: text}
	}
	switch {
	case c == '\'' && c1 == '\'' && c2 == '$':
		return lit(3, "$")
	case c == '\'' && c1 == '\'' && c2 == '\'':
		return lit(3, "''")
	case c == '\'' && c1 == '\'' && c2 == '\\' && i+3 < len(s.src):
		return lit(4, unescapeStr(s.src[i+2:i+4]))
	case c == '\'' && c1 == '\'':
		s.off = i + 2
		s.pop()
		return token{tok: IND_CLOSE, off: i, end: i + 2}
	case c == '$' && c1 == '{':
		s.off = i + 2
		s.push(stDefault)
		return token{tok: DOLLAR_CURLY, off: i, end: i + 2}
	}
	// ([^\$\']|\$[^\{\']|\'[^\'\$])+
	j := i
	for j < len(s.src) {
		d := s.src[j]
		if d == '$' {
			if e := s.at(j + 1); j+1 < len(s.src) && e != '{' && e != '\'' {
				j += 2
				continue
			}
			break
		}
		if d == '\'' {
			if e := s.at(j + 1); j+1 < len(s.src) && e != '\'' && e != '$' {
				j += 2
				continue
			}
			break
		}
		j++
	}
	if j > i {
		s.off = j
		return token{tok: IND_STR, off: i, end: j, text: string(s.src[i:j]), indent: true}
	}
	if c == '$' {
		return lit(1, "$")
	}
	return lit(1, "'")
}

// scanInPath scans after a path part: more parts, an interpolation, or
// the end of the path.
func (s *scanner) scanInPath() token {
	i := s.off
	st := s.state()
	if s.at(i) == '$' && s.at(i+1) == '{' {
		s.pop()
		s.push(stInPath)
		s.push(stDefault)
		s.off += 2
		return token{tok: DOLLAR_CURLY, off: i, end: i + 2}
	}
	// {PATH}|{PATH_SEG}|{PATH_CHAR}+
	n := s.matchPath(i)
	j := i
	for isPathChar(s.at(j)) {
		j++
	}
	if s.at(j) == '/' {
		j++
	}
	if j-i > n {
		n = j - i
	}
	if n > 0 {
		text := string(s.src[i : i+n])
		s.off = i + n
		s.pop()
		s.pushAfterPath(text)
		return token{tok: STR, off: i, end: i + n, text: text}
	}
	if st == stInPathSlash {
		s.errorf(i, "path has a trailing slash")
	}
	s.pop()
	return token{tok: PATH_END, off: i, end: i}
}
