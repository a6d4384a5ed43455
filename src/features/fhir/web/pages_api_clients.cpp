// The administrators' pages for the FHIR API's clients (store::ApiClientRepo, docs/FHIR.md):
//
//   /admin/api-clients                  the clients of the organisations the reader administers,
//                                       filtered by organisation
//   /admin/api-clients/new, POST …      registration: organisation, name, role, and what it may
//                                       read and search, ticked per resource type (the scopes'
//                                       text is written here, never typed); the secret is shown
//                                       once, on the answer to the POST
//   /admin/api-clients/{id}             a client: what it is, its history, a new secret, revocation
//   /admin/api-clients/{id}/secret      the confirmation (the current secret and the client's
//                                       tokens stop working at once), then the POST that issues
//                                       a new secret, shown once on its answer
//   /admin/api-clients/{id}/revoke      the confirmation, then the POST that revokes it for good
//
// The repository decides who may do what (the system administrators and the area's
// coordinating-agency administrators, for the organisations they administer); the pages only
// keep away the users who administer nothing, with the same refusal as the other
// administration pages. A client outside the reader's areas, an unknown one and an id that is
// not one are the same "not found". A secret is never written anywhere but the one answer that
// shows it.
#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/access.hpp"
#include "domain/identity.hpp"
#include "features/fhir/domain/fhir.hpp"
#include "features/fhir/store/api_client_repo.hpp"
#include "features/fhir/web/fhir_pages.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/view.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

const std::string list_href = "/admin/api-clients";

std::string client_href(std::int64_t id) {
    return list_href + "/" + std::to_string(id);
}

store::ApiClientRepo clients(Ctx& ctx) {
    return store::ApiClientRepo(ctx.tx, ctx.app.clock(), ctx.app.random(), ctx.app.config().password_cost);
}

http::Response forbidden(Ctx& ctx) {
    return ctx.app.error_page(ctx, Error::forbidden());
}

http::Response not_found(Ctx& ctx) {
    return ctx.app.error_page(ctx, Error::not_found());
}

