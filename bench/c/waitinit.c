/* waitinit: the reference init for the orphan benchmark of package reaper.
 * As PID 1 of a new PID namespace it starts the orphan maker, then reaps
 * with a plain blocking waitpid(-1) loop until the maker has exited and
 * N other processes (its orphans) have been reaped. It prints one line:
 *
 *   orphans N ns ELAPSED cpu_ns CPU rate R
 *
 * ELAPSED runs from just before the fork of the maker to the last reap;
 * CPU is this process's user+system time over the same span; R is N per
 * second of ELAPSED.
 *
 * Usage: waitinit N PATH ARGV0 [ARGS...]   (PATH is executed with ARGV0...)
 * Build: gcc -static -O2 -o waitinit waitinit.c */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long cpu_ns(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: waitinit N PATH ARGV0 [ARGS...]\n");
		return 2;
	}
	long want = atol(argv[1]);
	long long t0 = now_ns(), c0 = cpu_ns();
	pid_t maker = fork();
	if (maker < 0) {
		perror("waitinit: fork");
		return 1;
	}
	if (maker == 0) {
		execv(argv[2], argv + 3);
		perror("waitinit: execv");
		_exit(127);
	}
	long reaped = 0;
	int maker_done = 0, status;
	while (!maker_done || reaped < want) {
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			perror("waitinit: waitpid");
			return 1;
		}
		if (pid != maker) {
			reaped++;
			continue;
		}
		maker_done = 1;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "waitinit: orphan maker failed: status %#x\n", status);
			return 1;
		}
	}
	long long t1 = now_ns(), c1 = cpu_ns();
	printf("orphans %ld ns %lld cpu_ns %lld rate %.0f\n", reaped, t1 - t0, c1 - c0, reaped * 1e9 / (t1 - t0));
	return 0;
}
