// Fuzz target 2: parse + check. The checker must accept or reject any tree the parser
// builds with diagnostics only: no crash, no hang, no exception. A checked rubric has no
// error diagnostic and a rejected one has at least one.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace rubric;
    const source_ptr src = make_source("fuzz.rubric", std::string(rubric_fuzz::as_text(data, size)));
    parse_result p = parse(src);
    if (!p.tree) return 0;
    check_options co;
    // The last byte decides (so the seeds, plain rubric files, need no prefix).
    co.warnings_as_errors = size > 0 && (data[size - 1] & 1) == 0;
    check_result c = check(std::move(*p.tree), co);
    FUZZ_CHECK(c.rubric.has_value() != has_errors(c.diags),
               std::string("rubric ") + (c.rubric ? "present" : "absent") + " but errors " +
                   (has_errors(c.diags) ? "present" : "absent") + "\n" + render(c.diags));
    if (co.warnings_as_errors && c.rubric)
        for (const auto& d : c.diags)
            FUZZ_CHECK(d.level != severity::warning, "a warning passed with warnings_as_errors: " + render(d));
    for (const auto& d : c.diags) {
        rubric_fuzz::check_position(d.source, d.where.begin, "check diagnostic begin");
        rubric_fuzz::check_position(d.source, d.where.end, "check diagnostic end");
    }
    rubric_fuzz::render_all(c.diags);
    if (c.rubric) {
        const checked_rubric& r = *c.rubric;
        FUZZ_CHECK(r.types.size() == r.tree.exprs.size(), "types not per expression");
        FUZZ_CHECK(r.node_ranges.size() == r.tree.nodes.size(), "node_ranges not per node");
        for (std::size_t i = 0; i < r.tree.nodes.size(); ++i) {
            const node& n = r.tree.nodes[i];
            FUZZ_CHECK(!n.code.empty() || n.kind == node_kind::task, "a checked node without a code");
            const interval& iv = r.node_ranges[i];
            if (iv.lo && iv.hi)
                FUZZ_CHECK(*iv.lo <= *iv.hi, "empty range for node " + n.code + ": " + iv.lo->to_string() + ".." +
                                                 iv.hi->to_string());
        }
    }
    return 0;
}
