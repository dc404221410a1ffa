/*
 * rubric_jni.c: the JNI side of org.rubric.Native, written in C on top of rubric.h only
 * (style.md B.10: a binding layers on the public C interface). Strings cross as UTF-8
 * byte arrays; a NULL C string is a null array. No call here can throw into the JVM except
 * by the JVM's own OutOfMemoryError when an array cannot be allocated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "org_rubric_Native.h"
#include "rubric/rubric.h"

#define PROG(h) ((const rubric_program*)(intptr_t)(h))
#define EVAL(h) ((rubric_eval*)(intptr_t)(h))

/* A NUL-terminated copy of a byte array (NULL for a null array or when out of memory). */
static char* cstr(JNIEnv* env, jbyteArray a) {
    jsize n;
    char* s;
    if (!a) return NULL;
    n = (*env)->GetArrayLength(env, a);
    s = (char*)malloc((size_t)n + 1);
    if (!s) return NULL;
    (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte*)s);
    s[n] = '\0';
    return s;
}

static jbyteArray jbytes_n(JNIEnv* env, const char* s, size_t n) {
    jbyteArray a;
    if (!s || n > 0x7fffffff) return NULL;
    a = (*env)->NewByteArray(env, (jsize)n);
    if (a) (*env)->SetByteArrayRegion(env, a, 0, (jsize)n, (const jbyte*)s);
    return a;
}

static jbyteArray jbytes(JNIEnv* env, const char* s) { return s ? jbytes_n(env, s, strlen(s)) : NULL; }

static void set_status(JNIEnv* env, jintArray status, int rc) {
    jint v = rc;
    if (status && (*env)->GetArrayLength(env, status) > 0) (*env)->SetIntArrayRegion(env, status, 0, 1, &v);
}

static jlong index_or_minus_one(size_t i) { return i == RUBRIC_NONE ? -1 : (jlong)i; }

JNIEXPORT jbyteArray JNICALL Java_org_rubric_Native_version(JNIEnv* env, jclass c) {
    (void)c;
    return jbytes(env, rubric_version());
}

JNIEXPORT jbyteArray JNICALL Java_org_rubric_Native_statusString(JNIEnv* env, jclass c, jint status) {
    (void)c;
    return jbytes(env, rubric_status_string(status));
}

JNIEXPORT jlong JNICALL Java_org_rubric_Native_compile(JNIEnv* env, jclass c, jbyteArray name, jbyteArray text,
                                                      jint flags, jintArray status) {
    rubric_program* p = NULL;
    char* n = cstr(env, name);
    jsize len = text ? (*env)->GetArrayLength(env, text) : 0;
    jbyte* t = text ? (*env)->GetByteArrayElements(env, text, NULL) : NULL;
    int rc = rubric_compile(n, (const char*)t, (size_t)len, (unsigned)flags, &p);
    (void)c;
    if (t) (*env)->ReleaseByteArrayElements(env, text, t, JNI_ABORT);
    free(n);
    set_status(env, status, rc);
    return (jlong)(intptr_t)p;
}

JNIEXPORT jlong JNICALL Java_org_rubric_Native_compileFile(JNIEnv* env, jclass c, jbyteArray path, jint flags,
                                                          jintArray status) {
    rubric_program* p = NULL;
    char* s = cstr(env, path);
    int rc = rubric_compile_file(s, (unsigned)flags, &p);
    (void)c;
    free(s);
    set_status(env, status, rc);
    return (jlong)(intptr_t)p;
}

JNIEXPORT void JNICALL Java_org_rubric_Native_programFree(JNIEnv* env, jclass c, jlong prog) {
    (void)env, (void)c;
    rubric_program_free((rubric_program*)(intptr_t)prog);
}

JNIEXPORT jlong JNICALL Java_org_rubric_Native_programInt(JNIEnv* env, jclass c, jlong prog, jint what, jlong i,
                                                         jlong j) {
    const rubric_program* p = PROG(prog);
    const size_t x = (size_t)i, y = (size_t)j;
    (void)env, (void)c;
    switch (what) {
        case 0: return rubric_program_status(p);
        case 1: return (jlong)rubric_diag_count(p);
        case 2: return rubric_diag_severity(p, x);
        case 3: return rubric_diag_line(p, x);
        case 4: return rubric_diag_column(p, x);
        case 5: return rubric_program_display_places(p);
        case 6: return (jlong)rubric_node_count(p);
        case 7: return rubric_node_kind(p, x);
        case 8: return index_or_minus_one(rubric_node_parent(p, x));
        case 9: return (jlong)rubric_node_child_count(p, x);
        case 10: return index_or_minus_one(rubric_node_child(p, x, y));
        case 11: return (jlong)rubric_node_owner_count(p, x, (int)j);
        case 12: return (jlong)rubric_input_count(p);
        case 13: return rubric_input_required(p, x);
        case 14: return index_or_minus_one(rubric_input_node(p, x));
        case 15: return (jlong)rubric_input_choice_count(p, x);
        case 16: return rubric_program_needs_cohort(p);
        default: return -1;
    }
}

