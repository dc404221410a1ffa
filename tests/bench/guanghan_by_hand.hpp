// The 广汉 2023 table (shared/rubric-specs/guanghan-2023.json) written by hand as plain C++ over
// int64 rationals: the yardstick that `evaluate` is measured against (issue 12). Nothing here uses
// the engine: one function per leaf, as the leaf's rule reads, and the sums of the table's levels.
//
// It is exact for the ranges the benchmark generates (counts up to a few thousand); an operation
// that would overflow int64 throws std::overflow_error rather than give a wrong score.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <numeric>
#include <stdexcept>

namespace guanghan_by_hand {

// n/d with d > 0, reduced.
struct q {
    std::int64_t n = 0, d = 1;
};
constexpr q zero{0, 1};

[[noreturn]] inline void overflowed() { throw std::overflow_error("guanghan_by_hand: int64 overflow"); }

inline q reduced(std::int64_t n, std::int64_t d) {
    const std::int64_t g = std::gcd(n, d);  // d > 0, so g > 0
    return {n / g, d / g};
}

inline q add(q a, q b) {
    std::int64_t n, x, y, d;
    if (a.d == b.d) {
        if (__builtin_add_overflow(a.n, b.n, &n)) overflowed();
        return reduced(n, a.d);
    }
    if (__builtin_mul_overflow(a.n, b.d, &x) || __builtin_mul_overflow(b.n, a.d, &y) ||
        __builtin_add_overflow(x, y, &n) || __builtin_mul_overflow(a.d, b.d, &d))
        overflowed();
    return reduced(n, d);
}
inline q neg(q a) { return {-a.n, a.d}; }
inline q mul(q a, std::int64_t k) {
    std::int64_t n;
    if (__builtin_mul_overflow(a.n, k, &n)) overflowed();
    return reduced(n, a.d);
}
inline q mul(q a, q b) {
    std::int64_t n, d;
    if (__builtin_mul_overflow(a.n, b.n, &n) || __builtin_mul_overflow(a.d, b.d, &d)) overflowed();
    return reduced(n, d);
}
// -1, 0, 1: cross-multiplied in 128 bits, so no overflow.
inline int compare(q a, q b) {
    const __int128 l = static_cast<__int128>(a.n) * b.d, r = static_cast<__int128>(b.n) * a.d;
    return (l > r) - (l < r);
}
inline q min(q a, q b) { return compare(b, a) < 0 ? b : a; }
inline q max(q a, q b) { return compare(a, b) < 0 ? b : a; }
inline q clamp(q v, q lo, q hi) { return max(lo, min(v, hi)); }
inline q sum(std::initializer_list<q> parts) {
    q s = zero;
    for (q p : parts) s = add(s, p);
    return s;
}

enum class cmp { ge, gt, le, lt, eq, ne };
inline bool holds(q a, cmp op, q b) {
    const int c = compare(a, b);
    switch (op) {
        case cmp::ge: return c >= 0;
        case cmp::gt: return c > 0;
        case cmp::le: return c <= 0;
        case cmp::lt: return c < 0;
        case cmp::eq: return c == 0;
        case cmp::ne: return c != 0;
    }
    return false;
}

// A value that may be undefined: a ratio whose denominator is 0.
struct opt_q {
    q v;
    bool defined = false;
};
inline opt_q ratio(std::int64_t num, std::int64_t den) {
    if (den == 0) return {};
    return {reduced(num, den), true};  // counts are >= 0, so den > 0
}
// A condition on a ratio is false when the ratio is undefined.
inline bool ratio_holds(std::int64_t num, std::int64_t den, cmp op, q b) {
    const opt_q r = ratio(num, den);
    return r.defined && holds(r.v, op, b);
}

struct band {
    q min, score;
};
// The score of the first band whose minimum the value reaches (highest first), else 0.
inline q tier(opt_q v, std::initializer_list<band> bands, q if_undefined) {
    if (!v.defined) return if_undefined;
    for (const band& b : bands)
        if (compare(v.v, b.min) >= 0) return b.score;
    return zero;
}
// min(cap, max(0, value × scale)).
inline q rate(opt_q v, q scale, q cap, q if_undefined) {
    if (!v.defined) return if_undefined;
    return min(cap, max(zero, mul(v.v, scale)));
}
// base − min(max_deduct, per × count), floored at 0 when there is a base; with base 0, a penalty.
inline q deduct(q base, q per, std::int64_t count, q max_deduct) {
    const q taken = min(max_deduct, mul(per, count));
    const q left = add(base, neg(taken));
    return base.n > 0 ? max(zero, left) : left;
}

struct facts {
    bool decision_rules_doc = false;
    std::int64_t decision_proc_aspects = 0;
    bool decision_proc_executed = false;
    bool legal_adviser_mechanism = false;
    bool legal_adviser_hired = false;
    bool decision_record_archive_rule = false;
    bool decision_post_evaluation = false;
    bool enforcers_all_certified = false;
    q case_file_review_score;
    bool case_file_evaluation_held = false;
    bool major_enforcement_filing_ok = false;
    std::int64_t two_law_entries_agencies = 0;
    std::int64_t two_law_entries_platform = 0;
    std::int64_t two_law_unconnected_agencies = 0;
    bool enforcement_accountability = false;
    bool leader_court_system = false;
    bool no_major_discipline_cases = false;
    bool no_staff_crime_cases = false;
    bool complaint_channel = false;
    bool media_issue_response = false;
    bool disclose_meetings = false;
    bool disclose_decisions = false;
    bool disclose_policy_docs = false;
    bool disclose_proposals = false;
    bool disclose_power_list = false;
    bool disclose_key_areas = false;
    bool foi_request_column = false;
    bool foi_reply_ok = false;
    bool policy_interpretation_ok = false;
    bool opinion_response_ok = false;
    bool consult_column_ok = false;
    bool survey_column_ok = false;
    bool service_guides_standard = false;
    bool ywtb_list_published = false;
    std::int64_t zdpyc_list_items = 0;
    bool online_unified_entry = false;
    bool online_interconnect = false;
    bool online_unified_auth = false;
    bool online_consult_channel = false;
    q hall_entry_rate;
    q one_window_rate;
    bool service_hotline_open = false;
    bool web_accessible = false;
    bool web_staffing_updates = false;
    bool web_repost_major = false;
    bool web_search_sitemap = false;
    bool web_compat_a11y = false;
    bool web_guideline_compliance = false;
    bool web_format_printable = false;
    bool web_cluster_integration = false;
    bool web_security_ipv6 = false;
    bool two_weibo_one_app = false;
    bool policy_briefing_system = false;
    bool gazette_management_rule = false;
    bool gazette_electronic_edition = false;
    bool foi_regulation_promoted = false;
    bool disclosure_review_system = false;
    bool disclosure_team = false;
    bool disclosure_training = false;
    bool disclosure_funding = false;
    bool disclosure_in_target_assessment = false;
    bool approval_items_synced = false;
    bool intermediary_cert_cleanup = false;
    bool public_services_all_in_hall = false;
    bool intermediary_query_channel = false;
    bool intermediary_online_market = false;
    bool fee_catalog_public = false;
    bool fee_list_updated = false;
    bool fee_one_window = false;
    bool no_fee_for_permits = false;
    bool power_list_cleanup = false;
    bool pre_info_publicity = false;
    bool pre_credit_commitment = false;
    bool pre_credit_query = false;
    bool mid_classified_supervision = false;
    bool mid_random_inspection = false;
    bool post_red_black_list = false;
    bool post_joint_incentive = false;
    bool post_joint_reward_punish = false;
    std::int64_t zdpyc_items = 0;
    std::int64_t apply_items_total = 0;
    std::int64_t zdpyc_done_in_time = 0;
    std::int64_t zdpyc_accepted = 0;
    std::int64_t hotline_completed = 0;
    std::int64_t hotline_accepted = 0;
    bool policy_consistency_statement = false;
    std::int64_t policy_inconsistencies = 0;
    bool policy_no_early_repeal = false;
    bool dev_plan_exists = false;
    q dev_plan_rate;
    bool annual_work_evidence = false;
    std::int64_t annual_items_late = 0;
    bool gov_decision_evidence = false;
    std::int64_t gov_decisions_late = 0;
    bool commitment_evidence = false;
    std::int64_t commitments_unfulfilled = 0;
    bool policy_execution_evidence = false;
    std::int64_t policies_unexecuted = 0;
    bool contract_evidence = false;
    std::int64_t contracts_unperformed = 0;
    bool credit_leading_body = false;
    bool credit_special_funding = false;
    bool credit_task_division = false;
    bool credit_responsible_units = false;
    bool credit_schedule = false;
    bool credit_supervision_done = false;
    bool credit_assessment_result_doc = false;
    bool credit_pilot_demo = false;
    bool double_publicity_reported = false;
    q double_publicity_quality_rate;
    bool red_black_list_reported = false;
    bool credit_info_monthly_on_time = false;
    q credit_info_month_rate;
    bool cs_education_doc = false;
    bool cs_education_evidence = false;
    bool cs_archive_doc = false;
    bool cs_archive_system = false;
    std::int64_t cs_archived = 0;
    std::int64_t cs_total = 0;
    bool cs_credit_use_rule = false;
    bool cs_credit_push_evidence = false;
    bool dishonesty_record_built = false;
    bool dishonesty_record_published = false;
    bool dishonesty_statement = false;
    std::int64_t gov_dishonesty_new = 0;
    bool gov_dishonesty_all_rectified = false;
    bool accountability_rule = false;
    bool no_dishonesty_cases = false;
    bool dishonesty_punish_proof = false;
    bool procurement_credit_rule = false;
    bool procurement_credit_products = false;
    bool ppp_default_record = false;
    bool bidding_credit_rule = false;
    bool bidding_credit_report_used = false;
    bool investment_commitment_rule = false;
    bool investment_commitment_public = false;
    bool no_gov_arrears = false;
    bool town_credit_plan = false;
    bool town_credit_commitment = false;

