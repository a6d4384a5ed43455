#pragma once
// Request and response as the rest of Arrimage sees them: plain values, no Beast types.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arrimage::http {

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // as received: path and query
    std::string path;    // percent-decoded path
    std::vector<std::pair<std::string, std::string>> query;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string remote_addr;
    std::string request_id;
    std::map<std::string, std::string> params;  // route parameters

    std::string header(std::string_view name) const;
    std::optional<std::string> cookie(std::string_view name) const;
    std::string query_param(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // Set when the response may leave only once something else is done (the audit rows of a
    // read made durable: web/app.cpp). The server calls it with `resume` and sends nothing until
    // `resume` is called, from any thread: with nullopt to send this response, or with the
    // response to send instead. A caller that does not send responses itself need not look.
    using Resume = std::function<void(std::optional<Response> instead)>;
    std::function<void(Resume)> defer;

    void set_header(std::string name, std::string value);
    static Response redirect(const std::string& location, int status = 303);
    static Response text(int status, std::string body);
};

struct CookieOptions {
    bool secure = false;
    bool http_only = true;
    std::string same_site = "Lax";
    std::optional<std::int64_t> max_age;  // seconds; none = session cookie
};
// The value of cookie `name` in a Cookie header's value, if it is there.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);
std::string set_cookie(std::string_view name, std::string_view value, const CookieOptions& o);
std::string clear_cookie(std::string_view name, bool secure);

// Splits "a=1&b=2" into decoded pairs; nullopt on a malformed escape or invalid UTF-8.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_urlencoded(std::string_view s);
// How a request's body is delimited (RFC 9112 §6.3), from its Transfer-Encoding field values
// (every occurrence, in order) and whether it has a Content-Length: true when it may be read.
// The only transfer coding accepted is a lone, final `chunked` (no gzip, identity or a list)
// and never beside a Content-Length: any other framing could be read differently by a proxy
// in front, so the server answers 400 and closes the connection.
bool acceptable_framing(const std::vector<std::string_view>& transfer_encodings, bool has_content_length);

// Splits a request target into decoded path and query; nullopt when malformed.
bool parse_target(std::string_view target, std::string& path, std::vector<std::pair<std::string, std::string>>& query);

}  // namespace arrimage::http
