"""A class's files, read so that no record is lost: the problem (TOML) and the answers (CSV).

The problem file is TOML::

    f = "2 e^(-t/2) u(t)"
    g = "rect(t - 1/2)"
    var = "t"              # optional, default t
    assume = "a>0"         # optional
    kind = "convolution"   # optional; or "correlation"
    # reference = "..."    # optional: compare with this instead of f*g

The answers file is CSV with a header naming the columns ``id`` and ``answer``
(others are ignored). Every record keeps the line it starts on. A record that
cannot be read (an oversize cell, an undecodable byte, a NUL, too many fields) is
kept with its error, so that it appears in the report; blank lines are kept as
blank records. A fault that would merge records, a quote that is never closed or
that swallows lines that read as records of their own, stops the reading with
:class:`ClassFileError` naming the line where it starts.

Examples
--------
>>> text = b"id,answer\\nann,tri(t)\\n\\nbob,\\"rect(t)\\"\\n"
>>> for r in read_answers_bytes(text, "answers.csv"):
...     print(r.line, repr(r.id), repr(r.answer), r.error)
2 'ann' 'tri(t)' None
3 '' '' blank line
4 'bob' 'rect(t)' None
>>> read_answers_bytes(b'id,answer\\nann,"tri(t)\\nbob,rect(t)\\n', "a.csv")
Traceback (most recent call last):
...
symconv.teaching.classfile.ClassFileError: a.csv, line 2: a quote opened here is never closed ...
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from symconv.errors import UnsupportedInputError

__all__ = ["ClassFileError", "Record", "load_problem", "read_answers", "read_answers_bytes",
           "validate_problem", "BLANK"]

#: The keys a problem file may have.
KEYS = ("f", "g", "var", "assume", "kind", "reference")
#: A cell longer than this (characters) is an error of its row, not read further.
MAX_CELL = 100_000
#: A quoted cell may span at most this many lines (a LaTeX ``cases`` answer spans a few).
MAX_LINES_PER_RECORD = 200
#: A problem file larger than this (bytes) is refused.
MAX_PROBLEM_BYTES = 1_000_000
#: The message of a blank record.
BLANK = "blank line"
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class ClassFileError(UnsupportedInputError):
    """A class file that cannot be read without losing or merging records."""


@dataclass(frozen=True, slots=True)
class Record:
    """One record of the answers file: where it starts, the id, the answer, and the
    reason it cannot be graded (``None`` when it can; :data:`BLANK` for a blank line)."""

    line: int
    id: str
    answer: str
    error: str | None = None


# ---------------------------------------------------------------------------------------------
# The problem
# ---------------------------------------------------------------------------------------------
def load_problem(path):
    """The problem dict from a TOML file (keys f, g, var, assume, kind, reference).

    Any fault (unreadable file, bad TOML, nesting, unknown keys, values of the wrong
    type, a bad variable name) is one :class:`~symconv.errors.UnsupportedInputError`
    naming the file.
    """
    import tomllib

    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_PROBLEM_BYTES + 1)
    except OSError as err:
        raise UnsupportedInputError(f"cannot read the problem file {path}: {err.strerror}") \
            from None
    if len(raw) > MAX_PROBLEM_BYTES:
        raise UnsupportedInputError(
            f"the problem file {path} is larger than {MAX_PROBLEM_BYTES} bytes")
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise UnsupportedInputError(
            f"the problem file {path} is not UTF-8 (byte {err.start})") from None
    except tomllib.TOMLDecodeError as err:
        raise UnsupportedInputError(f"the problem file {path} is not valid TOML: {err}") \
            from None
    except RecursionError:
        raise UnsupportedInputError(
            f"the problem file {path} nests too deeply; it needs only plain keys such as "
            f"f = \"rect(t)\"") from None
    validate_problem(data, f"the problem file {path}")
    return data


def validate_problem(data, where="the problem"):
    """Refuse a problem dict with unknown keys, values that are not text, a bad ``var``
    or ``kind``, or neither f and g nor a reference."""
    if not isinstance(data, dict):
        raise UnsupportedInputError(f"{where} must be a table of keys, got {type(data).__name__}")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise UnsupportedInputError(
            f"unknown keys in {where}: {unknown}; accepted: {sorted(KEYS)}")
    for key, value in data.items():
        if not isinstance(value, str):
            raise UnsupportedInputError(
                f"{key} in {where} must be text (a string), got {type(value).__name__}")
    var = data.get("var", "t")
    if not _NAME.fullmatch(var) or len(var) > 30:
        raise UnsupportedInputError(
            f"var = {var[:40]!r} in {where} is not a variable name; use a letter followed by "
            f"letters, digits or _ (e.g. var = \"t\")")
    kind = data.get("kind", "convolution")
    if kind not in ("convolution", "correlation"):
        raise UnsupportedInputError(
            f"kind = {kind[:40]!r} in {where} is not accepted; use 'convolution' or "
            f"'correlation'")
    if "reference" not in data and not {"f", "g"} <= set(data):
        raise UnsupportedInputError(f"{where} needs f and g (or a reference)")


# ---------------------------------------------------------------------------------------------
# The answers
# ---------------------------------------------------------------------------------------------
def read_answers(path):
    """The :class:`Record` list of the answers file at ``path`` (see the module doc)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise UnsupportedInputError(f"cannot read the answers file {path}: {err.strerror}") \
            from None
    return read_answers_bytes(data, str(path))


