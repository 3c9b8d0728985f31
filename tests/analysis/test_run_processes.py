"""Running many solves across processes, as a user meets it: Ctrl-C sent to
a script mid-sweep, a script without a main guard, and a Monte Carlo on a
Dask cluster started from the command line that loses a worker mid-run.

The scripts run in subprocesses (a signal sent to the pytest process would
end the session); every process started here is ended in a ``finally``.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections import Counter

import pandas as pd
import pytest

from siting import analysis
from siting.analysis.run import batches

psutil = pytest.importorskip("psutil")  # installed with distributed, of the test extra

CTRL_C_SCRIPT = '''
import json, os, sys, time
from concurrent.futures import ProcessPoolExecutor

import psutil

import siting
from siting import analysis


def extra(model):
    """Called in the worker as each run starts: the test's view of progress (one write, not interleaved)."""
    os.write(1, f"run {{os.getpid()}}\\n".encode())


def descendants():
    me = os.getpid()
    return [[p.pid, p.ppid(), " ".join(p.cmdline())] for p in psutil.Process(me).children(recursive=True)]


if __name__ == "__main__":
    scn = siting.Scenario.preset("east-data-west-computing", resolution="days", representative_days=2)
    changes = {{"carbon_price_cny_per_t": [10.0 * i for i in range(40)]}}
    pool = ProcessPoolExecutor(2) if {given!r} else None
    try:
        analysis.sweep(scn, changes, executor=pool, progress=False, extra=extra)
    except analysis.Interrupted as stop:
        at = time.time()
        report = {{"at": at, "finished": stop.finished, "total": stop.total, "rows": len(stop.table),
                   "status": sorted(set(stop.table["status"])), "index": [int(i) for i in stop.table.index],
                   "descendants": descendants()}}
        if pool is not None:  # a given pool is left running: it still takes work
            report["pool_works"] = pool.submit(abs, -1).result(timeout=60) == 1
            pool.shutdown(cancel_futures=True)
        print("interrupted", json.dumps(report), flush=True)
        sys.exit(130)
    print("returned", flush=True)
'''


def _lines(process: subprocess.Popen) -> queue.Queue:
    """The process's stdout, line by line, readable with a timeout."""
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _next_line(lines: queue.Queue, deadline: float, process: subprocess.Popen) -> str:
    try:
        line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        pytest.fail("no output from the script in time")
    if line is None:
        pytest.fail(f"the script ended early: {process.stderr.read()[-3000:]}")
    return line


def _alive(pids: set[int], within_s: float) -> list[str]:
    """Those of ``pids`` still running after ``within_s`` (zombies count as gone), with their command lines."""
    deadline = time.monotonic() + within_s
    while True:
        alive = []
        for pid in pids:
            try:
                process = psutil.Process(pid)
                if process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{pid}: {' '.join(process.cmdline())}")
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _end(processes: list[subprocess.Popen]) -> None:
    """Terminate started processes and whatever they started; SIGKILL what does not go."""
    tree = []
    for process in processes:
        try:
            tree += psutil.Process(process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            pass
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    for child in tree:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


@pytest.mark.parametrize(
    "executor, target, runs_seen",
    [
        # the default pool takes one run per task: a worker starting its
        # second run has sent back its first
        ("default", "process", 2),
        # a terminal's Ctrl-C reaches every process of the foreground group
        ("default", "group", 2),
        # a given executor takes batches (five runs each here): a worker on
        # its sixth run has sent back a batch
        ("given", "process", 6),
    ],
)
def test_ctrl_c_stops_a_process_pool_sweep_within_2_s(tmp_path, executor, target, runs_seen):
    script = tmp_path / "sweep.py"
    script.write_text(CTRL_C_SCRIPT.format(given=executor == "given"))
    process = subprocess.Popen(
        [sys.executable, str(script)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group, so that a group signal spares pytest
    )
    try:
        lines = _lines(process)
        deadline = time.monotonic() + 120
        started: Counter[str] = Counter()
        while max(started.values(), default=0) < runs_seen:
            line = _next_line(lines, deadline, process)
            assert line.startswith("run "), line
            started[line.split()[1]] += 1
        tree = {p.pid for p in psutil.Process(process.pid).children(recursive=True)}
        workers = {int(pid) for pid in started}
        assert workers <= tree
        sent = time.time()
        if target == "group":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        line = _next_line(lines, time.monotonic() + 60, process)
        while line.startswith("run "):  # runs that started before the signal
            line = _next_line(lines, time.monotonic() + 60, process)
        assert line.startswith("interrupted "), line
        report = json.loads(line.removeprefix("interrupted "))
        returned_s = report["at"] - sent
        process.wait(30)
        exited_s = time.time() - sent
        stderr = process.stderr.read()
    finally:
        _end([process])
    print(f"{executor} pool, SIGINT to the {target}: returned {returned_s:.3f} s, exited {exited_s:.3f} s after it")
    assert returned_s < 2.0
    assert process.returncode == 130
    assert report["total"] == 40 and report["finished"] == report["rows"] >= (1 if executor == "default" else 5)
    assert report["finished"] < 40 and report["status"] == ["optimal"]
    assert report["index"] == sorted(report["index"])
    assert "Traceback" not in stderr, stderr[-3000:]
    if executor == "default":
        # only multiprocessing's own helpers (the fork server, the resource
        # tracker) outlive the call, as after any pool; none of the workers
        remaining = report["descendants"]
        assert all(ppid == process.pid for _, ppid, _ in remaining), remaining
        assert all("forkserver" in cmd or "resource_tracker" in cmd for _, _, cmd in remaining), remaining
        assert not workers & {pid for pid, _, _ in remaining}
    else:
        assert report["pool_works"]
    # multiprocessing's helpers end when they see the script gone
    assert not _alive(tree | workers, within_s=5.0), "processes of the script outlived it"


NO_GUARD_SCRIPT = '''
import siting
from siting import analysis

