// Command hello-web is the web appliance example's service: it answers
// every request with a greeting and counts the requests it served in a
// file in its state directory.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

func main() {
	listen := flag.String("listen", ":8080", "address to listen on")
	flag.Parse()
	greeting := os.Getenv("HELLO_GREETING")
	if greeting == "" {
		greeting = "Hello"
	}
	state := os.Getenv("HELLO_STATE")
	var mu sync.Mutex
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n := count(state)
		mu.Unlock()
		fmt.Fprintf(w, "%s! (request %d)\n", greeting, n)
	})
	log.Printf("listening on %s", *listen)
	log.Fatal(http.ListenAndServe(*listen, nil))
}

// count increments the request counter kept in dir (if set) and returns it.
func count(dir string) int {
	if dir == "" {
		return 0
	}
	file := filepath.Join(dir, "requests")
	b, _ := os.ReadFile(file)
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	n++
	if err := os.WriteFile(file, []byte(strconv.Itoa(n)+"\n"), 0o644); err != nil {
		log.Printf("count: %v", err)
	}
	return n
}
