"""rubric: score units with a .rubric file, from Python.

A pure-Python package over the C interface of librubric.so (ctypes; the standard library
only). Scores are exact: a score with a finite decimal expansion is a decimal.Decimal
("0.6", "3.125"), one without is a fractions.Fraction (2/3). Facts are given as str, int,
bool, Decimal, a terminating Fraction, or a list of those; never as float (binary floating
point cannot hold 0.1, so a float is refused).

    import rubric
    r = rubric.Rubric.from_file("rubrics/guanghan-2023.rubric")   # CompileError with every diagnostic
    res = r.evaluate({"decision_rules_doc": True, "hotline_completed": 795, "hotline_accepted": 1000})
    res.total, res["1.1.1"], res.rounded["total"]
    r.explain({...})                        # how every point came about (a dict, from JSON)
    r.evaluate_many([{"entity": "u1", ...}, ...])  or  r.evaluate_file("units.csv")

Cohort rubrics (`rank`, cohort_mean ...: Rubric.needs_cohort) score a unit against the other
units, so they are scored only together: evaluate_many / evaluate_file score their units as one
cohort (group_column="kind": one cohort per value of that column); evaluate() of one unit raises
RubricError with status ERROR_COHORT.

Numbers are refused by their size before any text is made of them: a Decimal, int or
Fraction whose plain decimal text would have more digits than the rubric's number_digits limit
(40 by default; Rubric(limits=...), Rubric.limits) raises FactError at once, so that
Decimal("1e999999999") or Fraction(1, 2**3000000) costs microseconds, not gigabytes.

Languages: Rubric(..., lang="zh") (or from_file) gives the text that comes back for people in
Chinese: CompileError and Diagnostic.rendered, explain(as_text=True) and the explanation's
words, and the messages of evaluate_many / evaluate_file (FactError, a skipped unit's `error`).
explain, evaluate_many and evaluate_file also take lang= for one call. Codes ("E-syntax"),
dict keys and numbers are the same in both; lang="en" is the default.

Threads: a Rubric may be shared by any number of threads (each thread gets its own
evaluation context, freed when the thread ends; the C calls run without the GIL). close()
may be called at any time from any thread: it waits for the calls in flight to finish, and
every later call raises RubricError (status ERROR_MISUSE, "the rubric is closed"); it never
crashes. An Evaluation belongs to one thread at a time; its calls are serialised, and its
close() likewise waits for a call in flight.
"""
import ctypes
import decimal
import errno
import fractions
import json
import os
import itertools
import threading
import weakref
from ctypes import byref, c_char_p, c_size_t, c_void_p, string_at

from . import _capi
from ._capi import lib as _lib

__version__ = "0.1.0"  # the library's (include/rubric/version.hpp; a test checks that they agree)

__all__ = ["Rubric", "Evaluation", "Result", "Node", "Input", "Diagnostic", "RubricError", "CompileError",
           "FactError", "version"]

_ENC = "utf-8"


def _lang_code(lang):
    """RUBRIC_LANG_* of "en" or "zh"; ValueError for anything else."""
    try:
        return _capi.LANGS[lang]
    except (KeyError, TypeError):
        raise ValueError("lang must be one of %s, not %r" % (", ".join(sorted(_capi.LANGS)), lang)) from None


def version():
    """The library's version, "X.Y.Z"."""
    return _lib.rubric_version().decode()


# --- errors -------------------------------------------------------------------------


class RubricError(Exception):
    """A failed call: `status` is the C status code, `args[0]` the library's message."""

    def __init__(self, message, status=_capi.ERROR_INTERNAL):
        super().__init__(message)
        self.status = status

    @property
    def status_text(self):
        return _lib.rubric_status_string(self.status).decode()


class CompileError(RubricError):
    """The rubric has errors. `diagnostics` holds all of them (and the warnings), with
    positions; str(e) is every diagnostic rendered as file:line:col with a caret."""

    def __init__(self, message, status, diagnostics, rendered):
        super().__init__(message, status)
        self.diagnostics = diagnostics
        self.rendered = rendered

    def __str__(self):
        return self.rendered or self.args[0]


