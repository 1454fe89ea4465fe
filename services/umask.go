package services

import (
	"fmt"
	"strconv"
)

// Umask is a file mode creation mask, 0 to 0777.
type Umask uint16

// ParseUmask reads an octal mask of three or four digits: "022", "0027".
func ParseUmask(text string) (Umask, error) {
	n, err := strconv.ParseUint(text, 8, 16)
	if err != nil || len(text) < 3 || len(text) > 4 || n > 0o777 {
		return 0, fmt.Errorf("invalid umask %q: want three or four octal digits from \"0000\" to \"0777\", like \"0022\"", text)
	}
	return Umask(n), nil
}

// String writes the mask as four octal digits, "0022".
func (u Umask) String() string { return fmt.Sprintf("%04o", uint16(u)) }
