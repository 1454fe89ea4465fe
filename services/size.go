package services

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// sizeUnits are the multipliers of ParseSize, powers of 1024.
var sizeUnits = []struct {
	letter byte
	shift  uint
}{{'K', 10}, {'M', 20}, {'G', 30}, {'T', 40}, {'P', 50}}

// ParseSize reads a byte count: "4096", "64K", "512M", "1G", "2T"; the
// units are powers of 1024 and may be written in either case.
func ParseSize(text string) (uint64, error) {
	digits, shift := text, uint(0)
	if n := len(text); n > 0 {
		for _, u := range sizeUnits {
			if text[n-1] == u.letter || text[n-1] == u.letter+('a'-'A') {
				digits, shift = text[:n-1], u.shift
			}
		}
	}
	if digits == "" || strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, fmt.Errorf("invalid size %q: want a whole number with an optional unit K, M, G, T or P, like \"512M\"", text)
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || bits.LeadingZeros64(n) < int(shift) || n<<shift > math.MaxInt64 {
		return 0, fmt.Errorf("invalid size %q: too large", text)
	}
	return n << shift, nil
}

// formatSize writes n with the largest unit that divides it exactly: "512M".
func formatSize(n uint64) string {
	for i := len(sizeUnits) - 1; i >= 0; i-- {
		u := sizeUnits[i]
		if n != 0 && n%(1<<u.shift) == 0 {
			return strconv.FormatUint(n>>u.shift, 10) + string(u.letter)
		}
	}
	return strconv.FormatUint(n, 10)
}
