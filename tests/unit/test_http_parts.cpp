#include <gtest/gtest.h>

#include "http/forwarded.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/multipart.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "store/pg/pg_database.hpp"

using namespace arrimage;
using namespace arrimage::http;

TEST(Http, UrlEncodedForms) {
    auto f = parse_urlencoded("a=1&b=x+y&c=%C3%A9&&d&e=");
    ASSERT_TRUE(f);
    ASSERT_EQ(f->size(), 5u);
    EXPECT_EQ((*f)[1], (std::pair<std::string, std::string>{"b", "x y"}));
    EXPECT_EQ((*f)[2].second, "é");
    EXPECT_EQ((*f)[3], (std::pair<std::string, std::string>{"d", ""}));
    EXPECT_FALSE(parse_urlencoded("a=%FF"));  // not UTF-8
    EXPECT_FALSE(parse_urlencoded("a=%G1"));  // bad escape
    EXPECT_FALSE(parse_urlencoded("%"));
}

TEST(Http, Targets) {
    std::string path;
    std::vector<std::pair<std::string, std::string>> q;
    ASSERT_TRUE(parse_target("/admin/users?q=ada&inactive=1", path, q));
    EXPECT_EQ(path, "/admin/users");
    ASSERT_EQ(q.size(), 2u);
    EXPECT_EQ(q[0].second, "ada");
    EXPECT_TRUE(parse_target("/caf%C3%A9", path, q));
    EXPECT_EQ(path, "/café");
    EXPECT_FALSE(parse_target("http://evil/", path, q));
    EXPECT_FALSE(parse_target("/a%00b", path, q));
    EXPECT_FALSE(parse_target("/a%FFb", path, q));
    EXPECT_FALSE(parse_target("", path, q));
}

TEST(Http, Cookies) {
    Request r;
    r.headers["cookie"] = "a=1; arrimage_session=tok; b=";
    EXPECT_EQ(r.cookie("arrimage_session").value(), "tok");
    EXPECT_EQ(r.cookie("b").value(), "");
    EXPECT_FALSE(r.cookie("arrimage"));
    const auto c = set_cookie("n", "v", {.secure = true, .max_age = 60});
    EXPECT_NE(c.find("HttpOnly"), std::string::npos);
    EXPECT_NE(c.find("Secure"), std::string::npos);
    EXPECT_NE(c.find("SameSite=Lax"), std::string::npos);
    EXPECT_NE(c.find("Max-Age=60"), std::string::npos);
}

TEST(Http, Router) {
    Router<int> r;
    r.add("GET", "/admin/users", 1);
    r.add("GET", "/admin/users/{id}", 2);
    r.add("POST", "/admin/users/{id}/edit", 3);
    r.add("GET", "/admin/users/{id}/edit", 4);
    std::map<std::string, std::string> p;
    auto m = r.match("GET", "/admin/users/42", p);
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.route->handler, 2);
    EXPECT_EQ(p["id"], "42");
    m = r.match("DELETE", "/admin/users/42/edit", p);
    EXPECT_FALSE(m.route);
    EXPECT_TRUE(m.path_matched);
    EXPECT_EQ(m.allowed.size(), 2u);
    m = r.match("GET", "/admin/users/42/", p);
    EXPECT_FALSE(m.route);
    EXPECT_FALSE(m.path_matched);
    m = r.match("HEAD", "/admin/users", p);
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.route->handler, 1);
}

