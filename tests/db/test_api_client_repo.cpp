// API clients of the FHIR R4 API (features/fhir/store/api_client_repo.hpp), against SQLite (label
// db) and PostgreSQL (label pg), on the demo area (its coordinating agency's administrator, a
// provider's coordinator, the treatment centre) and another area made here. A client is
// registered by an administrator of its organisation's area with a service account that never
// signs in and that the users' administration never shows; the area's administrators list,
// read, revoke and give it new secrets, others find nothing or are refused; its secret gives
// tokens narrowed to what it asks within what it was granted; a token names its caller until it
// expires, the client is revoked, its secret rotated, or its organisation, service account or
// membership stops. Revocation also deactivates the service account and ends its places on file
// teams, all in one transaction. The service account is not a person: never an intake's
// coordinator, a notification's recipient or an email's. Every administrative change is in
// admin_audit.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/fhir/store/api_client_repo.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "features/notification/store/notification_repo.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"
#include "web/app.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

// "ok", or the refusal's key and its fields: "error.invalid name role".
template <typename T>
std::string outcome(const Result<T>& r) {
    if (r) return "ok";
    std::string out = r.error().message_key;
    for (const auto& f : r.error().fields) out += " " + f.field;
    return out;
}

constexpr const char* all_scopes =
    "system/Patient.rs system/RelatedPerson.rs system/Organization.rs system/Location.rs system/HealthcareService.rs";
constexpr const char* client_name = "Centre de traitement — DSE de test / Treatment centre — test EHR";

std::string refusal(const std::variant<IssuedToken, TokenRefusal>& v) {
    if (std::holds_alternative<IssuedToken>(v)) return "token";
    return std::get<TokenRefusal>(v) == TokenRefusal::invalid_client ? "invalid_client" : "invalid_scope";
}

}  // namespace

class ApiClientStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        // Without the referrals and what follows them (the demo's own API clients among them):
        // every client here is made here.
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), false));
        ASSERT_EQ(scalar("SELECT COUNT(*) FROM api_clients"), 0);
        admin_ = testsupport::actor_of(*t_->db, "ca.admin@demo.arrimage.invalid");
        sysadmin_ = testsupport::actor_of(*t_->db, "sysadmin@demo.arrimage.invalid");
        coord1_ = testsupport::actor_of(*t_->db, "coord1@demo.arrimage.invalid");
        staff_ctc_ = testsupport::actor_of(*t_->db, "staff.ctc@demo.arrimage.invalid");
        ctc_ = staff_ctc_.organisation_id;
        sda_ = scalar("SELECT sda_id FROM organisations WHERE id = ?", {ctc_});
        ASSERT_EQ(scalar("SELECT sda_id FROM organisations WHERE id = ?", {admin_.organisation_id}), sda_);
        add_other_area();
    }

    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    std::string text(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        const auto row = tx->query_one(sql, p);
        return row ? row->str(0) : std::string();
    }

    d::Principal principal(const d::Actor& who) {
        auto tx = t_->db->begin(TxMode::read);
        return IdentityRepo(*tx, clock_).principal_of(who.user_id);
    }

    // `f` with the repository in one write transaction, committed, as one request would.
    template <typename F>
    auto as_repo(F f) {
        auto tx = t_->db->begin(TxMode::write);
        ApiClientRepo repo(*tx, clock_, random_, PasswordHashCost::minimum());
        auto out = f(repo);
        tx->commit();
        return out;
    }

    Result<RegisteredApiClient> try_register(const d::Actor& who, std::int64_t org, const d::NewApiClient& in) {
        const auto p = principal(who);
        return as_repo([&](ApiClientRepo& r) { return r.register_client(p, org, in); });
    }
    RegisteredApiClient registered(const d::Actor& who, std::int64_t org, const std::string& scopes = all_scopes,
                                   const std::string& name = client_name) {
        auto r = try_register(who, org, {name, "participant_staff", scopes});
        if (!r) throw std::runtime_error("registration refused: " + outcome(r));
        return *r;
    }

    std::vector<ApiClientRow> list(const d::Actor& who, std::optional<std::int64_t> org = {}) {
        const auto p = principal(who);
        return as_repo([&](ApiClientRepo& r) { return r.list(p, org); });
    }
    Result<ApiClientRow> find(const d::Actor& who, std::int64_t id) {
        const auto p = principal(who);
        return as_repo([&](ApiClientRepo& r) { return r.find(p, id); });
    }
    Result<void> revoke(const d::Actor& who, std::int64_t id) {
        const auto p = principal(who);
        return as_repo([&](ApiClientRepo& r) { return r.revoke(p, id); });
    }
    Result<std::string> rotate(const d::Actor& who, std::int64_t id) {
        const auto p = principal(who);
        return as_repo([&](ApiClientRepo& r) { return r.rotate_secret(p, id); });
    }
    std::variant<IssuedToken, TokenRefusal> issue(const std::string& client_id, const std::string& secret,
                                                  const std::string& scopes = "") {
        return as_repo([&](ApiClientRepo& r) { return r.issue_token(client_id, secret, scopes); });
    }
    std::string token_of(const RegisteredApiClient& c, const std::string& scopes = "") {
        auto v = issue(c.client.client_id, c.secret, scopes);
        if (!std::holds_alternative<IssuedToken>(v)) throw std::runtime_error("no token: " + refusal(v));
        return std::get<IssuedToken>(v).access_token;
    }
    // In a read transaction, as the pipeline does: the SQLite driver refuses any write there.
    std::optional<ApiCaller> authenticate(const std::string& token) {
        auto tx = t_->db->begin(TxMode::read);
        return ApiClientRepo(*tx, clock_, random_, PasswordHashCost::minimum()).authenticate(token);
    }

    std::vector<std::int64_t> ids_of(const std::vector<ApiClientRow>& rows) {
        std::vector<std::int64_t> out;
        for (const auto& r : rows) out.push_back(r.id);
        return out;
    }

    // Another area with its own coordinating agency, a health organisation and an administrator.
    void add_other_area() {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        other_sda_ = *ids.create_sda({"other", "Autre zone", "Other area"}, 0);
        d::Organisation o;
        o.sda_id = other_sda_;
        o.name_fr = "Agence de coordination Autre";
        o.name_en = "Other Coordinating Agency";
        o.sector = d::Sector::social_services;
        o.csp_roles = {d::CspRole::coordinating_agency};
        const auto agency = *ids.create_organisation(o, 0);
        o.name_fr = "Hôpital Autre (fictif)";
        o.name_en = "Other Hospital (fictional)";
        o.sector = d::Sector::health;
        o.csp_roles = {d::CspRole::csp_participant};
        other_hospital_ = *ids.create_organisation(o, 0);
        const auto user = *ids.create_user({"other.admin@example.org", "Olive Autre-Admin", Lang::fr}, 0);
        ASSERT_TRUE(ids.add_membership(user, {agency, d::Role::ca_admin}, 0));
        tx->commit();
        other_admin_ = {user, agency, d::Role::ca_admin};
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    SeededRandom random_{20260101};
    std::unique_ptr<testsupport::TestDb> t_;
    d::Actor admin_, sysadmin_, coord1_, staff_ctc_, other_admin_;
    std::int64_t sda_ = 0, ctc_ = 0, other_sda_ = 0, other_hospital_ = 0;
};

