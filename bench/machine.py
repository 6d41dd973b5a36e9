"""The machine a benchmark runs on: its CPU, how busy it is, and waiting until other processes leave it alone.

Imported by bench/training.py and bench/latency.py; not a command.
"""

from __future__ import annotations

import os
import subprocess
import time

# The other processes may take this much CPU (in cores) before a timed row waits for them.
QUIET_CORES = 0.15


def cpu_jiffies() -> tuple[int, int]:
    """Return (busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields[:8])
    return total - idle, total


def busy_cores(seconds: float = 3.0) -> float:
    """Return how many cores were busy, on average, over the next `seconds`."""
    busy0, total0 = cpu_jiffies()
    time.sleep(seconds)
    busy1, total1 = cpu_jiffies()
    return (os.cpu_count() or 1) * (busy1 - busy0) / max(1, total1 - total0)


def heavy_processes() -> list[str]:
    """Return the command lines of other training, test or app processes on this machine."""
    found = subprocess.run(
        ["pgrep", "-af", "cnn.train|cnn.drawing.train|pytest|streamlit|bench"], capture_output=True, text=True
    ).stdout.splitlines()
    mine = {str(os.getpid()), str(os.getppid())}
    return [line for line in found if line.split()[0] not in mine and "pgrep" not in line]


def wait_for_quiet(max_wait: float, log=print) -> float:
    """Wait (up to `max_wait` seconds) until other processes use less than QUIET_CORES; return the last load."""
    deadline = time.monotonic() + max_wait
    while True:
        load = busy_cores()
        if load < QUIET_CORES or time.monotonic() > deadline:
            return load
        others = "; ".join(heavy_processes()) or "no named process"
        log(f"  waiting for a quiet machine: {load:.2f} cores busy ({others}) [{os.getloadavg()[0]:.2f} load avg]")
        time.sleep(20)


def cpu_model() -> str:
    """Return the CPU's model name as lscpu reports it."""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def cpu_flags() -> set[str]:
    """Return the CPU's feature flags."""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def header() -> dict:
    """Describe the machine and software the figures come from."""
    import platform

    flags = cpu_flags()
    return {
        "date": time.strftime("%Y-%m-%d"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "bf16": "avx512_bf16" in flags,
        "amx": any(flag.startswith("amx") for flag in flags),
        "python": platform.python_version(),
    }