class FactError(RubricError, ValueError):
    """A fact is invalid (type, range, unknown name, given twice) or a required one is missing;
    from a batch also: the facts have errors, or an entity id is given twice."""


class Diagnostic:
    __slots__ = ("severity", "file", "line", "column", "code", "message", "expected", "rendered")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw[k])

    def __repr__(self):
        return "Diagnostic(%s %s:%d:%d %s %r)" % (self.severity, self.file, self.line, self.column, self.code,
                                                  self.message)


# --- numbers --------------------------------------------------------------------------


def _terminating(den):
    """True when den (> 0) has no prime factor but 2 and 5."""
    den >>= (den & -den).bit_length() - 1  # the factors 2, at once
    return _strip_fives(den)[0] == 1


def _strip_fives(d):
    """(d without its factors 5, how many there were), by squaring powers of 5."""
    count = 0
    while d % 5 == 0:
        p, k = 5, 1
        while d % (p * p) == 0:
            p, k = p * p, k * 2
        d //= p
        count += k
    return d, count


def _fraction_to_decimal(f):
    """An exact Decimal for a Fraction whose denominator has only the factors 2 and 5."""
    n, d = f.numerator, f.denominator
    twos = (d & -d).bit_length() - 1
    d >>= twos
    d, fives = _strip_fives(d)
    k = max(twos, fives)
    scaled = n * (2 ** (k - twos)) * (5 ** (k - fives))  # n / den == scaled / 10**k
    # Built from its digits: Decimal.scaleb would round to the context's 28 digits.
    t = decimal.Decimal(scaled).as_tuple()
    return decimal.Decimal((t.sign, t.digits, -k))


def _number(text):
    """Exact score text from the C interface ("0.6", "-3", "2/3") as Decimal or Fraction."""
    if "/" in text:
        f = fractions.Fraction(text)
        return _fraction_to_decimal(f) if _terminating(f.denominator) else f
    return decimal.Decimal(text)


# 2**(bits-1) <= |n| < 2**bits has at least floor((bits-1) * log10(2)) + 1 decimal digits;
# 0.30102999 is just below log10(2), so this never overstates the count.
def _min_digits(bits):
    return (max(bits, 1) - 1) * 30102999 // 100000000 + 1


def _too_long(name, what, digits, max_digits):
    return FactError("fact `%s`: %s has %s%d digits written out, more than the limit of %d (number_digits)"
                     % (name, what, "at least " if digits < 0 else "", abs(digits), max_digits), _capi.ERROR_FACT)


def _decimal_text(name, value, max_digits, what=None):
    """format(value, "f"), refused first if that text would have more than max_digits digits
    (counted as the library counts them: every digit written, leading and trailing zeros too).
    The count comes from the exponent and the number of digits, without making the text."""
    if not value.is_finite():
        raise FactError("fact `%s`: %s is not a number" % (name, value), _capi.ERROR_FACT)
    t = value.as_tuple()
    n, e = len(t.digits), t.exponent
    if e >= 0:
        written = 1 if t.digits == (0,) else n + e  # Decimal("0E+5") is written "0"
    else:
        written = n if n > -e else 1 - e            # "0.00123": a 0 before the point
    if written > max_digits:
        if what is None:
            what = "Decimal(%r)" % str(value) if n <= 40 else "a Decimal of %d digits, exponent %d," % (n, e)
        raise _too_long(name, what, written, max_digits)
    return format(value, "f")


