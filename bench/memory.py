"""The memory of a running app, read from /proc: one process, its children, and the peak while something runs."""

from __future__ import annotations

import contextlib
import os
import threading


def descendants(pid: int) -> list[int]:
    """Return `pid` and every process below it."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with contextlib.suppress(OSError), open(f"/proc/{current}/task/{task}/children") as handle:
                    queue += [int(child) for child in handle.read().split()]
    return found


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Return one process's resident memory (or another /proc/PID/status field) in MB; 0 if it is gone.

    VmRSS counts the pages of TensorFlow's shared libraries that the process touched; they are
    file-backed, shared with other processes and can be dropped by the kernel. RssAnon is the
    memory only this process holds.
    """
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def pss_mb(pid: int) -> float:
    """Return one process's proportional set size in MB: its private pages plus its share of shared ones.

    Summed over a server and its training child, PSS counts TensorFlow's libraries once,
    where a sum of VmRSS counts them in both processes.
    """
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return 0.0


def tree_rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Return the resident memory of `pid` and its children together, in MB."""
    return sum(rss_mb(process, field) for process in descendants(pid))


def tree_pss_mb(pid: int) -> float:
    """Return the proportional set size of `pid` and its children together, in MB."""
    return sum(pss_mb(process) for process in descendants(pid))


class Peak:
    """Samples the resident memory of a process and its children while the block runs; keeps the highest."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval = pid, interval
        self.megabytes = 0.0  # the process and its children, VmRSS
        self.server_megabytes = 0.0  # the process alone, VmRSS
        self.private_megabytes = 0.0  # the process and its children, RssAnon
        self.proportional_megabytes = 0.0  # the process and its children, PSS
        self._done = threading.Event()

    def _sample(self) -> None:
        while not self._done.wait(self.interval):
            self.megabytes = max(self.megabytes, tree_rss_mb(self.pid))
            self.server_megabytes = max(self.server_megabytes, rss_mb(self.pid))
            self.private_megabytes = max(self.private_megabytes, tree_rss_mb(self.pid, "RssAnon"))
            self.proportional_megabytes = max(self.proportional_megabytes, tree_pss_mb(self.pid))

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
