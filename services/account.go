package services

import (
	"fmt"
	"strconv"
	"strings"
)

// maxAccountName bounds user and group names (glibc's LOGIN_NAME_MAX).
const maxAccountName = 256

// Account names a user or a group, by number or by name. Names are looked
// up (in /etc/passwd or /etc/group) when the service starts, not when the
// configuration is read, since the image's files may not be there yet.
type Account struct {
	Name string // "" when the account is given by number
	ID   uint32 // the number, when Name is ""
}

// String returns the name, or the number in decimal.
func (a Account) String() string {
	if a.Name != "" {
		return a.Name
	}
	return strconv.FormatUint(uint64(a.ID), 10)
}

// ParseAccount reads a user or group name, or a number from 0 to
// 4294967294 (4294967295 is the kernel's "no change").
func ParseAccount(text string) (Account, error) {
	if text != "" && strings.Trim(text, "0123456789") == "" {
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return Account{}, fmt.Errorf("id %s is out of range (0 to 4294967294)", text)
		}
		return AccountID(n)
	}
	if err := checkAccountName(text); err != nil {
		return Account{}, err
	}
	return Account{Name: text}, nil
}

// AccountID checks a numeric user or group id.
func AccountID(n int64) (Account, error) {
	if n < 0 || n > 1<<32-2 {
		return Account{}, fmt.Errorf("id %d is out of range (0 to 4294967294)", n)
	}
	return Account{ID: uint32(n)}, nil
}

// checkAccountName accepts the portable name characters, as shadow-utils
// and systemd do: letters, digits, '_', '.', '-', a trailing '$', and no
// leading '-' or '.'.
func checkAccountName(name string) error {
	if name == "" || len(name) > maxAccountName {
		return fmt.Errorf("invalid name %q: must be 1 to %d characters", name, maxAccountName)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' ||
			(c == '.' || c == '-') && i > 0 || c == '$' && i == len(name)-1 && i > 0
		if !ok {
			return fmt.Errorf("invalid name %q: use letters, digits, '_', '.' and '-' (not first), or a number", name)
		}
	}
	return nil
}
