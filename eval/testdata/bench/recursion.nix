# Function calls and integer arithmetic: naive Fibonacci and a deep
# non-tail recursion.
let
  fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2);
  sumTo = n: if n == 0 then 0 else n + sumTo (n - 1);
in
fib 30 + sumTo 20000
