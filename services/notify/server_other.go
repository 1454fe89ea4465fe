//go:build !linux

package notify

import (
	"errors"
	"os"
	"syscall"
)

var errNotSupported = errors.New("sd_notify sockets need Linux (SO_PASSCRED)")

const oobSize = 0

func listen(string) (*os.File, error) { return nil, errNotSupported }

func recvDatagram(syscall.RawConn, []byte, []byte) (datagram, error) {
	return datagram{}, errNotSupported
}