JNIEXPORT jbyteArray JNICALL Java_org_rubric_Native_programString(JNIEnv* env, jclass c, jlong prog, jint what,
                                                                 jlong i, jlong j) {
    const rubric_program* p = PROG(prog);
    const size_t x = (size_t)i, y = (size_t)j;
    const char* s = NULL;
    (void)c;
    switch (what) {
        case 0: s = rubric_program_errmsg(p); break;
        case 1: s = rubric_diags_rendered(p); break;
        case 2: s = rubric_diag_file(p, x); break;
        case 3: s = rubric_diag_code(p, x); break;
        case 4: s = rubric_diag_message(p, x); break;
        case 5: s = rubric_diag_expected(p, x); break;
        case 6: s = rubric_diag_rendered(p, x); break;
        case 7: s = rubric_program_title(p); break;
        case 8: s = rubric_program_total_points(p); break;
        case 9: s = rubric_node_code(p, x); break;
        case 10: s = rubric_node_name(p, x); break;
        case 11: s = rubric_node_points(p, x); break;
        case 12: s = rubric_node_meta(p, x, (int)j); break;
        case 13: s = rubric_node_owner(p, x, RUBRIC_ROLE_LEAD, y); break;
        case 14: s = rubric_input_name(p, x); break;
        case 15: s = rubric_input_type(p, x); break;
        case 16: s = rubric_input_element_type(p, x); break;
        case 17: s = rubric_input_label(p, x); break;
        case 18: s = rubric_input_range(p, x); break;
        case 19: s = rubric_input_choice(p, x, y); break;
        case 20: s = rubric_node_owner(p, x, RUBRIC_ROLE_SUPPORT, y); break;
        default: break;
    }
    return jbytes(env, s);
}

JNIEXPORT jlong JNICALL Java_org_rubric_Native_evalNew(JNIEnv* env, jclass c, jlong prog, jintArray status) {
    rubric_eval* ev = NULL;
    int rc = rubric_eval_new(PROG(prog), &ev);
    (void)c;
    set_status(env, status, rc);
    return (jlong)(intptr_t)ev;
}

JNIEXPORT void JNICALL Java_org_rubric_Native_evalFree(JNIEnv* env, jclass c, jlong ev) {
    (void)env, (void)c;
    rubric_eval_free(EVAL(ev));
}

JNIEXPORT jint JNICALL Java_org_rubric_Native_evalReset(JNIEnv* env, jclass c, jlong ev) {
    (void)env, (void)c;
    return rubric_eval_reset(EVAL(ev));
}

JNIEXPORT jint JNICALL Java_org_rubric_Native_evalSetEntity(JNIEnv* env, jclass c, jlong ev, jbyteArray entity) {
    char* s = cstr(env, entity);
    int rc = s ? rubric_eval_set_entity(EVAL(ev), s) : RUBRIC_ERROR_NOMEM;
    (void)c;
    free(s);
    return rc;
}

JNIEXPORT jint JNICALL Java_org_rubric_Native_evalSetFact(JNIEnv* env, jclass c, jlong ev, jbyteArray name,
                                                         jbyteArray value) {
    char* n = cstr(env, name);
    char* v = cstr(env, value);
    int rc = n && v ? rubric_eval_set_fact(EVAL(ev), n, v) : RUBRIC_ERROR_NOMEM;
    (void)c;
    free(n);
    free(v);
    return rc;
}

/* Cancelling from Java (rubric_eval_progress_handler). An Evaluation with a progress handler
 * owns a `progress` slot (malloc'd here, freed by progressFree after the context): the C handler
 * is installed with the slot as its argument when the Java handler is set, between calls, and
 * stays installed. Each call that may be cancelled fills the slot with its JNIEnv and the
 * java.util.function.BooleanSupplier (a local reference, valid during the call) and empties it
 * on return. (Installing and removing the handler around each call would not do: setting a
 * handler clears the context's last error, which the Java side reads after the call.) When the
 * supplier throws, the call is cancelled and the exception stays pending: it is what the Java
 * caller gets (no JNI function but the release of arrays is called after it). */
