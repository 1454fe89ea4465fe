package probe

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestPack(t *testing.T) {
	msg, err := question{"db.test.", typeAAAA}.pack()
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, // ID 0, RD; one question, one additional record
		2, 'd', 'b', 4, 't', 'e', 's', 't', 0, 0, 28, 0, 1, // db.test. AAAA IN
		0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0, // OPT: 1232 bytes
	}
	if !bytes.Equal(msg, want) {
		t.Errorf("got % x\nwant % x", msg, want)
	}
	q, err := parseQuery(msg)
	if err != nil || q.String() != "AAAA db.test." || q.edns != ednsSize {
		t.Errorf("the fake nameserver reads %v (EDNS %d), %v", q, q.edns, err)
	}
}

func TestPackBadNames(t *testing.T) {
	for _, name := range []string{".", "a..b.", strings.Repeat("x", 64) + ".", strings.Repeat("abcdefg.", 32)} {
		if _, err := (question{name, typeA}).pack(); err == nil {
			t.Errorf("pack(%q): got nil, want an error", name)
		}
	}
}

// testReply is an answer about db.test. A, ID 7, the question at 12, then
// the answer section.
func testReply(answers ...[]byte) []byte {
	q := fakeQuery{id: 7, question: append(wire("db.test."), 0, 1, 0, 1)}
	return answerMsg(q, ansOK, answers...)
}

func TestParseReply(t *testing.T) {
	q := question{"db.test.", typeA}
	answerAt := qnameOff + len(wire("db.test.")) + 4
	for _, tt := range []struct {
		name string
		msg  []byte
		want string // addresses, or the error
	}{
		{"one A", testReply(addrRecord(wire("db.test."), "10.0.0.1")), "[10.0.0.1]"},
		{"owner in other case", testReply(addrRecord(wire("DB.Test."), "10.0.0.1")), "[10.0.0.1]"},
		{"AAAA skipped", testReply(addrRecord(wire("db.test."), "fd00::1")), "[]"},
		{"other name skipped", testReply(addrRecord(wire("x.test."), "10.0.0.1")), "[]"},
		{"owner by pointer", testReply(addrRecord(pointer(qnameOff), "10.0.0.1")), "[10.0.0.1]"},
		{"label then pointer", testReply(addrRecord(append([]byte("\x02db"), pointer(qnameOff+3)...), "10.0.0.1")), "[10.0.0.1]"},
		{"pointer to pointer", testReply(
			addrRecord(pointer(qnameOff), "10.0.0.1"),
			addrRecord(pointer(answerAt), "10.0.0.2"),
		), "[10.0.0.1 10.0.0.2]"},
		{"pointer to itself", testReply(addrRecord(pointer(answerAt), "10.0.0.1")), "malformed answer: compression pointer loop"},
		{"pointer forward", testReply(addrRecord(pointer(answerAt+2), "10.0.0.1")), "malformed answer: compression pointer loop"},
		{"label then pointer to it", testReply(addrRecord(append([]byte("\x01x"), pointer(answerAt)...), "10.0.0.1")), "malformed answer: compression pointer loop"},
		{"pointer past the end", testReply(addrRecord(pointer(0x3fff), "10.0.0.1")), "malformed answer: compression pointer loop"},
		{"label past the end", testReply([]byte{60, 'x'}), "malformed answer: name out of bounds"},
		{"pointer cut short", testReply([]byte{0xc0}), "malformed answer: name out of bounds"},
		{"unknown label type", testReply(addrRecord([]byte{0x40, 0}, "10.0.0.1")), "malformed answer: unknown label type"},
		{"name over 255 bytes", testReply(addrRecord(wire(strings.Repeat("abcdefg.", 32)), "10.0.0.1")), "malformed answer: name longer than 255 bytes"},
		{"record cut short", testReply(addrRecord(wire("db.test."), "10.0.0.1")[:20]), "malformed answer: too short"},
		{"A of 5 bytes", testReply(record(wire("db.test."), typeA, []byte{1, 2, 3, 4, 5})), "malformed answer: address of 5 bytes"},
		{"header cut short", testReply()[:11], "malformed answer: too short"},
		{"wrong ID", answerMsg(fakeQuery{id: 8, question: append(wire("db.test."), 0, 1, 0, 1)}, ansOK), errForeign.Error()},
		{"a query", answerMsg(fakeQuery{id: 7, question: append(wire("db.test."), 0, 1, 0, 1)}, 0), errForeign.Error()},
		{"other type", answerMsg(fakeQuery{id: 7, question: append(wire("db.test."), 0, 28, 0, 1)}, ansOK), errForeign.Error()},
		{"other name", answerMsg(fakeQuery{id: 7, question: append(wire("db.tesu."), 0, 1, 0, 1)}, ansOK), errForeign.Error()},
	} {
		r, err := parseReply(tt.msg, 7, q)
		got := fmt.Sprint(r.addrs)
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestReplyErr(t *testing.T) {
	for _, tt := range []struct {
		r    reply
		want string
	}{
		{reply{rcode: 3}, "no such host"},
		{reply{rcode: 2}, "server failure"},
		{reply{rcode: 5}, "refused"},
		{reply{rcode: 9}, "response code 9"},
		{reply{}, "no address"},
	} {
		if err := tt.r.err(); err == nil || err.Error() != tt.want {
			t.Errorf("%+v: got %v, want %s", tt.r, err, tt.want)
		}
	}
	if !errors.Is(reply{rcode: 3}.err(), errNoSuchHost) {
		t.Error("NXDOMAIN is not errNoSuchHost")
	}
}

// FuzzParseReply checks that no message makes the parser panic or loop,
// and that only answers of the query's ID and question are taken.
func FuzzParseReply(f *testing.F) {
	f.Add(testReply(addrRecord(pointer(qnameOff), "10.0.0.1"), record(wire("db.test."), typeCNAME, pointer(qnameOff))))
	f.Add(testReply(addrRecord(append([]byte("\x01x"), pointer(qnameOff)...), "fd00::1")))
	f.Fuzz(func(t *testing.T, msg []byte) {
		r, err := parseReply(msg, 7, question{"db.test.", typeA})
		if err == nil && (len(msg) < 2 || msg[0] != 0 || msg[1] != 7) {
			t.Fatalf("took an answer with another ID: % x", msg)
		}
		for _, a := range r.addrs {
			if !a.is4 {
				t.Fatalf("an A query gave %v", a)
			}
		}
	})
}
