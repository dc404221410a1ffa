// Facts files as offices hold them (rubric/office_facts.hpp): a decode step before the
// season run's usual CSV reader.
#include "rubric/office_facts.hpp"

#include <sys/stat.h>

#include <cctype>
#include <cstdio>
#include <optional>

#include "rubric/escape.hpp"
#include "rubric/text_encoding.hpp"

namespace rubric {

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool has_suffix(const std::string& s, const char* suffix) {
    const std::string l = lower(s);
    const std::string x(suffix);
    return l.size() >= x.size() && l.compare(l.size() - x.size(), x.size(), x) == 0;
}

// Up to `limit` bytes of the file (one more, so that "more than the limit" can be told).
// nullopt when it cannot be opened or read.
std::optional<std::string> read_bytes(const std::string& path, std::size_t limit) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return std::nullopt;
    std::string data;
    char block[1 << 16];
    bool failed = false;
    while (data.size() <= limit) {
        const std::size_t n = std::fread(block, 1, sizeof block, f);
        data.append(block, n);
        if (n < sizeof block) {
            failed = std::ferror(f) != 0;
            break;
        }
    }
    std::fclose(f);
    if (failed) return std::nullopt;
    return data;
}

bool regular_file(const std::string& path) {
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// A conversion that failed: the source says why, as a whole-file error, and reads nothing.
class failed_source final : public facts_source {
public:
    failed_source(std::string name, localized why) : name_(std::move(name)), why_(std::move(why)) {}
    const std::string& name() const noexcept override { return name_; }
    bool read(const entity_handler&, const diagnostic_handler& on_diag) override {
        on_diag(make_diagnostic(severity::error, make_source(name_, std::string()), span{}, "E-facts-file", why_));
        return false;
    }

private:
    std::string name_;
    localized why_;
};

}  // namespace

bool is_workbook_path(const std::string& path) { return has_suffix(path, ".xlsx") || has_suffix(path, ".xlsm"); }

bool sheet_as_csv(const xlsx_sheet& sheet, std::string& csv, localized& error) {
    csv.clear();
    if (sheet.rows.empty()) return true;
    const xlsx_row& header = sheet.rows.front();
    std::vector<std::uint32_t> columns;
    for (const xlsx_cell& c : header.cells) columns.push_back(c.column);
    std::uint32_t line = 1;
    for (const xlsx_row& row : sheet.rows) {
        // Row N on line N: blank lines, which the CSV reader skips, stand for the rows left out.
        for (; line < row.number; ++line) csv += '\n';
        std::size_t k = 0;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (i) csv += ',';
            while (k < row.cells.size() && row.cells[k].column < columns[i]) {
                const std::string where = excel_column_name(row.cells[k].column) + std::to_string(row.number);
                error = localize("xlsx.data-without-header",
                                 {{"cell", where}, {"header", excel_column_name(row.cells[k].column) + std::to_string(header.number)}});
                return false;
            }
            if (k < row.cells.size() && row.cells[k].column == columns[i]) append_csv_quoted(csv, row.cells[k++].text);
        }
        if (k < row.cells.size()) {
            error = localize("xlsx.data-without-header",
                             {{"cell", excel_column_name(row.cells[k].column) + std::to_string(row.number)},
                              {"header", excel_column_name(row.cells[k].column) + std::to_string(header.number)}});
            return false;
        }
        csv += '\n';
        // A text cell with line ends in it takes more than one line: the rows after it keep
        // their order, a line or more below their number.
        for (const xlsx_cell& c : row.cells)
            for (const char ch : c.text) line += ch == '\n' ? 1 : 0;
        ++line;
    }
    return true;
}

namespace {

// A zip file, whatever its name: a workbook saved as "facts.csv" is still a workbook.
bool starts_as_zip(const std::string& path) {
    if (!regular_file(path)) return false;
    const std::optional<std::string> head = read_bytes(path, 3);
    return head && head->compare(0, 4, "PK\x03\x04") == 0;
}

}  // namespace

converted_facts convert_office_facts(const std::string& path, const facts_limits& limits, const office_facts_options& options) {
    converted_facts r;
    if (is_workbook_path(path) || starts_as_zip(path)) {
        r.converted = true;
        xlsx_limits xl;
        xl.max_part_bytes = limits.max_bytes;
        xl.max_text_bytes = limits.max_bytes;
        xl.max_columns = limits.max_fields + 1;
        const xlsx_sheet sheet = read_xlsx_sheet(path, options.sheet, xl);
        if (!sheet.ok) {
            r.error = sheet.error;
            return r;
        }
        localized why;
        if (!sheet_as_csv(sheet, r.text, why)) {
            r.error = localize("xlsx.in-sheet", {{"path", path}, {"sheet", sheet.name}, {"problem", std::move(why)}});
            return r;
        }
        r.ok = true;
        return r;
    }
    std::optional<text_encoding> encoding;
    if (!options.encoding.empty()) encoding = encoding_from_name(options.encoding);
    if (!encoding && !options.encoding.empty()) {
        r.converted = true;
        r.error = localize("encoding.unknown", {{"name", options.encoding}});
        return r;
    }
    if (!encoding) {
        // Detected for CSV only: JSON is UTF-8 by its standard (RFC 8259), and its reader
        // says so. Only a regular file is looked at before it is read: a FIFO cannot be
        // read twice.
        if (guess_facts_format(path) != facts_format::csv || !regular_file(path)) return r;
        const std::optional<std::string> head = read_bytes(path, (64u << 10) - 1);
        if (!head) return r;  // facts_file says why it cannot be read
        encoding = detect_encoding(*head);
    }
    if (*encoding == text_encoding::utf8) return r;
    r.converted = true;
    r.format = guess_facts_format(path);
    const std::optional<std::string> bytes = read_bytes(path, limits.max_bytes);
    if (!bytes) {
        r.error = localize("source.cannot-read", {{"path", path}});
        return r;
    }
    if (bytes->size() > limits.max_bytes) {
        r.error = localize("source.too-large-stream", {{"path", path}, {"limit", std::to_string(limits.max_bytes)}});
        return r;
    }
    decoded_text d = to_utf8(*bytes, *encoding);
    if (!d.ok) {
        r.error = localize("encoding.undecodable", {{"path", path}, {"encoding", encoding_name(*encoding)}, {"line", std::to_string(d.bad_line)}});
        return r;
    }
    r.text = std::move(d.text);
    r.ok = true;
    return r;
}

std::unique_ptr<facts_source> office_facts_file(std::string path, const facts_limits& limits, std::size_t max_stream_bytes,
                                                const office_facts_options& options) {
    converted_facts c = convert_office_facts(path, limits, options);
    if (!c.converted) return facts_file(std::move(path), limits, max_stream_bytes);
    if (!c.ok) return std::make_unique<failed_source>(std::move(path), std::move(c.error));
    return facts_text(std::move(path), std::move(c.text), c.format, limits);
}

}  // namespace rubric
