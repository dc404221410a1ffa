// Cohorts (cohort.hpp): rankings per group with shared ranks, section ranks, the gap
// to the leader, period over period, warnings and the lost-points analysis, on a
// seven-unit cohort whose every expected number is worked out by hand below.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rubric/rubric.hpp"

namespace {

using rubric::decimal;

decimal dec(const char* s) {
    decimal d;
    REQUIRE(rubric::decimal::parse(s, d));
    return d;
}

// Ten points in two level-1 sections:
//   1.1 文件 4 points if doc; 1.2 培训 2 points if trained      → section 1 (6 points)
//   2.1 办结率 4 points at >= 90%, 2 points at >= 60%, else 0  → section 2 (4 points)
const char* const small_rubric = R"(
rubric "小队列" { total 10  rounding 2 half_up  missing zero }
section 1 "依法行政" 6 {
  item 1.1 "文件" 4 { lead "市司法局"  input doc: bool  score if doc then 4 }
  item 1.2 "培训" 2 { lead "市人社局"  input trained: bool  score if trained then 2 }
}
section 2 "服务" 4 {
  item 2.1 "办结率" 4 { lead "市财政局"  input rate: percent  score tier rate >=90%:4 >=60%:2 }
}
)";

rubric::program_ptr small_program() {
    auto r = rubric::parse_and_check(rubric::make_source("small.rubric", small_rubric));
    if (!r.rubric) FAIL(rubric::render(r.diags));
    return rubric::compile(std::move(*r.rubric));
}

struct unit_facts {
    const char *id, *group, *doc, *trained, *rate;
};

// The cohort, in input order (groups interleaved on purpose):
//   id  group  doc trained rate   1.1 1.2 2.1   section1 section2 total
//   A1  部门    T    T      95%    4   2   4     6        4        10
//   B1  镇      T    T      60%    4   2   2     6        2         8
//   A2  部门    T    F      70%    4   0   2     4        2         6
//   B2  镇      F    F      90%    0   0   4     0        4         4
//   A3  部门    F    T      95%    0   2   4     2        4         6
//   A4  部门    T    F      50%    4   0   0     4        0         4
//   B3  镇      T    T     100%    4   2   4     6        4        10
const std::vector<unit_facts> cohort_facts = {
    {"A1", "部门", "true", "true", "95%"}, {"B1", "镇", "true", "true", "60%"},
    {"A2", "部门", "true", "false", "70%"}, {"B2", "镇", "false", "false", "90%"},
    {"A3", "部门", "false", "true", "95%"}, {"A4", "部门", "true", "false", "50%"},
    {"B3", "镇", "true", "true", "100%"},
};

// The cohort scored as a report scores it: each unit captured with `scope`, and its item
// scores added to `lost` when given (as `rubric report` tallies a million units).
std::vector<rubric::unit_result> score_cohort(const rubric::program& p,
                                              rubric::capture_scope scope = rubric::capture_scope::every_node,
                                              rubric::lost_points_tally* lost = nullptr) {
    std::vector<rubric::unit_result> out;
    rubric::fact_set facts;
    rubric::evaluation ev(p);
    for (const auto& u : cohort_facts) {
        facts.reset(p);
        facts.entity = u.id;
        REQUIRE(rubric::set_fact_text(p, p.find_input("doc"), u.doc, facts) == "");
        REQUIRE(rubric::set_fact_text(p, p.find_input("trained"), u.trained, facts) == "");
        REQUIRE(rubric::set_fact_text(p, p.find_input("rate"), u.rate, facts) == "");
        REQUIRE(rubric::fill_missing(p, facts) == "");
        rubric::evaluate(p, facts, ev);
        out.push_back(rubric::capture(p, facts, ev, u.group, scope));
        if (lost) lost->add(ev);
    }
    return out;
}

std::vector<std::string> ids(const std::vector<rubric::unit_result>& units, const rubric::group_ranking& g) {
    std::vector<std::string> out;
    for (const auto& r : g.units) out.push_back(units[r.unit].entity);
    return out;
}

}  // namespace

