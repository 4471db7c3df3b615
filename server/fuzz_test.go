package server_test

import (
	"strings"
	"testing"

	"langelis/queue"
	"langelis/server"
	"langelis/wire"
)

// FuzzDecodeJSON feeds arbitrary bodies to the strict decoder every handler
// uses: it must never panic, and every refusal must be an invalid-request
// error with a message a person can read.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"service":"A","priority":"none","lang":"lt"}`,
		`{"service":"B","priority":"elderly","lang":"ru","kiosk":"k1","channel":"kiosk"}`,
		`{"service":`, `[]`, `null`, `{"service":1}`, `{"x":1}`, `{} {}`, ``, `"A"`,
		`{"service":"A","service":"B"}`, "{\"service\":\"\xff\"}", `{"desk":-1,"reason":"` + strings.Repeat("x", 300) + `"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r wire.IssueRequest
		err := server.DecodeJSON(data, &r)
		if err == nil {
			return
		}
		if queue.ErrorCode(err) != queue.EINVALID {
			t.Fatalf("decode error with code %q: %v", queue.ErrorCode(err), err)
		}
		if msg := english(err); msg == "" || strings.Contains(msg, "json:") || strings.HasPrefix(msg, "err.") {
			t.Fatalf("unhelpful message %q", msg)
		}
	})
}
