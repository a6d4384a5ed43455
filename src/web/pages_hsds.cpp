// The public HSDS 3.0 API over the service directory (read-only JSON, no account needed:
// directory data is public). One language per response: ?lang=fr for French, English by
// default. Lists are paged the HSDS way (?page=1&per_page=50). See docs/HSDS.md.
#include <charconv>

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
    if (lang == "fr") q.lang = Lang::fr;
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

template <typename Build>
http::Response list(Ctx& ctx, Build build) {
    http::Response bad;
    auto q = parse_query(ctx, bad);
    if (!q) return bad;
    const auto d = ix::load_directory(ctx.tx);
    return reply(200, ix::hsds_page(build(d, q->lang), q->page, q->per_page));
}

template <typename Find>
http::Response one(Ctx& ctx, Find find) {
    http::Response bad;
    auto q = parse_query(ctx, bad);
    if (!q) return bad;
    const auto id = ctx.req.params["id"];
    if (!ix::valid_uuid(id)) return error(ctx, 404, "hsds.error.not_found", q->lang);
    const auto d = ix::load_directory(ctx.tx);
    auto found = find(d, id, q->lang);
    if (!found) return error(ctx, 404, "hsds.error.not_found", q->lang);
    return reply(200, *found);
}

std::vector<json> organizations(const ix::DirectorySnapshot& d, Lang lang) {
    std::vector<json> out;
    for (const auto& o : d.organisations) out.push_back(ix::hsds_organization(o, lang));
    return out;
}
std::vector<json> services(const ix::DirectorySnapshot& d, Lang lang) {
    std::vector<json> out;
    for (const auto& s : d.services) out.push_back(ix::hsds_service(s, d, lang));
    return out;
}
std::vector<json> service_at_locations(const ix::DirectorySnapshot& d, Lang lang) {
    std::vector<json> out;
    for (const auto& s : d.services) {
        const auto service = ix::hsds_service(s, d, lang);
        for (const auto& sal : service["service_at_locations"]) out.push_back(sal);
    }
    return out;
}
std::vector<json> taxonomy_terms(const ix::DirectorySnapshot& d, Lang lang) {
    std::vector<json> out;
    for (const auto& t : d.terms) out.push_back(ix::hsds_taxonomy_term(t, lang));
    return out;
}

// The organisation with its services and locations, as /organizations/{id} returns it.
std::optional<json> organization(const ix::DirectorySnapshot& d, const std::string& id, Lang lang) {
    for (const auto& o : d.organisations) {
        if (ix::hsds_id("organization", o.id) != id) continue;
        auto j = ix::hsds_organization(o, lang);
        for (const auto& l : d.locations)
            if (l.organisation_id == o.id) j["locations"].push_back(ix::hsds_location(l, lang));
        return j;
    }
    return std::nullopt;
}

std::optional<json> find_in(const std::vector<json>& all, const std::string& id) {
    for (const auto& j : all)
        if (j.value("id", "") == id) return j;
    return std::nullopt;
}

}  // namespace

void register_hsds_pages(WebApp& app) {
    auto route = [&](const std::string& pattern, const std::string& name, PageHandler h) {
        app.route("GET", pattern, {name, Access::public_page, TxMode::read, std::move(h)});
    };
    route("/api/hsds/organizations", "hsds/organizations", [](Ctx& ctx) { return list(ctx, organizations); });
    route("/api/hsds/organizations/{id}", "hsds/organization", [](Ctx& ctx) { return one(ctx, organization); });
    route("/api/hsds/services", "hsds/services", [](Ctx& ctx) { return list(ctx, services); });
    route("/api/hsds/services/{id}", "hsds/service", [](Ctx& ctx) {
        return one(ctx, [](const ix::DirectorySnapshot& d, const std::string& id, Lang lang) -> std::optional<json> {
            for (const auto& s : d.services)
                if (ix::hsds_id("service", s.id) == id) {
                    auto j = ix::hsds_service(s, d, lang);
                    for (const auto& o : d.organisations)
                        if (o.id == s.organisation_id) j["organization"] = ix::hsds_organization(o, lang);
                    return j;
                }
            return std::nullopt;
        });
    });
    route("/api/hsds/service_at_locations", "hsds/service_at_locations", [](Ctx& ctx) { return list(ctx, service_at_locations); });
    route("/api/hsds/service_at_locations/{id}", "hsds/service_at_location", [](Ctx& ctx) {
        return one(ctx, [](const ix::DirectorySnapshot& d, const std::string& id, Lang lang) {
            return find_in(service_at_locations(d, lang), id);
        });
    });
    route("/api/hsds/taxonomies", "hsds/taxonomies", [](Ctx& ctx) {
        return list(ctx, [](const ix::DirectorySnapshot&, Lang lang) { return std::vector<json>{ix::hsds_taxonomy(lang)}; });
    });
    route("/api/hsds/taxonomies/{id}", "hsds/taxonomy", [](Ctx& ctx) {
        return one(ctx, [](const ix::DirectorySnapshot&, const std::string& id, Lang lang) {
            return find_in({ix::hsds_taxonomy(lang)}, id);
        });
    });
    route("/api/hsds/taxonomy_terms", "hsds/taxonomy_terms", [](Ctx& ctx) { return list(ctx, taxonomy_terms); });
    route("/api/hsds/taxonomy_terms/{id}", "hsds/taxonomy_term", [](Ctx& ctx) {
        return one(ctx, [](const ix::DirectorySnapshot& d, const std::string& id, Lang lang) {
            return find_in(taxonomy_terms(d, lang), id);
        });
    });
}

}  // namespace arrimage::web
