//go:build !linux

package probe

import (
	"context"
	"errors"
)

var errNotSupported = errors.New("tcp and http probes need Linux")

func dial(context.Context, network, ipPort) (*conn, error) { return nil, errNotSupported }
