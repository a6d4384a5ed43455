#include "store/directory_repo.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "core/time.hpp"
#include "domain/search_text.hpp"
#include "store/identity_repo.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

std::int64_t b(bool v) {
    return v ? 1 : 0;
}

Value opt_int(const std::optional<int>& v) {
    return v ? Value{std::int64_t{*v}} : Value{Null{}};
}

void append_in(std::string& sql, Params& params, const std::vector<std::int64_t>& ids) {
    sql += " IN (";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        sql += i ? ", ?" : "?";
        params.emplace_back(ids[i]);
    }
    sql += ")";
}

constexpr const char* service_columns =
    "s.id, s.organisation_id, o.sda_id, o.name_fr, o.name_en, o.active, s.name_fr, s.name_en, s.description_fr, "
    "s.description_en, s.eligibility_fr, s.eligibility_en, s.age_min, s.age_max, s.area_served_fr, s.area_served_en, "
    "s.access_fr, s.access_en, s.intake_fr, s.intake_en, s.fees_fr, s.fees_en, s.fls_designated, s.contact_name, "
    "s.email, s.phone, s.website, s.waitlist_status, s.wait_weeks, s.waitlist_updated_at, s.active";

ServiceRow service_from(const Row& r) {
    ServiceRow s;
    s.id = r.i64(0);
    s.organisation_id = r.i64(1);
    s.sda_id = r.i64(2);
    s.org_name_fr = r.str(3);
    s.org_name_en = r.str(4);
    s.org_active = r.boolean(5);
    s.name_fr = r.str(6);
    s.name_en = r.str(7);
    s.description_fr = r.str(8);
    s.description_en = r.str(9);
    s.eligibility_fr = r.str(10);
    s.eligibility_en = r.str(11);
    s.age_min = r.opt_i64(12);
    s.age_max = r.opt_i64(13);
    s.area_served_fr = r.str(14);
    s.area_served_en = r.str(15);
    s.access_fr = r.str(16);
    s.access_en = r.str(17);
    s.intake_fr = r.str(18);
    s.intake_en = r.str(19);
    s.fees_fr = r.str(20);
    s.fees_en = r.str(21);
    s.fls_designated = r.boolean(22);
    s.contact_name = r.str(23);
    s.email = r.str(24);
    s.phone = r.str(25);
    s.website = r.str(26);
    s.waitlist_status = r.str(27);
    s.wait_weeks = r.opt_i64(28);
    s.waitlist_updated_at = r.str(29);
    s.active = r.boolean(30);
    return s;
}

constexpr const char* location_columns =
    "si.id, si.organisation_id, si.name_fr, si.name_en, si.address, si.city, si.postal_code, si.active, "
    "COALESCE(ld.phone, ''), COALESCE(ld.hours_fr, ''), COALESCE(ld.hours_en, ''), COALESCE(ld.accessibility_fr, ''), "
    "COALESCE(ld.accessibility_en, ''), COALESCE(ld.step_free_access, 0)";

LocationRow location_from(const Row& r) {
    LocationRow l;
    l.site_id = r.i64(0);
    l.organisation_id = r.i64(1);
    l.name_fr = r.str(2);
    l.name_en = r.str(3);
    l.address = r.str(4);
    l.city = r.str(5);
    l.postal_code = r.str(6);
    l.active = r.boolean(7);
    l.phone = r.str(8);
    l.hours_fr = r.str(9);
    l.hours_en = r.str(10);
    l.accessibility_fr = r.str(11);
    l.accessibility_en = r.str(12);
    l.step_free_access = r.boolean(13);
    return l;
}

constexpr const char* pathway_select =
    "SELECT p.id, p.sda_id, a.code, t.code, t.name_fr, t.name_en, p.sector, p.mechanism, p.service_id, sv.name_fr, "
    "sv.name_en, p.organisation_id, o.name_fr, o.name_en, p.notes_fr, p.notes_en, p.active, o.id, "
    "CASE WHEN o.active = 1 AND COALESCE(sv.active, 1) = 1 THEN 1 ELSE 0 END "
    "FROM referral_pathways p JOIN service_delivery_areas a ON a.id = p.sda_id "
    "LEFT JOIN taxonomy_terms t ON t.id = p.term_id LEFT JOIN services sv ON sv.id = p.service_id "
    "LEFT JOIN organisations o ON o.id = COALESCE(p.organisation_id, sv.organisation_id)";

