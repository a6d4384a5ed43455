// The family's consent record on a child's file: directives (every version, recording,
// amending, withdrawing), the printable consent form, the plain-language summary of the consent
// in effect, the lockbox, break-the-glass, and the privacy officer's review of break-the-glass
// grants. Every page goes through store::PersonRepo, which decides and audits, so these routes
// are write transactions; a refusal commits its audit rows only (refused()).
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/consent.hpp"
#include "store/person_repo.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/people_common.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace people_pages {
namespace {

std::string consent_href(std::int64_t id) {
    return file_href(id) + "/consent";
}
std::string lockbox_href(std::int64_t id) {
    return file_href(id) + "/lockbox";
}
// Posted from the refusal page of the file (refused_with_break_glass): there is no separate
// page to reach, so nothing answers differently for a file the user has no part in.
std::string break_glass_href(std::int64_t id) {
    return file_href(id) + "/break-glass";
}

std::string day_of(TimePoint t) {
    return format_iso(t).substr(0, 10);
}
// An expiry is the midnight after the last day of effect: show that last day.
std::string last_day(TimePoint end) {
    return day_of(end - std::chrono::seconds(1));
}

std::string org_name(const Ctx& ctx, const store::ConsentRecord& r, std::int64_t id) {
    if (const auto* o = r.organisation(id)) return pick(ctx, o->name_fr, o->name_en);
    return std::to_string(id);  // every organisation a record names is loaded with it
}

template <typename E, typename Set>
json labels(const Ctx& ctx, const std::vector<E>& all, Set set, const std::string& prefix) {
    json out = json::array();
    for (auto v : all)
        if (set.contains(v)) out.push_back(ctx.t(prefix + std::string(d::code(v))));
    return out;
}

std::string joined(const json& list) {
    std::string out;
    for (const auto& x : list) out += (out.empty() ? "" : ", ") + x.get<std::string>();
    return out;
}

// Where a directive stands at `now`.
std::string status_key(const d::ConsentDirective& x, const store::ConsentRecord& r, TimePoint now) {
    if (x.withdrawn_at && *x.withdrawn_at <= now) {
        for (const auto& [newer, older] : r.supersedes)
            if (older == x.id) return "consent.status.amended";
        return "consent.status.withdrawn";
    }
    if (x.expires_at && *x.expires_at <= now) return "consent.status.expired";
    if (x.given_at > now) return "consent.status.not_yet";
    return "consent.status.in_effect";
}

json directive_view(const Ctx& ctx, const store::ConsentRecord& r, const d::ConsentDirective& x, TimePoint now) {
    json orgs = json::array();
    for (auto o : x.organisations) orgs.push_back(org_name(ctx, r, o));
    const auto categories = labels(ctx, d::consentable_categories(), x.categories, "privacy.category.");
    const auto purposes = labels(ctx, d::consentable_purposes(), x.purposes, "privacy.purpose.");
    json v = {{"id", x.id},
              {"version_line", ctx.t("consent.version_line", {std::to_string(x.id), std::to_string(x.version)})},
              {"effect", ctx.t("consent.effect." + std::string(d::code(x.effect)))},
              {"status", ctx.t(status_key(x, r, now))},
              {"given_by", ctx.t("privacy.given_by." + std::string(d::code(x.given_by))) + " — " + x.given_by_name},
              {"method", ctx.t("privacy.method." + std::string(d::code(x.method)))},
              {"given_at", day_of(x.given_at)},
              {"until", x.expires_at ? last_day(*x.expires_at) : ctx.t("consent.until_withdrawn")},
              {"organisations", joined(orgs)},
              {"categories", joined(categories)},
              {"purposes", joined(purposes)}};
    if (!x.witness_name.empty()) v["witness"] = ctx.t("consent.witnessed_by", {x.witness_name});
    if (x.withdrawn_at) v["withdrawn_at"] = day_of(*x.withdrawn_at);
    return v;
}

bool current(const d::ConsentDirective& x, TimePoint now) {
    return !(x.withdrawn_at && *x.withdrawn_at <= now) && !(x.expires_at && *x.expires_at <= now);
}

std::string child_name(const store::ConsentRecord& r) {
    return r.given_name + " " + r.family_name;
}

// ---------------------------------------------------------------- directives

http::Response consent_page(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    auto r = people(ctx).consent_record(*id);
    if (!r) return refused(ctx, r.error());
    const auto now = ctx.app.clock().now();
    json now_list = json::array(), past = json::array();
    for (const auto& x : r->directives) {
        auto v = directive_view(ctx, *r, x, now);
        const std::string base = consent_href(*id) + "/" + std::to_string(x.id);
        if (r->may_print) {
            v["print_fr_href"] = base + "/print?lang=fr";
            v["print_en_href"] = base + "/print?lang=en";
        }
        if (current(x, now)) {
            v["amend_href"] = consent_href(*id) + "/new?amend=" + std::to_string(x.id);
            v["withdraw_action"] = base + "/withdraw";
            v["withdraw_label"] = ctx.t("consent.withdraw_named", {v["version_line"].get<std::string>()});
            now_list.push_back(v);
        } else {
            past.push_back(v);
        }
    }
    json model = {{"heading", ctx.t("consent.heading", {child_name(*r)})},
                  {"file_href", file_href(*id)},
                  {"new_href", consent_href(*id) + "/new"},
                  {"lockbox_href", lockbox_href(*id)},
                  {"capable_line", ctx.t(r->capable_of_consent ? "consent.capable_yes" : "consent.capable_no")},
                  {"current", now_list},
                  {"past", past}};
    if (r->may_print) {
        model["summary_fr_href"] = consent_href(*id) + "/summary?lang=fr";
        model["summary_en_href"] = consent_href(*id) + "/summary?lang=en";
    }
    return ctx.app.page(ctx, "consent.title", "consent_record", model);
}

d::ConsentForm prefill(const d::ConsentDirective& x) {
    d::ConsentForm f;
    f.effect = std::string(d::code(x.effect));
    for (auto o : x.organisations) f.organisations.push_back(std::to_string(o));
    for (auto c : d::consentable_categories())
        if (x.categories.contains(c)) f.categories.emplace_back(d::code(c));
    for (auto p : d::consentable_purposes())
        if (x.purposes.contains(p)) f.purposes.emplace_back(d::code(p));
    f.given_by = std::string(d::code(x.given_by));
    f.method = std::string(d::code(x.method));
    f.witness_name = x.witness_name;
    if (x.expires_at) f.expires_at = last_day(*x.expires_at);
    return f;
}

http::Response consent_form_page(Ctx& ctx, const store::ConsentRecord& r, const store::ConsentSubmission& v,
                                 const std::vector<FieldError>& e, int status) {
    const auto id = r.person_id;
    std::vector<Option> orgs, sdms, categories, purposes;
    for (const auto& o : r.organisations)
        if (o.active) orgs.push_back({std::to_string(o.id), pick(ctx, o.name_fr, o.name_en)});
    for (const auto& m : r.substitute_decision_makers) sdms.push_back({std::to_string(m.family_member_id), m.name});
    for (auto c : d::consentable_categories())
        categories.push_back({std::string(d::code(c)), ctx.t("privacy.category." + std::string(d::code(c)))});
    for (auto p : d::consentable_purposes())
        purposes.push_back({std::string(d::code(p)), ctx.t("privacy.purpose." + std::string(d::code(p)))});
    std::vector<Option> given_by = {{"child_youth", ctx.t("consent.given_by_child", {child_name(r)})},
                                    {"substitute_decision_maker", ctx.t("privacy.given_by.substitute_decision_maker")}};
    std::vector<Option> methods;
    for (auto m : {d::ConsentMethod::written, d::ConsentMethod::verbal, d::ConsentMethod::electronic})
        methods.push_back({std::string(d::code(m)), ctx.t("privacy.method." + std::string(d::code(m)))});
    const auto& f = v.form;
    FormBuilder b(ctx, consent_href(id) + "/new", "consent.record");
    if (v.supersedes) b.field({.name = "supersedes", .type = "hidden"}, std::to_string(*v.supersedes));
    b.field({.name = "effect",
             .label_key = "consent.effect_label",
             .type = "radios",
             .required = true,
             .options = {{"permit", ctx.t("consent.effect.permit")}, {"deny", ctx.t("consent.effect.deny")}}},
            f.effect)
        .field({.name = "given_by",
                .label_key = "consent.given_by_label",
                .type = "radios",
                .required = true,
                .hint_key = r.capable_of_consent ? "consent.capable_yes" : "consent.capable_no",
                .options = given_by},
               f.given_by)
        .field({.name = "decision_maker",
                .label_key = "consent.decision_maker_label",
                .type = "select",
                .hint_key = "consent.decision_maker_hint",
                .options = sdms},
               v.decision_maker)
        .field({.name = "method", .label_key = "consent.method_label", .type = "radios", .required = true, .options = methods},
               f.method)
        .field({.name = "witness_name", .label_key = "consent.witness_label", .hint_key = "consent.witness_hint"}, f.witness_name)
        .field({.name = "given_at",
                .label_key = "consent.given_at_label",
                .required = true,
                .hint_key = "consent.given_at_hint",
                .inputmode = "numeric"},
               f.given_at)
        .field({.name = "expires_at",
                .label_key = "consent.expires_at_label",
                .hint_key = "consent.expires_at_hint",
                .inputmode = "numeric"},
               f.expires_at)
        .multi({.name = "organisations",
                .label_key = "consent.organisations_label",
                .type = "checkboxes",
                .required = true,
                .options = orgs},
               f.organisations)
        .multi({.name = "categories",
                .label_key = "consent.categories_label",
                .type = "checkboxes",
                .required = true,
                .options = categories},
               f.categories)
        .multi({.name = "purposes",
                .label_key = "consent.purposes_label",
                .type = "checkboxes",
                .required = true,
                .options = purposes},
               f.purposes)
        .errors(e)
        .cancel(consent_href(id));
    json model = {{"heading", ctx.t(v.supersedes ? "consent.amend_title" : "consent.new_title")},
                  {"intro", ctx.t("consent.new_intro", {child_name(r)})},
                  {"form", b.build()}};
    return ctx.app.page(ctx, v.supersedes ? "consent.amend_title" : "consent.new_title", "people_form", model, status);
}

http::Response new_consent(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    auto r = people(ctx).consent_record(*id);
    if (!r) return refused(ctx, r.error());
    store::ConsentSubmission v;
    if (auto amend = d::parse_id(ctx.req.query_param("amend"))) {
        auto it = std::find_if(r->directives.begin(), r->directives.end(), [&](const auto& x) { return x.id == *amend; });
        if (it == r->directives.end()) return ctx.app.error_page(ctx, Error::not_found());
        v.form = prefill(*it);
        v.supersedes = *amend;
    }
    v.form.given_at = day_of(ctx.app.clock().now());
    if (r->substitute_decision_makers.size() == 1)
        v.decision_maker = std::to_string(r->substitute_decision_makers[0].family_member_id);
    return consent_form_page(ctx, *r, v, {}, 200);
}

http::Response create_consent(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    store::ConsentSubmission in;
    auto& f = in.form;
    f.effect = ctx.form("effect");
    f.organisations = ctx.form_all("organisations");
    f.categories = ctx.form_all("categories");
    f.purposes = ctx.form_all("purposes");
    f.given_by = ctx.form("given_by");
    f.method = ctx.form("method");
    f.witness_name = ctx.form("witness_name");
    f.given_at = ctx.form("given_at");
    f.expires_at = ctx.form("expires_at");
    in.decision_maker = ctx.form("decision_maker");
    const std::string supersedes = trim(ctx.form("supersedes"));
    if (!supersedes.empty()) {
        in.supersedes = d::parse_id(supersedes);
        if (!in.supersedes) return ctx.app.error_page(ctx, Error::not_found());
    }
    auto repo = people(ctx);
    auto out = repo.record_consent(*id, in);
    if (!out) {
        if (out.error().code != Errc::Invalid) return refused(ctx, out.error());
        // Nothing was written; the form comes back with its errors. It shows the record again,
        // so that read's audit row is kept (committed): nothing else is in the transaction.
        auto r = repo.consent_record(*id);
        if (!r) return refused(ctx, r.error());
        ctx.commit_anyway = true;
        return consent_form_page(ctx, *r, in, out.error().fields, 422);
    }
    return ctx.app.see_other(ctx, consent_href(*id), in.supersedes ? "consent.amended" : "consent.recorded");
}

http::Response withdraw_consent(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    auto directive = d::parse_id(ctx.req.params["directive"]);
    if (!g || !id || !directive) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    auto r = people(ctx).withdraw_directive(*id, *directive);
    if (!r) return refused(ctx, r.error());
    return ctx.app.see_other(ctx, consent_href(*id), "consent.withdrawn");
}

// ---------------------------------------------------------------- printable form

http::Response print_consent(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    auto directive = d::parse_id(ctx.req.params["directive"]);
    if (!g || !id || !directive) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    // The family's language, whatever the coordinator's.
    if (auto lang = parse_lang(ctx.req.query_param("lang"))) ctx.lang = *lang;
    auto r = people(ctx).consent_record(*id, d::Action::print);
    if (!r) return refused(ctx, r.error());
    auto it = std::find_if(r->directives.begin(), r->directives.end(), [&](const auto& x) { return x.id == *directive; });
    if (it == r->directives.end()) return ctx.app.error_page(ctx, Error::not_found());
    const auto& x = *it;
    const auto now = ctx.app.clock().now();
    auto v = directive_view(ctx, *r, x, now);
    json orgs = json::array();
    for (auto o : x.organisations) orgs.push_back(org_name(ctx, *r, o));
    const std::string who = x.given_by_name;
    const std::string agency = pick(ctx, r->agency_name_fr, r->agency_name_en);
    json model = {
        {"heading", ctx.t("consent.print.heading")},
        {"child_line", ctx.t("consent.print.child_line", {child_name(*r), std::to_string(r->person_id)})},
        {"agency_line", ctx.t("people.agency_line", {agency})},
        {"summary", ctx.t(x.effect == d::DirectiveEffect::permit ? "consent.print.summary_permit" : "consent.print.summary_deny",
                          {who, child_name(*r)})},
        {"organisations", orgs},
        {"categories", labels(ctx, d::consentable_categories(), x.categories, "privacy.category.")},
        {"purposes", labels(ctx, d::consentable_purposes(), x.purposes, "privacy.purpose.")},
        {"how", ctx.t(x.given_by == d::GivenBy::child_youth ? "consent.print.how_child" : "consent.print.how_sdm",
                      {who, ctx.t("privacy.method." + std::string(d::code(x.method)))})},
        {"when", x.expires_at ? ctx.t("consent.print.when_until", {day_of(x.given_at), last_day(*x.expires_at)})
                              : ctx.t("consent.print.when_open", {day_of(x.given_at)})},
        {"rights", ctx.t("consent.print.rights", {agency})},
        {"status_line",
         ctx.t("consent.print.status_line", {v["version_line"].get<std::string>(), v["status"].get<std::string>()})},
        {"printed_line", ctx.t("consent.print.printed_on", {day_of(now)})},
        {"signature_of", ctx.t("consent.print.signature_of", {who})},
        {"back_href", consent_href(*id)},
        {"other_lang_href", consent_href(*id) + "/" + std::to_string(x.id) + "/print?lang=" + std::string(code(other(ctx.lang)))},
        {"other_lang_name", ctx.app.catalogue().t(other(ctx.lang), "lang.self")},
        {"other_lang_code", std::string(code(other(ctx.lang)))}};
    if (!x.witness_name.empty()) model["witness"] = ctx.t("consent.witnessed_by", {x.witness_name});
    return ctx.app.print_page(ctx, "consent.print.heading", "consent_print", model);
}

// ---------------------------------------------------------------- plain-language summary

// The family's consent as it stands today, in plain words, in the language asked for: what is
// shared, with whom, why and until when; what the lockbox keeps from whom; how to withdraw; the
// right to know who looked at the file and to ask for a copy or a correction. Decided and
// audited as the printable form is (a print of identity and contact).
http::Response consent_summary(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    if (auto lang = parse_lang(ctx.req.query_param("lang"))) ctx.lang = *lang;
    auto r = people(ctx).consent_record(*id, d::Action::print);
    if (!r) return refused(ctx, r.error());
    const auto now = ctx.app.clock().now();
    const std::string child = child_name(*r);
    const std::string agency = pick(ctx, r->agency_name_fr, r->agency_name_en);
    json shared = json::array(), refused_list = json::array();
    // Oldest first, as the family gave them.
    for (auto it = r->directives.rbegin(); it != r->directives.rend(); ++it) {
        const auto& x = *it;
        if (!current(x, now)) continue;
        (x.effect == d::DirectiveEffect::permit ? shared : refused_list).push_back(plain_directive(ctx, *r, x, now));
    }
    const json withheld = plain_lockbox(ctx, *r, now);
    json model = {{"heading", ctx.t("consent.summary.heading")},
                  {"child_line", ctx.t("consent.print.child_line", {child, std::to_string(r->person_id)})},
                  {"agency_line", ctx.t("people.agency_line", {agency})},
                  {"intro", ctx.t("consent.summary.intro", {child})},
                  {"shared", shared},
                  {"has_shared", !shared.empty()},
                  {"refused", refused_list},
                  {"has_refused", !refused_list.empty()},
                  {"no_consent", ctx.t("consent.summary.no_consent", {child, agency})},
                  {"withheld", withheld},
                  {"has_withheld", !withheld.empty()},
                  {"emergency", ctx.t("consent.summary.emergency", {agency})},
                  {"withdraw", ctx.t("consent.summary.withdraw", {agency})},
                  {"right_access_log", ctx.t("consent.summary.right_access_log", {child, agency})},
                  {"right_correction", ctx.t("consent.summary.right_correction", {agency})},
                  {"printed_line", ctx.t("consent.print.printed_on", {day_of(now)})},
                  {"back_href", consent_href(*id)},
                  {"other_lang_href", consent_href(*id) + "/summary?lang=" + std::string(code(other(ctx.lang)))},
                  {"other_lang_name", ctx.app.catalogue().t(other(ctx.lang), "lang.self")},
                  {"other_lang_code", std::string(code(other(ctx.lang)))}};
    return ctx.app.print_page(ctx, "consent.summary.heading", "consent_summary", model);
}

// ---------------------------------------------------------------- lockbox

http::Response lockbox_page(Ctx& ctx, std::int64_t id, const d::LockboxForm& v, const std::vector<FieldError>& e, int status) {
    auto r = people(ctx).consent_record(id);
    if (!r) return refused(ctx, r.error());
    // Re-shown under a refused form (422, nothing written): the read's audit row is kept.
    if (status >= 400) ctx.commit_anyway = true;
    const auto now = ctx.app.clock().now();
    json current = json::array(), past = json::array();
    for (const auto& l : r->lockbox) {
        json item = {{"organisation", org_name(ctx, *r, l.organisation_id)},
                     {"category", ctx.t("privacy.category." + std::string(d::code(l.category)))},
                     {"requested_by", ctx.t("privacy.given_by." + std::string(d::code(l.requested_by)))},
                     {"reason", l.reason},
                     {"since", day_of(l.created_at)}};
        if (l.in_effect(now)) {
            item["revoke_action"] = lockbox_href(id) + "/" + std::to_string(l.id) + "/revoke";
            item["revoke_label"] =
                ctx.t("lockbox.revoke_named", {item["category"].get<std::string>(), item["organisation"].get<std::string>()});
            current.push_back(item);
        } else {
            item["revoked_at"] = l.revoked_at ? day_of(*l.revoked_at) : std::string();
            past.push_back(item);
        }
    }
    std::vector<Option> orgs, categories;
    for (const auto& o : r->organisations)
        if (o.active) orgs.push_back({std::to_string(o.id), pick(ctx, o.name_fr, o.name_en)});
    for (auto c : d::consentable_categories())
        categories.push_back({std::string(d::code(c)), ctx.t("privacy.category." + std::string(d::code(c)))});
    std::vector<Option> requested_by = {{"child_youth", ctx.t("privacy.given_by.child_youth")},
                                        {"substitute_decision_maker", ctx.t("privacy.given_by.substitute_decision_maker")}};
    FormBuilder b(ctx, lockbox_href(id), "lockbox.add");
    b.field({.name = "organisation_id",
             .label_key = "lockbox.organisation_label",
             .type = "select",
             .required = true,
             .options = orgs},
            v.organisation_id)
        .field({.name = "category",
                .label_key = "lockbox.category_label",
                .type = "select",
                .required = true,
                .options = categories},
               v.category)
        .field({.name = "requested_by",
                .label_key = "lockbox.requested_by_label",
                .type = "radios",
                .required = true,
                .options = requested_by},
               v.requested_by)
        .field({.name = "reason", .label_key = "lockbox.reason_label", .type = "textarea", .hint_key = "lockbox.reason_hint"},
               v.reason)
        .errors(e);
    json model = {{"heading", ctx.t("lockbox.heading", {child_name(*r)})},
                  {"consent_href", consent_href(id)},
                  {"file_href", file_href(id)},
                  {"current", current},
                  {"past", past},
                  {"form", b.build()}};
    return ctx.app.page(ctx, "lockbox.title", "consent_lockbox", model, status);
}

http::Response show_lockbox(Ctx& ctx) {
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!acting_grant(ctx) || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    return lockbox_page(ctx, *id, {}, {}, 200);
}

http::Response add_lockbox(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    const d::LockboxForm in{ctx.form("organisation_id"), ctx.form("category"), ctx.form("requested_by"), ctx.form("reason")};
    auto r = people(ctx).add_lockbox(*id, in);
    if (!r) {
        if (r.error().code == Errc::Invalid) return lockbox_page(ctx, *id, in, r.error().fields, 422);
        return refused(ctx, r.error());
    }
    return ctx.app.see_other(ctx, lockbox_href(*id), "lockbox.added");
}

http::Response revoke_lockbox(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    auto entry = d::parse_id(ctx.req.params["entry"]);
    if (!g || !id || !entry) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    auto r = people(ctx).revoke_lockbox(*id, *entry);
    if (!r) return refused(ctx, r.error());
    return ctx.app.see_other(ctx, lockbox_href(*id), "lockbox.revoked");
}

// ---------------------------------------------------------------- break-the-glass

d::BreakGlassPolicy break_glass_policy(const Ctx& ctx) {
    d::BreakGlassPolicy p;
    p.default_duration = std::chrono::minutes(ctx.app.config().break_glass_minutes);
    return p;
}

json break_glass_form(Ctx& ctx, std::int64_t id, const std::string& reason, const std::vector<FieldError>& e) {
    FormBuilder b(ctx, break_glass_href(id), "break_glass.open");
    b.field({.name = "reason",
             .label_key = "break_glass.reason_label",
             .type = "textarea",
             .required = true,
             .hint_key = "break_glass.reason_hint"},
            reason)
        .errors(e)
        .cancel("/children");
    return b.build();
}

http::Response break_glass_page(Ctx& ctx, std::int64_t id, const std::string& reason, const std::vector<FieldError>& e,
                                int status) {
    json model = {{"heading", ctx.t("break_glass.title")},
                  {"intro", ctx.t("break_glass.intro", {std::to_string(ctx.app.config().break_glass_minutes)})},
                  {"form", break_glass_form(ctx, id, reason, e)}};
    return ctx.app.page(ctx, "break_glass.title", "people_form", model, status);
}

http::Response open_break_glass(Ctx& ctx) {
    auto g = acting_grant(ctx);
    auto id = d::parse_id(ctx.req.params["id"]);
    if (!g || !id) return ctx.app.refused_audited(ctx, Error::not_found(), d::Purpose::coordination, id);
    const std::string reason = ctx.form("reason");
    auto r = people(ctx).open_break_glass(*id, reason, break_glass_policy(ctx));
    if (!r) {
        if (r.error().code == Errc::Invalid) return break_glass_page(ctx, *id, reason, r.error().fields, 422);
        return refused(ctx, r.error());
    }
    return ctx.app.see_other(ctx, file_href(*id), "break_glass.opened");
}

// ---------------------------------------------------------------- privacy officer's review

// The membership the user acts under when it is a privacy officer's.
std::optional<d::Grant> privacy_officer_grant(const Ctx& ctx) {
    if (ctx.acting && ctx.acting->role == d::Role::privacy_officer) return ctx.acting;
    return std::nullopt;
}

// The queue; `error_grant` and `error`: a review form posted without a valid note (422).
http::Response queue_page(Ctx& ctx, std::int64_t error_grant = 0, const std::string& error = {}, int status = 200) {
    auto rows = people(ctx).break_glass_queue();
    if (!rows) return refused(ctx, rows.error());
    json items = json::array();
    for (const auto& r : *rows) {
        json item = {{"grant_id", r.grant_id},
                     {"file", ctx.t("people.file_number", {std::to_string(r.person_id)})},
                     {"user", r.user_name},
                     {"organisation", pick(ctx, r.org_name_fr, r.org_name_en)},
                     {"reason", r.reason},
                     {"granted_at", r.granted_at},
                     {"expires_at", r.expires_at},
                     {"state", ctx.t(r.in_effect ? "break_glass.in_effect" : "break_glass.ended")},
                     {"flagged", ctx.t("break_glass.flagged_count", {std::to_string(r.flagged_accesses)})},
                     {"review_action", "/privacy/break-glass/" + std::to_string(r.grant_id) + "/review"},
                     {"note_id", "note-" + std::to_string(r.grant_id)}};
        if (r.child_name) item["child"] = *r.child_name;
        if (r.grant_id == error_grant) item["error"] = error;
        items.push_back(item);
    }
    json model = {{"heading", ctx.t("break_glass.queue_title")}, {"grants", items}};
    return ctx.app.page(ctx, "break_glass.queue_title", "break_glass_queue", model, status);
}

http::Response review_queue(Ctx& ctx) {
    auto g = privacy_officer_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    return queue_page(ctx);
}

http::Response review_grant(Ctx& ctx) {
    auto g = privacy_officer_grant(ctx);
    if (!g) return ctx.app.refused_audited(ctx, Error::forbidden(), d::Purpose::oversight);
    auto grant = d::parse_id(ctx.req.params["grant"]);
    if (!grant) return ctx.app.error_page(ctx, Error::not_found());
    auto r = people(ctx).review_break_glass(*grant, ctx.form("note"));
    if (!r) {
        if (r.error().code != Errc::Invalid || r.error().fields.empty()) return refused(ctx, r.error());
        const auto& f = r.error().fields.front();
        return queue_page(ctx, *grant, ctx.t(f.message_key, f.args), 422);
    }
    return ctx.app.see_other(ctx, "/privacy/break-glass", "break_glass.reviewed");
}

}  // namespace

