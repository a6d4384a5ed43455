#pragma once
// A fixture serving the real WebApp over the demo data on a free port of 127.0.0.1, on the
// backend under test (SQLite: label db, PostgreSQL: label pg; skipped when PostgreSQL is wanted
// but not configured), with a manual clock starting now and the cheapest password hashing.
// Fixtures derive from it, add data in seed() and adjust the configuration in configure().
// The app reaches the database through faulty_ (test_support.hpp), so a test can make a
// statement or a commit fail.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "app/demo_data.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "db/test_support.hpp"
#include "http/http_client.hpp"
#include "http/server.hpp"
#include "web/app.hpp"

namespace arrimage::testsupport {

// `text` as the templates write it into a page (what {{ }} escapes), computed here on its own so
// that a test compares the page with an independent expectation.
inline std::string html_escaped(const std::string& text) {
    std::string out;
    for (char ch : text) {
        switch (ch) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += ch;
        }
    }
    return out;
}

class DemoServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = open_test_db(why, 6);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), demo_referrals()));
        seed();
        web::Config cfg;
        cfg.password_cost = PasswordHashCost::minimum();
        cfg.public_base_url = "http://127.0.0.1";
        configure(cfg);
        faulty_ = std::make_unique<FaultyDatabase>(*t_->db);
        app_ = std::make_unique<web::WebApp>(cfg, *faulty_, clock_, random_);
        server_ = std::make_unique<http::Server>(
            "127.0.0.1", 0, cfg.limits, [this](http::Request& r) { return app_->serve(r); },
            [this](int status, const http::Request& r) { return app_->transport_error(status, r); }, 2);
        server_->listen();
        port_ = server_->port();
        thread_ = std::thread([this] { server_->run(false); });
    }
    void TearDown() override {
        if (server_) {
            server_->stop();
            thread_.join();
        }
    }
    // Called after the demo data is loaded, before the app is built.
    virtual void seed() {}
    // Whether the demo data includes its referrals and intakes (false: tests counting from none).
    virtual bool demo_referrals() const { return true; }
    // Called before the app is built, with the fixture's defaults already set.
    virtual void configure(web::Config&) {}

    // A client signed in as a demo user (their own language preference applies).
    Client sign_in(const std::string& email) {
        Client c(port_);
        auto r = c.submit("/login", "/login", "email=" + enc(email) + "&password=" + enc(app::demo_password));
        EXPECT_EQ(r.status, 303) << email;
        return c;
    }
    // A catalogue sentence as a page shows it (escaped as the templates escape text).
    std::string shown(Lang l, const std::string& key, const std::vector<std::string>& args = {}) {
        return html_escaped(app_->catalogue().t(l, key, args));
    }
    // The first column of the first row, 0 when there is none.
    std::int64_t scalar(const std::string& sql, const store::Params& params = {}) {
        auto tx = t_->db->begin(store::TxMode::read);
        auto row = tx->query_one(sql, params);
        return row ? row->i64(0) : 0;
    }
    // The first column of the first row as text, empty when there is none.
    std::string scalar_text(const std::string& sql, const store::Params& params = {}) {
        auto tx = t_->db->begin(store::TxMode::read);
        auto row = tx->query_one(sql, params);
        return row ? row->str(0) : std::string();
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    SodiumRandom random_;
    std::unique_ptr<TestDb> t_;
    // The database the app runs on: t_'s, through a fault injector that is off until a test arms it.
    std::unique_ptr<FaultyDatabase> faulty_;
    std::unique_ptr<web::WebApp> app_;
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
    unsigned short port_ = 0;
};

}  // namespace arrimage::testsupport