PathwayRow pathway_from(const Row& r) {
    PathwayRow p;
    p.id = r.i64(0);
    p.sda_id = r.i64(1);
    p.sda_code = r.str(2);
    p.need_code = r.str(3);
    p.need_name_fr = r.str(4);
    p.need_name_en = r.str(5);
    p.sector = r.str(6);
    p.mechanism = r.str(7);
    p.service_id = r.opt_i64(8);
    p.service_name_fr = r.str(9);
    p.service_name_en = r.str(10);
    p.organisation_id = r.opt_i64(11);
    p.org_name_fr = r.str(12);
    p.org_name_en = r.str(13);
    p.notes_fr = r.str(14);
    p.notes_en = r.str(15);
    p.active = r.boolean(16);
    p.receiving_organisation_id = r.opt_i64(17).value_or(0);
    p.target_active = r.boolean(18);
    return p;
}

// Below this many services, a language filter drives a search without words.
constexpr std::int64_t few_services = 2000;

Result<void> changed(std::int64_t n) {
    if (n == 0) return Error::not_found();
    return ok();
}

}  // namespace

std::string DirectoryRepo::now() const {
    return format_iso(clock_.now());
}

void DirectoryRepo::audit(std::int64_t actor, std::string_view action, std::string_view entity, std::int64_t id) {
    IdentityRepo(tx_, clock_).record_admin_event(actor, action, entity, id);
}

// ---- taxonomy

std::vector<TaxonomyTermRow> DirectoryRepo::taxonomy() {
    std::vector<TaxonomyTermRow> out;
    for (const auto& r : tx_.query("SELECT id, code, name_fr, name_en FROM taxonomy_terms WHERE active = 1 "
                                   "ORDER BY sort_order, code"))
        out.push_back({r.i64(0), r.str(1), r.str(2), r.str(3)});
    return out;
}

// ---- services

std::vector<ServiceRow> DirectoryRepo::list_services(std::int64_t organisation_id) {
    std::vector<ServiceRow> out;
    for (const auto& r : tx_.query(std::string("SELECT ") + service_columns +
                                       " FROM services s JOIN organisations o ON o.id = s.organisation_id "
                                       "WHERE s.organisation_id = ? ORDER BY s.sort_name_en, s.id",
                                   {organisation_id}))
        out.push_back(service_from(r));
    return out;
}

std::optional<ServiceRow> DirectoryRepo::find_service(std::int64_t id) {
    auto r = tx_.query_one(std::string("SELECT ") + service_columns +
                               " FROM services s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = ?",
                           {id});
    if (!r) return std::nullopt;
    auto s = service_from(*r);
    for (const auto& c : tx_.query("SELECT t.id, t.code, t.name_fr, t.name_en FROM service_categories sc "
                                   "JOIN taxonomy_terms t ON t.id = sc.term_id WHERE sc.service_id = ? "
                                   "ORDER BY t.sort_order, t.code",
                                   {id}))
        s.categories.push_back({c.i64(0), c.str(1), c.str(2), c.str(3)});
    for (const auto& l : tx_.query("SELECT language FROM service_languages WHERE service_id = ? ORDER BY language", {id}))
        s.languages.push_back(l.str(0));
    // Keep the order of domain::service_languages() (French, English, then the others).
    const auto& order = d::service_languages();
    std::sort(s.languages.begin(), s.languages.end(), [&](const std::string& a, const std::string& c) {
        return std::find(order.begin(), order.end(), a) < std::find(order.begin(), order.end(), c);
    });
    for (const auto& l : tx_.query("SELECT site_id FROM service_locations WHERE service_id = ? ORDER BY site_id", {id}))
        s.site_ids.push_back(l.i64(0));
    return s;
}

std::vector<FieldError> DirectoryRepo::check_service(std::int64_t organisation_id, const d::Service& in,
                                                     std::vector<std::int64_t>& term_ids) {
    std::vector<FieldError> e;
    term_ids.clear();
    for (const auto& code : in.category_codes) {
        auto r = tx_.query_one("SELECT id FROM taxonomy_terms WHERE code = ? AND active = 1", {code});
        if (!r) {
            e.push_back({"categories", "service.unknown_category", {}});
            break;
        }
        term_ids.push_back(r->i64(0));
    }
    for (auto site : in.site_ids) {
        if (!tx_.query_one("SELECT 1 FROM sites WHERE id = ? AND organisation_id = ? AND active = 1", {site, organisation_id})) {
            e.push_back({"locations", "field.choose_from_list", {}});
            break;
        }
    }
    return e;
}

