/* sigchild: the child of the signal-latency benchmark. It blocks SIGTERM,
 * writes a record with a zero time to stdout to say it is ready, then for
 * every SIGTERM that sigwaitinfo returns writes a record of the
 * CLOCK_MONOTONIC time it saw it and the CPU it saw it on. A record is
 * two 8-byte integers in native byte order: nanoseconds, then the CPU. It
 * never exits by itself: the benchmark kills its PID namespace.
 *
 * Build: gcc -static -O2 -o sigchild sigchild.c */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void put(long long ns)
{
	long long rec[2] = {ns, sched_getcpu()};
	if (write(1, rec, sizeof rec) != sizeof rec) {
		perror("sigchild: write");
		_exit(1);
	}
}

int main(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		perror("sigchild: sigprocmask");
		return 1;
	}
	put(0);
	for (;;) {
		struct timespec ts;
		if (sigwaitinfo(&set, NULL) < 0) {
			if (errno == EINTR)
				continue;
			perror("sigchild: sigwaitinfo");
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		put(ts.tv_sec * 1000000000LL + ts.tv_nsec);
	}
}
