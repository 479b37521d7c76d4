#!/usr/bin/env python3
"""The Python side of actorpool-bench: the same workloads, run with the
standard library's multiprocessing.Pool, Lock and Queue, and the thread_*
workloads with multiprocessing.dummy.Pool, its thread pool (no third-party
packages).

Prints one line per figure in actorpool-bench's format, with
impl=python-mp (impl=python-dummy for thread_*); actorpool-bench --compare-python runs this script and
computes the ratios. Run it alone with:

    python3 python_mp_bench.py [--workers N] [--repeat N] [--quick]
                               [--only WORKLOAD] [--verbose]

Pools use the "fork" start method, the default on Linux up to Python 3.13
(3.14 switched to "forkserver"); it is pinned so that figures stay
comparable across versions. Exits 1 if a workload gets a wrong result.
"""

import argparse
import multiprocessing
import multiprocessing.dummy
import os
import signal
import platform
import statistics
import sys
import time

START_METHOD = "fork"
MIB = 1 << 20


def twice(x):
    """The tiny task of the call-overhead workloads."""
    return 2 * x


def payload_size(data):
    """The task of payload_1mib: the size of its argument."""
    return len(data)


def sleep_ms(ms):
    """The task of long_short_mix: sleeps ms milliseconds, returns ms."""
    time.sleep(ms / 1000)
    return ms


def check(ok, workload, what):
    if not ok:
        print(f"python_mp_bench: {workload}: wrong result ({what})",
              file=sys.stderr, flush=True)
        sys.exit(1)


def expected_sum(n):
    """The sum of twice(x) over range(n)."""
    return n * (n - 1)


def emit(workload, workers, tasks, seconds, latency_us=None,
         impl="python-mp"):
    """Prints one figure line, as actorpool-bench's format_figure does."""
    rate = tasks / seconds if seconds > 0 else 0.0
    line = (f"workload={workload} impl={impl} workers={workers} "
            f"tasks={tasks} seconds={seconds:.6f} tasks_per_s={rate:.1f}")
    if latency_us is not None:
        line += f" latency_us={latency_us:.2f}"
    print(line, flush=True)


def median_of_runs(cfg, name, run):
    """The median over cfg.repeat calls of run(), which returns its time;
    with --verbose, every run's time goes to stderr."""
    runs = []
    for i in range(cfg.repeat):
        runs.append(run())
        if cfg.verbose:
            print(f"# {name} run {i + 1}: {runs[-1]} s", file=sys.stderr)
    return statistics.median(runs)


def timed_with_pool(cfg, name, body, make_pool=None):
    """Median time of body(pool) on one warmed-up pool of cfg.workers, made
    by make_pool (default: a process Pool)."""
    if make_pool is None:
        make_pool = multiprocessing.get_context(START_METHOD).Pool
    with make_pool(cfg.workers) as pool:
        check(pool.apply(twice, (21,)) == 42, name, "warm-up call")

        def run():
            start = time.perf_counter()
            body(pool)
            return time.perf_counter() - start

        secs = median_of_runs(cfg, name, run)
        pool.close()
        pool.join()
    return secs


def run_apply_latency(cfg, name, n):
    def body(pool):
        total = 0
        for i in range(n):
            total += pool.apply(twice, (i,))
        check(total == expected_sum(n), name, "sum")

    secs = timed_with_pool(cfg, name, body)
    emit(name, cfg.workers, n, secs, secs * 1e6 / n)


def run_apply_async(cfg, name, n, make_pool=None, impl="python-mp"):
    def body(pool):
        rs = [pool.apply_async(twice, (i,)) for i in range(n)]
        check(sum(r.get() for r in rs) == expected_sum(n), name, "sum")

    secs = timed_with_pool(cfg, name, body, make_pool)
    emit(name, cfg.workers, n, secs, impl=impl)


def run_imap_unordered(cfg, name, n, make_pool=None, impl="python-mp"):
    def body(pool):
        ys = list(pool.imap_unordered(twice, range(n)))
        check(len(ys) == n and sum(ys) == expected_sum(n), name, "sum")

    secs = timed_with_pool(cfg, name, body, make_pool)
    emit(name, cfg.workers, n, secs, impl=impl)


def run_map(cfg, name, n, make_pool=None, impl="python-mp"):
    def body(pool):
        ys = pool.map(twice, range(n))
        check(ys == [twice(x) for x in range(n)], name, "values or order")

    secs = timed_with_pool(cfg, name, body, make_pool)
    emit(name, cfg.workers, n, secs, impl=impl)


def on_threads(run):
    """The workload run on multiprocessing.dummy.Pool (threads)."""
    def run_dummy(cfg, name, n):
        run(cfg, name, n, multiprocessing.dummy.Pool, "python-dummy")

    return run_dummy


