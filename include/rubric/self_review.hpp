// rubric: self-assessment against review (自评与审核). Many rubrics are scored twice: the
// unit's own claim (自评), then the verified score (审核). Both are season runs of the same
// rubric over two facts files (run.hpp); these two sinks join them by entity id:
//
//   self_assessments   over the 自评 run: keeps each unit's node scores, total and bonus;
//   comparison_writer  over the 审核 run: writes each unit's two scores and the difference,
//                      node by node, as CSV, JSON lines or JSON, in the review's order.
//
// Scores are shown rounded as the rubric's header says (display.hpp), and the difference is
// that of the two shown scores (审核 − 自评, exact), so that a spreadsheet's subtraction of the
// two columns gives the difference column. A unit the review scores and the self-assessment
// does not give has empty 自评 and difference cells (self_given false); units of the
// self-assessment that the review does not score are listed by unreviewed().
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rubric/run.hpp"

namespace rubric {

class self_assessments final : public result_sink {
public:
    void begin(const program& p) override;
    void unit(const scored_unit& u) override;

    // The scores claimed by `entity` (per node_id, then the total, then the bonus), or null.
    [[nodiscard]] const std::vector<decimal>* find(std::string_view entity) const;
    [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }
    // Marks `entity` as reviewed (comparison_writer does, for each unit it writes).
    void mark_reviewed(std::string_view entity);
    // The self-assessed entities no review scored, in the self-assessment's order.
    [[nodiscard]] std::vector<std::string> unreviewed() const;

private:
    struct claim {
        std::vector<decimal> scores;
        bool reviewed = false;
    };
    std::unordered_map<std::string, claim> by_entity_;
    std::vector<std::string> order_;
    std::size_t nodes_ = 0;
};

enum class comparison_format { csv, jsonl, json };

// CSV:        entity,name,self_given,total_self,total_review,total_diff,bonus_self,bonus_review,
//             bonus_diff, then <code>_self,<code>_review,<code>_diff for every scored node in
//             document order.
// JSON lines: {"entity": …, "name": …, "self_given": true, "total": {"self": "85", "review":
//             "83.5", "diff": "-1.5"}, "bonus": {…}, "nodes": {"1.1": {…}, …}} per line.
// JSON:       {"rubric": title, "entities": [ the same objects ]}.
class comparison_writer final : public result_sink {
public:
    comparison_writer(self_assessments& self, comparison_format format, std::function<void(std::string_view)> write);
    void begin(const program& p) override;
    void unit(const scored_unit& u) override;
    void end() override;

private:
    void triple(std::string& out, const decimal& review, const decimal* self, bool json) const;
    self_assessments& self_;
    comparison_format format_;
    std::function<void(std::string_view)> write_;
    const program* p_ = nullptr;
    std::vector<node_id> order_;
    bool any_ = false;
    std::string line_;
};

}  // namespace rubric
