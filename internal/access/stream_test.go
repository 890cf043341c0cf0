package access

import (
	"archive/zip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// bigInput returns an Input of n findings over two instances and four
// models, every one disclosed: a partner per instance matched by email,
// and records hanging on it. Their fields come from 1,024 maps of random
// sentences shared between findings, so that the input stays small in
// memory while the output compresses about as well as real text (a map
// comes back every 1,024 records, far beyond deflate's 32 KB window).
func bigInput(n int) Input {
	rng := rand.New(rand.NewPCG(1, 2))
	vocabulary := strings.Fields("bonjour commande livraison balance caisse bocaux vrac épicerie facture devis " +
		"rappeler matin semaine prochaine merci cordialement étiquettes logiciel formation installation " +
		"contrat abonnement fidélité client fournisseur produit stock inventaire remise tarif paiement " +
		"virement échéance relance question réponse demande problème écran imprimante ticket mise à jour")
	word := func() string { return vocabulary[rng.IntN(len(vocabulary))] }
	text := func(words int) string {
		parts := make([]string, words)
		for i := range parts {
			parts[i] = word()
		}
		return strings.Join(parts, " ")
	}
	shared := make([]map[string]string, 1024)
	for i := range shared {
		shared[i] = map[string]string{
			"name": text(3), "partner_id": "Épicerie " + word(), "partner_id.id": "1",
			"date":         fmt.Sprintf("2026-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28)),
			"amount_total": fmt.Sprintf("%d.%02d", rng.IntN(5000), rng.IntN(100)),
			"description":  "=" + text(6),
		}
	}
	models := []string{"account.move", "crm.lead", "mail.message", "sale.order"}
	instances := []string{"VRACOOP", "Épicerie du Port"}
	fs := make([]dsar.Finding, 0, n)
	for _, inst := range instances {
		fs = append(fs, dsar.Finding{Instance: inst, Model: "res.partner", RecordID: 1, DisplayName: "Camille Durand",
			Match: dsar.MatchEmail, Fields: map[string]string{"email": "camille.durand@example.fr"}})
	}
	for i := len(fs); i < n; i++ {
		fs = append(fs, dsar.Finding{Instance: instances[i%2], Model: models[(i/2)%4], RecordID: i,
			DisplayName: fmt.Sprintf("DOC/%07d", i), Match: dsar.MatchPartner, Via: "res.partner/1",
			Fields: shared[i%len(shared)], ReadAt: fixtureReadAt})
	}
	in := camilleInput("fr")
	in.Lookup = dsar.Lookup{Findings: fs, Emails: []string{"camille.durand@example.fr"}}
	return in
}

// heapWatch samples HeapInuse every interval while a package is written,
// garbage included: what an operator sees with the collector left alone.
type heapWatch struct {
	base, peak     uint64
	stop, finished chan struct{}
}

func watchHeap(interval time.Duration) *heapWatch {
	w := &heapWatch{stop: make(chan struct{}), finished: make(chan struct{})}
	runtime.GC()
	w.base = heapInuse()
	w.peak = w.base
	go func() {
		defer close(w.finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				w.peak = max(w.peak, heapInuse())
			}
		}
	}()
	return w
}

// done stops sampling and returns the peak growth over the baseline.
func (w *heapWatch) done() uint64 {
	close(w.stop)
	<-w.finished
	return max(w.peak, heapInuse()) - w.base
}

func heapInuse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// liveHeapWriter measures what Write holds: every `every` bytes of output,
// while Write waits for its bytes to be taken, it collects the garbage
// and reads the heap. Nothing else allocates meanwhile, so the figure is
// the memory Write keeps alive, not what the collector has yet to reclaim.
type liveHeapWriter struct {
	w                  io.Writer
	every, next, total int64
	base, peak         uint64
}

func newLiveHeapWriter(w io.Writer, every int64) *liveHeapWriter {
	lw := &liveHeapWriter{w: w, every: every, next: every}
	lw.base = liveHeap()
	lw.peak = lw.base
	return lw
}

func (lw *liveHeapWriter) Write(p []byte) (int, error) {
	n, err := lw.w.Write(p)
	lw.total += int64(n)
	if lw.total >= lw.next {
		lw.next += lw.every
		lw.peak = max(lw.peak, liveHeap())
	}
	return n, err
}

// growth returns the largest live heap seen over the baseline.
func (lw *liveHeapWriter) growth() uint64 { return lw.peak - lw.base }

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// packageSizes returns the size of a ZIP file and the total size of its
// entries once uncompressed.
func packageSizes(tb testing.TB, path string) (compressed, uncompressed int64) {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		uncompressed += int64(f.UncompressedSize64)
	}
	st, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return st.Size(), uncompressed
}

const mb = 1 << 20

// TestWriteStreams writes the package of a 200,000-record lookup and
// checks that the memory Write holds stays far below the size of the
// package: it is written record by record, never built whole.
func TestWriteStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a package of 260 MB (about 10 s)")
	}
	if raceEnabled {
		// Write runs on one goroutine: the race detector has nothing to
		// check here, and makes the test ten times slower.
		t.Skip("slow under the race detector")
	}
	in := bigInput(200_000)
	path := filepath.Join(t.TempDir(), "package.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	lw := newLiveHeapWriter(f, 512<<10)
	start := time.Now()
	sum, err := Write(lw, in)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	live := lw.growth()
	compressed, uncompressed := packageSizes(t, path)
	t.Logf("%d records in %v: zip %.1f MB, %.1f MB uncompressed; live heap grew by at most %.1f MB",
		sum.Records, elapsed.Round(time.Millisecond), float64(compressed)/mb, float64(uncompressed)/mb, float64(live)/mb)
	if sum.Records != 200_000 {
		t.Errorf("%d records, want 200,000", sum.Records)
	}
	if uncompressed < 50*mb {
		t.Fatalf("the package is only %.1f MB: the test proves nothing", float64(uncompressed)/mb)
	}
	if live > 20*mb {
		t.Errorf("the live heap grew by %.1f MB while writing %.1f MB: the package is held in memory",
			float64(live)/mb, float64(uncompressed)/mb)
	}
}

// BenchmarkWrite measures the time of a package and the memory it takes
// with the collector left alone (GOGC as set, default 100): the peak of
// HeapInuse over the baseline, sampled every 5 ms, garbage included. Run:
//
//	go test ./internal/access -run='^$' -bench=Write -benchtime=3x
func BenchmarkWrite(b *testing.B) {
	for _, n := range []int{2_000, 20_000, 200_000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			in := bigInput(n)
			path := filepath.Join(b.TempDir(), "package.zip")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Write(f, in); err != nil {
				b.Fatal(err)
			}
			f.Close()
			compressed, uncompressed := packageSizes(b, path)
			b.SetBytes(uncompressed)
			w := watchHeap(5 * time.Millisecond)
			for b.Loop() {
				if _, err := Write(io.Discard, in); err != nil {
					b.Fatal(err)
				}
			}
			inuse := w.done()
			b.ReportMetric(float64(compressed)/mb, "MB-zip")
			b.ReportMetric(float64(uncompressed)/mb, "MB-unzipped")
			b.ReportMetric(float64(inuse)/mb, "MB-heap-peak")
		})
	}
}
