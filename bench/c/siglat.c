/* siglat: the launcher and sender of the signal-latency benchmark, as
 * `docker stop` is to a container: it starts INIT as PID 1 of a new PID
 * namespace (with a /proc of its own, in a new mount namespace), with
 * stdout on a pipe; INIT runs bench/c/sigchild. Once the
 * child says it is ready, siglat sends SIGTERM to INIT SAMPLES times,
 * GAP_US microseconds apart (so that INIT is idle when each one comes),
 * and prints for each, one per line, the time from just before kill(2)
 * to the child's CLOCK_MONOTONIC receipt in nanoseconds, the CPU the
 * SIGTERM was sent from and the CPU the child saw it on, and last a line
 * "# init_switches S init_threads T": INIT's context switches (all its
 * threads) from the first SIGTERM to the last answer. It then kills INIT
 * (and so the namespace) with SIGKILL.
 *
 * siglat sends each SIGTERM itself, from the CPU where the child's last
 * record woke it; with -n a new process sends each, forked for it, as
 * `docker stop` has a new `runc kill` send it, and siglat waits for that
 * process to exit, as the runtime waits for runc. The scheduler places
 * the new process with no regard to the child.
 *
 * Usage: siglat [-n] SAMPLES GAP_US INIT [ARGS...]
 * Build: gcc -static -O2 -o siglat siglat.c */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "taskstat.h"

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* get reads one record of sigchild's (a time and a CPU), waiting at most
 * 5 s for it. */
static int get(int fd, long long rec[2])
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	size_t have = 0, want = 2 * sizeof rec[0];
	while (have < want) {
		int n = poll(&pfd, 1, 5000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "siglat: no answer from the child within 5 s\n");
			return -1;
		}
		ssize_t r = read(fd, (char *)rec + have, want - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "siglat: the child's output ended\n");
			return -1;
		}
		have += r;
	}
	return 0;
}

static pid_t start(char **argv, int *out)
{
	int p[2];
	int ns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (ns < 0 || pipe2(p, O_CLOEXEC) < 0 || unshare(CLONE_NEWPID) < 0) {
		perror("siglat: open /proc/self/ns/pid, pipe, unshare(CLONE_NEWPID)");
		exit(1);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("siglat: fork");
		exit(1);
	}
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
			perror("siglat: mount a /proc of the new PID namespace");
			_exit(1);
		}
		dup2(p[1], 1);
		execvp(argv[0], argv);
		perror("siglat: exec");
		_exit(127);
	}
	/* Later children (the senders of -n) stay in siglat's namespace,
	 * where INIT's pid is pid. */
	if (setns(ns, CLONE_NEWPID) < 0) {
		perror("siglat: setns back to siglat's PID namespace");
		exit(1);
	}
	close(ns);
	close(p[1]);
	*out = p[0];
	return pid;
}

/* sent is where a sender records the CPU it sent a SIGTERM from and the
 * time just before kill(2). */
struct sent {
	long long ns;
	int cpu;
};

static int send(pid_t init, struct sent *s)
{
	s->cpu = sched_getcpu();
	s->ns = now_ns();
	if (kill(init, SIGTERM) < 0) {
		perror("siglat: kill");
		return -1;
	}
	return 0;
}

/* send_new has a new process send the SIGTERM, and waits for its exit.
 * shared is a MAP_SHARED page it records into. */
static int send_new(pid_t init, struct sent *shared, struct sent *s)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("siglat: fork a sender");
		return -1;
	}
	if (pid == 0)
		_exit(send(init, shared) < 0);
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "siglat: the sender failed\n");
		return -1;
	}
	*s = *shared;
	return 0;
}

int main(int argc, char **argv)
{
	int fresh = argc > 1 && strcmp(argv[1], "-n") == 0;
	argv += fresh;
	argc -= fresh;
	if (argc < 4) {
		fprintf(stderr, "usage: siglat [-n] SAMPLES GAP_US INIT [ARGS...]\n");
		return 2;
	}
	long samples = atol(argv[1]);
	long gap = atol(argv[2]);
	struct timespec pause = {gap / 1000000, gap % 1000000 * 1000};
	struct sent *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("siglat: mmap");
		return 1;
	}
	int fd, rc = 0;
	long long ready[2], seen[2];
	pid_t init = start(argv + 3, &fd);
	struct taskstat before, after;
	if (get(fd, ready) < 0 || taskstat(init, &before) < 0)
		rc = 1;
	for (long i = 0; rc == 0 && i < samples; i++) {
		nanosleep(&pause, NULL);
		struct sent s;
		if ((fresh ? send_new(init, shared, &s) : send(init, &s)) < 0 || get(fd, seen) < 0)
			rc = 1;
		else
			printf("%lld %d %lld\n", seen[0] - s.ns, s.cpu, seen[1]);
	}
	if (rc == 0 && taskstat(init, &after) == 0)
		printf("# init_switches %lld init_threads %d\n", after.switches - before.switches, after.threads);
	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	return rc;
}
