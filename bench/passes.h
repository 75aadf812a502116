/*
 * bench/passes.h - the clock both side-by-side programs (k8smig_bench.c and
 * kclient_c_peer.c) time their workloads with.
 *
 * This machine's speed moves between levels for seconds at a time (the same
 * 10,000-object pass took 15, 25 or 35 ms from one process to the next), so a
 * single pass of a short workload says more about the moment than about the
 * code. With K8SMIG_BENCH_SECONDS set, a program repeats the timed pass until
 * that much time has gone into passes and reports the fastest one; both
 * programs get the same window, and bench/run.py keeps the fastest of its runs
 * (slow spells only ever add time). Unset (callgrind, file dumps) it makes one
 * pass.
 */
#ifndef K8SMIG_BENCH_PASSES_H
#define K8SMIG_BENCH_PASSES_H

#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct passes {
	double budget; /* seconds of passes to run (0: one pass) */
	double spent;
	double best;   /* the fastest pass so far, in seconds */
	int n;         /* passes made */
} passes;

static void passes_start(passes *p)
{
	const char *s = getenv("K8SMIG_BENCH_SECONDS");
	p->budget = s ? atof(s) : 0;
	p->spent = 0;
	p->best = 0;
	p->n = 0;
}

/* Record a pass that took t seconds; whether to make another. */
static int passes_more(passes *p, double t)
{
	if (p->n == 0 || t < p->best)
		p->best = t;
	p->spent += t;
	p->n++;
	return p->spent < p->budget;
}

#endif
