// Referral pathways: for a need or a sector in a service delivery area, which service or
// organisation to go through and how (single window, direct intake, professional referral).
// Staff of the SDA read them; its coordinating-agency administrators (and system
// administrators) maintain them.
#include <algorithm>

#include "core/text.hpp"
#include "web/directory_pages.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace directory {

std::string need_text(const Ctx& ctx, const store::PathwayRow& p) {
    std::string out = p.need_code.empty() ? "" : pick(ctx, p.need_name_fr, p.need_name_en);
    if (!p.sector.empty()) out += (out.empty() ? "" : " — ") + ctx.t("sector." + p.sector);
    return out;
}

std::string target_text(const Ctx& ctx, const store::PathwayRow& p) {
    std::string target = p.service_id ? pick(ctx, p.service_name_fr, p.service_name_en) + " — " : "";
    return target + pick(ctx, p.org_name_fr, p.org_name_en);
}

}  // namespace directory

namespace {

using namespace directory;

// SDAs whose pathways the viewer may read (nullopt: all, for a system administrator).
std::optional<std::vector<std::int64_t>> viewable_sdas(Ctx& ctx) {
    if (ctx.principal.is_system_admin()) return std::nullopt;
    std::vector<std::int64_t> out;
    for (const auto& g : ctx.principal.grants)
        if (std::find(out.begin(), out.end(), g.sda_id) == out.end()) out.push_back(g.sda_id);
    return out;
}

std::vector<store::SdaRow> managed_sdas(Ctx& ctx) {
    std::vector<store::SdaRow> out;
    for (auto& s : ctx.identity().list_sdas(false))
        if (d::can_manage_pathways(ctx.principal, s.id)) out.push_back(std::move(s));
    return out;
}

http::Response list(Ctx& ctx) {
    const auto sdas = viewable_sdas(ctx);
    if (sdas && sdas->empty()) return error(ctx, Error::forbidden());
    json rows = json::array();
    for (const auto& p : repo(ctx).list_pathways(sdas, true)) {
        const bool manage = d::can_manage_pathways(ctx.principal, p.sda_id);
        const std::string target = target_text(ctx, p);
        json row = {{"cells", json::array({{{"text", need_text(ctx, p)}},
                                           {{"text", ctx.t("pathway.mechanism." + p.mechanism)}},
                                           json{{"text", target}},
                                           {{"text", pick(ctx, p.notes_fr, p.notes_en)}},
                                           {{"text", p.sda_code}},
                                           {{"text", ctx.t(p.active ? "common.active" : "common.inactive")}}})}};
        if (p.service_id) row["cells"][2]["href"] = "/services/" + std::to_string(*p.service_id);
        if (manage) {
            row["cells"][0]["href"] = "/directory/pathways/" + std::to_string(p.id) + "/edit";
            row["post_action"] = {
                {"href", "/directory/pathways/" + std::to_string(p.id) + (p.active ? "/deactivate" : "/reactivate")},
                {"label", ctx.t(p.active ? "common.deactivate" : "common.reactivate")}};
        }
        rows.push_back(row);
    }
    json actions = json::array();
    if (!managed_sdas(ctx).empty()) actions.push_back({{"href", "/directory/pathways/new"}, {"label", ctx.t("pathway.new")}});
    json model = {{"heading", ctx.t("pathway.list_title")},
                  {"columns", json::array({ctx.t("pathway.need"), ctx.t("pathway.mechanism"), ctx.t("pathway.target"),
                                           ctx.t("pathway.notes"), ctx.t("org.sda"), ctx.t("common.status")})},
                  {"rows", rows},
                  {"actions", actions},
                  {"empty", rows.empty()}};
    return ctx.app.page(ctx, "pathway.list_title", "list", model);
}

// Checks the request against what the viewer may do and what exists, so every field error is
// reported at once (the store checks again).
void check_scope(Ctx& ctx, const d::PathwayForm& in, const d::Pathway& p, std::vector<FieldError>& e) {
    if (!in.sda_id.empty() && d::parse_id(in.sda_id) && !d::can_manage_pathways(ctx.principal, p.sda_id))
        e.push_back({"sda_id", "field.choose_one", {}});
    const auto need = trim(in.need);
    if (!need.empty() && d::valid_taxonomy_code(need)) {
        const auto known = category_options(ctx);
        if (std::none_of(known.begin(), known.end(), [&](const Option& o) { return o.value == need; }))
            e.push_back({"need", "service.unknown_category", {}});
    }
}

d::PathwayForm pathway_input(const Ctx& ctx) {
    return {ctx.form("sda_id"),          ctx.form("need"),     ctx.form("sector"),  ctx.form("mechanism"), ctx.form("service_id"),
            ctx.form("organisation_id"), ctx.form("notes_fr"), ctx.form("notes_en")};
}

json pathway_form(Ctx& ctx, const std::string& action, const d::PathwayForm& v, const std::vector<FieldError>& e) {
    const auto sdas = managed_sdas(ctx);
    std::vector<Option> sda_options, service_options, org_options;
    std::vector<std::int64_t> sda_ids;
    for (const auto& s : sdas) {
        sda_options.push_back({std::to_string(s.id), s.code + " — " + pick(ctx, s.name_fr, s.name_en)});
        sda_ids.push_back(s.id);
        for (const auto& o : ctx.identity().list_organisations(s.id, false))
            org_options.push_back({std::to_string(o.id), pick(ctx, o.name_fr, o.name_en)});
    }
    for (const auto& s : repo(ctx).services_in_sdas(sda_ids))
        service_options.push_back(
            {std::to_string(s.id), pick(ctx, s.org_name_fr, s.org_name_en) + " — " + pick(ctx, s.name_fr, s.name_en)});
    FormBuilder f(ctx, action, "common.save");
    f.field({.name = "sda_id", .label_key = "org.sda", .type = "select", .required = true, .options = sda_options}, v.sda_id)
        .field({.name = "need",
                .label_key = "pathway.need_label",
                .type = "select",
                .hint_key = "pathway.need_hint",
                .options = category_options(ctx)},
               v.need)
        .field({.name = "sector", .label_key = "pathway.sector_label", .type = "select", .options = sector_options(ctx)},
               v.sector)
        .field({.name = "mechanism",
                .label_key = "pathway.mechanism",
                .type = "radios",
                .required = true,
                .options = mechanism_options(ctx)},
               v.mechanism)
        .field({.name = "service_id",
                .label_key = "pathway.service_label",
                .type = "select",
                .hint_key = "pathway.target_hint",
                .options = service_options},
               v.service_id)
        .field({.name = "organisation_id", .label_key = "pathway.organisation_label", .type = "select", .options = org_options},
               v.organisation_id)
        .field({.name = "notes_fr", .label_key = "pathway.notes_fr", .type = "textarea", .hint_key = "pathway.notes_hint"},
               v.notes_fr)
        .field({.name = "notes_en", .label_key = "pathway.notes_en", .type = "textarea", .hint_key = "pathway.notes_hint"},
               v.notes_en)
        .errors(e)
        .cancel("/directory/pathways");
    return f.build();
}

http::Response new_pathway(Ctx& ctx, const DirectoryOptions&) {
    const auto sdas = managed_sdas(ctx);
    if (sdas.empty()) return error(ctx, Error::forbidden());
    d::PathwayForm v;
    if (sdas.size() == 1) v.sda_id = std::to_string(sdas.front().id);
    return form_page(ctx, "pathway.new", pathway_form(ctx, "/directory/pathways/new", v, {}));
}

http::Response create_pathway(Ctx& ctx, const DirectoryOptions&) {
    if (managed_sdas(ctx).empty()) return error(ctx, Error::forbidden());
    const auto in = pathway_input(ctx);
    d::Pathway p;
    auto e = d::validate(in, p);
    check_scope(ctx, in, p, e);
    if (e.empty()) {
        auto r = repo(ctx).create_pathway(p, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, "/directory/pathways", "common.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "pathway.new", pathway_form(ctx, "/directory/pathways/new", in, e), 422);
}

Result<store::PathwayRow> managed_pathway(Ctx& ctx) {
    auto id = d::parse_id(ctx.req.params["id"]);
    auto p = id ? repo(ctx).find_pathway(*id) : std::nullopt;
    if (!p) return Error::not_found();
    if (!d::can_manage_pathways(ctx.principal, p->sda_id)) return Error::forbidden();
    return *p;
}

http::Response edit_pathway(Ctx& ctx, const DirectoryOptions&) {
    auto p = managed_pathway(ctx);
    if (!p) return error(ctx, p.error());
    const d::PathwayForm v{std::to_string(p->sda_id),
                           p->need_code,
                           p->sector,
                           p->mechanism,
                           p->service_id ? std::to_string(*p->service_id) : "",
                           p->organisation_id ? std::to_string(*p->organisation_id) : "",
                           p->notes_fr,
                           p->notes_en};
    return form_page(ctx, "pathway.edit", pathway_form(ctx, "/directory/pathways/" + std::to_string(p->id) + "/edit", v, {}));
}

http::Response update_pathway(Ctx& ctx, const DirectoryOptions&) {
    auto existing = managed_pathway(ctx);
    if (!existing) return error(ctx, existing.error());
    const auto in = pathway_input(ctx);
    d::Pathway p;
    auto e = d::validate(in, p);
    check_scope(ctx, in, p, e);
    if (e.empty()) {
        auto r = repo(ctx).update_pathway(existing->id, p, ctx.user->id);
        if (r) return ctx.app.see_other(ctx, "/directory/pathways", "common.saved");
        e = r.error().fields;
    }
    return form_page(ctx, "pathway.edit",
                     pathway_form(ctx, "/directory/pathways/" + std::to_string(existing->id) + "/edit", in, e), 422);
}

PageHandler pathway_toggle(bool active) {
    return [active](Ctx& ctx) {
        auto p = managed_pathway(ctx);
        if (!p) return error(ctx, p.error());
        auto r = repo(ctx).set_pathway_active(p->id, active, ctx.user->id);
        if (!r) return error(ctx, r.error());
        return ctx.app.see_other(ctx, "/directory/pathways", active ? "common.reactivated" : "common.deactivated");
    };
}

}  // namespace

void register_pathway_pages(WebApp& app, const DirectoryOptions& o) {
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    const auto S = Access::signed_in;
    auto with = [o](http::Response (*fn)(Ctx&, const DirectoryOptions&)) -> PageHandler {
        return [o, fn](Ctx& ctx) { return fn(ctx, o); };
    };
    app.route("GET", "/directory/pathways", {"directory/pathways", S, R, list});
    app.route("GET", "/directory/pathways/new", {"directory/pathways/new", S, R, with(new_pathway)});
    app.route("POST", "/directory/pathways/new", {"directory/pathways/create", S, W, with(create_pathway)});
    app.route("GET", "/directory/pathways/{id}/edit", {"directory/pathways/edit", S, R, with(edit_pathway)});
    app.route("POST", "/directory/pathways/{id}/edit", {"directory/pathways/update", S, W, with(update_pathway)});
    app.route("POST", "/directory/pathways/{id}/deactivate", {"directory/pathways/deactivate", S, W, pathway_toggle(false)});
    app.route("POST", "/directory/pathways/{id}/reactivate", {"directory/pathways/reactivate", S, W, pathway_toggle(true)});
}

}  // namespace arrimage::web