void DirectoryRepo::write_links(std::int64_t id, const d::Service& in, const std::vector<std::int64_t>& term_ids) {
    tx_.exec("DELETE FROM service_categories WHERE service_id = ?", {id});
    for (auto term : term_ids) tx_.exec("INSERT INTO service_categories (service_id, term_id) VALUES (?, ?)", {id, term});
    tx_.exec("DELETE FROM service_languages WHERE service_id = ?", {id});
    for (const auto& l : in.languages) tx_.exec("INSERT INTO service_languages (service_id, language) VALUES (?, ?)", {id, l});
    tx_.exec("DELETE FROM service_locations WHERE service_id = ?", {id});
    for (auto site : in.site_ids) tx_.exec("INSERT INTO service_locations (service_id, site_id) VALUES (?, ?)", {id, site});
}

Result<std::int64_t> DirectoryRepo::create_service(std::int64_t organisation_id, const d::Service& in, std::int64_t actor) {
    auto org = tx_.query_one("SELECT active FROM organisations WHERE id = ?", {organisation_id});
    if (!org || !org->boolean(0)) return Error::not_found();
    std::vector<std::int64_t> term_ids;
    if (auto e = check_service(organisation_id, in, term_ids); !e.empty()) return Error::invalid(std::move(e));
    const auto t = now();
    auto r = tx_.query_one(
        "INSERT INTO services (organisation_id, name_fr, name_en, sort_name_fr, sort_name_en, description_fr, "
        "description_en, eligibility_fr, eligibility_en, age_min, age_max, area_served_fr, area_served_en, access_fr, "
        "access_en, intake_fr, intake_en, fees_fr, fees_en, fls_designated, contact_name, email, phone, website, "
        "waitlist_status, wait_weeks, waitlist_updated_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {organisation_id,
         in.name_fr,
         in.name_en,
         d::fold(in.name_fr),
         d::fold(in.name_en),
         in.description_fr,
         in.description_en,
         in.eligibility_fr,
         in.eligibility_en,
         opt_int(in.age_min),
         opt_int(in.age_max),
         in.area_served_fr,
         in.area_served_en,
         in.access_fr,
         in.access_en,
         in.intake_fr,
         in.intake_en,
         in.fees_fr,
         in.fees_en,
         b(in.fls_designated),
         in.contact_name,
         in.email,
         in.phone,
         in.website,
         std::string(d::code(in.waitlist.status)),
         opt_int(in.waitlist.wait_weeks),
         t,
         t,
         t});
    const auto id = r->i64(0);
    write_links(id, in, term_ids);
    tx_.exec(
        "INSERT INTO waitlist_updates (service_id, status, wait_weeks, recorded_at, user_id) VALUES (?, ?, ?, ?, ?)",
        {id, std::string(d::code(in.waitlist.status)), opt_int(in.waitlist.wait_weeks), t, actor ? Value{actor} : Value{Null{}}});
    reindex_service(id);
    audit(actor, "create", "service", id);
    return id;
}

Result<void> DirectoryRepo::update_service(std::int64_t id, const d::Service& in, std::int64_t actor) {
    auto current = tx_.query_one("SELECT organisation_id FROM services WHERE id = ?", {id});
    if (!current) return Error::not_found();
    std::vector<std::int64_t> term_ids;
    if (auto e = check_service(current->i64(0), in, term_ids); !e.empty()) return Error::invalid(std::move(e));
    tx_.exec(
        "UPDATE services SET name_fr = ?, name_en = ?, sort_name_fr = ?, sort_name_en = ?, description_fr = ?, "
        "description_en = ?, eligibility_fr = ?, eligibility_en = ?, age_min = ?, age_max = ?, area_served_fr = ?, "
        "area_served_en = ?, access_fr = ?, access_en = ?, intake_fr = ?, intake_en = ?, fees_fr = ?, fees_en = ?, "
        "fls_designated = ?, contact_name = ?, email = ?, phone = ?, website = ?, updated_at = ? WHERE id = ?",
        {in.name_fr,
         in.name_en,
         d::fold(in.name_fr),
         d::fold(in.name_en),
         in.description_fr,
         in.description_en,
         in.eligibility_fr,
         in.eligibility_en,
         opt_int(in.age_min),
         opt_int(in.age_max),
         in.area_served_fr,
         in.area_served_en,
         in.access_fr,
         in.access_en,
         in.intake_fr,
         in.intake_en,
         in.fees_fr,
         in.fees_en,
         b(in.fls_designated),
         in.contact_name,
         in.email,
         in.phone,
         in.website,
         now(),
         id});
    write_links(id, in, term_ids);
    reindex_service(id);
    audit(actor, "update", "service", id);
    return ok();
}