    // Fills every field from `get(name, n, d)`, which gives the fact `name` as the fraction n/d.
    template <class Get>
    void read(Get&& get) {
        decision_rules_doc = get("decision_rules_doc").n != 0;
        decision_proc_aspects = get("decision_proc_aspects").n;
        decision_proc_executed = get("decision_proc_executed").n != 0;
        legal_adviser_mechanism = get("legal_adviser_mechanism").n != 0;
        legal_adviser_hired = get("legal_adviser_hired").n != 0;
        decision_record_archive_rule = get("decision_record_archive_rule").n != 0;
        decision_post_evaluation = get("decision_post_evaluation").n != 0;
        enforcers_all_certified = get("enforcers_all_certified").n != 0;
        case_file_review_score = get("case_file_review_score");
        case_file_evaluation_held = get("case_file_evaluation_held").n != 0;
        major_enforcement_filing_ok = get("major_enforcement_filing_ok").n != 0;
        two_law_entries_agencies = get("two_law_entries_agencies").n;
        two_law_entries_platform = get("two_law_entries_platform").n;
        two_law_unconnected_agencies = get("two_law_unconnected_agencies").n;
        enforcement_accountability = get("enforcement_accountability").n != 0;
        leader_court_system = get("leader_court_system").n != 0;
        no_major_discipline_cases = get("no_major_discipline_cases").n != 0;
        no_staff_crime_cases = get("no_staff_crime_cases").n != 0;
        complaint_channel = get("complaint_channel").n != 0;
        media_issue_response = get("media_issue_response").n != 0;
        disclose_meetings = get("disclose_meetings").n != 0;
        disclose_decisions = get("disclose_decisions").n != 0;
        disclose_policy_docs = get("disclose_policy_docs").n != 0;
        disclose_proposals = get("disclose_proposals").n != 0;
        disclose_power_list = get("disclose_power_list").n != 0;
        disclose_key_areas = get("disclose_key_areas").n != 0;
        foi_request_column = get("foi_request_column").n != 0;
        foi_reply_ok = get("foi_reply_ok").n != 0;
        policy_interpretation_ok = get("policy_interpretation_ok").n != 0;
        opinion_response_ok = get("opinion_response_ok").n != 0;
        consult_column_ok = get("consult_column_ok").n != 0;
        survey_column_ok = get("survey_column_ok").n != 0;
        service_guides_standard = get("service_guides_standard").n != 0;
        ywtb_list_published = get("ywtb_list_published").n != 0;
        zdpyc_list_items = get("zdpyc_list_items").n;
        online_unified_entry = get("online_unified_entry").n != 0;
        online_interconnect = get("online_interconnect").n != 0;
        online_unified_auth = get("online_unified_auth").n != 0;
        online_consult_channel = get("online_consult_channel").n != 0;
        hall_entry_rate = get("hall_entry_rate");
        one_window_rate = get("one_window_rate");
        service_hotline_open = get("service_hotline_open").n != 0;
        web_accessible = get("web_accessible").n != 0;
        web_staffing_updates = get("web_staffing_updates").n != 0;
        web_repost_major = get("web_repost_major").n != 0;
        web_search_sitemap = get("web_search_sitemap").n != 0;
        web_compat_a11y = get("web_compat_a11y").n != 0;
        web_guideline_compliance = get("web_guideline_compliance").n != 0;
        web_format_printable = get("web_format_printable").n != 0;
        web_cluster_integration = get("web_cluster_integration").n != 0;
        web_security_ipv6 = get("web_security_ipv6").n != 0;
        two_weibo_one_app = get("two_weibo_one_app").n != 0;
        policy_briefing_system = get("policy_briefing_system").n != 0;
        gazette_management_rule = get("gazette_management_rule").n != 0;
        gazette_electronic_edition = get("gazette_electronic_edition").n != 0;
        foi_regulation_promoted = get("foi_regulation_promoted").n != 0;
        disclosure_review_system = get("disclosure_review_system").n != 0;
        disclosure_team = get("disclosure_team").n != 0;
        disclosure_training = get("disclosure_training").n != 0;
        disclosure_funding = get("disclosure_funding").n != 0;
        disclosure_in_target_assessment = get("disclosure_in_target_assessment").n != 0;
        approval_items_synced = get("approval_items_synced").n != 0;
        intermediary_cert_cleanup = get("intermediary_cert_cleanup").n != 0;
        public_services_all_in_hall = get("public_services_all_in_hall").n != 0;
        intermediary_query_channel = get("intermediary_query_channel").n != 0;
        intermediary_online_market = get("intermediary_online_market").n != 0;
        fee_catalog_public = get("fee_catalog_public").n != 0;
        fee_list_updated = get("fee_list_updated").n != 0;
        fee_one_window = get("fee_one_window").n != 0;
        no_fee_for_permits = get("no_fee_for_permits").n != 0;
        power_list_cleanup = get("power_list_cleanup").n != 0;
        pre_info_publicity = get("pre_info_publicity").n != 0;
        pre_credit_commitment = get("pre_credit_commitment").n != 0;
        pre_credit_query = get("pre_credit_query").n != 0;
        mid_classified_supervision = get("mid_classified_supervision").n != 0;
        mid_random_inspection = get("mid_random_inspection").n != 0;
        post_red_black_list = get("post_red_black_list").n != 0;
        post_joint_incentive = get("post_joint_incentive").n != 0;
        post_joint_reward_punish = get("post_joint_reward_punish").n != 0;
        zdpyc_items = get("zdpyc_items").n;
        apply_items_total = get("apply_items_total").n;
        zdpyc_done_in_time = get("zdpyc_done_in_time").n;
        zdpyc_accepted = get("zdpyc_accepted").n;
        hotline_completed = get("hotline_completed").n;
        hotline_accepted = get("hotline_accepted").n;
        policy_consistency_statement = get("policy_consistency_statement").n != 0;
        policy_inconsistencies = get("policy_inconsistencies").n;
        policy_no_early_repeal = get("policy_no_early_repeal").n != 0;
        dev_plan_exists = get("dev_plan_exists").n != 0;
        dev_plan_rate = get("dev_plan_rate");
        annual_work_evidence = get("annual_work_evidence").n != 0;
        annual_items_late = get("annual_items_late").n;
        gov_decision_evidence = get("gov_decision_evidence").n != 0;
        gov_decisions_late = get("gov_decisions_late").n;
        commitment_evidence = get("commitment_evidence").n != 0;
        commitments_unfulfilled = get("commitments_unfulfilled").n;
        policy_execution_evidence = get("policy_execution_evidence").n != 0;
        policies_unexecuted = get("policies_unexecuted").n;
        contract_evidence = get("contract_evidence").n != 0;
        contracts_unperformed = get("contracts_unperformed").n;
        credit_leading_body = get("credit_leading_body").n != 0;
        credit_special_funding = get("credit_special_funding").n != 0;
        credit_task_division = get("credit_task_division").n != 0;
        credit_responsible_units = get("credit_responsible_units").n != 0;
        credit_schedule = get("credit_schedule").n != 0;
        credit_supervision_done = get("credit_supervision_done").n != 0;
        credit_assessment_result_doc = get("credit_assessment_result_doc").n != 0;
        credit_pilot_demo = get("credit_pilot_demo").n != 0;
        double_publicity_reported = get("double_publicity_reported").n != 0;
        double_publicity_quality_rate = get("double_publicity_quality_rate");
        red_black_list_reported = get("red_black_list_reported").n != 0;
        credit_info_monthly_on_time = get("credit_info_monthly_on_time").n != 0;
        credit_info_month_rate = get("credit_info_month_rate");
        cs_education_doc = get("cs_education_doc").n != 0;
        cs_education_evidence = get("cs_education_evidence").n != 0;
        cs_archive_doc = get("cs_archive_doc").n != 0;
        cs_archive_system = get("cs_archive_system").n != 0;
        cs_archived = get("cs_archived").n;
        cs_total = get("cs_total").n;
        cs_credit_use_rule = get("cs_credit_use_rule").n != 0;
        cs_credit_push_evidence = get("cs_credit_push_evidence").n != 0;
        dishonesty_record_built = get("dishonesty_record_built").n != 0;
        dishonesty_record_published = get("dishonesty_record_published").n != 0;
        dishonesty_statement = get("dishonesty_statement").n != 0;
        gov_dishonesty_new = get("gov_dishonesty_new").n;
        gov_dishonesty_all_rectified = get("gov_dishonesty_all_rectified").n != 0;
        accountability_rule = get("accountability_rule").n != 0;
        no_dishonesty_cases = get("no_dishonesty_cases").n != 0;
        dishonesty_punish_proof = get("dishonesty_punish_proof").n != 0;
        procurement_credit_rule = get("procurement_credit_rule").n != 0;
        procurement_credit_products = get("procurement_credit_products").n != 0;
        ppp_default_record = get("ppp_default_record").n != 0;
        bidding_credit_rule = get("bidding_credit_rule").n != 0;
        bidding_credit_report_used = get("bidding_credit_report_used").n != 0;
        investment_commitment_rule = get("investment_commitment_rule").n != 0;
        investment_commitment_public = get("investment_commitment_public").n != 0;
        no_gov_arrears = get("no_gov_arrears").n != 0;
        town_credit_plan = get("town_credit_plan").n != 0;
        town_credit_commitment = get("town_credit_commitment").n != 0;
    }
};

constexpr int leaf_count = 66, level2_count = 20, level1_count = 5;
// Codes in document order ("1.2.4"), to match the engine's nodes.
extern const char* const leaf_codes[leaf_count];
extern const char* const level2_codes[level2_count];
extern const char* const level1_codes[level1_count];

struct scores {
    q leaf[leaf_count], level2[level2_count], level1[level1_count], total;
};

// Scores one unit: every leaf, every level-2 and level-1 indicator, and the total.
void score_unit(const facts& f, scores& s);

}  // namespace guanghan_by_hand