TEST_CASE("competition ranks: ties share the better rank and the next rank skips") {
    // 90, 85, 85, 80 → 1, 2, 2, 4 (the example in cohort.hpp).
    CHECK(rubric::competition_ranks({90, 85, 85, 80}) == std::vector<std::uint32_t>{1, 2, 2, 4});
    // Input order does not matter: 80, 85, 90, 85 → 4, 2, 1, 2.
    CHECK(rubric::competition_ranks({80, 85, 90, 85}) == std::vector<std::uint32_t>{4, 2, 1, 2});
    // Three-way tie at the top: 7, 7, 7, 6 → 1, 1, 1, 4.
    CHECK(rubric::competition_ranks({7, 7, 7, 6}) == std::vector<std::uint32_t>{1, 1, 1, 4});
    // Exact comparison: 0.1 + 0.2 equals 0.3 (a tie), 85.004 beats 85.001 although both show as 85.00.
    CHECK(rubric::competition_ranks({dec("0.1") + dec("0.2"), dec("0.3")}) == std::vector<std::uint32_t>{1, 1});
    CHECK(rubric::competition_ranks({dec("85.001"), dec("85.004")}) == std::vector<std::uint32_t>{2, 1});
    // 1/3 + 1/3 + 1/3 = 1 exactly: a tie with 1.
    const decimal third = decimal::fraction(1, 3);
    CHECK(rubric::competition_ranks({third + third + third, 1}) == std::vector<std::uint32_t>{1, 1});
    CHECK(rubric::competition_ranks({}).empty());
}

TEST_CASE("rankings per group, section ranks and the gap to the leader") {
    const auto prog = small_program();
    const auto units = score_cohort(*prog);
    // Totals from the table above.
    CHECK(units[0].total == 10);
    CHECK(units[2].total == 6);
    CHECK(units[3].total == 4);

    const auto report = rubric::analyse_cohort(*prog, units);
    REQUIRE(report.sections.size() == 2);
    CHECK(prog->tree().nodes[report.sections[0]].code == "1");
    CHECK(prog->tree().nodes[report.sections[1]].code == "2");
    CHECK_FALSE(report.has_previous);
    // Groups in the order of first appearance: 部门 (A1), then 镇 (B1).
    REQUIRE(report.groups.size() == 2);
    const auto& a = report.groups[0];
    const auto& b = report.groups[1];
    CHECK(a.group == "部门");
    CHECK(b.group == "镇");

    // 部门: totals A1 10, A2 6, A3 6, A4 4 → ranks 1, 2, 2, 4; the tie keeps input order (A2 before A3).
    CHECK(ids(units, a) == std::vector<std::string>{"A1", "A2", "A3", "A4"});
    CHECK(a.units[0].rank == 1);
    CHECK(a.units[1].rank == 2);
    CHECK(a.units[2].rank == 2);
    CHECK(a.units[3].rank == 4);
    // Gap to the leader (10): 0, 4, 4, 6.
    CHECK(a.leader_total == 10);
    CHECK(a.units[0].gap == 0);
    CHECK(a.units[1].gap == 4);
    CHECK(a.units[2].gap == 4);
    CHECK(a.units[3].gap == 6);
    // Section 1 (依法行政): A1 6, A2 4, A3 2, A4 4 → ranks 1, 2, 4, 2.
    CHECK(units[a.units[0].unit].sections[0] == 6);
    CHECK(a.units[0].section_ranks[0] == 1);
    CHECK(a.units[1].section_ranks[0] == 2);
    CHECK(a.units[2].section_ranks[0] == 4);
    CHECK(a.units[3].section_ranks[0] == 2);
    // Section 2 (服务): A1 4, A2 2, A3 4, A4 0 → ranks 1, 3, 1, 4.
    CHECK(a.units[0].section_ranks[1] == 1);
    CHECK(a.units[1].section_ranks[1] == 3);
    CHECK(a.units[2].section_ranks[1] == 1);
    CHECK(a.units[3].section_ranks[1] == 4);
    CHECK(a.section_best == std::vector<decimal>{6, 4});

    // 镇: B1 8, B2 4, B3 10 → B3 1, B1 2, B2 3; gaps 0, 2, 6. Ranked apart from 部门
    // (B3 is first in its group although A1 also has 10).
    CHECK(ids(units, b) == std::vector<std::string>{"B3", "B1", "B2"});
    CHECK(b.units[0].rank == 1);
    CHECK(b.units[1].rank == 2);
    CHECK(b.units[2].rank == 3);
    CHECK(b.units[1].gap == 2);
    CHECK(b.units[2].gap == 6);
    // Section 2 of 镇: B3 4, B1 2, B2 4 → ranks 1, 3, 1.
    CHECK(b.units[0].section_ranks[1] == 1);
    CHECK(b.units[1].section_ranks[1] == 3);
    CHECK(b.units[2].section_ranks[1] == 1);

    // Without groups the seven form one cohort: 10, 10, 8, 6, 6, 4, 4 → 1, 1, 3, 4, 4, 6, 6.
    auto ungrouped = units;
    for (auto& u : ungrouped) u.group.clear();
    const auto one = rubric::analyse_cohort(*prog, ungrouped);
    REQUIRE(one.groups.size() == 1);
    CHECK(ids(ungrouped, one.groups[0]) == std::vector<std::string>{"A1", "B3", "B1", "A2", "A3", "B2", "A4"});
    std::vector<std::uint32_t> ranks;
    for (const auto& r : one.groups[0].units) ranks.push_back(r.rank);
    CHECK(ranks == std::vector<std::uint32_t>{1, 1, 3, 4, 4, 6, 6});
}