Result<void> DirectoryRepo::set_service_active(std::int64_t id, bool active, std::int64_t actor) {
    auto n = tx_.exec("UPDATE services SET active = ?, updated_at = ? WHERE id = ?", {b(active), now(), id});
    if (n) {
        refresh_search_row(id);
        audit(actor, active ? "reactivate" : "deactivate", "service", id);
    }
    return changed(n);
}

Result<void> DirectoryRepo::update_waitlist(std::int64_t id, const d::Waitlist& in, std::int64_t actor) {
    const auto t = now();
    const std::string status(d::code(in.status));
    auto n = tx_.exec(
        "UPDATE services SET waitlist_status = ?, wait_weeks = ?, waitlist_updated_at = ?, updated_at = ? "
        "WHERE id = ?",
        {status, opt_int(in.wait_weeks), t, t, id});
    if (!n) return Error::not_found();
    refresh_search_row(id);
    tx_.exec("INSERT INTO waitlist_updates (service_id, status, wait_weeks, recorded_at, user_id) VALUES (?, ?, ?, ?, ?)",
             {id, status, opt_int(in.wait_weeks), t, actor ? Value{actor} : Value{Null{}}});
    audit(actor, "waitlist", "service", id);
    return ok();
}

// ---- locations

std::vector<LocationRow> DirectoryRepo::list_locations(std::int64_t organisation_id, bool include_inactive) {
    std::vector<LocationRow> out;
    for (const auto& r : tx_.query(std::string("SELECT ") + location_columns +
                                       " FROM sites si LEFT JOIN location_details ld ON ld.site_id = si.id "
                                       "WHERE si.organisation_id = ?" +
                                       (include_inactive ? "" : " AND si.active = 1") + " ORDER BY si.name_en, si.id",
                                   {organisation_id}))
        out.push_back(location_from(r));
    return out;
}

std::vector<LocationRow> DirectoryRepo::service_locations(std::int64_t service_id) {
    std::vector<LocationRow> out;
    for (const auto& r : tx_.query(std::string("SELECT ") + location_columns +
                                       " FROM service_locations sl JOIN sites si ON si.id = sl.site_id "
                                       "LEFT JOIN location_details ld ON ld.site_id = si.id "
                                       "WHERE sl.service_id = ? AND si.active = 1 ORDER BY si.city, si.name_en, si.id",
                                   {service_id}))
        out.push_back(location_from(r));
    return out;
}

std::optional<LocationRow> DirectoryRepo::find_location(std::int64_t site_id) {
    auto r = tx_.query_one(std::string("SELECT ") + location_columns +
                               " FROM sites si LEFT JOIN location_details ld ON ld.site_id = si.id WHERE si.id = ?",
                           {site_id});
    if (!r) return std::nullopt;
    return location_from(*r);
}

static void write_location_details(Tx& tx, std::int64_t site_id, const d::Location& in, const std::string& at) {
    tx.exec(
        "INSERT INTO location_details (site_id, phone, hours_fr, hours_en, accessibility_fr, accessibility_en, "
        "step_free_access, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (site_id) DO UPDATE SET phone = excluded.phone, hours_fr = excluded.hours_fr, "
        "hours_en = excluded.hours_en, accessibility_fr = excluded.accessibility_fr, "
        "accessibility_en = excluded.accessibility_en, step_free_access = excluded.step_free_access, "
        "updated_at = excluded.updated_at",
        {site_id, in.phone, in.hours_fr, in.hours_en, in.accessibility_fr, in.accessibility_en, b(in.step_free_access), at});
}

Result<std::int64_t> DirectoryRepo::create_location(std::int64_t organisation_id, const d::Location& in, std::int64_t actor) {
    auto org = tx_.query_one("SELECT active FROM organisations WHERE id = ?", {organisation_id});
    if (!org || !org->boolean(0)) return Error::not_found();
    auto id = IdentityRepo(tx_, clock_)
                  .create_site(organisation_id, {in.name_fr, in.name_en, in.address, in.city, in.postal_code}, actor);
    if (!id) return id.error();
    write_location_details(tx_, *id, in, now());
    return *id;
}

Result<void> DirectoryRepo::update_location(std::int64_t site_id, const d::Location& in, std::int64_t actor) {
    auto r = IdentityRepo(tx_, clock_).update_site(site_id, {in.name_fr, in.name_en, in.address, in.city, in.postal_code}, actor);
    if (!r) return r;
    write_location_details(tx_, site_id, in, now());
    for (const auto& s : tx_.query("SELECT service_id FROM service_locations WHERE site_id = ?", {site_id}))
        reindex_service(s.i64(0));
    return ok();
}

