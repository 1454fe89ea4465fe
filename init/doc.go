// Package pid1 is what tinit does because it is the first process of a
// container or a machine, or a subreaper under another init: it sets up the
// machine (mounts, /dev links, hostname, loopback), turns signals into requests,
// kills the stragglers at the end, syncs, and powers off or reboots.
//
// The folder is named init because that is what it is; Go cannot import a
// package named init, so the package is pid1 and is imported as such.
//
// pid1 never spawns or waits on processes (that is reaper's job) and never
// exits the program (that is cmd/tinit's).
package pid1