struct progress {
    JNIEnv* env;
    jobject cancel; /* NULL outside a call */
    jmethodID get;
};

static int ask_java(void* arg) {
    struct progress* p = (struct progress*)arg;
    jboolean stop;
    if (!p->cancel) return 0;
    if ((*p->env)->ExceptionCheck(p->env)) return 1;
    stop = (*p->env)->CallBooleanMethod(p->env, p->cancel, p->get);
    return (*p->env)->ExceptionCheck(p->env) || stop ? 1 : 0;
}

JNIEXPORT jlong JNICALL Java_org_rubric_Native_progressNew(JNIEnv* env, jclass c) {
    (void)env, (void)c;
    return (jlong)(intptr_t)calloc(1, sizeof(struct progress));
}

JNIEXPORT void JNICALL Java_org_rubric_Native_progressFree(JNIEnv* env, jclass c, jlong slot) {
    (void)env, (void)c;
    free((void*)(intptr_t)slot);
}

/* Installs the handler of `slot` on `ev`, asked every `every` entities; on = false removes it. */
JNIEXPORT jint JNICALL Java_org_rubric_Native_evalSetProgress(JNIEnv* env, jclass c, jlong ev, jlong slot, jint every,
                                                             jboolean on) {
    (void)env, (void)c;
    if (!on || !slot) return rubric_eval_progress_handler(EVAL(ev), 0, NULL, NULL);
    return rubric_eval_progress_handler(EVAL(ev), every > 0 ? (unsigned)every : 1u, ask_java, (void*)(intptr_t)slot);
}

/* Fills the slot for one call. Returns 0, or non-zero with a Java exception pending. */
static int begin(JNIEnv* env, jlong slot, jobject cancel) {
    struct progress* p = (struct progress*)(intptr_t)slot;
    jclass type;
    if (!p) return 0;
    p->cancel = NULL;
    if (!cancel) return 0;
    type = (*env)->GetObjectClass(env, cancel);
    p->get = type ? (*env)->GetMethodID(env, type, "getAsBoolean", "()Z") : NULL;
    if (!p->get) return 1;
    p->env = env;
    p->cancel = cancel;
    return 0;
}

static void end(jlong slot) {
    struct progress* p = (struct progress*)(intptr_t)slot;
    if (p) p->cancel = NULL;
}

JNIEXPORT jint JNICALL Java_org_rubric_Native_evalRun(JNIEnv* env, jclass c, jlong ev, jlong slot, jobject cancel) {
    int rc;
    (void)c;
    if (begin(env, slot, cancel)) return RUBRIC_ERROR_MISUSE;
    rc = rubric_eval_run(EVAL(ev));
    end(slot);
    return rc;
}

/* rubric_interrupt: from any thread (Evaluation.interrupt keeps the handle alive meanwhile). */
JNIEXPORT void JNICALL Java_org_rubric_Native_evalInterrupt(JNIEnv* env, jclass c, jlong ev) {
    (void)env, (void)c;
    rubric_interrupt(EVAL(ev));
}

JNIEXPORT jbyteArray JNICALL Java_org_rubric_Native_evalErrmsg(JNIEnv* env, jclass c, jlong ev) {
    (void)c;
    return jbytes(env, rubric_eval_errmsg(EVAL(ev)));
}

JNIEXPORT jint JNICALL Java_org_rubric_Native_evalErrcode(JNIEnv* env, jclass c, jlong ev) {
    (void)env, (void)c;
    return rubric_eval_errcode(EVAL(ev));
}

JNIEXPORT jobjectArray JNICALL Java_org_rubric_Native_evalScore(JNIEnv* env, jclass c, jlong ev, jlong node) {
    const char *exact = NULL, *rounded = NULL;
    jobjectArray out;
    jclass bytes;
    int rc;
    (void)c;
    if (node == -1) rc = rubric_eval_total(EVAL(ev), &exact, &rounded);
    else if (node == -2) rc = rubric_eval_bonus(EVAL(ev), &exact, &rounded);
    else rc = rubric_eval_score_at(EVAL(ev), (size_t)node, &exact, &rounded);
    if (rc != RUBRIC_OK) return NULL;
    bytes = (*env)->FindClass(env, "[B");
    if (!bytes) return NULL;
    out = (*env)->NewObjectArray(env, 2, bytes, NULL);
    if (!out) return NULL;
    (*env)->SetObjectArrayElement(env, out, 0, jbytes(env, exact));
    (*env)->SetObjectArrayElement(env, out, 1, jbytes(env, rounded));
    return out;
}

