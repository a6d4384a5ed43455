// Regression tests of the security review (docs/SECURITY.md), through the real HTTP server on
// the backend under test: user administration across roles and areas, file teams across
// areas, redirect targets, request framing, names that hide or reorder characters, and
// turning the second factor off.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;
namespace d = domain;

namespace {

// The administrators of the table's rows and the users they try to manage (its columns).
enum Admin : std::size_t { a_sysadmin, a_admin_a, a_admin_b, a_coordinator, admin_count };
enum Target : std::size_t { t_sysadmin, t_staff_a, t_admin_a2, t_spanning, t_staff_b, target_count };

const std::array<const char*, admin_count> admin_emails = {"sysadmin@demo.arrimage.invalid", "ca.admin@demo.arrimage.invalid",
                                                           "admin.ouest@demo.arrimage.invalid", "coord1@demo.arrimage.invalid"};
const std::array<const char*, target_count> target_emails = {"sysadmin@demo.arrimage.invalid",
                                                             "staff.board1@demo.arrimage.invalid", "admin2@demo.arrimage.invalid",
                                                             "span@demo.arrimage.invalid", "staff.ouest@demo.arrimage.invalid"};

// May the administrator (row) view and change the user (column)? Only when every membership
// of that user is one the administrator could have granted.
// clang-format off
constexpr bool may_manage[admin_count][target_count] = {
    //             sysadmin staff A  admin A2 A and B  staff B
    /* sysadmin */ {true,   true,    true,    true,    true},
    /* admin A  */ {false,  true,    true,    false,   false},
    /* admin B  */ {false,  false,   false,   false,   true},
    /* coord    */ {false,  false,   false,   false,   false},
};
// clang-format on

}  // namespace

class Security : public testsupport::DemoServerTest {
  protected:
    void configure(web::Config& cfg) override {
        cfg.dev_mode = true;
        cfg.trusted_proxies = {"127.0.0.1"};  // so that tests can sign in from several addresses
    }
    void seed() override {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        store::AuthRepo auth(*tx, clock_);
        auto check = [](const auto& r) {
            if (!r) throw std::runtime_error("seed rejected: " + r.error().message_key);
            return *r;
        };
        sda_b_ = check(repo.create_sda({"demo-ouest", "Zone de démonstration Ouest", "Demo West Region"}, 0));
        d::Organisation o;
        o.sda_id = sda_b_;
        o.name_fr = "Agence de coordination Ouest-Démo";
        o.name_en = "Demo West Coordinating Agency";
        o.csp_roles = {d::CspRole::coordinating_agency};
        org_b_ = check(repo.create_organisation(o, 0));
        const auto org_a = tx->query_one(
                                 "SELECT organisation_id FROM memberships m JOIN users u ON u.id = m.user_id "
                                 "WHERE u.email = ?",
                                 {std::string("ca.admin@demo.arrimage.invalid")})
                               ->i64(0);
        const std::string hash = hash_password(app::demo_password, PasswordHashCost::minimum());
        auto user = [&](const char* email, const char* name, std::vector<d::Membership> ms) {
            const auto id = check(repo.create_user({email, name, Lang::en}, 0));
            for (const auto& m : ms) check(repo.add_membership(id, m, 0));
            auth.set_password_hash(id, hash);
            return id;
        };
        user("admin.ouest@demo.arrimage.invalid", "Ada Admin-Ouest", {{org_b_, d::Role::ca_admin}});
        user("admin2@demo.arrimage.invalid", "Bea Admin-Deux", {{org_a, d::Role::ca_admin}});
        user("span@demo.arrimage.invalid", "Cy Deux-Zones", {{org_a, d::Role::coordinator}, {org_b_, d::Role::coordinator}});
        staff_b_ = user("staff.ouest@demo.arrimage.invalid", "Dom Ouest-Exemple", {{org_b_, d::Role::coordinator}});
        tx->commit();
    }

    Client signed_in(const std::string& email) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", "en");
        return c;
    }
    std::int64_t user_id(const std::string& email) { return scalar("SELECT id FROM users WHERE email = ?", {email}); }
    std::string email_of(std::int64_t id) {
        auto tx = t_->db->begin(store::TxMode::read);
        return tx->query_one("SELECT email FROM users WHERE id = ?", {id})->str(0);
    }

    std::int64_t sda_b_ = 0, org_b_ = 0, staff_b_ = 0;
};

