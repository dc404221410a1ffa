// Fuzz target 7: the formatter (format.hpp, `rubric fmt`).
//
// Input: rubric text (no option byte, so the parse seeds serve here too).
// Properties, beyond "no crash, leak, hang, exception":
//   * a text that parses is formatted: format_source() gives text, never E-fmt-internal;
//     a text that does not parse gives no text and an error;
//   * idempotence: format(format(x)) == format(x);
//   * the formatted text parses to the same syntax tree (same_syntax), and checks the same
//     way (a checked rubric for both or for neither, the same error and warning codes).
#include <algorithm>
#include <vector>

#include "fuzz_common.hpp"

namespace {

using namespace rubric;

std::vector<std::string> diag_codes(const diagnostics& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds)
        if (d.level != severity::note) out.push_back(d.code);
    std::sort(out.begin(), out.end());
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += x + " ";
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const source_ptr src = make_source("fuzz.rubric", std::string(rubric_fuzz::as_text(data, size)));
    parse_result parsed = parse(src);
    const format_result f1 = format_source(src);
    if (!parsed.tree) {
        FUZZ_CHECK(!f1.text.has_value(), "a text with syntax errors was formatted");
        FUZZ_CHECK(has_errors(f1.diags), "format_source failed without an error");
        return 0;
    }
    FUZZ_CHECK(f1.text.has_value(), "a text that parses was not formatted:\n" + render(f1.diags));
    for (const auto& d : f1.diags) FUZZ_CHECK(d.code != "E-fmt-internal", "E-fmt-internal: " + render(d));

    const source_ptr once = make_source("fuzz.rubric", *f1.text);
    const format_result f2 = format_source(once);
    FUZZ_CHECK(f2.text.has_value(), "the formatted text does not format again:\n" + render(f2.diags) + "\n" + *f1.text);
    FUZZ_CHECK(*f2.text == *f1.text, "not idempotent:\n--- format(x)\n" + *f1.text + "\n--- format(format(x))\n" + *f2.text);

    parse_result reparsed = parse(once);
    FUZZ_CHECK(reparsed.tree.has_value(), "the formatted text does not parse:\n" + render(reparsed.diags));
    std::string diff;
    FUZZ_CHECK(same_syntax(*parsed.tree, *reparsed.tree, &diff), "formatting changed the syntax tree: " + diff);

    const check_result c1 = check(std::move(*parsed.tree));
    const check_result c2 = check(std::move(*reparsed.tree));
    FUZZ_CHECK(c1.rubric.has_value() == c2.rubric.has_value() && diag_codes(c1.diags) == diag_codes(c2.diags),
               "formatting changed what the checker says: " + joined(diag_codes(c1.diags)) + "| " + joined(diag_codes(c2.diags)));
    return 0;
}
