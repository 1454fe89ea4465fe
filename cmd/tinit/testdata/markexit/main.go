// Command markexit is a static program for a bare root, which has no
// dynamic loader for the test binary: it creates each file named after
// its first argument and exits with the first as its code.
//
//	markexit 3 /tmp/mark /run/mark
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: markexit CODE [FILE...]")
		os.Exit(99)
	}
	code, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(99)
	}
	for _, f := range os.Args[2:] {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(98)
		}
	}
	os.Exit(code)
}