// Finding 1: every user-administration route, for every pair of (administrator role and
// area) × (target's memberships). A refusal looks like a user that does not exist, and
// changes nothing.
TEST_F(Security, UserAdministrationOnlyOfUsersWhoseEveryMembershipTheAdministratorCouldGrant) {
    for (std::size_t a = 0; a < admin_count; ++a) {
        auto c = signed_in(admin_emails[a]);
        const std::string csrf = Client::csrf(c.get("/").body);
        for (std::size_t t = 0; t < target_count; ++t) {
            const auto id = user_id(target_emails[t]);
            ASSERT_GT(id, 0) << target_emails[t];
            const std::string base = "/admin/users/" + std::to_string(id);
            const std::string where = std::string(admin_emails[a]) + " on " + target_emails[t];
            const bool ok = may_manage[a][t];
            const auto outbox_before = scalar("SELECT COUNT(*) FROM outbox");
            EXPECT_EQ(c.get(base).status, ok ? 200 : 404) << where;
            EXPECT_EQ(c.get(base + "/edit").status, ok ? 200 : 404) << where;
            // The takeover: the email changed to the attacker's, then a sign-in link sent there.
            const auto edit = c.post(base + "/edit", "_csrf=" + csrf + "&email=" + enc("attacker@example.invalid") +
                                                         "&display_name=Taken&preferred_lang=en");
            EXPECT_EQ(edit.status, ok ? 303 : 404) << where;
            EXPECT_EQ(email_of(id) == "attacker@example.invalid", ok) << where;
            EXPECT_EQ(c.post(base + "/invite", "_csrf=" + csrf).status, ok ? 303 : 404) << where;
            if (!ok) {
                EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox"), outbox_before) << where << ": a message was sent";
            }
            const bool self = std::string(admin_emails[a]) == target_emails[t];
            if (!self) {
                EXPECT_EQ(c.post(base + "/deactivate", "_csrf=" + csrf).status, ok ? 303 : 404) << where;
                EXPECT_EQ(scalar("SELECT active FROM users WHERE id = ?", {id}), ok ? 0 : 1) << where;
                EXPECT_EQ(c.post(base + "/reactivate", "_csrf=" + csrf).status, ok ? 303 : 404) << where;
            }
            if (!self) {
                const auto membership = scalar("SELECT MIN(id) FROM memberships WHERE user_id = ?", {id});
                const std::string m_base = "/admin/memberships/" + std::to_string(membership);
                const auto m_status = c.post(m_base + "/deactivate", "_csrf=" + csrf).status;
                if (!ok) {
                    EXPECT_EQ(m_status, 404) << where;
                }
                if (m_status == 303) c.post(m_base + "/reactivate", "_csrf=" + csrf);
            }
            // The list shows exactly the users the administrator may manage.
            if (a != a_coordinator) {
                const auto list = c.get("/admin/users?inactive=1");
                EXPECT_EQ(list.has(base + "\""), ok) << where;
            }
            // Put back what a permitted edit changed, for the next administrator.
            if (ok) {
                auto tx = t_->db->begin(store::TxMode::write);
                tx->exec("UPDATE users SET email = ?, active = 1 WHERE id = ?", {std::string(target_emails[t]), id});
                tx->commit();
            }
        }
    }
}

// Finding 1: a changed email address and a sent sign-in link are on record, and the old
// address is told.
TEST_F(Security, AnEmailChangeIsAuditedAndTheOldAddressIsTold) {
    auto c = signed_in("ca.admin@demo.arrimage.invalid");
    const auto id = user_id("staff.board1@demo.arrimage.invalid");
    const std::string base = "/admin/users/" + std::to_string(id);
    auto r = c.submit(
        base + "/edit", base + "/edit",
        "email=" + enc("eden.new@demo.arrimage.invalid") + "&display_name=" + enc("Eden École-Démo") + "&preferred_lang=en");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'change_email' AND entity_id = ?", {id}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address = ? AND subject LIKE ?",
                     {std::string("staff.board1@demo.arrimage.invalid"), std::string("%email address%")}),
              1);
    // A name change alone is not an email change.
    r = c.submit(
        base + "/edit", base + "/edit",
        "email=" + enc("eden.new@demo.arrimage.invalid") + "&display_name=" + enc("Eden Autre-Nom") + "&preferred_lang=en");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'change_email' AND entity_id = ?", {id}), 1);
    r = c.submit(base, base + "/invite", "");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'send_sign_in_link' AND entity_id = ?", {id}), 1);
}