json plain_directive(const Ctx& ctx, const store::ConsentRecord& r, const d::ConsentDirective& x, TimePoint now) {
    json orgs = json::array();
    for (auto o : x.organisations) orgs.push_back(org_name(ctx, r, o));
    return {{"organisations", joined(orgs)},
            {"categories", joined(labels(ctx, d::consentable_categories(), x.categories, "privacy.category."))},
            {"purposes", joined(labels(ctx, d::consentable_purposes(), x.purposes, "privacy.purpose."))},
            {"from", x.given_at > now ? ctx.t("consent.summary.from_later", {day_of(x.given_at)})
                                      : ctx.t("consent.summary.from_since", {day_of(x.given_at)})},
            {"until", x.expires_at ? ctx.t("consent.summary.until_day", {last_day(*x.expires_at)})
                                   : ctx.t("consent.summary.until_withdrawn")},
            {"given_by", x.given_by_name}};
}

json plain_lockbox(const Ctx& ctx, const store::ConsentRecord& r, TimePoint now) {
    json withheld = json::array();
    for (auto it = r.lockbox.rbegin(); it != r.lockbox.rend(); ++it)
        if (it->in_effect(now))
            withheld.push_back(
                ctx.t("consent.summary.withheld_item",
                      {ctx.t("privacy.category." + std::string(d::code(it->category))), org_name(ctx, r, it->organisation_id)}));
    return withheld;
}

