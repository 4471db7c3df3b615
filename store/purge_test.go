package store_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"langelis/queue"
	"langelis/store"
)

// leak counts what of the purged days' secrets is still in raw bytes.
type leak struct {
	tokens, reasons, events, eventBytes int
}

func (l leak) none() bool { return l == leak{} }

// findSecrets scans raw once for each kind of secret: the tokens (base32,
// 32 characters), the reasons, and the event records, each of which
// starts with its seq.
func findSecrets(raw []byte, days []*secrets) leak {
	tokens, reasons, events := map[string]bool{}, map[string]bool{}, map[string][]byte{}
	for _, d := range days {
		for _, tk := range d.tokens {
			tokens[tk] = true
		}
		for _, r := range d.reasons {
			reasons[r] = true
		}
		for _, ev := range d.events {
			events[string(ev[:bytes.IndexByte(ev, ',')+1])] = ev
		}
	}
	var l leak
	found := map[string]bool{}
	note := func(key string, ok bool, count *int) {
		if ok && !found[key] {
			found[key] = true
			*count++
		}
	}
	// A token is a run of 32 base32 letters between quotes.
	for i := 0; i < len(raw); {
		j := i
		for j < len(raw) && (raw[j] >= 'a' && raw[j] <= 'z' || raw[j] >= '2' && raw[j] <= '7') {
			j++
		}
		if j-i == 32 {
			note(string(raw[i:j]), tokens[string(raw[i:j])], &l.tokens)
		}
		i = j + 1
	}
	for rest := raw; ; {
		i := bytes.Index(rest, reasonPrefix)
		if i < 0 || i+len(reasonPrefix)+12 > len(rest) {
			break
		}
		r := string(rest[i : i+len(reasonPrefix)+12])
		note(r, reasons[r], &l.reasons)
		rest = rest[i+1:]
	}
	for rest := raw; ; {
		i := bytes.Index(rest, seqPrefix)
		if i < 0 {
			break
		}
		rest = rest[i:]
		end := bytes.IndexByte(rest, ',')
		if end > 0 {
			seq := string(rest[:end+1])
			if ev, ok := events[seq]; ok && bytes.HasPrefix(rest, ev) && !found[seq] {
				found[seq] = true
				l.events++
				l.eventBytes += len(ev)
			}
		}
		rest = rest[1:]
	}
	return l
}

var (
	reasonPrefix = []byte("Neturi asmens dokumento ")
	seqPrefix    = []byte(`{"seq":`)
)

// After the retention purge, nothing of the purged days can be read from
// the bytes of the file or of a backup taken after it: not a ticket's
// token, not a refusal's reason, not an event's record. (bbolt frees the
// pages of deleted records without wiping them; the store compacts the
// file into a fresh one.) What is kept is all there, and the journal goes
// on where it was.
func TestPurgedDaysAreGoneFromTheFileAndBackups(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	first := time.Date(2026, 10, 1, 0, 0, 0, 0, vilnius)
	const days, perDay, retention = 35, 120, 30
	sec := writeDays(t, s, first, days, perDay)
	keepFrom := first.AddDate(0, 0, days-retention).Format(time.DateOnly)
	var purged, kept []*secrets
	var keptDays []string
	for day, d := range sec {
		if day < keepFrom {
			purged = append(purged, d)
		} else {
			kept = append(kept, d)
			keptDays = append(keptDays, day)
		}
	}
	sort.Strings(keptDays)
	// The last checkpoint is of the first day (a busy day, then a quiet
	// month): it holds that day's tickets, and goes with it.
	firstDay := first.Format(time.DateOnly)
	evs, _ := s.DayEvents(firstDay)
	cp := &queue.Checkpoint{Version: queue.CheckpointVersion, Seq: evs[len(evs)-1].Seq, Day: firstDay, Full: true}
	for _, e := range evs {
		if e.Type == queue.TicketIssued {
			cp.Tickets = append(cp.Tickets, queue.CheckpointTicket{Ticket: *e.Ticket, Order: e.Seq})
		}
	}
	if err := s.AppendCheckpoint(nil, cp); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	before := findSecrets(raw, purged)
	if before.tokens == 0 || before.reasons == 0 {
		t.Fatalf("the purged days' secrets are not in the file before the purge (%+v): the test finds nothing", before)
	}
	_, lastBefore, _ := s.Recover()
	sizeBefore := len(raw)

	n, err := s.Purge(keepFrom)
	if err != nil || n != days-retention {
		t.Fatalf("purge: %d days, %v; want %d", n, err, days-retention)
	}
	backup := filepath.Join(t.TempDir(), "after-purge.db")
	if _, err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	raw, _ = os.ReadFile(path)
	inFile := findSecrets(raw, purged)
	braw, _ := os.ReadFile(backup)
	inBackup := findSecrets(braw, purged)
	t.Logf("%d purged days of %d tickets; before the purge the file (%d bytes) held %+v", days-retention, perDay, sizeBefore, before)
	t.Logf("after: the file (%d bytes) holds %+v; the backup (%d bytes) %+v", len(raw), inFile, len(braw), inBackup)
	if !inFile.none() || !inBackup.none() {
		t.Fatalf("purged data is still readable: in %s %+v, in the backup %+v", store.FileName, inFile, inBackup)
	}
	if keptLeft := findSecrets(raw, kept); keptLeft.tokens != len(kept)*perDay {
		t.Fatalf("the kept days lost records: %d of %d tokens left", keptLeft.tokens, len(kept)*perDay)
	}

	// The store goes on: the same days, the same sequence, new appends,
	// and it opens again.
	if got, _ := s.Days(); len(got) != retention || got[0] != keptDays[0] {
		t.Fatalf("days after the purge: %v", got)
	}
	cpAfter, _, last, err := s.RecoverCheckpoint()
	if err != nil || last != lastBefore || cpAfter != nil {
		t.Fatalf("journal ends at %d after the purge (%v), want %d; checkpoint %v", last, err, lastBefore, cpAfter)
	}
	more := writeDays(t, s, first.AddDate(0, 0, days), 1, 10)
	s.Close()
	s = open(t, path)
	defer s.Close()
	if evs, _ := s.DayEvents(first.AddDate(0, 0, days).Format(time.DateOnly)); len(evs) != len(more[first.AddDate(0, 0, days).Format(time.DateOnly)].events) {
		t.Fatalf("the day written after the purge has %d events after a restart", len(evs))
	}
}