// Finding 2: a member of another area's organisation is refused on a file's team, and a team
// row that predates the rule opens nothing.
TEST_F(Security, AFileTeamTakesOnlyOrganisationsOfTheFilesArea) {
    const auto file = scalar("SELECT id FROM people WHERE given_name = ?", {std::string("Léa")});
    const std::string href = "/children/" + std::to_string(file);
    auto agency = signed_in("ca.admin@demo.arrimage.invalid");
    auto r = agency.submit(href, href + "/team",
                           "member=" + std::to_string(staff_b_) + "%3A" + std::to_string(org_b_) + "&kind=team_member");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("another service delivery area"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM file_team WHERE user_id = ?", {staff_b_}), 0);

    {
        auto tx = t_->db->begin(store::TxMode::write);
        tx->exec(
            "INSERT INTO file_team (person_id, user_id, organisation_id, kind, from_at, created_at, created_by) "
            "VALUES (?, ?, ?, 'team_member', ?, ?, ?)",
            {file, staff_b_, org_b_, format_iso(clock_.now()), format_iso(clock_.now()), staff_b_});
        tx->commit();
    }
    auto outsider = signed_in("staff.ouest@demo.arrimage.invalid");
    EXPECT_EQ(outsider.get(href).status, 404);
    EXPECT_FALSE(outsider.get("/children").has("Démo-Tremblay"));
    EXPECT_EQ(
        outsider.submit("/children", href + "/break-glass", "reason=" + enc("Urgence signalée par l'école ce matin")).status,
        404);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM break_glass_grants WHERE user_id = ?", {staff_b_}), 0);
}

// Finding 3: the redirect parameter of every route that takes one.
TEST_F(Security, RedirectTargetsStayOnThisSite) {
    const std::vector<std::string> hostile = {"/%09/attacker.example/x",  "//attacker.example/x",      "/%5Cattacker.example",
                                              "/%2F/attacker.example",    "/\\attacker.example",       "https://attacker.example",
                                              "/%20/attacker.example",    "/x%0D%0ASet-Cookie:%20a=b", "/%E2%80%AE/x",
                                              "/%C2%A0/attacker.example", "attacker.example",          "/%ZZ"};
    for (const auto& raw : hostile) {
        Client v(port_);
        const auto r = v.get("/lang/en?next=" + enc(raw));
        EXPECT_EQ(r.status, 303) << raw;
        EXPECT_EQ(r.header("location"), "/") << raw;
        auto p = v.get("/login");
        const auto login = v.post("/login", "_csrf=" + Client::csrf(p.body) + "&email=" + enc("coord1@demo.arrimage.invalid") +
                                                "&password=" + enc(app::demo_password) + "&next=" + enc(raw));
        EXPECT_EQ(login.status, 303) << raw;
        EXPECT_EQ(login.header("location"), "/") << raw;
        const auto post = v.post("/lang/fr", "_csrf=" + Client::csrf(v.get("/").body) + "&next=" + enc(raw));
        EXPECT_EQ(post.header("location"), "/") << raw;
    }
    // A path of the site, with its query, is kept.
    Client v(port_);
    EXPECT_EQ(v.get("/lang/fr?next=" + enc("/directory?q=orthophonie&area=1")).header("location"),
              "/directory?q=orthophonie&area=1");
    EXPECT_EQ(v.get("/lang/fr?next=" + enc("/refer?need=l%E2%80%99enfant")).header("location"), "/refer?need=l%E2%80%99enfant");
}

// Finding 4: any Transfer-Encoding but a lone chunked is refused, the connection closed, and
// what follows is never read as a request.
TEST_F(Security, UnusualTransferEncodingsAreRefusedAndTheConnectionClosed) {
    for (const std::string te :
         {"gzip", "identity", "xchunked", "chunked, identity", "gzip, chunked", "chunked\r\nTransfer-Encoding: chunked"}) {
        const std::string smuggled = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
        const std::string out =
            testsupport::raw_response(port_,
                                      "POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te +
                                          "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n" + smuggled,
                                      true);
        ASSERT_GE(out.size(), 12u) << te;
        EXPECT_EQ(out.substr(9, 3), "400") << te;
        EXPECT_EQ(out.find("HTTP/1.1", 10), std::string::npos) << te << ": a second answer";
    }
    // Chunked with a Content-Length too.
    EXPECT_EQ(testsupport::raw_status(
                  port_, "POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n"),
              400);
    // A plain chunked body is still read.
    const auto ok =
        testsupport::raw_status(port_,
                                "POST /password/forgot HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: "
                                "application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n7\r\nemail=x\r\n0\r\n\r\n");
    EXPECT_NE(ok, 400);
}

// Finding 9: names that show nothing, or reorder what follows them, are refused with a field
// message, in a public and a staff form.
TEST_F(Security, InvisibleAndDirectionChangingNamesAreRefused) {
    Client v(port_);
    v.set_cookie("arrimage_lang", "en");
    const std::string pathway = std::to_string(
        scalar("SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = 'developmental'"));
    const auto before = scalar("SELECT COUNT(*) FROM referrals");
    auto r = v.submit(
        "/refer", "/refer",
        "pathway_id=" + pathway + "&source=family&given_name=" + enc("\u200B\u200B") + "&family_name=" + enc("Test\u202Eelif") +
            "&date_of_birth=2016-04-04&contact_given_name=Parent&contact_family_name=" + enc("Demo-Test") +
            "&contact_relationship=parent&contact_phone=" + enc("613-555-0111") + "&needs=" + enc("Besoins.") + "&consent=1");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-given_name\""));
    EXPECT_TRUE(r.has("id=\"error-family_name\""));
    EXPECT_TRUE(r.has("at least one letter"));
    EXPECT_TRUE(r.has("change the direction of the text"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), before);

    auto admin = signed_in("sysadmin@demo.arrimage.invalid");
    r = admin.submit("/admin/organisations/new", "/admin/organisations/new",
                     "sda_id=1&name_fr=" + enc("\u2066Clinique\u2069") + "&name_en=" + enc("...") +
                         "&sector=health&csp_roles=csp_participant");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-name_fr\""));
    EXPECT_TRUE(r.has("id=\"error-name_en\""));
    r = admin.submit("/admin/users/new", "/admin/users/new",
                     "display_name=" + enc("\u00A0\u3000") +
                         "&email=x%40demo.arrimage.invalid&preferred_lang=en&organisation_id=1&role=coordinator");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-display_name\""));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE email = 'x@demo.arrimage.invalid'"), 0);
}

