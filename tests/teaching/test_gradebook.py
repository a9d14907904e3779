"""Tests for symconv.teaching.gradebook: a grading run that loses nothing.

Runs are stopped the ways a teacher's runs stop — SIGTERM, Ctrl-C (SIGINT), a hard kill —
in a real ``python -m symconv grade`` process, part-way through; the report must then be
usable (every record present, the rest marked pending), and ``--resume`` must finish it to
the same report an uninterrupted run gives. The Dask path runs on a LocalCluster.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from symconv.cli import main
from symconv.errors import UnsupportedInputError
from symconv.teaching.gradebook import grade_files, read_report, write_report

RIGHT = "0 for t<0; 4(1-e^(-t/2)) for 0<=t<1; 4(e^(1/2)-1)e^(-t/2) for t>=1"
PROBLEM = 'f = "2 e^(-t/2) u(t)"\ng = "rect(t - 1/2)"\n'
ANSWERS = [RIGHT, "4(1-e^(-t/2)) u(t)", "rect(t)", "10^10^10", "4(1-e^(-t/2))(u(t)-u(t-1))"]


def _files(tmp_path, n):
    problem = tmp_path / "p.toml"
    problem.write_text(PROBLEM, encoding="utf-8")
    answers = tmp_path / "a.csv"
    with open(answers, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "answer"])
        for i in range(n):
            # every answer distinct (a repeated answer is checked once), the same value
            writer.writerow([f"s{i:03d}", f"({ANSWERS[i % len(ANSWERS)]}) * {i + 1}/{i + 1}"])
    return problem, answers


def _start(problem, answers, report, *extra, pipes=True):
    cmd = [sys.executable, "-m", "symconv", "grade", str(problem), str(answers), "-o",
           str(report), "--workers", "1", *extra]
    out = subprocess.PIPE if pipes else subprocess.DEVNULL
    return subprocess.Popen(cmd, stdout=out, stderr=out, text=True)


def _wait_for_rows(journal, n, proc, limit=120):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) > n:
            return
        assert proc.poll() is None, proc.returncode
        time.sleep(0.05)
    raise AssertionError("the run graded nothing in time")


#: Answers in the class a run is stopped in: enough that it cannot end before the signal.
N = 300


def _verdicts(rows):
    return [(r["line"], r["id"], r["verdict"], r["score"], r["message"]) for r in rows]


def test_an_answer_given_many_times_is_checked_once_and_reported_for_each(tmp_path):
    problem = tmp_path / "p.toml"
    problem.write_text(PROBLEM, encoding="utf-8")
    answers = tmp_path / "a.csv"
    answers.write_text("id,answer\n" + "".join(f"s{i},rect(t)\n" for i in range(30)) +
                       f"last,{RIGHT}\n", encoding="utf-8")
    summary = grade_files(problem, answers, tmp_path / "r.csv", workers=1)
    rows = read_report(tmp_path / "r.csv")
    assert [(r["line"], r["id"]) for r in rows] == [(i + 2, f"s{i}") for i in range(30)] + [
        (32, "last")]
    assert {(r["verdict"], r["message"]) for r in rows[:30]} == {
        (rows[0]["verdict"], rows[0]["message"])}
    assert rows[0]["verdict"] == "incorrect" and rows[30]["verdict"] == "correct"
    assert summary.exit_code == 0


@pytest.mark.parametrize(("sig", "code", "name"), [(signal.SIGTERM, 143, "SIGTERM"),
                                                   (signal.SIGINT, 130, "SIGINT")])
def test_a_stopped_run_leaves_a_usable_report_and_resumes_to_the_full_one(tmp_path, sig, code,
                                                                          name):
    problem, answers = _files(tmp_path, N)
    report = tmp_path / "report.csv"
    journal = tmp_path / "report.csv.partial"
    proc = _start(problem, answers, report)
    _wait_for_rows(journal, 4, proc)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert err.strip().startswith(f"stopped by {name}: {N} records:"), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    partial = read_report(report)
    assert [r["line"] for r in partial] == list(range(2, N + 2))  # every record is there
    graded = [r for r in partial if r["verdict"] != "pending"]
    assert 4 <= len(graded) < N
    assert journal.exists()
    # resume: only the pending rows are graded
    done = subprocess.run([sys.executable, "-m", "symconv", "grade", str(problem), str(answers),
                           "-o", str(report), "--resume"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{len(graded)} taken from the earlier run" in done.stderr
    resumed = read_report(report)
    assert not journal.exists()
    assert all(r["verdict"] != "pending" for r in resumed)
    assert _verdicts(graded) == _verdicts(resumed[:len(graded)])
    # the same report as one uninterrupted run
    fresh = tmp_path / "fresh.csv"
    assert main(["grade", str(problem), str(answers), "-o", str(fresh)]) == 0
    assert _verdicts(read_report(fresh)) == _verdicts(resumed)


def test_a_killed_run_resumes_from_its_journal_and_a_stale_report_never_survives(tmp_path):
    problem, answers = _files(tmp_path, 30)
    report = tmp_path / "report.csv"
    report.write_text("line,id,verdict,score,message,hints\n2,s000,correct,1.0,stale,\n")
    journal = tmp_path / "report.csv.partial"
    proc = _start(problem, answers, report, pipes=False)
    _wait_for_rows(journal, 3, proc)
    assert not report.exists()  # the stale report went at the start
    proc.kill()  # no chance to write anything (its worker ends when it finds the parent gone)
    proc.wait(timeout=60)
    entries = [json.loads(x) for x in journal.read_text(encoding="utf-8").splitlines()[1:]]
    assert len(entries) >= 3
    summary = grade_files(problem, answers, report, resume=True, workers=2)
    assert summary.resumed == len(entries) and summary.exit_code == 0
    rows = read_report(report)
    assert [r["line"] for r in rows] == list(range(2, 32))
    assert {r["verdict"] for r in rows} <= {"correct", "incorrect", "error"}


def test_resume_refuses_a_journal_of_another_problem(tmp_path, capsys):
    problem, answers = _files(tmp_path, 2)
    report = tmp_path / "r.csv"
    (tmp_path / "r.csv.partial").write_text(
        json.dumps({"journal": "symconv grade journal 1", "problem": "0" * 20}) + "\n")
    assert main(["grade", str(problem), str(answers), "-o", str(report), "--resume"]) == 2
    assert "was made for a different problem" in capsys.readouterr().err
    with pytest.raises(UnsupportedInputError, match="--resume needs the report file"):
        grade_files(problem, answers, None, resume=True)


def test_resume_from_a_report_without_journal_regrades_only_pending_rows(tmp_path):
    problem, answers = _files(tmp_path, 5)
    report = tmp_path / "r.csv"
    grade_files(problem, answers, report, workers=1)
    rows = read_report(report)
    rows[1]["verdict"], rows[1]["message"] = "pending", "not graded"
    rows[3]["message"] = "kept from before"  # a kept row is not regraded
    write_report(rows, report)
    summary = grade_files(problem, answers, report, resume=True, workers=1)
    assert summary.resumed == 4
    again = read_report(report)
    assert again[3]["message"] == "kept from before"
    assert again[1]["verdict"] == "incorrect"


def test_the_report_is_written_whole_or_not_at_all(tmp_path):
    path = tmp_path / "r.json"
    write_report([{"line": 2, "id": "a"}], path)
    before = path.read_text()
    with pytest.raises(TypeError):
        write_report([{"line": 2, "id": object()}], path)  # fails half-way through json.dump
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left


def test_rows_reach_the_journal_as_they_are_graded(tmp_path):
    problem, answers = _files(tmp_path, 6)
    report = tmp_path / "r.csv"
    seen = []
    real_write = os.fsync

    def spy(fd):  # the journal is synced at the end even when the run is short
        seen.append(fd)
        return real_write(fd)

    os.fsync = spy
    try:
        grade_files(problem, answers, report, workers=1)
    finally:
        os.fsync = real_write
    assert seen  # journal and report both synced
    assert not (tmp_path / "r.csv.partial").exists()


def test_a_progress_bar_shows_rate_and_time_left_when_asked(tmp_path, capsys):
    problem, answers = _files(tmp_path, 5)
    grade_files(problem, answers, tmp_path / "r.csv", workers=1, progress=True)
    err = capsys.readouterr().err
    assert "grading" in err and "5/5" in err and "answer/s" in err
    grade_files(problem, answers, tmp_path / "r.csv", workers=1)  # not a terminal: quiet
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------------------------------------
# Executors: any concurrent.futures executor, and Dask
# ---------------------------------------------------------------------------------------------
def test_grading_on_a_thread_pool_executor_gives_the_same_report(tmp_path):
    problem, answers = _files(tmp_path, 8)
    local = grade_files(problem, answers, tmp_path / "r1.csv", workers=2)
    with cf.ThreadPoolExecutor(2) as pool:
        remote = grade_files(problem, answers, tmp_path / "r2.csv", executor=pool)
    assert _verdicts(local.rows) == _verdicts(remote.rows)


@pytest.fixture(scope="module")
def dask_cluster():
    if os.environ.get("CI") != "true":
        pytest.importorskip("distributed")
    from distributed import LocalCluster

    # worker processes, as `dask worker` runs them (daemonic: multiprocessing may not start
    # children there, so each task forks its child itself)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        yield cluster


def test_grading_on_a_dask_cluster_gives_the_same_report_and_limits(tmp_path, dask_cluster,
                                                                    capsys):
    from distributed import Client

    problem, answers = _files(tmp_path, 10)
    with open(answers, "a", encoding="utf-8") as fh:
        fh.write("slow,(t+1)^1000 u(t)\n")  # seconds of work: the limit stops it
    local = grade_files(problem, answers, tmp_path / "r1.csv", workers=2, timeout=1)
    with Client(dask_cluster) as client:
        remote = grade_files(problem, answers, tmp_path / "r2.csv", executor=client, timeout=1)
    assert _verdicts(local.rows) == _verdicts(remote.rows)
    assert remote.rows[-1]["verdict"] == "timeout"
    # and from the command line, by the scheduler's address
    report = tmp_path / "r3.csv"
    assert main(["grade", str(tmp_path / "p.toml"), str(answers), "-o", str(report),
                 "--scheduler", dask_cluster.scheduler_address, "--timeout", "1"]) == 0
    assert _verdicts(read_report(report)) == _verdicts(read_report(tmp_path / "r1.csv"))
    assert "graded 11 records" in capsys.readouterr().err


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    if os.environ.get("CI") != "true":
        pytest.importorskip("distributed")
    problem, answers = _files(tmp_path, 1)
    assert main(["grade", str(problem), str(answers), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")


@pytest.mark.parametrize(("options", "fragment"), [
    ({"memory_mb": 1}, "memory_mb must be an integer >= 64"),
    ({"workers": 0}, "workers must be an integer >= 1"),
    ({"timeout": -1}, "timeout=-1 is not accepted"),
])
def test_bad_limits_are_refused_even_for_an_empty_class(tmp_path, options, fragment):
    problem, answers = _files(tmp_path, 0)
    with pytest.raises(UnsupportedInputError, match=fragment):
        grade_files(problem, answers, tmp_path / "r.csv", **options)
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize("name", ["a.csv", "p.toml", "sub", "", "missing/r.csv", "notes.csv",
                                  "r.txt"])
def test_a_report_path_that_would_destroy_something_is_refused(tmp_path, name):
    """The answers, the problem, a directory, a file that is not a report: left as they
    were, and nothing graded."""
    problem, answers = _files(tmp_path, 2)
    (tmp_path / "sub").mkdir()
    (tmp_path / "notes.csv").write_text("my notes\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    target = tmp_path / name if name else ""
    with pytest.raises(UnsupportedInputError):
        grade_files(problem, answers, target, workers=1)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_an_earlier_report_is_replaced_and_json_by_any_case(tmp_path):
    problem, answers = _files(tmp_path, 2)
    grade_files(problem, answers, tmp_path / "r.csv", workers=1)
    grade_files(problem, answers, tmp_path / "r.csv", workers=1)  # an earlier report: fine
    assert len(read_report(tmp_path / "r.csv")) == 2
    grade_files(problem, answers, tmp_path / "r.JSON", workers=1)
    assert len(json.loads((tmp_path / "r.JSON").read_text(encoding="utf-8"))) == 2


@pytest.mark.parametrize("data", [
    b"id,answer\rs1,rect(t)\rs2,tri(t)\r",  # old Mac line ends
    b"id,answer\ns1,rect(t)\rs2,tri(t)\n",  # one stray CR
    b"id,answer\r\ns1,rect(t)\r\ns2,tri(t)\r\n",
])
def test_carriage_returns_end_lines_and_lose_no_record(tmp_path, data):
    problem, _ = _files(tmp_path, 0)
    answers = tmp_path / "cr.csv"
    answers.write_bytes(data)
    summary = grade_files(problem, answers, tmp_path / "r.csv", workers=1)
    assert [r["id"] for r in summary.rows] == ["s1", "s2"]
    assert all(r["verdict"] == "incorrect" for r in summary.rows)


def test_a_malformed_pair_is_a_row_of_its_own():
    from symconv.teaching.grade import grade

    rows = grade({"f": "rect(t)", "g": "rect(t)"},
                 [("w",), ("a", "tri(t)"), ("b", "rect(t)", "extra")], workers=1)
    assert [r["verdict"] for r in rows] == ["unreadable", "correct", "unreadable"]


def test_a_header_with_two_answer_columns_is_refused(tmp_path):
    from symconv.errors import SymconvError
    from symconv.teaching.classfile import read_answers

    path = tmp_path / "a.csv"
    path.write_text("id,answer,answer\ns1,rect(t),tri(t)\n", encoding="utf-8")
    with pytest.raises(SymconvError, match="2 columns named answer"):
        read_answers(path)
