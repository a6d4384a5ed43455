#include "http/multipart.hpp"

namespace arrimage::http {

namespace {

constexpr std::size_t max_header_block = 8 * 1024;

std::string_view trim_ws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

// The value of parameter `key` in "form-data; name=\"a\"; filename=\"b.csv\"" (quoted or
// token); nullopt when absent. Backslash escapes in quoted strings are honoured.
std::optional<std::string> parameter(std::string_view header, std::string_view key) {
    std::size_t i = header.find(';');
    while (i != std::string_view::npos) {
        std::string_view rest = header.substr(i + 1);
        const auto eq = rest.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const auto name = trim_ws(rest.substr(0, eq));
        rest = rest.substr(eq + 1);
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        std::string value;
        std::size_t consumed = 0;
        if (!rest.empty() && rest.front() == '"') {
            std::size_t k = 1;
            bool closed = false;
            for (; k < rest.size(); ++k) {
                if (rest[k] == '\\' && k + 1 < rest.size()) {
                    value += rest[++k];
                } else if (rest[k] == '"') {
                    closed = true;
                    break;
                } else {
                    value += rest[k];
                }
            }
            if (!closed) return std::nullopt;
            consumed = k + 1;
        } else {
            const auto end = rest.find(';');
            value = std::string(trim_ws(rest.substr(0, end)));
            consumed = end == std::string_view::npos ? rest.size() : end;
        }
        if (iequals(name, key)) return value;
        const auto next = rest.substr(consumed).find(';');
        if (next == std::string_view::npos) return std::nullopt;
        i = static_cast<std::size_t>(rest.data() - header.data()) + consumed + next;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
    const auto semi = content_type.find(';');
    if (!iequals(trim_ws(content_type.substr(0, semi)), "multipart/form-data")) return std::nullopt;
    auto b = parameter(content_type, "boundary");
    if (!b || b->empty() || b->size() > 70) return std::nullopt;
    return b;
}

std::optional<std::vector<FormPart>> parse_multipart(std::string_view boundary, std::string_view body, std::size_t max_parts) {
    const std::string delimiter = "--" + std::string(boundary);
    const std::string next_delimiter = "\r\n" + delimiter;
    std::vector<FormPart> parts;
    // The first delimiter may follow a preamble (ignored).
    std::size_t pos = body.starts_with(delimiter) ? 0 : body.find(next_delimiter);
    if (pos == std::string_view::npos) return std::nullopt;
    pos += body.starts_with(delimiter) && pos == 0 ? delimiter.size() : next_delimiter.size();
    while (true) {
        if (body.substr(pos, 2) == "--") return parts;  // closing delimiter (epilogue ignored)
        // Transport padding, then CRLF.
        while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
        if (body.substr(pos, 2) != "\r\n") return std::nullopt;
        pos += 2;
        const auto headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos || headers_end - pos > max_header_block) {
            // A part with no header at all starts directly with the blank line.
            if (body.substr(pos, 2) != "\r\n") return std::nullopt;
        }
        FormPart part;
        bool disposition = false;
        const std::size_t block_end = body.substr(pos, 2) == "\r\n" ? pos : headers_end;
        std::string_view block = body.substr(pos, block_end - pos);
        while (!block.empty()) {
            const auto eol = block.find("\r\n");
            const auto line = block.substr(0, eol);
            block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
            const auto colon = line.find(':');
            if (colon == std::string_view::npos) return std::nullopt;
            const auto name = trim_ws(line.substr(0, colon));
            const auto value = trim_ws(line.substr(colon + 1));
            if (iequals(name, "content-disposition")) {
                const auto semi = value.find(';');
                if (!iequals(trim_ws(value.substr(0, semi)), "form-data")) return std::nullopt;
                auto n = parameter(value, "name");
                if (!n || n->empty()) return std::nullopt;
                part.name = std::move(*n);
                if (auto f = parameter(value, "filename")) {
                    part.is_file = true;
                    part.filename = std::move(*f);
                }
                disposition = true;
            } else if (iequals(name, "content-type")) {
                part.content_type = std::string(value);
            }
        }
        if (!disposition) return std::nullopt;
        const std::size_t data_start = (block_end == pos ? pos : headers_end + 2) + 2;
        const auto data_end = body.find(next_delimiter, data_start);
        if (data_end == std::string_view::npos) return std::nullopt;
        part.data = std::string(body.substr(data_start, data_end - data_start));
        parts.push_back(std::move(part));
        if (parts.size() > max_parts) return std::nullopt;
        pos = data_end + next_delimiter.size();
    }
}

}  // namespace arrimage::http
