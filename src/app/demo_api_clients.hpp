#pragma once
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds the demo area's API clients of the FHIR R4 API (load_demo_data, features/fhir), registered
// by the coordinating agency's administrator (ca.admin@…) through the repository:
//   - an active client of the Demo Children's Treatment Centre, participant staff, reading
//     Patient, RelatedPerson, Organization, Location and HealthcareService; its service account
//     is put on Léa Démo-Tremblay's team by the agency's coordinator (coord.ca@…), as a person of
//     the centre would be (her family's consent names the centre; her school information is in
//     the lockbox from it);
//   - a client of Demo Youth Mental Health registered two months ago and revoked ten days ago,
//     so that the administrators' list shows both states.
// The secrets are random and shown to nobody: an administrator gives the active client a new one
// with "rotate secret", which is how a newcomer to the demo gets one. Does nothing and returns
// false when one of the people or organisations is missing, or when a client exists.
bool load_demo_api_clients(store::Database& db, const Clock& clock, const PasswordHashCost& cost);

}  // namespace arrimage::app
