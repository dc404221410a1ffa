// rubric eval FILE --facts FACTS [--format table|json|csv] [--out PATH]
// rubric explain FILE --facts FACTS --entity ID [--format text|json]
#include <iostream>

#include "cli.hpp"
#include "rubric/explain.hpp"

namespace rubric::cli {

namespace {

struct scored {
    std::string entity, name;
    std::vector<decimal> nodes;
    decimal total, bonus;
};

std::string render_table(const program& p, const std::vector<scored>& rows) {
    const ast& t = p.tree();
    bool has_bonus = false;
    std::vector<node_id> cols;
    for (node_id r : t.roots) {
        if (t.nodes[r].kind == node_kind::bonus) has_bonus = true;
        else if (t.nodes[r].kind != node_kind::task) cols.push_back(r);
    }
    std::vector<std::vector<std::string>> cells;
    std::vector<std::string> head = {"单位 entity", "总分 total"};
    if (has_bonus) head.push_back("附加分 bonus");
    for (node_id c : cols)
        head.push_back(t.nodes[c].code + " " + t.nodes[c].name + " (" + (t.nodes[c].points ? t.nodes[c].points->to_string() : "") + ")");
    cells.push_back(head);
    for (const auto& r : rows) {
        std::vector<std::string> line = {r.name.empty() ? r.entity : r.entity + " " + r.name, shown_fixed(p, r.total)};
        if (has_bonus) line.push_back(shown_fixed(p, r.bonus));
        for (node_id c : cols) line.push_back(shown_fixed(p, r.nodes[c]));
        cells.push_back(std::move(line));
    }
    std::vector<std::size_t> width(head.size(), 0);
    for (const auto& line : cells)
        for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], display_width(line[i]));
    std::string out = t.header.title.empty() ? std::string() : t.header.title + "\n";
    for (std::size_t li = 0; li < cells.size(); ++li) {
        for (std::size_t i = 0; i < cells[li].size(); ++i) {
            out += i ? "  " : "";
            out += pad(cells[li][i], width[i], i > 0 && li > 0);
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        out += '\n';
        if (li == 0) {
            for (std::size_t i = 0; i < width.size(); ++i) out += (i ? "  " : "") + std::string(width[i], '-');
            out += '\n';
        }
    }
    return out;
}

std::string render_json(const program& p, const std::vector<scored>& rows) {
    const ast& t = p.tree();
    const auto order = document_order(t);
    std::string out = "{\"rubric\": \"" + json_escape(t.header.title) + "\", \"entities\": [";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const scored& r = rows[i];
        out += i ? ",\n  " : "\n  ";
        out += "{\"entity\": \"" + json_escape(r.entity) + "\"";
        if (!r.name.empty()) out += ", \"name\": \"" + json_escape(r.name) + "\"";
        out += ", \"total\": \"" + shown(p, r.total) + "\", \"bonus\": \"" + shown(p, r.bonus) + "\", \"nodes\": {";
        std::string exact;
        auto note_exact = [&](const std::string& key, const decimal& d) {
            const decimal rounded = d.round(t.header.display_places, t.header.display_rounding);
            if (rounded != d) exact += (exact.empty() ? "" : ", ") + ("\"" + key + "\": \"" + d.to_fraction_string() + "\"");
        };
        note_exact("total", r.total);
        note_exact("bonus", r.bonus);
        for (std::size_t k = 0; k < order.size(); ++k) {
            const node& n = t.nodes[order[k]];
            out += (k ? ", \"" : "\"") + json_escape(n.code) + "\": \"" + shown(p, r.nodes[order[k]]) + "\"";
            note_exact(n.code, r.nodes[order[k]]);
        }
        out += "}";
        if (!exact.empty()) out += ", \"exact\": {" + exact + "}";
        out += "}";
    }
    out += rows.empty() ? "]}\n" : "\n]}\n";
    return out;
}

