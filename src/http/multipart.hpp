#pragma once
// multipart/form-data request bodies (RFC 7578): file uploads. Pure; bounded by the body size
// the server accepted and by `max_parts`.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arrimage::http {

struct FormPart {
    std::string name;          // the form field
    std::string filename;      // set for a file (may be empty when no file was chosen)
    bool is_file = false;      // a filename parameter was present
    std::string content_type;  // of the part, "" when absent
    std::string data;
};

// The boundary parameter of a multipart/form-data Content-Type, or nullopt when the type is
// something else or the boundary is missing or invalid (1-70 characters).
std::optional<std::string> multipart_boundary(std::string_view content_type);

// The parts of a body, or nullopt when it is malformed (no closing delimiter, a part without
// a form-data Content-Disposition and name, headers too long, more than `max_parts` parts).
std::optional<std::vector<FormPart>> parse_multipart(std::string_view boundary, std::string_view body,
                                                     std::size_t max_parts = 100);

}  // namespace arrimage::http
