// The network map (store::NetworkMapRepo, docs/NETWORK.md).
//
//   /network/map?area=&sector=&kind=&standing=
//       the organisations of the reader's area (every area, or the one chosen, for the ministry's
//       analyst) and the agreements between them: their counts by standing, a graph drawn by
//       static/js/network-map.js from the two tables beside it (the organisations with their
//       standing and counts, the agreements drawn with their parties), the tables being the
//       graph's accessible version.
// A ca_admin and a provider manager see their organisation's area, a ministry analyst every
// area; anyone else is refused (403); an area the reader may not see is not found (404). A filter
// value that is not in its list is answered 422 with the filter form's field errors. A provider
// manager reads the agreements their organisation is a party to (the registry's rule): of the
// others, the map shows the kind, status and parties, not the reference or title, and no link.
#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "domain/search_text.hpp"
#include "features/network/domain/network_map.hpp"
#include "features/network/store/network_map_repo.hpp"
#include "features/network/web/network_pages.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/view.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

bool is_agreement_kind(std::string_view s) {
    return d::parse_agreement_kind(s).has_value();
}

// A filter the reader can correct: the page again with the filter form's errors.
constexpr int bad_input = 422;

bool may_read(const Ctx& ctx) {
    return ctx.acting && (ctx.acting->role == d::Role::ca_admin || ctx.acting->role == d::Role::provider_manager ||
                          ctx.acting->role == d::Role::ministry_analyst);
}

store::NetworkMapRepo network_map(Ctx& ctx) {
    return store::NetworkMapRepo(*ctx.access);
}

d::MapQuery map_query(Ctx& ctx) {
    return {trim(ctx.req.query_param("area")), trim(ctx.req.query_param("sector")), trim(ctx.req.query_param("kind")),
            trim(ctx.req.query_param("standing"))};
}

std::string standing_label(Ctx& ctx, d::MapStanding s) {
    return ctx.t("network.map.standing." + std::string(d::code(s)));
}

// A select's options with "all" as its empty choice first.
std::vector<Option> with_all(Ctx& ctx, std::vector<Option> options) {
    options.insert(options.begin(), Option{"", ctx.t("network.map.filter_all")});
    return options;
}

// Names in the reader's language sort with their accents folded ("École" beside "Ecole").
bool before(const std::string& a, const std::string& b) {
    const auto fa = d::fold(a), fb = d::fold(b);
    return fa != fb ? fa < fb : a < b;
}

json filter_form(Ctx& ctx, const d::MapQuery& q, const std::vector<FieldError>& errors, const std::vector<store::MapArea>& areas,
                 bool analyst) {
    FormBuilder f(ctx, "/network/map", "network.map.filter_apply");
    f.query();
    // Only the analyst sees more than one area: for anyone else the choice would be their own.
    if (analyst) {
        std::vector<Option> options;
        for (const auto& a : areas) options.push_back({std::to_string(a.id), in_lang(ctx, a.name_fr, a.name_en)});
        std::sort(options.begin(), options.end(), [](const Option& a, const Option& b) { return before(a.label, b.label); });
        f.field({.name = "area", .label_key = "network.map.field.area", .type = "select", .options = with_all(ctx, options)},
                q.area);
    }
    f.field({.name = "sector",
             .label_key = "network.map.field.sector",
             .type = "select",
             .options = with_all(ctx, options_of(ctx, d::all_sectors(), "sector."))},
            q.sector)
        .field({.name = "kind",
                .label_key = "network.map.field.kind",
                .type = "select",
                .hint_key = "network.map.hint.kind",
                .options = with_all(ctx, options_of(ctx, d::all_agreement_kinds(), "agreement.kind."))},
               q.kind)
        .field({.name = "standing",
                .label_key = "network.map.field.standing",
                .type = "select",
                .options = with_all(ctx, options_of(ctx, d::all_map_standings(), "network.map.standing."))},
               q.standing)
        .errors(errors);
    return f.build();
}

