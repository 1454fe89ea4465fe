package services

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// The account files users and groups are looked up in.
const (
	passwdFile = "/etc/passwd"
	groupFile  = "/etc/group"
)

// maxAccountFile bounds what is read of /etc/passwd and /etc/group.
const maxAccountFile = 64 << 20

// passwdEntry is one line of /etc/passwd.
type passwdEntry struct {
	Name     string
	UID, GID uint32
	Home     string
	Shell    string
}

// groupEntry is one line of /etc/group.
type groupEntry struct {
	Name    string
	GID     uint32
	Members []string
}

// parsePasswd reads /etc/passwd's format, name:password:uid:gid:gecos:home:shell.
// Comments, blank lines, NIS lines (+, -) and malformed lines are skipped,
// and missing trailing fields after the gid are empty, as the C library
// has them.
func parsePasswd(data []byte) []passwdEntry {
	var out []passwdEntry
	eachRecord(data, 4, 7, func(f []string) {
		uid, err1 := parseID(f[2])
		gid, err2 := parseID(f[3])
		if err1 == nil && err2 == nil {
			out = append(out, passwdEntry{Name: f[0], UID: uid, GID: gid, Home: f[5], Shell: f[6]})
		}
	})
	return out
}

// parseGroup reads /etc/group's format, name:password:gid:member,member;
// the member list may be missing.
func parseGroup(data []byte) []groupEntry {
	var out []groupEntry
	eachRecord(data, 3, 4, func(f []string) {
		gid, err := parseID(f[2])
		if err != nil {
			return
		}
		var members []string
		for _, m := range strings.Split(f[3], ",") {
			if m = strings.TrimSpace(m); m != "" {
				members = append(members, m)
			}
		}
		out = append(out, groupEntry{Name: f[0], GID: gid, Members: members})
	})
	return out
}

// eachRecord calls f with the n fields of each line that has a name and
// from least to n of them, the missing ones empty. Leading blanks are
// skipped.
func eachRecord(data []byte, least, n int, f func([]string)) {
	for line := range bytes.Lines(data) {
		text := strings.TrimLeft(strings.TrimRight(string(line), "\r\n"), " \t")
		if text == "" || text[0] == '#' || text[0] == '+' || text[0] == '-' {
			continue
		}
		fields := strings.Split(text, ":")
		if len(fields) < least || len(fields) > n || fields[0] == "" {
			continue
		}
		f(append(fields, make([]string, n-len(fields))...))
	}
}

func parseID(s string) (uint32, error) {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 1<<32-1 {
		return 0, fmt.Errorf("invalid id %q", s)
	}
	return uint32(n), nil
}

// accounts looks users and groups up in the account files.
type accounts struct {
	passwd []passwdEntry
	group  []groupEntry
	err    error // why a file could not be read, reported when a name needs it
}

// loadAccounts reads the account files; a missing file is empty.
func loadAccounts(passwdPath, groupPath string) *accounts {
	a := &accounts{}
	var data []byte
	if data, a.err = readAccountFile(passwdPath); a.err == nil {
		a.passwd = parsePasswd(data)
		if data, a.err = readAccountFile(groupPath); a.err == nil {
			a.group = parseGroup(data)
		}
	}
	return a
}

func readAccountFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(bufio.NewReader(io.LimitReader(f, maxAccountFile)))
	if err != nil {
		return nil, fmt.Errorf("read %q: %w", path, err)
	}
	return data, nil
}

// user finds a user by name or number. ok is false for a number that is
// not in the file, which is allowed.
func (a *accounts) user(acc Account) (passwdEntry, bool, error) {
	for _, p := range a.passwd {
		if acc.Name != "" && p.Name == acc.Name || acc.Name == "" && p.UID == acc.ID {
			return p, true, nil
		}
	}
	if acc.Name == "" {
		return passwdEntry{UID: acc.ID, GID: acc.ID}, false, nil
	}
	if a.err != nil {
		return passwdEntry{}, false, fmt.Errorf("user %q: %w", acc.Name, a.err)
	}
	return passwdEntry{}, false, fmt.Errorf("user %q: not in %s", acc.Name, passwdFile)
}

// groupID finds a group's number.
func (a *accounts) groupID(acc Account) (uint32, error) {
	if acc.Name == "" {
		return acc.ID, nil
	}
	for _, g := range a.group {
		if g.Name == acc.Name {
			return g.GID, nil
		}
	}
	if a.err != nil {
		return 0, fmt.Errorf("group %q: %w", acc.Name, a.err)
	}
	return 0, fmt.Errorf("group %q: not in %s", acc.Name, groupFile)
}

// memberOf returns the groups that list user as a member, and primary
// first, without repeats.
func (a *accounts) memberOf(user string, primary uint32) []uint32 {
	out := []uint32{primary}
	for _, g := range a.group {
		for _, m := range g.Members {
			if m == user && !containsID(out, g.GID) {
				out = append(out, g.GID)
			}
		}
	}
	return out
}

func containsID(ids []uint32, id uint32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// identity is who a service runs as, resolved when it starts.
type identity struct {
	cred *Credential  // nil keeps tinit's
	user *passwdEntry // the user entry, for HOME, USER and LOGNAME; nil if none
}

// resolveIdentity resolves a service's user, group and groups. A numeric
// user not in /etc/passwd runs with the group of the same number unless
// group says otherwise, and with no supplementary groups unless groups
// lists some.
func resolveIdentity(s *Service, a *accounts, uid uint32) (identity, error) {
	if s.User == nil && s.Group == nil && s.Groups == nil {
		return identity{}, nil
	}
	id := identity{cred: &Credential{UID: uid, KeepGroups: true}}
	if s.User != nil {
		u, found, err := a.user(*s.User)
		if err != nil {
			return identity{}, err
		}
		id.cred.UID, id.cred.GID, id.cred.KeepGroups = u.UID, u.GID, false
		if found {
			id.user = &u
			id.cred.Groups = a.memberOf(u.Name, u.GID)
		}
	}
	if s.Group != nil {
		gid, err := a.groupID(*s.Group)
		if err != nil {
			return identity{}, err
		}
		id.cred.GID = gid
	} else if s.User == nil {
		id.cred.GID = uint32(os.Getgid())
	}
	return id, resolveGroups(s, a, &id)
}

func resolveGroups(s *Service, a *accounts, id *identity) error {
	if s.Groups == nil {
		return nil
	}
	id.cred.Groups, id.cred.KeepGroups = []uint32{}, false
	for _, g := range s.Groups {
		gid, err := a.groupID(g)
		if err != nil {
			return err
		}
		if !containsID(id.cred.Groups, gid) {
			id.cred.Groups = append(id.cred.Groups, gid)
		}
	}
	return nil
}

// userEnv returns USER, LOGNAME and HOME for the service's user, leaving
// out those the service's own env sets.
func (id identity) userEnv(own []string) []string {
	if id.user == nil {
		return nil
	}
	var env []string
	for _, kv := range [][2]string{{"USER", id.user.Name}, {"LOGNAME", id.user.Name}, {"HOME", id.user.Home}} {
		if kv[1] != "" && !hasVar(own, kv[0]) {
			env = append(env, kv[0]+"="+kv[1])
		}
	}
	return env
}

func hasVar(env []string, name string) bool {
	for _, kv := range env {
		if varName(kv) == name {
			return true
		}
	}
	return false
}

// varName is the name of an environment entry name=value.
func varName(kv string) string {
	k, _, _ := strings.Cut(kv, "=")
	return k
}