TEST_CASE("warnings: a total strictly below the threshold") {
    const auto prog = small_program();
    const auto units = score_cohort(*prog);
    rubric::cohort_options o;
    o.warn_below = decimal(5);
    // Below 5: A4 (4) and B2 (4); 6 and above are not.
    const auto r = rubric::analyse_cohort(*prog, units, nullptr, o);
    CHECK(r.warned == 2);
    CHECK(r.groups[0].units[3].warned);  // A4
    CHECK_FALSE(r.groups[0].units[1].warned);
    CHECK(r.groups[1].units[2].warned);  // B2
    // At exactly the threshold there is no warning: below 6 are A4 and B2 only, not A2/A3 (6).
    o.warn_below = decimal(6);
    CHECK(rubric::analyse_cohort(*prog, units, nullptr, o).warned == 2);
    // Without the option nobody is flagged.
    CHECK(rubric::analyse_cohort(*prog, units).warned == 0);
}

TEST_CASE("period over period: score and rank changes, new and departed units") {
    const auto prog = small_program();
    const auto units = score_cohort(*prog);
    // The previous quarter. 部门: A1 8, A2 9, A3 5, A4 4, A5 6 → ranks A2 1, A1 2, A5 3, A3 4, A4 5.
    //                       镇: B1 7.5, B2 9 → B2 1, B1 2. B3 is new; A5 has gone.
    const std::vector<rubric::previous_unit> previous = {
        {"A1", "", "部门", 8},         {"A2", "", "部门", 9}, {"A3", "", "部门", 5}, {"A4", "", "部门", 4},
        {"A5", "已撤并", "部门", 6},   {"B1", "", "镇", dec("7.5")}, {"B2", "", "镇", 9},
    };
    const auto r = rubric::analyse_cohort(*prog, units, &previous);
    CHECK(r.has_previous);
    const auto& a = r.groups[0].units;  // A1, A2, A3, A4
    // A1: rank 1, before 2 → +1 进步; 10 − 8 = +2.
    CHECK(a[0].change == rubric::trend::up);
    CHECK(a[0].previous_rank == 2);
    CHECK(a[0].rank_change == 1);
    CHECK(a[0].score_change == 2);
    CHECK(a[0].previous_total == 8);
    // A2: rank 2, before 1 → −1 退步; 6 − 9 = −3.
    CHECK(a[1].change == rubric::trend::down);
    CHECK(a[1].rank_change == -1);
    CHECK(a[1].score_change == -3);
    // A3: rank 2, before 4 → +2 进步; 6 − 5 = +1.
    CHECK(a[2].change == rubric::trend::up);
    CHECK(a[2].rank_change == 2);
    CHECK(a[2].score_change == 1);
    // A4: rank 4, before 5 → +1 进步 with an unchanged score (4 − 4 = 0): A5 has left the group.
    CHECK(a[3].change == rubric::trend::up);
    CHECK(a[3].rank_change == 1);
    CHECK(a[3].score_change == 0);
    const auto& b = r.groups[1].units;  // B3, B1, B2
    // B3 has no previous result: 新增.
    CHECK(b[0].change == rubric::trend::new_unit);
    CHECK(std::string(rubric::to_chinese(b[0].change)) == "新增");
    // B1: rank 2, before 2 → 持平; 8 − 7.5 = +0.5.
    CHECK(b[1].change == rubric::trend::same);
    CHECK(b[1].rank_change == 0);
    CHECK(b[1].score_change == dec("0.5"));
    // B2: rank 3, before 1 → −2 退步; 4 − 9 = −5.
    CHECK(b[2].change == rubric::trend::down);
    CHECK(b[2].rank_change == -2);
    CHECK(b[2].score_change == -5);
    // A5 departed: it was third of 部门 with 6.
    REQUIRE(r.departed.size() == 1);
    CHECK(r.departed[0].entity == "A5");
    CHECK(r.departed[0].name == "已撤并");
    CHECK(r.departed[0].previous_rank == 3);
    CHECK(r.departed[0].previous_total == 6);
}

