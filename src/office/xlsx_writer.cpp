// Writing .xlsx workbooks (rubric/xlsx_writer.hpp) with libxlsxwriter.
#include "rubric/xlsx_writer.hpp"

#include <xlsxwriter.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <unistd.h>

#include "private_dir.hpp"

namespace rubric {

namespace {

struct book_closer {
    void operator()(lxw_workbook* w) const {
        if (w) workbook_close(w);
    }
};

}  // namespace

bool fits_number_cell(std::string_view s) noexcept {
    std::size_t i = 0, significant = 0;
    bool seen_digit = false, seen_point = false, leading = true;
    if (i < s.size() && s[i] == '-') ++i;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '.' && !seen_point) {
            seen_point = true;
            continue;
        }
        if (c < '0' || c > '9') return false;
        seen_digit = true;
        if (c != '0') leading = false;
        if (!leading) ++significant;
    }
    // Trailing zeros after the point do not count: "2.50" has two significant digits.
    if (seen_point) {
        std::size_t k = s.size();
        while (k > 0 && s[k - 1] == '0' && significant > 0) --k, --significant;
    }
    return seen_digit && significant <= 15;
}

xlsx_out_cell text_cell(std::string text, bool bold) {
    xlsx_out_cell c;
    c.k = text.empty() ? xlsx_out_cell::kind::empty : xlsx_out_cell::kind::text;
    c.text = std::move(text);
    c.bold = bold;
    return c;
}

xlsx_out_cell number_cell(std::string decimal_text, std::string format) {
    xlsx_out_cell c;
    c.k = fits_number_cell(decimal_text) ? xlsx_out_cell::kind::number : xlsx_out_cell::kind::text;
    c.text = std::move(decimal_text);
    c.format = std::move(format);
    return c;
}

