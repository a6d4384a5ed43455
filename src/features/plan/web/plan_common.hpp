#pragma once
// What the plan's pages share (pages_plan.cpp, pages_plan_print.cpp, and the family's page of
// the plan, pages_family.cpp): where the plan is, the file a request names, the refusal of a
// request that names none, how an action's owner, a goal and a withheld section are said, and
// the rows of the plan's work as both pages show them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/i18n.hpp"
#include "features/plan/domain/plan.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "web/app.hpp"

namespace arrimage::web::plan_pages {

std::string plan_href(std::int64_t person_id);
// The file the request's {id} names, when the user is signed in with an acting membership.
std::optional<std::int64_t> file_id(Ctx& ctx);
// A request without a file the user may name: not found, on record.
http::Response not_allowed(Ctx& ctx);
// "Name (Organisation)", "Organisation" or "Name", the organisation in `l`.
std::string owner_label(Lang l, const std::string& name, const std::string& org_fr, const std::string& org_en);
bool is_withheld(const std::vector<domain::Section>& withheld, domain::Section s);
// A goal as a list of goals to choose from names it: "Goal 2: its first 80 characters".
std::string goal_choice_label(const Ctx& ctx, const store::PlanGoalRow& g);
// Why a section is not shown: the family's consent does not share its category with the reader.
std::string section_withheld(const Catalogue& cat, Lang l, domain::Section s);
// Where the family's agreement stands: never given, given to the current version, or given to an
// earlier one (the plan changed since), as one sentence; `current` when agreed at this version.
std::string agreement_state(Ctx& ctx, const store::PlanRecord& r, bool& current);
// The family's electronic signatures, newest first, as the plan's and the family's pages list
// them: {line, comment}.
nlohmann::json signature_lines(Ctx& ctx, const store::PlanRecord& r);
// The family's notes on goal `goal_id` (0: on the plan as a whole), newest first, as the plan's
// and the family's pages list them: {line (who, as whom to the child, when), note}.
nlohmann::json family_note_rows(Ctx& ctx, const store::PlanRecord& r, std::int64_t goal_id);
// An action as the plan's and the family's pages show it: {text, owner, status, due}.
nlohmann::json action_row(Ctx& ctx, const store::PlanActionRow& a);
// A service the plan counts on, with its referral's status now: {reference, href, service,
// organisation, status, expected, purpose}.
nlohmann::json service_row(Ctx& ctx, const store::PlanServiceRow& sv);
// The plan's team: {name, role, organisation, email}.
nlohmann::json team_rows(Ctx& ctx, const store::PlanRecord& r);
// The plan's meetings, newest first: {held_on, attendees, notes, decisions, by}.
nlohmann::json meeting_rows(const store::PlanRecord& r);

}  // namespace arrimage::web::plan_pages