void check_lost_points(const rubric::program& prog, const rubric::cohort_report& r) {
    const auto& t = prog.tree();
    // 1.1 文件 (4): A3 and B2 lose 4 each → 2 units, 8 points.
    // 1.2 培训 (2): A2, A4 and B2 lose 2 each → 3 units, 6 points.
    // 2.1 办结率 (4): A2 loses 2 (70%), A4 4 (50%), B1 2 (60%) → 3 units, 8 points.
    // Order: 8 points first, and of the two 8s the one more units lost (2.1, 3 units) first; then 1.2.
    REQUIRE(r.lost.size() == 3);
    CHECK(t.nodes[r.lost[0].item].code == "2.1");
    CHECK(r.lost[0].units_losing == 3);
    CHECK(r.lost[0].points_lost == 8);
    CHECK(r.lost[0].points == 4);
    CHECK(r.lost[0].lead == std::vector<std::string>{"市财政局"});
    CHECK(t.nodes[r.lost[1].item].code == "1.1");
    CHECK(r.lost[1].units_losing == 2);
    CHECK(r.lost[1].points_lost == 8);
    CHECK(t.nodes[r.lost[2].item].code == "1.2");
    CHECK(r.lost[2].units_losing == 3);
    CHECK(r.lost[2].points_lost == 6);
    // By department: 市司法局 8 and 市财政局 8 (a tie, in name order: 司 U+53F8 before 财 U+8D22), 市人社局 6.
    REQUIRE(r.departments.size() == 3);
    CHECK(r.departments[0].department == "市司法局");
    CHECK(r.departments[0].points_lost == 8);
    CHECK(r.departments[1].department == "市财政局");
    CHECK(r.departments[2].department == "市人社局");
    CHECK(r.departments[2].points_lost == 6);
    CHECK(r.departments[2].items == 1);
}

TEST_CASE("lost points: per item, sorted by points lost, with the lead departments") {
    const auto prog = small_program();
    const auto units = score_cohort(*prog);
    check_lost_points(*prog, rubric::analyse_cohort(*prog, units));
}

TEST_CASE("lost points tallied as units are scored: the same analysis without keeping item scores") {
    const auto prog = small_program();
    rubric::lost_points_tally lost(*prog);
    const auto units = score_cohort(*prog, rubric::capture_scope::sections, &lost);
    CHECK(units[0].nodes.empty());
    // The level-1 sections are kept (依法行政 6 and 服务 4 for A1, as the ranking test works out).
    REQUIRE(units[0].sections.size() == 2);
    CHECK(units[0].sections[0] == 6);
    CHECK(units[0].sections[1] == 4);
    const auto r = rubric::analyse_cohort(*prog, units, lost);
    check_lost_points(*prog, r);
    // The rankings read only the kept sections: the same as from every node.
    const auto full = rubric::analyse_cohort(*prog, score_cohort(*prog));
    REQUIRE(r.groups.size() == full.groups.size());
    for (std::size_t g = 0; g < r.groups.size(); ++g) {
        REQUIRE(r.groups[g].units.size() == full.groups[g].units.size());
        for (std::size_t k = 0; k < r.groups[g].units.size(); ++k) {
            CHECK(r.groups[g].units[k].rank == full.groups[g].units[k].rank);
            CHECK(r.groups[g].units[k].section_ranks == full.groups[g].units[k].section_ranks);
        }
    }
}

TEST_CASE("lost points leave out items nobody lost points on") {
    const auto prog = small_program();
    auto units = score_cohort(*prog);
    units.erase(units.begin() + 1, units.end());  // only A1, with full marks
    const auto r = rubric::analyse_cohort(*prog, units);
    CHECK(r.lost.empty());
    CHECK(r.departments.empty());
    REQUIRE(r.groups.size() == 1);
    CHECK(r.groups[0].units[0].rank == 1);
    CHECK(r.groups[0].units[0].gap == 0);
}