// ------------------------------------------------------------------ registration

TEST_F(ApiClientStore, RegistrationMakesTheClientAndItsServiceAccount) {
    const auto c = registered(admin_, ctc_);
    const auto& row = c.client;
    EXPECT_EQ(row.client_id.rfind("arr-", 0), 0u);
    EXPECT_EQ(row.client_id.size(), 24u);
    EXPECT_EQ(c.secret.size(), 43u);  // 32 bytes, URL-safe base64
    EXPECT_EQ(row.name, client_name);
    EXPECT_EQ(row.organisation_id, ctc_);
    EXPECT_EQ(row.sda_id, sda_);
    EXPECT_EQ(row.org_name_en, "Demo Children's Treatment Centre");
    EXPECT_TRUE(row.organisation_active);
    EXPECT_EQ(row.role, d::Role::participant_staff);
    EXPECT_EQ(d::format_fhir_scopes(row.scopes), all_scopes);
    EXPECT_EQ(row.status, d::ApiClientStatus::active);
    EXPECT_EQ(row.created_at, format_iso(clock_.now()));
    EXPECT_EQ(row.created_by, "Claude Admin-Démo");
    EXPECT_EQ(row.revoked_at, "");
    EXPECT_EQ(row.revoked_by, "");
    EXPECT_EQ(row.last_used_at, "");

    // The service account: no password, one active membership in the client's role.
    EXPECT_EQ(text("SELECT email FROM users WHERE id = ?", {row.user_id}), ascii_lower(row.client_id) + "@api-clients.invalid");
    EXPECT_EQ(text("SELECT display_name FROM users WHERE id = ?", {row.user_id}), std::string("API: ") + client_name);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE id = ? AND password_hash IS NULL AND active = 1 AND kind = 'staff'",
                     {row.user_id}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ?", {row.user_id}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ? AND organisation_id = ? AND role = "
                     "'participant_staff' AND active = 1",
                     {row.user_id, ctc_}),
              1);

    // The secret is kept only as its argon2id hash.
    const auto hash = text("SELECT secret_hash FROM api_clients WHERE id = ?", {row.id});
    EXPECT_NE(hash, c.secret);
    EXPECT_TRUE(verify_password(c.secret, hash));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_clients WHERE secret_hash = ? OR client_id = ?", {c.secret, c.secret}), 0);

    // Audited in the same transaction: the client, its account and membership, by the administrator.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'register' AND entity = 'api_client' AND entity_id = ? "
                     "AND user_id = ?",
                     {row.id, admin_.user_id}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'create' AND entity = 'user' AND entity_id = ? AND "
                     "user_id = ?",
                     {row.user_id, admin_.user_id}),
              1);

    // A system administrator registers too, anywhere; two clients have two accounts.
    const auto other = registered(sysadmin_, other_hospital_, "system/Organization.r");
    EXPECT_NE(other.client.user_id, row.user_id);
    EXPECT_NE(other.client.client_id, row.client_id);
    EXPECT_EQ(d::format_fhir_scopes(other.client.scopes), "system/Organization.r");
}

