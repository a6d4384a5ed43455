#include <gtest/gtest.h>

#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
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
    EXPECT_FALSE(parse_urlencoded("a=%FF"));    // not UTF-8
    EXPECT_FALSE(parse_urlencoded("a=%G1"));    // bad escape
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
