"""The training board: one run at a time per server, others queued, stopped or orphaned runs free the slot."""

from __future__ import annotations

import sys
import threading
import time
import types

import pytest

from cnn import jobs
from cnn.config import TrainConfig

TINY = TrainConfig.fast(epochs=2, train_limit=320, val_limit=100)
LONG = TrainConfig.fast(epochs=50, patience=20, train_limit=640, val_limit=100)


def wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


class Watching:
    """Touch a job's heartbeat from a thread, as the app's page does while it is open."""

    def __init__(self, job):
        self.job, self.done = job, threading.Event()
        self.thread = threading.Thread(target=self._beat)

    def _beat(self):
        while not self.done.is_set():
            self.job.touch()
            time.sleep(0.1)

    def __enter__(self):
        self.thread.start()
        return self.job

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()


def test_two_students_pressing_train_get_one_run_and_one_queued(dataset):
    board = jobs.TrainingBoard(max_running=1)
    first = board.submit(LONG, dataset.source, owner="student-a")
    wait_for(lambda: first.view().state == jobs.RUNNING)
    second = board.submit(TINY, dataset.source, owner="student-b")
    time.sleep(0.5)
    assert second.view().state == jobs.QUEUED and second.view().queue_position == 1
    running = [view for view in board.active() if view.state == jobs.RUNNING]
    assert [view.id for view in running] == [first.id]
    first.stop()
    first.join(60)
    assert first.view().state == jobs.STOPPED and first.view().result is not None
    second.join(120)
    assert second.view().state == jobs.FINISHED
    assert second.view().result.epochs_run == 2


class SlotTaken:
    """Hold the board's only slot, so submitted runs stay queued and start no process."""

    def __init__(self, board):
        self.board = board

    def __enter__(self):
        self.board.slot.acquire()

    def __exit__(self, *exc):
        self.board.slot.release()


def slot_is_free(board) -> bool:
    if board.slot.acquire(blocking=False):
        board.slot.release()
        return True
    return False


def test_a_student_cannot_start_a_second_run_while_one_is_going(dataset):
    board = jobs.TrainingBoard()
    with SlotTaken(board):
        job = board.submit(LONG, dataset.source, owner="student-a")
        with pytest.raises(jobs.BoardBusy):
            board.submit(TINY, dataset.source, owner="student-a")
        job.stop()
        job.join(10)
        again = board.submit(TINY, dataset.source, owner="student-a")
        again.stop()
    again.join(10)
    assert job.view().state == again.view().state == jobs.STOPPED


def test_stopping_a_queued_run_means_it_never_starts(dataset):
    board = jobs.TrainingBoard(max_running=1)
    with SlotTaken(board):
        queued = board.submit(TINY, dataset.source, owner="b")
        assert queued.view().queue_position == 1
        queued.stop()
    queued.join(10)
    view = queued.view()
    assert view.state == jobs.STOPPED and view.result is None and view.started is None


def test_a_run_nobody_watches_any_more_stops_and_frees_the_slot(dataset):
    # A closed tab stops sending heartbeats; the run ends itself so the next one can start.
    board = jobs.TrainingBoard(max_running=1, orphan_after=0.5)
    orphan = board.submit(LONG, dataset.source, owner="closed-tab")
    orphan.join(120)
    assert orphan.view().state == jobs.STOPPED
    assert orphan.view().result.epochs_run < LONG.epochs
    assert slot_is_free(board)


def test_a_watched_run_is_not_stopped_as_an_orphan(dataset):
    board = jobs.TrainingBoard(orphan_after=0.5)
    config = TrainConfig.fast(epochs=3, train_limit=640, val_limit=100)
    with Watching(board.submit(config, dataset.source, owner="a")) as job:
        job.join(120)
    assert job.view().state == jobs.FINISHED
    assert job.view().result.model.count_params() == 333_526


def test_a_failing_run_is_reported_and_releases_the_slot(tmp_path):
    board = jobs.TrainingBoard(max_running=1)
    failed = board.submit(TINY, tmp_path / "no-data-here", owner="a")
    failed.join(120)
    assert failed.view().state == jobs.FAILED and "DatasetError" in failed.view().error
    assert slot_is_free(board)


def test_finished_runs_are_kept_but_bounded(dataset):
    board = jobs.TrainingBoard(keep_finished=2)
    ids = []
    with SlotTaken(board):
        for owner in "abcd":
            job = board.submit(TINY, dataset.source, owner=owner)
            job.stop()
            job.join(10)
            ids.append(job.id)
    assert board.get(ids[0]) is None
    assert board.get(ids[2]) is not None


