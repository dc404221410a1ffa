// Generated once from the spec, then read over: see guanghan_by_hand.hpp for why it exists.
// Each function is one leaf of the 广汉 table; the comment above it is the spec's reading of the
// leaf's 评分标准 (rule_text), the code says the same thing in C++.
#include "guanghan_by_hand.hpp"

namespace guanghan_by_hand {
namespace {

// 1.1.1 建立健全重大行政决策程序制度 (1分): 出台相关文件的，加1分
//   score = clamp(1·[decision_rules_doc], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_1_1_1(const facts& f) { return clamp((f.decision_rules_doc ? q{1, 1} : zero), zero, q{1, 1}); }

// 1.1.2 遵守重大行政决策程序 (1分): 有完备程序并严格执行的，加1分；有较完备程序并执行的，加0.5分
//   score = clamp((0 if ¬decision_proc_executed, else (1 if decision_proc_aspects ≥ 5; 0.5 if 3 ≤ decision_proc_aspects < 5; 0 if decision_proc_aspects < 3)), 0, 1). Missing facts count as false / 0.
q leaf_1_1_2(const facts& f) { return clamp((f.decision_proc_executed ? tier(opt_q{q{f.decision_proc_aspects, 1}, true}, {{q{5, 1}, q{1, 1}}, {q{3, 1}, q{1, 2}}}, q{0, 1}) : zero), zero, q{1, 1}); }

// 1.1.3 推进政府法律顾问制度 (1分): 每实现一项，加0.5分
//   score = clamp(min(1, 0.5·([legal_adviser_mechanism] + [legal_adviser_hired])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_1_1_3(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.legal_adviser_mechanism) + int(f.legal_adviser_hired)), q{1, 1}), zero, q{1, 1}); }

// 1.1.4 建立重大行政决策实施情况后评估制度、责任追究制度 (1分): 每实现一项，加0.5分
//   score = clamp(min(1, 0.5·([decision_record_archive_rule] + [decision_post_evaluation])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_1_1_4(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.decision_record_archive_rule) + int(f.decision_post_evaluation)), q{1, 1}), zero, q{1, 1}); }

// 1.2.1 建立行政执法人员执法资格制度 (1分): 行政执法人员全部取得执法资格，加1分
//   score = clamp(1·[enforcers_all_certified], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_1_2_1(const facts& f) { return clamp((f.enforcers_all_certified ? q{1, 1} : zero), zero, q{1, 1}); }

// 1.2.2 健全行政执法案卷评查制度 (1分): 1.执法案卷合法性审查和目录归档情况，打分最高0.5分；  2.开展执法案卷评查活动的，加0.5分
//   P1 = min(0.5, max(0, case_file_review_score)). P2 = 0.5·[case_file_evaluation_held]. score = clamp(P1 + P2, 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_1_2_2(const facts& f) { return clamp(sum({clamp(f.case_file_review_score, zero, q{1, 2}), (f.case_file_evaluation_held ? q{1, 2} : zero)}), zero, q{1, 1}); }

// 1.2.3 执行重大行政执法决定备案审查制度 (1分): 符合要求的，加1分
//   score = clamp(1·[major_enforcement_filing_ok], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_1_2_3(const facts& f) { return clamp((f.major_enforcement_filing_ok ? q{1, 1} : zero), zero, q{1, 1}); }

// 1.2.4 完善行政执法和刑事司法相衔接机制 (1分): 1.按录入率占比折算，即录入率乘以分值（即1分）得出得分。（录入率＝辖区内各行政执法机关录入总条数／执法监督平台录入总条数）  2.未按规定接入平台的，每缺少一家扣0.2分，最高扣1分
//   Let two_law_entry_rate = two_law_entries_agencies / two_law_entries_platform (undefined when two_law_entries_platform = 0). P1 = min(1, max(0, 1·two_law_entry_rate)) (0 if two_law_entry_rate is undefined). P2 = −min(1, 0.2·two_law_unconnected_agencies). score = clamp(P1 + P2, 0, 1). Missing facts count as false / 0.
q leaf_1_2_4(const facts& f) { return clamp(sum({rate(ratio(f.two_law_entries_agencies, f.two_law_entries_platform), q{1, 1}, q{1, 1}, q{0, 1}), deduct(q{0, 1}, q{1, 5}, f.two_law_unconnected_agencies, q{1, 1})}), zero, q{1, 1}); }

// 1.2.5 完善依法行政执法责任制 (0.5分): 建立常态化责任追究机制的，加0.5分
//   score = clamp(0.5·[enforcement_accountability], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_1_2_5(const facts& f) { return clamp((f.enforcement_accountability ? q{1, 2} : zero), zero, q{1, 2}); }

// 1.3.1 自觉接受人大、政协和司法监督 (1.5分): 1.建立部门领导出庭应诉制度的，加0.5分；未建立应诉制度不得分  2.未发生重大行政违纪违法案件，加0.5分，发生重大行政违纪违法案件不得分  3.未发生行政机关工作人员违法犯罪案件，加0.5分，发生违法犯罪不得分
//   score = clamp(0.5·[leader_court_system] + 0.5·[no_major_discipline_cases] + 0.5·[no_staff_crime_cases], 0, 1.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_1_3_1(const facts& f) { return clamp(sum({f.leader_court_system ? q{1, 2} : zero, f.no_major_discipline_cases ? q{1, 2} : zero, f.no_staff_crime_cases ? q{1, 2} : zero}), zero, q{3, 2}); }

// 1.3.2 自觉接受公众和舆论监督 (2分): 每实现一项，加1分
//   score = clamp(min(2, 1·([complaint_channel] + [media_issue_response])), 0, 2). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_1_3_2(const facts& f) { return clamp(min(mul(q{1, 1}, int(f.complaint_channel) + int(f.media_issue_response)), q{2, 1}), zero, q{2, 1}); }

// 2.1.1 主动公开 (3分): 每实现一项加0.5分
//   score = clamp(min(3, 0.5·([disclose_meetings] + [disclose_decisions] + [disclose_policy_docs] + [disclose_proposals] + [disclose_power_list] + [disclose_key_areas])), 0, 3). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_1_1(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.disclose_meetings) + int(f.disclose_decisions) + int(f.disclose_policy_docs) + int(f.disclose_proposals) + int(f.disclose_power_list) + int(f.disclose_key_areas)), q{3, 1}), zero, q{3, 1}); }

// 2.1.2 依法申请公开 (1分): 每实现一项，加0.5分
//   score = clamp(min(1, 0.5·([foi_request_column] + [foi_reply_ok])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_1_2(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.foi_request_column) + int(f.foi_reply_ok)), q{1, 1}), zero, q{1, 1}); }

// 2.2.1 政策解读 (0.5分): 符合要求的，加0.5分
//   score = clamp(0.5·[policy_interpretation_ok], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_2_1(const facts& f) { return clamp((f.policy_interpretation_ok ? q{1, 2} : zero), zero, q{1, 2}); }

// 2.2.2 舆情回应 (0.5分): 符合要求的，加0.5分
//   score = clamp(0.5·[opinion_response_ok], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_2_2(const facts& f) { return clamp((f.opinion_response_ok ? q{1, 2} : zero), zero, q{1, 2}); }

// 2.2.3 公众参与 (1分): 每实现一项，加0.5分
//   score = clamp(min(1, 0.5·([consult_column_ok] + [survey_column_ok])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_2_3(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.consult_column_ok) + int(f.survey_column_ok)), q{1, 1}), zero, q{1, 1}); }

// 2.3.1 事项管理 (1分): 每实现一项，加0.5分
//   score = clamp(min(1, 0.5·([service_guides_standard] + [ywtb_list_published ∧ (zdpyc_list_items ≥ 25)])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_3_1(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.service_guides_standard) + int((f.ywtb_list_published && (f.zdpyc_list_items >= 25)))), q{1, 1}), zero, q{1, 1}); }

// 2.3.2 网上服务 (2分): 每实现一项，加0.5分
//   score = clamp(min(2, 0.5·([online_unified_entry] + [online_interconnect] + [online_unified_auth] + [online_consult_channel])), 0, 2). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_3_2(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.online_unified_entry) + int(f.online_interconnect) + int(f.online_unified_auth) + int(f.online_consult_channel)), q{2, 1}), zero, q{2, 1}); }

// 2.3.3 政务服务中心 (1分): 每实现一项，加0.5分
//   score = clamp(min(1, 0.5·([(hall_entry_rate ≥ 0.7) ∧ (one_window_rate ≥ 0.5)] + [service_hotline_open])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_3_3(const facts& f) { return clamp(min(mul(q{1, 2}, int((holds(f.hall_entry_rate, cmp::ge, q{7, 10}) && holds(f.one_window_rate, cmp::ge, q{1, 2}))) + int(f.service_hotline_open)), q{1, 1}), zero, q{1, 1}); }

// 2.4.1 政府网站 (2分): 每符合一项，加0.25分，最高加2分
//   score = clamp(min(2, 0.25·([web_accessible] + [web_staffing_updates] + [web_repost_major] + [web_search_sitemap] + [web_compat_a11y] + [web_guideline_compliance] + [web_format_printable] + [web_cluster_integration] + [web_security_ipv6])), 0, 2). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_4_1(const facts& f) { return clamp(min(mul(q{1, 4}, int(f.web_accessible) + int(f.web_staffing_updates) + int(f.web_repost_major) + int(f.web_search_sitemap) + int(f.web_compat_a11y) + int(f.web_guideline_compliance) + int(f.web_format_printable) + int(f.web_cluster_integration) + int(f.web_security_ipv6)), q{2, 1}), zero, q{2, 1}); }

// 2.4.2 “两微一端” (0.5分): 符合要求，加0.5分
//   score = clamp(0.5·[two_weibo_one_app], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_4_2(const facts& f) { return clamp((f.two_weibo_one_app ? q{1, 2} : zero), zero, q{1, 2}); }

// 2.4.3 政策吹风会 (0.5分): 符合要求，加0.5分
//   score = clamp(0.5·[policy_briefing_system], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_4_3(const facts& f) { return clamp((f.policy_briefing_system ? q{1, 2} : zero), zero, q{1, 2}); }

// 2.4.4 政府公报 (1分): 每实现一项，加0.5分
//   score = clamp(min(1, 0.5·([gazette_management_rule] + [gazette_electronic_edition])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_4_4(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.gazette_management_rule) + int(f.gazette_electronic_edition)), q{1, 1}), zero, q{1, 1}); }

// 2.5.1 《政府信息公开条例》 (0.5分): 符合要求，加0.5分
//   score = clamp(0.5·[foi_regulation_promoted], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_5_1(const facts& f) { return clamp((f.foi_regulation_promoted ? q{1, 2} : zero), zero, q{1, 2}); }

// 2.5.2 政府信息公开审查 (0.5分): 符合要求，加0.5分
//   score = clamp(0.5·[disclosure_review_system], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_5_2(const facts& f) { return clamp((f.disclosure_review_system ? q{1, 2} : zero), zero, q{1, 2}); }

// 2.5.3 队伍建设 (0.5分): 符合要求，加0.5分
//   score = clamp(0.5·[disclosure_team], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_5_3(const facts& f) { return clamp((f.disclosure_team ? q{1, 2} : zero), zero, q{1, 2}); }

// 2.5.4 业务培训 (0.5分): 符合要求，加0.5分
//   score = clamp(0.5·[disclosure_training], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_5_4(const facts& f) { return clamp((f.disclosure_training ? q{1, 2} : zero), zero, q{1, 2}); }

// 2.5.5 经费保障 (0.5分): 符合要求，加0.5分
//   score = clamp(0.5·[disclosure_funding], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_5_5(const facts& f) { return clamp((f.disclosure_funding ? q{1, 2} : zero), zero, q{1, 2}); }

// 2.5.6 目标考核 (0.5分): 符合要求，加0.5分
//   score = clamp(0.5·[disclosure_in_target_assessment], 0, 0.5). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_2_5_6(const facts& f) { return clamp((f.disclosure_in_target_assessment ? q{1, 2} : zero), zero, q{1, 2}); }

// 3.1.1 配合衔接清理事项情况 (2分): 每实现一项，加1分
//   score = clamp(min(2, 1·([approval_items_synced] + [intermediary_cert_cleanup])), 0, 2). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_3_1_1(const facts& f) { return clamp(min(mul(q{1, 1}, int(f.approval_items_synced) + int(f.intermediary_cert_cleanup)), q{2, 1}), zero, q{2, 1}); }

// 3.1.2 加强公共服务事项管理 (1分): 符合要求，加1分
//   score = clamp(1·[public_services_all_in_hall], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_3_1_2(const facts& f) { return clamp((f.public_services_all_in_hall ? q{1, 1} : zero), zero, q{1, 1}); }

// 3.1.3 加强中介服务管理 (2分): 每实现一项，加1分
//   score = clamp(min(2, 1·([intermediary_query_channel] + [intermediary_online_market])), 0, 2). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_3_1_3(const facts& f) { return clamp(min(mul(q{1, 1}, int(f.intermediary_query_channel) + int(f.intermediary_online_market)), q{2, 1}), zero, q{2, 1}); }

// 3.1.4 公开收费清单 (4分): 每实现一项，加1分
//   score = clamp(min(4, 1·([fee_catalog_public] + [fee_list_updated] + [fee_one_window] + [no_fee_for_permits])), 0, 4). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_3_1_4(const facts& f) { return clamp(min(mul(q{1, 1}, int(f.fee_catalog_public) + int(f.fee_list_updated) + int(f.fee_one_window) + int(f.no_fee_for_permits)), q{4, 1}), zero, q{4, 1}); }

// 3.1.5 优化简化行政流程 (1分): 符合要求，加1分
//   score = clamp(1·[power_list_cleanup], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_3_1_5(const facts& f) { return clamp((f.power_list_cleanup ? q{1, 1} : zero), zero, q{1, 1}); }

// 3.2.1 事前监管方式及成效 (3分): 开展每一项工作并  取得成效加1分
//   score = clamp(min(3, 1·([pre_info_publicity] + [pre_credit_commitment] + [pre_credit_query])), 0, 3). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_3_2_1(const facts& f) { return clamp(min(mul(q{1, 1}, int(f.pre_info_publicity) + int(f.pre_credit_commitment) + int(f.pre_credit_query)), q{3, 1}), zero, q{3, 1}); }

// 3.2.2 事中监管方式及成效 (3分): 开展每一项工作并取得成效加1.5分
//   score = clamp(min(3, 1.5·([mid_classified_supervision] + [mid_random_inspection])), 0, 3). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_3_2_2(const facts& f) { return clamp(min(mul(q{3, 2}, int(f.mid_classified_supervision) + int(f.mid_random_inspection)), q{3, 1}), zero, q{3, 1}); }

// 3.2.3 事后监管方式及成效 (2分): 开展每一项工作并  取得成效加1分
//   score = clamp(min(2, 1·([post_red_black_list] + [post_joint_incentive] + [post_joint_reward_punish])), 0, 2). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_3_2_3(const facts& f) { return clamp(min(mul(q{1, 1}, int(f.post_red_black_list) + int(f.post_joint_incentive) + int(f.post_joint_reward_punish)), q{2, 1}), zero, q{2, 1}); }

// 3.3.1 “最多跑一次”事项覆盖情况 (2分): 覆盖率80％以上，加2分；  覆盖率70％-79％；加1分；  覆盖率70％以下，不得分
//   Let zdpyc_coverage = zdpyc_items / apply_items_total (undefined when apply_items_total = 0). score = clamp((2 if zdpyc_coverage ≥ 0.8; 1 if 0.7 ≤ zdpyc_coverage < 0.8; 0 if zdpyc_coverage < 0.7; 0 if zdpyc_coverage is undefined), 0, 2). Missing facts count as false / 0.
q leaf_3_3_1(const facts& f) { return clamp(tier(ratio(f.zdpyc_items, f.apply_items_total), {{q{4, 5}, q{2, 1}}, {q{7, 10}, q{1, 1}}}, q{0, 1}), zero, q{2, 1}); }

// 3.3.2 “最多跑一次”及时办结情况 (2分): 办结率80％以上，加2分；  办结率70％-79％；加1分；  办结率70％以下，不得分
//   Let zdpyc_timely_rate = zdpyc_done_in_time / zdpyc_accepted (undefined when zdpyc_accepted = 0). score = clamp((2 if zdpyc_timely_rate ≥ 0.8; 1 if 0.7 ≤ zdpyc_timely_rate < 0.8; 0 if zdpyc_timely_rate < 0.7; 0 if zdpyc_timely_rate is undefined), 0, 2). Missing facts count as false / 0.
q leaf_3_3_2(const facts& f) { return clamp(tier(ratio(f.zdpyc_done_in_time, f.zdpyc_accepted), {{q{4, 5}, q{2, 1}}, {q{7, 10}, q{1, 1}}}, q{0, 1}), zero, q{2, 1}); }

// 3.3.3 市民诉求办结率 (3分): 办结率90％以上，加3分；  办结率80-89％；加2分；  办结率70-79％；加1分；  办结率70％以下，不得分
//   Let hotline_completion_rate = hotline_completed / hotline_accepted (undefined when hotline_accepted = 0). score = clamp((3 if hotline_completion_rate ≥ 0.9; 2 if 0.8 ≤ hotline_completion_rate < 0.9; 1 if 0.7 ≤ hotline_completion_rate < 0.8; 0 if hotline_completion_rate < 0.7; 0 if hotline_completion_rate is undefined), 0, 3). Missing facts count as false / 0.
q leaf_3_3_3(const facts& f) { return clamp(tier(ratio(f.hotline_completed, f.hotline_accepted), {{q{9, 10}, q{3, 1}}, {q{4, 5}, q{2, 1}}, {q{7, 10}, q{1, 1}}}, q{0, 1}), zero, q{3, 1}); }

// 4.1.1 政策一致性 (3分): 每发现一项不满足的，扣1分，最高扣3分
//   score = clamp((0 if ¬policy_consistency_statement, else max(0, 3 − min(3, 1·policy_inconsistencies))), 0, 3). Missing facts count as false / 0.
q leaf_4_1_1(const facts& f) { return clamp((f.policy_consistency_statement ? deduct(q{3, 1}, q{1, 1}, f.policy_inconsistencies, q{3, 1}) : zero), zero, q{3, 1}); }

// 4.1.2 政策持续性 (2分): 符合要求的，加2分
//   score = clamp(2·[policy_no_early_repeal], 0, 2). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_4_1_2(const facts& f) { return clamp((f.policy_no_early_repeal ? q{2, 1} : zero), zero, q{2, 1}); }

// 4.2.1 发展规划落实情况 (4分): 有区域发展规划且落实率100％的，加4分；有区域发展规划，落实率在95％以上，不足100％的，加2分；其余情况不加分
//   score = clamp((0 if ¬dev_plan_exists, else (4 if dev_plan_rate ≥ 1; 2 if 0.95 ≤ dev_plan_rate < 1; 0 if dev_plan_rate < 0.95)), 0, 4). Missing facts count as false / 0.
q leaf_4_2_1(const facts& f) { return clamp((f.dev_plan_exists ? tier(opt_q{f.dev_plan_rate, true}, {{q{1, 1}, q{4, 1}}, {q{19, 20}, q{2, 1}}}, q{0, 1}) : zero), zero, q{4, 1}); }

// 4.2.2 年度工作落实情况 (4分): 根据政府工作报告、年度计划，全部落实的，加4分（每有一项未及时落实的，扣1分，最高扣4分）
//   score = clamp((0 if ¬annual_work_evidence, else max(0, 4 − min(4, 1·annual_items_late))), 0, 4). Missing facts count as false / 0.
q leaf_4_2_2(const facts& f) { return clamp((f.annual_work_evidence ? deduct(q{4, 1}, q{1, 1}, f.annual_items_late, q{4, 1}) : zero), zero, q{4, 1}); }

// 4.2.3 政府决定事项落实情况 (2分): 全部及时完成的，加2分（每有一项政府决定事项未及时完成的，扣1分，最高扣2分）
//   score = clamp((0 if ¬gov_decision_evidence, else max(0, 2 − min(2, 1·gov_decisions_late))), 0, 2). Missing facts count as false / 0.
q leaf_4_2_3(const facts& f) { return clamp((f.gov_decision_evidence ? deduct(q{2, 1}, q{1, 1}, f.gov_decisions_late, q{2, 1}) : zero), zero, q{2, 1}); }

// 4.3.1 承诺兑现情况 (3分): 全部及时兑现的，加3分（每有一项政府承诺未及时兑现的，扣1分，最高扣3分）
//   score = clamp((0 if ¬commitment_evidence, else max(0, 3 − min(3, 1·commitments_unfulfilled))), 0, 3). Missing facts count as false / 0.
q leaf_4_3_1(const facts& f) { return clamp((f.commitment_evidence ? deduct(q{3, 1}, q{1, 1}, f.commitments_unfulfilled, q{3, 1}) : zero), zero, q{3, 1}); }

// 4.3.2 政策履行情况 (2分): 全部执行的，加2分（每有一项政府政策未正常执行的，扣1分，最高扣2分）
//   score = clamp((0 if ¬policy_execution_evidence, else max(0, 2 − min(2, 1·policies_unexecuted))), 0, 2). Missing facts count as false / 0.
q leaf_4_3_2(const facts& f) { return clamp((f.policy_execution_evidence ? deduct(q{2, 1}, q{1, 1}, f.policies_unexecuted, q{2, 1}) : zero), zero, q{2, 1}); }

// 4.4.1 合同履行情况 (3分): 合同全部正常履行，加3分（每有一个政府合同或协议未正常执行的，扣1分，最高扣3分）
//   score = clamp((0 if ¬contract_evidence, else max(0, 3 − min(3, 1·contracts_unperformed))), 0, 3). Missing facts count as false / 0.
q leaf_4_4_1(const facts& f) { return clamp((f.contract_evidence ? deduct(q{3, 1}, q{1, 1}, f.contracts_unperformed, q{3, 1}) : zero), zero, q{3, 1}); }

// 5.1.1 组织保障 (1分): 每满足一项加0.5分
//   score = clamp(min(1, 0.5·([credit_leading_body] + [credit_special_funding])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_1_1(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.credit_leading_body) + int(f.credit_special_funding)), q{1, 1}), zero, q{1, 1}); }

// 5.1.2 落实措施 (1分): 有详细的工作任务分工，得0.5分；明确责任单位的，得0.3分；有进度要求的，得0.2分
//   score = clamp(0.5·[credit_task_division] + 0.3·[credit_responsible_units] + 0.2·[credit_schedule], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_1_2(const facts& f) { return clamp(sum({f.credit_task_division ? q{1, 2} : zero, f.credit_responsible_units ? q{3, 10} : zero, f.credit_schedule ? q{1, 5} : zero}), zero, q{1, 1}); }

// 5.1.3 督查考核 (1分): 得0.5分；有考核结果文件的，得0.5分
//   score = clamp(0.5·[credit_supervision_done] + 0.5·[credit_assessment_result_doc], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_1_3(const facts& f) { return clamp(sum({f.credit_supervision_done ? q{1, 2} : zero, f.credit_assessment_result_doc ? q{1, 2} : zero}), zero, q{1, 1}); }

// 5.1.4 试点示范 (1分): 符合要求，加1分
//   score = clamp(1·[credit_pilot_demo], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_1_4(const facts& f) { return clamp((f.credit_pilot_demo ? q{1, 1} : zero), zero, q{1, 1}); }

// 5.2.1 信息报送 (4分): 报送“双公示”信息，得2分；信息填写规范，达标率在80％以上，得1分；报送“黑红名单”信息，得1分。
//   P1 = 2·[double_publicity_reported]. P2 = (0 if ¬double_publicity_reported, else (1 if double_publicity_quality_rate ≥ 0.8; 0 if double_publicity_quality_rate < 0.8)). P3 = 1·[red_black_list_reported]. score = clamp(P1 + P2 + P3, 0, 4). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_2_1(const facts& f) { return clamp(sum({(f.double_publicity_reported ? q{2, 1} : zero), (f.double_publicity_reported ? tier(opt_q{f.double_publicity_quality_rate, true}, {{q{4, 5}, q{1, 1}}}, q{0, 1}) : zero), (f.red_black_list_reported ? q{1, 1} : zero)}), zero, q{4, 1}); }

// 5.2.2 信息维护 (2分): 每月按时报送信息，得2分；  月报送频率在50％以上（即一半以上月报送），得1分
//   score = clamp((if credit_info_monthly_on_time: 2; elif credit_info_month_rate ≥ 0.5: 1; else: 0), 0, 2). Missing facts count as false / 0.
q leaf_5_2_2(const facts& f) { return clamp((f.credit_info_monthly_on_time ? q{2, 1} : (holds(f.credit_info_month_rate, cmp::ge, q{1, 2}) ? q{1, 1} : q{0, 1})), zero, q{2, 1}); }

// 5.3.1 公务员诚信教育 (1分): 有相关文件提到开展公务员诚信教育的得0.5分；  有相关佐证材料的，得0.5分
//   score = clamp(0.5·[cs_education_doc] + 0.5·[cs_education_evidence], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_3_1(const facts& f) { return clamp(sum({f.cs_education_doc ? q{1, 2} : zero, f.cs_education_evidence ? q{1, 2} : zero}), zero, q{1, 1}); }

// 5.3.2 公务员诚信档案 (1分): 有相关文件提到公务员诚信档案的得0.2分；  公务员诚信档案系统截图，0.4分；诚信档案按照建立档案的公务员数量占城市所有公务员总量的比例得分达到100％，得0.4分；90％-100％得0.3分；60％-90％得0.1分；60％以下及没有证明材料不得分。
//   Let cs_archive_coverage = cs_archived / cs_total (undefined when cs_total = 0). P1 = 0.2·[cs_archive_doc]. P2 = 0.4·[cs_archive_system]. P3 = (0.4 if cs_archive_coverage ≥ 1; 0.3 if 0.9 ≤ cs_archive_coverage < 1; 0.1 if 0.6 ≤ cs_archive_coverage < 0.9; 0 if cs_archive_coverage < 0.6; 0 if cs_archive_coverage is undefined). score = clamp(P1 + P2 + P3, 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_3_2(const facts& f) { return clamp(sum({(f.cs_archive_doc ? q{1, 5} : zero), (f.cs_archive_system ? q{2, 5} : zero), tier(ratio(f.cs_archived, f.cs_total), {{q{1, 1}, q{2, 5}}, {q{9, 10}, q{3, 10}}, {q{3, 5}, q{1, 10}}}, q{0, 1})}), zero, q{1, 1}); }

// 5.3.3 信用应用 (1分): 有将公务员信用记录作为干部考核、任用和奖惩重要依据的相关制度，得0.5分；  佐证材料可以提供公务员信用记录信息推送给人事、纪检、组织等相关部门的证明材料。材料完整全面，得0.5分
//   score = clamp(0.5·[cs_credit_use_rule] + 0.5·[cs_credit_push_evidence], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_3_3(const facts& f) { return clamp(sum({f.cs_credit_use_rule ? q{1, 2} : zero, f.cs_credit_push_evidence ? q{1, 2} : zero}), zero, q{1, 1}); }

// 5.4.1 建立政务失信记录 (2分): 建立政务失信记录的，得1分；在政府网站或信用中国网站公开的，得1分
//   score = clamp(1·[dishonesty_record_built] + 1·[dishonesty_record_published], 0, 2). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_4_1(const facts& f) { return clamp(sum({f.dishonesty_record_built ? q{1, 1} : zero, f.dishonesty_record_published ? q{1, 1} : zero}), zero, q{2, 1}); }

// 5.4.2 失信政府整改 (1分): 无政府重大失信事件，或截止2021年12月31日已全部整改到位的，得1分；2021年1月1日至2021年12月31日每新增1件政府失信事件减0.5分
//   score = clamp((if ¬dishonesty_statement: 0; elif gov_dishonesty_new = 0: 1; elif gov_dishonesty_all_rectified: 1; else: max(0, 1 − min(1, 0.5·gov_dishonesty_new))), 0, 1). Missing facts count as false / 0.
q leaf_5_4_2(const facts& f) { return clamp((!f.dishonesty_statement ? q{0, 1} : ((f.gov_dishonesty_new == 0) ? q{1, 1} : (f.gov_dishonesty_all_rectified ? q{1, 1} : deduct(q{1, 1}, q{1, 2}, f.gov_dishonesty_new, q{1, 1})))), zero, q{1, 1}); }

// 5.4.3 依法追责 (1分): 有相关制度的，得0.5分；  无失信情况的，得0.5分；  有失信情况，有对相关负责人惩戒结果证明材料的，得0.2分；  有失信情况，但无相关惩戒结果证明材料的，得0分
//   P1 = 0.5·[accountability_rule]. P2 = (if no_dishonesty_cases: 0.5; elif dishonesty_punish_proof: 0.2; else: 0). score = clamp(P1 + P2, 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_4_3(const facts& f) { return clamp(sum({(f.accountability_rule ? q{1, 2} : zero), (f.no_dishonesty_cases ? q{1, 2} : (f.dishonesty_punish_proof ? q{1, 5} : q{0, 1}))}), zero, q{1, 1}); }

// 5.5.1 政府采购领域政务诚信建设情况 (1分): 认真执行政府采购领域诚信建设相关制度，得0.5分；在政府采购领域使用信用记录或信用报告等信用产品的，得0.5分
//   score = clamp(0.5·[procurement_credit_rule] + 0.5·[procurement_credit_products], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_5_1(const facts& f) { return clamp(sum({f.procurement_credit_rule ? q{1, 2} : zero, f.procurement_credit_products ? q{1, 2} : zero}), zero, q{1, 1}); }

// 5.5.2 政府和社会资本合作（PPP）领域政务诚信建设情况 (1分): 建立政府和社会资本合作（PPP）失信违约记录的，得1分
//   score = clamp(1·[ppp_default_record], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_5_2(const facts& f) { return clamp((f.ppp_default_record ? q{1, 1} : zero), zero, q{1, 1}); }

// 5.5.3 招标投标领域政务诚信建设情况 (1分): 每满足一项得0.5分
//   score = clamp(min(1, 0.5·([bidding_credit_rule] + [bidding_credit_report_used])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_5_3(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.bidding_credit_rule) + int(f.bidding_credit_report_used)), q{1, 1}), zero, q{1, 1}); }

// 5.5.4 招商引资领域政务诚信建设情况 (1分): 每满足一项得0.5分
//   score = clamp(min(1, 0.5·([investment_commitment_rule] + [investment_commitment_public])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_5_4(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.investment_commitment_rule) + int(f.investment_commitment_public)), q{1, 1}), zero, q{1, 1}); }

// 5.5.5 政府债务领域政务诚信建设情况 (1分): 符合要求的，得1分
//   score = clamp(1·[no_gov_arrears], 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_5_5(const facts& f) { return clamp((f.no_gov_arrears ? q{1, 1} : zero), zero, q{1, 1}); }

// 5.5.6 街道和乡镇政务诚信建设情况 (1分): 每满足一项得0.5分
//   score = clamp(min(1, 0.5·([town_credit_plan] + [town_credit_commitment])), 0, 1). [x] is 1 when x holds, else 0. Missing facts count as false / 0.
q leaf_5_5_6(const facts& f) { return clamp(min(mul(q{1, 2}, int(f.town_credit_plan) + int(f.town_credit_commitment)), q{1, 1}), zero, q{1, 1}); }

}  // namespace

void score_unit(const facts& f, scores& s) {
    s.leaf[0] = leaf_1_1_1(f);
    s.leaf[1] = leaf_1_1_2(f);
    s.leaf[2] = leaf_1_1_3(f);
    s.leaf[3] = leaf_1_1_4(f);
    s.leaf[4] = leaf_1_2_1(f);
    s.leaf[5] = leaf_1_2_2(f);
    s.leaf[6] = leaf_1_2_3(f);
    s.leaf[7] = leaf_1_2_4(f);
    s.leaf[8] = leaf_1_2_5(f);
    s.leaf[9] = leaf_1_3_1(f);
    s.leaf[10] = leaf_1_3_2(f);
    s.leaf[11] = leaf_2_1_1(f);
    s.leaf[12] = leaf_2_1_2(f);
    s.leaf[13] = leaf_2_2_1(f);
    s.leaf[14] = leaf_2_2_2(f);
    s.leaf[15] = leaf_2_2_3(f);
    s.leaf[16] = leaf_2_3_1(f);
    s.leaf[17] = leaf_2_3_2(f);
    s.leaf[18] = leaf_2_3_3(f);
    s.leaf[19] = leaf_2_4_1(f);
    s.leaf[20] = leaf_2_4_2(f);
    s.leaf[21] = leaf_2_4_3(f);
    s.leaf[22] = leaf_2_4_4(f);
    s.leaf[23] = leaf_2_5_1(f);
    s.leaf[24] = leaf_2_5_2(f);
    s.leaf[25] = leaf_2_5_3(f);
    s.leaf[26] = leaf_2_5_4(f);
    s.leaf[27] = leaf_2_5_5(f);
    s.leaf[28] = leaf_2_5_6(f);
    s.leaf[29] = leaf_3_1_1(f);
    s.leaf[30] = leaf_3_1_2(f);
    s.leaf[31] = leaf_3_1_3(f);
    s.leaf[32] = leaf_3_1_4(f);
    s.leaf[33] = leaf_3_1_5(f);
    s.leaf[34] = leaf_3_2_1(f);
    s.leaf[35] = leaf_3_2_2(f);
    s.leaf[36] = leaf_3_2_3(f);
    s.leaf[37] = leaf_3_3_1(f);
    s.leaf[38] = leaf_3_3_2(f);
    s.leaf[39] = leaf_3_3_3(f);
    s.leaf[40] = leaf_4_1_1(f);
    s.leaf[41] = leaf_4_1_2(f);
    s.leaf[42] = leaf_4_2_1(f);
    s.leaf[43] = leaf_4_2_2(f);
    s.leaf[44] = leaf_4_2_3(f);
    s.leaf[45] = leaf_4_3_1(f);
    s.leaf[46] = leaf_4_3_2(f);
    s.leaf[47] = leaf_4_4_1(f);
    s.leaf[48] = leaf_5_1_1(f);
    s.leaf[49] = leaf_5_1_2(f);
    s.leaf[50] = leaf_5_1_3(f);
    s.leaf[51] = leaf_5_1_4(f);
    s.leaf[52] = leaf_5_2_1(f);
    s.leaf[53] = leaf_5_2_2(f);
    s.leaf[54] = leaf_5_3_1(f);
    s.leaf[55] = leaf_5_3_2(f);
    s.leaf[56] = leaf_5_3_3(f);
    s.leaf[57] = leaf_5_4_1(f);
    s.leaf[58] = leaf_5_4_2(f);
    s.leaf[59] = leaf_5_4_3(f);
    s.leaf[60] = leaf_5_5_1(f);
    s.leaf[61] = leaf_5_5_2(f);
    s.leaf[62] = leaf_5_5_3(f);
    s.leaf[63] = leaf_5_5_4(f);
    s.leaf[64] = leaf_5_5_5(f);
    s.leaf[65] = leaf_5_5_6(f);
    s.level2[0] = sum({s.leaf[0], s.leaf[1], s.leaf[2], s.leaf[3]});  // 1.1
    s.level2[1] = sum({s.leaf[4], s.leaf[5], s.leaf[6], s.leaf[7], s.leaf[8]});  // 1.2
    s.level2[2] = sum({s.leaf[9], s.leaf[10]});  // 1.3
    s.level2[3] = sum({s.leaf[11], s.leaf[12]});  // 2.1
    s.level2[4] = sum({s.leaf[13], s.leaf[14], s.leaf[15]});  // 2.2
    s.level2[5] = sum({s.leaf[16], s.leaf[17], s.leaf[18]});  // 2.3
    s.level2[6] = sum({s.leaf[19], s.leaf[20], s.leaf[21], s.leaf[22]});  // 2.4
    s.level2[7] = sum({s.leaf[23], s.leaf[24], s.leaf[25], s.leaf[26], s.leaf[27], s.leaf[28]});  // 2.5
    s.level2[8] = sum({s.leaf[29], s.leaf[30], s.leaf[31], s.leaf[32], s.leaf[33]});  // 3.1
    s.level2[9] = sum({s.leaf[34], s.leaf[35], s.leaf[36]});  // 3.2
    s.level2[10] = sum({s.leaf[37], s.leaf[38], s.leaf[39]});  // 3.3
    s.level2[11] = sum({s.leaf[40], s.leaf[41]});  // 4.1
    s.level2[12] = sum({s.leaf[42], s.leaf[43], s.leaf[44]});  // 4.2
    s.level2[13] = sum({s.leaf[45], s.leaf[46]});  // 4.3
    s.level2[14] = sum({s.leaf[47]});  // 4.4
    s.level2[15] = sum({s.leaf[48], s.leaf[49], s.leaf[50], s.leaf[51]});  // 5.1
    s.level2[16] = sum({s.leaf[52], s.leaf[53]});  // 5.2
    s.level2[17] = sum({s.leaf[54], s.leaf[55], s.leaf[56]});  // 5.3
    s.level2[18] = sum({s.leaf[57], s.leaf[58], s.leaf[59]});  // 5.4
    s.level2[19] = sum({s.leaf[60], s.leaf[61], s.leaf[62], s.leaf[63], s.leaf[64], s.leaf[65]});  // 5.5
    s.level1[0] = sum({s.level2[0], s.level2[1], s.level2[2]});  // 1
    s.level1[1] = sum({s.level2[3], s.level2[4], s.level2[5], s.level2[6], s.level2[7]});  // 2
    s.level1[2] = sum({s.level2[8], s.level2[9], s.level2[10]});  // 3
    s.level1[3] = sum({s.level2[11], s.level2[12], s.level2[13], s.level2[14]});  // 4
    s.level1[4] = sum({s.level2[15], s.level2[16], s.level2[17], s.level2[18], s.level2[19]});  // 5
    s.total = sum({s.level1[0], s.level1[1], s.level1[2], s.level1[3], s.level1[4]});
}

const char* const leaf_codes[leaf_count] = {"1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.3.1", "1.3.2", "2.1.1", "2.1.2", "2.2.1", "2.2.2", "2.2.3", "2.3.1", "2.3.2", "2.3.3", "2.4.1", "2.4.2", "2.4.3", "2.4.4", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "2.5.5", "2.5.6", "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.2.1", "3.2.2", "3.2.3", "3.3.1", "3.3.2", "3.3.3", "4.1.1", "4.1.2", "4.2.1", "4.2.2", "4.2.3", "4.3.1", "4.3.2", "4.4.1", "5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.2.1", "5.2.2", "5.3.1", "5.3.2", "5.3.3", "5.4.1", "5.4.2", "5.4.3", "5.5.1", "5.5.2", "5.5.3", "5.5.4", "5.5.5", "5.5.6"};
const char* const level2_codes[level2_count] = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "5.4", "5.5"};
const char* const level1_codes[level1_count] = {"1", "2", "3", "4", "5"};

}  // namespace guanghan_by_hand