def _fact_text(name, value, max_digits):
    """A fact value as the text the C interface reads. Numbers are refused by their size
    (FactError) before they are turned into text: max_digits is the rubric's number_digits."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        bits = value.bit_length()
        if _min_digits(bits) > max_digits:
            raise _too_long(name, "an int of %d bits" % bits, -_min_digits(bits), max_digits)
        # Short enough now to write out and count exactly. (int.__str__ refuses more than
        # 4300 digits, which number_digits may allow.)
        text = int.__str__(value) if bits <= 10000 else format(decimal.Decimal(value), "f")
        if len(text) - (value < 0) > max_digits:
            raise _too_long(name, "an int of %d bits" % bits, len(text) - (value < 0), max_digits)
        return text
    if isinstance(value, str):
        return value
    if isinstance(value, decimal.Decimal):
        return _decimal_text(name, value, max_digits)
    if isinstance(value, fractions.Fraction):
        # A terminating n/d written out has at least the digits of n, and a digit before the
        # point plus one after it per factor 10 of d's 2**a * 5**b (so at least log10(d) + 1).
        nb, db = value.numerator.bit_length(), value.denominator.bit_length()
        least = max(_min_digits(nb), _min_digits(db) if db > 1 else 1)
        if least > max_digits:
            raise _too_long(name, "a Fraction of %d / %d bits" % (nb, db), -least, max_digits)
        if not _terminating(value.denominator):
            raise FactError("fact `%s`: %s has no exact decimal form; give it as a str or Decimal" % (name, value),
                            _capi.ERROR_FACT)
        return _decimal_text(name, _fraction_to_decimal(value), max_digits, "Fraction(%s)" % value)
    if isinstance(value, float):
        raise TypeError("fact `%s`: a float is binary floating point and not exact (0.1 is not 1/10); "
                        "give %r as a str or decimal.Decimal" % (name, value))
    if isinstance(value, (list, tuple)):
        return "[" + ";".join(_fact_text(name, v, max_digits) for v in value) + "]"
    raise TypeError("fact `%s`: cannot use a %s as a fact" % (name, type(value).__name__))


def _s(b):
    return b.decode(_ENC) if b is not None else None


def _b(s, what="text"):
    if not isinstance(s, str):
        raise TypeError("%s must be a str, not %s" % (what, type(s).__name__))
    if "\0" in s:
        raise ValueError("%s contains a NUL character" % what)
    return s.encode(_ENC)


# --- structure --------------------------------------------------------------------------


class Node:
    """A section, item, bonus section or task of the rubric (read-only)."""
    __slots__ = ("index", "code", "name", "kind", "points", "parent", "children", "meta", "lead", "support")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw[k])

    def __repr__(self):
        return "Node(%s %s %r, points=%s)" % (self.kind, self.code, self.name, self.points)


class Input:
    """A fact the rubric reads: name, type ("bool", "count", "percent", "decimal", "judged",
    "choice", "list"), element_type (lists), label, range (lo, hi) of Decimal or None,
    required, node (the declaring node's index or None), choices."""
    __slots__ = ("index", "name", "type", "element_type", "label", "range", "required", "node", "choices")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw[k])

    def __repr__(self):
        return "Input(%s: %s)" % (self.name, self.type)


class Result:
    """The scores of one unit. `scores` maps the code of every scored node (not tasks), and
    "total" and "bonus", to the exact score; `rounded` maps them to the display text (the
    rubric's rounding). result["1.2"] is result.scores["1.2"]. From a batch with skip_bad,
    a bad unit has `error` set instead. From a batch (the season run, as `rubric eval`
    writes it), `warnings` lists the labels of the rubric's warnings (预警) that apply and
    `missing` the names of the inputs the unit did not give (the missing-fact policy decided
    them), for a single evaluate() as for a batch. With a rubric that has `adjustments`, scores
    has "adjustments" and "grand_total" too; with a `grade`, `grade` is the unit's grade (None
    without) and `vetoes` the labels of the vetoes that held. A node that does not apply to the
    unit (a member of another case of a section `by` an attribute) scores None."""

    def __init__(self, entity, name, scores, rounded, error=None, warnings=(), missing=(), grade=None, vetoes=()):
        self.entity = entity
        self.name = name
        self.scores = scores
        self.rounded = rounded
        self.error = error
        self.warnings = list(warnings)
        self.missing = list(missing)
        self.grade = grade
        self.vetoes = list(vetoes)

    @property
    def total(self):
        return self.scores["total"]

    @property
    def bonus(self):
        return self.scores["bonus"]

    @property
    def adjustments(self):
        """综合奖扣分: 0 when the rubric has no `adjustments`."""
        return self.scores.get("adjustments", 0)

    @property
    def grand_total(self):
        """总得分: total + bonus + adjustments, what the unit ends with (the grade is read off it)."""
        return self.scores.get("grand_total", self.total + self.bonus)

    def __getitem__(self, code):
        return self.scores[code]

    def __repr__(self):
        if self.error:
            return "Result(%r, error=%r)" % (self.entity, self.error)
        return "Result(%r, total=%s)" % (self.entity, self.rounded.get("total"))


