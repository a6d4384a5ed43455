#include "http/message.hpp"

#include "core/text.hpp"

namespace arrimage::http {

std::string Request::header(std::string_view name) const {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
    return cookie_value(header("cookie"), name);
}

std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name) {
    std::string_view rest = cookie_header;
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        std::string_view item = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) continue;
        if (item.substr(0, eq) == name) return std::string(item.substr(eq + 1));
    }
    return std::nullopt;
}

std::string Request::query_param(std::string_view name) const {
    for (const auto& [k, v] : query)
        if (k == name) return v;
    return {};
}

void Response::set_header(std::string name, std::string value) {
    for (auto& [k, v] : headers) {
        if (k == name) {
            v = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

Response Response::redirect(const std::string& location, int status) {
    Response r;
    r.status = status;
    r.set_header("Location", location);
    r.content_type = "text/plain; charset=utf-8";
    return r;
}

Response Response::text(int status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
}

std::string set_cookie(std::string_view name, std::string_view value, const CookieOptions& o) {
    std::string c = std::string(name) + "=" + std::string(value) + "; Path=/; SameSite=" + o.same_site;
    if (o.http_only) c += "; HttpOnly";
    if (o.secure) c += "; Secure";
    if (o.max_age) c += "; Max-Age=" + std::to_string(*o.max_age);
    return c;
}

std::string clear_cookie(std::string_view name, bool secure) {
    CookieOptions o;
    o.secure = secure;
    o.max_age = 0;
    return set_cookie(name, "", o);
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_urlencoded(std::string_view s) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!s.empty()) {
        const auto amp = s.find('&');
        std::string_view item = s.substr(0, amp);
        s = amp == std::string_view::npos ? std::string_view{} : s.substr(amp + 1);
        if (item.empty()) continue;
        const auto eq = item.find('=');
        auto key = percent_decode(item.substr(0, eq), true);
        auto value = eq == std::string_view::npos ? std::optional<std::string>("") : percent_decode(item.substr(eq + 1), true);
        if (!key || !value || !valid_utf8(*key) || !valid_utf8(*value)) return std::nullopt;
        out.emplace_back(std::move(*key), std::move(*value));
    }
    return out;
}

bool parse_target(std::string_view target, std::string& path, std::vector<std::pair<std::string, std::string>>& query) {
    if (target.empty() || target.front() != '/') return false;
    const auto q = target.find('?');
    auto decoded = percent_decode(target.substr(0, q), false);
    if (!decoded || !valid_utf8(*decoded) || decoded->find('\0') != std::string::npos) return false;
    path = std::move(*decoded);
    query.clear();
    if (q != std::string_view::npos) {
        auto parsed = parse_urlencoded(target.substr(q + 1));
        if (!parsed) return false;
        query = std::move(*parsed);
    }
    return true;
}

bool acceptable_framing(const std::vector<std::string_view>& transfer_encodings, bool has_content_length) {
    if (transfer_encodings.empty()) return true;
    if (transfer_encodings.size() != 1 || has_content_length) return false;
    std::string_view v = transfer_encodings.front();
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return ascii_lower(v) == "chunked";
}

}  // namespace arrimage::http
