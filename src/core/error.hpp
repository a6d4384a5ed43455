#pragma once
// The one error vocabulary of Arrimage. Every failure a user can cause or see is one of these
// codes, mapped once to an HTTP status (http/), an HTML error page (web/) and, later, a FHIR
// OperationOutcome (interop/).
#include <string>
#include <string_view>
#include <vector>

namespace arrimage {

enum class Errc {
    NotFound,
    Forbidden,
    Invalid,
    Conflict,
    Unavailable,
    Internal,
    Unauthenticated,  // no valid session: the web layer redirects to the login page
    RateLimited,      // login throttling
};

std::string_view to_string(Errc code);
int http_status(Errc code);

// A message about one form or JSON field. `message_key` names an entry of the message
// catalogue so the user reads it in their own language; `args` fill its {0}, {1}... slots.
struct FieldError {
    std::string field;
    std::string message_key;
    std::vector<std::string> args;
};

struct Error {
    Errc code = Errc::Internal;
    std::string message_key;  // catalogue key of the summary shown to the user
    std::vector<FieldError> fields;
    std::vector<std::string> args;

    static Error not_found() { return {Errc::NotFound, "error.not_found", {}, {}}; }
    static Error forbidden() { return {Errc::Forbidden, "error.forbidden", {}, {}}; }
    static Error invalid(std::vector<FieldError> fields) { return {Errc::Invalid, "error.invalid", std::move(fields), {}}; }
    static Error invalid_field(std::string field, std::string key, std::vector<std::string> args = {}) {
        return invalid({FieldError{std::move(field), std::move(key), std::move(args)}});
    }
    static Error conflict(std::string key) { return {Errc::Conflict, std::move(key), {}, {}}; }
    static Error unavailable() { return {Errc::Unavailable, "error.unavailable", {}, {}}; }
    static Error internal() { return {Errc::Internal, "error.internal", {}, {}}; }
};

}  // namespace arrimage
