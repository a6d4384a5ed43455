#include "interop/xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <stdexcept>

namespace arrimage::interop {

namespace {

std::string folded(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// A name Excel accepts: no []:*?/\, no apostrophe at either end, at most 31 characters (cut at a
// UTF-8 character boundary), not empty, not "History" (Excel keeps it), unique in the book
// ignoring case (as Excel and libxlsxwriter compare them).
std::string sheet_name(std::string name, std::set<std::string>& taken) {
    for (char& c : name)
        if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = ' ';
    while (!name.empty() && name.front() == '\'') name.erase(0, 1);
    while (!name.empty() && name.back() == '\'') name.pop_back();
    auto cut = [](std::string s, std::size_t max) {
        if (s.size() <= max) return s;
        std::size_t n = max;
        while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
        return s.substr(0, n);
    };
    name = cut(name, 31);
    if (name.empty()) name = "Sheet";
    taken.insert("history");
    std::string out = name;
    for (int i = 2; taken.contains(folded(out)); ++i) {
        const std::string suffix = " (" + std::to_string(i) + ")";
        out = cut(name, 31 - suffix.size()) + suffix;
    }
    taken.insert(folded(out));
    return out;
}

struct BookFree {
    void operator()(lxw_workbook* b) const { lxw_workbook_free(b); }
};

}  // namespace

std::string xlsx_workbook(const std::vector<XlsxSheet>& sheets) {
    std::string path = (std::filesystem::temp_directory_path() / "arrimage-xlsx-XXXXXX").string();
    const int fd = ::mkstemp(path.data());
    if (fd < 0) throw std::runtime_error("xlsx: cannot create a temporary file");
    ::close(fd);
    struct Remove {
        std::string path;
        ~Remove() {
            std::error_code ignored;
            std::filesystem::remove(path, ignored);
        }
    } remove{path};

    std::unique_ptr<lxw_workbook, BookFree> book(workbook_new(path.c_str()));
    if (!book) throw std::runtime_error("xlsx: cannot start a workbook");
    lxw_format* bold = workbook_add_format(book.get());
    format_set_bold(bold);
    std::set<std::string> taken;
    for (const auto& s : sheets) {
        lxw_worksheet* sheet = workbook_add_worksheet(book.get(), sheet_name(s.name, taken).c_str());
        if (!sheet) throw std::runtime_error("xlsx: a sheet name the library refuses");
        worksheet_set_column(sheet, 0, 0, s.first_column_width, nullptr);
        for (std::size_t r = 0; r < s.rows.size(); ++r)
            for (std::size_t c = 0; c < s.rows[r].size(); ++c) {
                const auto& cell = s.rows[r][c];
                const auto row = static_cast<lxw_row_t>(r);
                const auto col = static_cast<lxw_col_t>(c);
                lxw_format* f = cell.bold ? bold : nullptr;
                if (cell.number)
                    worksheet_write_number(sheet, row, col, static_cast<double>(*cell.number), f);
                else if (!cell.text.empty())
                    worksheet_write_string(sheet, row, col, cell.text.c_str(), f);
            }
    }
    // workbook_close frees the workbook, whatever it returns.
    if (workbook_close(book.release()) != LXW_NO_ERROR) throw std::runtime_error("xlsx: cannot write the workbook");
    std::ifstream in(path, std::ios::binary);
    std::string out{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) throw std::runtime_error("xlsx: cannot read the workbook back");
    if (out.empty()) throw std::runtime_error("xlsx: the workbook is empty");
    return out;
}

}  // namespace arrimage::interop
