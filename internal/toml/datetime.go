package toml

import "strconv"

// datetime reads an offset date-time, local date-time, local date or
// local time, checking every field's range by hand.
func (p *parser) datetime(tok string) (Datetime, error) {
	d, problem := parseDatetime(tok)
	if problem != "" {
		return Datetime{}, p.errorf("invalid date-time %q: %s", tok, problem)
	}
	return d, nil
}

// parseDatetime returns s as a Datetime, or says what is wrong with it.
func parseDatetime(s string) (Datetime, string) {
	if s[2] == ':' {
		clock, rest, problem := parseClock(s)
		if problem == "" && rest != "" {
			problem = "a local time cannot have an offset or more after it"
		}
		return Datetime{LocalTime, clock}, problem
	}
	date, problem := parseDate(s)
	switch {
	case problem != "":
		return Datetime{}, problem
	case len(s) == len(date):
		return Datetime{LocalDate, date}, ""
	case s[10] != 'T' && s[10] != 't' && s[10] != ' ':
		return Datetime{}, "expected 'T' or a space after the date"
	}
	clock, rest, problem := parseClock(s[11:])
	if problem != "" || rest == "" {
		return Datetime{LocalDatetime, date + "T" + clock}, problem
	}
	zone, problem := parseOffset(rest)
	return Datetime{OffsetDatetime, date + "T" + clock + zone}, problem
}

// parseDate reads YYYY-MM-DD from the start of s.
func parseDate(s string) (string, string) {
	year, ok1 := digits(s, 0, 4)
	month, ok2 := digits(s, 5, 2)
	day, ok3 := digits(s, 8, 2)
	switch {
	case !ok1 || !ok2 || !ok3 || s[4] != '-' || s[7] != '-':
		return "", "expected a date as YYYY-MM-DD"
	case month < 1 || month > 12:
		return "", "month must be 01 to 12"
	case day < 1 || day > daysIn(month, year):
		return "", "day must be 01 to " + strconv.Itoa(daysIn(month, year)) + " in that month"
	}
	return s[:10], ""
}

// parseClock reads hh:mm, then :ss (":00" if left out) and a fraction,
// from the start of s; it returns them and the rest of s.
func parseClock(s string) (clock, rest, problem string) {
	hour, ok1 := digits(s, 0, 2)
	minute, ok2 := digits(s, 3, 2)
	switch {
	case !ok1 || !ok2 || s[2] != ':':
		return "", "", "expected a time as hh:mm:ss"
	case hour > 23:
		return "", "", "hour must be 00 to 23"
	case minute > 59:
		return "", "", "minute must be 00 to 59"
	case len(s) == 5 || s[5] != ':':
		return s[:5] + ":00", s[5:], ""
	}
	second, ok := digits(s, 6, 2)
	switch {
	case !ok:
		return "", "", "expected a time as hh:mm:ss"
	case second > 59:
		return "", "", "second must be 00 to 59"
	case len(s) == 8 || s[8] != '.':
		return s[:8], s[8:], ""
	}
	n := 9
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == 9 {
		return "", "", "expected a digit after the decimal point"
	}
	return s[:n], s[n:], ""
}

// parseOffset reads Z or ±hh:mm, all of s.
func parseOffset(s string) (string, string) {
	if s == "Z" || s == "z" {
		return "Z", ""
	}
	hour, ok1 := digits(s, 1, 2)
	minute, ok2 := digits(s, 4, 2)
	switch {
	case len(s) != 6 || s[0] != '+' && s[0] != '-' || s[3] != ':' || !ok1 || !ok2:
		return "", "expected Z or an offset as +hh:mm after the time"
	case hour > 23:
		return "", "offset hour must be 00 to 23"
	case minute > 59:
		return "", "offset minute must be 00 to 59"
	}
	return s, ""
}

// digits returns the number written with n digits at s[i:], and whether
// there are n digits there.
func digits(s string, i, n int) (int, bool) {
	if len(s) < i+n {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// daysIn returns the number of days in a month of the proleptic Gregorian
// calendar, which RFC 3339 uses.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
