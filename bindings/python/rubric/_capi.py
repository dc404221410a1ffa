"""The C interface of librubric.so (bindings/c/include/rubric/rubric.h), declared for ctypes.

Only rubric.h is used (no C++ symbol): this module is the Python image of that header.
The library is found, in this order, at the path in the environment variable
RUBRIC_LIBRARY, beside this package (librubric.so*), or by ctypes.util.find_library.
"""
import ctypes
import ctypes.util
import glob
import os

OK = 0
ERROR_SYNTAX = 1
ERROR_CHECK = 2
ERROR_FACT = 3
ERROR_NOT_FOUND = 4
ERROR_MISUSE = 5
ERROR_NOMEM = 6
ERROR_LIMIT = 7
ERROR_INTERNAL = 8
ERROR_IO = 9
ERROR_COHORT = 10
ERROR_INTERRUPTED = 11

NONE = ctypes.c_size_t(-1).value  # RUBRIC_NONE
NUL_TERMINATED = NONE

COMPILE_WERROR = 1

SEVERITY = {0: "error", 1: "warning", 2: "note"}
NODE_KINDS = {0: "section", 1: "item", 2: "bonus", 3: "task", 4: "adjustments"}
META_FIELDS = ("requirement", "standard", "method", "evidence", "owners", "deadline", "measures", "note")
ROLE_LEAD, ROLE_SUPPORT = 0, 1

FORMAT_AUTO, FORMAT_CSV, FORMAT_JSON, FORMAT_JSONL = 0, 1, 2, 3
BATCH_SKIP_BAD, BATCH_ALLOW_UNKNOWN, BATCH_EXACT = 1, 2, 4
LANGS = {"en": 0, "zh": 1}  # RUBRIC_LANG_EN, RUBRIC_LANG_ZH


def _find_library():
    path = os.environ.get("RUBRIC_LIBRARY")
    if path:
        return path
    here = os.path.dirname(os.path.abspath(__file__))
    beside = sorted(glob.glob(os.path.join(here, "librubric.so*")) + glob.glob(os.path.join(here, "librubric*.dylib")))
    if beside:
        return beside[0]
    found = ctypes.util.find_library("rubric")
    if found:
        return found
    raise OSError("librubric.so not found: set RUBRIC_LIBRARY to its path, or install it")




class Limits(ctypes.Structure):
    """struct rubric_limits: 0 in a field means its default; `size` is set by the constructor."""

    _fields_ = [(name, ctypes.c_size_t) for name in (
        "size", "source_bytes", "nesting", "nodes", "exprs", "number_digits", "number_exponent",
        "facts_bytes", "json_depth", "fields", "eval_steps")]

    def __init__(self, **limits):
        super().__init__()
        self.size = ctypes.sizeof(Limits)
        for name, value in limits.items():
            name = name.replace("-", "_")
            if name == "size" or name not in dict(self._fields_):
                raise ValueError("unknown limit %r" % name)
            setattr(self, name, value)


_p = ctypes.c_void_p  # rubric_program* / rubric_eval*
_s = ctypes.c_char_p
_z = ctypes.c_size_t
_i = ctypes.c_int
_u = ctypes.c_uint
_ps = ctypes.POINTER(ctypes.c_char_p)
_pz = ctypes.POINTER(ctypes.c_size_t)
_pp = ctypes.POINTER(ctypes.c_void_p)

# name: (restype, argtypes) — every function of rubric.h.
# int (*handler)(void* arg) of rubric_eval_progress_handler: non-zero cancels the call.
PROGRESS_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)