TEST_F(ApiClientStore, RegistrationRefusesInvalidFieldsAndWritesNothing) {
    const auto before = testsupport::snapshot_tables(*t_->db);
    const auto r = try_register(admin_, ctc_, {"", "ca_admin", "patient/Patient.r"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::Invalid);
    std::vector<std::string> fields;
    for (const auto& f : r.error().fields) fields.push_back(f.field);
    for (const char* field : {"name", "role", "scopes"})
        EXPECT_NE(std::find(fields.begin(), fields.end(), field), fields.end()) << field;
    for (const auto& in : std::vector<d::NewApiClient>{{client_name, "system_admin", all_scopes},
                                                       {client_name, "participant_staff", ""},
                                                       {client_name, "participant_staff", "system/Unknown.rs"},
                                                       {"Two\nlines", "participant_staff", all_scopes}}) {
        const auto refused = try_register(admin_, ctc_, in);
        ASSERT_FALSE(refused) << in.name << " " << in.role << " " << in.scopes;
        EXPECT_EQ(refused.error().code, Errc::Invalid);
    }
    EXPECT_EQ(testsupport::snapshot_tables(*t_->db), before);
}

TEST_F(ApiClientStore, OnlyTheAreasAdministratorsRegister) {
    const auto before = testsupport::snapshot_tables(*t_->db);
    // Someone who administers nothing is refused, whatever the organisation.
    for (const auto& who : {coord1_, staff_ctc_}) {
        const auto r = try_register(who, ctc_, {client_name, "participant_staff", all_scopes});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::Forbidden);
    }
    // An organisation of another area, or none, is not found.
    for (const auto org : {other_hospital_, std::int64_t{987654}}) {
        const auto r = try_register(admin_, org, {client_name, "participant_staff", all_scopes});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::NotFound);
    }
    const auto r = try_register(other_admin_, ctc_, {client_name, "participant_staff", all_scopes});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::NotFound);
    EXPECT_EQ(testsupport::snapshot_tables(*t_->db), before);

    // Nor is a deactivated organisation.
    {
        auto tx = t_->db->begin(TxMode::write);
        ASSERT_TRUE(IdentityRepo(*tx, clock_).set_organisation_active(other_hospital_, false, 0));
        tx->commit();
    }
    const auto inactive = try_register(sysadmin_, other_hospital_, {client_name, "participant_staff", all_scopes});
    ASSERT_FALSE(inactive);
    EXPECT_EQ(inactive.error().code, Errc::NotFound);
}

// ------------------------------------------------------------------ list and find

TEST_F(ApiClientStore, ListsAndFindsOnlyTheClientsOfTheAreasAdministered) {
    const auto here = registered(admin_, ctc_);
    clock_.advance(std::chrono::seconds(5));
    const auto there = registered(other_admin_, other_hospital_);
    clock_.advance(std::chrono::seconds(5));
    const auto agency = registered(admin_, admin_.organisation_id, "system/Organization.rs", "Agency directory sync");

    using Ids = std::vector<std::int64_t>;
    // Newest first.
    EXPECT_EQ(ids_of(list(admin_)), (Ids{agency.client.id, here.client.id}));
    EXPECT_EQ(ids_of(list(admin_, ctc_)), (Ids{here.client.id}));
    EXPECT_EQ(ids_of(list(admin_, other_hospital_)), Ids{});
    EXPECT_EQ(ids_of(list(other_admin_)), (Ids{there.client.id}));
    EXPECT_EQ(ids_of(list(sysadmin_)), (Ids{agency.client.id, there.client.id, here.client.id}));
    EXPECT_EQ(ids_of(list(coord1_)), Ids{});
    EXPECT_EQ(ids_of(list(staff_ctc_)), Ids{});

    ASSERT_TRUE(find(admin_, here.client.id));
    EXPECT_EQ(find(admin_, here.client.id)->client_id, here.client.client_id);
    EXPECT_EQ(find(admin_, there.client.id).error().code, Errc::NotFound);
    EXPECT_EQ(find(other_admin_, here.client.id).error().code, Errc::NotFound);
    EXPECT_EQ(find(admin_, 987654).error().code, Errc::NotFound);
    EXPECT_TRUE(find(sysadmin_, here.client.id));
    EXPECT_TRUE(find(sysadmin_, there.client.id));
    EXPECT_EQ(find(coord1_, here.client.id).error().code, Errc::Forbidden);
    EXPECT_EQ(find(staff_ctc_, here.client.id).error().code, Errc::Forbidden);
}

// ------------------------------------------------------------------ tokens

TEST_F(ApiClientStore, TheRightSecretGetsATokenStoredOnlyAsItsHash) {
    const auto c = registered(admin_, ctc_);
    const auto v = issue(c.client.client_id, c.secret);
    ASSERT_EQ(refusal(v), "token");
    const auto& t = std::get<IssuedToken>(v);
    EXPECT_EQ(t.expires_in, d::api_token_minutes * 60);
    EXPECT_EQ(d::format_fhir_scopes(t.scopes), all_scopes);  // nothing asked: everything granted
    EXPECT_GE(t.access_token.size(), 43u);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?", {t.access_token}), 0);
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? AND api_client_id = ? AND expires_at = ?",
               {hash_token(t.access_token), c.client.id, format_iso(clock_.now() + std::chrono::minutes(d::api_token_minutes))}),
        1);
    EXPECT_EQ(find(admin_, c.client.id)->last_used_at, format_iso(clock_.now()));

    // Each request gets a new token; the earlier one still works until it expires.
    const auto second = token_of(c);
    EXPECT_NE(second, t.access_token);
    EXPECT_TRUE(authenticate(t.access_token));
    EXPECT_TRUE(authenticate(second));
}

