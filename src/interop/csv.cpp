#include "interop/csv.hpp"

#include "core/text.hpp"

namespace arrimage::interop {

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return i;
    return std::nullopt;
}

std::optional<CsvTable> parse_csv(std::string_view text, CsvError& error, const CsvLimits& limits) {
    auto fail = [&](std::size_t line, const char* code) -> std::optional<CsvTable> {
        error = {line, code};
        return std::nullopt;
    };
    if (text.size() > limits.max_bytes) return fail(0, "too_large");
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (!valid_utf8(text)) {
        // A line feed is never part of a multi-byte sequence: the first line that is not
        // valid UTF-8 on its own holds the first invalid byte.
        std::size_t line = 1;
        for (std::size_t start = 0;; ++line) {
            const auto end = text.find('\n', start);
            if (!valid_utf8(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)) ||
                end == std::string_view::npos)
                return fail(line, "invalid_utf8");
            start = end + 1;
        }
    }

    CsvTable table;
    std::vector<std::string> record;
    std::string field;
    std::size_t line = 1, record_line = 1, i = 0;
    bool have_header = false;

    // Ends a record; blank lines (one empty field) are skipped.
    auto end_record = [&]() -> bool {
        record.push_back(std::move(field));
        field.clear();
        if (record.size() == 1 && record[0].empty()) {
            record.clear();
            return true;
        }
        if (record.size() > limits.max_fields) {
            error = {record_line, "too_many_fields"};
            return false;
        }
        if (!have_header) {
            table.header = std::move(record);
            for (auto& h : table.header) h = trim(h);
            have_header = true;
        } else {
            if (record.size() != table.header.size()) {
                error = {record_line, "ragged_row"};
                return false;
            }
            if (table.rows.size() >= limits.max_rows) {
                error = {record_line, "too_many_rows"};
                return false;
            }
            table.rows.push_back(std::move(record));
            table.lines.push_back(record_line);
        }
        record.clear();
        return true;
    };
    auto push_char = [&](char c) -> bool {
        if (field.size() >= limits.max_field_bytes) {
            error = {record_line, "field_too_long"};
            return false;
        }
        field.push_back(c);
        return true;
    };

    bool at_field_start = true;
    while (i < text.size()) {
        const char c = text[i];
        if (at_field_start && c == '"') {
            // Quoted field: runs to the closing quote; "" is one quote.
            ++i;
            for (;;) {
                if (i >= text.size()) return fail(record_line, "unterminated_quote");
                const char q = text[i];
                if (q == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        if (!push_char('"')) return std::nullopt;
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (q == '\n') ++line;
                if (!push_char(q)) return std::nullopt;
                ++i;
            }
            // After the closing quote: a separator, a line end or the end of the text.
            if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') return fail(record_line, "bad_quote");
            at_field_start = false;
            continue;
        }
        if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
            at_field_start = true;
            ++i;
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            ++i;
            if (!end_record()) return std::nullopt;
            ++line;
            record_line = line;
            at_field_start = true;
        } else {
            if (c == '"') return fail(record_line, "bad_quote");
            if (!push_char(c)) return std::nullopt;
            at_field_start = false;
            ++i;
        }
    }
    if (!field.empty() || !record.empty()) {
        if (!end_record()) return std::nullopt;
    }
    if (!have_header) return fail(0, "empty");
    return table;
}

std::string csv_record(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out.push_back(',');
        const auto& f = fields[i];
        if (f.find_first_of(",\"\r\n") == std::string::npos) {
            out += f;
            continue;
        }
        out.push_back('"');
        for (char c : f) {
            if (c == '"') out.push_back('"');
            out.push_back(c);
        }
        out.push_back('"');
    }
    out += "\r\n";
    return out;
}

std::string spreadsheet_record(const std::vector<std::string>& fields) {
    const auto formula_start = [](char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; };
    const auto delimiter = [](char c) { return c == ',' || c == ';' || c == '\t' || c == '|'; };
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out.push_back(',');
        out.push_back('"');
        const auto& f = fields[i];
        bool cell_start = true;
        for (char c : f) {
            if (cell_start && formula_start(c)) out.push_back('\'');
            if (c == '"') out.push_back('"');
            out.push_back(c);
            // Spaces before a formula are skipped by some spreadsheets: still the cell's start.
            cell_start = delimiter(c) || (cell_start && c == ' ');
        }
        out.push_back('"');
    }
    out += "\r\n";
    return out;
}

}  // namespace arrimage::interop