def test_the_board_refuses_a_useless_limit():
    with pytest.raises(ValueError, match="at least 1"):
        jobs.TrainingBoard(max_running=0)


def test_a_run_started_from_a_script_does_not_run_that_script_again(dataset, tmp_path, monkeypatch):
    # Under Streamlit, `__main__` is the page script; a spawned child must not run the app again
    # (nor fail when, as in AppTest, the script is a temporary file that is already gone).
    marker = tmp_path / "the page ran in the child"
    page = tmp_path / "page.py"
    page.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit('the page script ran in the child')\n")
    script = types.ModuleType("__main__")
    script.__file__ = str(page)
    monkeypatch.setitem(sys.modules, "__main__", script)
    board = jobs.TrainingBoard(max_running=1)
    job = board.submit(TINY, dataset.source, owner="student")
    job.join(120)
    assert job.view().state == jobs.FINISHED, job.view().error
    assert not marker.exists()
    assert sys.modules["__main__"] is script  # Put back for the page once the child has started.


def test_the_teachers_run_goes_before_students_and_a_full_queue_refuses_students_only(dataset):
    board = jobs.TrainingBoard(max_running=1, max_queued=1)
    first = board.submit(LONG, dataset.source, owner="student-a")
    wait_for(lambda: first.view().state == jobs.RUNNING)
    student = board.submit(TINY, dataset.source, owner="student-b")
    with pytest.raises(jobs.QueueFull):
        board.submit(TINY, dataset.source, owner="student-c")
    teacher = board.submit(TINY, dataset.source, owner="teacher", priority=jobs.TEACHER_PRIORITY)
    assert teacher.view().queue_position == 1 and student.view().queue_position == 2
    assert board.is_next(teacher) and not board.is_next(student)
    student.stop()
    first.stop()
    wait_for(lambda: teacher.view().state != jobs.QUEUED)
    assert student.view().state == jobs.STOPPED and student.view().started is None
    teacher.stop()
    teacher.join(120)


def wait_until_ready(board) -> jobs.WarmProcess:
    wait_for(lambda: board.warm_process() is not None and board.warm_process().check(), timeout=180)
    return board.warm_process()


def test_a_process_made_ready_in_advance_takes_the_next_run(dataset):
    board = jobs.TrainingBoard(max_running=1)
    board.warm_up(dataset.source, TINY)
    warm = wait_until_ready(board)
    board.warm_up(dataset.source, TINY)  # The page opening again keeps the same process.
    assert board.warm_process() is warm
    wait_for(lambda: warm.check() and warm.prepared == TINY, timeout=120)  # The expected run's model is traced.
    job = board.submit(TINY, dataset.source, owner="teacher")
    job.join(120)
    view = job.view()
    assert view.state == jobs.FINISHED, view.error
    assert job.pid == warm.process.pid and view.result.epochs_run == 2
    assert board.warm_process() is None  # Used once: the next one is made when the page asks again.
    wait_for(lambda: not warm.alive(), timeout=30)
    assert slot_is_free(board)


def test_stop_reaches_a_run_in_a_ready_process_and_keeps_the_best(dataset):
    board = jobs.TrainingBoard(max_running=1)
    board.warm_up(dataset.source)
    wait_until_ready(board)
    with Watching(board.submit(LONG, dataset.source, owner="teacher")) as job:
        wait_for(lambda: job.view().progress is not None)
        job.stop()
        job.join(60)
    assert job.view().state == jobs.STOPPED and job.view().result is not None
    assert job.view().result.epochs_run < LONG.epochs


def test_a_ready_process_nobody_wants_is_given_back(dataset):
    board = jobs.TrainingBoard(warm_idle_seconds=0.5)
    board.warm_up(dataset.source)
    warm = board.warm_process()
    wait_for(lambda: board.warm_process() is None and not warm.alive(), timeout=60)


def test_no_process_gets_ready_while_a_run_trains(dataset):
    board = jobs.TrainingBoard(max_running=1)
    with Watching(board.submit(LONG, dataset.source, owner="a")) as job:
        wait_for(lambda: job.view().state == jobs.RUNNING)
        board.warm_up(dataset.source)
        assert board.warm_process() is None
        job.stop()
        job.join(60)


def test_a_ready_process_that_cannot_load_the_data_leaves_the_run_to_report_it(tmp_path):
    board = jobs.TrainingBoard(max_running=1)
    board.warm_up(tmp_path / "no-data-here")
    failed = board.submit(TINY, tmp_path / "no-data-here", owner="a")
    failed.join(180)
    assert failed.view().state == jobs.FAILED and "DatasetError" in failed.view().error
    assert slot_is_free(board)
