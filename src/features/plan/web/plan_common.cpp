#include "features/plan/web/plan_common.hpp"

#include <algorithm>

#include "core/time.hpp"
#include "web/people_common.hpp"

namespace arrimage::web::plan_pages {

namespace d = domain;
using people_pages::pick;

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

std::string goal_choice_label(const Ctx& ctx, const store::PlanGoalRow& g) {
    // At most 80 bytes, cut at a character's start (never inside an accented letter).
    std::size_t cut = 80;
    while (cut > 0 && cut < g.text.size() && (static_cast<unsigned char>(g.text[cut]) & 0xC0) == 0x80) --cut;
    const auto words = g.text.size() > 80 ? g.text.substr(0, cut) + "…" : g.text;
    return ctx.t("plan.goal_choice", {std::to_string(g.priority), words});
}

std::string section_withheld(const Catalogue& cat, Lang l, d::Section s) {
    return cat.t(l, "plan.section_withheld",
                 {cat.t(l, "plan.section." + std::string(d::code(s))),
                  cat.t(l, "privacy.category." + std::string(code(d::category_of(s))))});
}

std::string agreement_state(Ctx& ctx, const store::PlanRecord& r, bool& current) {
    current = r.agreed_version != 0 && r.agreed_version == r.version;
    if (r.agreed_version == 0) return ctx.t("plan.agreement.never", {std::to_string(r.version)});
    if (current) return ctx.t("plan.agreement.current", {std::to_string(r.version)});
    return ctx.t("plan.agreement.unsigned_changes", {std::to_string(r.agreed_version), std::to_string(r.version)});
}

nlohmann::json signature_lines(Ctx& ctx, const store::PlanRecord& r) {
    auto out = nlohmann::json::array();
    for (const auto& s : r.signatures) {
        nlohmann::json line{{"line", ctx.t("plan.signature.line." + s.decision,
                                           {std::to_string(s.version), s.signer_name, s.signed_at.substr(0, 10)})}};
        if (!s.comment.empty()) line["comment"] = s.comment;
        out.push_back(std::move(line));
    }
    return out;
}

nlohmann::json family_note_rows(Ctx& ctx, const store::PlanRecord& r, std::int64_t goal_id) {
    auto out = nlohmann::json::array();
    for (const auto& n : r.family_notes) {
        if (n.goal_id != goal_id) continue;
        const std::string who = n.relation == "self"     ? ctx.t("plan.family_note.youth")
                                : n.relationship.empty() ? ctx.t("plan.family_note.family_member")
                                                         : ctx.t("people.relationship." + n.relationship);
        out.push_back(
            {{"line", ctx.t("plan.family_note.line", {n.author_name, who, display_minute(n.created_at)})}, {"note", n.note}});
    }
    return out;
}

// Rows without their empty values (present): a template's {{#key}} shows only what is there.
nlohmann::json action_row(Ctx& ctx, const store::PlanActionRow& a) {
    return present({{"text", a.text},
                    {"owner", owner_label(ctx.lang, a.owner_name, a.owner_org_fr, a.owner_org_en)},
                    {"status", ctx.t("plan.action_status." + a.status)},
                    {"due", a.due.empty() ? ctx.t("plan.action.no_due") : a.due}});
}

nlohmann::json service_row(Ctx& ctx, const store::PlanServiceRow& sv) {
    const auto service = pick(ctx, sv.service_fr, sv.service_en);
    return present({{"reference", sv.reference},
                    {"href", "/referrals/" + std::to_string(sv.referral_id)},
                    {"service", service.empty() ? "—" : service},
                    {"organisation", pick(ctx, sv.organisation_fr, sv.organisation_en)},
                    {"status", ctx.t("referral.status." + sv.status)},
                    {"expected", sv.expected_date.empty() ? "" : ctx.t("plan.service.expected", {sv.expected_date})},
                    {"purpose", sv.purpose}});
}

nlohmann::json team_rows(Ctx& ctx, const store::PlanRecord& r) {
    auto out = nlohmann::json::array();
    for (const auto& t : r.team)
        out.push_back(
            present({{"name", t.name},
                     {"role", ctx.t(t.family ? "people.relationship." + t.role : "plan.team.kind." + t.role)},
                     {"organisation", t.family ? ctx.t("plan.team.family") : pick(ctx, t.organisation_fr, t.organisation_en)},
                     {"email", t.email}}));
    return out;
}

nlohmann::json meeting_rows(const store::PlanRecord& r) {
    auto out = nlohmann::json::array();
    for (const auto& m : r.meetings)
        out.push_back(present(
            {{"held_on", m.held_on}, {"attendees", m.attendees}, {"notes", m.notes}, {"decisions", m.decisions}, {"by", m.by}}));
    return out;
}

}  // namespace arrimage::web::plan_pages