TEST_F(ApiClientStore, AWrongSecretAnUnknownClientAndARevokedClientAreAllInvalidClient) {
    const auto c = registered(admin_, ctc_);
    const auto other = registered(admin_, ctc_, all_scopes, "Another system");
    EXPECT_EQ(refusal(issue(c.client.client_id, c.secret + "x")), "invalid_client");
    EXPECT_EQ(refusal(issue(c.client.client_id, other.secret)), "invalid_client");
    EXPECT_EQ(refusal(issue(c.client.client_id, "")), "invalid_client");
    EXPECT_EQ(refusal(issue("arr-doesnotexist000000", c.secret)), "invalid_client");
    EXPECT_EQ(refusal(issue("", "")), "invalid_client");
    EXPECT_EQ(refusal(issue(std::string(5000, 'a'), std::string(5000, 'b'))), "invalid_client");
    // A refused request writes nothing and is not a use.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_tokens"), 0);
    EXPECT_EQ(find(admin_, c.client.id)->last_used_at, "");

    ASSERT_TRUE(revoke(admin_, c.client.id));
    EXPECT_EQ(refusal(issue(c.client.client_id, c.secret)), "invalid_client");
    EXPECT_EQ(refusal(issue(other.client.client_id, other.secret)), "token");
}

TEST_F(ApiClientStore, RequestedScopesAreNarrowedToWhatTheClientWasGranted) {
    const auto c = registered(admin_, ctc_, "system/Patient.rs system/Organization.rs");
    const auto narrowed = issue(c.client.client_id, c.secret, "system/Patient.r system/Location.rs");
    ASSERT_EQ(refusal(narrowed), "token");
    EXPECT_EQ(d::format_fhir_scopes(std::get<IssuedToken>(narrowed).scopes), "system/Patient.r");
    // The token carries its own scopes, not the client's.
    const auto token = std::get<IssuedToken>(narrowed).access_token;
    const auto caller = authenticate(token);
    ASSERT_TRUE(caller);
    EXPECT_EQ(d::format_fhir_scopes(caller->scopes), "system/Patient.r");

    const auto exact = issue(c.client.client_id, c.secret, "system/Organization.rs");
    ASSERT_EQ(refusal(exact), "token");
    EXPECT_EQ(d::format_fhir_scopes(std::get<IssuedToken>(exact).scopes), "system/Organization.rs");

    // Nothing granted of what was asked, or not scopes at all.
    EXPECT_EQ(refusal(issue(c.client.client_id, c.secret, "system/Location.rs")), "invalid_scope");
    EXPECT_EQ(refusal(issue(c.client.client_id, c.secret, "patient/Patient.r")), "invalid_scope");
    EXPECT_EQ(refusal(issue(c.client.client_id, c.secret, "openid profile")), "invalid_scope");
    // The client is checked first: a wrong secret with bad scopes is invalid_client.
    EXPECT_EQ(refusal(issue(c.client.client_id, "wrong", "openid")), "invalid_client");
}

TEST_F(ApiClientStore, ExpiredTokensAreDeletedWhenTheClientAsksForANewOne) {
    const auto c = registered(admin_, ctc_);
    const auto old = token_of(c);
    clock_.advance(std::chrono::minutes(d::api_token_minutes + 1));
    const auto fresh = token_of(c);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_tokens WHERE api_client_id = ?", {c.client.id}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?", {hash_token(fresh)}), 1);
    EXPECT_FALSE(authenticate(old));
}

// ------------------------------------------------------------------ authentication

TEST_F(ApiClientStore, ATokenNamesItsCallerUntilItExpires) {
    const auto c = registered(admin_, ctc_);
    const auto token = token_of(c);
    const auto used = format_iso(clock_.now());
    const auto caller = authenticate(token);
    ASSERT_TRUE(caller);
    EXPECT_EQ(caller->client_id, c.client.id);
    EXPECT_EQ(caller->name, client_name);
    EXPECT_EQ(caller->user_id, c.client.user_id);
    EXPECT_EQ(caller->organisation_id, ctc_);
    EXPECT_EQ(caller->role, d::Role::participant_staff);
    EXPECT_EQ(d::format_fhir_scopes(caller->scopes), all_scopes);
    EXPECT_EQ(caller->last_used_at, used);

    EXPECT_FALSE(authenticate(""));
    EXPECT_FALSE(authenticate(token + "x"));
    EXPECT_FALSE(authenticate(hash_token(token)));  // the stored hash is not a token
    EXPECT_FALSE(authenticate(std::string(5000, 'a')));

    clock_.advance(std::chrono::minutes(d::api_token_minutes - 1));
    EXPECT_TRUE(authenticate(token));
    clock_.advance(std::chrono::minutes(1));
    EXPECT_FALSE(authenticate(token));
}

TEST_F(ApiClientStore, TouchRecordsTheLastUse) {
    const auto c = registered(admin_, ctc_);
    clock_.advance(std::chrono::minutes(7));
    as_repo([&](ApiClientRepo& r) {
        r.touch(c.client.id);
        return 0;
    });
    EXPECT_EQ(find(admin_, c.client.id)->last_used_at, format_iso(clock_.now()));
}