// Finding 10: turning two-step verification off asks for the password and a current code.
TEST_F(Security, TurningTheSecondFactorOffNeedsThePasswordAndACode) {
    const std::string email = "coord1@demo.arrimage.invalid";
    const std::string secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    {
        auto tx = t_->db->begin(store::TxMode::write);
        store::AuthRepo(*tx, clock_).set_totp_secret(user_id(email), secret, true);
        tx->commit();
    }
    Client c(port_);
    c.set_cookie("arrimage_lang", "en");
    c.submit("/login", "/login", "email=" + enc(email) + "&password=" + enc(app::demo_password));
    ASSERT_EQ(c.submit("/login/mfa", "/login/mfa", "code=" + totp_code(secret, clock_.now())).status, 303);
    auto page = c.get("/account");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("name=\"current_password\""));
    const auto enabled = [&] { return scalar("SELECT totp_enabled FROM users WHERE email = ?", {email}); };

    clock_.advance(std::chrono::seconds(30));
    auto r = c.submit("/account", "/account/mfa/disable", "");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-current_password\""));
    EXPECT_EQ(enabled(), 1);
    r = c.submit("/account", "/account/mfa/disable", "current_password=" + enc(app::demo_password) + "&code=000000");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-code\""));
    EXPECT_EQ(enabled(), 1);
    r = c.submit("/account", "/account/mfa/disable", "current_password=wrong-password&code=" + totp_code(secret, clock_.now()));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(enabled(), 1);
    r = c.submit("/account", "/account/mfa/disable",
                 "current_password=" + enc(app::demo_password) + "&code=" + totp_code(secret, clock_.now()));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(enabled(), 0);
}

