package org.rubric;

/**
 * The language of the text that comes back for people: diagnostics, explanations, the messages
 * of batch calls and of skipped units. Codes ("E-syntax"), JSON keys and numbers are the same in
 * both.
 */
public enum Language {
    /** English (the default). */
    EN,
    /** 中文: "r.rubric:3:7: 错误：…". */
    ZH;

    /** RUBRIC_LANG_EN / RUBRIC_LANG_ZH of rubric.h. */
    int code() { return this == EN ? 0 : 1; }
}
