"""Tests for symconv.teaching.classfile: hostile class files, every record accounted for.

Each test builds an answers file line by line and keeps, beside it, the line each record
starts on and what must become of it; the report (through ``symconv grade``, as a
teacher runs it) must carry every one of those lines, with a verdict or a per-row error,
and nothing else.
"""

from __future__ import annotations

import csv
import json

import pytest

from symconv.cli import main
from symconv.errors import UnsupportedInputError
from symconv.teaching.classfile import (
    MAX_CELL,
    ClassFileError,
    Record,
    load_problem,
    read_answers,
    read_answers_bytes,
)

PROBLEM = 'f = "rect(t)"\ng = "rect(t)"\n'


class ClassFile:
    """An answers file written line by line, with the fate of each record."""

    def __init__(self, header=b"id,answer"):
        self.lines = [header]
        self.expected = {}  # line -> (id, verdict, keyword in message)

    def add(self, raw, ident, verdict, keyword=""):
        self.lines.append(raw)
        self.expected[len(self.lines)] = (ident, verdict, keyword)

    def add_lines(self, raws, ident, verdict, keyword=""):
        start = len(self.lines) + 1
        self.lines.extend(raws)
        self.expected[start] = (ident, verdict, keyword)

    def bytes(self, newline=b"\n"):
        return newline.join(self.lines) + newline


def _hostile_class():
    c = ClassFile()
    c.add(b"ann,tri(t)", "ann", "correct")
    c.add(b"bob,rect(t)", "bob", "incorrect")
    c.add(b"", "", "blank", "blank line")
    c.add(b"cat," + b"t+" * (MAX_CELL // 2 + 10) + b"t", "cat", "unreadable", "longer than")
    c.add(b"dan,tri(t) \xff\xfe", "dan", "unreadable", "undecodable byte 0xff at column 12")
    c.add(b"eve,tri(t)\x00", "eve", "unreadable", "NUL character")
    c.add(b"ann,rect(t)", "ann", "incorrect")  # a duplicate id: told apart by its line
    c.add(b"fay,max(0, 1-|t|)", "fay", "unreadable", "3 fields where the header has 2")
    c.add(b'gus,"max(0, 1-|t|)"', "gus", "correct")
    c.add_lines([b'hal,"1-|t| for |t|<1;', b' 0 otherwise"'], "hal", "correct")
    c.add(b"   ", "", "blank", "blank line")
    c.add(b"ivy,", "ivy", "error", "empty input")
    c.add(b"jon", "jon", "error", "empty input")
    c.add(b'kim,"tri(t)"junk', "kim", "unreadable", "not valid CSV")
    c.add("zoë,1−|t| for |t|<1".encode(), "zoë", "correct")
    return c


def _grade_file(tmp_path, data, *extra):
    problem = tmp_path / "p.toml"
    problem.write_text(PROBLEM, encoding="utf-8")
    answers = tmp_path / "answers.csv"
    answers.write_bytes(data)
    report = tmp_path / "report.csv"
    code = main(["grade", str(problem), str(answers), "-o", str(report), "--workers", "2",
                 *extra])
    return code, report


def _report(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_every_record_of_a_hostile_file_is_in_the_report_with_its_line(tmp_path, capsys,
                                                                       newline):
    c = _hostile_class()
    code, report = _grade_file(tmp_path, c.bytes(newline))
    rows = _report(report)
    assert [int(r["line"]) for r in rows] == sorted(c.expected)  # every record, nothing else
    for row in rows:
        ident, verdict, keyword = c.expected[int(row["line"])]
        assert (row["id"], row["verdict"]) == (ident, verdict), row
        assert keyword in row["message"], row
        if verdict == "unreadable":  # the message names the file and the line
            assert row["message"].startswith(f"answers.csv, line {row['line']}: "), row
    err = capsys.readouterr().err
    assert code == 1  # some records unreadable
    n = len(c.expected)
    assert f"graded {n} records: 8 graded (4 correct, 2 incorrect, 2 errors, 0 timeouts), " \
           f"5 unreadable, 2 blank; duplicate ids: ann" in err


def test_a_clean_file_exits_0_and_blank_lines_do_not_count_as_unreadable(tmp_path, capsys):
    code, report = _grade_file(tmp_path, b"id,answer\n\nann,tri(t)\n\n\nbob,tri(t)\n")
    assert code == 0
    assert [(r["line"], r["verdict"]) for r in _report(report)] == [
        ("2", "blank"), ("3", "correct"), ("4", "blank"), ("5", "blank"), ("6", "correct")]


def _runaway(closed_later):
    lines = [b"id,answer"] + [f"s{i:03d},tri(t)".encode() for i in range(1, 500)]
    lines[300] = b's300,"tri(t)'  # line 301: the quote is never closed on its line
    if closed_later:
        lines[420] = b's420,"rect(t)"'
    return b"\n".join(lines) + b"\n"


@pytest.mark.parametrize("closed_later", [False, True], ids=["to-the-end", "closed-later"])
def test_a_runaway_quote_stops_the_run_before_grading_with_its_line(tmp_path, capsys,
                                                                    closed_later):
    code, report = _grade_file(tmp_path, _runaway(closed_later))
    assert code == 2
    err = capsys.readouterr().err
    assert "answers.csv, line 301: a quote opened here" in err, err
    assert len(err.strip().splitlines()) == 1
    assert not report.exists()  # nothing graded, no report that could look complete


def test_a_latex_answer_over_several_lines_is_one_record():
    data = (b'id,answer\nann,"y(t) = \\begin{cases}\n  0 & t < 0 \\\\\n  1, & t \\ge 0\n'
            b'\\end{cases}"\nbob,tri(t)\n')
    records = read_answers_bytes(data)
    assert [(r.line, r.id, r.error) for r in records] == [(2, "ann", None), (6, "bob", None)]
    assert records[0].answer.count("\n") == 3


def test_an_oversize_cell_of_one_megabyte_is_one_row_error():
    data = b"id,answer\nbig," + b"t" * 1_000_000 + b"\nok,tri(t)\n"
    records = read_answers_bytes(data, "a.csv")
    assert records[1] == Record(3, "ok", "tri(t)")
    assert records[0].line == 2 and records[0].id == "big"
    assert "longer than 100000 characters" in records[0].error


def test_a_byte_order_mark_and_header_spacing_are_accepted():
    records = read_answers_bytes(b"\xef\xbb\xbfid, answer,extra\nann,tri(t),x\n")
    assert records == [Record(2, "ann", "tri(t)")]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"", "is empty"), (b"\n\n", "is empty"), (b"name,text\na,b\n", "needs a header"),
     (b"id,answer\xff\nann,t\n", "needs a header")],
)
def test_a_file_without_a_readable_header_is_refused(data, fragment):
    with pytest.raises(ClassFileError, match=fragment):
        read_answers_bytes(data)


