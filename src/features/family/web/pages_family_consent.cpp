// The family's own consent pages (store::PersonRepo family_consent and the rest, docs/FAMILY.md).
//
// /family/children/{id}/consent: every directive in effect in plain language (who may see what,
// for which purpose, until when), the lockbox, and, for the one who decides (the capable youth,
// else a family member with authority), withdrawing or narrowing a permit and withholding a
// category from an organisation. A change takes effect on the next request (the policy reads
// the record each time) and the file's coordinator is told.
//
// /family/children/{id}/sharing: a capable youth's choice of what each family member with access
// sees (store::FamilyRepo::sharing). A staff account is answered 404 on both.
#include "core/time.hpp"
#include "domain/consent.hpp"
#include "features/family/domain/family.hpp"
#include "features/family/store/family_repo.hpp"
#include "features/family/web/family_pages.hpp"
#include "features/notification/web/notification_pages.hpp"
#include "features/plan/web/plan_common.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

using family_pages::family_href;
using family_pages::tell_coordinator;
using people_pages::pick;
using people_pages::refused;
using plan_pages::not_allowed;

std::string consent_href(std::int64_t person_id) {
    return family_href(person_id) + "/consent";
}
// The file's consent record on the staff's side, where the coordinator sees the change.
std::string coordinator_consent_href(std::int64_t person_id) {
    return people_pages::file_href(person_id) + "/consent";
}
std::string sharing_href(std::int64_t person_id) {
    return family_href(person_id) + "/sharing";
}

struct ConsentForms {
    std::int64_t directive = 0;  // the directive whose narrowing form was posted
    d::NarrowForm narrow;
    std::vector<FieldError> narrow_errors;
    d::LockboxForm lockbox;
    std::vector<FieldError> lockbox_errors;
    std::string conflict_key;
};

json narrow_form(Ctx& ctx, const store::ConsentRecord& r, const d::ConsentDirective& x, const ConsentForms& forms) {
    const bool posted = forms.directive == x.id;
    std::vector<Option> categories, orgs;
    std::vector<std::string> ticked_categories, ticked_orgs;
    for (auto c : d::consentable_categories())
        if (x.categories.contains(c)) {
            categories.push_back({std::string(d::code(c)), ctx.t("privacy.category." + std::string(d::code(c)))});
            ticked_categories.push_back(std::string(d::code(c)));
        }
    for (auto o : x.organisations) {
        orgs.push_back({std::to_string(o), people_pages::consent_organisation(ctx, r, o)});
        ticked_orgs.push_back(std::to_string(o));
    }
    FormBuilder b(ctx, consent_href(r.person_id) + "/" + std::to_string(x.id) + "/narrow", "family.consent.narrow_submit");
    b.id_prefix("narrow-" + std::to_string(x.id) + "-");
    b.multi({.name = "categories",
             .label_key = "family.consent.keep_categories",
             .type = "checkboxes",
             .hint_key = "family.consent.keep_hint",
             .options = categories},
            posted ? forms.narrow.categories : ticked_categories);
    b.multi({.name = "organisations", .label_key = "family.consent.keep_organisations", .type = "checkboxes", .options = orgs},
            posted ? forms.narrow.organisations : ticked_orgs);
    if (posted) b.errors(forms.narrow_errors);
    return b.build();
}

json lockbox_form(Ctx& ctx, const store::ConsentRecord& r, const ConsentForms& forms) {
    std::vector<Option> orgs, categories;
    for (const auto& o : r.organisations)
        if (o.active) orgs.push_back({std::to_string(o.id), pick(ctx, o.name_fr, o.name_en)});
    for (auto c : d::consentable_categories())
        if (c != d::Category::identity_contact)  // kept with the consent's keepers (PersonRepo::family_withhold)
            categories.push_back({std::string(d::code(c)), ctx.t("privacy.category." + std::string(d::code(c)))});
    FormBuilder b(ctx, family_href(r.person_id) + "/lockbox", "family.consent.withhold_submit");
    b.id_prefix("lockbox-");
    b.field({.name = "organisation_id",
             .label_key = "lockbox.organisation_label",
             .type = "select",
             .required = true,
             .options = orgs},
            forms.lockbox.organisation_id)
        .field({.name = "category",
                .label_key = "lockbox.category_label",
                .type = "select",
                .required = true,
                .options = categories},
               forms.lockbox.category)
        .field(
            {.name = "reason", .label_key = "lockbox.reason_label", .type = "textarea", .hint_key = "family.consent.reason_hint"},
            forms.lockbox.reason)
        .errors(forms.lockbox_errors);
    return b.build();
}

