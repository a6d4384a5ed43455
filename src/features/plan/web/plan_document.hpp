#pragma once
// The coordinated service plan as a document (docs/PLAN.md): the blocks the printed page shows
// and the PDF lays out (web/pdf), made once so the two never say different things.
#include <string>

#include "core/i18n.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "web/pdf.hpp"

namespace arrimage::web::plan_pages {

// An action's who, when, status and goal, as the printed plan and a comparison of versions say it.
std::string action_line(const Catalogue& cat, Lang l, const std::string& owner, const std::string& due, const std::string& status,
                        const std::string& goal);

// The plan as it prints, in `l`: its title, what state it is in, every section under its heading
// (an empty one says so, so the family sees the whole plan; one the family's consent keeps from
// the reader says that instead), the goals in order of priority with who expressed each and its
// progress, the actions, the services with their status, the team, and whether the family agreed
// to this version. Under a lockbox, the withheld notice alone. `today` is printed as the day.
PdfDocument plan_document(const Catalogue& cat, Lang l, const store::PlanRecord& r, const std::string& today);

}  // namespace arrimage::web::plan_pages