def read_answers_bytes(data, name="the answers file"):
    """The :class:`Record` list of an answers file given as bytes."""
    lines = _physical_lines(data)
    header_at = next((i for i, (_, text, _) in enumerate(lines) if text.strip()), None)
    if header_at is None:
        raise ClassFileError(f"{name} is empty; it needs a header with columns id and answer")
    number, text, bad = lines[header_at]
    header = _plain_fields(text) or [] if bad is None else []
    if bad is not None or not {"id", "answer"} <= {h.strip() for h in header}:
        raise ClassFileError(
            f"{name}, line {number}: the file needs a header with columns id and answer as "
            f"its first line (e.g. id,answer)")
    header = [h.strip() for h in header]
    for column in ("id", "answer"):
        if header.count(column) > 1:
            raise ClassFileError(f"{name}, line {number}: the header has {header.count(column)} "
                                 f"columns named {column}; which one is meant is not guessed")
    columns = (header.index("id"), header.index("answer"))
    shapes = _id_shapes(lines[header_at + 1:], len(header), columns[0])
    records = []
    i = header_at + 1
    while i < len(lines):
        number, text, bad = lines[i]
        if bad is None and not text.strip():
            records.append(Record(number, "", "", BLANK))
            i += 1
            continue
        end, record = _one_record(lines, i, name, header, columns, shapes)
        records.append(record)
        i = end
    return records