def test_reading_a_missing_file_names_it(tmp_path):
    with pytest.raises(UnsupportedInputError, match="cannot read the answers file .*nope.csv"):
        read_answers(tmp_path / "nope.csv")


# ---------------------------------------------------------------------------------------------
# The problem file
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nests too deeply"),
        ('f = "rect(t)"\ng = "rect(t)"\nvar = "t; import os"\n', "is not a variable name"),
        ('f = "rect(t)"\ng = "rect(t)"\nvar = "2t"\n', "is not a variable name"),
        ('f = "rect(t)"\ng = "rect(t)"\nkind = "conv"\n', "'convolution' or 'correlation'"),
        ('f = "rect(t)"\n', "needs f and g"),
        ('f = "rect(t)"\ng = 3\n', "g in the problem file"),
        ('[f]\nx = 1\n', "f in the problem file"),
        ('f = "rect(t)"\xff', "is not UTF-8"),
        ('f = "rect(t)\n', "is not valid TOML"),
    ],
    ids=["nesting", "var-code", "var-digit", "kind", "no-g", "g-number", "table", "utf8",
         "toml"],
)
def test_bad_problem_files_are_one_line_errors(tmp_path, capsys, text, fragment):
    problem = tmp_path / "p.toml"
    problem.write_bytes(text.encode("utf-8", "surrogateescape") if "\xff" not in text
                        else text.replace("\xff", "").encode() + b"\xff")
    with pytest.raises(UnsupportedInputError, match=fragment):
        load_problem(problem)
    answers = tmp_path / "a.csv"
    answers.write_text("id,answer\na,tri(t)\n", encoding="utf-8")
    assert main(["grade", str(problem), str(answers)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1


def test_the_json_report_carries_lines_too(tmp_path, capsys):
    c = _hostile_class()
    problem = tmp_path / "p.toml"
    problem.write_text(PROBLEM, encoding="utf-8")
    answers = tmp_path / "a.csv"
    answers.write_bytes(c.bytes())
    out = tmp_path / "r.json"
    assert main(["grade", str(problem), str(answers), "-o", str(out)]) == 1
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [r["line"] for r in rows] == sorted(c.expected)