TEST_F(ApiClientStore, ATokenStopsWhenItsClientRevokedItsMembershipItsAccountOrItsOrganisationStop) {
    // One client per way of stopping, each with a live token.
    const auto revoked = registered(admin_, ctc_, all_scopes, "Revoked");
    const auto membership = registered(admin_, ctc_, all_scopes, "Membership ended");
    const auto account = registered(admin_, ctc_, all_scopes, "Account deactivated");
    const auto still = registered(admin_, ctc_, all_scopes, "Still working");
    const auto elsewhere = registered(sysadmin_, other_hospital_, all_scopes, "Organisation deactivated");
    std::vector<std::string> tokens;
    for (const auto* c : {&revoked, &membership, &account, &still, &elsewhere}) tokens.push_back(token_of(*c));
    for (const auto& t : tokens) ASSERT_TRUE(authenticate(t));

    ASSERT_TRUE(revoke(admin_, revoked.client.id));
    {
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        const auto m = tx->query_one("SELECT id FROM memberships WHERE user_id = ?", {membership.client.user_id})->i64(0);
        ASSERT_TRUE(ids.set_membership_active(m, false, 0));
        ASSERT_TRUE(ids.set_user_active(account.client.user_id, false, 0));
        ASSERT_TRUE(ids.set_organisation_active(other_hospital_, false, 0));
        tx->commit();
    }
    EXPECT_FALSE(authenticate(tokens[0]));
    EXPECT_FALSE(authenticate(tokens[1]));
    EXPECT_FALSE(authenticate(tokens[2]));
    EXPECT_TRUE(authenticate(tokens[3]));
    EXPECT_FALSE(authenticate(tokens[4]));
    // Its page says why, though the client itself is still active.
    const auto stopped = find(sysadmin_, elsewhere.client.id);
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->status, d::ApiClientStatus::active);
    EXPECT_FALSE(stopped->organisation_active);
    EXPECT_TRUE(find(admin_, still.client.id)->organisation_active);
    // Nor do they get new tokens, with their right secrets.
    for (const auto* c : {&revoked, &membership, &account, &elsewhere})
        EXPECT_EQ(refusal(issue(c->client.client_id, c->secret)), "invalid_client") << c->client.name;
    EXPECT_EQ(refusal(issue(still.client.client_id, still.secret)), "token");
}

// ------------------------------------------------------------------ rotation and revocation

TEST_F(ApiClientStore, ANewSecretEndsTheOldOneAndItsTokens) {
    const auto c = registered(admin_, ctc_);
    const auto old_token = token_of(c);
    const auto secret = rotate(admin_, c.client.id);
    ASSERT_TRUE(secret) << outcome(secret);
    EXPECT_NE(*secret, c.secret);
    EXPECT_EQ(secret->size(), 43u);
    EXPECT_EQ(refusal(issue(c.client.client_id, c.secret)), "invalid_client");
    EXPECT_FALSE(authenticate(old_token));
    const auto fresh = issue(c.client.client_id, *secret);
    ASSERT_EQ(refusal(fresh), "token");
    EXPECT_TRUE(authenticate(std::get<IssuedToken>(fresh).access_token));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'rotate_secret' AND entity = 'api_client' AND "
                     "entity_id = ? AND user_id = ?",
                     {c.client.id, admin_.user_id}),
              1);
    EXPECT_EQ(find(admin_, c.client.id)->status, d::ApiClientStatus::active);

    // Refused as reading is, and for a revoked client, with nothing changed.
    const auto hash = text("SELECT secret_hash FROM api_clients WHERE id = ?", {c.client.id});
    EXPECT_EQ(rotate(coord1_, c.client.id).error().code, Errc::Forbidden);
    EXPECT_EQ(rotate(other_admin_, c.client.id).error().code, Errc::NotFound);
    ASSERT_TRUE(revoke(admin_, c.client.id));
    const auto late = rotate(admin_, c.client.id);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, Errc::Conflict);
    EXPECT_EQ(text("SELECT secret_hash FROM api_clients WHERE id = ?", {c.client.id}), hash);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'rotate_secret' AND entity_id = ?", {c.client.id}), 1);
}