http::Response consent_page(Ctx& ctx, std::int64_t person_id, const ConsentForms& forms, int status) {
    auto r = store::PersonRepo(*ctx.access).family_consent(person_id);
    if (!r) return refused(ctx, r.error());
    if (status >= 400) ctx.commit_anyway = true;  // the record was shown: its read stays on record
    const auto now = ctx.app.clock().now();
    json current = json::array(), refused_list = json::array();
    for (auto it = r->directives.rbegin(); it != r->directives.rend(); ++it) {
        const auto& x = *it;
        if (!people_pages::consent_current(x, now)) continue;
        json item = people_pages::plain_directive(ctx, *r, x, now);
        if (x.effect == d::DirectiveEffect::deny) {
            refused_list.push_back(item);
            continue;
        }
        // Withdrawn at any time, even before it starts; narrowed while in effect.
        if (r->may_change) {
            item["withdraw_action"] = consent_href(person_id) + "/" + std::to_string(x.id) + "/withdraw";
            item["withdraw_label"] = ctx.t("family.consent.withdraw_named", {item["organisations"].get<std::string>()});
        }
        if (r->may_change && x.in_effect(now)) {
            item["narrow_form"] = narrow_form(ctx, *r, x, forms);
            item["narrow_heading"] = ctx.t("family.consent.narrow_heading");
            item["narrow_open"] = forms.directive == x.id;  // its field errors shown, not folded away
        }
        current.push_back(item);
    }
    const std::string agency = pick(ctx, r->agency_name_fr, r->agency_name_en);
    json model = {{"heading", ctx.t("family.consent.heading", {r->given_name})},
                  {"back_href", family_href(person_id)},
                  {"intro", ctx.t("family.consent.intro", {r->given_name})},
                  {"current", current},
                  {"has_current", !current.empty()},
                  {"no_consent", ctx.t("consent.summary.no_consent", {r->given_name, agency})},
                  {"refused", refused_list},
                  {"has_refused", !refused_list.empty()},
                  {"withheld", people_pages::plain_lockbox(ctx, *r, now)},
                  {"widen", ctx.t("family.consent.widen", {agency})}};
    model["has_withheld"] = !model["withheld"].empty();
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    if (r->may_change)
        model["lockbox_form"] = lockbox_form(ctx, *r, forms);
    else
        model["cannot_change"] = ctx.t("family.consent.cannot_change", {ctx.t(r->change_refusal)});
    return ctx.app.page(ctx, "family.consent.title", "family_consent", model, status);
}

http::Response show_consent(Ctx& ctx) {
    auto id = ctx.family_file();
    if (!id) return not_allowed(ctx);
    return consent_page(ctx, *id, {}, 200);
}

std::optional<std::int64_t> directive_param(Ctx& ctx) {
    return d::parse_id(ctx.req.params["item"]);
}

http::Response withdraw(Ctx& ctx) {
    auto id = ctx.family_file();
    auto directive = directive_param(ctx);
    if (!id || !directive) return not_allowed(ctx);
    auto done = store::PersonRepo(*ctx.access).family_withdraw(*id, *directive);
    if (!done) return refused(ctx, done.error());
    tell_coordinator(ctx, *id, "family.consent.told_withdrawn", coordinator_consent_href(*id));
    return ctx.app.see_other(ctx, consent_href(*id), "family.consent.withdrawn");
}

http::Response narrow(Ctx& ctx) {
    auto id = ctx.family_file();
    auto directive = directive_param(ctx);
    if (!id || !directive) return not_allowed(ctx);
    ConsentForms forms;
    forms.directive = *directive;
    forms.narrow = {ctx.form_all("categories"), ctx.form_all("organisations")};
    auto done = store::PersonRepo(*ctx.access).family_narrow(*id, *directive, forms.narrow);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.narrow_errors, forms.conflict_key,
                               [&](int status) { return consent_page(ctx, *id, forms, status); });
    tell_coordinator(ctx, *id, "family.consent.told_narrowed", coordinator_consent_href(*id));
    return ctx.app.see_other(ctx, consent_href(*id), "family.consent.narrowed");
}

http::Response withhold(Ctx& ctx) {
    auto id = ctx.family_file();
    if (!id) return not_allowed(ctx);
    ConsentForms forms;
    forms.lockbox = {ctx.form("organisation_id"), ctx.form("category"), "", ctx.form("reason")};
    auto done = store::PersonRepo(*ctx.access).family_withhold(*id, forms.lockbox);
    if (!done)
        return refused_on_page(ctx, done.error(), forms.lockbox_errors, forms.conflict_key,
                               [&](int status) { return consent_page(ctx, *id, forms, status); });
    tell_coordinator(ctx, *id, "family.consent.told_withheld", coordinator_consent_href(*id));
    return ctx.app.see_other(ctx, consent_href(*id), "family.consent.withheld");
}

