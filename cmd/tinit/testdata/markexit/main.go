// Command markexit is testhelper.MarkExit as a static program of its own,
// for a bare root where the test binary, built with -race, lacks its
// dynamic loader: it creates each file named after its first argument and
// exits with the first as its code.
//
//	markexit 3 /tmp/mark /run/mark
package main

import (
	"os"

	"github.com/tinit/tinit/internal/testhelper"
)

func main() {
	os.Exit(testhelper.MarkExit(os.Args[1:]))
}
