// Administration: service delivery areas, organisations and their sites, users, their
// memberships and invitations, and the email outbox. Records are deactivated, never deleted.
#include <algorithm>

#include "core/text.hpp"
#include "domain/identity.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

std::optional<std::int64_t> id_param(Ctx& ctx, const char* name = "id") {
    return d::parse_id(ctx.req.params[name]);
}

const std::string& pick(const Ctx& ctx, const std::string& fr, const std::string& en) {
    return ctx.lang == Lang::fr ? fr : en;
}

http::Response forbidden(Ctx& ctx) {
    return ctx.app.error_page(ctx, Error::forbidden());
}
http::Response not_found(Ctx& ctx) {
    return ctx.app.error_page(ctx, Error::not_found());
}

json link(const std::string& href, const std::string& label) {
    return {{"href", href}, {"label", label}};
}
json cell(const std::string& text, const std::string& href = {}) {
    json c = {{"text", text}};
    if (!href.empty()) c["href"] = href;
    return c;
}
json status_cell(const Ctx& ctx, bool active) {
    return cell(ctx.t(active ? "common.active" : "common.inactive"));
}

http::Response list_page(Ctx& ctx, const std::string& title_key, json columns, json rows, json actions,
                         json extra = json::object()) {
    json model = extra;
    model["heading"] = ctx.t(title_key);
    model["columns"] = columns;
    model["rows"] = rows;
    model["actions"] = actions;
    model["empty"] = rows.empty();
    return ctx.app.page(ctx, title_key, "list", model);
}

http::Response form_page(Ctx& ctx, const std::string& title_key, json form, int status = 200) {
    return ctx.app.page(ctx, title_key, "form_page", {{"form", form}, {"heading", ctx.t(title_key)}}, status);
}

// A POST that flips `active`: deactivate or reactivate.
template <typename Check, typename Apply>
PageHandler toggle(bool active, Check check, Apply apply, std::string back) {
    return [=](Ctx& ctx) -> http::Response {
        auto id = id_param(ctx);
        if (!id) return not_found(ctx);
        auto allowed = check(ctx, *id);
        if (!allowed) return ctx.app.error_page(ctx, allowed.error());
        auto r = apply(ctx, *id, active);
        if (!r) return ctx.app.error_page(ctx, r.error());
        std::string target = back;
        auto pos = target.find("{id}");
        if (pos != std::string::npos) target.replace(pos, 4, std::to_string(*allowed));
        return ctx.app.see_other(ctx, target, active ? "common.reactivated" : "common.deactivated");
    };
}

// ---------------------------------------------------------------- SDAs

// A coordinating-agency administrator edits their area's names; the code, which scripts and
// imports name the area by, stays with system administrators.
json sda_form(Ctx& ctx, const std::string& action, const d::SdaForm& v, const std::vector<FieldError>& e) {
    FormBuilder f(ctx, action, "common.save");
    if (d::can_manage_sdas(ctx.principal))
        f.field({.name = "code", .label_key = "sda.code", .required = true, .hint_key = "sda.code_hint"}, v.code);
    f.field({.name = "name_fr", .label_key = "common.name_fr", .required = true}, v.name_fr)
        .field({.name = "name_en", .label_key = "common.name_en", .required = true}, v.name_en)
        .errors(e)
        .cancel("/admin/sdas");
    return f.build();
}

d::SdaForm sda_input(const Ctx& ctx) {
    return {ctx.form("code"), ctx.form("name_fr"), ctx.form("name_en")};
}

http::Response list_sdas(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    json rows = json::array();
    const bool manage = d::can_manage_sdas(ctx.principal);
    for (const auto& s : ctx.identity().list_sdas(true)) {
        const bool edit = d::can_edit_sda(ctx.principal, s.id);
        json r = {{"cells", json::array({cell(s.code),
                                         cell(pick(ctx, s.name_fr, s.name_en),
                                              edit ? "/admin/sdas/" + std::to_string(s.id) + "/edit" : ""),
                                         status_cell(ctx, s.active)})}};
        if (manage) {
            r["post_action"] = {{"href", "/admin/sdas/" + std::to_string(s.id) + (s.active ? "/deactivate" : "/reactivate")},
                                {"label", ctx.t(s.active ? "common.deactivate" : "common.reactivate")}};
        }
        rows.push_back(r);
    }
    json actions = json::array();
    if (manage) actions.push_back(link("/admin/sdas/new", ctx.t("sda.new")));
    return list_page(ctx, "sda.list_title", json::array({ctx.t("sda.code"), ctx.t("common.name"), ctx.t("common.status")}), rows,
                     actions);
}

http::Response new_sda(Ctx& ctx) {
    if (!d::can_manage_sdas(ctx.principal)) return forbidden(ctx);
    return form_page(ctx, "sda.new", sda_form(ctx, "/admin/sdas/new", {}, {}));
}