// The server's upload paths are route patterns (ServerLimits::upload_paths): an agreement's
// documents are posted to /agreements/{id}/documents, and nothing else gets their larger limit.
TEST(Http, PathMatchesAPatternAsTheRoutesDo) {
    const std::string documents = "/agreements/{id}/documents";
    EXPECT_TRUE(path_matches(documents, "/agreements/12/documents"));
    EXPECT_TRUE(path_matches(documents, "/agreements/new/documents")) << "a capture is any one segment";
    EXPECT_FALSE(path_matches(documents, "/agreements/12/documents/3"));
    EXPECT_FALSE(path_matches(documents, "/agreements/12/documents/"));
    EXPECT_FALSE(path_matches(documents, "/agreements//documents"));
    EXPECT_FALSE(path_matches(documents, "/agreements/documents"));
    EXPECT_FALSE(path_matches(documents, "/agreements/12"));
    EXPECT_FALSE(path_matches(documents, "/agreements/12/evaluations"));
    EXPECT_FALSE(path_matches(documents, "/other/12/documents"));
    EXPECT_FALSE(path_matches(documents, "/"));
    EXPECT_FALSE(path_matches(documents, ""));

    const std::string literal = "/directory/hsds/import";
    EXPECT_TRUE(path_matches(literal, "/directory/hsds/import"));
    EXPECT_FALSE(path_matches(literal, "/directory/hsds/import/"));
    EXPECT_FALSE(path_matches(literal, "/directory/hsds/import/x"));
    EXPECT_FALSE(path_matches(literal, "/directory/hsds"));
    EXPECT_FALSE(path_matches(literal, "/directory/hsds/Import"));
    EXPECT_FALSE(path_matches(literal, "/directory/{x}/import")) << "a path is not read as a pattern";
    EXPECT_FALSE(path_matches(literal, "/directory/hsds/imports"));
}

TEST(Http, MetricsRenderPrometheusText) {
    Metrics m;
    m.observe("login", 200, 0.004, 0.001);
    m.observe("login", 401, 0.3, 0.002);
    const auto text = m.render();
    EXPECT_NE(text.find("arrimage_http_requests_total{route=\"login\",status=\"401\"} 1"), std::string::npos);
    EXPECT_NE(text.find("arrimage_http_request_duration_seconds_bucket{le=\"0.005\"} 1"), std::string::npos);
    EXPECT_NE(text.find("arrimage_http_request_duration_seconds_count 2"), std::string::npos);
    EXPECT_NE(text.find("# TYPE arrimage_db_time_seconds histogram"), std::string::npos);
}

TEST(Store, PgPlaceholders) {
    EXPECT_EQ(store::pg_placeholders("SELECT ? , '?' , \"?\" , ?"), "SELECT $1 , '?' , \"?\" , $2");
}

TEST(Http, MultipartBoundaries) {
    EXPECT_EQ(http::multipart_boundary("multipart/form-data; boundary=abc"), "abc");
    EXPECT_EQ(http::multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\""), "a b:c");
    EXPECT_FALSE(http::multipart_boundary("application/x-www-form-urlencoded"));
    EXPECT_FALSE(http::multipart_boundary("multipart/form-data"));
    EXPECT_FALSE(http::multipart_boundary("multipart/form-data; boundary="));
    EXPECT_FALSE(http::multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')));
    EXPECT_FALSE(http::multipart_boundary("multipart/form-data; boundary=\"unterminated"));
}

TEST(Http, MultipartParts) {
    const std::string body =
        "preamble\r\n--B\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken\r\n"
        "--B\r\ncontent-disposition: form-data; name=\"files\"; filename=\"services.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        "id,name\r\n1,\"a\r\nb\"\r\n--not-the-boundary\r\n"
        "\r\n--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\n\r\n\r\n--B--\r\nepilogue";
    auto parts = http::parse_multipart("B", body);
    ASSERT_TRUE(parts);
    ASSERT_EQ(parts->size(), 3u);
    EXPECT_EQ((*parts)[0].name, "_csrf");
    EXPECT_FALSE((*parts)[0].is_file);
    EXPECT_EQ((*parts)[0].data, "token");
    EXPECT_EQ((*parts)[1].name, "files");
    EXPECT_TRUE((*parts)[1].is_file);
    EXPECT_EQ((*parts)[1].filename, "services.csv");
    EXPECT_EQ((*parts)[1].content_type, "text/csv");
    EXPECT_EQ((*parts)[1].data, "id,name\r\n1,\"a\r\nb\"\r\n--not-the-boundary\r\n");
    EXPECT_TRUE((*parts)[2].is_file);  // a file field left empty
    EXPECT_EQ((*parts)[2].filename, "");
    EXPECT_EQ((*parts)[2].data, "");
    // A body that starts with the delimiter (no preamble) and an escaped quote in a name.
    parts = http::parse_multipart("B", "--B\r\nContent-Disposition: form-data; name=\"a\\\"b\"\r\n\r\nx\r\n--B--");
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->front().name, "a\"b");
}