TEST_F(ApiClientStore, RevocationIsATransitionThatEndsTheMembershipAndTheTokens) {
    const auto c = registered(admin_, ctc_);
    token_of(c);
    token_of(c);
    clock_.advance(std::chrono::minutes(3));
    EXPECT_EQ(revoke(coord1_, c.client.id).error().code, Errc::Forbidden);
    EXPECT_EQ(revoke(other_admin_, c.client.id).error().code, Errc::NotFound);
    EXPECT_EQ(revoke(admin_, 987654).error().code, Errc::NotFound);
    EXPECT_EQ(find(admin_, c.client.id)->status, d::ApiClientStatus::active);

    ASSERT_TRUE(revoke(admin_, c.client.id));
    const auto row = find(admin_, c.client.id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->status, d::ApiClientStatus::revoked);
    EXPECT_EQ(row->revoked_at, format_iso(clock_.now()));
    EXPECT_EQ(row->revoked_by, "Claude Admin-Démo");
    EXPECT_EQ(text("SELECT event || ':' || status FROM api_client_events WHERE api_client_id = ?", {c.client.id}),
              "revoke:revoked");
    EXPECT_EQ(scalar("SELECT user_id FROM api_client_events WHERE api_client_id = ?", {c.client.id}), admin_.user_id);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_tokens WHERE api_client_id = ?", {c.client.id}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ? AND active = 1", {c.client.user_id}), 0);
    EXPECT_EQ(scalar("SELECT active FROM users WHERE id = ?", {c.client.user_id}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'deactivate' AND entity = 'user' AND entity_id = ? AND "
                     "user_id = ?",
                     {c.client.user_id, admin_.user_id}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'revoke' AND entity = 'api_client' AND entity_id = ? AND "
                     "user_id = ?",
                     {c.client.id, admin_.user_id}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_audit WHERE action = 'deactivate' AND entity = 'membership' AND user_id = ?",
                     {admin_.user_id}),
              1);

    // Final: a second revocation (a stale page) is a Conflict that changes nothing.
    const auto before = testsupport::snapshot_tables(*t_->db);
    const auto again = revoke(admin_, c.client.id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::Conflict);
    EXPECT_EQ(testsupport::snapshot_tables(*t_->db), before);
    // Still listed, in its state.
    ASSERT_EQ(list(admin_).size(), 1u);
    EXPECT_EQ(list(admin_).front().status, d::ApiClientStatus::revoked);
}

TEST_F(ApiClientStore, RevocationEndsTheServiceAccountsTeamPlacesAndNobodyElses) {
    const auto c = registered(admin_, ctc_);
    const auto other = registered(admin_, ctc_, all_scopes, "Not revoked");
    const auto person = scalar("SELECT MIN(id) FROM people");
    ASSERT_NE(person, 0);
    const auto at = [&](std::chrono::hours h) { return format_iso(clock_.now() + h); };
    // Places of the client's service account: open, ending later, already ended; and the places
    // of a person and of another client.
    const auto place = [&](std::int64_t user, const Value& until) {
        auto tx = t_->db->begin(TxMode::write);
        const auto id =
            tx->query_one(
                  "INSERT INTO file_team (person_id, user_id, organisation_id, kind, from_at, until_at, "
                  "created_at, created_by) VALUES (?, ?, ?, 'team_member', ?, ?, ?, ?) RETURNING id",
                  {person, user, ctc_, at(std::chrono::hours(-48)), until, at(std::chrono::hours(-48)), admin_.user_id})
                ->i64(0);
        tx->commit();
        return id;
    };
    const auto open = place(c.client.user_id, Null{});
    const auto later = place(c.client.user_id, at(std::chrono::hours(24 * 30)));
    const auto ended = place(c.client.user_id, at(std::chrono::hours(-24)));
    const auto persons = place(staff_ctc_.user_id, Null{});
    const auto others = place(other.client.user_id, Null{});
    const auto until = [&](std::int64_t id) { return text("SELECT COALESCE(until_at, '') FROM file_team WHERE id = ?", {id}); };
    const auto ended_at = until(ended);
    clock_.advance(std::chrono::minutes(5));

    ASSERT_TRUE(revoke(admin_, c.client.id));
    const auto now = format_iso(clock_.now());
    EXPECT_EQ(until(open), now);
    EXPECT_EQ(until(later), now);
    EXPECT_EQ(until(ended), ended_at) << "a place already ended keeps its end";
    EXPECT_EQ(until(persons), "");
    EXPECT_EQ(until(others), "");
    // No longer on the team, as the kernel counts a team place: begun, not ended.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM file_team WHERE user_id = ? AND from_at <= ? AND (until_at IS NULL OR until_at > ?)",
                     {c.client.user_id, now, now}),
              0);
    EXPECT_EQ(scalar("SELECT active FROM users WHERE id = ?", {other.client.user_id}), 1);
}