http::Response create_sda(Ctx& ctx) {
    if (!d::can_manage_sdas(ctx.principal)) return forbidden(ctx);
    const auto in = sda_input(ctx);
    d::Sda sda;
    auto e = d::validate(in, sda);
    if (e.empty()) {
        auto r = ctx.identity().create_sda(sda, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, "/admin/sdas", "common.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "sda.new", sda_form(ctx, "/admin/sdas/new", in, e), 422);
}

http::Response edit_sda(Ctx& ctx) {
    auto id = id_param(ctx);
    if (id && !d::can_edit_sda(ctx.principal, *id)) return forbidden(ctx);
    auto s = id ? ctx.identity().find_sda(*id) : std::nullopt;
    if (!s) return not_found(ctx);
    return form_page(ctx, "sda.edit",
                     sda_form(ctx, "/admin/sdas/" + std::to_string(*id) + "/edit", {s->code, s->name_fr, s->name_en}, {}));
}

http::Response update_sda(Ctx& ctx) {
    auto id = id_param(ctx);
    if (id && !d::can_edit_sda(ctx.principal, *id)) return forbidden(ctx);
    auto existing = id ? ctx.identity().find_sda(*id) : std::nullopt;
    if (!existing) return not_found(ctx);
    auto in = sda_input(ctx);
    if (!d::can_manage_sdas(ctx.principal)) in.code = existing->code;
    d::Sda sda;
    auto e = d::validate(in, sda);
    if (e.empty()) {
        auto r = ctx.identity().update_sda(*id, sda, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, "/admin/sdas", "common.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "sda.edit", sda_form(ctx, "/admin/sdas/" + std::to_string(*id) + "/edit", in, e), 422);
}

std::vector<Option> sda_options(Ctx& ctx) {
    std::vector<Option> out;
    for (const auto& s : ctx.identity().list_sdas(false))
        if (d::can_manage_organisations(ctx.principal, s.id))
            out.push_back({std::to_string(s.id), s.code + " — " + pick(ctx, s.name_fr, s.name_en)});
    return out;
}

d::OrganisationForm org_input(const Ctx& ctx) {
    d::OrganisationForm in;
    in.sda_id = ctx.form("sda_id");
    in.name_fr = ctx.form("name_fr");
    in.name_en = ctx.form("name_en");
    in.sector = ctx.form("sector");
    in.csp_roles = ctx.form_all("csp_roles");
    in.fls_designated = ctx.form("fls_designated") == "1";
    in.email = ctx.form("email");
    in.phone = ctx.form("phone");
    in.website = ctx.form("website");
    return in;
}

json org_form(Ctx& ctx, const std::string& action, const d::OrganisationForm& v, const std::vector<FieldError>& e,
              const std::string& cancel) {
    FormBuilder f(ctx, action, "common.save");
    f.field({.name = "sda_id", .label_key = "org.sda", .type = "select", .required = true, .options = sda_options(ctx)}, v.sda_id)
        .field({.name = "name_fr", .label_key = "common.name_fr", .required = true}, v.name_fr)
        .field({.name = "name_en", .label_key = "common.name_en", .required = true}, v.name_en)
        .field({.name = "sector", .label_key = "org.sector", .type = "select", .required = true, .options = sector_options(ctx)},
               v.sector)
        .multi({.name = "csp_roles",
                .label_key = "org.csp_roles",
                .type = "checkboxes",
                .required = true,
                .options = csp_role_options(ctx)},
               v.csp_roles)
        .field({.name = "fls_designated", .label_key = "org.fls_designated", .type = "checkbox", .hint_key = "org.fls_hint"},
               v.fls_designated ? "1" : "")
        .field({.name = "email", .label_key = "org.email", .type = "email", .autocomplete = "email"}, v.email)
        .field({.name = "phone", .label_key = "org.phone", .type = "tel", .hint_key = "org.phone_hint", .autocomplete = "tel"},
               v.phone)
        .field({.name = "website", .label_key = "org.website", .type = "url", .hint_key = "org.website_hint"}, v.website)
        .errors(e)
        .cancel(cancel);
    return f.build();
}

http::Response list_orgs(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    json rows = json::array();
    std::vector<store::OrganisationRow> orgs;
    if (ctx.principal.is_system_admin()) {
        orgs = ctx.identity().list_organisations(std::nullopt, true);
    } else {
        for (auto sda : ctx.principal.ca_admin_sdas()) {
            auto more = ctx.identity().list_organisations(sda, true);
            orgs.insert(orgs.end(), more.begin(), more.end());
        }
    }
    for (const auto& o : orgs) {
        std::string roles;
        for (const auto& r : o.csp_roles) roles += (roles.empty() ? "" : ", ") + ctx.t("csp_role." + r);
        rows.push_back(
            {{"cells", json::array({cell(pick(ctx, o.name_fr, o.name_en), "/admin/organisations/" + std::to_string(o.id)),
                                    cell(o.sda_code), cell(ctx.t("sector." + o.sector)), cell(roles),
                                    cell(ctx.t(o.fls_designated ? "common.yes" : "common.no")), status_cell(ctx, o.active)})}});
    }
    return list_page(ctx, "org.list_title",
                     json::array({ctx.t("common.name"), ctx.t("org.sda"), ctx.t("org.sector"), ctx.t("org.csp_roles"),
                                  ctx.t("org.fls_short"), ctx.t("common.status")}),
                     rows, json::array({link("/admin/organisations/new", ctx.t("org.new"))}));
}

http::Response new_org(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    return form_page(ctx, "org.new", org_form(ctx, "/admin/organisations/new", {}, {}, "/admin/organisations"));
}

http::Response create_org(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    const auto in = org_input(ctx);
    d::Organisation org;
    auto e = d::validate(in, org);
    if (e.empty() && !d::can_manage_organisations(ctx.principal, org.sda_id)) e.push_back({"sda_id", "field.choose_one", {}});
    if (e.empty()) {
        auto r = ctx.identity().create_organisation(org, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, "/admin/organisations/" + std::to_string(*r), "common.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "org.new", org_form(ctx, "/admin/organisations/new", in, e, "/admin/organisations"), 422);
}

// The organisation, if the viewer may manage it.
Result<store::OrganisationRow> managed_org(Ctx& ctx, std::optional<std::int64_t> id) {
    auto o = id ? ctx.identity().find_organisation(*id) : std::nullopt;
    if (!o) return Error::not_found();
    if (!d::can_manage_organisations(ctx.principal, o->sda_id)) return Error::forbidden();
    return *o;
}

http::Response show_org(Ctx& ctx) {
    auto o = managed_org(ctx, id_param(ctx));
    if (!o) return ctx.app.error_page(ctx, o.error());
    const std::string base = "/admin/organisations/" + std::to_string(o->id);
    std::string roles;
    for (const auto& r : o->csp_roles) roles += (roles.empty() ? "" : ", ") + ctx.t("csp_role." + r);
    json details = json::array({
        {{"label", ctx.t("common.name_fr")}, {"value", o->name_fr}},
        {{"label", ctx.t("common.name_en")}, {"value", o->name_en}},
        {{"label", ctx.t("org.sda")}, {"value", o->sda_code}},
        {{"label", ctx.t("org.sector")}, {"value", ctx.t("sector." + o->sector)}},
        {{"label", ctx.t("org.csp_roles")}, {"value", roles}},
        {{"label", ctx.t("org.fls_designated")}, {"value", ctx.t(o->fls_designated ? "common.yes" : "common.no")}},
        {{"label", ctx.t("org.email")}, {"value", o->email}},
        {{"label", ctx.t("org.phone")}, {"value", o->phone}},
        {{"label", ctx.t("org.website")}, {"value", o->website}},
        {{"label", ctx.t("common.status")}, {"value", ctx.t(o->active ? "common.active" : "common.inactive")}},
    });
    json sites = json::array();
    for (const auto& s : ctx.identity().list_sites(o->id)) {
        sites.push_back(
            {{"name", pick(ctx, s.name_fr, s.name_en)},
             {"address", s.address + (s.city.empty() ? "" : ", " + s.city) + (s.postal_code.empty() ? "" : " " + s.postal_code)},
             {"status", ctx.t(s.active ? "common.active" : "common.inactive")},
             {"edit_href", "/admin/sites/" + std::to_string(s.id) + "/edit"},
             {"toggle_href", "/admin/sites/" + std::to_string(s.id) + (s.active ? "/deactivate" : "/reactivate")},
             {"toggle_label", ctx.t(s.active ? "common.deactivate" : "common.reactivate")}});
    }
    store::UserQuery q;
    q.organisation_id = o->id;
    q.include_inactive = true;
    json members = json::array();
    for (const auto& u : ctx.identity().list_users(ctx.principal, q))
        members.push_back({{"name", u.display_name},
                           {"href", "/admin/users/" + std::to_string(u.id)},
                           {"status", ctx.t(u.active ? "common.active" : "common.inactive")}});
    json model = {{"heading", pick(ctx, o->name_fr, o->name_en)},
                  {"details", details},
                  {"sites", sites},
                  {"members", members},
                  {"edit_href", base + "/edit"},
                  {"new_site_href", base + "/sites/new"},
                  {"toggle_href", base + (o->active ? "/deactivate" : "/reactivate")},
                  {"toggle_label", ctx.t(o->active ? "common.deactivate" : "common.reactivate")}};
    return ctx.app.page(ctx, "org.view_title", "organisation", model);
}

d::OrganisationForm org_values(const store::OrganisationRow& o) {
    d::OrganisationForm v;
    v.sda_id = std::to_string(o.sda_id);
    v.name_fr = o.name_fr;
    v.name_en = o.name_en;
    v.sector = o.sector;
    v.csp_roles = o.csp_roles;
    v.fls_designated = o.fls_designated;
    v.email = o.email;
    v.phone = o.phone;
    v.website = o.website;
    return v;
}

http::Response edit_org(Ctx& ctx) {
    auto o = managed_org(ctx, id_param(ctx));
    if (!o) return ctx.app.error_page(ctx, o.error());
    const std::string base = "/admin/organisations/" + std::to_string(o->id);
    return form_page(ctx, "org.edit", org_form(ctx, base + "/edit", org_values(*o), {}, base));
}

http::Response update_org(Ctx& ctx) {
    auto o = managed_org(ctx, id_param(ctx));
    if (!o) return ctx.app.error_page(ctx, o.error());
    const std::string base = "/admin/organisations/" + std::to_string(o->id);
    const auto in = org_input(ctx);
    d::Organisation org;
    auto e = d::validate(in, org);
    if (e.empty() && !d::can_manage_organisations(ctx.principal, org.sda_id)) e.push_back({"sda_id", "field.choose_one", {}});
    if (e.empty()) {
        auto r = ctx.identity().update_organisation(o->id, org, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, base, "common.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "org.edit", org_form(ctx, base + "/edit", in, e, base), 422);
}

// ---------------------------------------------------------------- sites

json site_form(Ctx& ctx, const std::string& action, const d::SiteForm& v, const std::vector<FieldError>& e,
               const std::string& cancel) {
    FormBuilder f(ctx, action, "common.save");
    f.field({.name = "name_fr", .label_key = "common.name_fr", .required = true}, v.name_fr)
        .field({.name = "name_en", .label_key = "common.name_en", .required = true}, v.name_en)
        .field({.name = "address", .label_key = "site.address", .autocomplete = "street-address"}, v.address)
        .field({.name = "city", .label_key = "site.city", .autocomplete = "address-level2"}, v.city)
        .field({.name = "postal_code",
                .label_key = "site.postal_code",
                .hint_key = "site.postal_code_hint",
                .autocomplete = "postal-code"},
               v.postal_code)
        .errors(e)
        .cancel(cancel);
    return f.build();
}

d::SiteForm site_input(const Ctx& ctx) {
    return {ctx.form("name_fr"), ctx.form("name_en"), ctx.form("address"), ctx.form("city"), ctx.form("postal_code")};
}

http::Response new_site(Ctx& ctx) {
    auto o = managed_org(ctx, id_param(ctx));
    if (!o) return ctx.app.error_page(ctx, o.error());
    const std::string base = "/admin/organisations/" + std::to_string(o->id);
    return form_page(ctx, "site.new", site_form(ctx, base + "/sites/new", {}, {}, base));
}

http::Response create_site(Ctx& ctx) {
    auto o = managed_org(ctx, id_param(ctx));
    if (!o) return ctx.app.error_page(ctx, o.error());
    const std::string base = "/admin/organisations/" + std::to_string(o->id);
    const auto in = site_input(ctx);
    d::Site site;
    auto e = d::validate(in, site);
    if (e.empty()) {
        auto r = ctx.identity().create_site(o->id, site, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, base, "common.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "site.new", site_form(ctx, base + "/sites/new", in, e, base), 422);
}

Result<std::int64_t> site_org_check(Ctx& ctx, std::int64_t site_id) {
    auto s = ctx.identity().find_site(site_id);
    if (!s) return Error::not_found();
    auto o = managed_org(ctx, s->organisation_id);
    if (!o) return o.error();
    return o->id;
}

http::Response edit_site(Ctx& ctx) {
    auto id = id_param(ctx);
    auto s = id ? ctx.identity().find_site(*id) : std::nullopt;
    if (!s) return not_found(ctx);
    auto o = managed_org(ctx, s->organisation_id);
    if (!o) return ctx.app.error_page(ctx, o.error());
    return form_page(ctx, "site.edit",
                     site_form(ctx, "/admin/sites/" + std::to_string(s->id) + "/edit",
                               {s->name_fr, s->name_en, s->address, s->city, s->postal_code}, {},
                               "/admin/organisations/" + std::to_string(o->id)));
}

http::Response update_site(Ctx& ctx) {
    auto id = id_param(ctx);
    auto s = id ? ctx.identity().find_site(*id) : std::nullopt;
    if (!s) return not_found(ctx);
    auto o = managed_org(ctx, s->organisation_id);
    if (!o) return ctx.app.error_page(ctx, o.error());
    const std::string back = "/admin/organisations/" + std::to_string(o->id);
    const auto in = site_input(ctx);
    d::Site site;
    auto e = d::validate(in, site);
    if (e.empty()) {
        auto r = ctx.identity().update_site(s->id, site, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, back, "common.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "site.edit", site_form(ctx, "/admin/sites/" + std::to_string(s->id) + "/edit", in, e, back), 422);
}

// ---------------------------------------------------------------- users

std::vector<Option> org_options(Ctx& ctx) {
    std::vector<Option> out;
    for (const auto& o : ctx.identity().list_organisations(std::nullopt, false))
        if (d::can_manage_users(ctx.principal, o.sda_id))
            out.push_back({std::to_string(o.id), pick(ctx, o.name_fr, o.name_en) + " (" + o.sda_code + ")"});
    return out;
}

http::Response list_users(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    store::UserQuery q;
    q.text = trim(ctx.req.query_param("q"));
    if (!valid_utf8(q.text) || q.text.size() > 200) q.text.clear();
    q.include_inactive = ctx.req.query_param("inactive") == "1";
    json rows = json::array();
    for (const auto& u : ctx.identity().list_users(ctx.principal, q)) {
        rows.push_back(
            {{"cells", json::array({cell(u.display_name, "/admin/users/" + std::to_string(u.id)), cell(u.email),
                                    cell(ctx.app.catalogue().t(parse_lang(u.preferred_lang).value_or(Lang::en), "lang.self")),
                                    cell(ctx.t(u.totp_enabled ? "common.yes" : "common.no")), status_cell(ctx, u.active)})}});
    }
    json search = {{"q", q.text}, {"inactive", q.include_inactive}};
    return list_page(ctx, "user.list_title",
                     json::array({ctx.t("user.display_name"), ctx.t("user.email"), ctx.t("user.preferred_lang"),
                                  ctx.t("user.mfa"), ctx.t("common.status")}),
                     rows, json::array({link("/admin/users/new", ctx.t("user.new"))}), {{"search", search}});
}

json new_user_form(Ctx& ctx, const std::vector<std::pair<std::string, std::string>>& v, const std::vector<FieldError>& e) {
    auto val = [&](const char* k) {
        for (const auto& [key, value] : v)
            if (key == k) return value;
        return std::string();
    };
    FormBuilder f(ctx, "/admin/users/new", "user.invite");
    f.field({.name = "display_name", .label_key = "user.display_name", .required = true}, val("display_name"))
        .field({.name = "email", .label_key = "user.email", .type = "email", .required = true}, val("email"))
        .field({.name = "preferred_lang",
                .label_key = "user.preferred_lang",
                .type = "radios",
                .required = true,
                .options = lang_options(ctx)},
               val("preferred_lang").empty() ? std::string(code(ctx.lang)) : val("preferred_lang"))
        .field({.name = "organisation_id",
                .label_key = "membership.organisation",
                .type = "select",
                .required = true,
                .options = org_options(ctx)},
               val("organisation_id"))
        .field({.name = "role",
                .label_key = "membership.role",
                .type = "select",
                .required = true,
                .options = role_options(ctx, ctx.principal.is_system_admin())},
               val("role"))
        .errors(e)
        .cancel("/admin/users");
    return f.build();
}

http::Response new_user(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    return form_page(ctx, "user.new", new_user_form(ctx, {}, {}));
}

// Checks that the viewer may give this membership (organisation in their scope, role grantable).
std::vector<FieldError> check_grant(Ctx& ctx, const d::Membership& m) {
    auto o = ctx.identity().find_organisation(m.organisation_id);
    if (!o || !o->active || !d::can_manage_users(ctx.principal, o->sda_id)) return {{"organisation_id", "field.choose_one", {}}};
    if (!d::can_grant(ctx.principal, m.role, o->sda_id)) return {{"role", "membership.cannot_grant", {}}};
    return {};
}

http::Response create_user(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    d::User u;
    d::Membership m;
    auto e = d::validate(d::UserForm{ctx.form("email"), ctx.form("display_name"), ctx.form("preferred_lang")}, u);
    auto me = d::validate(d::MembershipForm{ctx.form("organisation_id"), ctx.form("role")}, m);
    e.insert(e.end(), me.begin(), me.end());
    if (me.empty()) {
        auto ge = check_grant(ctx, m);
        e.insert(e.end(), ge.begin(), ge.end());
    }
    if (e.empty()) {
        auto id = ctx.identity().create_user(u, ctx.user->id);
        if (id) {
            auto added = ctx.identity().add_membership(*id, m, ctx.user->id);
            if (added) {
                issue_token(ctx, *id, "invite");
                return ctx.app.see_other(ctx, "/admin/users/" + std::to_string(*id), "user.invited");
            }
            e = added.error().fields;
        } else {
            e = id.error().fields;
        }
    }
    return form_page(ctx, "user.new", new_user_form(ctx, ctx.fields, e), 422);
}

Result<store::UserRow> managed_user(Ctx& ctx) {
    auto id = id_param(ctx);
    if (!id) return Error::not_found();
    // Out of scope and missing look the same: no probing for who exists.
    auto u = ctx.identity().find_user_for(ctx.principal, *id);
    if (!u) return Error::not_found();
    return *u;
}

json membership_form(Ctx& ctx, std::int64_t user_id, const d::MembershipForm& v, const std::vector<FieldError>& e) {
    FormBuilder f(ctx, "/admin/users/" + std::to_string(user_id) + "/memberships", "membership.add");
    f.field({.name = "organisation_id",
             .label_key = "membership.organisation",
             .type = "select",
             .required = true,
             .options = org_options(ctx)},
            v.organisation_id)
        .field({.name = "role",
                .label_key = "membership.role",
                .type = "select",
                .required = true,
                .options = role_options(ctx, ctx.principal.is_system_admin())},
               v.role)
        .errors(e);
    return f.build();
}

http::Response user_page(Ctx& ctx, const store::UserRow& u, json membership_form_model, int status) {
    const std::string base = "/admin/users/" + std::to_string(u.id);
    json memberships = json::array();
    for (const auto& m : ctx.identity().memberships_of(u.id)) {
        json row = {{"organisation", pick(ctx, m.org_name_fr, m.org_name_en)},
                    {"role", ctx.t("role." + m.role)},
                    {"status", ctx.t(m.active ? "common.active" : "common.inactive")}};
        auto role = d::parse_role(m.role);
        if (role && d::can_grant(ctx.principal, *role, m.sda_id)) {
            row["toggle_href"] = "/admin/memberships/" + std::to_string(m.id) + (m.active ? "/deactivate" : "/reactivate");
            row["toggle_label"] = ctx.t(m.active ? "common.deactivate" : "common.reactivate");
        }
        memberships.push_back(row);
    }
    json details = json::array({
        {{"label", ctx.t("user.email")}, {"value", u.email}},
        {{"label", ctx.t("user.preferred_lang")},
         {"value", ctx.app.catalogue().t(parse_lang(u.preferred_lang).value_or(Lang::en), "lang.self")}},
        {{"label", ctx.t("user.mfa")}, {"value", ctx.t(u.totp_enabled ? "common.yes" : "common.no")}},
        {{"label", ctx.t("user.password_set")}, {"value", ctx.t(u.has_password ? "common.yes" : "user.invitation_pending")}},
        {{"label", ctx.t("user.last_login")}, {"value", u.last_login_at.empty() ? ctx.t("common.never") : u.last_login_at}},
        {{"label", ctx.t("common.status")}, {"value", ctx.t(u.active ? "common.active" : "common.inactive")}},
    });
    json model = {{"heading", u.display_name},
                  {"details", details},
                  {"memberships", memberships},
                  {"membership_form", membership_form_model},
                  {"edit_href", base + "/edit"},
                  {"invite_href", base + "/invite"},
                  {"is_self", ctx.user && ctx.user->id == u.id}};
    if (!(ctx.user && ctx.user->id == u.id)) {
        model["toggle_href"] = base + (u.active ? "/deactivate" : "/reactivate");
        model["toggle_label"] = ctx.t(u.active ? "common.deactivate" : "common.reactivate");
    }
    return ctx.app.page(ctx, "user.view_title", "user", model, status);
}

http::Response show_user(Ctx& ctx) {
    auto u = managed_user(ctx);
    if (!u) return ctx.app.error_page(ctx, u.error());
    return user_page(ctx, *u, membership_form(ctx, u->id, {}, {}), 200);
}

json edit_user_form(Ctx& ctx, std::int64_t id, const d::UserForm& v, const std::vector<FieldError>& e) {
    FormBuilder f(ctx, "/admin/users/" + std::to_string(id) + "/edit", "common.save");
    f.field({.name = "display_name", .label_key = "user.display_name", .required = true}, v.display_name)
        .field({.name = "email", .label_key = "user.email", .type = "email", .required = true}, v.email)
        .field({.name = "preferred_lang",
                .label_key = "user.preferred_lang",
                .type = "radios",
                .required = true,
                .options = lang_options(ctx)},
               v.preferred_lang)
        .errors(e)
        .cancel("/admin/users/" + std::to_string(id));
    return f.build();
}

http::Response edit_user(Ctx& ctx) {
    auto u = managed_user(ctx);
    if (!u) return ctx.app.error_page(ctx, u.error());
    return form_page(ctx, "user.edit", edit_user_form(ctx, u->id, {u->email, u->display_name, u->preferred_lang}, {}));
}

http::Response update_user(Ctx& ctx) {
    auto u = managed_user(ctx);
    if (!u) return ctx.app.error_page(ctx, u.error());
    const d::UserForm in{ctx.form("email"), ctx.form("display_name"), ctx.form("preferred_lang")};
    d::User user;
    auto e = d::validate(in, user);
    if (e.empty()) {
        auto r = ctx.identity().update_user(u->id, user, ctx.user->id);
        if (r) {
            // The old address hears of it: a change made by someone else cannot go unnoticed.
            if (u->email != user.email) {
                const Lang lang = parse_lang(u->preferred_lang).value_or(Lang::en);
                const auto& cat = ctx.app.catalogue();
                ctx.auth().enqueue_email(u->email, cat.t(lang, "email.email_changed.subject"),
                                         cat.t(lang, "email.email_changed.body", {u->display_name, user.email}));
            }
            return ctx.app.see_other(ctx, "/admin/users/" + std::to_string(u->id), "common.saved");
        }
        e = r.error().fields;
    }
    return form_page(ctx, "user.edit", edit_user_form(ctx, u->id, in, e), 422);
}

http::Response add_membership(Ctx& ctx) {
    auto u = managed_user(ctx);
    if (!u) return ctx.app.error_page(ctx, u.error());
    const d::MembershipForm in{ctx.form("organisation_id"), ctx.form("role")};
    d::Membership m;
    auto e = d::validate(in, m);
    if (e.empty()) e = check_grant(ctx, m);
    if (e.empty()) {
        auto r = ctx.identity().add_membership(u->id, m, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, "/admin/users/" + std::to_string(u->id), "common.saved");
        e = r.error().fields;
    }
    return user_page(ctx, *u, membership_form(ctx, u->id, in, e), 422);
}

http::Response resend_invitation(Ctx& ctx) {
    auto u = managed_user(ctx);
    if (!u) return ctx.app.error_page(ctx, u.error());
    if (!u->active) return ctx.app.error_page(ctx, Error{Errc::Conflict, "user.inactive_no_invite", {}, {}});
    issue_token(ctx, u->id, u->has_password ? "reset" : "invite");
    ctx.identity().record_admin_event(ctx.user->id, "send_sign_in_link", "user", u->id);
    return ctx.app.see_other(ctx, "/admin/users/" + std::to_string(u->id), "user.invited");
}

// ---------------------------------------------------------------- outbox

http::Response outbox(Ctx& ctx) {
    if (!d::can_view_outbox(ctx.principal)) return forbidden(ctx);
    json rows = json::array();
    for (const auto& m : ctx.auth().list_outbox(100)) {
        rows.push_back({{"created_at", m.created_at},
                        {"to", m.to},
                        {"subject", m.subject},
                        {"body", ctx.app.config().dev_mode ? m.body : std::string()},
                        {"status", m.sent_at.empty() ? (m.last_error.empty() ? ctx.t("outbox.queued") : ctx.t("outbox.failed"))
                                                     : ctx.t("outbox.sent")}});
    }
    return ctx.app.page(ctx, "outbox.title", "outbox",
                        {{"messages", rows}, {"empty", rows.empty()}, {"dev_mode", ctx.app.config().dev_mode}});
}

http::Response admin_home(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    json links =
        json::array({link("/admin/organisations", ctx.t("org.list_title")), link("/admin/users", ctx.t("user.list_title")),
                     link("/admin/sdas", ctx.t("sda.list_title")), link("/admin/api-clients", ctx.t("api_client.list_title"))});
    if (d::can_view_outbox(ctx.principal)) links.push_back(link("/admin/outbox", ctx.t("outbox.title")));
    return ctx.app.page(ctx, "admin.title", "admin", {{"links", links}});
}

}  // namespace

void register_admin_pages(WebApp& app) {
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    const auto S = Access::signed_in;
    app.route("GET", "/admin", {"admin", S, R, admin_home});

    app.route("GET", "/admin/sdas", {"admin/sdas", S, R, list_sdas});
    app.route("GET", "/admin/sdas/new", {"admin/sdas/new", S, R, new_sda});
    app.route("POST", "/admin/sdas/new", {"admin/sdas/create", S, W, create_sda});
    app.route("GET", "/admin/sdas/{id}/edit", {"admin/sdas/edit", S, R, edit_sda});
    app.route("POST", "/admin/sdas/{id}/edit", {"admin/sdas/update", S, W, update_sda});
    auto sda_check = [](Ctx& ctx, std::int64_t id) -> Result<std::int64_t> {
        if (!d::can_manage_sdas(ctx.principal)) return Error::forbidden();
        return id;
    };
    auto sda_apply = [](Ctx& ctx, std::int64_t id, bool active) {
        return ctx.identity().set_sda_active(id, active, ctx.user->id);
    };
    app.route("POST", "/admin/sdas/{id}/deactivate",
              {"admin/sdas/deactivate", S, W, toggle(false, sda_check, sda_apply, "/admin/sdas")});
    app.route("POST", "/admin/sdas/{id}/reactivate",
              {"admin/sdas/reactivate", S, W, toggle(true, sda_check, sda_apply, "/admin/sdas")});

    app.route("GET", "/admin/organisations", {"admin/orgs", S, R, list_orgs});
    app.route("GET", "/admin/organisations/new", {"admin/orgs/new", S, R, new_org});
    app.route("POST", "/admin/organisations/new", {"admin/orgs/create", S, W, create_org});
    app.route("GET", "/admin/organisations/{id}", {"admin/orgs/view", S, R, show_org});
    app.route("GET", "/admin/organisations/{id}/edit", {"admin/orgs/edit", S, R, edit_org});
    app.route("POST", "/admin/organisations/{id}/edit", {"admin/orgs/update", S, W, update_org});
    auto org_check = [](Ctx& ctx, std::int64_t id) -> Result<std::int64_t> {
        auto o = managed_org(ctx, id);
        if (!o) return o.error();
        return o->id;
    };
    auto org_apply = [](Ctx& ctx, std::int64_t id, bool active) {
        return ctx.identity().set_organisation_active(id, active, ctx.user->id);
    };
    app.route("POST", "/admin/organisations/{id}/deactivate",
              {"admin/orgs/deactivate", S, W, toggle(false, org_check, org_apply, "/admin/organisations/{id}")});
    app.route("POST", "/admin/organisations/{id}/reactivate",
              {"admin/orgs/reactivate", S, W, toggle(true, org_check, org_apply, "/admin/organisations/{id}")});
    app.route("GET", "/admin/organisations/{id}/sites/new", {"admin/sites/new", S, R, new_site});
    app.route("POST", "/admin/organisations/{id}/sites/new", {"admin/sites/create", S, W, create_site});
    app.route("GET", "/admin/sites/{id}/edit", {"admin/sites/edit", S, R, edit_site});
    app.route("POST", "/admin/sites/{id}/edit", {"admin/sites/update", S, W, update_site});
    auto site_apply = [](Ctx& ctx, std::int64_t id, bool active) {
        return ctx.identity().set_site_active(id, active, ctx.user->id);
    };
    app.route("POST", "/admin/sites/{id}/deactivate",
              {"admin/sites/deactivate", S, W, toggle(false, site_org_check, site_apply, "/admin/organisations/{id}")});
    app.route("POST", "/admin/sites/{id}/reactivate",
              {"admin/sites/reactivate", S, W, toggle(true, site_org_check, site_apply, "/admin/organisations/{id}")});

    app.route("GET", "/admin/users", {"admin/users", S, R, list_users});
    app.route("GET", "/admin/users/new", {"admin/users/new", S, R, new_user});
    app.route("POST", "/admin/users/new", {"admin/users/create", S, W, create_user});
    app.route("GET", "/admin/users/{id}", {"admin/users/view", S, R, show_user});
    app.route("GET", "/admin/users/{id}/edit", {"admin/users/edit", S, R, edit_user});
    app.route("POST", "/admin/users/{id}/edit", {"admin/users/update", S, W, update_user});
    app.route("POST", "/admin/users/{id}/memberships", {"admin/users/memberships", S, W, add_membership});
    app.route("POST", "/admin/users/{id}/invite", {"admin/users/invite", S, W, resend_invitation});
    auto user_check = [](Ctx& ctx, std::int64_t id) -> Result<std::int64_t> {
        if (!ctx.identity().find_user_for(ctx.principal, id)) return Error::not_found();
        if (ctx.user->id == id) return Error{Errc::Conflict, "user.cannot_deactivate_self", {}, {}};
        return id;
    };
    auto user_apply = [](Ctx& ctx, std::int64_t id, bool active) {
        auto r = ctx.identity().set_user_active(id, active, ctx.user->id);
        // A deactivated account's sessions end now: reactivating it later does not bring them back.
        if (r.ok() && !active) ctx.auth().revoke_user_sessions(id);
        return r;
    };
    app.route("POST", "/admin/users/{id}/deactivate",
              {"admin/users/deactivate", S, W, toggle(false, user_check, user_apply, "/admin/users/{id}")});
    app.route("POST", "/admin/users/{id}/reactivate",
              {"admin/users/reactivate", S, W, toggle(true, user_check, user_apply, "/admin/users/{id}")});
    auto membership_check = [](Ctx& ctx, std::int64_t id) -> Result<std::int64_t> {
        auto m = ctx.identity().find_membership(id);
        if (!m || !ctx.identity().find_user_for(ctx.principal, m->user_id)) return Error::not_found();
        auto role = d::parse_role(m->role);
        if (!role || !d::can_grant(ctx.principal, *role, m->sda_id)) return Error::forbidden();
        return m->user_id;
    };
    auto membership_apply = [](Ctx& ctx, std::int64_t id, bool active) {
        return ctx.identity().set_membership_active(id, active, ctx.user->id);
    };
    app.route("POST", "/admin/memberships/{id}/deactivate",
              {"admin/memberships/deactivate", S, W, toggle(false, membership_check, membership_apply, "/admin/users/{id}")});
    app.route("POST", "/admin/memberships/{id}/reactivate",
              {"admin/memberships/reactivate", S, W, toggle(true, membership_check, membership_apply, "/admin/users/{id}")});

    app.route("GET", "/admin/outbox", {"admin/outbox", S, R, outbox});
}

}  // namespace arrimage::web