def run_payload(cfg, name, n):
    data = b"x" * MIB

    def body(pool):
        rs = [pool.apply_async(payload_size, (data,)) for _ in range(n)]
        check(all(r.get() == MIB for r in rs), name, "payload sizes")

    emit(name, cfg.workers, n, timed_with_pool(cfg, name, body))


# A users' report: apply_async of these sleeps (ms) to 4 workers, then
# close() and join().
MIX_SLEEPS_MS = [3000, 3000, 1000, 0, 3000, 3000, 0, 0]


def run_long_short_mix(cfg, name, divisor):
    """A fresh Pool(4) per run, warmed up with one trivial apply (Pool()
    returns before its workers run), timed from the first apply_async until
    join() returns. --quick divides the sleeps by 10."""
    ctx = multiprocessing.get_context(START_METHOD)
    sleeps = [ms // divisor for ms in MIX_SLEEPS_MS]

    def run():
        pool = ctx.Pool(4)
        check(pool.apply(twice, (21,)) == 42, name, "warm-up call")
        start = time.perf_counter()
        rs = [pool.apply_async(sleep_ms, (ms,)) for ms in sleeps]
        pool.close()
        pool.join()
        secs = time.perf_counter() - start
        check([r.get() for r in rs] == sleeps, name, "sleep results")
        return secs

    emit(name, 4, len(sleeps), median_of_runs(cfg, name, run))


def run_startup(cfg, name, n):
    """Pool(n) construction plus one trivial apply: Pool() returns before
    its workers run, the apply makes sure at least one serves calls (as
    actorpool's constructor waits for all). close/join are not timed."""
    ctx = multiprocessing.get_context(START_METHOD)

    def run():
        start = time.perf_counter()
        pool = ctx.Pool(n)
        ok = pool.apply(twice, (21,)) == 42
        secs = time.perf_counter() - start
        pool.close()
        pool.join()
        check(ok, name, "first call")
        return secs

    secs = median_of_runs(cfg, name, run)
    emit(name, n, n, secs, secs * 1e6)


_lock = None


def _set_lock(lock):
    """Pool initializer: a Lock reaches a worker only by inheritance."""
    global _lock
    _lock = lock


def lock_loop(n):
    """n uncontended acquire + release pairs of the inherited Lock, timed
    in the worker."""
    start = time.perf_counter()
    for _ in range(n):
        _lock.acquire()
        _lock.release()
    return time.perf_counter() - start


def run_lock_roundtrip(cfg, name, n):
    """As actorpool's lock_roundtrip: one worker loops, its time counts."""
    ctx = multiprocessing.get_context(START_METHOD)
    lock = ctx.Lock()
    with ctx.Pool(1, initializer=_set_lock, initargs=(lock,)) as pool:
        check(pool.apply(lock_loop, (1,)) >= 0, name, "warm-up call")
        secs = median_of_runs(cfg, name, lambda: pool.apply(lock_loop, (n,)))
        pool.close()
        pool.join()
    check(lock.acquire(False), name, "the lock is free afterwards")
    emit(name, 1, n, secs, secs * 1e6 / n)


def queue_producer(q, ready, n):
    ready.wait()
    for i in range(n):
        q.put(i)


def queue_consumer(q, ready, done, n):
    ready.wait()
    done.put(sum(q.get() for _ in range(n)))


def run_queue_put_get(cfg, name, n):
    """As actorpool's queue_put_get: a producer and a consumer process share
    a Queue; timed from all being ready until the consumer has every item.
    Starting and joining the processes is not timed."""
    ctx = multiprocessing.get_context(START_METHOD)

    def run():
        q, done, ready = ctx.Queue(), ctx.Queue(), ctx.Barrier(3)
        ps = [ctx.Process(target=queue_producer, args=(q, ready, n)),
              ctx.Process(target=queue_consumer, args=(q, ready, done, n))]
        for p in ps:
            p.start()
        ready.wait()
        start = time.perf_counter()
        total = done.get()
        secs = time.perf_counter() - start
        for p in ps:
            p.join()
        check(total == n * (n - 1) // 2, name, "sum of the items got")
        return secs

    emit(name, 2, n, median_of_runs(cfg, name, run))


def sleep_then_check(p, target):
    """The task of early_termination: sleep 1 ms, then say whether p is the
    target."""
    time.sleep(0.001)
    return p == target


def search_once(cfg, name, inputs, target):
    """The seeds' pattern: an apply_async per input, get() in input order,
    terminate() at the first True. Returns the time to the match and the
    time terminate() and join() took; the pool start is not timed."""
    ctx = multiprocessing.get_context(START_METHOD)
    pool = ctx.Pool(cfg.workers)
    check(not pool.apply(sleep_then_check, (-1, target)), name, "warm-up")
    start = time.perf_counter()
    results = [pool.apply_async(sleep_then_check, (p, target))
               for p in range(inputs)]
    match = next(i for i, r in enumerate(results) if r.get())
    found = time.perf_counter() - start
    stop_start = time.perf_counter()
    pool.terminate()
    pool.join()
    stop = time.perf_counter() - stop_start
    check(match == target, name, "the match")
    return found, stop


def run_early_termination(cfg, name, n):
    inputs, target = n
    secs = median_of_runs(
        cfg, name, lambda: search_once(cfg, name, inputs, target)[0])
    emit(name, cfg.workers, target + 1, secs)


def run_stop_latency(cfg, name, n):
    inputs, target = n[0] // 10, n[1] // 10
    stops = []

    def run():
        found, stop = search_once(cfg, name, inputs, target)
        stops.append(stop)
        return found

    secs = median_of_runs(cfg, name, run)
    emit(name, cfg.workers, target + 1, secs,
         statistics.median(stops) * 1e6)


_doomed_pools = []


def replace_times(cfg, name):
    """The replacement times of --repeat kills of an idle worker. The pool is
    kept referenced: collecting it would call terminate(), which deadlocks."""
    ctx = multiprocessing.get_context(START_METHOD)
    pool = ctx.Pool(cfg.workers)
    _doomed_pools.append(pool)
    check(pool.apply(twice, (21,)) == 42, name, "warm-up call")

    def run():
        victim = pool._pool[0]
        start = time.perf_counter()
        os.kill(victim.pid, signal.SIGKILL)
        while True:
            procs = list(pool._pool)
            if victim not in procs and len(procs) == cfg.workers \
                    and all(p.is_alive() for p in procs):
                return time.perf_counter() - start
            check(time.perf_counter() - start < 10, name,
                  "a replacement within 10 s")
            time.sleep(0.0005)

    return median_of_runs(cfg, name, run)


def run_worker_replace(cfg, name, n):
    """An idle worker is SIGKILLed; timed until the pool has started a new
    process in its place (Pool's maintenance thread checks every 0.1 s).
    Uses Pool's private _pool list: there is no public way to see it. An
    idle worker waits holding the task queue's lock, so one killed that way
    deadlocks the pool, terminate() included (the CPython bug libactorpool
    is about): the measurement runs in a child process that leaves without
    shutting the pool down: its process group, workers included, is killed
    once it has sent its figure."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        os.setpgid(0, 0)
        os.close(reader)
        os.write(writer, (repr(replace_times(cfg, name)) + "\n").encode())
        while True:
            time.sleep(1)  # until killed
    os.close(writer)
    with os.fdopen(reader) as f:
        line = f.readline()
    os.killpg(child, signal.SIGKILL)
    os.waitpid(child, 0)
    check(line != "", name, "a figure from the measuring process")
    secs = float(line)
    emit(name, cfg.workers, 1, secs, secs * 1e6)


# (name, function, size at full scale, size with --quick), in running order;
# startup sizes are worker counts, long_short_mix's divides its sleeps.
WORKLOADS = [
    ("apply_latency", run_apply_latency, 2_000, 200),
    ("apply_async_50k", run_apply_async, 50_000, 2_000),
    ("imap_unordered_200k", run_imap_unordered, 200_000, 5_000),
    ("map_200k", run_map, 200_000, 5_000),
    ("payload_1mib", run_payload, 200, 10),
    ("long_short_mix", run_long_short_mix, 1, 10),
    ("startup_2", run_startup, 2, 2),
    ("startup_8", run_startup, 8, 8),
    ("lock_roundtrip", run_lock_roundtrip, 2_000, 200),
    ("queue_put_get", run_queue_put_get, 10_000, 400),
    ("early_termination", run_early_termination, (50_000, 10_000),
     (2_000, 300)),
    ("stop_latency", run_stop_latency, (50_000, 10_000), (2_000, 300)),
    ("worker_replace", run_worker_replace, 1, 1),
    ("thread_apply_async_50k", on_threads(run_apply_async), 50_000, 2_000),
    ("thread_imap_unordered_200k", on_threads(run_imap_unordered), 200_000,
     5_000),
    ("thread_map_200k", on_threads(run_map), 200_000, 5_000),
]


def parse_args():
    names = [w[0] for w in WORKLOADS]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs per workload (default 5, 1 with --quick)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=names)
    parser.add_argument("--verbose", action="store_true",
                        help="print every run's time to stderr")
    cfg = parser.parse_args()
    if cfg.repeat is None:
        cfg.repeat = 1 if cfg.quick else 5
    if cfg.workers < 1 or cfg.repeat < 1:
        parser.error("--workers and --repeat must be positive")
    return cfg


def main():
    cfg = parse_args()
    print(f"# python-mp: Python {platform.python_version()}, "
          f"start method {START_METHOD}", flush=True)
    for name, run, full, quick in WORKLOADS:
        if cfg.only is None or cfg.only == name:
            run(cfg, name, quick if cfg.quick else full)
    return 0


if __name__ == "__main__":
    sys.exit(main())
