"""Training runs for a web app: each in its own low-priority process, a limited number at a time per server.

A web app cannot block while a model trains, and two runs fighting over two CPU cores
help nobody, so runs go through a `TrainingBoard`: it starts at most `max_running` at
once, queues the rest, and keeps finished runs (bounded) so a reloaded page can find
its model again by the run's id.

Each run trains in a child process at a lower CPU priority: students drawing and
predicting in the server process stay responsive, a crash or out-of-memory kill of a
run cannot take the server down, and the run's memory goes back to the system when it
ends. The child sends progress through a pipe and hands the best model back as a
`.keras` file. It stops by itself when the server goes away. Nothing here knows about
Streamlit.

Starting such a process costs a TensorFlow import and a dataset load, many seconds on a
laptop, so the board can keep one process made ready in advance (`TrainingBoard.warm_up`,
called when the Train page opens): the next run is handed to it and starts at once, and it
is given back when nobody has wanted it for `warm_idle_seconds`.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import types
import uuid
from pathlib import Path

from cnn.config import TrainConfig
from cnn.training_run import Progress, TrainResult

QUEUED, RUNNING, FINISHED, STOPPED, FAILED = "queued", "running", "finished", "stopped", "failed"
ACTIVE_STATES = (QUEUED, RUNNING)
# Lower runs first: the teacher's run starts before any student's queued earlier.
TEACHER_PRIORITY, STUDENT_PRIORITY = 0, 1
# How much lower the training process's CPU priority is than the server's (nice value).
TRAINING_NICENESS = 10
# Batch progress reaches the parent at most this often; epoch events always go through.
PROGRESS_INTERVAL = 0.2
# A process made ready for the next run goes away when nobody has opened the Train page for this long.
WARM_IDLE_SECONDS = 180.0
# The warm process trains this throwaway run once, so that TensorFlow's first-run costs are paid before Train.
WARM_UP = TrainConfig.fast(epochs=1, train_limit=64, val_limit=32)
# Datasets a warm process has loaded already, by folder (set only in that process).
_LOADED: dict = {}


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


_MAIN_SWAP = threading.Lock()


@contextlib.contextmanager
def _no_main_script():
    """Hide the running script from 'spawn' while a child starts, so the child does not run it again.

    'spawn' re-imports the parent's `__main__` in the child. Under Streamlit `__main__` is
    the page script (or, in AppTest, a temporary file that may be gone), so the child would
    run the whole app, or crash, before it trains. The child needs only `cnn`, so it gets
    an empty `__main__` instead.
    """
    with _MAIN_SWAP:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


def _child(train_config: TrainConfig, data_dir: str, model_path: str, connection, stop_event) -> None:
    """Train in the child process and report through `connection` (runs with the 'spawn' start method)."""
    # Where lowering the priority is not allowed, train at the same one, still in our own process.
    with contextlib.suppress(OSError):
        os.nice(max(0, TRAINING_NICENESS - os.nice(0)))  # A warm process is lowered already.
    parent = os.getppid()
    try:
        from cnn import data
        from cnn.model_files import save_model_atomically
        from cnn.train import train

        dataset = _LOADED.get(data_dir) or data.load_dataset(data_dir)
        last_sent = 0.0

        def report(progress: Progress) -> None:
            nonlocal last_sent
            if os.getppid() != parent:
                stop_event.set()  # The server is gone: stop, nobody is waiting for this model.
            now = time.monotonic()
            if progress.phase != "batch" or now - last_sent >= PROGRESS_INTERVAL:
                last_sent = now
                connection.send(("progress", progress))

        # A configuration that trains itself (a fine-tune: cnn.drawing.teach.TeachConfig.train) says how.
        train = getattr(type(train_config), "train", train)
        result = train(train_config, dataset, on_progress=report, stop_event=stop_event)
        save_model_atomically(result.model, model_path)
        connection.send(("done", (result.summary(), result.history)))
    except Exception as error:  # Whatever went wrong, the parent hears it in one line.
        connection.send(("failed", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def _warm_child(data_dir: str, connection, stop_event) -> None:
    """Get ready to train (TensorFlow imported, the dataset loaded, one tiny run done), then wait for a run.

    The parent sends ("prepare", config) for the run it expects next (its model is then built and
    its steps traced in advance, `cnn.train.prepare`), and ("train", config, model_path) for the
    run itself, which goes on as in `_child` on the same connection; anything else, or the parent
    going away, ends the process without training.
    """
    with contextlib.suppress(OSError):
        os.nice(TRAINING_NICENESS)  # Getting ready must not slow down the students drawing meanwhile.
    try:
        from cnn import data
        from cnn.train import bfloat16_speed_ratio, train

        _LOADED[data_dir] = data.load_dataset(data_dir)
        train(WARM_UP, _LOADED[data_dir])
        bfloat16_speed_ratio()  # The quick recipe's probe, answered before its run.
        connection.send(("ready", os.getpid()))
        print(f"cnn: a training process is ready (pid {os.getpid()})", file=sys.stderr, flush=True)
    except Exception as error:  # The parent then trains in a new process, which reports the same error.
        with contextlib.suppress(OSError):
            connection.send(("failed", f"{type(error).__name__}: {error}"))
        connection.close()
        return
    from cnn.train import prepare

    while True:
        try:
            message = connection.recv()
            while message[0] == "prepare" and connection.poll(0):
                message = connection.recv()  # Settings changed again meanwhile: only the latest matter.
        except (EOFError, OSError):  # The server is gone or gave this process back.
            return
        if message[0] == "prepare":
            expected = message[1]
            # A run with other settings (or a failed preparation) just builds its own model.
            with contextlib.suppress(Exception):
                prepare(expected, _LOADED[data_dir])
                connection.send(("prepared", expected))
                images = expected.train_limit or "all"
                print(f"cnn: the next run's model is built and traced ({images} images)", file=sys.stderr, flush=True)
            continue
        if message[0] != "train":
            connection.close()
            return
        _, train_config, model_path = message
        _child(train_config, data_dir, model_path, connection, stop_event)
        return


class WarmProcess:
    """A training process made ready in advance: the next run on its dataset folder starts at once."""

    def __init__(self, context, data_dir: str):
        self.data_dir = data_dir
        self.stop_event = context.Event()
        self.connection, child_end = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_warm_child, args=(data_dir, child_end, self.stop_event), name="cnn-train-warm", daemon=True
        )
        with _no_main_script():
            self.process.start()
        child_end.close()  # EOF on our end then means the process is gone.
        self.ready = False
        self.created = time.monotonic()
        self.expected: TrainConfig | None = None  # The run it was last asked to prepare,
        self.prepared: TrainConfig | None = None  # and the last one it has prepared.

    def expect(self, train_config: TrainConfig) -> None:
        """Have the process build and trace the model of `train_config` now, the run expected next."""
        if train_config == self.expected:
            return
        self.expected = train_config
        with contextlib.suppress(OSError):
            self.connection.send(("prepare", train_config))

    def check(self) -> bool:
        """Return whether the process is ready for a run (reading its messages: "ready", "prepared")."""
        if self.process.is_alive():
            with contextlib.suppress(EOFError, OSError):
                while self.connection.poll(0):
                    kind, payload = self.connection.recv()
                    self.ready = self.ready or kind == "ready"
                    if kind == "prepared":
                        self.prepared = payload
        return self.ready and self.process.is_alive()

    def alive(self) -> bool:
        return self.process.is_alive()

    def close(self) -> None:
        """Give the process back to the system."""
        with contextlib.suppress(OSError):
            self.connection.send(("quit",))
        self.connection.close()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


class TrainingJob:
    """One training run in a child process; `stop()` ends it and keeps the best epoch so far."""

    def __init__(
        self,
        board: TrainingBoard,
        train_config: TrainConfig,
        data_dir: str,
        owner: str,
        priority: int = STUDENT_PRIORITY,
    ):
        self.id = uuid.uuid4().hex[:12]
        self.owner = owner
        self.priority = priority
        self.config = train_config
        self._board = board
        self._data_dir = data_dir
        self._context = multiprocessing.get_context("spawn")  # Forking a process running TensorFlow is unsafe.
        self._stop = self._context.Event()
        self._lock = threading.Lock()
        self.state = QUEUED
        self.progress: Progress | None = None
        self.result: TrainResult | None = None
        self.error: str | None = None
        self.created = time.time()
        self.started: float | None = None
        self.finished: float | None = None
        self.last_seen = time.monotonic()
        self.pid: int | None = None  # the training process's, once it trains
        self._thread = threading.Thread(target=self._run, name=f"train-{self.id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the run to end after the current batch (or never to start, if queued)."""
        self._stop.set()

    def touch(self) -> None:
        """Record that someone is still watching; unwatched runs are stopped (see TrainingBoard.orphan_after)."""
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

    def _finish(self, state: str, result: TrainResult | None = None, error: str | None = None) -> None:
        with self._lock:
            self.state, self.result, self.error, self.finished = state, result, error, time.time()

    def _orphaned(self) -> bool:
        limit = self._board.orphan_after
        return limit is not None and time.monotonic() - self.last_seen > limit

    def _run(self) -> None:
        # Wait for this run's turn and a free slot, but leave the queue at once when stopped or forgotten.
        while not (self._board.is_next(self) and self._board.slot.acquire(timeout=0.25)):
            if not self._board.is_next(self):
                time.sleep(0.25)
            if self._orphaned():
                self._stop.set()
            if self._stop.is_set():
                self._finish(STOPPED)
                return
        try:
            if self._stop.is_set():
                self._finish(STOPPED)
                return
            with self._lock:
                self.state, self.started = RUNNING, time.time()
            with tempfile.TemporaryDirectory(prefix="cnn-run-") as folder:
                self._finish(*self._train_in_child(Path(folder) / "model.keras"))
        finally:
            self._board.slot.release()

    def _train_in_child(self, model_path: Path) -> tuple:
        from cnn import numpy_model

        warm = self._board.take_warm(self._data_dir)
        if warm is not None:  # Made ready in advance: TensorFlow and the data are loaded already.
            process, receiver, child_stop = warm.process, warm.connection, warm.stop_event
            self.pid = process.pid
            receiver.send(("train", self.config, str(model_path)))
        else:
            receiver, sender = self._context.Pipe(duplex=False)
            child_stop = self._stop
            process = self._context.Process(
                target=_child,
                args=(self.config, self._data_dir, str(model_path), sender, self._stop),
                name=f"cnn-train-{self.id}",
                daemon=True,
            )
            with _no_main_script():
                process.start()
            self.pid = process.pid
            sender.close()  # Only the child writes; EOF then means the child is gone.
        try:
            while True:
                if self._orphaned():
                    self._stop.set()  # Nobody has looked for a while: the tab was closed.
                if self._stop.is_set():
                    child_stop.set()  # A warm process has its own event, made before this run existed.
                if not receiver.poll(0.5):
                    if not process.is_alive() and not receiver.poll(0):
                        return FAILED, None, f"The training process ended unexpectedly (exit code {process.exitcode})."
                    continue
                kind, payload = receiver.recv()
                if kind == "progress":
                    with self._lock:
                        self.progress = payload
                elif kind == "failed":
                    return FAILED, None, payload
                elif kind == "done":
                    # The server predicts with NumPy, so it never has to import TensorFlow.
                    model_file = model_path.read_bytes()
                    try:
                        model = numpy_model.load_bytes(model_file, model_path.name)
                    except numpy_model.ModelError as error:
                        return FAILED, None, f"The trained model could not be read back: {error}"
                    summary, history = payload
                    result = TrainResult.from_summary(summary, history, model, model_file)
                    return (STOPPED if result.stopped_by_user else FINISHED), result, None
        except (EOFError, OSError) as error:
            return FAILED, None, f"The training process ended unexpectedly ({type(error).__name__})."
        finally:
            receiver.close()
            process.join(10)
            if process.is_alive():
                process.kill()


