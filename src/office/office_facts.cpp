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

namespace {

// Builds the CSV a row at a time (sheet_csv_writer): row N of the sheet on line N.
class sheet_csv_writer {
public:
    explicit sheet_csv_writer(std::string& csv) : csv_(csv) { csv_.clear(); }

    // An empty localized when the row is written; else why it cannot be.
    localized add(const xlsx_row& row) {
        if (columns_.empty()) {
            header_row_ = row.number;
            for (const xlsx_cell& c : row.cells) columns_.push_back(c.column);
        }
        // Blank lines, which the CSV reader skips, stand for the rows left out.
        for (; line_ < row.number; ++line_) csv_ += '\n';
        std::size_t k = 0;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (i) csv_ += ',';
            if (k < row.cells.size() && row.cells[k].column < columns_[i]) return no_header(row, row.cells[k]);
            if (k < row.cells.size() && row.cells[k].column == columns_[i]) append_csv_quoted(csv_, row.cells[k++].text);
        }
        if (k < row.cells.size()) return no_header(row, row.cells[k]);
        csv_ += '\n';
        // A text cell with line ends in it takes more than one line: the rows after it keep
        // their order, a line or more below their number.
        for (const xlsx_cell& c : row.cells)
            for (const char ch : c.text) line_ += ch == '\n' ? 1 : 0;
        ++line_;
        return {};
    }

private:
    localized no_header(const xlsx_row& row, const xlsx_cell& cell) const {
        return localize("xlsx.data-without-header", {{"cell", excel_column_name(cell.column) + std::to_string(row.number)},
                                                     {"header", excel_column_name(cell.column) + std::to_string(header_row_)}});
    }
    std::string& csv_;
    std::vector<std::uint32_t> columns_;
    std::uint32_t header_row_ = 0, line_ = 1;
};

}  // namespace

bool sheet_as_csv(const xlsx_sheet& sheet, std::string& csv, localized& error) {
    sheet_csv_writer w(csv);
    for (const xlsx_row& row : sheet.rows)
        if (localized why = w.add(row); !why.empty()) {
            error = std::move(why);
            return false;
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
        // XML is verbose (a sheet's XML is 5 to 7 times its CSV; 20,000 units of the 广汉 table
        // are 80 MB), and it is parsed as it inflates, not kept: each part may inflate to 8 times
        // the facts limit, which bounds the work; the text kept is bounded by the limit itself.
        xl.max_part_bytes = limits.max_bytes > static_cast<std::size_t>(-1) / 8 ? limits.max_bytes : limits.max_bytes * 8;
        xl.max_text_bytes = limits.max_bytes;
        xl.max_columns = limits.max_fields + 1;
        // Each row goes into the CSV as it is read: the rows themselves are not kept.
        sheet_csv_writer csv(r.text);
        const xlsx_sheet sheet = read_xlsx_sheet(path, options.sheet, xl, [&](xlsx_row&& row) { return csv.add(row); });
        if (!sheet.ok) {
            r.error = sheet.error;
            r.text.clear();
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
