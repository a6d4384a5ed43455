#include "app/demo_api_clients.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "app/tooling.hpp"
#include "core/random.hpp"
#include "features/fhir/store/api_client_repo.hpp"
#include "store/identity_repo.hpp"
#include "store/person_repo.hpp"

namespace arrimage::app {

namespace d = arrimage::domain;

namespace {

// The organisations, by their English names (demo_data.cpp).
constexpr const char* agency = "Demo Coordinating Agency";
constexpr const char* treatment_centre = "Demo Children's Treatment Centre";
constexpr const char* mental_health = "Demo Youth Mental Health";

constexpr const char* admin_email = "ca.admin@demo.arrimage.invalid";
constexpr const char* coordinator_email = "coord.ca@demo.arrimage.invalid";

[[noreturn]] void fail(const Error& e) {
    std::string why = e.message_key;
    for (const auto& f : e.fields) why += " " + f.field + ": " + f.message_key;
    throw std::runtime_error("demo API clients rejected: " + why);
}
template <typename T>
T check(Result<T> r) {
    if (!r) fail(r.error());
    return std::move(*r);
}
void check(const Result<void>& r) {
    if (!r) fail(r.error());
}

std::optional<std::int64_t> id_of(store::Tx& tx, const char* sql, const store::Params& params) {
    auto r = tx.query_one(sql, params);
    if (!r) return std::nullopt;
    return r->i64(0);
}

}  // namespace

bool load_demo_api_clients(store::Database& db, const Clock& clock, const PasswordHashCost& cost) {
    auto tx = db.begin(store::TxMode::write);
    if (tx->query_one("SELECT 1 FROM api_clients LIMIT 1")) return false;
    const auto admin = id_of(*tx, "SELECT id FROM users WHERE email = ?", {std::string(admin_email)});
    const auto ctc = id_of(*tx, "SELECT id FROM organisations WHERE name_en = ? AND active = 1", {std::string(treatment_centre)});
    const auto mh = id_of(*tx, "SELECT id FROM organisations WHERE name_en = ? AND active = 1", {std::string(mental_health)});
    const auto coordinator =
        id_of(*tx,
              "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id "
              "WHERE u.email = ? AND o.name_en = ? AND m.active = 1",
              {std::string(coordinator_email), std::string(agency)});
    const auto agency_id = id_of(*tx, "SELECT id FROM organisations WHERE name_en = ?", {std::string(agency)});
    const auto lea = id_of(*tx, "SELECT id FROM people WHERE given_name = ? AND family_name = ?",
                           {std::string("Léa"), std::string("Démo-Tremblay")});
    if (!admin || !ctc || !mh || !coordinator || !agency_id || !lea) return false;
    const auto principal = store::IdentityRepo(*tx, clock).principal_of(*admin);
    // Secrets nobody is meant to know: the demo's seeded stream would make them guessable.
    SodiumRandom random;

    // The treatment centre's health record system, reading the files its service account is on
    // the team of, and the directory.
    const auto active = check(store::ApiClientRepo(*tx, clock, random, cost)
                                  .register_client(principal, *ctc,
                                                   {"Centre de traitement Démo — DSE / Demo Treatment Centre — EHR",
                                                    std::string(d::code(d::Role::participant_staff)),
                                                    "system/Patient.rs system/RelatedPerson.rs system/Organization.rs "
                                                    "system/Location.rs system/HealthcareService.rs"}));
    auto access = Tooling::demo_loader(*tx, clock, *coordinator, *agency_id);
    if (!access) return false;
    check(store::PersonRepo(*access).add_to_team(*lea, active.client.user_id, *ctc, d::TeamKind::team_member));

    // The mental-health agency's former portal: registered two months ago, revoked ten days ago.
    ManualClock when(clock.now() - std::chrono::hours(24 * 60));
    const auto former = check(store::ApiClientRepo(*tx, when, random, cost)
                                  .register_client(principal, *mh,
                                                   {"Santé mentale jeunesse Démo — ancien portail / former portal",
                                                    std::string(d::code(d::Role::participant_staff)),
                                                    "system/Organization.rs system/Location.rs system/HealthcareService.rs"}));
    when.set(clock.now() - std::chrono::hours(24 * 10));
    check(store::ApiClientRepo(*tx, when, random, cost).revoke(principal, former.client.id));
    tx->commit();
    return true;
}

}  // namespace arrimage::app
