// Fuzz target 4: the facts readers (facts_reader.hpp, csv.hpp).
//
// Input layout:  FLAGS FACTS-TEXT
// FLAGS is one byte:
//   bits 0-1  0 CSV facts, 1 JSON, 2 JSON lines, 3 the raw CSV reader (parse_csv, csv_reader)
//   bit 2     small limits (to reach the limit paths: depth, fields, entities, text, errors)
//   bit 3     strict CSV: a quote inside an unquoted field is an error (bare_quotes = false)
//   bits 4-7  the streaming reader stops after this many entities (0: reads to the end)
//
// Properties, beyond "no crash, no hang, no leak, no exception":
//   * every position (entity, field, value, diagnostic) equals src->position_at(offset);
//   * read_facts() and read_facts_stream() deliver the same entities and diagnostics;
//   * parse_csv() and the pull reader csv_reader give the same rows;
//   * CSV round trip: rows that were read without error, written back with every field
//     quoted, read again as the same rows of the same texts;
//   * an entity delivered has a non-empty id and fields with non-empty names;
//   * with an error, there is a diagnostic and a diagnostic has a code, a message and a source.
#include <vector>

#include "fuzz_common.hpp"

namespace {

using namespace rubric;
using rubric_fuzz::check_position;

void check_value(const source_ptr& src, const raw_value& v) {
    check_position(src, v.pos, "value");
    if (v.k == raw_value::kind::list) {
        for (const auto& it : v.items) {
            FUZZ_CHECK(it.k != raw_value::kind::list, "a list inside a list was delivered");
            check_position(src, it.pos, "list item");
        }
    } else {
        FUZZ_CHECK(v.items.empty(), "a scalar value with list items");
    }
    if (v.k == raw_value::kind::boolean) FUZZ_CHECK(v.text == "true" || v.text == "false", "boolean text " + v.text);
    if (v.k == raw_value::kind::number) {
        // The exact number text as written: it must be JSON number syntax.
        FUZZ_CHECK(!v.text.empty() && v.text.find_first_not_of("+-.eE0123456789") == std::string::npos,
                   "number text `" + v.text + "`");
    }
}

void check_entity(const source_ptr& src, const raw_entity& e) {
    FUZZ_CHECK(!e.id.empty(), "an entity with an empty id was delivered");
    check_position(src, e.pos, "entity id");
    for (const auto& f : e.fields) {
        FUZZ_CHECK(!f.name.empty(), "a field with an empty name, entity " + e.id);
        check_position(src, f.pos, "field");
        check_value(src, f.value);
    }
}

void check_diags(const diagnostics& ds) {
    for (const auto& d : ds) {
        FUZZ_CHECK(d.source != nullptr, "a facts diagnostic without a source: " + d.message);
        check_position(d.source, d.where.begin, "facts diagnostic");
    }
    rubric_fuzz::render_all(ds);
}

bool same_value(const raw_value& a, const raw_value& b) {
    if (a.k != b.k || a.text != b.text || a.pos.offset != b.pos.offset || a.items.size() != b.items.size()) return false;
    for (std::size_t i = 0; i < a.items.size(); ++i)
        if (!same_value(a.items[i], b.items[i])) return false;
    return true;
}

bool same_entity(const raw_entity& a, const raw_entity& b) {
    if (a.id != b.id || a.index != b.index || a.pos.offset != b.pos.offset || a.fields.size() != b.fields.size())
        return false;
    for (std::size_t i = 0; i < a.fields.size(); ++i)
        if (a.fields[i].name != b.fields[i].name || a.fields[i].pos.offset != b.fields[i].pos.offset ||
            !same_value(a.fields[i].value, b.fields[i].value))
            return false;
    return true;
}

std::string diag_text(const diagnostics& ds) {
    std::string s;
    for (const auto& d : ds) s += d.code + " " + std::to_string(d.where.begin.offset) + " " + d.message + "\n";
    return s;
}

void fuzz_csv(const source_ptr& src, const csv_limits& lim) {
    const csv_result all = parse_csv(src, lim);
    FUZZ_CHECK(all.diags.size() <= 1, "parse_csv reported more than one error");
    check_diags(all.diags);
    for (const auto& row : all.rows) {
        FUZZ_CHECK(!row.fields.empty(), "an empty CSV row");
        FUZZ_CHECK(row.pos.offset == row.fields.front().pos.offset, "row position is not its first field's");
        for (const auto& f : row.fields) check_position(src, f.pos, "CSV field");
    }
    // The pull reader gives the same rows.
    csv_reader r(src, lim);
    csv_row row;
    std::size_t n = 0;
    while (r.next(row)) {
        FUZZ_CHECK(n < all.rows.size(), "csv_reader gave more rows than parse_csv");
        const csv_row& want = all.rows[n];
        FUZZ_CHECK(row.number == want.number && row.fields.size() == want.fields.size(), "csv_reader row differs");
        for (std::size_t i = 0; i < row.fields.size(); ++i)
            FUZZ_CHECK(row.fields[i].text == want.fields[i].text && row.fields[i].quoted == want.fields[i].quoted &&
                           row.fields[i].pos.offset == want.fields[i].pos.offset,
                       "csv_reader field differs");
        ++n;
    }
    FUZZ_CHECK(n == all.rows.size(), "csv_reader gave fewer rows than parse_csv");
    FUZZ_CHECK(r.failed() == !all.diags.empty(), "csv_reader and parse_csv disagree about failing");

    // Round trip: write the rows back, every field quoted, and read them again.
    if (!all.diags.empty() || all.rows.empty()) return;
    std::string out;
    for (const auto& rw : all.rows) {
        for (std::size_t i = 0; i < rw.fields.size(); ++i) {
            out += i ? ",\"" : "\"";
            for (const char c : rw.fields[i].text) {
                if (c == '"') out += '"';
                out += c;
            }
            out += '"';
        }
        out += "\r\n";
    }
    csv_limits big = lim;
    big.max_bytes = out.size() + 1;
    const csv_result again = parse_csv(make_source("roundtrip.csv", out), big);
    FUZZ_CHECK(again.diags.empty(), "the CSV written back does not read: " + diag_text(again.diags) + "\n" + out);
    FUZZ_CHECK(again.rows.size() == all.rows.size(),
               "CSV round trip: " + std::to_string(all.rows.size()) + " rows became " + std::to_string(again.rows.size()));
    for (std::size_t k = 0; k < all.rows.size(); ++k) {
        FUZZ_CHECK(again.rows[k].fields.size() == all.rows[k].fields.size(), "CSV round trip: row length differs");
        for (std::size_t i = 0; i < all.rows[k].fields.size(); ++i)
            FUZZ_CHECK(again.rows[k].fields[i].text == all.rows[k].fields[i].text, "CSV round trip: field text differs");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t flags = data[0];
    const source_ptr src = make_source("fuzz.facts", std::string(rubric_fuzz::as_text(data + 1, size - 1)));
    const bool small = (flags & 4) != 0;

    const int mode = flags & 3;
    if (mode == 3) {
        csv_limits cl;
        cl.bare_quotes = (flags & 8) == 0;
        if (small) {
            cl.max_fields_per_row = 4;
            cl.max_field_bytes = 16;
            cl.max_rows = 8;
        }
        fuzz_csv(src, cl);
        return 0;
    }

    const facts_format fmt = mode == 0 ? facts_format::csv : mode == 1 ? facts_format::json : facts_format::jsonl;
    facts_limits lim;
    lim.max_entities = 1000;
    if (small) {
        lim.max_depth = 3;
        lim.max_fields = 4;
        lim.max_number_chars = 12;
        lim.max_entities = 8;
        lim.max_text_bytes = 16;
        lim.max_errors = 3;
    }
    const facts_read_result all = read_facts(src, fmt, lim);
    check_diags(all.diags);
    for (const auto& e : all.entities) check_entity(src, e);

    // The streaming reader delivers the same, and stops when asked to.
    const std::size_t stop_after = flags >> 4;
    std::vector<raw_entity> streamed;
    const diagnostics sd = read_facts_stream(
        src, fmt,
        [&](raw_entity&& e) {
            streamed.push_back(std::move(e));
            return stop_after == 0 || streamed.size() < stop_after;
        },
        lim);
    if (stop_after == 0) {
        FUZZ_CHECK(streamed.size() == all.entities.size(), "read_facts_stream delivered " + std::to_string(streamed.size()) +
                                                               " entities, read_facts " +
                                                               std::to_string(all.entities.size()));
        FUZZ_CHECK(diag_text(sd) == diag_text(all.diags), "the two readers report differently:\n" + diag_text(sd) +
                                                               "---\n" + diag_text(all.diags));
    } else {
        FUZZ_CHECK(streamed.size() <= stop_after && streamed.size() <= all.entities.size(),
                   "read_facts_stream did not stop when asked");
    }
    for (std::size_t i = 0; i < streamed.size() && i < all.entities.size(); ++i)
        FUZZ_CHECK(same_entity(streamed[i], all.entities[i]), "entity " + std::to_string(i) + " differs between readers");
    return 0;
}
