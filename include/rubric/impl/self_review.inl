// Definitions for rubric/self_review.hpp.
#pragma once

#include <string>
#include <vector>

#include "rubric/config.hpp"
#include "rubric/display.hpp"
#include "rubric/escape.hpp"
#include "rubric/self_review.hpp"

namespace rubric {

RUBRIC_FUNC void self_assessments::begin(const program& p) {
    by_entity_.clear();
    order_.clear();
    nodes_ = p.node_count();
}

RUBRIC_FUNC void self_assessments::unit(const scored_unit& u) {
    claim c;
    c.scores.reserve(nodes_ + 2);
    for (node_id id = 0; id < nodes_; ++id) c.scores.push_back(u.ev.node_score(id));
    c.scores.push_back(u.ev.total());
    c.scores.push_back(u.ev.bonus());
    // The run refuses an entity given twice, so each id arrives once.
    order_.emplace_back(u.entity);
    by_entity_.emplace(std::string(u.entity), std::move(c));
}

RUBRIC_FUNC const std::vector<decimal>* self_assessments::find(std::string_view entity) const {
    const auto it = by_entity_.find(std::string(entity));
    return it == by_entity_.end() ? nullptr : &it->second.scores;
}

RUBRIC_FUNC void self_assessments::mark_reviewed(std::string_view entity) {
    const auto it = by_entity_.find(std::string(entity));
    if (it != by_entity_.end()) it->second.reviewed = true;
}

RUBRIC_FUNC std::vector<std::string> self_assessments::unreviewed() const {
    std::vector<std::string> out;
    for (const auto& e : order_)
        if (!by_entity_.at(e).reviewed) out.push_back(e);
    return out;
}

RUBRIC_FUNC comparison_writer::comparison_writer(self_assessments& self, comparison_format format,
                                                 std::function<void(std::string_view)> write)
    : self_(self), format_(format), write_(std::move(write)) {}

RUBRIC_FUNC void comparison_writer::begin(const program& p) {
    p_ = &p;
    order_ = document_order(p.tree());
    any_ = false;
    line_.clear();
    if (format_ == comparison_format::csv) {
        line_ = "entity,name,self_given";
        for (const char* col : {"total", "bonus"})
            for (const char* side : {"_self", "_review", "_diff"}) line_ += std::string(",") + col + side;
        for (const node_id id : order_)
            for (const char* side : {"_self", "_review", "_diff"}) {
                line_ += ',';
                append_csv_quoted(line_, p.tree().nodes[id].code + side);
            }
        line_ += "\r\n";
    } else if (format_ == comparison_format::json) {
        line_ = "{\"rubric\": ";
        append_json_string(line_, p.tree().header.title);
        line_ += ", \"entities\": [";
    }
    if (!line_.empty()) write_(line_);
}

// The review's score, the self-assessed one and their difference (of the shown scores).
RUBRIC_FUNC void comparison_writer::triple(std::string& out, const decimal& review, const decimal* self, bool json) const {
    const std::string r = shown(*p_, review);
    if (json) {
        out += "{\"self\": ";
        if (self) {
            out += '"';
            append_shown(out, *p_, *self);
            out += '"';
        } else {
            out += "null";
        }
        out += ", \"review\": \"" + r + "\", \"diff\": ";
    } else {
        if (self) append_shown(out, *p_, *self);
        out += ',' + r + ',';
    }
    if (self) {
        const std::string d = (shown_value(*p_, review) - shown_value(*p_, *self)).to_string();
        out += json ? "\"" + d + "\"" : d;
    } else if (json) {
        out += "null";
    }
    if (json) out += '}';
}

RUBRIC_FUNC void comparison_writer::unit(const scored_unit& u) {
    const std::vector<decimal>* claimed = self_.find(u.entity);
    self_.mark_reviewed(u.entity);
    const std::size_t nodes = p_->node_count();
    auto self_at = [&](std::size_t k) { return claimed ? &(*claimed)[k] : nullptr; };
    line_.clear();
    if (format_ == comparison_format::csv) {
        append_csv_quoted(line_, u.entity);
        line_ += ',';
        append_csv_quoted(line_, u.facts.display_name);
        line_ += claimed ? ",true," : ",false,";
        triple(line_, u.ev.total(), self_at(nodes), false);
        line_ += ',';
        triple(line_, u.ev.bonus(), self_at(nodes + 1), false);
        for (const node_id id : order_) {
            line_ += ',';
            triple(line_, u.ev.node_score(id), self_at(id), false);
        }
        line_ += "\r\n";
    } else {
        const bool json_doc = format_ == comparison_format::json;
        if (json_doc) line_ += any_ ? ",\n  " : "\n  ";
        line_ += "{\"entity\": ";
        append_json_string(line_, u.entity);
        line_ += ", \"name\": ";
        append_json_string(line_, u.facts.display_name);
        line_ += claimed ? ", \"self_given\": true, \"total\": " : ", \"self_given\": false, \"total\": ";
        triple(line_, u.ev.total(), self_at(nodes), true);
        line_ += ", \"bonus\": ";
        triple(line_, u.ev.bonus(), self_at(nodes + 1), true);
        line_ += ", \"nodes\": {";
        bool first = true;
        for (const node_id id : order_) {
            line_ += first ? "" : ", ";
            first = false;
            append_json_string(line_, p_->tree().nodes[id].code);
            line_ += ": ";
            triple(line_, u.ev.node_score(id), self_at(id), true);
        }
        line_ += json_doc ? "}}" : "}}\n";
    }
    any_ = true;
    write_(line_);
}

RUBRIC_FUNC void comparison_writer::end() {
    if (format_ == comparison_format::json) write_(any_ ? "\n]}\n" : "]}\n");
}

}  // namespace rubric
