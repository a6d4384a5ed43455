#pragma once
// Spreadsheets for people (exports), written with libxlsxwriter: one workbook of named sheets,
// each a grid of text and whole-number cells, a cell in bold where asked. Text is written as
// text, never as a formula, whatever it starts with. Pure but for a temporary file the library
// needs, removed before returning.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace arrimage::interop {

struct XlsxCell {
    std::string text;                    // shown when `number` is empty
    std::optional<std::int64_t> number;  // a count
    bool bold = false;
};
struct XlsxSheet {
    // Made acceptable to Excel: []:*?/\ replaced by a space, apostrophes at either end dropped,
    // cut to 31 characters, "History" (which Excel keeps) and a name already used in the book
    // (ignoring case) given a number: "name (2)".
    std::string name;
    std::vector<std::vector<XlsxCell>> rows;
    double first_column_width = 40;  // characters
};

// The workbook's bytes. Throws std::runtime_error when the library cannot write it (no space
// for its temporary file): a fault of the machine, not of the input.
std::string xlsx_workbook(const std::vector<XlsxSheet>& sheets);

}  // namespace arrimage::interop