# --- the rubric ----------------------------------------------------------------------------


class Rubric:
    """A compiled rubric: immutable, shareable between threads. Close it (or use `with`) to
    release it early; it is also released when garbage-collected.

    Threads: evaluate, explain, evaluate_many and evaluate_file may be called from any number
    of threads at once. Each thread gets its own evaluation context, made on its first call
    and freed when the thread ends (or by close()), so short-lived threads do not pile up
    contexts. close() may race with those calls: it waits for the calls in flight, then frees
    the contexts and the program; a call after it raises RubricError (ERROR_MISUSE)."""

    def __init__(self, text, name="<input>", werror=False, limits=None, lang="en"):
        """Compiles rubric source text. Raises CompileError carrying every diagnostic.
        `lang` ("en" or "zh") is the language of the text that comes back (see the module).

        `limits` is a dict of limits to change from their defaults, by the names of rubric.h's
        struct rubric_limits (or the CLI's: "eval-steps"), e.g. {"nesting": 16, "eval_steps": 10**6}.
        They govern the parse and every facts of this rubric; past one, CompileError or
        RubricError with status ERROR_LIMIT (see rubric.h, "Limits")."""
        data = _b(text, "the rubric text")
        code = _lang_code(lang)
        handle = c_void_p()
        lim = _capi.Limits(**(limits or {}))
        rc = _lib.rubric_compile_ex(_b(name, "name"), data, len(data), _capi.COMPILE_WERROR if werror else 0,
                                    byref(lim), byref(handle))
        self._init(handle, rc, lang, code)

    @classmethod
    def from_file(cls, path, werror=False, limits=None, lang="en"):
        """Reads and compiles the rubric at `path` (str or os.PathLike); `limits` and `lang` as
        for Rubric()."""
        self = cls.__new__(cls)
        code = _lang_code(lang)
        handle = c_void_p()
        lim = _capi.Limits(**(limits or {}))
        rc = _lib.rubric_compile_file_ex(_b(os.fspath(path), "path"), _capi.COMPILE_WERROR if werror else 0,
                                         byref(lim), byref(handle))
        self._init(handle, rc, lang, code)
        return self

    @property
    def limits(self):
        """Every limit this rubric was compiled with (defaults included), as a dict."""
        with self._lock:
            self._handle()  # raises once closed
            return dict(self._limits)

    @staticmethod
    def _read_limits(h):
        lim = _capi.Limits()
        rc = _lib.rubric_program_limits(h, byref(lim))
        if rc != _capi.OK:
            raise RubricError(_lib.rubric_status_string(rc).decode(), rc)
        return {name: getattr(lim, name) for name, _ in _capi.Limits._fields_ if name != "size"}

    def _init(self, handle, rc, lang, lang_code):
        self._h = None
        self.lang = lang
        self._lang_code = lang_code
        # Guards self._h: taken to make a context or read the program, and by close().
        self._lock = threading.Lock()
        self._local = threading.local()  # .ev: this thread's context
        # The per-thread contexts, by a serial number, held weakly: a context belongs to its
        # thread (its threading.local slot) and is freed when the thread ends; close() frees
        # those still alive. Weak references' callbacks pop their own entry (no lock: a
        # callback may run inside the garbage collector, on any thread).
        self._contexts = {}
        self._serial = itertools.count()
        if not handle.value:
            raise RubricError(_lib.rubric_status_string(rc).decode(), rc)
        h = handle.value
        try:
            diags = [self._diag(h, i, lang_code) for i in range(_lib.rubric_diag_count(h))]
            if rc == _capi.ERROR_NOT_FOUND:
                raise FileNotFoundError(errno.ENOENT, diags[0].message if diags else "no such file")
            if rc != _capi.OK:
                raise CompileError(_s(_lib.rubric_program_errmsg(h)), rc, diags,
                                   _s(_lib.rubric_diags_rendered_lang(h, lang_code)))
            self.diagnostics = diags  # warnings and notes of a successful compile
            self._load_structure(h)
            self._limits = self._read_limits(h)
        except BaseException:
            _lib.rubric_program_free(h)
            raise
        self._h = h

    @staticmethod
    def _diag(h, i, lang_code):
        return Diagnostic(severity=_capi.SEVERITY.get(_lib.rubric_diag_severity(h, i), "error"),
                          file=_s(_lib.rubric_diag_file(h, i)), line=_lib.rubric_diag_line(h, i),
                          column=_lib.rubric_diag_column(h, i), code=_s(_lib.rubric_diag_code(h, i)),
                          message=_s(_lib.rubric_diag_message(h, i)), expected=_s(_lib.rubric_diag_expected(h, i)),
                          rendered=_s(_lib.rubric_diag_rendered_lang(h, i, lang_code)))

    def _load_structure(self, h):
        self.title = _s(_lib.rubric_program_title(h))
        self.total_points = _number(_s(_lib.rubric_program_total_points(h)))
        self.display_places = _lib.rubric_program_display_places(h)
        # True when units are scored against each other (`rank`, cohort_mean ...): then only
        # evaluate_many and evaluate_file score them, as one cohort (per group).
        self.needs_cohort = _lib.rubric_program_needs_cohort(h) == 1
        nodes = []
        for i in range(_lib.rubric_node_count(h)):
            parent = _lib.rubric_node_parent(h, i)
            points = _s(_lib.rubric_node_points(h, i))
            nodes.append(Node(
                index=i, code=_s(_lib.rubric_node_code(h, i)), name=_s(_lib.rubric_node_name(h, i)),
                kind=_capi.NODE_KINDS[_lib.rubric_node_kind(h, i)], points=_number(points) if points else None,
                parent=None if parent == _capi.NONE else parent,
                children=[_lib.rubric_node_child(h, i, j) for j in range(_lib.rubric_node_child_count(h, i))],
                meta={f: _s(_lib.rubric_node_meta(h, i, k)) for k, f in enumerate(_capi.META_FIELDS)},
                lead=[_s(_lib.rubric_node_owner(h, i, _capi.ROLE_LEAD, j))
                      for j in range(_lib.rubric_node_owner_count(h, i, _capi.ROLE_LEAD))],
                support=[_s(_lib.rubric_node_owner(h, i, _capi.ROLE_SUPPORT, j))
                         for j in range(_lib.rubric_node_owner_count(h, i, _capi.ROLE_SUPPORT))]))
        inputs = []
        for i in range(_lib.rubric_input_count(h)):
            rng = _s(_lib.rubric_input_range(h, i))
            if rng:
                lo, hi = rng.split("..")
                rng = (_number(lo) if lo else None, _number(hi) if hi else None)
            node = _lib.rubric_input_node(h, i)
            inputs.append(Input(
                index=i, name=_s(_lib.rubric_input_name(h, i)), type=_s(_lib.rubric_input_type(h, i)),
                element_type=_s(_lib.rubric_input_element_type(h, i)) or None, label=_s(_lib.rubric_input_label(h, i)),
                range=rng or None, required=_lib.rubric_input_required(h, i) == 1,
                node=None if node == _capi.NONE else node,
                choices=[_s(_lib.rubric_input_choice(h, i, j)) for j in range(_lib.rubric_input_choice_count(h, i))]))
        self.nodes = nodes
        self.inputs = inputs
        self._node_by_code = {n.code: n for n in nodes}
        self._input_by_name = {x.name: x for x in inputs}

    # structure
    def node(self, code):
        """The node with this code ("1.2.3"); KeyError if there is none."""
        return self._node_by_code[code]

    def input(self, name):
        """The input with this name; KeyError if there is none."""
        return self._input_by_name[name]

    # lifetime
    def _handle(self):
        h = self._h
        if h is None:
            raise RubricError("the rubric is closed", _capi.ERROR_MISUSE)
        return h

    def close(self):
        """Releases the compiled rubric and this rubric's per-thread contexts. Safe to call
        while other threads evaluate: the rubric is marked closed at once (later calls raise
        RubricError, status ERROR_MISUSE), then each context is freed when its call in flight
        has finished. Evaluations made with new_evaluation() stay usable (they keep what
        they need). Closing twice is harmless."""
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ failed before _init
            return
        with lock:
            h, self._h = self._h, None
            refs = list(self._contexts.values())
            self._contexts.clear()
        evs = [ev for ev in (ref() for ref in refs) if ev is not None]
        for ev in evs:
            ev._closing = True  # refuse new calls now, before waiting for any
        for ev in evs:
            ev.close()  # waits for its call in flight
        if h:
            _lib.rubric_program_free(h)

    def _live_contexts(self):
        """How many per-thread contexts of this rubric are alive (for tests)."""
        return len(self._contexts)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    # evaluation
    def new_evaluation(self):
        """A new evaluation context (for one thread at a time). It is not freed by close()."""
        with self._lock:
            return Evaluation(self, self._handle())

    def _context(self):
        """This thread's context (made on first use; freed when the thread ends)."""
        ev = getattr(self._local, "ev", None)
        if ev is None:
            with self._lock:
                ev = Evaluation(self, self._handle(), "the rubric is closed")
                key = next(self._serial)
                contexts = self._contexts
                self._contexts[key] = weakref.ref(ev, lambda _, k=key: contexts.pop(k, None))
            self._local.ev = ev
        return ev

    def evaluate(self, facts, entity=None):
        """Scores one unit: `facts` maps input names to values (None = not given). Returns
        a Result; raises FactError for a bad or missing required fact, and RubricError with
        status ERROR_COHORT for a cohort rubric (needs_cohort: use evaluate_many)."""
        return self._context().evaluate(facts, entity)

    def explain(self, facts, entity=None, as_text=False, lang=None):
        """How every point came about: a dict (from the library's JSON; numbers stay text
        or Decimal, never float), or the text for people when as_text is true; in `lang`
        (default: the rubric's)."""
        code = self._lang_code if lang is None else _lang_code(lang)
        ev = self._context()
        ev.evaluate(facts, entity)
        return ev.explain(as_text, _lang=code)

    def evaluate_many(self, units, skip_bad=False, allow_unknown=False, group_column=None, lang=None):
        """Scores an iterable of dicts in one call. Each dict holds facts, and may hold
        "entity" (default: its 1-based position) and "name". Returns a list of Result.

        A cohort rubric (needs_cohort) ranks these units together: one cohort, or with
        `group_column` (a key that is not an input, e.g. "kind") one per value of that key;
        a unit without the key is in the group "". Bad units (skip_bad) are not ranked.
        Raises FactError for bad facts unless skip_bad; an entity id given twice (as "entity" or
        by default) is bad, as in `rubric eval`: the repeat is refused, the first one kept.
        Messages are in `lang` (default: the rubric's). On this thread's context (see
        Evaluation.evaluate_many for a context of one's own, with a progress handler)."""
        return self._context().evaluate_many(units, skip_bad, allow_unknown, group_column, lang)

    def evaluate_file(self, path, skip_bad=False, allow_unknown=False, group_column=None, lang=None):
        """Scores every unit of a facts file (.csv, .json, .jsonl). Returns a list of Result.
        A cohort rubric ranks the file's units together; `group_column` and `lang` as for
        evaluate_many."""
        return self._context().evaluate_file(path, skip_bad, allow_unknown, group_column, lang)


