// The public HSDS 3.0 API over the service directory (read-only JSON, no account needed:
// directory data is public). One language per response: ?lang=fr for French, English by
// default. Lists are paged the HSDS way (?page=1&per_page=50). See docs/HSDS.md.
#include <algorithm>
#include <charconv>
#include <functional>

#include "interop/hsds.hpp"
#include "interop/uuid.hpp"
#include "web/app.hpp"

namespace arrimage::web {
namespace {

using nlohmann::json;
using store::TxMode;
namespace ix = arrimage::interop;

constexpr std::int64_t default_per_page = 50;
constexpr std::int64_t max_per_page = 500;

http::Response reply(int status, const json& body) {
    http::Response r;
    r.status = status;
    r.content_type = "application/json; charset=utf-8";
    r.body = body.dump();
    return r;
}

http::Response error(Ctx& ctx, int status, std::string_view key, Lang lang) {
    return reply(status, {{"status", status}, {"message", ctx.app.catalogue().t(lang, key)}});
}

std::optional<std::int64_t> number(const std::string& s, std::int64_t fallback) {
    if (s.empty()) return fallback;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// Parses lang, page and per_page; on bad input sets `bad` to the 400 response.
struct Query {
    Lang lang = Lang::en;
    std::int64_t page = 1, per_page = default_per_page;
};
std::optional<Query> parse_query(Ctx& ctx, http::Response& bad) {
    Query q;
    const auto lang = ctx.req.query_param("lang");
    if (lang == "fr")
        q.lang = Lang::fr;
    else if (!lang.empty() && lang != "en") {
        bad = error(ctx, 400, "hsds.error.bad_lang", Lang::en);
        return std::nullopt;
    }
    auto page = number(ctx.req.query_param("page"), 1);
    auto per_page = number(ctx.req.query_param("per_page"), default_per_page);
    if (!page || !per_page || *page < 1 || *page > 1000000 || *per_page < 1 || *per_page > max_per_page) {
        bad = error(ctx, 400, "hsds.error.bad_paging", q.lang);
        return std::nullopt;
    }
    q.page = *page;
    q.per_page = *per_page;
    return q;
}

// The query of a list or record request, or the 400 to answer.
template <typename Body>
http::Response with_query(Ctx& ctx, Body body) {
    http::Response bad;
    auto q = parse_query(ctx, bad);
    if (!q) return bad;
    return body(*q);
}

http::Response not_found(Ctx& ctx, const Query& q) {
    return error(ctx, 404, "hsds.error.not_found", q.lang);
}

// Lists read one page from the database; records find their local id from the HSDS id. Both
// read only the part of the directory they return.
json organization_with_locations(const ix::DirectorySnapshot& d, Lang lang) {
    auto j = ix::hsds_organization(d.organisations.front(), lang);
    for (const auto& l : d.locations) j["locations"].push_back(ix::hsds_location(l, lang));
    return j;
}

std::vector<json> services_of(const ix::DirectorySnapshot& d, Lang lang) {
    std::vector<json> out;
    for (const auto& s : d.services) out.push_back(ix::hsds_service(s, d, lang));
    return out;
}

ix::DirectorySnapshot services_between(Ctx& ctx, std::int64_t first, std::int64_t last) {
    return ix::load_directory(ctx.tx, {ix::DirectoryRange::Kind::services, first, last});
}

http::Response list_organizations(Ctx& ctx) {
    return with_query(ctx, [&](const Query& q) {
        const auto page = ix::public_organisation_ids(ctx.tx, q.page, q.per_page);
        std::vector<json> items;
        if (!page.ids.empty()) {
            const auto d =
                ix::load_directory(ctx.tx, {ix::DirectoryRange::Kind::organisations, page.ids.front(), page.ids.back()});
            for (const auto& o : d.organisations) items.push_back(ix::hsds_organization(o, q.lang));
        }
        return reply(200, ix::hsds_page_of(std::move(items), page.total, q.page, q.per_page));
    });
}

http::Response get_organization(Ctx& ctx) {
    return with_query(ctx, [&](const Query& q) {
        const auto id = ix::valid_uuid(ctx.req.params["id"]) ? ix::find_public_id(ctx.tx, "organization", ctx.req.params["id"])
                                                             : std::nullopt;
        if (!id) return not_found(ctx, q);
        const auto d = ix::load_directory(ctx.tx, {ix::DirectoryRange::Kind::organisations, *id, *id});
        return reply(200, organization_with_locations(d, q.lang));
    });
}

ix::DirectorySnapshot locations_between(Ctx& ctx, std::int64_t first, std::int64_t last) {
    return ix::load_directory(ctx.tx, {ix::DirectoryRange::Kind::locations, first, last});
}

http::Response list_locations(Ctx& ctx) {
    return with_query(ctx, [&](const Query& q) {
        const auto page = ix::public_location_ids(ctx.tx, q.page, q.per_page);
        std::vector<json> items;
        if (!page.ids.empty())
            for (const auto& l : locations_between(ctx, page.ids.front(), page.ids.back()).locations)
                items.push_back(ix::hsds_location(l, q.lang));
        return reply(200, ix::hsds_page_of(std::move(items), page.total, q.page, q.per_page));
    });
}

http::Response get_location(Ctx& ctx) {
    return with_query(ctx, [&](const Query& q) {
        const auto id =
            ix::valid_uuid(ctx.req.params["id"]) ? ix::find_public_id(ctx.tx, "location", ctx.req.params["id"]) : std::nullopt;
        if (!id) return not_found(ctx, q);
        const auto d = locations_between(ctx, *id, *id);
        if (d.locations.empty()) return not_found(ctx, q);
        return reply(200, ix::hsds_location(d.locations.front(), q.lang));
    });
}

http::Response list_services(Ctx& ctx) {
    return with_query(ctx, [&](const Query& q) {
        const auto page = ix::public_service_ids(ctx.tx, q.page, q.per_page);
        std::vector<json> items;
        if (!page.ids.empty()) items = services_of(services_between(ctx, page.ids.front(), page.ids.back()), q.lang);
        return reply(200, ix::hsds_page_of(std::move(items), page.total, q.page, q.per_page));
    });
}

http::Response get_service(Ctx& ctx) {
    return with_query(ctx, [&](const Query& q) {
        const auto id =
            ix::valid_uuid(ctx.req.params["id"]) ? ix::find_public_id(ctx.tx, "service", ctx.req.params["id"]) : std::nullopt;
        if (!id) return not_found(ctx, q);
        const auto d = services_between(ctx, *id, *id);
        if (d.services.empty()) return not_found(ctx, q);
        auto j = ix::hsds_service(d.services.front(), d, q.lang);
        for (const auto& o : d.organisations)
            if (o.id == d.services.front().organisation_id) j["organization"] = ix::hsds_organization(o, q.lang);
        return reply(200, j);
    });
}

// The service_at_location record of one (service, site) link, from a snapshot holding both.
std::optional<json> link_json(const ix::DirectorySnapshot& d, std::int64_t service_id, std::int64_t site_id, Lang lang) {
    const auto s = std::find_if(d.services.begin(), d.services.end(), [&](const auto& x) { return x.id == service_id; });
    const auto l = std::find_if(d.locations.begin(), d.locations.end(), [&](const auto& x) { return x.id == site_id; });
    if (s == d.services.end() || l == d.locations.end()) return std::nullopt;
    return ix::hsds_service_at_location(*s, *l, lang);
}

http::Response list_service_at_locations(Ctx& ctx) {
    return with_query(ctx, [&](const Query& q) {
        const auto page = ix::public_service_locations(ctx.tx, q.page, q.per_page);
        std::vector<json> items;
        if (!page.links.empty()) {
            const auto d = services_between(ctx, page.links.front().first, page.links.back().first);
            for (const auto& [service, site] : page.links)
                if (auto j = link_json(d, service, site, q.lang)) items.push_back(std::move(*j));
        }
        return reply(200, ix::hsds_page_of(std::move(items), page.total, q.page, q.per_page));
    });
}

http::Response get_service_at_location(Ctx& ctx) {
    return with_query(ctx, [&](const Query& q) {
        const auto link =
            ix::valid_uuid(ctx.req.params["id"]) ? ix::find_public_link(ctx.tx, ctx.req.params["id"]) : std::nullopt;
        if (!link) return not_found(ctx, q);
        auto j = link_json(services_between(ctx, link->first, link->first), link->first, link->second, q.lang);
        return j ? reply(200, *j) : not_found(ctx, q);
    });
}

// The taxonomy is small (tens of terms): built whole.
std::vector<json> taxonomy_terms(Ctx& ctx, Lang lang) {
    std::vector<json> out;
    for (const auto& r :
         ctx.tx.query("SELECT id, code, name_fr, name_en FROM taxonomy_terms WHERE active = 1 ORDER BY sort_order, id"))
        out.push_back(ix::hsds_taxonomy_term({r.i64(0), r.str(1), r.str(2), r.str(3)}, lang));
    return out;
}

std::optional<json> find_in(const std::vector<json>& all, const std::string& id) {
    for (const auto& j : all)
        if (j.value("id", "") == id) return j;
    return std::nullopt;
}

http::Response list_of(Ctx& ctx, const std::function<std::vector<json>(Lang)>& all) {
    return with_query(ctx, [&](const Query& q) { return reply(200, ix::hsds_page(all(q.lang), q.page, q.per_page)); });
}

http::Response one_of(Ctx& ctx, const std::function<std::vector<json>(Lang)>& all) {
    return with_query(ctx, [&](const Query& q) {
        auto found = ix::valid_uuid(ctx.req.params["id"]) ? find_in(all(q.lang), ctx.req.params["id"]) : std::nullopt;
        return found ? reply(200, *found) : not_found(ctx, q);
    });
}

}  // namespace

void register_hsds_pages(WebApp& app) {
    auto route = [&](const std::string& pattern, const std::string& name, PageHandler h) {
        app.route("GET", pattern, {name, Access::public_page, TxMode::read, std::move(h)});
    };
    route("/api/hsds/organizations", "hsds/organizations", list_organizations);
    route("/api/hsds/organizations/{id}", "hsds/organization", get_organization);
    route("/api/hsds/locations", "hsds/locations", list_locations);
    route("/api/hsds/locations/{id}", "hsds/location", get_location);
    route("/api/hsds/services", "hsds/services", list_services);
    route("/api/hsds/services/{id}", "hsds/service", get_service);
    route("/api/hsds/service_at_locations", "hsds/service_at_locations", list_service_at_locations);
    route("/api/hsds/service_at_locations/{id}", "hsds/service_at_location", get_service_at_location);
    auto taxonomies = [](Lang lang) { return std::vector<json>{ix::hsds_taxonomy(lang)}; };
    route("/api/hsds/taxonomies", "hsds/taxonomies", [=](Ctx& ctx) { return list_of(ctx, taxonomies); });
    route("/api/hsds/taxonomies/{id}", "hsds/taxonomy", [=](Ctx& ctx) { return one_of(ctx, taxonomies); });
    route("/api/hsds/taxonomy_terms", "hsds/taxonomy_terms",
          [](Ctx& ctx) { return list_of(ctx, [&](Lang lang) { return taxonomy_terms(ctx, lang); }); });
    route("/api/hsds/taxonomy_terms/{id}", "hsds/taxonomy_term",
          [](Ctx& ctx) { return one_of(ctx, [&](Lang lang) { return taxonomy_terms(ctx, lang); }); });
}

}  // namespace arrimage::web
