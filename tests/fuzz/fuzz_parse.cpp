// Fuzz target 1: parse. Any text must give a tree or diagnostics: no crash, no hang, no
// sanitizer report. A text with a tree has no error diagnostic, a text without one has at
// least one, and every diagnostic's position is consistent with the source.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rubric;
    const source_ptr src = make_source("fuzz.rubric", std::string(rubric_fuzz::as_text(data, size)));
    const parse_result r = parse(src);
    FUZZ_CHECK(r.tree.has_value() != has_errors(r.diags),
               std::string("tree ") + (r.tree ? "present" : "absent") + " but errors " +
                   (has_errors(r.diags) ? "present" : "absent") + "\n" + render(r.diags));
    for (const auto& d : r.diags) {
        rubric_fuzz::check_position(d.source, d.where.begin, "parse diagnostic begin");
        rubric_fuzz::check_position(d.source, d.where.end, "parse diagnostic end");
    }
    rubric_fuzz::render_all(r.diags);
    if (r.tree) {
        const ast& t = *r.tree;
        for (const auto& n : t.nodes) {
            FUZZ_CHECK(n.parent == no_id || n.parent < t.nodes.size(), "node parent out of range");
            for (node_id c : n.children) FUZZ_CHECK(c < t.nodes.size(), "node child out of range");
            for (const auto& p : n.parts) FUZZ_CHECK(p.expr == no_id || p.expr < t.exprs.size(), "part expr out of range");
        }
        for (node_id root : t.roots) FUZZ_CHECK(root < t.nodes.size(), "root out of range");
        for (const auto& e : t.exprs)
            for (expr_id a : e.args) FUZZ_CHECK(a == no_id || a < t.exprs.size(), "expr arg out of range");
    }
    return 0;
}
