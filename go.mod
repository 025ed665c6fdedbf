module github.com/frazil/frazil

go 1.26