bool consent_current(const d::ConsentDirective& x, TimePoint now) {
    return current(x, now);
}

std::string consent_organisation(const Ctx& ctx, const store::ConsentRecord& r, std::int64_t id) {
    return org_name(ctx, r, id);
}

http::Response refused_with_break_glass(Ctx& ctx, const d::Grant& g, std::int64_t person_id) {
    ctx.commit_anyway = true;  // the refusal's audit rows
    if (!d::may_break_glass(g.role)) return ctx.app.error_page(ctx, Error::forbidden());
    json model = {{"heading", ctx.t("error.title.403")},
                  {"alert", ctx.t("error.forbidden")},
                  {"intro", ctx.t("break_glass.offer", {std::to_string(ctx.app.config().break_glass_minutes)})},
                  {"form", break_glass_form(ctx, person_id, "", {})}};
    return ctx.app.page(ctx, "error.title.403", "form_page", model, 403);
}

}  // namespace people_pages

void register_consent_pages(WebApp& app) {
    using namespace people_pages;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    const auto S = Access::signed_in;
    app.route("GET", "/children/{id}/consent", {"children/consent", S, R, consent_page});
    app.route("GET", "/children/{id}/consent/new", {"children/consent/new", S, R, new_consent});
    app.route("POST", "/children/{id}/consent/new", {"children/consent/create", S, W, create_consent});
    app.route("POST", "/children/{id}/consent/{directive}/withdraw", {"children/consent/withdraw", S, W, withdraw_consent});
    app.route("GET", "/children/{id}/consent/{directive}/print", {"children/consent/print", S, R, print_consent});
    app.route("GET", "/children/{id}/consent/summary", {"children/consent/summary", S, R, consent_summary});
    app.route("GET", "/children/{id}/lockbox", {"children/lockbox", S, R, show_lockbox});
    app.route("POST", "/children/{id}/lockbox", {"children/lockbox/add", S, W, add_lockbox});
    app.route("POST", "/children/{id}/lockbox/{entry}/revoke", {"children/lockbox/revoke", S, W, revoke_lockbox});
    app.route("POST", "/children/{id}/break-glass", {"children/break_glass/open", S, W, open_break_glass});
    app.route("GET", "/privacy/break-glass", {"privacy/break_glass", S, R, review_queue});
    app.route("POST", "/privacy/break-glass/{grant}/review", {"privacy/break_glass/review", S, W, review_grant});
}

}  // namespace arrimage::web