Result<void> DirectoryRepo::set_location_active(std::int64_t site_id, bool active, std::int64_t actor) {
    auto r = IdentityRepo(tx_, clock_).set_site_active(site_id, active, actor);
    if (!r) return r;
    for (const auto& s : tx_.query("SELECT service_id FROM service_locations WHERE site_id = ?", {site_id}))
        reindex_service(s.i64(0));
    return ok();
}

// ---- search

SearchResults DirectoryRepo::search(const d::SearchFilters& f, Lang lang, int page_size) {
    const bool sqlite = tx_.dialect() == Dialect::sqlite;
    const bool text = !f.query.empty();
    // Filters and sorts read only the narrow service_search rows (V008); the wide services rows
    // are read for the page alone.
    std::string from = " FROM service_search ss";
    std::string where = " WHERE ss.public = 1";
    Params params;
    if (text && sqlite) {
        // The full-text index drives the join (CROSS JOIN fixes the order): left to itself the
        // planner may walk the rows and run the MATCH once per row, seconds at 50,000.
        from = " FROM service_fts CROSS JOIN service_search ss ON ss.service_id = service_fts.rowid";
        where += " AND service_fts MATCH ?";
        params.emplace_back(d::fts5_match(f.query));
    } else if (text) {
        from = " FROM services s JOIN service_search ss ON ss.service_id = s.id";
        where += " AND s.search_vector @@ to_tsquery('simple', ?)";
        params.emplace_back(d::pg_tsquery(f.query));
    }
    if (f.sda_id) {
        where += " AND ss.sda_id = ?";
        params.emplace_back(*f.sda_id);
    }
    if (f.age) {
        where += " AND (ss.age_min IS NULL OR ss.age_min <= ?) AND (ss.age_max IS NULL OR ss.age_max >= ?)";
        params.emplace_back(std::int64_t{*f.age});
        params.emplace_back(std::int64_t{*f.age});
    }
    if (f.open_only) where += " AND ss.wait_rank = 0";
    if (f.max_wait_weeks) {
        where += " AND (ss.wait_rank = 0 OR (ss.wait_rank = 1 AND ss.wait_weeks <= ?))";
        params.emplace_back(std::int64_t{*f.max_wait_weeks});
    }
    if (f.fls_only) where += " AND ss.fls_designated = 1";
    // Categories and languages: without words, a small set of services drives the query (IN);
    // a large one (French, English) is checked row by row while the sort order is read, which
    // stops after the cap. With words the full-text matches drive and each is checked.
    if (f.category) {
        auto term = tx_.query_one("SELECT id FROM taxonomy_terms WHERE code = ?", {*f.category});
        if (!term) return {};
        where += text ? " AND EXISTS (SELECT 1 FROM service_categories sc WHERE sc.service_id = ss.service_id AND sc.term_id = ?)"
                      : " AND ss.service_id IN (SELECT sc.service_id FROM service_categories sc WHERE sc.term_id = ?)";
        params.emplace_back(term->i64(0));
    }
    if (f.language) {
        const bool few =
            !text && tx_.query_one("SELECT COUNT(*) FROM (SELECT 1 FROM service_languages WHERE language = ? LIMIT ?) l",
                                   {*f.language, few_services})
                             ->i64(0) < few_services;
        where += few ? " AND ss.service_id IN (SELECT sl.service_id FROM service_languages sl WHERE sl.language = ?)"
                     : " AND EXISTS (SELECT 1 FROM service_languages sl WHERE sl.service_id = ss.service_id AND sl.language = ?)";
        params.emplace_back(*f.language);
    }

    const std::string by_name = lang == Lang::fr ? "ss.sort_name_fr, ss.service_id" : "ss.sort_name_en, ss.service_id";
    std::string order;
    switch (text ? f.sort : (f.sort == d::SearchSort::relevance ? d::SearchSort::name : f.sort)) {
        case d::SearchSort::relevance:
            if (sqlite) {
                order = "bm25(service_fts), ss.service_id";
            } else {
                order = "ts_rank(s.search_vector, to_tsquery('simple', ?)) DESC, ss.service_id";
                params.emplace_back(d::pg_tsquery(f.query));
            }
            break;
        case d::SearchSort::name:
            order = by_name;
            break;
        case d::SearchSort::wait:
            order = "ss.wait_rank, ss.wait_weeks, " + by_name;
            break;
        case d::SearchSort::updated:
            order = "ss.updated_at DESC, ss.service_id";
            break;
    }
    // One ranked pass gives both the capped count and the page: the first search_count_cap + 1
    // matches in order (or as far as a page beyond the cap reaches).
    const auto offset = static_cast<std::size_t>(page_size) * static_cast<std::size_t>(f.page - 1);
    const auto wanted = std::max<std::size_t>(search_count_cap + 1, offset + static_cast<std::size_t>(page_size));
    params.emplace_back(static_cast<std::int64_t>(wanted));
    std::vector<std::int64_t> ranked;
    for (const auto& r : tx_.query("SELECT ss.service_id" + from + where + " ORDER BY " + order + " LIMIT ?", params))
        ranked.push_back(r.i64(0));

    SearchResults out;
    out.total = static_cast<std::int64_t>(ranked.size());
    if (out.total > search_count_cap) {
        out.total = search_count_cap;
        out.more = true;
    }
    if (offset >= ranked.size()) return out;
    out.services = summaries(
        {ranked.begin() + static_cast<std::ptrdiff_t>(offset),
         ranked.begin() + static_cast<std::ptrdiff_t>(std::min(ranked.size(), offset + static_cast<std::size_t>(page_size)))});
    return out;
}

