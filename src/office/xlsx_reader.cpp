// Reading one sheet of an .xlsx workbook (rubric/xlsx_reader.hpp): libzip opens the package,
// expat reads each XML part as it inflates.
#include "rubric/xlsx_reader.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace rubric {

namespace {

// An element's or attribute's name without its namespace prefix ("x:row" -> "row"): some
// writers prefix SpreadsheetML, and strict OOXML has other namespaces with the same names.
std::string_view local_name(const char* name) {
    const std::string_view s(name);
    const std::size_t colon = s.rfind(':');
    return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

const char* attribute(const char** attrs, std::string_view name) {
    for (std::size_t i = 0; attrs[i]; i += 2)
        if (local_name(attrs[i]) == name) return attrs[i + 1];
    return nullptr;
}

// The attribute `r:id` (a relationship id): by its local name "id", but not a bare "id".
const char* relationship_id(const char** attrs) {
    for (std::size_t i = 0; attrs[i]; i += 2) {
        const std::string_view n(attrs[i]);
        if (n != "id" && local_name(attrs[i]) == "id") return attrs[i + 1];
    }
    return nullptr;
}

// SAX callbacks as std::function members, so each part's reader is a few lambdas.
struct xml_handlers {
    std::function<void(std::string_view, const char**)> start;
    std::function<void(std::string_view)> end;
    std::function<void(std::string_view)> text;
    localized stop_reason;  // set by a handler that stops the parse
    XML_Parser parser = nullptr;
    void stop(localized why) {
        if (stop_reason.empty()) stop_reason = std::move(why);
        XML_StopParser(parser, XML_FALSE);
    }
};

void XMLCALL on_start(void* u, const XML_Char* name, const XML_Char** attrs) {
    auto* h = static_cast<xml_handlers*>(u);
    if (h->start) h->start(local_name(name), attrs);
}
void XMLCALL on_end(void* u, const XML_Char* name) {
    auto* h = static_cast<xml_handlers*>(u);
    if (h->end) h->end(local_name(name));
}
void XMLCALL on_text(void* u, const XML_Char* s, int len) {
    auto* h = static_cast<xml_handlers*>(u);
    if (h->text) h->text(std::string_view(s, static_cast<std::size_t>(len)));
}
// A workbook has no document type: one would bring entities, which expand.
void XMLCALL on_doctype(void* u, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    auto* h = static_cast<xml_handlers*>(u);
    h->stop(localize("xlsx.doctype"));
}

struct zip_closer {
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct zip_file_closer {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

class workbook {
public:
    workbook(const std::string& path, const xlsx_limits& limits) : path_(path), limits_(limits) {}

    bool open(localized& err) {
        // A password-protected workbook is an OLE compound file holding the encrypted
        // package, as an old .xls is: say so rather than "not a zip".
        if (std::FILE* f = std::fopen(path_.c_str(), "rb")) {
            unsigned char magic[8] = {};
            const std::size_t n = std::fread(magic, 1, sizeof magic, f);
            std::fclose(f);
            static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
            if (n == 8 && std::memcmp(magic, ole, 8) == 0) {
                err = localize("xlsx.encrypted-or-xls", {{"path", path_}});
                return false;
            }
        } else {
            err = localize("source.cannot-read-because", {{"path", path_}, {"reason", file_error_reason(errno, false)}});
            return false;
        }
        int code = 0;
        zip_t* z = zip_open(path_.c_str(), ZIP_RDONLY, &code);
        if (!z) {
            zip_error_t ze;
            zip_error_init_with_code(&ze, code);
            err = localize("xlsx.not-a-workbook", {{"path", path_}, {"reason", zip_error_strerror(&ze)}});
            zip_error_fini(&ze);
            return false;
        }
        zip_.reset(z);
        return true;
    }

    [[nodiscard]] bool has(const std::string& part) const { return zip_name_locate(zip_.get(), part.c_str(), ZIP_FL_NOCASE) >= 0; }

    // Feeds the part to expat a block at a time, inflated bytes counted as they come.
    bool parse(const std::string& part, xml_handlers& h, localized& err) {
        const zip_int64_t index = zip_name_locate(zip_.get(), part.c_str(), ZIP_FL_NOCASE);
        if (index < 0) {
            err = localize("xlsx.part-missing", {{"path", path_}, {"part", part}});
            return false;
        }
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) == 0 && (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
            st.encryption_method != ZIP_EM_NONE) {
            err = localize("xlsx.encrypted-or-xls", {{"path", path_}});
            return false;
        }
        std::unique_ptr<zip_file_t, zip_file_closer> file(zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
        if (!file) {
            err = localize("xlsx.damaged", {{"path", path_}, {"part", part}, {"reason", zip_strerror(zip_.get())}});
            return false;
        }
        std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"), &XML_ParserFree);
        if (!parser) throw std::bad_alloc();
        h.parser = parser.get();
        XML_SetUserData(parser.get(), &h);
        XML_SetElementHandler(parser.get(), on_start, on_end);
        XML_SetCharacterDataHandler(parser.get(), on_text);
        XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
        std::vector<char> block(1u << 16);
        std::size_t total = 0;
        for (;;) {
            const zip_int64_t n = zip_fread(file.get(), block.data(), block.size());
            if (n < 0) {
                err = localize("xlsx.damaged", {{"path", path_}, {"part", part}, {"reason", zip_file_strerror(file.get())}});
                return false;
            }
            total += static_cast<std::size_t>(n);
            if (total > limits_.max_part_bytes) {
                err = localize("xlsx.part-too-large", {{"path", path_}, {"part", part}, {"limit", std::to_string(limits_.max_part_bytes)}});
                return false;
            }
            const bool last = n == 0;
            if (XML_Parse(parser.get(), block.data(), static_cast<int>(n), last) == XML_STATUS_ERROR) {
                if (!h.stop_reason.empty()) {
                    err = localize("xlsx.in-part", {{"path", path_}, {"part", part}, {"problem", std::move(h.stop_reason)}});
                } else {
                    err = localize("xlsx.xml-error", {{"path", path_},
                                                      {"part", part},
                                                      {"line", std::to_string(XML_GetCurrentLineNumber(parser.get()))},
                                                      {"reason", XML_ErrorString(XML_GetErrorCode(parser.get()))}});
                }
                return false;
            }
            if (last) break;
        }
        return true;
    }

    const std::string& path() const { return path_; }

private:
    std::string path_;
    xlsx_limits limits_;
    std::unique_ptr<zip_t, zip_closer> zip_;
};

// "worksheets/sheet1.xml" relative to xl/, or "/xl/worksheets/sheet1.xml" from the root.
std::string part_path(std::string_view target) {
    if (!target.empty() && target.front() == '/') return std::string(target.substr(1));
    return "xl/" + std::string(target);
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Whether a number format shows a date or a time: the built-in ones (14-22, 27-36, 45-47 and
// the East Asian 50-58), or a format code with y, m, d, h or s outside quotes, escapes and
// [colour] brackets ([h] and [mm] of elapsed time count).
bool is_date_format(int id, const std::string& code) {
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58)) return true;
    bool quoted = false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (quoted) {
            quoted = c != '"';
            continue;
        }
        if (c == '"') quoted = true;
        else if (c == '\\' || c == '_' || c == '*') ++i;  // the next character is literal
        else if (c == '[') {
            const std::size_t close = code.find(']', i);
            const char inner = i + 1 < code.size() ? static_cast<char>(std::tolower(static_cast<unsigned char>(code[i + 1]))) : 0;
            if (inner == 'h' || inner == 'm' || inner == 's') return true;
            if (close == std::string::npos) return false;
            i = close;
        } else {
            const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (l == 'y' || l == 'm' || l == 'd' || l == 'h' || l == 's') return true;
            if (c == ';') return false;  // only the first section decides
        }
    }
    return false;
}

bool leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::string two(long v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// A date cell's serial number as "YYYY-MM-DD[ HH:MM:SS]", or nullopt when it is not one.
// The 1900 system counts 1900-01-01 as 1 and keeps Lotus's 29 February 1900 (serial 60);
// the 1904 system counts from 1904-01-01 as 0.
std::optional<std::string> excel_date(std::string_view stored, bool date1904) {
    std::size_t i = 0;
    long days = 0;
    while (i < stored.size() && stored[i] >= '0' && stored[i] <= '9') {
        days = days * 10 + (stored[i] - '0');
        if (days > 3'000'000) return std::nullopt;
        ++i;
    }
    if (i == 0) return std::nullopt;
    unsigned long long frac = 0, scale = 1;
    if (i < stored.size() && stored[i] == '.') {
        ++i;
        for (; i < stored.size() && stored[i] >= '0' && stored[i] <= '9'; ++i)
            if (scale < 1'000'000'000'000'000ull) frac = frac * 10 + static_cast<unsigned>(stored[i] - '0'), scale *= 10;
    }
    if (i != stored.size()) return std::nullopt;  // an exponent or a sign: not a date we show
    // Seconds of the day, rounded half-up (exact integer arithmetic on the decimal digits).
    unsigned long long secs = static_cast<unsigned long long>((static_cast<unsigned __int128>(frac) * 86400 + scale / 2) / scale);
    if (secs >= 86400) ++days, secs -= 86400;
    long y = 1900, m = 1, d = 1;
    if (date1904) {
        y = 1904;
        d += days;
    } else if (days == 60) {
        return std::string("1900-02-29") + (secs ? " " + two(static_cast<long>(secs / 3600)) + ":" + two(static_cast<long>(secs / 60 % 60)) + ":" + two(static_cast<long>(secs % 60)) : "");
    } else {
        if (days == 0) return std::nullopt;  // Excel's "1900-01-00"
        d = days > 60 ? days - 1 : days;
    }
    // d is a 1-based day count from 1 January of y.
    while (d > (leap(y) ? 366 : 365)) d -= leap(y) ? 366 : 365, ++y;
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    while (d > month_days[m - 1] + (m == 2 && leap(y) ? 1 : 0)) d -= month_days[m - 1] + (m == 2 && leap(y) ? 1 : 0), ++m;
    if (y > 9999) return std::nullopt;
    std::string s = std::to_string(y) + "-" + two(m) + "-" + two(d);
    if (secs) s += " " + two(static_cast<long>(secs / 3600)) + ":" + two(static_cast<long>(secs / 60 % 60)) + ":" + two(static_cast<long>(secs % 60));
    return s;
}

std::string cell_name(std::uint32_t column, std::uint32_t row) { return excel_column_name(column) + std::to_string(row); }

}  // namespace

std::uint32_t excel_column_number(std::string_view ref) noexcept {
    std::uint32_t n = 0;
    std::size_t i = 0;
    for (; i < ref.size(); ++i) {
        char c = ref[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') break;
        n = n * 26 + static_cast<std::uint32_t>(c - 'A' + 1);
        if (n > 1'000'000) return 0;
    }
    return i == 0 ? 0 : n;
}

std::string excel_column_name(std::uint32_t column) {
    std::string s;
    while (column > 0) {
        const std::uint32_t r = (column - 1) % 26;
        s.insert(s.begin(), static_cast<char>('A' + r));
        column = (column - 1) / 26;
    }
    return s;
}

std::string excel_shown_number(std::string_view stored) {
    std::size_t i = 0;
    const bool negative = i < stored.size() && stored[i] == '-';
    if (negative || (i < stored.size() && stored[i] == '+')) ++i;
    std::string digits;
    long point = 0;  // value = 0.digits x 10^point, once leading zeros are gone
    bool any = false, seen_point = false;
    for (; i < stored.size(); ++i) {
        const char c = stored[i];
        if (c >= '0' && c <= '9') {
            any = true;
            if (digits.empty() && c == '0') {
                if (seen_point) --point;
                continue;
            }
            digits += c;
            if (!seen_point) ++point;
        } else if (c == '.' && !seen_point) {
            seen_point = true;
        } else {
            break;
        }
    }
    if (!any) return std::string(stored);
    if (i < stored.size()) {
        if (stored[i] != 'e' && stored[i] != 'E') return std::string(stored);
        ++i;
        bool neg_exp = false;
        if (i < stored.size() && (stored[i] == '+' || stored[i] == '-')) neg_exp = stored[i++] == '-';
        if (i == stored.size()) return std::string(stored);
        long e = 0;
        for (; i < stored.size(); ++i) {
            if (stored[i] < '0' || stored[i] > '9') return std::string(stored);
            e = e * 10 + (stored[i] - '0');
            if (e > 100000) return std::string(stored);
        }
        point += neg_exp ? -e : e;
    }
    if (digits.empty()) return "0";
    // Half-up at the 15th significant digit, as Excel shows a double.
    if (digits.size() > 15) {
        const bool up = digits[15] >= '5';
        digits.resize(15);
        if (up) {
            std::size_t k = digits.size();
            while (k > 0 && digits[k - 1] == '9') digits[--k] = '0';
            if (k == 0) digits.insert(digits.begin(), '1'), ++point;
            else ++digits[k - 1];
        }
    }
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    if (point > 60 || point < -60) return std::string(stored);
    std::string out = negative ? "-" : "";
    const long n = static_cast<long>(digits.size());
    if (point <= 0) out += "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
    else if (point >= n) out += digits + std::string(static_cast<std::size_t>(point - n), '0');
    else out += digits.substr(0, static_cast<std::size_t>(point)) + "." + digits.substr(static_cast<std::size_t>(point));
    return out;
}

xlsx_sheet read_xlsx_sheet(const std::string& path, const std::string& wanted, const xlsx_limits& limits) {
    std::vector<xlsx_row> rows;
    xlsx_sheet s = read_xlsx_sheet(path, wanted, limits, [&](xlsx_row&& r) {
        rows.push_back(std::move(r));
        return localized{};
    });
    if (s.ok) s.rows = std::move(rows);
    return s;
}

xlsx_sheet read_xlsx_sheet(const std::string& path, const std::string& wanted, const xlsx_limits& limits,
                           const std::function<localized(xlsx_row&&)>& on_row) {
    xlsx_sheet result;
    workbook book(path, limits);
    auto fail = [&](localized why) {
        result.ok = false;
        result.error = std::move(why);
        result.rows.clear();
        return result;
    };
    localized err;
    if (!book.open(err)) return fail(std::move(err));
    if (!book.has("xl/workbook.xml")) return fail(localize("xlsx.not-a-workbook", {{"path", path}, {"reason", "xl/workbook.xml"}}));

    // The workbook: its sheets in order, and the date system.
    std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
    bool date1904 = false;
    {
        xml_handlers h;
        h.start = [&](std::string_view el, const char** attrs) {
            if (el == "sheet") {
                const char* name = attribute(attrs, "name");
                const char* rid = relationship_id(attrs);
                sheets.emplace_back(name ? name : "", rid ? rid : "");
            } else if (el == "workbookPr") {
                const char* v = attribute(attrs, "date1904");
                date1904 = v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
            }
        };
        if (!book.parse("xl/workbook.xml", h, err)) return fail(std::move(err));
    }
    for (const auto& s : sheets) result.sheet_names.push_back(s.first);
    if (sheets.empty()) return fail(localize("xlsx.no-sheets", {{"path", path}}));
    std::size_t chosen = 0;
    if (!wanted.empty()) {
        const auto it = std::find_if(sheets.begin(), sheets.end(), [&](const auto& s) { return s.first == wanted; });
        if (it == sheets.end()) return fail(localize("xlsx.no-such-sheet", {{"path", path}, {"sheet", wanted}, {"sheets", list_of(result.sheet_names)}}));
        chosen = static_cast<std::size_t>(it - sheets.begin());
    }
    result.name = sheets[chosen].first;

    // Where the parts are: the workbook's relationships.
    std::map<std::string, std::string> targets;  // relationship id -> part
    std::string shared_part, styles_part;
    if (book.has("xl/_rels/workbook.xml.rels")) {
        xml_handlers h;
        h.start = [&](std::string_view el, const char** attrs) {
            if (el != "Relationship") return;
            const char* id = attribute(attrs, "Id");
            const char* target = attribute(attrs, "Target");
            const char* type = attribute(attrs, "Type");
            if (!id || !target) return;
            targets[id] = part_path(target);
            if (type && ends_with(type, "/sharedStrings")) shared_part = part_path(target);
            if (type && ends_with(type, "/styles")) styles_part = part_path(target);
        };
        if (!book.parse("xl/_rels/workbook.xml.rels", h, err)) return fail(std::move(err));
    }
    if (shared_part.empty() && book.has("xl/sharedStrings.xml")) shared_part = "xl/sharedStrings.xml";
    if (styles_part.empty() && book.has("xl/styles.xml")) styles_part = "xl/styles.xml";
    std::string sheet_part;
    if (const auto t = targets.find(sheets[chosen].second); t != targets.end()) sheet_part = t->second;
    else sheet_part = "xl/worksheets/sheet" + std::to_string(chosen + 1) + ".xml";

    // Shared strings: the text of each <si>, runs joined, phonetic guides (<rPh>) left out.
    std::vector<std::string> shared;
    if (!shared_part.empty() && book.has(shared_part)) {
        xml_handlers h;
        int phonetic = 0;
        bool in_t = false, in_si = false;
        h.start = [&](std::string_view el, const char**) {
            if (el == "si") in_si = true, shared.emplace_back();
            else if (el == "rPh") ++phonetic;
            else if (el == "t") in_t = in_si && phonetic == 0;
        };
        h.end = [&](std::string_view el) {
            if (el == "si") in_si = false;
            else if (el == "rPh") --phonetic;
            else if (el == "t") in_t = false;
        };
        h.text = [&](std::string_view s) {
            if (in_t) shared.back().append(s);
        };
        if (!book.parse(shared_part, h, err)) return fail(std::move(err));
    }

    // Styles: which cell formats show dates.
    std::vector<bool> date_style;  // by the cell's s attribute (an index into cellXfs)
    if (!styles_part.empty() && book.has(styles_part)) {
        std::map<int, std::string> custom;
        std::vector<int> xf_formats;
        bool in_cell_xfs = false;
        xml_handlers h;
        h.start = [&](std::string_view el, const char** attrs) {
            if (el == "numFmt") {
                const char* id = attribute(attrs, "numFmtId");
                const char* code = attribute(attrs, "formatCode");
                if (id && code) custom[std::atoi(id)] = code;
            } else if (el == "cellXfs") {
                in_cell_xfs = true;
            } else if (el == "xf" && in_cell_xfs) {
                const char* id = attribute(attrs, "numFmtId");
                xf_formats.push_back(id ? std::atoi(id) : 0);
            }
        };
        h.end = [&](std::string_view el) {
            if (el == "cellXfs") in_cell_xfs = false;
        };
        if (!book.parse(styles_part, h, err)) return fail(std::move(err));
        for (const int id : xf_formats) {
            const auto c = custom.find(id);
            date_style.push_back(is_date_format(id, c == custom.end() ? std::string() : c->second));
        }
    }

    // The sheet, a row at a time.
    std::size_t text_bytes = 0;
    {
        xml_handlers h;
        localized row_problem;  // the caller's, for a row it cannot take
        std::uint32_t row_number = 0, column = 0;
        std::string type, value, inline_text;
        std::size_t style = 0;
        bool in_cell = false, in_v = false, in_is = false, in_t = false, has_formula = false;
        int phonetic = 0;
        xlsx_row row;
        h.start = [&](std::string_view el, const char** attrs) {
            if (el == "row") {
                const char* r = attribute(attrs, "r");
                const long n = r ? std::atol(r) : static_cast<long>(row_number) + 1;
                if (n <= static_cast<long>(row_number) || n > 1'048'576) return h.stop(localize("xlsx.bad-row", {{"row", r ? r : "?"}}));
                row_number = static_cast<std::uint32_t>(n);
                row = xlsx_row{row_number, {}};
                column = 0;
            } else if (el == "c") {
                const char* r = attribute(attrs, "r");
                const std::uint32_t c = r ? excel_column_number(r) : column + 1;
                if (c == 0 || c <= column) return h.stop(localize("xlsx.bad-cell", {{"cell", r ? r : "?"}}));
                column = c;
                const char* t = attribute(attrs, "t");
                type = t ? t : "n";
                const char* s = attribute(attrs, "s");
                style = s ? static_cast<std::size_t>(std::atol(s)) : 0;
                value.clear();
                inline_text.clear();
                in_cell = true;
                has_formula = false;
            } else if (in_cell && el == "v") {
                in_v = true;
            } else if (in_cell && el == "f") {
                has_formula = true;
            } else if (in_cell && el == "is") {
                in_is = true;
            } else if (in_is && el == "rPh") {
                ++phonetic;
            } else if (in_is && el == "t") {
                in_t = phonetic == 0;
            }
        };
        h.end = [&](std::string_view el) {
            if (el == "v") {
                in_v = false;
            } else if (el == "t") {
                in_t = false;
            } else if (el == "rPh") {
                --phonetic;
            } else if (el == "is") {
                in_is = false;
            } else if (el == "c" && in_cell) {
                in_cell = false;
                std::string text;
                if (type == "s") {
                    char* end = nullptr;
                    const unsigned long k = std::strtoul(value.c_str(), &end, 10);
                    if (value.empty() || *end || k >= shared.size())
                        return h.stop(localize("xlsx.bad-shared-string", {{"cell", cell_name(column, row_number)}}));
                    text = shared[k];
                } else if (type == "inlineStr") {
                    text = inline_text;
                } else if (type == "b") {
                    text = value == "1" ? "true" : value == "0" ? "false" : value;
                } else if (type == "str" || type == "e") {
                    text = value;  // a formula's text result, or an error such as #DIV/0!
                } else if (type == "d") {
                    text = value.substr(0, value.find('T')) + (value.find('T') != std::string::npos && value.substr(value.find('T')) != "T00:00:00" ? " " + value.substr(value.find('T') + 1, 8) : "");
                } else {  // a number
                    // Some writers save a formula with an empty <v/>, or none: never calculated.
                    if (has_formula && value.empty())
                        return h.stop(localize("xlsx.formula-without-value", {{"cell", cell_name(column, row_number)}}));
                    if (!value.empty()) {
                        std::optional<std::string> date;
                        if (style < date_style.size() && date_style[style]) date = excel_date(value, date1904);
                        text = date ? *date : excel_shown_number(value);
                    }
                }
                if (text.empty()) return;
                if (column > limits.max_columns)
                    return h.stop(localize("xlsx.too-many-columns", {{"cell", cell_name(column, row_number)}, {"limit", std::to_string(limits.max_columns)}}));
                text_bytes += text.size();
                if (text_bytes > limits.max_text_bytes)
                    return h.stop(localize("xlsx.text-too-large", {{"limit", std::to_string(limits.max_text_bytes)}}));
                row.cells.push_back(xlsx_cell{column, std::move(text)});
            } else if (el == "row") {
                if (!row.cells.empty()) {
                    localized problem = on_row(std::move(row));
                    if (!problem.empty()) {
                        row_problem = localize("xlsx.in-sheet", {{"path", path}, {"sheet", result.name}, {"problem", std::move(problem)}});
                        return h.stop(row_problem);
                    }
                }
                row = xlsx_row{};
            }
        };
        h.text = [&](std::string_view s) {
            if (in_v) value.append(s);
            else if (in_t) inline_text.append(s);
        };
        if (!book.parse(sheet_part, h, err)) return fail(row_problem.empty() ? std::move(err) : std::move(row_problem));
    }
    result.ok = true;
    return result;
}

}  // namespace rubric
