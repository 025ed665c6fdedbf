package syntax

// Token is the kind of a lexical token.
type Token uint8

// The tokens of the Nix language, as produced by the Scanner.
const (
	ILLEGAL Token = iota
	EOF

	ID    // identifier
	INT   // 123
	FLOAT // 1.5, .5e3
	PATH  // ./a/b, /a/b, a/b (also the first part of an interpolated path)
	HPATH // ~/a/b
	SPATH // <nixpkgs/lib>
	URI   // http://example.org

	STR       // literal part of a "string" or path
	IND_STR   // literal part of an ''indented string''
	PATH_END  // end of a path literal
	DQUOTE    // "
	IND_OPEN  // ''
	IND_CLOSE // ''

	DOLLAR_CURLY // ${
	LBRACE       // {
	RBRACE       // }
	LBRACK       // [
	RBRACK       // ]
	LPAREN       // (
	RPAREN       // )
	SEMI         // ;
	COLON        // :
	COMMA        // ,
	AT           // @
	QUESTION     // ?
	DOT          // .
	ELLIPSIS     // ...
	ASSIGN       // =

	// Operators.
	EQ     // ==
	NEQ    // !=
	LT     // <
	GT     // >
	LEQ    // <=
	GEQ    // >=
	AND    // &&
	OR     // ||
	IMPL   // ->
	UPDATE // //
	CONCAT // ++
	PLUS   // +
	MINUS  // -
	STAR   // *
	SLASH  // /
	NOT    // !

	// Keywords.
	IF
	THEN
	ELSE
	ASSERT
	WITH
	LET
	IN
	REC
	INHERIT
	OR_KW
)

var tokenNames = [...]string{
	ILLEGAL:      "invalid token",
	EOF:          "end of file",
	ID:           "identifier",
	INT:          "integer",
	FLOAT:        "floating-point literal",
	PATH:         "path",
	HPATH:        "'~/…' path",
	SPATH:        "'<…>' path",
	URI:          "URI",
	STR:          "string",
	IND_STR:      "string",
	PATH_END:     "end of path",
	DQUOTE:       "'\"'",
	IND_OPEN:     "start of an indented string",
	IND_CLOSE:    "end of an indented string",
	DOLLAR_CURLY: "'${'",
	LBRACE:       "'{'",
	RBRACE:       "'}'",
	LBRACK:       "'['",
	RBRACK:       "']'",
	LPAREN:       "'('",
	RPAREN:       "')'",
	SEMI:         "';'",
	COLON:        "':'",
	COMMA:        "','",
	AT:           "'@'",
	QUESTION:     "'?'",
	DOT:          "'.'",
	ELLIPSIS:     "'...'",
	ASSIGN:       "'='",
	EQ:           "'=='",
	NEQ:          "'!='",
	LT:           "'<'",
	GT:           "'>'",
	LEQ:          "'<='",
	GEQ:          "'>='",
	AND:          "'&&'",
	OR:           "'||'",
	IMPL:         "'->'",
	UPDATE:       "'//'",
	CONCAT:       "'++'",
	PLUS:         "'+'",
	MINUS:        "'-'",
	STAR:         "'*'",
	SLASH:        "'/'",
	NOT:          "'!'",
	IF:           "'if'",
	THEN:         "'then'",
	ELSE:         "'else'",
	ASSERT:       "'assert'",
	WITH:         "'with'",
	LET:          "'let'",
	IN:           "'in'",
	REC:          "'rec'",
	INHERIT:      "'inherit'",
	OR_KW:        "'or'",
}

// String returns the token's name as Nix's parser spells it in errors.
func (t Token) String() string {
	if int(t) < len(tokenNames) && tokenNames[t] != "" {
		return tokenNames[t]
	}
	return "token"
}

var keywords = map[string]Token{
	"if": IF, "then": THEN, "else": ELSE, "assert": ASSERT, "with": WITH,
	"let": LET, "in": IN, "rec": REC, "inherit": INHERIT, "or": OR_KW,
}

// Operator spellings, as printed by --parse.
var opText = map[Token]string{
	EQ: "==", NEQ: "!=", LT: "<", GT: ">", LEQ: "<=", GEQ: ">=", AND: "&&", OR: "||",
	IMPL: "->", UPDATE: "//", CONCAT: "++", PLUS: "+", MINUS: "-", STAR: "*", SLASH: "/",
}