std::vector<ServiceSummary> DirectoryRepo::summaries(const std::vector<std::int64_t>& ids) {
    std::vector<ServiceSummary> out(ids.size());
    if (ids.empty()) return out;
    std::map<std::int64_t, ServiceSummary*> by_id;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        out[i].id = ids[i];
        by_id[ids[i]] = &out[i];
    }
    std::string sql =
        "SELECT s.id, s.name_fr, s.name_en, s.description_fr, s.description_en, o.name_fr, o.name_en, "
        "s.waitlist_status, s.wait_weeks, s.waitlist_updated_at, s.fls_designated "
        "FROM services s JOIN organisations o ON o.id = s.organisation_id WHERE s.id";
    Params p;
    append_in(sql, p, ids);
    for (const auto& r : tx_.query(sql, p)) {
        auto& s = *by_id[r.i64(0)];
        s.name_fr = r.str(1);
        s.name_en = r.str(2);
        s.description_fr = r.str(3);
        s.description_en = r.str(4);
        s.org_name_fr = r.str(5);
        s.org_name_en = r.str(6);
        s.waitlist_status = r.str(7);
        s.wait_weeks = r.opt_i64(8);
        s.waitlist_updated_at = r.str(9);
        s.fls_designated = r.boolean(10);
    }
    sql =
        "SELECT DISTINCT sl.service_id, si.city FROM service_locations sl JOIN sites si ON si.id = sl.site_id "
        "WHERE si.active = 1 AND si.city <> '' AND sl.service_id";
    p.clear();
    append_in(sql, p, ids);
    for (const auto& r : tx_.query(sql + " ORDER BY si.city", p)) by_id[r.i64(0)]->cities.push_back(r.str(1));
    sql = "SELECT service_id, language FROM service_languages WHERE service_id";
    p.clear();
    append_in(sql, p, ids);
    for (const auto& r : tx_.query(sql, p)) by_id[r.i64(0)]->languages.push_back(r.str(1));
    const auto& order_of = d::service_languages();
    for (auto& s : out)
        std::sort(s.languages.begin(), s.languages.end(), [&](const std::string& a, const std::string& c) {
            return std::find(order_of.begin(), order_of.end(), a) < std::find(order_of.begin(), order_of.end(), c);
        });
    return out;
}

// ---- staleness

std::vector<StaleService> DirectoryRepo::stale_services(std::optional<std::int64_t> organisation_id, TimePoint now_tp,
                                                        int stale_days, bool unreminded_only) {
    std::string sql =
        "SELECT s.id, s.organisation_id, s.name_fr, s.name_en, s.waitlist_updated_at FROM services s "
        "JOIN organisations o ON o.id = s.organisation_id "
        "WHERE s.active = 1 AND o.active = 1 AND s.waitlist_updated_at < ?";
    Params params{format_iso(now_tp - std::chrono::hours(24) * stale_days)};
    if (organisation_id) {
        sql += " AND s.organisation_id = ?";
        params.emplace_back(*organisation_id);
    }
    // A reminder goes to a stale service, so one at the very second of the last update came
    // before it: "<=".
    if (unreminded_only) sql += " AND (s.waitlist_reminded_at IS NULL OR s.waitlist_reminded_at <= s.waitlist_updated_at)";
    sql += " ORDER BY s.waitlist_updated_at, s.id";
    std::vector<StaleService> out;
    for (const auto& r : tx_.query(sql, params)) out.push_back({r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4)});
    return out;
}