// The installation's public address without a trailing slash: the token URL and the examples
// are written on it.
std::string public_base(const Ctx& ctx) {
    std::string base = ctx.app.config().public_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

// The client's state as its tokens see it: an active client of an inactive organisation is
// refused like a revoked one, and says so.
std::string status_text(const Ctx& ctx, const store::ApiClientRow& c) {
    if (c.status != d::ApiClientStatus::active) return ctx.t("api_client.status.revoked");
    if (!c.organisation_active) return ctx.t("api_client.active_organisation_inactive");
    return ctx.t("api_client.status.active");
}

// Whether the state deserves the reader's attention: the client cannot call.
bool refused_state(const store::ApiClientRow& c) {
    return c.status != d::ApiClientStatus::active || !c.organisation_active;
}

std::string role_text(const Ctx& ctx, d::Role r) {
    return ctx.t("role." + std::string(d::code(r)));
}

std::string when(const Ctx& ctx, const std::string& iso) {
    return iso.empty() ? ctx.t("common.never") : display_minute(iso);
}

// What a resource type holds, in words, beside its FHIR name; a type the pages do not describe
// yet is shown by its FHIR name alone.
const char* resource_key(std::string_view type) {
    if (type == "Patient") return "api_client.resource.patient";
    if (type == "RelatedPerson") return "api_client.resource.related_person";
    if (type == "Organization") return "api_client.resource.organization";
    if (type == "Location") return "api_client.resource.location";
    if (type == "HealthcareService") return "api_client.resource.healthcare_service";
    return nullptr;
}

std::vector<Option> scope_options(const Ctx& ctx) {
    std::vector<Option> out;
    for (const auto& type : d::fhir_resource_types()) {
        const char* key = resource_key(type);
        out.push_back({type, key ? ctx.t(key, {type}) : type});
    }
    return out;
}

// What a scope lets the client do, in words rather than SMART syntax: the type (or every type)
// and its rights, "read and search" for what the form's boxes give.
std::string rights_text(const Ctx& ctx, const d::FhirScope& s) {
    if (s.r && s.s && !s.c && !s.u && !s.d) return ctx.t("api_client.rights.read_search");
    std::string out;
    const auto add = [&](bool has, const char* key) {
        if (has) out += (out.empty() ? "" : ", ") + ctx.t(key);
    };
    add(s.c, "api_client.right.create");
    add(s.r, "api_client.right.read");
    add(s.u, "api_client.right.update");
    add(s.d, "api_client.right.delete");
    add(s.s, "api_client.right.search");
    return out;
}

json scope_lines(const Ctx& ctx, const std::vector<d::FhirScope>& scopes) {
    json out = json::array();
    for (const auto& s : scopes)
        out.push_back(ctx.t("api_client.scope_line",
                            {s.resource == "*" ? ctx.t("api_client.scope_all_types") : s.resource, rights_text(ctx, s)}));
    return out;
}

// The scopes' text from the types ticked: read and search (SMART v2 "rs") of each. The domain
// checks the result like any other scopes (a type that is not served is refused there).
std::string scopes_text(const std::vector<std::string>& types) {
    std::string out;
    for (const auto& type : types) {
        if (type.empty()) continue;
        out += (out.empty() ? "" : " ") + std::string("system/") + type + ".rs";
    }
    return out;
}

// The organisations the reader may give memberships in: those a client may be registered for.
std::vector<Option> org_options(Ctx& ctx) {
    std::vector<Option> out;
    for (const auto& o : ctx.identity().list_organisations(std::nullopt, false))
        if (d::can_manage_users(ctx.principal, o.sda_id))
            out.push_back({std::to_string(o.id), in_lang(ctx, o.name_fr, o.name_en) + " (" + o.sda_code + ")"});
    return out;
}

std::vector<Option> role_choices(const Ctx& ctx) {
    std::vector<Option> out;
    for (auto r : d::api_client_roles()) out.push_back({std::string(d::code(r)), role_text(ctx, r)});
    return out;
}

// ---------------------------------------------------------------- the list

http::Response list_clients(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    const std::string asked = trim(ctx.req.query_param("organisation"));
    const auto organisation = d::parse_id(asked);
    std::vector<Option> orgs = org_options(ctx);
    orgs.insert(orgs.begin(), Option{"", ctx.t("api_client.filter_all")});
    FormBuilder filter(ctx, list_href, "api_client.filter_apply");
    filter.query().field(
        {.name = "organisation", .label_key = "api_client.field.organisation", .type = "select", .options = orgs},
        organisation ? asked : std::string());
    json rows = json::array();
    for (const auto& c : clients(ctx).list(ctx.principal, organisation)) {
        rows.push_back({{"href", client_href(c.id)},
                        {"name", c.name},
                        {"organisation", in_lang(ctx, c.org_name_fr, c.org_name_en)},
                        {"role", role_text(ctx, c.role)},
                        {"scopes", scope_lines(ctx, c.scopes)},
                        {"status", status_text(ctx, c)},
                        {"refused", refused_state(c)},
                        {"created", display_minute(c.created_at)},
                        {"last_used", when(ctx, c.last_used_at)}});
    }
    // The view adds has_rows, as it does for every list (web/view.cpp).
    json model = {{"rows", rows}, {"filter", filter.build()}, {"new_href", list_href + "/new"}};
    return ctx.app.page(ctx, "api_client.list_title", "api_client_list", model);
}

// ---------------------------------------------------------------- registration

struct Posted {
    std::string organisation_id, name, role;
    std::vector<std::string> types;
};

json registration_form(Ctx& ctx, const Posted& v, const std::vector<FieldError>& errors) {
    FormBuilder f(ctx, list_href, "api_client.register");
    f.field({.name = "organisation_id",
             .label_key = "api_client.field.organisation",
             .type = "select",
             .required = true,
             .hint_key = "api_client.hint.organisation",
             .options = org_options(ctx)},
            v.organisation_id)
        .field({.name = "name", .label_key = "api_client.field.name", .required = true, .hint_key = "api_client.hint.name"},
               v.name)
        .field({.name = "role",
                .label_key = "api_client.field.role",
                .type = "radios",
                .required = true,
                .hint_key = "api_client.hint.role",
                .options = role_choices(ctx)},
               v.role)
        .multi({.name = "scopes",
                .label_key = "api_client.field.scopes",
                .type = "checkboxes",
                .required = true,
                .hint_key = "api_client.hint.scopes",
                .options = scope_options(ctx)},
               v.types)
        .errors(errors)
        .cancel(list_href);
    return f.build();
}

http::Response registration_page(Ctx& ctx, const Posted& v, const std::vector<FieldError>& errors, int status) {
    return ctx.app.page(ctx, "api_client.new_title", "api_client_form",
                        {{"form", registration_form(ctx, v, errors)}, {"heading", ctx.t("api_client.new_title")}}, status);
}

http::Response new_client(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    return registration_page(ctx, {}, {}, 200);
}

// The page that shows a secret, once: at registration and when a new one is issued. The
// examples read the secret from the environment rather than repeating it.
http::Response secret_page(Ctx& ctx, const store::ApiClientRow& c, const std::string& secret, bool registered) {
    const std::string base = public_base(ctx);
    const std::string token_url = base + "/oauth/token";
    const std::string scopes = d::format_fhir_scopes(c.scopes);
    const std::string curl_token = "curl -s -X POST \"" + token_url + "\" \\\n  -u \"" + c.client_id +
                                   ":$ARRIMAGE_CLIENT_SECRET\" \\\n  -d grant_type=client_credentials \\\n" +
                                   "  --data-urlencode \"scope=" + scopes + "\"";
    const std::string curl_fhir = "curl -s \"" + base + "/fhir/Patient?_count=10\" \\\n" +
                                  "  -H \"Authorization: Bearer $ACCESS_TOKEN\" \\\n  -H \"Accept: application/fhir+json\"";
    const char* title = registered ? "api_client.registered_title" : "api_client.new_secret_title";
    const char* heading = registered ? "api_client.registered_heading" : "api_client.new_secret_heading";
    json model = {{"heading", ctx.t(heading, {c.name})},
                  {"client_id", c.client_id},
                  {"secret", secret},
                  {"token_url", token_url},
                  {"scopes", scope_lines(ctx, c.scopes)},
                  {"organisation", in_lang(ctx, c.org_name_fr, c.org_name_en)},
                  {"role", role_text(ctx, c.role)},
                  {"curl_token", curl_token},
                  {"curl_fhir", curl_fhir},
                  {"try_fhir", ctx.t("api_client.try_fhir", {std::to_string(d::api_token_minutes)})},
                  {"team_note", ctx.t("api_client.team_note", {"API: " + c.name})},
                  {"details_href", client_href(c.id)}};
    return ctx.app.page(ctx, title, "api_client_secret", model);
}

http::Response create_client(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    Posted v{trim(ctx.form("organisation_id")), trim(ctx.form("name")), trim(ctx.form("role")), ctx.form_all("scopes")};
    const d::NewApiClient in{v.name, v.role, scopes_text(v.types)};
    // The domain's rules first, every field at once; the organisation is the repository's to
    // check (it must be one the reader administers).
    std::vector<FieldError> errors = d::validate_api_client(in);
    // Nothing ticked: said as the form asks it, not in the scopes' syntax.
    const bool none_ticked = std::none_of(v.types.begin(), v.types.end(), [](const std::string& t) { return !t.empty(); });
    if (none_ticked) {
        errors.erase(std::remove_if(errors.begin(), errors.end(), [](const FieldError& e) { return e.field == "scopes"; }),
                     errors.end());
        errors.push_back({"scopes", "field.choose_at_least_one", {}});
    }
    const auto organisation = d::parse_id(v.organisation_id);
    if (!organisation) errors.insert(errors.begin(), {"organisation_id", "field.choose_one", {}});
    if (!errors.empty()) return registration_page(ctx, v, errors, 422);
    auto made = clients(ctx).register_client(ctx.principal, *organisation, in);
    if (!made) {
        if (made.error().code == Errc::Invalid) return registration_page(ctx, v, made.error().fields, 422);
        // An organisation that is not one, or not the reader's to administer.
        if (made.error().code == Errc::NotFound)
            return registration_page(ctx, v, {{"organisation_id", "field.choose_from_list", {}}}, 422);
        return ctx.app.refused(ctx, made.error());
    }
    return secret_page(ctx, made->client, made->secret, true);
}

// ---------------------------------------------------------------- one client

// The client an address names, if the reader may see it: an id that is not one is not found.
Result<store::ApiClientRow> named_client(Ctx& ctx) {
    const auto id = d::parse_id(ctx.req.params["id"]);
    if (!id) return Error::not_found();
    return clients(ctx).find(ctx.principal, *id);
}

http::Response client_page(Ctx& ctx, const store::ApiClientRow& c, const std::string& conflict_key, int status) {
    const bool active = c.status == d::ApiClientStatus::active;
    json details = json::array({
        {{"label", ctx.t("api_client.field.client_id")}, {"value", c.client_id}, {"code", true}},
        {{"label", ctx.t("api_client.field.organisation")}, {"value", in_lang(ctx, c.org_name_fr, c.org_name_en)}},
        {{"label", ctx.t("api_client.field.role")}, {"value", role_text(ctx, c.role)}},
        {{"label", ctx.t("api_client.field.scopes")}, {"lines", scope_lines(ctx, c.scopes)}},
        {{"label", ctx.t("common.status")}, {"value", status_text(ctx, c)}, {"strong", refused_state(c)}},
        {{"label", ctx.t("api_client.col.last_used")}, {"value", when(ctx, c.last_used_at)}},
    });
    json history = json::array();
    history.push_back(
        present({{"at", display_minute(c.created_at)}, {"event", ctx.t("api_client.history.register")}, {"who", c.created_by}}));
    if (!active)
        history.push_back(present(
            {{"at", display_minute(c.revoked_at)}, {"event", ctx.t("api_client.history.revoke")}, {"who", c.revoked_by}}));
    json model = {{"heading", c.name},
                  {"details", details},
                  {"history", history},
                  {"acts_as", ctx.t("api_client.acts_as", {in_lang(ctx, c.org_name_fr, c.org_name_en), role_text(ctx, c.role)})},
                  {"team_note", ctx.t("api_client.team_note", {"API: " + c.name})},
                  {"active", active}};
    if (active) {
        model["secret_href"] = client_href(c.id) + "/secret";
        model["revoke_href"] = client_href(c.id) + "/revoke";
    }
    if (!conflict_key.empty()) model["conflict"] = ctx.t(conflict_key);
    return ctx.app.page(ctx, "api_client.view_title", "api_client_view", model, status);
}

http::Response show_client(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    auto c = named_client(ctx);
    if (!c) return ctx.app.refused(ctx, c.error());
    return client_page(ctx, *c, {}, 200);
}

// A change refused because the client moved since the page was shown (already revoked): the
// client's page as it is now, with the message; the request's transaction is rolled back.
http::Response stale(Ctx& ctx, const Error& e) {
    auto now = named_client(ctx);
    if (!now) return ctx.app.refused(ctx, now.error());
    return client_page(ctx, *now, e.message_key, 409);
}

http::Response new_secret(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    auto c = named_client(ctx);
    if (!c) return ctx.app.refused(ctx, c.error());
    auto secret = clients(ctx).rotate_secret(ctx.principal, c->id);
    if (!secret) return secret.error().code == Errc::Conflict ? stale(ctx, secret.error()) : ctx.app.refused(ctx, secret.error());
    return secret_page(ctx, *c, *secret, false);
}

http::Response confirm_new_secret(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    auto c = named_client(ctx);
    if (!c) return ctx.app.refused(ctx, c.error());
    if (c->status != d::ApiClientStatus::active) return client_page(ctx, *c, "lifecycle.not_from_state", 409);
    json model = {{"heading", ctx.t("api_client.secret_confirm_heading", {c->name})},
                  {"action", client_href(c->id) + "/secret"},
                  {"cancel_href", client_href(c->id)}};
    return ctx.app.page(ctx, "api_client.secret_confirm_title", "api_client_secret_confirm", model);
}

http::Response confirm_revoke(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    auto c = named_client(ctx);
    if (!c) return ctx.app.refused(ctx, c.error());
    if (c->status != d::ApiClientStatus::active) return client_page(ctx, *c, "lifecycle.not_from_state", 409);
    json model = {{"heading", ctx.t("api_client.revoke_heading", {c->name})},
                  {"action", client_href(c->id) + "/revoke"},
                  {"cancel_href", client_href(c->id)}};
    return ctx.app.page(ctx, "api_client.revoke_title", "api_client_revoke", model);
}

http::Response revoke(Ctx& ctx) {
    if (!d::can_administer(ctx.principal)) return forbidden(ctx);
    const auto id = d::parse_id(ctx.req.params["id"]);
    if (!id) return not_found(ctx);
    auto done = clients(ctx).revoke(ctx.principal, *id);
    if (!done) return done.error().code == Errc::Conflict ? stale(ctx, done.error()) : ctx.app.refused(ctx, done.error());
    return ctx.app.see_other(ctx, client_href(*id), "api_client.revoked");
}

}  // namespace

void register_api_client_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    // The literal path before the {id} one that would take it (the first route that matches wins).
    app.route("GET", "/admin/api-clients", {"admin/api-clients", S, R, list_clients});
    app.route("GET", "/admin/api-clients/new", {"admin/api-clients/new", S, R, new_client});
    app.route("POST", "/admin/api-clients", {"admin/api-clients/create", S, W, create_client});
    app.route("GET", "/admin/api-clients/{id}", {"admin/api-clients/view", S, R, show_client});
    app.route("GET", "/admin/api-clients/{id}/secret", {"admin/api-clients/secret_confirm", S, R, confirm_new_secret});
    app.route("POST", "/admin/api-clients/{id}/secret", {"admin/api-clients/secret", S, W, new_secret});
    app.route("GET", "/admin/api-clients/{id}/revoke", {"admin/api-clients/revoke_confirm", S, R, confirm_revoke});
    app.route("POST", "/admin/api-clients/{id}/revoke", {"admin/api-clients/revoke", S, W, revoke});
}

}  // namespace arrimage::web
