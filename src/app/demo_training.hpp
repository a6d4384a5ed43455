#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds the demo area's capacity building (load_demo_data, features/network, docs/NETWORK.md
// "Capacity building"), written by SQL as the coordinating agency's administrator and the
// providers' managers would have recorded it over three years, each row dated on its own day
// before today:
//   - six trainings: coordinated service planning foundations (hybrid, no expiry), privacy and
//     consent under PHIPA and CYFSA Part X (online, every 24 months), trauma-informed practice
//     (in person, every 36 months), working with First Nations, Inuit and Métis families (its
//     requirement set 40 days ago, so nobody is overdue yet), the active offer of French-language
//     services (self-paced, every 36 months) and a joint training on cross-sector planning
//     meetings given with the treatment centre, both school boards and the youth mental health
//     agency (required of nobody);
//   - requirements for coordinators, participants' staff, provider managers and privacy
//     officers;
//   - the people's memberships dated from the day they took up their role (about three years
//     ago; Jordan Sample 400 days ago, Maxime Essai 75 days ago, Andréa Ville-Démo 20 days ago);
//   - completions such that every standing shows: complete, expiring within 30 days, due,
//     overdue and lapsed. Alex Exemple (coordinator at Blue River) holds one of each; the agency
//     and the Catholic board are fully compliant, the other organisations are not.
// Deterministic but for today's date. Does nothing and returns false when the administrator, one
// of the people or one of the organisations is missing, or when a training exists.
bool load_demo_training(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
