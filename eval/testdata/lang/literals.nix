# Literals: numbers, strings, indented strings, paths, URIs.
[ 1 0 9223372036854775807 1.5 .5 1. 1.5e3 0.1 (0.1 + 0.2) 1.0e20 123456789.0 ]
#=> [ 1 0 9223372036854775807 1.5 0.5 1 1500 0.1 0.3 1e+20 1.23457e+08 ]
---
"a\nb\tc\rd\\e\"f\${g} $h $${i} \x"
#=> "a\nb\tc\rd\\e\"f\${g} $h $\${i} x"
---
let x = "X"; in "a${x}b${"${x}${x}"}c"
#=> "aXbXXc"
---
''
  line one
    indented
  ''\${not} ''$ ''' ''\n''\t
  ''
#=> "line one\n  indented\n\${not} $ '' \n\t\n"
---
''  first ${"x"} last''
#=> "first x last"
---
''
    a
  b
''
#=> "  a\nb\n"
---
[ ''''  ''
  ''  ]
#=> [ "" "" ]
---
http://example.org/a?b=c
#=> "http://example.org/a?b=c"
---
x:x
#=> "x:x"
---
builtins.typeOf ./.
#=> "path"
---
./a/../b/./c == ./b/c
#=> true
---
let d = "sub"; in builtins.typeOf ./${d}/x
#=> "path"
---
"${./chunk-path-interp-does-not-exist}"  ### does not exist
---
99999999999999999999  ### invalid integer
---
"\u0000"
#=> "u0000"
