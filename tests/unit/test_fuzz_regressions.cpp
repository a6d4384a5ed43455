// Regression tests for the inputs tests/fuzz/fuzz_http.cpp exercises (see scripts/fuzz-smoke),
// so the invariants the fuzzer checks also hold in the ordinary unit run. When the fuzzer
// finds a crash, its input goes into tests/fuzz/corpus/ and a test here.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/i18n.hpp"
#include "core/text.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

using namespace arrimage;

namespace {

http::Router<int> sample_router() {
    http::Router<int> r;
    r.add("GET", "/", 1);
    r.add("GET", "/lang/{code}", 4);
    r.add("GET", "/admin/users/{id}/edit", 6);
    r.add("POST", "/admin/users/{id}/edit", 7);
    r.add("GET", "/admin/", 10);
    return r;
}

}  // namespace

TEST(FuzzRegressions, PercentDecodeTruncatedEscapesAtTheEnd) {
    EXPECT_FALSE(percent_decode("a%", false));
    EXPECT_FALSE(percent_decode("a%4", false));
    EXPECT_EQ(percent_decode("a%41", false).value(), "aA");
    EXPECT_EQ(percent_decode("%41", false).value(), "A");
    EXPECT_FALSE(percent_decode("%%41", false));
}

TEST(FuzzRegressions, PercentEncodeRoundTripsEveryByte) {
    std::string all;
    for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
    EXPECT_EQ(percent_decode(percent_encode(all), true).value(), all);
}

TEST(FuzzRegressions, ParseTargetRejectsBadInput) {
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
    EXPECT_FALSE(http::parse_target("", path, query));
    EXPECT_FALSE(http::parse_target("*", path, query));
    EXPECT_FALSE(http::parse_target("/a%00b", path, query));       // NUL in the path
    EXPECT_FALSE(http::parse_target("/%C3%28", path, query));      // invalid UTF-8
    EXPECT_FALSE(http::parse_target("/%ED%A0%80", path, query));   // surrogate
    EXPECT_FALSE(http::parse_target("/a?x=%C0%AF", path, query));  // overlong in the query
    EXPECT_FALSE(http::parse_target("/a?x=%", path, query));       // truncated escape
    ASSERT_TRUE(http::parse_target("/caf%C3%A9?a=1&&b&c=%2F+x", path, query));
    EXPECT_EQ(path, "/café");
    ASSERT_EQ(query.size(), 3u);
    EXPECT_EQ(query[1].first, "b");
    EXPECT_EQ(query[1].second, "");
    EXPECT_EQ(query[2].second, "/ x");
}

TEST(FuzzRegressions, UrlencodedResultsAreValidUtf8) {
    for (const char* s : {"a=%FF", "%FE=1", "k=%E2%82", "k=%F0%9F%98%80", "a=1&b=%C3%A9&c"}) {
        const auto parsed = http::parse_urlencoded(s);
        if (!parsed) continue;
        for (const auto& [k, v] : *parsed) {
            EXPECT_TRUE(valid_utf8(k)) << s;
            EXPECT_TRUE(valid_utf8(v)) << s;
        }
    }
    EXPECT_FALSE(http::parse_urlencoded("a=%FF"));
    EXPECT_TRUE(http::parse_urlencoded("k=%F0%9F%98%80"));
}

TEST(FuzzRegressions, CookieLookupOnOddHeaders) {
    http::Request req;
    req.headers["cookie"] = "novalue; =empty;  arrimage_lang=fr;arrimage_lang=en; x=a=b; ;;";
    EXPECT_EQ(req.cookie("arrimage_lang").value(), "fr");  // the first one wins
    EXPECT_EQ(req.cookie("").value(), "empty");
    EXPECT_EQ(req.cookie("x").value(), "a=b");
    EXPECT_FALSE(req.cookie("novalue"));
    EXPECT_FALSE(req.cookie("arrimage_session"));
    http::Request none;
    EXPECT_FALSE(none.cookie("arrimage_lang"));
}

TEST(FuzzRegressions, RouterSegments) {
    const auto r = sample_router();
    std::map<std::string, std::string> params;
    auto m = r.match("GET", "/admin/users/42/edit", params);
    ASSERT_TRUE(m.route);
    EXPECT_EQ(params.at("id"), "42");

    params.clear();
    m = r.match("HEAD", "/lang/fr", params);  // HEAD is served by GET routes
    ASSERT_TRUE(m.route);
    EXPECT_EQ(params.at("code"), "fr");

    params.clear();
    m = r.match("DELETE", "/admin/users/42/edit", params);
    EXPECT_FALSE(m.route);
    EXPECT_TRUE(m.path_matched);
    EXPECT_EQ(m.allowed.size(), 2u);
    EXPECT_TRUE(params.empty());

    for (const char* p : {"/lang/", "/lang//", "/admin/users//edit", "/admin", "/admin/users/1/edit/"}) {
        params.clear();
        m = r.match("GET", p, params);
        EXPECT_FALSE(m.route) << p;
    }
    params.clear();
    EXPECT_TRUE(r.match("GET", "/", params).route);
    EXPECT_TRUE(r.match("GET", "/admin/", params).route);
    // Repeated slashes inside a path collapse; a captured segment never holds a '/'.
    params.clear();
    m = r.match("GET", "//lang///en", params);
    ASSERT_TRUE(m.route);
    EXPECT_EQ(params.at("code"), "en");
}

TEST(FuzzRegressions, NegotiateLangOnOddHeaders) {
    EXPECT_EQ(negotiate_lang(""), Lang::en);
    EXPECT_EQ(negotiate_lang(",,,;;;"), Lang::en);
    EXPECT_EQ(negotiate_lang("fr;q="), Lang::en);  // q parses as 0: not acceptable
    EXPECT_EQ(negotiate_lang("fr;q=nan, en;q=0.1"), Lang::en);
    EXPECT_EQ(negotiate_lang("en;q=0.5, fr;q=1e999"), Lang::fr);
    EXPECT_EQ(negotiate_lang("\xff\xfe;q=1, FR-ca"), Lang::fr);
    EXPECT_EQ(negotiate_lang(std::string(20000, ',')), Lang::en);
}