void DirectoryRepo::mark_reminded(std::int64_t service_id) {
    tx_.exec("UPDATE services SET waitlist_reminded_at = ? WHERE id = ?", {now(), service_id});
}

// ---- referral pathways

std::vector<PathwayRow> DirectoryRepo::list_pathways(const std::optional<std::vector<std::int64_t>>& sda_ids,
                                                     bool include_inactive) {
    std::string sql = std::string(pathway_select) + " WHERE 1 = 1";
    Params params;
    if (sda_ids) {
        if (sda_ids->empty()) return {};
        sql += " AND p.sda_id";
        append_in(sql, params, *sda_ids);
    }
    if (!include_inactive) sql += " AND p.active = 1";
    sql += " ORDER BY a.code, COALESCE(t.sort_order, 100000), COALESCE(p.sector, ''), p.id";
    std::vector<PathwayRow> out;
    for (const auto& r : tx_.query(sql, params)) out.push_back(pathway_from(r));
    return out;
}

std::optional<PathwayRow> DirectoryRepo::find_pathway(std::int64_t id) {
    auto r = tx_.query_one(std::string(pathway_select) + " WHERE p.id = ?", {id});
    if (!r) return std::nullopt;
    return pathway_from(*r);
}

std::vector<FieldError> DirectoryRepo::check_pathway(const d::Pathway& in, std::optional<std::int64_t>& term_id) {
    std::vector<FieldError> e;
    auto sda = tx_.query_one("SELECT active FROM service_delivery_areas WHERE id = ?", {in.sda_id});
    if (!sda || !sda->boolean(0)) e.push_back({"sda_id", "field.choose_one", {}});
    term_id.reset();
    if (in.need) {
        if (auto t = tx_.query_one("SELECT id FROM taxonomy_terms WHERE code = ? AND active = 1", {*in.need}))
            term_id = t->i64(0);
        else
            e.push_back({"need", "service.unknown_category", {}});
    }
    std::optional<std::int64_t> service_org;
    if (in.service_id) {
        auto s = tx_.query_one(
            "SELECT s.organisation_id, o.sda_id FROM services s JOIN organisations o ON o.id = s.organisation_id "
            "WHERE s.id = ? AND s.active = 1 AND o.active = 1",
            {*in.service_id});
        if (!s || s->i64(1) != in.sda_id)
            e.push_back({"service_id", "field.choose_from_list", {}});
        else
            service_org = s->i64(0);
    }
    if (in.organisation_id) {
        auto o = tx_.query_one("SELECT sda_id FROM organisations WHERE id = ? AND active = 1", {*in.organisation_id});
        if (!o || o->i64(0) != in.sda_id)
            e.push_back({"organisation_id", "field.choose_from_list", {}});
        else if (service_org && *service_org != *in.organisation_id)
            e.push_back({"service_id", "pathway.service_not_of_organisation", {}});
    }
    return e;
}

Result<std::int64_t> DirectoryRepo::create_pathway(const d::Pathway& in, std::int64_t actor) {
    std::optional<std::int64_t> term_id;
    if (auto e = check_pathway(in, term_id); !e.empty()) return Error::invalid(std::move(e));
    const auto t = now();
    auto r = tx_.query_one(
        "INSERT INTO referral_pathways (sda_id, term_id, sector, mechanism, service_id, organisation_id, "
        "notes_fr, notes_en, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {in.sda_id, opt(term_id), opt(in.sector), std::string(d::code(in.mechanism)), opt(in.service_id), opt(in.organisation_id),
         in.notes_fr, in.notes_en, t, t});
    const auto id = r->i64(0);
    audit(actor, "create", "pathway", id);
    return id;
}

Result<void> DirectoryRepo::update_pathway(std::int64_t id, const d::Pathway& in, std::int64_t actor) {
    if (!tx_.query_one("SELECT 1 FROM referral_pathways WHERE id = ?", {id})) return Error::not_found();
    std::optional<std::int64_t> term_id;
    if (auto e = check_pathway(in, term_id); !e.empty()) return Error::invalid(std::move(e));
    tx_.exec(
        "UPDATE referral_pathways SET sda_id = ?, term_id = ?, sector = ?, mechanism = ?, service_id = ?, "
        "organisation_id = ?, notes_fr = ?, notes_en = ?, updated_at = ? WHERE id = ?",
        {in.sda_id, opt(term_id), opt(in.sector), std::string(d::code(in.mechanism)), opt(in.service_id), opt(in.organisation_id),
         in.notes_fr, in.notes_en, now(), id});
    audit(actor, "update", "pathway", id);
    return ok();
}

