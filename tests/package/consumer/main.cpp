// Scores a one-item rubric: 2 of 3 conditions at 0.5 each = 1.
#include <iostream>
#include <rubric/rubric.hpp>

int main() {
    auto r = rubric::parse_and_check(rubric::make_source("c.rubric", R"(
item 1 "x" 1.5 { input a: bool  input b: bool  input c: bool  score each 0.5 }
)"));
    if (!r.rubric) { std::cerr << rubric::render(r.diags); return 1; }
    auto p = rubric::compile(std::move(*r.rubric));
    rubric::fact_set f;
    f.reset(*p);
    rubric::set_fact_text(*p, p->find_input("a"), "true", f);
    rubric::set_fact_text(*p, p->find_input("c"), "是", f);
    rubric::fill_missing(*p, f);
    rubric::evaluation ev(*p);
    rubric::evaluate(*p, f, ev);
    std::cout << ev.total().to_string() << "\n";
    return ev.total() == rubric::decimal(1) ? 0 : 1;
}