// The organisations' rows, by area then name in the reader's language; each carries what the
// graph draws from it (its id, standing and label, the label marking a lapsed or unconnected
// organisation in words).
json node_rows(Ctx& ctx, std::vector<store::MapNode> nodes) {
    std::stable_sort(nodes.begin(), nodes.end(), [&](const store::MapNode& a, const store::MapNode& b) {
        const auto& area_a = in_lang(ctx, a.area_fr, a.area_en);
        const auto& area_b = in_lang(ctx, b.area_fr, b.area_en);
        if (a.sda_id != b.sda_id) return before(area_a, area_b) || (area_a == area_b && a.sda_id < b.sda_id);
        return before(in_lang(ctx, a.name_fr, a.name_en), in_lang(ctx, b.name_fr, b.name_en));
    });
    json rows = json::array();
    for (const auto& n : nodes) {
        const std::string name = in_lang(ctx, n.name_fr, n.name_en);
        const std::string code(d::code(n.standing));
        rows.push_back({{"id", n.id},
                        {"name", name},
                        {"label", n.standing == d::MapStanding::connected
                                      ? name
                                      : ctx.t("network.map.marked_label", {name, ctx.t("network.map.marker." + code)})},
                        {"agency", n.agency},
                        {"area", in_lang(ctx, n.area_fr, n.area_en)},
                        {"sector", ctx.t("sector." + std::string(d::code(n.sector)))},
                        {"standing_code", code},
                        {"standing", standing_label(ctx, n.standing)},
                        {"connected", n.standing == d::MapStanding::connected},
                        {"lapsed", n.standing == d::MapStanding::lapsed},
                        {"unconnected", n.standing == d::MapStanding::unconnected},
                        {"in_force", n.in_force},
                        {"ended", n.ended}});
    }
    return rows;
}

// The agreements' rows, by reference, with their parties among the organisations listed. A
// provider manager reads only the agreements their organisation is a party to (whether or not
// the filters list it): the others are withheld, their kind, status and parties shown without
// their reference or title, nor a link to what the registry would refuse them.
json edge_rows(Ctx& ctx, const store::NetworkMap& map) {
    std::map<std::int64_t, std::string> names;
    for (const auto& n : map.nodes) names[n.id] = in_lang(ctx, n.name_fr, n.name_en);
    const bool parties_only = ctx.acting->role == d::Role::provider_manager;
    json rows = json::array();
    for (const auto& e : map.edges) {
        std::string ids, parties;
        for (auto p : e.parties) {
            ids += (ids.empty() ? "" : " ") + std::to_string(p);
            const auto it = names.find(p);
            if (it != names.end()) parties += (parties.empty() ? "" : "; ") + it->second;
        }
        json row = {{"id", e.agreement_id},
                    {"kind", ctx.t("agreement.kind." + std::string(d::code(e.kind)))},
                    {"status", ctx.t("agreement.status." + std::string(d::code(e.status)))},
                    {"in_force", e.in_force ? "1" : "0"},
                    {"party_ids", ids},
                    {"parties", parties}};
        if (parties_only && !e.reader_party) {
            // Empty rather than absent, so that the template never finds them further up.
            row["withheld"] = true;
            row["reference"] = "";
            row["title"] = "";
        } else {
            row["reference"] = e.reference;
            row["title"] = in_lang(ctx, e.title_fr, e.title_en);
            row["href"] = "/agreements/" + std::to_string(e.agreement_id);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

http::Response map_page(Ctx& ctx) {
    if (!may_read(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    const auto query = map_query(ctx);
    d::MapFilter filter;
    const auto errors = d::validate(query, &is_agreement_kind, filter);
    // Under field errors, the map without filters (as the other registries show everything).
    auto map = network_map(ctx).map(errors.empty() ? filter : d::MapFilter{});
    if (!map) return ctx.app.refused(ctx, map.error());
    auto areas = network_map(ctx).areas();
    if (!areas) return ctx.app.refused(ctx, areas.error());
    const bool analyst = ctx.acting->role == d::Role::ministry_analyst;
    // The counts by standing, named and explained in words.
    json counts = json::array();
    for (auto s : d::all_map_standings()) {
        const std::string code(d::code(s));
        const int n = s == d::MapStanding::connected ? map->connected
                      : s == d::MapStanding::lapsed  ? map->lapsed
                                                     : map->unconnected;
        counts.push_back({{"label", ctx.t("network.map.counts." + code)},
                          {"count", n},
                          {"explained", ctx.t("network.map.standing." + code + "_explained")}});
    }
    auto nodes = node_rows(ctx, map->nodes);
    auto edges = edge_rows(ctx, *map);
    // An empty map says why: nothing matches the filters, or the area has no organisation yet.
    const bool narrowed =
        errors.empty() && (!query.area.empty() || !query.sector.empty() || !query.kind.empty() || !query.standing.empty());
    json model = {{"analyst", analyst},
                  {"no_organisations", ctx.t(narrowed ? "network.map.no_organisations" : "network.map.empty")},
                  {"filter", filter_form(ctx, query, errors, *areas, analyst)},
                  {"counts", std::move(counts)},
                  {"edge_count", map->edges.size()},
                  {"nodes", std::move(nodes)},
                  {"edges", std::move(edges)},
                  {"asset_version", ctx.app.asset_version()}};
    return ctx.app.page(ctx, "network.map.title", "map", model, errors.empty() ? 200 : bad_input);
}

}  // namespace

void register_network_map_pages(WebApp& app) {
    app.route("GET", "/network/map", {"network/map", Access::signed_in, TxMode::read, map_page});
}

}  // namespace arrimage::web