TEST(Http, MalformedMultipartIsRefused) {
    for (const std::string& body : {
             std::string(""),
             std::string("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing delimiter"),
             std::string("--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--"),
             std::string("--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--"),
             std::string("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--"),
             std::string("--B\r\nno colon here\r\n\r\nx\r\n--B--"),
             std::string("--Bjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--"),
         }) {
        SCOPED_TRACE(body);
        EXPECT_FALSE(http::parse_multipart("B", body));
    }
    std::string many;
    for (int i = 0; i < 5; ++i) many += "--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
    EXPECT_TRUE(http::parse_multipart("B", many + "--B--", 5));
    EXPECT_FALSE(http::parse_multipart("B", many + "--B--", 4));
}

// The client's address behind trusted proxies: read X-Forwarded-For from the right, skipping
// trusted hops; believe nothing from an untrusted peer.
TEST(Forwarded, ClientAddressBehindTrustedProxies) {
    const std::vector<std::string> trusted = {"10.0.0.5", "10.0.0.6", "::1"};
    struct Case {
        const char* peer;
        const char* header;
        const char* expected;
    };
    const Case cases[] = {
        {"203.0.113.9", "198.51.100.1", "203.0.113.9"},               // untrusted peer: header ignored
        {"10.0.0.5", "", "10.0.0.5"},                                 // trusted, no header
        {"10.0.0.5", "198.51.100.1", "198.51.100.1"},                 // one proxy
        {"10.0.0.5", "198.51.100.66, 198.51.100.1", "198.51.100.1"},  // a forged left entry is not believed
        {"10.0.0.5", "198.51.100.1, 10.0.0.6", "198.51.100.1"},       // two trusted hops
        {"10.0.0.5", " 198.51.100.1 ,10.0.0.6 ", "198.51.100.1"},     // spaces
        {"10.0.0.5", "198.51.100.1, garbage", "10.0.0.5"},            // garbage next to the proxy
        {"10.0.0.5", "garbage, 10.0.0.6", "10.0.0.6"},                // last address a trusted hop vouched for
        {"10.0.0.5", "2001:DB8::1", "2001:db8::1"},                   // IPv6, canonical
        {"::1", "198.51.100.1", "198.51.100.1"},                      // trusted IPv6 peer
        {"10.0.0.5", "10.0.0.6, 10.0.0.5", "10.0.0.6"},               // only proxies: the leftmost
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.peer) + " / " + c.header);
        EXPECT_EQ(http::client_address(c.peer, c.header, trusted), c.expected);
    }
    EXPECT_EQ(http::client_address("198.51.100.1", "203.0.113.9", {}), "198.51.100.1");
    EXPECT_EQ(http::parse_ip_address("10.0.0.1"), std::optional<std::string>("10.0.0.1"));
    EXPECT_EQ(http::parse_ip_address("not an address"), std::nullopt);
    EXPECT_EQ(http::parse_ip_address("10.0.0.1:80"), std::nullopt);
    EXPECT_EQ(http::parse_ip_address(""), std::nullopt);
}

// Request framing (security review, finding 4; RFC 9112 §6.3).
TEST(Http, OnlyALoneChunkedTransferEncodingIsRead) {
    EXPECT_TRUE(acceptable_framing({}, false));
    EXPECT_TRUE(acceptable_framing({}, true));
    EXPECT_TRUE(acceptable_framing({"chunked"}, false));
    EXPECT_TRUE(acceptable_framing({" Chunked "}, false));
    for (std::string_view bad : {"gzip", "identity", "xchunked", "chunked, identity", "gzip, chunked", "chunked;q=1", ""})
        EXPECT_FALSE(acceptable_framing({bad}, false)) << bad;
    EXPECT_FALSE(acceptable_framing({"chunked", "chunked"}, false));
    EXPECT_FALSE(acceptable_framing({"chunked"}, true));
}

// A failed accept waits before the next (finding 10): 10 ms doubling to 1 s, reset by a success.
TEST(Http, AcceptBackoff) {
    using std::chrono::milliseconds;
    EXPECT_EQ(next_accept_backoff(milliseconds(0)), milliseconds(10));
    EXPECT_EQ(next_accept_backoff(milliseconds(10)), milliseconds(20));
    EXPECT_EQ(next_accept_backoff(milliseconds(640)), milliseconds(1000));
    EXPECT_EQ(next_accept_backoff(milliseconds(1000)), milliseconds(1000));
}