Result<void> DirectoryRepo::set_pathway_active(std::int64_t id, bool active, std::int64_t actor) {
    auto n = tx_.exec("UPDATE referral_pathways SET active = ?, updated_at = ? WHERE id = ?", {b(active), now(), id});
    if (n) audit(actor, active ? "reactivate" : "deactivate", "pathway", id);
    return changed(n);
}

std::vector<ServiceChoice> DirectoryRepo::services_in_sdas(const std::vector<std::int64_t>& sda_ids) {
    if (sda_ids.empty()) return {};
    std::string sql =
        "SELECT s.id, s.organisation_id, o.sda_id, s.name_fr, s.name_en, o.name_fr, o.name_en "
        "FROM services s JOIN organisations o ON o.id = s.organisation_id "
        "WHERE s.active = 1 AND o.active = 1 AND o.sda_id";
    Params params;
    append_in(sql, params, sda_ids);
    sql += " ORDER BY o.name_en, s.sort_name_en, s.id";
    std::vector<ServiceChoice> out;
    for (const auto& r : tx_.query(sql, params))
        out.push_back({r.i64(0), r.i64(1), r.i64(2), r.str(3), r.str(4), r.str(5), r.str(6)});
    return out;
}

// ---- search text

void DirectoryRepo::reindex_service(std::int64_t id) {
    auto r = tx_.query_one(
        "SELECT s.name_fr, s.name_en, s.description_fr, s.description_en, s.eligibility_fr, "
        "s.eligibility_en, s.area_served_fr, s.area_served_en, s.access_fr, s.access_en, s.intake_fr, "
        "s.intake_en, o.name_fr, o.name_en FROM services s JOIN organisations o ON o.id = s.organisation_id "
        "WHERE s.id = ?",
        {id});
    if (!r) return;
    std::string text;
    for (std::size_t i = 0; i < r->size(); ++i) text += r->str(i) + '\n';
    for (const auto& t : tx_.query("SELECT t.name_fr, t.name_en, t.keywords_fr, t.keywords_en FROM service_categories sc "
                                   "JOIN taxonomy_terms t ON t.id = sc.term_id WHERE sc.service_id = ?",
                                   {id}))
        text += t.str(0) + '\n' + t.str(1) + '\n' + t.str(2) + '\n' + t.str(3) + '\n';
    for (const auto& l : tx_.query("SELECT si.name_fr, si.name_en, si.city FROM service_locations sl "
                                   "JOIN sites si ON si.id = sl.site_id WHERE sl.service_id = ? AND si.active = 1",
                                   {id}))
        text += l.str(0) + '\n' + l.str(1) + '\n' + l.str(2) + '\n';
    tx_.exec("UPDATE services SET search_text = ? WHERE id = ?", {d::index_text(text), id});
    refresh_search_row(id);
}

void DirectoryRepo::refresh_search_row(std::int64_t id) {
    tx_.exec("DELETE FROM service_search WHERE service_id = ?", {id});
    tx_.exec(
        "INSERT INTO service_search (service_id, public, sda_id, age_min, age_max, fls_designated, wait_rank, wait_weeks, "
        "sort_name_fr, sort_name_en, updated_at) "
        "SELECT s.id, CASE WHEN s.active = 1 AND o.active = 1 THEN 1 ELSE 0 END, o.sda_id, s.age_min, s.age_max, "
        "s.fls_designated, CASE s.waitlist_status WHEN 'open' THEN 0 WHEN 'waitlist' THEN 1 ELSE 2 END, "
        "COALESCE(s.wait_weeks, 0), s.sort_name_fr, s.sort_name_en, s.waitlist_updated_at "
        "FROM services s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = ?",
        {id});
}

void DirectoryRepo::refresh_organisation_search_rows(std::int64_t organisation_id) {
    for (const auto& r : tx_.query("SELECT id FROM services WHERE organisation_id = ? ORDER BY id", {organisation_id}))
        refresh_search_row(r.i64(0));
}

void DirectoryRepo::reindex_organisation(std::int64_t organisation_id) {
    for (const auto& r : tx_.query("SELECT id FROM services WHERE organisation_id = ? ORDER BY id", {organisation_id}))
        reindex_service(r.i64(0));
}

void DirectoryRepo::reindex_all() {
    for (const auto& r : tx_.query("SELECT id FROM services ORDER BY id")) reindex_service(r.i64(0));
}

}  // namespace arrimage::store
