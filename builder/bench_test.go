package builder

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/frazil/frazil/store/storepath"
)

// BenchmarkRealise1000 realises 1,000 trivial independent derivations
// (each creates an empty $out in its own sandbox) with -j2 and reports
// the throughput.
func BenchmarkRealise1000(b *testing.B) {
	benchRealise(b, 1000, 2)
}

func benchRealise(b *testing.B, n, jobs int) {
	e := newTestEnv(b)
	var total time.Duration
	builds := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		drvs := make([]storepath.Path, n)
		for j := range drvs {
			drvs[j] = e.drv(spec{name: fmt.Sprintf("trivial-%d-%d", i, j), args: []string{"mkdir", "$out"}})
		}
		b.StartTimer()
		start := time.Now()
		if _, err := New(e.s, Options{Jobs: jobs}).Realise(context.Background(), drvs); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		builds += n
	}
	b.ReportMetric(float64(builds)/total.Seconds(), "builds/s")
}
