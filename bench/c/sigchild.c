/* sigchild: the child of the signal-latency benchmark. It blocks SIGTERM,
 * writes a zero timestamp to stdout to say it is ready, then for every
 * SIGTERM that sigwaitinfo returns writes the CLOCK_MONOTONIC time it saw
 * it, as 8 bytes (nanoseconds, native byte order). It never exits by
 * itself: the benchmark kills its PID namespace.
 *
 * Build: gcc -static -O2 -o sigchild sigchild.c */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void put(long long ns)
{
	if (write(1, &ns, sizeof ns) != sizeof ns) {
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