// ---------------------------------------------------------------- the youth's choices

struct SharingForms {
    std::int64_t access_id = 0;  // the family member whose form was posted
    std::vector<std::string> posted;
    std::vector<FieldError> errors;
};

http::Response sharing_page(Ctx& ctx, std::int64_t person_id, const SharingForms& forms, int status) {
    auto s = store::FamilyRepo(*ctx.access).sharing(person_id);
    if (!s) return refused(ctx, s.error());
    if (status >= 400) ctx.commit_anyway = true;
    const auto options = options_of(ctx, d::withholdable_from_family(), "privacy.category.");
    json members = json::array();
    for (const auto& m : s->members) {
        std::vector<std::string> ticked;
        for (auto c : d::withholdable_from_family())
            if (m.withheld.contains(c)) ticked.push_back(std::string(d::code(c)));
        const bool posted = forms.access_id == m.access_id;
        FormBuilder b(ctx, sharing_href(person_id) + "/" + std::to_string(m.access_id), "family.sharing.submit");
        b.id_prefix("sharing-" + std::to_string(m.access_id) + "-");
        b.multi({.name = "categories",
                 .type = "checkboxes",
                 .hint_key = "family.sharing.hint",
                 .options = options,
                 .label = ctx.t("family.sharing.keep_from", {m.name})},
                posted ? forms.posted : ticked);
        if (posted) b.errors(forms.errors);
        members.push_back({{"heading", ctx.t("family.sharing.member", {m.name, ctx.t("people.relationship." + m.relationship)})},
                           {"form", b.build()}});
    }
    json model = {{"back_href", family_href(person_id)},
                  {"members", members},
                  {"has_members", !members.empty()},
                  {"always", ctx.t("family.sharing.always")}};
    return ctx.app.page(ctx, "family.sharing.title", "family_sharing", model, status);
}

http::Response show_sharing(Ctx& ctx) {
    auto id = ctx.family_file();
    if (!id) return not_allowed(ctx);
    return sharing_page(ctx, *id, {}, 200);
}

http::Response set_sharing(Ctx& ctx) {
    auto id = ctx.family_file();
    auto access = d::parse_id(ctx.req.params["item"]);
    if (!id || !access) return not_allowed(ctx);
    SharingForms forms;
    forms.access_id = *access;
    forms.posted = ctx.form_all("categories");
    d::CategorySet withheld;
    forms.errors = d::validate_withheld(forms.posted, withheld);
    if (!forms.errors.empty()) return sharing_page(ctx, *id, forms, 422);
    auto done = store::FamilyRepo(*ctx.access).set_withheld(*id, *access, withheld);
    std::string conflict;
    if (!done)
        return refused_on_page(ctx, done.error(), forms.errors, conflict,
                               [&](int status) { return sharing_page(ctx, *id, forms, status); });
    return ctx.app.see_other(ctx, sharing_href(*id), "family.sharing.saved");
}

}  // namespace

void family_pages::tell_coordinator(Ctx& ctx, std::int64_t person_id, const std::string& what_key, const std::string& link) {
    auto c = store::FamilyRepo(*ctx.access).contacts(person_id);
    if (c.reference.empty()) return;
    auto users = c.coordinators.empty() ? notification_pages::notifications(ctx).managers_of(c.agency_id) : c.coordinators;
    const auto& cat = ctx.app.catalogue();
    notification_pages::notify(ctx, users,
                               {d::NoticeKind::family,
                                c.reference,
                                link,
                                "notification.text.family_consent",
                                {c.reference, cat.t(Lang::fr, what_key)},
                                {c.reference, cat.t(Lang::en, what_key)}});
}

void register_family_consent_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/family/children/{id}/consent", {"family/consent", S, R, show_consent});
    app.route("POST", "/family/children/{id}/consent/{item}/withdraw", {"family/consent_withdraw", S, W, withdraw});
    app.route("POST", "/family/children/{id}/consent/{item}/narrow", {"family/consent_narrow", S, W, narrow});
    app.route("POST", "/family/children/{id}/lockbox", {"family/lockbox", S, W, withhold});
    app.route("GET", "/family/children/{id}/sharing", {"family/sharing", S, R, show_sharing});
    app.route("POST", "/family/children/{id}/sharing/{item}", {"family/sharing_set", S, W, set_sharing});
}

}  // namespace arrimage::web
