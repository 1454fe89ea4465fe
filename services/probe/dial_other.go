//go:build !linux

package probe

import (
	"context"
	"errors"
	"net/netip"
)

var errNotSupported = errors.New("tcp and http probes need Linux")

func dial(context.Context, network, netip.AddrPort) (*conn, error) { return nil, errNotSupported }

func queryID() (uint16, error) { return 0, errNotSupported }
