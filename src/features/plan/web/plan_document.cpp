#include "features/plan/web/plan_document.hpp"

#include <algorithm>

#include "core/time.hpp"
#include "features/plan/web/plan_common.hpp"

namespace arrimage::web::plan_pages {

namespace d = domain;

namespace {

std::string section_label(const Catalogue& cat, Lang l, d::Section s) {
    return cat.t(l, "plan.section." + std::string(d::code(s)));
}

}  // namespace

std::string action_line(const Catalogue& cat, Lang l, const std::string& owner, const std::string& due, const std::string& status,
                        const std::string& goal) {
    return cat.t(l, "plan.print.action_line",
                 {owner.empty() ? cat.t(l, "plan.print.no_owner") : owner, due.empty() ? cat.t(l, "plan.action.no_due") : due,
                  cat.t(l, "plan.action_status." + status), goal.empty() ? cat.t(l, "plan.no_goal") : goal});
}

PdfDocument plan_document(const Catalogue& cat, Lang l, const store::PlanRecord& r, const std::string& today) {
    const auto t = [&](const std::string& key, const std::vector<std::string>& args = {}) { return cat.t(l, key, args); };
    const std::string file = std::to_string(r.person_id);
    PdfDocument doc;
    doc.lang = l;
    doc.title = t("plan.heading", {file});
    using K = PdfBlock::Kind;
    auto& b = doc.blocks;
    if (r.withheld) {
        b.push_back({K::paragraph, t("people.withheld_notice", {t("privacy.category.plan")})});
        return doc;
    }
    doc.footer = t("plan.print.footer", {file, std::to_string(r.version)});
    const std::string saved = r.versions.empty() ? display_minute(r.created_at) : display_minute(r.versions.front().at);
    std::string meta = t("plan.print.meta", {t("plan.status." + r.status), std::to_string(r.version), saved});
    meta += "\n" + t("plan.created_line", {display_minute(r.created_at), r.created_by_name});
    if (!r.source_reference.empty()) meta += " · " + t("plan.started_from", {r.source_reference});
    meta += "\n" + t("plan.print.printed_on", {today});
    b.push_back({K::small, meta});
    for (auto s : d::all_sections()) {
        const std::string& text = d::text_of(r.sections, s);
        b.push_back({K::heading, section_label(cat, l, s)});
        if (is_withheld(r.withheld_sections, s))
            b.push_back({K::paragraph, section_withheld(cat, l, s)});
        else
            b.push_back({K::paragraph, text.empty() ? t("plan.print.empty_section") : text});
    }
    b.push_back({K::heading, t("plan.goals_heading")});
    if (r.goals.empty()) b.push_back({K::paragraph, t("plan.print.no_goals")});
    for (const auto& g : r.goals)
        b.push_back(
            {K::paragraph, g.text + "\n" +
                               t("plan.print.goal_line", {t("plan.expressed_by." + g.expressed_by), std::to_string(g.priority),
                                                          t("plan.progress." + g.progress)})});
    b.push_back({K::heading, t("plan.actions_heading")});
    if (r.actions.empty()) b.push_back({K::paragraph, t("plan.no_actions")});
    for (const auto& a : r.actions) {
        const auto goal = std::find_if(r.goals.begin(), r.goals.end(), [&](const auto& g) { return g.id == a.goal_id; });
        b.push_back({K::paragraph, a.text + "\n" +
                                       action_line(cat, l, owner_label(l, a.owner_name, a.owner_org_fr, a.owner_org_en), a.due,
                                                   a.status, a.goal_id && goal != r.goals.end() ? goal->text : std::string())});
    }
    b.push_back({K::heading, t("plan.services_heading")});
    if (r.services.empty()) b.push_back({K::paragraph, t("plan.no_services")});
    for (const auto& sv : r.services) {
        const std::string& service = l == Lang::fr ? sv.service_fr : sv.service_en;
        std::string line = (service.empty() ? std::string("—") : service) + " — " +
                           (l == Lang::fr ? sv.organisation_fr : sv.organisation_en) + " (" + sv.reference + ")\n" +
                           t("referral.status." + sv.status);
        if (!sv.expected_date.empty()) line += ", " + t("plan.service.expected", {sv.expected_date});
        if (!sv.purpose.empty()) line += "\n" + sv.purpose;
        b.push_back({K::paragraph, line});
    }
    b.push_back({K::heading, t("plan.team_heading")});
    for (const auto& m : r.team) {
        const std::string role = m.family ? t("people.relationship." + m.role) : t("plan.team.kind." + m.role);
        const std::string org = m.family ? t("plan.team.family") : (l == Lang::fr ? m.organisation_fr : m.organisation_en);
        b.push_back({K::paragraph, m.name + " — " + role + " — " + org + (m.email.empty() ? "" : " — " + m.email)});
    }
    b.push_back({K::heading, t("plan.agreement_heading")});
    b.push_back({K::paragraph,
                 r.agreed_version == 0 ? t("plan.agreement.never", {std::to_string(r.version)})
                 : r.agreed_version == r.version
                     ? t("plan.agreement.current", {std::to_string(r.version)})
                     : t("plan.agreement.unsigned_changes", {std::to_string(r.agreed_version), std::to_string(r.version)})});
    for (const auto& g : r.agreements)
        b.push_back({K::small, t("plan.agreement.line", {std::to_string(g.version), g.family_name, g.agreed_on,
                                                         t("plan.agreement_method." + g.method), g.recorded_by})});
    if (!r.next_review.empty()) b.push_back({K::small, t("plan.review.next", {r.next_review})});
    return doc;
}

}  // namespace arrimage::web::plan_pages
