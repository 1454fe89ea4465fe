//go:build !linux

package cgroup

import (
	"context"
	"os"
)

const supported = false

func openDir(string) (*os.File, error) { return nil, ErrNotSupported }

func isGone(error) bool { return false }

func watchFile(context.Context, string, func() (bool, error)) error { return ErrNotSupported }

func killMembers([]int, func() ([]int, error)) error { return ErrNotSupported }