class BoardBusy(RuntimeError):
    """This session already has a run waiting or going; the UI should show it instead."""


class QueueFull(RuntimeError):
    """As many runs wait as the board takes; try again when one has started."""


class TrainingBoard:
    """The server's training runs: at most `max_running` at once, the rest queued, finished ones kept (bounded)."""

    def __init__(
        self,
        max_running: int = 1,
        keep_finished: int = 20,
        orphan_after: float | None = 90.0,
        max_queued: int | None = None,
        warm_idle_seconds: float = WARM_IDLE_SECONDS,
        prepare_next_run: bool = True,
    ):
        if max_running < 1:
            raise ValueError("max_running must be at least 1.")
        if max_queued is not None and max_queued < 1:
            raise ValueError("max_queued must be at least 1 (or None for no bound).")
        self.max_running = max_running
        self.max_queued = max_queued
        self.keep_finished = keep_finished
        self.orphan_after = orphan_after
        self.slot = threading.BoundedSemaphore(max_running)
        self._jobs: collections.OrderedDict[str, TrainingJob] = collections.OrderedDict()
        self._lock = threading.Lock()
        self.warm_idle_seconds = warm_idle_seconds
        self.prepare_next_run = prepare_next_run
        self._warm: WarmProcess | None = None
        self._warm_wanted = 0.0
        self._context = multiprocessing.get_context("spawn")

    def warm_up(self, data_dir: str | Path, expected: TrainConfig | None = None) -> None:
        """Have a process ready for the next run on `data_dir` (call it while someone may press Train).

        With `expected`, the settings the Train page shows, that run's model is built and traced in
        advance too (call again when they change). Nothing starts while a run trains: getting ready
        would take CPU from it. The process goes when nobody has called this for `warm_idle_seconds`.
        """
        data_dir = str(data_dir)
        if self.warm_idle_seconds <= 0:
            return  # Switched off: every run starts its own process.
        with self._lock:
            self._warm_wanted = time.monotonic()
            warm = self._warm
            if warm is None or not warm.alive() or warm.data_dir != data_dir:
                if any(job.state == RUNNING for job in self._jobs.values()):
                    return
                old, warm = warm, WarmProcess(self._context, data_dir)
                self._warm = warm
                if old is not None:
                    threading.Thread(target=old.close, name="train-warm-close", daemon=True).start()
                threading.Thread(target=self._give_back_when_idle, name="train-warm-idle", daemon=True).start()
            if self.prepare_next_run and type(expected) is TrainConfig:  # Not a fine-tune (cnn.drawing.teach).
                warm.expect(expected)

    def warm_process(self) -> WarmProcess | None:
        """Return the process made ready for the next run, if there is one."""
        with self._lock:
            return self._warm

    def take_warm(self, data_dir: str, timeout: float = 300.0) -> WarmProcess | None:
        """Take the ready process for a run on `data_dir`, waiting while it still gets ready; None if there is none."""
        with self._lock:
            warm, self._warm = self._warm, None
        if warm is None:
            return None
        deadline = time.monotonic() + timeout
        while warm.data_dir == data_dir and warm.alive() and not warm.check() and time.monotonic() < deadline:
            time.sleep(0.05)
        if warm.data_dir == data_dir and warm.check():
            return warm
        warm.close()
        return None

    def _give_back_when_idle(self) -> None:
        while True:
            time.sleep(min(2.0, max(0.05, self.warm_idle_seconds / 4)))
            with self._lock:
                warm = self._warm
                if warm is None:
                    return
                if warm.alive() and time.monotonic() - self._warm_wanted < self.warm_idle_seconds:
                    continue
                self._warm = None
            warm.close()
            return

    def submit(
        self, train_config: TrainConfig, data_dir: str | Path, owner: str, priority: int = STUDENT_PRIORITY
    ) -> TrainingJob:
        """Queue a run on the dataset in `data_dir` for `owner` (a session id); it starts when a slot is free.

        Runs wait in order of (priority, arrival): a teacher's run (TEACHER_PRIORITY) goes before
        students' runs that came earlier. A bounded board refuses students' runs with QueueFull
        when `max_queued` wait already; the teacher's run is never refused.
        """
        with self._lock:
            for job in self._jobs.values():
                if job.owner == owner and job.state in ACTIVE_STATES:
                    raise BoardBusy("You already have a training run; stop it before starting another.")
            waiting = sum(job.state == QUEUED for job in self._jobs.values())
            if priority != TEACHER_PRIORITY and self.max_queued is not None and waiting >= self.max_queued:
                raise QueueFull(f"{waiting} training runs are already waiting; try again when one has started.")
            job = TrainingJob(self, train_config, str(data_dir), owner, priority)
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

    def _waiting(self) -> list[TrainingJob]:
        """Return the queued runs in the order they will start."""
        waiting = [j for j in list(self._jobs.values()) if j.state == QUEUED]
        return sorted(waiting, key=lambda j: (j.priority, j.created))

    def queue_position(self, job: TrainingJob) -> int:
        """Return 1 for the next run to start, 2 for the one after, ... (0 if not queued)."""
        waiting = self._waiting()
        return waiting.index(job) + 1 if job in waiting else 0

    def is_next(self, job: TrainingJob) -> bool:
        """Return whether `job` is the first queued run, the one a free slot goes to."""
        waiting = self._waiting()
        return bool(waiting) and waiting[0] is job

    def _forget_old(self) -> None:
        done = [job_id for job_id, job in self._jobs.items() if job.state not in ACTIVE_STATES]
        for job_id in done[: max(0, len(done) - self.keep_finished)]:
            del self._jobs[job_id]