def _physical_lines(data):
    """``[(line number, text, problem)]``: each line decoded on its own, so that one bad
    byte costs one record; ``problem`` says why a line cannot be read (or ``None``)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    raw_lines = _LINE_ENDS.split(data)  # \n, \r\n and a lone \r (old Mac files) end lines
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    out = []
    for number, raw in enumerate(raw_lines, start=1):
        problem = None
        if len(raw) > MAX_CELL:
            text = raw[:200].decode("utf-8", "replace")
            problem = f"the line is longer than {MAX_CELL} characters"
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                text = raw.decode("utf-8", "replace")
                problem = (f"an undecodable byte 0x{raw[err.start]:02x} at column "
                           f"{err.start + 1} (the file must be UTF-8)")
        if problem is None and "\x00" in text:
            problem = f"a NUL character at column {text.index(chr(0)) + 1}"
        out.append((number, text, problem))
    return out


def _one_record(lines, i, name, header, columns, shapes):
    """The record starting at line index ``i`` and the index after it."""
    number, text, bad = lines[i]
    if bad is not None:
        where = f"{_short(name)}, line {number}"
        return i + 1, Record(number, _guess_id(text, columns[0]), "", f"{where}: {bad}")
    j, joined = i, text
    while True:
        try:
            fields = next(csv.reader([joined], strict=True))
            break
        except csv.Error as err:
            if "unexpected end of data" not in str(err):
                if j > i:
                    _refuse_swallowed_records(lines, i, j, name, len(header), columns[0], shapes)
                return j + 1, Record(number, _guess_id(text, columns[0]), "",
                                     f"{_short(name)}, line {number}: not valid CSV ({err})")
        j += 1
        if j >= len(lines) or j - i >= MAX_LINES_PER_RECORD or lines[j][2] is not None:
            raise ClassFileError(
                f"{name}, line {number}: a quote opened here is never closed (or not within "
                f"{MAX_LINES_PER_RECORD} lines); close it, or double a quote inside a quoted "
                f"answer (\"\")")
        joined += "\n" + lines[j][1]
    if j > i:
        _refuse_swallowed_records(lines, i, j, name, len(header), columns[0], shapes)
    if len(fields) > len(header):
        return j + 1, Record(
            number, _field(fields, columns[0]), "",
            f"{_short(name)}, line {number}: {len(fields)} fields where the header has "
            f"{len(header)}; quote an answer that contains a comma")
    answer = _field(fields, columns[1])
    if len(answer) > MAX_CELL:
        return j + 1, Record(number, _field(fields, columns[0])[:200], "",
                             f"{_short(name)}, line {number}: the answer is longer than "
                             f"{MAX_CELL} characters")
    return j + 1, Record(number, _field(fields, columns[0]), answer)


def _refuse_swallowed_records(lines, i, j, name, width, id_column, shapes):
    """A quoted cell over lines ``i..j`` whose inner lines read as records of their own
    (as many fields as the header, an id shaped like the file's ids) is a runaway
    quote: refuse it rather than merge those records."""
    for k in range(i + 1, j + 1):
        text = lines[k][1]
        fields = _plain_fields(text)
        if fields is not None and len(fields) == width and _shape(fields[id_column]) in shapes:
            raise ClassFileError(
                f"{name}, line {lines[i][0]}: a quote opened here runs on over line "
                f"{lines[k][0]} ({text[:40]!r}), which reads as a record of its own; close the "
                f"quote on the line it belongs to")


def _plain_fields(text):
    """The fields of a line with no quote (``None`` for a quoted or unreadable one)."""
    if '"' in text:
        return None
    try:
        return next(csv.reader([text]), [])
    except csv.Error:
        return None


_LINE_ENDS = re.compile(rb"\r\n|\n|\r")


def _shape(ident):
    """An id's shape: letters become ``a``, digits ``9`` (``s042`` -> ``a999``); ``None``
    for what cannot be an id (spaces, brackets, empty)."""
    if not _NAME_LIKE.fullmatch(ident):
        return None
    return re.sub(r"\d", "9", re.sub(r"[^\W\d_]", "a", ident))


def _id_shapes(lines, width, id_column):
    """The shapes of the ids on the file's plain one-line records."""
    shapes = set()
    for _, text, bad in lines:
        fields = None if bad is not None else _plain_fields(text)
        if fields is not None and len(fields) == width:
            shapes.add(_shape(fields[id_column]))
    shapes.discard(None)
    return shapes


_NAME_LIKE = re.compile(r"[\w.@+-]{1,64}")


def _short(name):
    """The file's name without its folders, for a row's message."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _field(fields, index):
    return fields[index] if index < len(fields) else ""


def _guess_id(text, id_column):
    """The id of an unreadable line, as far as it can be read (for the report)."""
    try:
        fields = next(csv.reader([text]))
    except csv.Error:
        return ""
    return _field(fields, id_column)[:64]