_PROTOTYPES = {
    "rubric_version": (_s, []),
    "rubric_version_number": (_i, []),
    "rubric_status_string": (_s, [_i]),
    "rubric_free": (None, [ctypes.c_void_p]),
    "rubric_compile": (_i, [_s, _s, _z, _u, _pp]),
    "rubric_compile_file": (_i, [_s, _u, _pp]),
    "rubric_limits_init": (None, [ctypes.POINTER(Limits)]),
    "rubric_compile_ex": (_i, [_s, _s, _z, _u, ctypes.POINTER(Limits), _pp]),
    "rubric_compile_file_ex": (_i, [_s, _u, ctypes.POINTER(Limits), _pp]),
    "rubric_program_limits": (_i, [_p, ctypes.POINTER(Limits)]),
    "rubric_program_free": (None, [_p]),
    "rubric_program_status": (_i, [_p]),
    "rubric_program_needs_cohort": (_i, [_p]),
    "rubric_program_errmsg": (_s, [_p]),
    "rubric_errmsg": (_s, [_p]),
    "rubric_diag_count": (_z, [_p]),
    "rubric_diag_severity": (_i, [_p, _z]),
    "rubric_diag_line": (_u, [_p, _z]),
    "rubric_diag_column": (_u, [_p, _z]),
    "rubric_diag_file": (_s, [_p, _z]),
    "rubric_diag_code": (_s, [_p, _z]),
    "rubric_diag_message": (_s, [_p, _z]),
    "rubric_diag_expected": (_s, [_p, _z]),
    "rubric_diag_rendered": (_s, [_p, _z]),
    "rubric_diags_rendered": (_s, [_p]),
    "rubric_diag_message_lang": (_s, [_p, _z, _i]),
    "rubric_diag_rendered_lang": (_s, [_p, _z, _i]),
    "rubric_diags_rendered_lang": (_s, [_p, _i]),
    "rubric_program_title": (_s, [_p]),
    "rubric_program_total_points": (_s, [_p]),
    "rubric_program_display_places": (_i, [_p]),
    "rubric_node_count": (_z, [_p]),
    "rubric_node_kind": (_i, [_p, _z]),
    "rubric_node_code": (_s, [_p, _z]),
    "rubric_node_name": (_s, [_p, _z]),
    "rubric_node_points": (_s, [_p, _z]),
    "rubric_node_parent": (_z, [_p, _z]),
    "rubric_node_child_count": (_z, [_p, _z]),
    "rubric_node_child": (_z, [_p, _z, _z]),
    "rubric_node_find": (_i, [_p, _s, _pz]),
    "rubric_node_meta": (_s, [_p, _z, _i]),
    "rubric_node_owner_count": (_z, [_p, _z, _i]),
    "rubric_node_owner": (_s, [_p, _z, _i, _z]),
    "rubric_input_count": (_z, [_p]),
    "rubric_input_name": (_s, [_p, _z]),
    "rubric_input_type": (_s, [_p, _z]),
    "rubric_input_element_type": (_s, [_p, _z]),
    "rubric_input_label": (_s, [_p, _z]),
    "rubric_input_range": (_s, [_p, _z]),
    "rubric_input_required": (_i, [_p, _z]),
    "rubric_input_node": (_z, [_p, _z]),
    "rubric_input_choice_count": (_z, [_p, _z]),
    "rubric_input_choice": (_s, [_p, _z, _z]),
    "rubric_input_find": (_i, [_p, _s, _pz]),
    "rubric_eval_new": (_i, [_p, _pp]),
    "rubric_eval_free": (None, [_p]),
    "rubric_eval_errcode": (_i, [_p]),
    "rubric_eval_errmsg": (_s, [_p]),
    "rubric_eval_reset": (_i, [_p]),
    "rubric_eval_set_entity": (_i, [_p, _s]),
    "rubric_eval_set_fact": (_i, [_p, _s, _s]),
    "rubric_eval_run": (_i, [_p]),
    "rubric_eval_score": (_i, [_p, _s, _ps, _ps]),
    "rubric_eval_score_at": (_i, [_p, _z, _ps, _ps]),
    "rubric_eval_total": (_i, [_p, _ps, _ps]),
    "rubric_eval_bonus": (_i, [_p, _ps, _ps]),
    "rubric_eval_adjustments": (_i, [_p, _ps, _ps]),
    "rubric_eval_grand_total": (_i, [_p, _ps, _ps]),
    "rubric_eval_grade": (_i, [_p, _ps]),
    "rubric_eval_result_json": (_i, [_p, _ps, _pz]),
    "rubric_eval_set_name": (_i, [_p, _s]),
    "rubric_eval_explain_json": (_i, [_p, _ps, _pz]),
    "rubric_eval_explain_text": (_i, [_p, _ps, _pz]),
    "rubric_eval_batch": (_i, [_p, _s, _s, _z, _i, _i, _u, _pp, _pz]),
    "rubric_eval_batch_file": (_i, [_p, _s, _i, _i, _u, _pp, _pz]),
    "rubric_eval_set_group_column": (_i, [_p, _s]),
    "rubric_eval_set_language": (_i, [_p, _i]),
    "rubric_interrupt": (None, [_p]),
    "rubric_eval_progress_handler": (_i, [_p, _u, PROGRESS_HANDLER, _p]),
}


def load(path=None):
    lib = ctypes.CDLL(path or _find_library())
    for name, (restype, argtypes) in _PROTOTYPES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


lib = load()
