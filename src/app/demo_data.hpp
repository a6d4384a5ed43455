#pragma once
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "store/db.hpp"

namespace arrimage::app {

struct DemoLogin {
    std::string email;
    std::string role;
};

inline constexpr const char* demo_password = "demo-password-2026";
// The demo's family account (features/family): Noah Demo-Smith's grandmother and guardian.
inline constexpr const char* demo_family_login = "chris.family@demo.arrimage.invalid";

// Creates the synthetic demo service delivery area (one coordinating agency, three CSP
// providers, six participants, a ministry regional office, about twenty staff covering every
// role), its service directory (services, locations, waitlists, referral pathways) and a few
// children and youth with their families, teams and consent (demo_people.hpp), all clearly
// fictional, and referrals at every stage of intake (demo_intake.hpp), the area's complaints
// register (demo_complaints.hpp), the quarterly reports (demo_reports.hpp), the area's
// agreements (demo_agreements.hpp) and its governance: a steering group and a working group with
// their meetings, decisions and yearly reports (demo_governance.hpp), and its FHIR API clients,
// one active and one revoked (demo_api_clients.hpp) unless `with_referrals` is false (tests that
// count referrals from none). Deterministic but for the API clients' ids and secrets. Does
// nothing and returns false when the database already has organisations.
bool load_demo_data(store::Database& db, const Clock& clock, const PasswordHashCost& cost, bool with_referrals = true);
std::vector<DemoLogin> demo_logins();

}  // namespace arrimage::app