// Everything revocation changes is one transaction: whichever statement fails, nothing changed.
TEST_F(ApiClientStore, ARevocationThatFailsHalfwayChangesNothing) {
    const auto c = registered(admin_, ctc_);
    token_of(c);
    {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec(
            "INSERT INTO file_team (person_id, user_id, organisation_id, kind, from_at, created_at, created_by) "
            "SELECT MIN(id), ?, ?, 'team_member', ?, ?, ? FROM people",
            {c.client.user_id, ctc_, format_iso(clock_.now()), format_iso(clock_.now()), admin_.user_id});
        tx->commit();
    }
    clock_.advance(std::chrono::minutes(1));
    const auto p = principal(admin_);
    testsupport::FaultyDatabase faulty(*t_->db);
    const auto before = testsupport::snapshot_tables(*t_->db);
    int failures = 0;
    for (int n = 1;; ++n) {
        faulty.fail_statement(n);
        faulty.reset_fired();
        bool done = false;
        try {
            auto tx = faulty.begin(TxMode::write);
            ApiClientRepo repo(*tx, clock_, random_, PasswordHashCost::minimum());
            ASSERT_TRUE(repo.revoke(p, c.client.id));
            tx->commit();
            done = !faulty.fired();
        } catch (const DbError&) {
            ++failures;
        }
        if (done) break;
        EXPECT_EQ(testsupport::snapshot_tables(*t_->db), before) << "statement " << n << " failed";
        ASSERT_LT(n, 100) << "revocation never completed";
    }
    faulty.fail_statement(0);
    EXPECT_GT(failures, 5) << "the transition, tokens, membership, team places, account and audit";
    EXPECT_EQ(text("SELECT status FROM api_clients WHERE id = ?", {c.client.id}), "revoked");
    EXPECT_EQ(scalar("SELECT active FROM users WHERE id = ?", {c.client.user_id}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM file_team WHERE user_id = ? AND until_at IS NULL", {c.client.user_id}), 0);
}

// ------------------------------------------------------------------ the service account

TEST_F(ApiClientStore, TheServiceAccountIsNotAmongTheUsersAdministered) {
    const auto c = registered(admin_, ctc_);
    const auto user = c.client.user_id;
    auto tx = t_->db->begin(TxMode::read);
    IdentityRepo ids(*tx, clock_);
    for (const auto& who : {admin_, sysadmin_}) {
        const auto p = IdentityRepo(*tx, clock_).principal_of(who.user_id);
        for (const auto& q : {UserQuery{}, UserQuery{"API", {}, true}, UserQuery{"", ctc_, true}}) {
            const auto users = ids.list_users(p, q);
            for (const auto& u : users) EXPECT_NE(u.id, user);
            if (q.organisation_id) {  // the centre's people are still there
                bool staff = false;
                for (const auto& u : users) staff = staff || u.id == staff_ctc_.user_id;
                EXPECT_TRUE(staff);
            }
        }
        EXPECT_FALSE(ids.find_user_for(p, user));
        EXPECT_TRUE(ids.find_user_for(p, staff_ctc_.user_id));
    }
    // Who it is stays known (the audit names it).
    ASSERT_TRUE(ids.find_user(user));
    EXPECT_EQ(ids.find_user(user)->display_name, std::string("API: ") + client_name);
}

TEST_F(ApiClientStore, TheServiceAccountGetsNoPasswordAndNoSignInLink) {
    const auto c = registered(admin_, ctc_);
    const auto user = c.client.user_id;
    auto tx = t_->db->begin(TxMode::write);
    AuthRepo auth(*tx, clock_);
    EXPECT_FALSE(auth.create_token(hash_token("reset-token-for-the-service-account"), user, "reset",
                                   clock_.now() + std::chrono::hours(1)));
    EXPECT_FALSE(auth.create_token(hash_token("invitation-for-the-service-account"), user, "invite",
                                   clock_.now() + std::chrono::hours(1)));
    auth.set_password_hash(user, hash_password("a-password-set-anyway", PasswordHashCost::minimum()));
    EXPECT_TRUE(auth.create_token(hash_token("reset-token-for-a-person"), staff_ctc_.user_id, "reset",
                                  clock_.now() + std::chrono::hours(1)));
    tx->commit();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM user_tokens WHERE user_id = ?", {user}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM user_tokens WHERE user_id = ?", {staff_ctc_.user_id}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE id = ? AND password_hash IS NULL", {user}), 1);
}

// Not a person: an API client's service account is never offered as an intake's coordinator,
// never a notification's recipient, and no email is ever queued for its address.
TEST(ApiClientServiceAccount, IsNoCoordinatorNoRecipientAndGetsNoEmail) {
    std::string why;
    auto t = testsupport::open_test_db(why);
    if (!t) GTEST_SKIP() << why;
    ManualClock clock(std::chrono::system_clock::now());
    ASSERT_TRUE(app::load_demo_data(*t->db, clock, PasswordHashCost::minimum(), true));  // with its intakes
    SodiumRandom random;
    const auto admin = testsupport::actor_of(*t->db, "ca.admin@demo.arrimage.invalid");
    const auto agency = testsupport::actor_of(*t->db, "coord.ca@demo.arrimage.invalid");
    const auto coord1 = testsupport::actor_of(*t->db, "coord1@demo.arrimage.invalid");
    const auto manager1 = testsupport::actor_of(*t->db, "manager1@demo.arrimage.invalid");
    const auto provider = coord1.organisation_id;
    ASSERT_EQ(manager1.organisation_id, provider);

    // Two clients of the provider, in the roles that would make a person a coordinator or a
    // recipient of the provider's referrals.
    std::int64_t coordinator_account = 0, manager_account = 0;
    {
        auto tx = t->db->begin(TxMode::write);
        const auto p = IdentityRepo(*tx, clock).principal_of(admin.user_id);
        ApiClientRepo repo(*tx, clock, random, PasswordHashCost::minimum());
        const auto a = repo.register_client(p, provider, {"Fictional coordination system", "coordinator", all_scopes});
        const auto b = repo.register_client(p, provider, {"Fictional referral inbox", "provider_manager", all_scopes});
        ASSERT_TRUE(a && b);
        coordinator_account = a->client.user_id;
        manager_account = b->client.user_id;
        tx->commit();
    }

    // The intake's choices of coordinator: the provider's people, not its client.
    const auto intake = testsupport::scalar(*t->db, "SELECT MIN(id) FROM intakes");
    ASSERT_NE(intake, 0);
    const auto choices =
        testsupport::run_as<IntakeRepo>(*t->db, clock, agency, [&](IntakeRepo& r) { return r.coordinators(intake); });
    ASSERT_FALSE(choices.empty());
    const auto offered = [&](std::int64_t user) {
        return std::any_of(choices.begin(), choices.end(), [&](const CoordinatorChoice& c) { return c.user_id == user; });
    };
    EXPECT_TRUE(offered(coord1.user_id));
    EXPECT_FALSE(offered(coordinator_account));

    static const Catalogue catalogue = web::load_catalogue();
    auto tx = t->db->begin(TxMode::write);
    NotificationRepo notes(*tx, clock, catalogue, "https://arrimage.example.org");
    const auto managers = notes.managers_of(provider);
    EXPECT_NE(std::find(managers.begin(), managers.end(), manager1.user_id), managers.end());
    EXPECT_EQ(std::find(managers.begin(), managers.end(), manager_account), managers.end());
    // Named as a recipient anyway (a team's members, say): skipped, no inbox row, no email.
    const auto outbox = [&] { return tx->query_one("SELECT COUNT(*) FROM outbox")->i64(0); };
    const auto queued = outbox();
    const auto inbox = [&](std::int64_t user) {
        return tx->query_one("SELECT COUNT(*) FROM notifications WHERE user_id = ?", {user})->i64(0);
    };
    const auto person_inbox = inbox(manager1.user_id);
    const bool person_wants_email =
        tx->query_one("SELECT email_notifications FROM users WHERE id = ?", {manager1.user_id})->i64(0) != 0;
    const int written = notes.notify({manager_account, coordinator_account, manager1.user_id},
                                     {d::NoticeKind::referral_update, "REF-TEST", "/referrals", "api_client.revoked", {}, {}});
    EXPECT_EQ(written, 1);
    EXPECT_EQ(inbox(manager_account), 0);
    EXPECT_EQ(inbox(coordinator_account), 0);
    EXPECT_EQ(inbox(manager1.user_id), person_inbox + 1);
    // The outbox takes nothing for a service account's address, whatever its case.
    AuthRepo auth(*tx, clock);
    const auto address = tx->query_one("SELECT email FROM users WHERE id = ?", {manager_account})->str(0);
    ASSERT_TRUE(address.ends_with("@api-clients.invalid"));
    auth.enqueue_email(address, "Subject", "Body");
    auth.enqueue_email("ARR-SOMETHING@API-Clients.Invalid", "Subject", "Body");
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM outbox WHERE LOWER(to_address) LIKE '%api-clients.invalid'")->i64(0), 0);
    auth.enqueue_email("person@example.org", "Subject", "Body");
    EXPECT_EQ(outbox(), queued + (person_wants_email ? 1 : 0) + 1) << "the person's notification and the other address";
    tx->commit();
}

// ------------------------------------------------------------------ the demo's clients

TEST(ApiClientDemo, TheDemoHasAnActiveClientOnAFilesTeamAndARevokedOne) {
    std::string why;
    auto t = testsupport::open_test_db(why);
    if (!t) GTEST_SKIP() << why;
    ManualClock clock(std::chrono::system_clock::now());
    ASSERT_TRUE(app::load_demo_data(*t->db, clock, PasswordHashCost::minimum(), true));
    SodiumRandom random;
    const auto admin = testsupport::actor_of(*t->db, "ca.admin@demo.arrimage.invalid");
    auto tx = t->db->begin(TxMode::write);
    const auto p = IdentityRepo(*tx, clock).principal_of(admin.user_id);
    ApiClientRepo repo(*tx, clock, random, PasswordHashCost::minimum());
    const auto clients = repo.list(p);
    ASSERT_EQ(clients.size(), 2u);
    const auto& active = clients[0].status == d::ApiClientStatus::active ? clients[0] : clients[1];
    const auto& revoked = clients[0].status == d::ApiClientStatus::active ? clients[1] : clients[0];
    EXPECT_EQ(active.status, d::ApiClientStatus::active);
    EXPECT_EQ(revoked.status, d::ApiClientStatus::revoked);
    EXPECT_EQ(active.org_name_en, "Demo Children's Treatment Centre");
    EXPECT_EQ(active.role, d::Role::participant_staff);
    EXPECT_EQ(d::format_fhir_scopes(active.scopes), all_scopes);
    EXPECT_EQ(active.created_by, "Claude Admin-Démo");
    EXPECT_EQ(revoked.org_name_en, "Demo Youth Mental Health");
    EXPECT_LT(revoked.created_at, revoked.revoked_at);
    EXPECT_LT(revoked.revoked_at, format_iso(clock.now()));
    EXPECT_EQ(revoked.revoked_by, "Claude Admin-Démo");

    // On Léa's team for the treatment centre, as its staff would be.
    EXPECT_TRUE(
        tx->query_one("SELECT 1 FROM file_team t JOIN people p ON p.id = t.person_id WHERE t.user_id = ? AND "
                      "t.organisation_id = ? AND t.kind = 'team_member' AND t.until_at IS NULL AND "
                      "p.given_name = 'Léa' AND p.family_name = 'Démo-Tremblay'",
                      {active.user_id, active.organisation_id}));
    // A newcomer gets a secret from an administrator, and with it a token.
    const auto secret = repo.rotate_secret(p, active.id);
    ASSERT_TRUE(secret);
    const auto token = repo.issue_token(active.client_id, *secret, "");
    ASSERT_TRUE(std::holds_alternative<IssuedToken>(token));
    EXPECT_TRUE(repo.authenticate(std::get<IssuedToken>(token).access_token));
    tx->commit();
}
