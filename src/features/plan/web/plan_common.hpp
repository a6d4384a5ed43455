#pragma once
// What the plan's pages share (pages_plan.cpp, pages_plan_print.cpp): where the plan is, the
// file a request names, the refusal of a request that names none, and how an action's owner and
// a withheld section are said.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/i18n.hpp"
#include "features/plan/domain/plan.hpp"
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
// Why a section is not shown: the family's consent does not share its category with the reader.
std::string section_withheld(const Catalogue& cat, Lang l, domain::Section s);

}  // namespace arrimage::web::plan_pages
