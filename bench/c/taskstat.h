/* taskstat.h: what the benchmark programs read about another process,
 * summed over all its threads (a Go process has several; the counters of
 * /proc/PID/status and /proc/PID/schedstat cover one thread only). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* struct taskstat sums every thread of a process. */
struct taskstat {
	long long cpu_ns;   /* time on a CPU: first field of schedstat */
	long long switches; /* voluntary + nonvoluntary context switches */
	int threads;
};

static void taskstat_thread(const char *dir, struct taskstat *ts)
{
	char path[350], line[256];
	long long v;
	snprintf(path, sizeof path, "%s/schedstat", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return; /* the thread is gone */
	if (fscanf(f, "%lld", &v) == 1)
		ts->cpu_ns += v;
	fclose(f);
	snprintf(path, sizeof path, "%s/status", dir);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "voluntary_ctxt_switches: %lld", &v) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %lld", &v) == 1)
			ts->switches += v;
	fclose(f);
	ts->threads++;
}

/* taskstat reads process pid's threads from /proc; -1 if it cannot. */
static int taskstat(pid_t pid, struct taskstat *ts)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	memset(ts, 0, sizeof *ts);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d))) {
		char dir[330];
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof dir, "%s/%.255s", path, e->d_name);
		taskstat_thread(dir, ts);
	}
	closedir(d);
	return 0;
}
