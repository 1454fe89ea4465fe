package services

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFIFONotOpened checks that a configuration or env_file that is a
// FIFO is refused at once: opening one would block until a writer comes.
func TestFIFONotOpened(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("LoadFile(fifo) = %v, want not a regular file", err)
	}
	_, err := Parse("x.toml", []byte("[service.a]\ncommand = [\"/bin/app\"]\nenv_file = \""+fifo+"\"\n"))
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("env_file fifo: %v, want not a regular file", err)
	}
}