std::string render_csv(const program& p, const std::vector<scored>& rows) {
    const ast& t = p.tree();
    const auto order = document_order(t);
    std::string out = "entity,name,total,bonus";
    for (node_id id : order) out += "," + csv_field(t.nodes[id].code);
    out += "\r\n";
    for (const auto& r : rows) {
        out += csv_field(r.entity) + "," + csv_field(r.name) + "," + shown(p, r.total) + "," + shown(p, r.bonus);
        for (node_id id : order) out += "," + shown(p, r.nodes[id]);
        out += "\r\n";
    }
    return out;
}

}  // namespace

int cmd_eval(const args& a) {
    if (a.files.size() != 1) return usage("eval needs exactly one rubric FILE");
    const std::string facts_path = a.opt("--facts");
    if (facts_path.empty()) return usage("eval needs --facts FACTS");
    const std::string format = a.opt("--format", "table");
    if (format != "table" && format != "json" && format != "csv") return usage("unknown --format " + format);
    program_ptr prog = load(a.files[0], a.has("--werror"), true);
    if (!prog) return exit_input;
    std::vector<raw_entity> raws;
    source_ptr fsrc;
    if (!read_facts_file(facts_path, raws, fsrc)) return exit_input;

    bind_options bo;
    bo.allow_unknown = a.has("--allow-unknown");
    std::vector<scored> rows;
    rows.reserve(raws.size());
    fact_set facts;
    evaluation ev(*prog);
    bool bad = false;
    for (const auto& raw : raws) {
        diagnostics ds;
        if (!bind_facts(*prog, raw, fsrc, facts, ds, bo)) {
            std::cerr << render(ds);
            bad = true;
            continue;
        }
        evaluate(*prog, facts, ev);
        scored s;
        s.entity = raw.id;
        s.name = facts.display_name;
        s.nodes.resize(prog->node_count());
        for (node_id id = 0; id < prog->node_count(); ++id) s.nodes[id] = ev.node_score(id);
        s.total = ev.total();
        s.bonus = ev.bonus();
        rows.push_back(std::move(s));
    }
    if (bad && !a.has("--skip-bad")) {
        std::cerr << "rubric: no results written: the facts have errors (use --skip-bad to score the good entities)\n";
        return exit_input;
    }
    const std::string text = format == "json" ? render_json(*prog, rows) : format == "csv" ? render_csv(*prog, rows) : render_table(*prog, rows);
    if (!write_output(a.opt("--out"), text)) return exit_input;
    return bad ? exit_input : exit_ok;
}

int cmd_explain(const args& a) {
    if (a.files.size() != 1) return usage("explain needs exactly one rubric FILE");
    const std::string facts_path = a.opt("--facts");
    const std::string entity = a.opt("--entity");
    if (facts_path.empty() || entity.empty()) return usage("explain needs --facts FACTS and --entity ID");
    const std::string format = a.opt("--format", "text");
    if (format != "text" && format != "json") return usage("unknown --format " + format);
    program_ptr prog = load(a.files[0], false, true);
    if (!prog) return exit_input;
    std::vector<raw_entity> raws;
    source_ptr fsrc;
    if (!read_facts_file(facts_path, raws, fsrc)) return exit_input;
    const auto it = std::find_if(raws.begin(), raws.end(), [&](const raw_entity& r) { return r.id == entity; });
    if (it == raws.end()) {
        std::cerr << "rubric: entity " << entity << " is not in " << facts_path << "\n";
        return exit_input;
    }
    fact_set facts;
    diagnostics ds;
    if (!bind_facts(*prog, *it, fsrc, facts, ds)) {
        std::cerr << render(ds);
        return exit_input;
    }
    evaluation ev(*prog);
    evaluate(*prog, facts, ev);
    const std::string text = format == "json" ? explain_json(*prog, facts, ev) : explain_text(*prog, facts, ev);
    return write_output(a.opt("--out"), text) ? exit_ok : exit_input;
}

}  // namespace rubric::cli