class Evaluation:
    """An evaluation context: the facts and scores of one unit at a time. Belongs to one
    thread at a time (Rubric.evaluate gives each thread its own). Its calls are serialised
    by a lock, so that close() from another thread waits for the call in flight rather than
    freeing the context under it; a call after close() raises RubricError (ERROR_MISUSE)."""

    _closed_message = "the evaluation is closed"
    # Set by close() before it takes the lock: a thread calling in a loop would otherwise
    # take the lock again before close() gets it (locks are not fair), and close() could wait
    # for many calls instead of the one in flight.
    _closing = False

    def __init__(self, rubric, handle=None, closed_message=None):
        self._h = None
        self._lock = threading.Lock()  # held for every call on the context, and by close()
        self._interrupt_lock = threading.Lock()  # interrupt() against the free of close()
        self._nodes = rubric.nodes  # not the Rubric: a per-thread context must not keep it alive
        self._lang_code = rubric._lang_code
        self._digits = rubric._limits["number_digits"]
        if closed_message:
            self._closed_message = closed_message
        h = c_void_p()
        rc = _lib.rubric_eval_new(rubric._handle() if handle is None else handle, byref(h))
        if rc != _capi.OK:
            raise RubricError(_lib.rubric_status_string(rc).decode(), rc)
        self._h = h.value

    def close(self):
        """Frees the context, after the call in flight (from another thread) if any."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        self._closing = True
        with lock:
            h, self._h = self._h, None
        if h:
            with self._interrupt_lock:  # not while interrupt() uses the handle
                _lib.rubric_eval_free(h)

    def interrupt(self):
        """Cancels the call running on this evaluation, from another thread (rubric_interrupt):
        that call raises RubricError with status ERROR_INTERRUPTED. With no call running, the
        next call is cancelled instead (so an interrupt racing with its start is not lost).
        Does not wait for the call; a closed evaluation is left alone."""
        with self._interrupt_lock:
            if self._h:
                _lib.rubric_interrupt(self._h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _handle(self):
        """The handle; call with self._lock held."""
        if self._h is None or self._closing:
            raise RubricError(self._closed_message, _capi.ERROR_MISUSE)
        return self._h

    def _enter(self):
        """The lock to hold for a call (with ...:), unless the context is closing."""
        if self._closing:
            raise RubricError(self._closed_message, _capi.ERROR_MISUSE)
        return self._lock

    _handler_error = None  # what the progress handler raised, to be raised by the call it cancelled

    def _check(self, rc):
        if rc != _capi.OK:
            error, self._handler_error = self._handler_error, None
            if rc == _capi.ERROR_INTERRUPTED and error is not None:
                raise error
            msg = _s(_lib.rubric_eval_errmsg(self._h))
            if rc in (_capi.ERROR_FACT, _capi.ERROR_NOT_FOUND):
                raise FactError(msg, rc)
            raise RubricError(msg, rc)

    def evaluate(self, facts, entity=None):
        # Every value is checked and turned into text before the context is touched.
        given = [(_b(name, "a fact name"), _b(_fact_text(name, value, self._digits), "a fact"))
                 for name, value in facts.items() if value is not None]
        ent = None if entity is None else _b(str(entity), "entity")
        with self._enter():
            h = self._handle()
            self._check(_lib.rubric_eval_reset(h))
            if ent is not None:
                self._check(_lib.rubric_eval_set_entity(h, ent))
            for name, text in given:
                self._check(_lib.rubric_eval_set_fact(h, name, text))
            self._check(_lib.rubric_eval_run(h))
            return self._result(h, entity)

    def result(self, entity=None):
        """The scores of the last evaluate()."""
        with self._enter():
            return self._result(self._handle(), entity)

    def _result(self, h, entity):
        # The unit's line as rubric eval writes it: scores, warnings and missing facts at once.
        out, n = c_char_p(), c_size_t()
        self._check(_lib.rubric_eval_result_json(h, byref(out), byref(n)))
        result = _result_from_line(json.loads(string_at(out, n.value).decode(_ENC), parse_float=decimal.Decimal))
        result.entity = entity
        return result

    def explain(self, as_text=False, _lang=None):
        """The explanation of the last evaluate(): a dict, or text (in the rubric's language)."""
        out, n = c_char_p(), c_size_t()
        with self._enter():
            h = self._handle()
            # Set on every call: the per-thread context serves calls of any language.
            self._check(_lib.rubric_eval_set_language(h, self._lang_code if _lang is None else _lang))
            self._check((_lib.rubric_eval_explain_text if as_text else _lib.rubric_eval_explain_json)(
                h, byref(out), byref(n)))
            text = string_at(out, n.value).decode(_ENC)
        return text if as_text else json.loads(text, parse_float=decimal.Decimal)

    def evaluate_many(self, units, skip_bad=False, allow_unknown=False, group_column=None, lang=None):
        """Rubric.evaluate_many on this context: cancellable by interrupt() and by the
        progress handler."""
        code = self._lang_code if lang is None else _lang_code(lang)
        lines = []
        for k, unit in enumerate(units):
            obj = {"entity": str(unit.get("entity", k + 1))}
            for key, value in unit.items():
                if key == "entity" or value is None:
                    continue
                if key == "name":
                    obj[key] = str(value)
                elif isinstance(value, (list, tuple)):
                    obj[key] = [_fact_text(key, v, self._digits) for v in value]
                else:
                    obj[key] = _fact_text(key, value, self._digits)
            lines.append(json.dumps(obj, ensure_ascii=False))
        data = ("\n".join(lines) + "\n").encode(_ENC)
        return self._batch(lambda ev, flags, out, n: _lib.rubric_eval_batch(
            ev, b"<units>", data, len(data), _capi.FORMAT_JSONL, _capi.FORMAT_JSONL, flags, out, n),
            skip_bad, allow_unknown, group_column, code)

    def evaluate_file(self, path, skip_bad=False, allow_unknown=False, group_column=None, lang=None):
        """Rubric.evaluate_file on this context: cancellable by interrupt() and by the
        progress handler."""
        code = self._lang_code if lang is None else _lang_code(lang)
        p = _b(os.fspath(path), "path")
        return self._batch(lambda ev, flags, out, n: _lib.rubric_eval_batch_file(
            ev, p, _capi.FORMAT_AUTO, _capi.FORMAT_JSONL, flags, out, n), skip_bad, allow_unknown, group_column,
            code)

    def set_progress_handler(self, every, handler):
        """Calls handler() during evaluate_many / evaluate_file after every `every` units read,
        and in evaluate() before it scores (rubric_eval_progress_handler), on the calling
        thread: a true result cancels the call (RubricError with status ERROR_INTERRUPTED),
        for a deadline or a Cancel button. An exception from the handler cancels the call too,
        and is raised by it in place of the RubricError. The handler must not call this
        evaluation. None removes it."""
        if handler is None:
            c_handler = ctypes.cast(None, _capi.PROGRESS_HANDLER)
        else:
            def trampoline(_arg):
                try:
                    return 1 if handler() else 0
                except BaseException as e:  # an exception cannot cross the C call: carried past it
                    self._handler_error = e
                    return 1
            c_handler = _capi.PROGRESS_HANDLER(trampoline)
        with self._enter():
            self._check(_lib.rubric_eval_progress_handler(self._handle(), max(0, int(every)), c_handler, None))
            self._progress = c_handler  # kept alive while the library may call it

    def _batch(self, call, skip_bad, allow_unknown, group_column=None, lang_code=None):
        flags = (_capi.BATCH_SKIP_BAD if skip_bad else 0) | (_capi.BATCH_ALLOW_UNKNOWN if allow_unknown else 0)
        column = None if group_column is None else _b(group_column, "group_column")
        out, n = c_void_p(), c_size_t()
        with self._enter():
            h = self._handle()
            # Set on every batch (None clears it): the per-thread context is reused.
            self._check(_lib.rubric_eval_set_group_column(h, column))
            self._check(_lib.rubric_eval_set_language(h, self._lang_code if lang_code is None else lang_code))
            self._check(call(h, flags, byref(out), byref(n)))
        try:
            text = string_at(out.value, n.value).decode(_ENC)
        finally:
            _lib.rubric_free(out)
        return [_result_from_line(json.loads(line, parse_float=decimal.Decimal)) for line in text.splitlines()]


def _result_from_line(obj):
    """A Result from the library's JSON line of a unit (rubric eval's; a batch's, or
    rubric_eval_result_json): scores rounded for display, "exact" for those rounding changed."""
    if "error" in obj:
        return Result(obj["entity"], obj.get("name"), {}, {}, obj["error"])
    exact = obj.get("exact", {})
    shown = dict(obj["nodes"], total=obj["total"], bonus=obj["bonus"])
    for key in ("adjustments", "grand_total"):
        if key in obj:
            shown[key] = obj[key]
    # A node that does not apply to the unit (a member of another case of a section `by` an
    # attribute) has no score: JSON null, None here.
    scores = {k: None if v is None else _number(exact.get(k, v)) for k, v in shown.items()}
    return Result(obj["entity"], obj.get("name"), scores, shown,
                  warnings=obj.get("warnings", ()), missing=obj.get("missing_inputs", ()),
                  grade=obj.get("grade"), vetoes=obj.get("vetoes", ()))
