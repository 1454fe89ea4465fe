package main

const helpText = `tinit - the init for containers and microVMs

Usage:
  tinit [OPTIONS] [--] PROGRAM [ARGS...]   run PROGRAM as the one child (like tini)
  tinit [OPTIONS] --config FILE            run the services of FILE
  tinit [OPTIONS]                          on a machine: run /etc/tinit/services.toml
  tinit check FILE                         validate FILE and exit
  tinit --version                          print the version and the kernel probe

tinit reaps every zombie, forwards signals to its child, and exits with the
child's exit code (128+N when the child was killed by signal N). When it is
not PID 1 it makes itself a subreaper, so that orphans below it come to it.
When the child exits, tinit stops what is left below it (SIGTERM, then
SIGKILL after the grace period) and exits the moment the last process is
gone. As PID 1 of a machine (a microVM's /init, started by the kernel) it
mounts /proc, /sys, /dev and the rest first, links /dev/fd, /dev/stdin,
/dev/stdout and /dev/stderr into /proc/self/fd, sets the hostname from
/etc/hostname if there is one, brings lo up, takes SIGINT (Ctrl-Alt-Del)
for a request to stop, and powers off at the end instead of exiting, also
after a usage error, --help or --version. Given neither PROGRAM nor
--config, it runs /etc/tinit/services.toml, where tinit-image --config puts
it. Its arguments are the words after -- on the kernel command line (and
any the kernel does not know before it); NAME=VALUE words it does not know
become the environment, so TINIT_* variables can be set there. PID 1 of a
container is no machine, whatever is mounted: it mounts and sets up
nothing, and exits.

Options:
  -g             send forwarded signals to the child's process group
                 (the child always gets a process group of its own)
  -e CODE        report exit code CODE (0-255) as 0; repeatable, or a
                 comma-separated list
  -p SIGNAL      ask for SIGNAL when tinit's parent dies (PR_SET_PDEATHSIG),
                 e.g. -p SIGKILL
  -w             print a warning for each orphan that tinit reaps (tinit
                 then reaps them itself; without -w, on Linux 6.15+, the
                 kernel reaps them as they exit, at no cost to tinit)
  -v, --verbose  more output: -v the kernel probe and the child's start and
                 end, -vv also each reaped orphan and forwarded signal
                 (-vvv is accepted, as tini's)
  -s             accepted for tini compatibility: tinit is a subreaper
                 whenever it is not PID 1
  --rewrite S:R  forward signal S as signal R (dumb-init's option); R = 0
                 drops S; repeatable or comma-separated, e.g. TERM:QUIT
  --grace D      how long what is left gets between SIGTERM and SIGKILL
                 after the child exited (default 5s; 0s kills at once)
  --exit-at-once exit as soon as the child exits, as tini does, leaving the
                 rest to the kernel or the container runtime
  -c, --config FILE  run the services of FILE (see docs/config.md)
  -h, --help     print this help
  --version      print the version and the kernel features found

Signals: every signal that can be caught is forwarded to the child, except
SIGCHLD, SIGURG (used by the Go runtime), the synchronous signals (SIGSEGV,
SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS; ignored when a process sends them)
and SIGTTIN and SIGTTOU, which tinit ignores so that a terminal never stops
it; on a machine, SIGINT stops the machine instead (see above). With a
terminal on stdin the
child's process group becomes the terminal's foreground group, so ^C and ^Z
reach the child, not tinit. Signals ignored when tinit started stay ignored
in the child. LISTEN_PID, when set, is rewritten to the child's pid, so that
socket activation (LISTEN_FDS) passes through tinit. A PROGRAM that is a
script without a #! line runs through /bin/sh, as execvp runs it.

Environment (the command line wins; each -v adds to the verbosity set here):
  TINIT_KILL_PROCESS_GROUP    not empty: like -g
  TINI_KILL_PROCESS_GROUP     set, even empty: like -g, as in tini
  TINIT_VERBOSITY=N           like N times -v
  TINI_VERBOSITY=N            tini's levels: 0 errors only, 1 the default,
                              2 like -v, 3 like -vv, 4 like -vvv; read with
                              atoi as tini does (no number, or below 0: 0);
                              a TINIT_VERBOSITY that is not empty wins
  TINIT_SUBREAPER             accepted, like -s (tini's TINI_SUBREAPER too)
  TINIT_REMAP_EXIT=C[,C...]   like -e
  TINIT_PARENT_DEATH_SIGNAL=S like -p
  TINIT_WARN_ON_REAP          not empty: like -w
  TINIT_REWRITE=S:R[,S:R...]  like --rewrite
  TINIT_GRACE=D               like --grace
  TINIT_EXIT_AT_ONCE          not empty: like --exit-at-once
  TINIT_DISABLE_FEATURES=f,.. kernel features not to use, e.g. autoreap
                              (to test a fallback; names as --version prints)

Exit codes:
  the child's    its exit status, or 128+N when killed by signal N
  0              also for each code given with -e
  1              tinit itself failed (the reason is printed)
  2              bad command line or configuration
  126            the program exists but cannot be executed
  127            the program was not found
`