// Finding 5: reset requests are throttled per account and per address, with the same answer
// whether or not the address exists.
TEST_F(Security, PasswordResetRequestsAreThrottled) {
    Client c(port_);
    auto forgot = [&](const std::string& email, const std::string& from) {
        return c.post("/password/forgot", "_csrf=" + Client::csrf(c.get("/password/forgot").body) + "&email=" + enc(email),
                      {{"X-Forwarded-For", from}});
    };
    const std::string email = "coord2@demo.arrimage.invalid";
    const auto mails = [&] { return scalar("SELECT COUNT(*) FROM outbox WHERE to_address = ?", {email}); };
    for (int i = 0; i < 31; ++i) {
        const auto r = forgot(email, "203.0.113.20");
        EXPECT_EQ(r.status, 303);
        EXPECT_EQ(r.header("location"), "/login");
    }
    EXPECT_EQ(mails(), 3);  // max_resets_per_account
    // From other addresses too: the account's limit holds.
    EXPECT_EQ(forgot(email, "203.0.113.21").status, 303);
    EXPECT_EQ(mails(), 3);
    // An address that has asked too often gets nothing more sent, for any account.
    for (int i = 0; i < 10; ++i) forgot("nobody" + std::to_string(i) + "@demo.arrimage.invalid", "203.0.113.30");
    EXPECT_EQ(forgot("coord3@demo.arrimage.invalid", "203.0.113.30").status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address = 'coord3@demo.arrimage.invalid'"), 0);
    // Unknown addresses answer exactly like known ones.
    const auto unknown = forgot("nobody-at-all@demo.arrimage.invalid", "203.0.113.40");
    const auto known = forgot("coord4@demo.arrimage.invalid", "203.0.113.41");
    EXPECT_EQ(unknown.status, known.status);
    EXPECT_EQ(unknown.header("location"), known.header("location"));
    // After the window, a new link can be sent.
    clock_.advance(std::chrono::minutes(16));
    EXPECT_EQ(forgot(email, "203.0.113.20").status, 303);
    EXPECT_EQ(mails(), 4);
}

// Finding 6: wrong passwords from many addresses slow an account down; they do not lock its
// owner out, who gets through with a second factor, after the delay, or with a reset link.
TEST_F(Security, WrongPasswordsFromManyAddressesSlowAnAccountWithoutLockingItsOwnerOut) {
    auto attempt = [&](const std::string& email, const std::string& password, const std::string& from) {
        Client c(port_);
        c.set_cookie("arrimage_lang", "en");
        return c.post("/login",
                      "_csrf=" + Client::csrf(c.get("/login").body) + "&email=" + enc(email) + "&password=" + enc(password),
                      {{"X-Forwarded-For", from}});
    };
    const std::string email = "coord2@demo.arrimage.invalid";
    // Five addresses, five wrong passwords (one each): no address reaches its own limit.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(attempt(email, "wrong password!", "198.51.100." + std::to_string(i)).status, 401);
    // The owner, at once: asked to wait a little, told how to get in now.
    auto r = attempt(email, app::demo_password, "192.0.2.1");
    EXPECT_EQ(r.status, 429);
    EXPECT_TRUE(r.has("Try again in"));
    EXPECT_TRUE(r.has("Forgot your password?"));
    // After the delay (1 s for the fifth failure) the right password gets through.
    clock_.advance(std::chrono::seconds(2));
    EXPECT_EQ(attempt(email, app::demo_password, "192.0.2.1").status, 303);

    // The delay grows with each further failure (waited out each time, all within the window),
    // and a reset link clears it.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(attempt(email, "wrong password!", "198.51.100." + std::to_string(10 + i)).status, 401);
    for (int i = 0; i < 7; ++i) {
        clock_.advance(std::chrono::seconds((1 << i) + 1));
        EXPECT_EQ(attempt(email, "wrong password!", "198.51.100." + std::to_string(20 + i)).status, 401) << i;
    }
    clock_.advance(std::chrono::seconds(100));  // the delay is now 128 s
    EXPECT_EQ(attempt(email, app::demo_password, "192.0.2.1").status, 429);
    Client c(port_);
    c.post("/password/forgot", "_csrf=" + Client::csrf(c.get("/password/forgot").body) + "&email=" + enc(email));
    std::string link;
    {
        auto tx = t_->db->begin(store::TxMode::read);
        const auto body =
            tx->query_one("SELECT body_text FROM outbox WHERE to_address = ? ORDER BY id DESC LIMIT 1", {email})->str(0);
        const auto at = body.find("/password/reset/");
        ASSERT_NE(at, std::string::npos);
        link = body.substr(at, body.find_first_of(" \n", at) - at);
    }
    const std::string fresh = "a-new-passphrase-2026";
    EXPECT_EQ(c.submit(link, link, "password=" + enc(fresh) + "&password_confirm=" + enc(fresh)).status, 303);
    EXPECT_EQ(attempt(email, fresh, "192.0.2.1").status, 303);

    // An account with a second factor is not slowed: the password and the code get through.
    const std::string totp_email = "coord3@demo.arrimage.invalid";
    const std::string secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    {
        auto tx = t_->db->begin(store::TxMode::write);
        store::AuthRepo(*tx, clock_).set_totp_secret(user_id(totp_email), secret, true);
        tx->commit();
    }
    for (int i = 0; i < 12; ++i) attempt(totp_email, "wrong password!", "198.51.100." + std::to_string(40 + i));
    Client owner(port_);
    r = owner.post(
        "/login",
        "_csrf=" + Client::csrf(owner.get("/login").body) + "&email=" + enc(totp_email) + "&password=" + enc(app::demo_password),
        {{"X-Forwarded-For", "192.0.2.9"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login/mfa", 0), 0u);
    EXPECT_EQ(owner.submit("/login/mfa", "/login/mfa", "code=" + totp_code(secret, clock_.now())).status, 303);
    EXPECT_EQ(owner.get("/account").status, 200);
}