JNIEXPORT jbyteArray JNICALL Java_org_rubric_Native_evalExplain(JNIEnv* env, jclass c, jlong ev, jboolean json) {
    const char* text = NULL;
    size_t len = 0;
    int rc = json ? rubric_eval_explain_json(EVAL(ev), &text, &len) : rubric_eval_explain_text(EVAL(ev), &text, &len);
    (void)c;
    return rc == RUBRIC_OK ? jbytes_n(env, text, len) : NULL;
}

/* The batch result, copied into a Java array, and the C buffer released. */
static jbyteArray take(JNIEnv* env, int rc, char* out, size_t len) {
    jbyteArray a = rc == RUBRIC_OK && !(*env)->ExceptionCheck(env) ? jbytes_n(env, out, len) : NULL;
    rubric_free(out);
    return a;
}

JNIEXPORT jbyteArray JNICALL Java_org_rubric_Native_evalBatch(JNIEnv* env, jclass c, jlong ev, jbyteArray name,
                                                             jbyteArray data, jint in_format, jint out_format,
                                                             jint flags, jlong slot, jobject cancel) {
    char* n;
    char* out = NULL;
    size_t out_len = 0;
    jsize len;
    jbyte* d;
    int rc;
    (void)c;
    if (begin(env, slot, cancel)) return NULL;
    n = cstr(env, name);
    len = data ? (*env)->GetArrayLength(env, data) : 0;
    d = data ? (*env)->GetByteArrayElements(env, data, NULL) : NULL;
    rc = rubric_eval_batch(EVAL(ev), n, (const char*)d, (size_t)len, in_format, out_format, (unsigned)flags, &out,
                           &out_len);
    end(slot);
    if (d) (*env)->ReleaseByteArrayElements(env, data, d, JNI_ABORT);
    free(n);
    return take(env, rc, out, out_len);
}

/* A null column clears the group column (rubric_eval_set_group_column(ev, NULL)). */
JNIEXPORT jint JNICALL Java_org_rubric_Native_evalSetGroupColumn(JNIEnv* env, jclass c, jlong ev, jbyteArray column) {
    char* s = cstr(env, column);
    int rc = s || !column ? rubric_eval_set_group_column(EVAL(ev), s) : RUBRIC_ERROR_NOMEM;
    (void)c;
    free(s);
    return rc;
}

JNIEXPORT jbyteArray JNICALL Java_org_rubric_Native_evalBatchFile(JNIEnv* env, jclass c, jlong ev, jbyteArray path,
                                                                 jint in_format, jint out_format, jint flags,
                                                                 jlong slot, jobject cancel) {
    char* p;
    char* out = NULL;
    size_t out_len = 0;
    int rc;
    (void)c;
    if (begin(env, slot, cancel)) return NULL;
    p = cstr(env, path);
    rc = rubric_eval_batch_file(EVAL(ev), p, in_format, out_format, (unsigned)flags, &out, &out_len);
    end(slot);
    free(p);
    return take(env, rc, out, out_len);
}

JNIEXPORT jint JNICALL Java_org_rubric_Native_evalSetLanguage(JNIEnv* env, jclass c, jlong ev, jint language) {
    (void)env, (void)c;
    return rubric_eval_set_language(EVAL(ev), language);
}

/* rubric_eval_result_json of the last run, or null (see evalErrmsg). */
JNIEXPORT jbyteArray JNICALL Java_org_rubric_Native_evalResultJson(JNIEnv* env, jclass c, jlong ev) {
    const char* json = NULL;
    size_t len = 0;
    int rc = rubric_eval_result_json(EVAL(ev), &json, &len);
    (void)c;
    return rc == RUBRIC_OK ? jbytes_n(env, json, len) : NULL;
}

/* A program's text for people in a language: what 0 = every diagnostic rendered, 1 = diagnostic
 * i rendered, 2 = the message of diagnostic i. */
JNIEXPORT jbyteArray JNICALL Java_org_rubric_Native_programText(JNIEnv* env, jclass c, jlong prog, jint what, jlong i,
                                                               jint language) {
    const rubric_program* p = PROG(prog);
    const char* s = NULL;
    (void)c;
    switch (what) {
        case 0: s = rubric_diags_rendered_lang(p, language); break;
        case 1: s = rubric_diag_rendered_lang(p, (size_t)i, language); break;
        case 2: s = rubric_diag_message_lang(p, (size_t)i, language); break;
        default: break;
    }
    return jbytes(env, s);
}