bool write_xlsx(const std::vector<xlsx_out_sheet>& sheets, std::string& bytes, localized& error) {
    office::private_dir dir("xlsx");
    if (dir.path.empty()) {
        error = localize("xlsx.write-failed", {{"reason", "mkdtemp"}});
        return false;
    }
    const std::string file = dir.path + "/book.xlsx";
    lxw_workbook_options options{};
    options.tmpdir = const_cast<char*>(dir.path.c_str());
    lxw_workbook* book = workbook_new_opt(file.c_str(), &options);
    if (!book) {
        error = localize("xlsx.write-failed", {{"reason", "workbook_new"}});
        return false;
    }
    std::unique_ptr<lxw_workbook, book_closer> guard(book);
    // One format object per (number format, bold, wrap): libxlsxwriter keeps them for the book.
    std::map<std::string, lxw_format*> formats;
    auto format_of = [&](const std::string& number_format, bool bold, bool wrap) -> lxw_format* {
        if (number_format.empty() && !bold && !wrap) return nullptr;
        const std::string key = number_format + (bold ? "\x01" : "\x02") + (wrap ? "\x01" : "\x02");
        auto& f = formats[key];
        if (!f) {
            f = workbook_add_format(book);
            if (!number_format.empty()) format_set_num_format(f, number_format.c_str());
            if (bold) format_set_bold(f);
            if (wrap) format_set_text_wrap(f), format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        }
        return f;
    };
    for (const xlsx_out_sheet& s : sheets) {
        lxw_worksheet* ws = workbook_add_worksheet(book, s.name.c_str());
        if (!ws) {
            error = localize("xlsx.write-failed", {{"reason", "worksheet " + s.name}});
            return false;
        }
        for (std::size_t c = 0; c < s.column_widths.size() || c < s.column_formats.size(); ++c) {
            const double w = c < s.column_widths.size() && s.column_widths[c] > 0 ? s.column_widths[c] : LXW_DEF_COL_WIDTH;
            lxw_format* f = c < s.column_formats.size() ? format_of(s.column_formats[c], false, false) : nullptr;
            worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w, f);
        }
        for (std::size_t r = 0; r < s.rows.size(); ++r) {
            for (std::size_t c = 0; c < s.rows[r].size(); ++c) {
                const xlsx_out_cell& cell = s.rows[r][c];
                const auto row = static_cast<lxw_row_t>(r);
                const auto col = static_cast<lxw_col_t>(c);
                lxw_format* f = format_of(cell.format, cell.bold, cell.wrap);
                lxw_error e = LXW_NO_ERROR;
                if (cell.k == xlsx_out_cell::kind::number) {
                    // The one conversion to binary floating point, of a decimal Excel shows exactly.
                    double v = 0;
                    std::from_chars(cell.text.data(), cell.text.data() + cell.text.size(), v);
                    e = worksheet_write_number(ws, row, col, v, f);
                } else if (cell.k == xlsx_out_cell::kind::text) {
                    e = worksheet_write_string(ws, row, col, cell.text.c_str(), f);
                } else if (f) {
                    e = worksheet_write_blank(ws, row, col, f);
                }
                if (e == LXW_NO_ERROR && !cell.comment.empty()) {
                    lxw_comment_options co{};
                    co.width = 360;
                    co.height = 200;
                    e = worksheet_write_comment_opt(ws, row, col, cell.comment.c_str(), &co);
                }
                if (e != LXW_NO_ERROR) {
                    error = localize("xlsx.write-failed", {{"reason", lxw_strerror(e)}});
                    return false;
                }
            }
        }
        for (const xlsx_validation& v : s.validations) {
            lxw_data_validation dv{};
            std::vector<const char*> items;
            if (v.k == xlsx_validation::kind::list) {
                for (const auto& it : v.items) items.push_back(it.c_str());
                items.push_back(nullptr);
                dv.validate = LXW_VALIDATION_TYPE_LIST;
                dv.value_list = const_cast<char**>(items.data());
            } else {
                const bool whole = v.k == xlsx_validation::kind::whole;
                dv.validate = whole ? LXW_VALIDATION_TYPE_INTEGER_FORMULA : LXW_VALIDATION_TYPE_DECIMAL_FORMULA;
                // Bounds as formulas: their exact text, never a double.
                if (!v.min.empty() && !v.max.empty()) {
                    dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
                    dv.minimum_formula = const_cast<char*>(v.min.c_str());
                    dv.maximum_formula = const_cast<char*>(v.max.c_str());
                } else if (!v.min.empty()) {
                    dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
                    dv.value_formula = const_cast<char*>(v.min.c_str());
                } else if (!v.max.empty()) {
                    dv.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
                    dv.value_formula = const_cast<char*>(v.max.c_str());
                } else {
                    continue;
                }
            }
            if (!v.prompt.empty()) {
                dv.input_title = const_cast<char*>(v.prompt_title.c_str());
                dv.input_message = const_cast<char*>(v.prompt.c_str());
            }
            const lxw_error e = worksheet_data_validation_range(ws, static_cast<lxw_row_t>(v.first_row), static_cast<lxw_col_t>(v.column),
                                                                static_cast<lxw_row_t>(v.last_row), static_cast<lxw_col_t>(v.column), &dv);
            if (e != LXW_NO_ERROR) {
                error = localize("xlsx.write-failed", {{"reason", lxw_strerror(e)}});
                return false;
            }
        }
        if (s.frozen_rows || s.frozen_columns) worksheet_freeze_panes(ws, static_cast<lxw_row_t>(s.frozen_rows), static_cast<lxw_col_t>(s.frozen_columns));
    }
    const lxw_error closed = workbook_close(guard.release());
    if (closed != LXW_NO_ERROR) {
        error = localize("xlsx.write-failed", {{"reason", lxw_strerror(closed)}});
        return false;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in.good() && !in.eof()) {
        error = localize("xlsx.write-failed", {{"reason", "read back"}});
        return false;
    }
    bytes = ss.str();
    return true;
}

}  // namespace rubric