print("top level", flush=True)
scn = siting.Scenario.preset("east-data-west-computing", resolution="average")
changes = {"carbon_price_cny_per_t": [0.0, 100.0, 200.0]}
table = analysis.sweep(scn, changes, progress=False)
print("status", ",".join(table["status"]))
print("same as serial", table.equals(analysis.sweep(scn, changes, executor="serial", progress=False)))
'''


def test_a_script_without_main_guard_solves_in_process_and_says_why(tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text(NO_GUARD_SCRIPT)
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          check=False)
    shown = f"stdout:\n{done.stdout[-2000:]}\nstderr:\n{done.stderr[-3000:]}"
    assert done.returncode == 0, shown
    assert "Traceback" not in done.stderr, shown
    assert "RuntimeWarning" in done.stderr and "solving the 3 runs in this process" in done.stderr, shown
    assert 'if __name__ == "__main__":' in done.stderr and str(script) in done.stderr, shown
    # the workers stopped at the study: only the script itself went past it
    assert "status optimal,optimal,optimal" in done.stdout.splitlines(), shown
    assert "same as serial True" in done.stdout.splitlines(), shown


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cli_cluster(tmp_path):
    """A scheduler and two one-thread workers, each started as a user would, on 127.0.0.1.

    Yields the scheduler address and the ``dask worker`` processes.
    """
    pytest.importorskip("distributed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "dask"]  # the `dask` command of this interpreter's environment
    processes = []
    with open(tmp_path / "cluster.log", "w") as log:
        try:
            processes.append(subprocess.Popen(
                [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
            ))
            for i in range(2):
                processes.append(subprocess.Popen(
                    [*dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                     "--no-dashboard", "--name", f"worker-{i}", "--local-directory", str(tmp_path / f"worker-{i}")],
                    stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
                ))
            yield address, processes[1:]
        finally:
            _end(processes[1:])  # workers first: a worker whose scheduler is gone waits to reconnect
            _end(processes[:1])


DRAWS = {"demand_scale": ("normal", 1.0, 0.6), "capex_scale": ("uniform", 0.8, 1.2)}


@pytest.mark.slow
def test_monte_carlo_on_a_cli_cluster_survives_a_killed_worker(scn, dask_cli_cluster):
    distributed = pytest.importorskip("distributed")
    address, workers = dask_cli_cluster
    with pytest.warns(RuntimeWarning, match="runs failed"):  # a normal around 1 draws negative demand scales
        serial = analysis.monte_carlo(scn, DRAWS, n=40, seed=5, executor="serial", progress=False)
    with distributed.Client(address, timeout=60) as client:
        client.wait_for_workers(2, timeout=120)
        pids = client.run(os.getpid)  # worker address -> pid of its process (a child of `dask worker`)
        outcome: queue.Queue = queue.Queue()

        def study() -> None:
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    mc = analysis.monte_carlo(scn, DRAWS, n=40, seed=5, executor=client.get_executor(),
                                              progress=False)
                outcome.put((mc, caught))
            except BaseException as exc:  # noqa: BLE001 - reported to the test thread
                outcome.put(exc)

        runner = threading.Thread(target=study, daemon=True)
        runner.start()
        killed = _kill_a_busy_worker_after_the_first_result(client, pids, workers, runner)
        try:
            got = outcome.get(timeout=300)
        except queue.Empty:
            pytest.fail("the Monte Carlo did not finish after a worker was killed")
        if isinstance(got, BaseException):
            raise got
        mc, caught = got
        assert killed["busy"], "the killed worker had no task running"
        assert len(client.scheduler_info()["workers"]) == 1
    assert 1 <= killed["finished"] < len(batches(40, os.cpu_count() or 1))  # killed mid-run
    pd.testing.assert_frame_equal(mc.runs, serial.runs, check_exact=True)
    pd.testing.assert_frame_equal(mc.capacity_mw, serial.capacity_mw, check_exact=True)
    # a run that raises is a row with its parameters, not lost
    bad = mc.runs["demand_scale"] < 0
    assert bad.any() and (mc.runs.loc[bad, "status"] == "error").all()
    assert mc.runs.loc[bad, "error"].str.contains("demand_scale").all()
    assert (mc.runs.loc[~bad, "status"] == "optimal").all()
    reported = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert len(reported) == 1 and reported[0].startswith(f"{bad.sum()} of 40 runs failed"), reported


def _kill_a_busy_worker_after_the_first_result(client, pids: dict, workers: list, runner: threading.Thread) -> dict:
    """SIGKILL one ``dask worker`` (its process and its nanny) with a task running, once a batch is done."""
    def finished(dask_scheduler) -> int:
        """Batches that have come back so far (how often a task entered "memory")."""
        prefix = dask_scheduler.task_prefixes.get("solve_batch")
        return prefix.state_counts["memory"] if prefix is not None else 0

    deadline = time.monotonic() + 120
    while runner.is_alive() and time.monotonic() < deadline:
        done = client.run_on_scheduler(finished)
        busy = [w for w, keys in client.processing().items() if keys and w in pids]
        if done and busy:
            victim = busy[0]
            nanny = next(p for p in workers if psutil.Process(pids[victim]).ppid() == p.pid)
            os.kill(nanny.pid, signal.SIGKILL)  # first, so that it does not start a new worker
            os.kill(pids[victim], signal.SIGKILL)
            return {"busy": True, "finished": done}
        time.sleep(0.02)
    pytest.fail("no batch finished on the cluster in time")
