package image

// needsQuote reports whether s must be quoted in a manifest line.
func needsQuote(s string) bool {
	if s == "" {
		return true
	}
	for _, c := range s {
		if c <= ' ' || c == '"' || c == '#' || c == 0x7f || c == '\\' {
			return true
		}
	}
	return false
}
