// libFuzzer target for the request-facing parsing code: the Beast request parser with the
// server's limits, then what the server and WebApp do with a parsed request (parse_target,
// Request::cookie, parse_urlencoded, multipart/form-data, Router matching, negotiate_lang), plus the text helpers
// on raw slices of the input. Built and run by scripts/fuzz-smoke.
//
// Any crash, sanitizer report or FUZZ_CHECK failure is a bug in the code under test.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.hpp"
#include "core/text.hpp"
#include "http/message.hpp"
#include "http/multipart.hpp"
#include "http/router.hpp"

namespace bhttp = boost::beast::http;
using namespace arrimage;

#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                     \
        }                                                                                     \
    } while (0)

namespace {

// Same limits as http::ServerLimits' defaults.
constexpr std::size_t header_limit = 16 * 1024;
constexpr std::size_t body_limit = 1024 * 1024;

// An independent UTF-8 validator (Unicode 15, table 3-7), to cross-check valid_utf8.
bool reference_utf8(std::string_view s) {
    std::size_t i = 0;
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    while (i < s.size()) {
        const unsigned char c = b(i);
        if (c <= 0x7F) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c == 0xE0)
            len = 3, lo = 0xA0;
        else if (c >= 0xE1 && c <= 0xEC)
            len = 3;
        else if (c == 0xED)
            len = 3, hi = 0x9F;
        else if (c >= 0xEE && c <= 0xEF)
            len = 3;
        else if (c == 0xF0)
            len = 4, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3)
            len = 4;
        else if (c == 0xF4)
            len = 4, hi = 0x8F;
        else
            return false;
        if (s.size() - i < len) return false;
        if (b(i + 1) < lo || b(i + 1) > hi) return false;
        for (std::size_t k = 2; k < len; ++k)
            if (b(i + k) < 0x80 || b(i + k) > 0xBF) return false;
        i += len;
    }
    return true;
}

const http::Router<int>& router() {
    static const http::Router<int> r = [] {
        http::Router<int> x;
        x.add("GET", "/", 1);
        x.add("GET", "/login", 2);
        x.add("POST", "/login", 3);
        x.add("GET", "/lang/{code}", 4);
        x.add("GET", "/admin/organisations", 5);
        x.add("GET", "/admin/users/{id}/edit", 6);
        x.add("POST", "/admin/users/{id}/edit", 7);
        x.add("GET", "/admin/organisations/{org}/users/{id}", 8);
        x.add("GET", "/invitation/{token}", 9);
        x.add("GET", "/admin/", 10);
        return x;
    }();
    return r;
}

void check_text(std::string_view s) {
    const bool ok = valid_utf8(s);
    FUZZ_CHECK(ok == reference_utf8(s));
    if (ok) {
        (void)trim(s);
        const auto problem = name_problem(s);
        for (char32_t c : code_points(s))
            if (is_bidi_control(c)) FUZZ_CHECK(problem && *problem == "field.bidi_control");
    }
    // A target accepted for a redirect is a path of this site, as sent and once decoded.
    if (is_local_redirect(s)) {
        FUZZ_CHECK(s.front() == '/');
        FUZZ_CHECK(s.find_first_of(" \t\r\n\\") == std::string_view::npos);
        const auto d = percent_decode(s, false);
        FUZZ_CHECK(d && valid_utf8(*d));
        FUZZ_CHECK(d->size() == 1 || ((*d)[1] != '/' && (*d)[1] != '\\'));
        FUZZ_CHECK(d->find_first_of(std::string_view("\0\t\r\n \\", 6)) == std::string::npos);
    }

    for (bool plus : {false, true}) {
        const auto d = percent_decode(s, plus);
        if (d) {
            FUZZ_CHECK(d->size() <= s.size());
            // Without '%' and '+' decoding is the identity.
            if (s.find_first_of(plus ? "%+" : "%") == std::string_view::npos) FUZZ_CHECK(*d == s);
        } else {
            FUZZ_CHECK(s.find('%') != std::string_view::npos);
        }
    }
    // percent_encode is a lossless, unreserved-only encoding.
    const std::string enc = percent_encode(s);
    for (unsigned char c : enc)
        FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                   c == '.' || c == '~' || c == '%');
    const auto round = percent_decode(enc, true);
    FUZZ_CHECK(round && *round == s);

    const Lang l = negotiate_lang(s);
    FUZZ_CHECK(l == Lang::fr || l == Lang::en);
    (void)parse_lang(s);
    (void)plausible_email(s);
    (void)ascii_lower(s);
}

void check_urlencoded(std::string_view s) {
    const auto parsed = http::parse_urlencoded(s);
    if (!parsed) return;
    std::size_t total = 0;
    for (const auto& [k, v] : *parsed) {
        FUZZ_CHECK(valid_utf8(k));
        FUZZ_CHECK(valid_utf8(v));
        total += k.size() + v.size();
    }
    FUZZ_CHECK(total <= s.size());
    FUZZ_CHECK(parsed->size() <= s.size());
}

