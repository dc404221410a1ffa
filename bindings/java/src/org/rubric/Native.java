package org.rubric;

import java.nio.charset.StandardCharsets;

/**
 * The C interface of librubric.so (rubric.h) as JNI calls, implemented in rubric_jni.c on
 * top of rubric.h only. Strings cross as UTF-8 byte arrays (not JNI's "modified UTF-8").
 *
 * <p>Loading: the jar carries librubric.so.0 and librubric_jni.so for its platform under
 * {@code org/rubric/native/<os>-<arch>/}. They are copied into a new temporary folder that
 * only this user may enter, loaded from there (librubric.so.0 first, which the JNI library
 * needs), and deleted at once (a loaded library stays mapped): nothing to configure, nothing
 * left behind. A developer may load a JNI library of their own instead with the system
 * property {@code rubric.jni.library} or the environment variable {@code RUBRIC_JNI_LIBRARY}
 * (a path); a jar without libraries falls back to "rubric_jni" from {@code java.library.path}.
 */
final class Native {
    private Native() {}

    static final String[] LIBRARIES = {"librubric.so.0", "librubric_jni.so"};

    static {
        String path = System.getProperty("rubric.jni.library");
        if (path == null || path.isEmpty()) path = System.getenv("RUBRIC_JNI_LIBRARY");
        if (path != null && !path.isEmpty()) System.load(path);
        else if (!loadFromJar()) System.loadLibrary("rubric_jni");
    }

    /** "linux-amd64": the folder of this platform's libraries in the jar. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return os + "-" + System.getProperty("os.arch", "");
    }

    private static boolean loadFromJar() {
        String folder = "/org/rubric/native/" + platform() + "/";
        if (Native.class.getResource(folder + LIBRARIES[0]) == null) return false;
        java.nio.file.Path dir = null;
        try {
            dir = java.nio.file.Files.createTempDirectory("rubric-native-");  // rwx------ on POSIX
            for (String name : LIBRARIES) {
                java.nio.file.Path file = dir.resolve(name);
                try (java.io.InputStream in = Native.class.getResourceAsStream(folder + name)) {
                    if (in == null) throw new UnsatisfiedLinkError("the jar has no " + folder + name);
                    java.nio.file.Files.copy(in, file);
                }
                System.load(file.toString());
            }
            return true;
        } catch (java.io.IOException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot unpack rubric's native libraries: " + e);
            error.initCause(e);
            throw error;
        } finally {
            if (dir != null) {
                for (String name : LIBRARIES) dir.resolve(name).toFile().delete();
                dir.toFile().delete();
            }
        }
    }

    // Selectors of programInt / programString (see rubric_jni.c).
    static final int STATUS = 0, DIAG_COUNT = 1, DIAG_SEVERITY = 2, DIAG_LINE = 3, DIAG_COLUMN = 4,
            DISPLAY_PLACES = 5, NODE_COUNT = 6, NODE_KIND = 7, NODE_PARENT = 8, NODE_CHILD_COUNT = 9,
            NODE_CHILD = 10, NODE_OWNER_COUNT = 11, INPUT_COUNT = 12, INPUT_REQUIRED = 13, INPUT_NODE = 14,
            INPUT_CHOICE_COUNT = 15, NEEDS_COHORT = 16;
    static final int ERRMSG = 0, DIAGS_RENDERED = 1, DIAG_FILE = 2, DIAG_CODE = 3, DIAG_MESSAGE = 4,
            DIAG_EXPECTED = 5, DIAG_RENDERED = 6, TITLE = 7, TOTAL_POINTS = 8, NODE_CODE = 9, NODE_NAME = 10,
            NODE_POINTS = 11, NODE_META = 12, NODE_LEAD = 13, INPUT_NAME = 14, INPUT_TYPE = 15,
            INPUT_ELEMENT_TYPE = 16, INPUT_LABEL = 17, INPUT_RANGE = 18, INPUT_CHOICE = 19, NODE_SUPPORT = 20;

    static native byte[] version();
    static native byte[] statusString(int status);

    /** A program handle (0 only when memory ran out); status[0] receives the status. */
    static native long compile(byte[] name, byte[] text, int flags, int[] status);
    static native long compileFile(byte[] path, int flags, int[] status);
    static native void programFree(long prog);
    /** An int or size_t query; RUBRIC_NONE is returned as -1. */
    static native long programInt(long prog, int what, long i, long j);
    static native byte[] programString(long prog, int what, long i, long j);

    static native long evalNew(long prog, int[] status);
    static native void evalFree(long ev);
    static native int evalReset(long ev);
    static native int evalSetEntity(long ev, byte[] entity);
    static native int evalSetFact(long ev, byte[] name, byte[] value);
    /**
     * rubric_eval_run. {@code slot} (0: none) is the context's progress slot (progressNew), and
     * {@code cancel} the handler it calls during this call (see rubric_jni.c).
     */
    static native int evalRun(long ev, long slot, java.util.function.BooleanSupplier cancel);
    /** rubric_interrupt: cancels the call running on ev, from any thread. */
    static native void evalInterrupt(long ev);
    /** A progress slot for one context (freed by progressFree, after evalFree). */
    static native long progressNew();
    static native void progressFree(long slot);
    /** rubric_eval_progress_handler with the slot's handler every {@code every} entities; on = false removes it. */
    static native int evalSetProgress(long ev, long slot, int every, boolean on);
    static native byte[] evalErrmsg(long ev);
    static native int evalErrcode(long ev);
    /** {exact, rounded} of node i (-1: total, -2: bonus), or null (see evalErrmsg). */
    static native byte[][] evalScore(long ev, long node);
    static native byte[] evalExplain(long ev, boolean json);
    /** The batch calls; slot and cancel as for evalRun. */
    static native byte[] evalBatch(long ev, byte[] name, byte[] data, int inFormat, int outFormat, int flags, long slot,
                                   java.util.function.BooleanSupplier cancel);
    static native byte[] evalBatchFile(long ev, byte[] path, int inFormat, int outFormat, int flags, long slot,
                                       java.util.function.BooleanSupplier cancel);
    /** rubric_eval_set_group_column; null clears it. */
    static native int evalSetGroupColumn(long ev, byte[] column);
    /** rubric_eval_set_language (Language.code()). */
    static native int evalSetLanguage(long ev, int language);
    /** rubric_eval_result_json of the last run, or null (see evalErrmsg). */
    static native byte[] evalResultJson(long ev);
    /** Text in a language: what 0 = every diagnostic rendered, 1 = diagnostic i rendered, 2 = its message. */
    static native byte[] programText(long prog, int what, long i, int language);

    static byte[] utf8(String s, String what) {
        if (s == null) throw new NullPointerException(what + " is null");
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException(what + " contains a NUL character");
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
