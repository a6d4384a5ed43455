#include "features/plan/web/plan_common.hpp"

#include <algorithm>

#include "web/people_common.hpp"

namespace arrimage::web::plan_pages {

namespace d = domain;

std::string plan_href(std::int64_t person_id) {
    return people_pages::file_href(person_id) + "/plan";
}

std::optional<std::int64_t> file_id(Ctx& ctx) {
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!id || !ctx.signed_in() || !people_pages::acting_grant(ctx)) return std::nullopt;
    return id;
}

http::Response not_allowed(Ctx& ctx) {
    return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, d::parse_id(ctx.req.params["id"]));
}

std::string owner_label(Lang l, const std::string& name, const std::string& org_fr, const std::string& org_en) {
    const std::string& org = l == Lang::fr ? org_fr : org_en;
    if (name.empty()) return org;
    if (org.empty()) return name;
    return name + " (" + org + ")";
}

bool is_withheld(const std::vector<d::Section>& withheld, d::Section s) {
    return std::find(withheld.begin(), withheld.end(), s) != withheld.end();
}

std::string section_withheld(const Catalogue& cat, Lang l, d::Section s) {
    return cat.t(l, "plan.section_withheld",
                 {cat.t(l, "plan.section." + std::string(d::code(s))),
                  cat.t(l, "privacy.category." + std::string(code(d::category_of(s))))});
}

}  // namespace arrimage::web::plan_pages