// multipart/form-data bodies: the first line is the Content-Type, the rest the body.
void check_multipart(std::string_view type, std::string_view body) {
    const auto boundary = http::multipart_boundary(type);
    if (!boundary) return;
    FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70);
    const auto parts = http::parse_multipart(*boundary, body, 20);
    if (!parts) return;
    FUZZ_CHECK(parts->size() <= 20);
    std::size_t total = 0;
    for (const auto& p : *parts) {
        FUZZ_CHECK(!p.name.empty());
        total += p.data.size();
    }
    FUZZ_CHECK(total <= body.size());
}

void check_route(const std::string& method, const std::string& path) {
    std::map<std::string, std::string> params;
    const auto m = router().match(method, path, params);
    if (m.route) {
        FUZZ_CHECK(m.path_matched);
        FUZZ_CHECK(!m.allowed.empty());
        for (const auto& [k, v] : params) {
            FUZZ_CHECK(!v.empty());
            FUZZ_CHECK(v.find('/') == std::string::npos);
            FUZZ_CHECK(m.route->pattern.find("{" + k + "}") != std::string::npos);
        }
    } else {
        FUZZ_CHECK(params.empty());
    }
}

// What server.cpp and WebApp::handle do with a request that Beast accepted.
void check_request(bhttp::request<bhttp::string_body>& msg) {
    http::Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& f : msg) req.headers[ascii_lower(f.name_string())] = std::string(f.value());
    req.body = msg.body();

    // Framing: a request the server reads has no Transfer-Encoding, or a lone final chunked
    // that Beast read as chunked, never beside a Content-Length.
    std::vector<std::string_view> te;
    for (const auto& f : msg)
        if (f.name() == bhttp::field::transfer_encoding) te.emplace_back(f.value().data(), f.value().size());
    const bool has_length = msg.find(bhttp::field::content_length) != msg.end();
    if (http::acceptable_framing(te, has_length)) {
        if (!te.empty()) FUZZ_CHECK(msg.chunked() && !has_length);
    } else {
        FUZZ_CHECK(!te.empty());
    }

    const bool target_ok = http::parse_target(req.target, req.path, req.query);
    if (target_ok) {
        FUZZ_CHECK(!req.path.empty() && req.path.front() == '/');
        FUZZ_CHECK(valid_utf8(req.path));
        FUZZ_CHECK(req.path.find('\0') == std::string::npos);
        for (const auto& [k, v] : req.query) FUZZ_CHECK(valid_utf8(k) && valid_utf8(v));
        check_route(req.method, req.path);
        if (!req.query.empty()) (void)req.query_param(req.query.front().first);
    }

    const std::string cookies = req.header("cookie");
    for (const char* name : {"arrimage_session", "arrimage_csrf", "arrimage_lang", "arrimage_flash", ""}) {
        if (auto v = req.cookie(name)) FUZZ_CHECK(cookies.find(*v) != std::string::npos);
    }
    // Every name that appears in the header can be looked up.
    std::string_view rest = cookies;
    for (int n = 0; n < 16 && !rest.empty(); ++n) {
        const auto semi = rest.find(';');
        std::string_view item = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) continue;
        FUZZ_CHECK(req.cookie(item.substr(0, eq)).has_value());
    }

    const auto lang_cookie = req.cookie("arrimage_lang");
    (void)(lang_cookie ? parse_lang(*lang_cookie) : std::nullopt);
    const Lang l = negotiate_lang(req.header("accept-language"));
    FUZZ_CHECK(l == Lang::fr || l == Lang::en);

    check_urlencoded(req.body);
}

void check_http(const std::uint8_t* data, std::size_t size) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(header_limit));
    parser.body_limit(body_limit);
    parser.eager(true);

    boost::beast::error_code ec;
    boost::asio::const_buffer buf(data, size);
    while (!parser.is_done()) {
        const std::size_t n = parser.put(buf, ec);
        if (ec == bhttp::error::need_more) {
            // All input consumed: the peer closes the connection (Beast's read loop calls
            // put_eof only after some bytes arrived; it asserts got_some()).
            ec = {};
            if (parser.got_some()) parser.put_eof(ec);
            break;
        }
        if (ec) return;
        buf += n;
        if (n == 0) break;
    }
    if (ec || !parser.is_done()) return;
    auto msg = parser.release();
    check_request(msg);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    check_http(data, size);

    // Raw slices: the whole input, and the two halves around the first newline (so a seed
    // can hold e.g. a query string on one line and an Accept-Language value on the next).
    check_text(input);
    check_urlencoded(input);
    const auto nl = input.find('\n');
    if (nl != std::string_view::npos) {
        const auto a = input.substr(0, nl), b = input.substr(nl + 1);
        check_text(a);
        check_text(b);
        check_urlencoded(a);
        check_multipart(a, b);
        std::string path(a);
        if (!path.empty() && path.front() == '/') {
            std::vector<std::pair<std::string, std::string>> query;
            std::string decoded;
            if (http::parse_target(path, decoded, query)) check_route(std::string(b.substr(0, 8)), decoded);
        }
    }
    return 0;
}
