#pragma once
// RFC 4180 CSV: a pure reader (quoted fields, doubled quotes, embedded newlines, CRLF or LF,
// an optional UTF-8 byte-order mark) with limits, and a writer that quotes only when needed.
// The reader rejects invalid UTF-8 (with the line of the first invalid byte) and unterminated
// quotes with the line of the problem.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arrimage::interop {

struct CsvLimits {
    std::size_t max_bytes = 64u * 1024u * 1024u;
    std::size_t max_rows = 200000;  // data rows, header excluded
    std::size_t max_fields = 200;
    std::size_t max_field_bytes = 64u * 1024u;
};

struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;  // each as wide as the header
    std::vector<std::size_t> lines;              // line where each row starts (1-based)

    // Index of a header column, or nullopt.
    std::optional<std::size_t> column(std::string_view name) const;
};

struct CsvError {
    std::size_t line = 0;  // 0: the whole file
    std::string code;      // "too_large", "invalid_utf8", "unterminated_quote", "too_many_rows",
                           // "too_many_fields", "field_too_long", "ragged_row", "empty", "bad_quote"
};

// Parses a whole file. The first record is the header. Blank lines are ignored.
// Returns nullopt and sets `error` on the first problem.
std::optional<CsvTable> parse_csv(std::string_view text, CsvError& error, const CsvLimits& limits = {});

// One record, CRLF-terminated (RFC 4180): for data exchange (HSDS), every byte kept.
std::string csv_record(const std::vector<std::string>& fields);

// One record of a file meant to be opened in a spreadsheet (an export for people): every field
// quoted, and wherever a cell could begin once split on any usual delimiter (comma, semicolon
// — French spreadsheets — tab or vertical bar), a character that starts a formula (= + - @, or
// a tab or carriage return) is preceded by an apostrophe so that the cell stays text.
std::string spreadsheet_record(const std::vector<std::string>& fields);

}  // namespace arrimage::interop
