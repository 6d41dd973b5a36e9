"""Training runs in background threads, a limited number at a time per server, for any UI to follow.

A web app cannot block while a model trains, and two runs fighting over two CPU cores
help nobody, so runs go through a `TrainingBoard`: it starts at most `max_running` at
once, queues the rest, and keeps finished runs (bounded) so a reloaded page can find
its model again by the run's id. Nothing here knows about Streamlit.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
import time
import traceback
import uuid

from cnn.config import TrainConfig
from cnn.train import Progress, TrainResult, train

QUEUED, RUNNING, FINISHED, STOPPED, FAILED = "queued", "running", "finished", "stopped", "failed"
ACTIVE_STATES = (QUEUED, RUNNING)


@dataclasses.dataclass(frozen=True)
class JobView:
    """A consistent copy of a job's state for drawing one frame of a UI."""

    id: str
    state: str
    config: TrainConfig
    progress: Progress | None
    result: TrainResult | None
    error: str | None
    created: float
    started: float | None
    finished: float | None
    queue_position: int  # 0 when not waiting

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES


class TrainingJob:
    """One training run in its own thread; `stop()` ends it and keeps the best epoch so far."""

    def __init__(
        self, board: TrainingBoard, train_config: TrainConfig, dataset, owner: str, orphan_after: float | None
    ):
        self.id = uuid.uuid4().hex[:12]
        self.owner = owner
        self.config = train_config
        self._board = board
        self._dataset = dataset
        self._orphan_after = orphan_after
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.state = QUEUED
        self.progress: Progress | None = None
        self.result: TrainResult | None = None
        self.error: str | None = None
        self.created = time.time()
        self.started: float | None = None
        self.finished: float | None = None
        self.last_seen = time.monotonic()
        self._thread = threading.Thread(target=self._run, name=f"train-{self.id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the run to end after the current batch (or never to start, if queued)."""
        self._stop.set()

    def touch(self) -> None:
        """Record that someone is still watching; unwatched runs are stopped (see orphan_after)."""
        self.last_seen = time.monotonic()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def view(self) -> JobView:
        """Return a consistent snapshot of the job."""
        with self._lock:
            return JobView(
                id=self.id,
                state=self.state,
                config=self.config,
                progress=self.progress,
                result=self.result,
                error=self.error,
                created=self.created,
                started=self.started,
                finished=self.finished,
                queue_position=self._board.queue_position(self) if self.state == QUEUED else 0,
            )

    def _on_progress(self, progress: Progress) -> None:
        with self._lock:
            self.progress = progress
        if self._orphan_after is not None and time.monotonic() - self.last_seen > self._orphan_after:
            # Nobody has looked for a while: the tab was closed. Free the CPU for others.
            self._stop.set()

    def _run(self) -> None:
        with self._board.slot:
            if self._stop.is_set():
                with self._lock:
                    self.state, self.finished = STOPPED, time.time()
                return
            with self._lock:
                self.state, self.started = RUNNING, time.time()
            try:
                result = train(self.config, self._dataset, on_progress=self._on_progress, stop_event=self._stop)
            except Exception as error:  # A failed run must be reported, never take the server down.
                traceback.print_exc()
                with self._lock:
                    self.state, self.error, self.finished = FAILED, f"{type(error).__name__}: {error}", time.time()
                return
            finally:
                self._dataset = None
            with self._lock:
                self.result = result
                self.state = STOPPED if result.stopped_by_user else FINISHED
                self.finished = time.time()


class BoardBusy(RuntimeError):
    """This session already has a run waiting or going; the UI should show it instead."""


class TrainingBoard:
    """The server's training runs: at most `max_running` at once, the rest queued, finished ones kept (bounded)."""

    def __init__(self, max_running: int = 1, keep_finished: int = 20, orphan_after: float | None = 90.0):
        if max_running < 1:
            raise ValueError("max_running must be at least 1.")
        self.max_running = max_running
        self.keep_finished = keep_finished
        self.orphan_after = orphan_after
        self.slot = threading.BoundedSemaphore(max_running)
        self._jobs: collections.OrderedDict[str, TrainingJob] = collections.OrderedDict()
        self._lock = threading.Lock()

    def submit(self, train_config: TrainConfig, dataset, owner: str) -> TrainingJob:
        """Queue a run for `owner` (a session id) and return it; it starts as soon as a slot is free."""
        with self._lock:
            for job in self._jobs.values():
                if job.owner == owner and job.state in ACTIVE_STATES:
                    raise BoardBusy("You already have a training run; stop it before starting another.")
            job = TrainingJob(self, train_config, dataset, owner, self.orphan_after)
            self._jobs[job.id] = job
            self._forget_old()
        job.start()
        return job

    def get(self, job_id: str | None) -> TrainingJob | None:
        """Return the job with this id, or None if it never existed or was forgotten."""
        with self._lock:
            return self._jobs.get(job_id) if job_id else None

    def active(self) -> list[JobView]:
        """Return the runs that are going or waiting, oldest first."""
        with self._lock:
            jobs = [job for job in self._jobs.values() if job.state in ACTIVE_STATES]
        return [job.view() for job in jobs]

    def queue_position(self, job: TrainingJob) -> int:
        """Return 1 for the next run to start, 2 for the one after, ... (0 if not queued)."""
        waiting = [j for j in list(self._jobs.values()) if j.state == QUEUED]
        return waiting.index(job) + 1 if job in waiting else 0

    def _forget_old(self) -> None:
        done = [job_id for job_id, job in self._jobs.items() if job.state not in ACTIVE_STATES]
        for job_id in done[: max(0, len(done) - self.keep_finished)]:
            del self._jobs[job_id]
