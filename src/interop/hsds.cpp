#include "interop/hsds.hpp"

#include <algorithm>
#include <map>

#include "interop/uuid.hpp"

namespace arrimage::interop {

using nlohmann::json;

namespace {

const std::string& pick(Lang lang, const std::string& fr, const std::string& en) {
    return lang == Lang::fr ? fr : en;
}
const std::string& other(Lang lang, const std::string& fr, const std::string& en) {
    return lang == Lang::fr ? en : fr;
}
std::string lang_code(Lang lang) {
    return lang == Lang::fr ? "fr" : "en";
}

// Only non-empty optional strings go into the JSON (HSDS leaves unknown values out).
void put(json& j, const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
}

json phone(std::string_view owner_field, const std::string& owner, std::string_view kind, std::int64_t id,
           const std::string& number) {
    json p = {{"id", hsds_id(std::string(kind) + "-phone", id)}, {"number", number}, {"type", "voice"}};
    p[std::string(owner_field)] = owner;
    p["languages"] = json::array();
    p["attributes"] = json::array();
    p["metadata"] = json::array();
    return p;
}

}  // namespace

namespace {

// The whole public directory (no range) or a range of it; a fixed number of queries.
DirectorySnapshot load(store::Tx& tx, const DirectoryRange* range) {
    using Kind = DirectoryRange::Kind;
    const bool by_services = range && range->kind == Kind::services;
    const bool by_orgs = range && range->kind == Kind::organisations;
    const bool by_locations = range && range->kind == Kind::locations;
    store::Params bounds;
    if (range) bounds = {range->first, range->last};
    DirectorySnapshot d;
    std::string sql =
        "SELECT id, name_fr, name_en, COALESCE(email, ''), COALESCE(phone, ''), COALESCE(website, ''), fls_designated "
        "FROM organisations WHERE active = 1";
    if (by_orgs) sql += " AND id BETWEEN ? AND ?";
    if (by_services) sql += " AND id IN (SELECT organisation_id FROM services WHERE id BETWEEN ? AND ?)";
    if (by_locations) sql += " AND id IN (SELECT organisation_id FROM sites WHERE id BETWEEN ? AND ?)";
    for (const auto& r : tx.query(sql + " ORDER BY id", bounds))
        d.organisations.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.boolean(6)});
    sql =
        "SELECT s.id, s.organisation_id, s.name_fr, s.name_en, s.address, s.city, s.postal_code, "
        "COALESCE(l.phone, ''), COALESCE(l.hours_fr, ''), COALESCE(l.hours_en, ''), "
        "COALESCE(l.accessibility_fr, ''), COALESCE(l.accessibility_en, ''), COALESCE(l.step_free_access, 0) "
        "FROM sites s JOIN organisations o ON o.id = s.organisation_id "
        "LEFT JOIN location_details l ON l.site_id = s.id "
        "WHERE s.active = 1 AND o.active = 1";
    if (by_orgs) sql += " AND s.organisation_id BETWEEN ? AND ?";
    if (by_services) sql += " AND s.id IN (SELECT site_id FROM service_locations WHERE service_id BETWEEN ? AND ?)";
    if (by_locations) sql += " AND s.id BETWEEN ? AND ?";
    for (const auto& r : tx.query(sql + " ORDER BY s.id", bounds))
        d.locations.push_back({r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.str(7), r.str(8), r.str(9),
                               r.str(10), r.str(11), r.boolean(12)});
    if (!by_orgs && !by_locations) {
        std::map<std::int64_t, std::size_t> index;
        const std::string in_range = by_services ? " AND s.id BETWEEN ? AND ?" : "";
        for (const auto& r :
             tx.query("SELECT s.id, s.organisation_id, s.name_fr, s.name_en, s.description_fr, s.description_en, "
                      "s.eligibility_fr, s.eligibility_en, s.age_min, s.age_max, s.area_served_fr, s.area_served_en, "
                      "s.access_fr, s.access_en, s.intake_fr, s.intake_en, s.fees_fr, s.fees_en, s.contact_name, s.email, "
                      "s.phone, s.website, s.fls_designated, s.waitlist_status, s.wait_weeks, s.waitlist_updated_at "
                      "FROM services s JOIN organisations o ON o.id = s.organisation_id "
                      "WHERE s.active = 1 AND o.active = 1" +
                          in_range + " ORDER BY s.id",
                      bounds)) {
            DirService s;
            s.id = r.i64(0);
            s.organisation_id = r.i64(1);
            s.name_fr = r.str(2), s.name_en = r.str(3), s.description_fr = r.str(4), s.description_en = r.str(5);
            s.eligibility_fr = r.str(6), s.eligibility_en = r.str(7);
            s.age_min = r.opt_i64(8), s.age_max = r.opt_i64(9);
            s.area_served_fr = r.str(10), s.area_served_en = r.str(11), s.access_fr = r.str(12), s.access_en = r.str(13);
            s.intake_fr = r.str(14), s.intake_en = r.str(15), s.fees_fr = r.str(16), s.fees_en = r.str(17);
            s.contact_name = r.str(18), s.email = r.str(19), s.phone = r.str(20), s.website = r.str(21);
            s.fls_designated = r.boolean(22);
            s.waitlist_status = r.str(23);
            s.wait_weeks = r.opt_i64(24);
            s.waitlist_updated_at = r.str(25);
            index[s.id] = d.services.size();
            d.services.push_back(std::move(s));
        }
        const std::string of_range = by_services ? " WHERE service_id BETWEEN ? AND ?" : "";
        for (const auto& r :
             tx.query("SELECT c.service_id, t.code FROM service_categories c JOIN taxonomy_terms t ON t.id = c.term_id" +
                          (by_services ? std::string(" WHERE c.service_id BETWEEN ? AND ?") : std::string()),
                      bounds))
            if (auto it = index.find(r.i64(0)); it != index.end()) d.services[it->second].categories.push_back(r.str(1));
        for (const auto& r : tx.query("SELECT service_id, language FROM service_languages" + of_range, bounds))
            if (auto it = index.find(r.i64(0)); it != index.end()) d.services[it->second].languages.push_back(r.str(1));
        std::map<std::int64_t, bool> active_site;
        for (const auto& l : d.locations) active_site[l.id] = true;
        for (const auto& r : tx.query("SELECT service_id, site_id FROM service_locations" + of_range, bounds))
            if (auto it = index.find(r.i64(0)); it != index.end() && active_site.count(r.i64(1)))
                d.services[it->second].site_ids.push_back(r.i64(1));
        for (auto& s : d.services) {
            std::sort(s.categories.begin(), s.categories.end());
            std::sort(s.languages.begin(), s.languages.end());
            std::sort(s.site_ids.begin(), s.site_ids.end());
        }
    }
    for (const auto& r :
         tx.query("SELECT id, code, name_fr, name_en FROM taxonomy_terms WHERE active = 1 ORDER BY sort_order, id"))
        d.terms.push_back({r.i64(0), r.str(1), r.str(2), r.str(3)});
    return d;
}

constexpr const char* public_services_from =
    " FROM services s JOIN organisations o ON o.id = s.organisation_id WHERE s.active = 1 AND o.active = 1";
constexpr const char* public_locations_from =
    " FROM sites s JOIN organisations o ON o.id = s.organisation_id WHERE s.active = 1 AND o.active = 1";
constexpr const char* public_links_from =
    " FROM service_locations sl JOIN services s ON s.id = sl.service_id JOIN organisations o ON o.id = s.organisation_id "
    "JOIN sites si ON si.id = sl.site_id WHERE s.active = 1 AND o.active = 1 AND si.active = 1";

IdPage id_page(store::Tx& tx, const std::string& from, const std::string& id_col, std::int64_t page, std::int64_t per_page) {
    IdPage out;
    out.total = tx.query_one("SELECT COUNT(*)" + from)->i64(0);
    for (const auto& r :
         tx.query("SELECT " + id_col + from + " ORDER BY " + id_col + " LIMIT ? OFFSET ?", {per_page, (page - 1) * per_page}))
        out.ids.push_back(r.i64(0));
    return out;
}

}  // namespace

DirectorySnapshot load_directory(store::Tx& tx) {
    return load(tx, nullptr);
}
DirectorySnapshot load_directory(store::Tx& tx, const DirectoryRange& range) {
    return load(tx, &range);
}

IdPage public_service_ids(store::Tx& tx, std::int64_t page, std::int64_t per_page) {
    return id_page(tx, public_services_from, "s.id", page, per_page);
}

IdPage public_organisation_ids(store::Tx& tx, std::int64_t page, std::int64_t per_page) {
    return id_page(tx, " FROM organisations WHERE active = 1", "id", page, per_page);
}

IdPage public_location_ids(store::Tx& tx, std::int64_t page, std::int64_t per_page) {
    return id_page(tx, public_locations_from, "s.id", page, per_page);
}

LinkPage public_service_locations(store::Tx& tx, std::int64_t page, std::int64_t per_page) {
    LinkPage out;
    out.total = tx.query_one(std::string("SELECT COUNT(*)") + public_links_from)->i64(0);
    for (const auto& r : tx.query(std::string("SELECT sl.service_id, sl.site_id") + public_links_from +
                                      " ORDER BY sl.service_id, sl.site_id LIMIT ? OFFSET ?",
                                  {per_page, (page - 1) * per_page}))
        out.links.emplace_back(r.i64(0), r.i64(1));
    return out;
}

std::optional<std::int64_t> find_public_id(store::Tx& tx, std::string_view kind, const std::string& hsds_uuid) {
    std::string sql;
    if (kind == "service")
        sql = std::string("SELECT s.id") + public_services_from;
    else if (kind == "organization")
        sql = "SELECT id FROM organisations WHERE active = 1";
    else if (kind == "location")
        sql = std::string("SELECT s.id") + public_locations_from;
    else
        return std::nullopt;
    const std::string prefix(kind);
    for (const auto& r : tx.query(sql))
        if (hsds_id(prefix, r.i64(0)) == hsds_uuid) return r.i64(0);
    return std::nullopt;
}

std::optional<std::pair<std::int64_t, std::int64_t>> find_public_link(store::Tx& tx, const std::string& hsds_uuid) {
    for (const auto& r : tx.query(std::string("SELECT sl.service_id, sl.site_id") + public_links_from))
        if (hsds_id("service_at_location", std::to_string(r.i64(0)) + ":" + std::to_string(r.i64(1))) == hsds_uuid)
            return std::pair{r.i64(0), r.i64(1)};
    return std::nullopt;
}

std::string category_taxonomy_id() {
    return hsds_id("taxonomy", hsds_taxonomy_name);
}

json hsds_organization(const DirOrganisation& o, Lang lang) {
    const auto id = hsds_id("organization", o.id);
    json j = {{"id", id}, {"name", pick(lang, o.name_fr, o.name_en)}, {"description", pick(lang, o.name_fr, o.name_en)}};
    put(j, "alternate_name", other(lang, o.name_fr, o.name_en));
    put(j, "email", o.email);
    put(j, "website", o.website);
    j["phones"] = json::array();
    if (!o.phone.empty()) j["phones"].push_back(phone("organization_id", id, "organization", o.id, o.phone));
    j["funding"] = json::array();
    j["contacts"] = json::array();
    j["locations"] = json::array();
    j["programs"] = json::array();
    j["organization_identifiers"] = json::array();
    j["attributes"] = json::array();
    j["metadata"] = json::array();
    return j;
}

json hsds_location(const DirLocation& l, Lang lang) {
    const auto id = hsds_id("location", l.id);
    json j = {{"id", id},
              {"location_type", "physical"},
              {"organization_id", hsds_id("organization", l.organisation_id)},
              {"name", pick(lang, l.name_fr, l.name_en)}};
    put(j, "alternate_name", other(lang, l.name_fr, l.name_en));
    j["languages"] = json::array();
    j["addresses"] = json::array();
    if (!l.address.empty() || !l.city.empty()) {
        j["addresses"].push_back({{"id", hsds_id("address", l.id)},
                                  {"location_id", id},
                                  {"address_1", l.address},
                                  {"city", l.city},
                                  {"state_province", "ON"},
                                  {"postal_code", l.postal_code},
                                  {"country", "CA"},
                                  {"address_type", "physical"},
                                  {"attributes", json::array()},
                                  {"metadata", json::array()}});
    }
    j["contacts"] = json::array();
    j["accessibility"] = json::array();
    const auto& access = pick(lang, l.accessibility_fr, l.accessibility_en);
    if (!access.empty() || l.step_free_access) {
        json a = {{"id", hsds_id("accessibility", l.id)},
                  {"location_id", id},
                  {"attributes", json::array()},
                  {"metadata", json::array()}};
        put(a, "description", access);
        if (l.step_free_access) a["details"] = "step_free_access";
        j["accessibility"].push_back(a);
    }
    j["phones"] = json::array();
    if (!l.phone.empty()) j["phones"].push_back(phone("location_id", id, "location", l.id, l.phone));
    j["schedules"] = json::array();
    const auto& hours = pick(lang, l.hours_fr, l.hours_en);
    if (!hours.empty()) {
        j["schedules"].push_back({{"id", hsds_id("schedule", l.id)},
                                  {"location_id", id},
                                  {"description", hours},
                                  {"attributes", json::array()},
                                  {"metadata", json::array()}});
    }
    j["attributes"] = json::array();
    j["metadata"] = json::array();
    return j;
}

std::string hsds_wait_time(const DirService& s, Lang lang) {
    if (s.waitlist_status != "waitlist" || !s.wait_weeks) return "";
    return std::to_string(*s.wait_weeks) + (lang == Lang::fr ? " semaines" : " weeks");
}

std::string hsds_status(const DirService& s) {
    return s.waitlist_status == "closed" ? "temporarily closed" : "active";
}

json hsds_taxonomy(Lang lang) {
    return {{"id", category_taxonomy_id()},
            {"name", hsds_taxonomy_name},
            {"description", lang == Lang::fr ? "Catégories du répertoire des services d'Arrimage"
                                             : "Categories of the Arrimage service directory"},
            {"version", "1"},
            {"metadata", json::array()}};
}

json hsds_taxonomy_term(const DirTerm& t, Lang lang) {
    return {{"id", hsds_id("taxonomy_term", t.code)},
            {"code", t.code},
            {"name", pick(lang, t.name_fr, t.name_en)},
            {"description", pick(lang, t.name_fr, t.name_en)},
            {"taxonomy", hsds_taxonomy_name},
            {"taxonomy_id", category_taxonomy_id()},
            {"language", lang_code(lang)},
            {"metadata", json::array()}};
}

json hsds_service_at_location(const DirService& s, const DirLocation& l, Lang lang) {
    json j = {{"id", hsds_id("service_at_location", std::to_string(s.id) + ":" + std::to_string(l.id))},
              {"service_id", hsds_id("service", s.id)},
              {"location_id", hsds_id("location", l.id)},
              {"contacts", json::array()},
              {"phones", json::array()},
              {"schedules", json::array()},
              {"location", hsds_location(l, lang)},
              {"attributes", json::array()},
              {"metadata", json::array()}};
    return j;
}

json hsds_service(const DirService& s, const DirectorySnapshot& d, Lang lang) {
    const auto id = hsds_id("service", s.id);
    json j = {{"id", id},
              {"organization_id", hsds_id("organization", s.organisation_id)},
              {"name", pick(lang, s.name_fr, s.name_en)},
              {"status", hsds_status(s)}};
    put(j, "alternate_name", other(lang, s.name_fr, s.name_en));
    put(j, "description", pick(lang, s.description_fr, s.description_en));
    put(j, "url", s.website);
    put(j, "email", s.email);
    put(j, "application_process", pick(lang, s.access_fr, s.access_en));
    put(j, "fees_description", pick(lang, s.fees_fr, s.fees_en));
    put(j, "wait_time", hsds_wait_time(s, lang));
    put(j, "eligibility_description", pick(lang, s.eligibility_fr, s.eligibility_en));
    if (s.age_min) j["minimum_age"] = *s.age_min;
    if (s.age_max) j["maximum_age"] = *s.age_max;
    if (s.waitlist_updated_at.size() >= 10) j["assured_date"] = s.waitlist_updated_at.substr(0, 10);
    if (s.waitlist_status == "closed")
        j["alert"] = lang == Lang::fr ? "Liste d'attente fermée : aucune nouvelle demande pour le moment."
                                      : "Waitlist closed: not accepting new referrals at this time.";
    j["phones"] = json::array();
    if (!s.phone.empty()) j["phones"].push_back(phone("service_id", id, "service", s.id, s.phone));
    j["schedules"] = json::array();
    j["service_areas"] = json::array();
    const auto& area = pick(lang, s.area_served_fr, s.area_served_en);
    if (!area.empty())
        j["service_areas"].push_back({{"id", hsds_id("service_area", s.id)},
                                      {"service_id", id},
                                      {"name", area},
                                      {"description", area},
                                      {"attributes", json::array()},
                                      {"metadata", json::array()}});
    j["service_at_locations"] = json::array();
    for (auto site : s.site_ids) {
        auto it = std::lower_bound(d.locations.begin(), d.locations.end(), site,
                                   [](const DirLocation& l, std::int64_t v) { return l.id < v; });
        if (it != d.locations.end() && it->id == site)
            j["service_at_locations"].push_back(hsds_service_at_location(s, *it, lang));
    }
    j["languages"] = json::array();
    for (const auto& code : s.languages)
        j["languages"].push_back({{"id", hsds_id("language", std::to_string(s.id) + ":" + code)},
                                  {"service_id", id},
                                  {"code", code},
                                  {"attributes", json::array()},
                                  {"metadata", json::array()}});
    j["funding"] = json::array();
    j["cost_options"] = json::array();
    j["required_documents"] = json::array();
    j["contacts"] = json::array();
    if (!s.contact_name.empty())
        j["contacts"].push_back({{"id", hsds_id("contact", s.id)},
                                 {"service_id", id},
                                 {"name", s.contact_name},
                                 {"phones", json::array()},
                                 {"attributes", json::array()},
                                 {"metadata", json::array()}});
    j["attributes"] = json::array();
    for (const auto& code : s.categories) {
        auto t = std::find_if(d.terms.begin(), d.terms.end(), [&](const DirTerm& x) { return x.code == code; });
        if (t == d.terms.end()) continue;
        j["attributes"].push_back({{"id", hsds_id("attribute", std::to_string(s.id) + ":" + code)},
                                   {"link_id", id},
                                   {"link_type", "service"},
                                   {"link_entity", "service"},
                                   {"taxonomy_term_id", hsds_id("taxonomy_term", code)},
                                   {"taxonomy_term", hsds_taxonomy_term(*t, lang)},
                                   {"metadata", json::array()}});
    }
    j["metadata"] = json::array();
    return j;
}

json hsds_page_of(std::vector<json> contents, std::int64_t total, std::int64_t page, std::int64_t per_page) {
    if (per_page < 1) per_page = 1;
    if (page < 1) page = 1;
    const auto pages = std::max<std::int64_t>(1, (total + per_page - 1) / per_page);
    const auto size = static_cast<std::int64_t>(contents.size());
    return {{"total_items", total},      {"total_pages", pages},
            {"page_number", page},       {"size", size},
            {"first_page", page == 1},   {"last_page", page >= pages},
            {"empty", contents.empty()}, {"contents", json(std::move(contents))}};
}

json hsds_page(const std::vector<json>& items, std::int64_t page, std::int64_t per_page) {
    const auto total = static_cast<std::int64_t>(items.size());
    if (per_page < 1) per_page = 1;
    if (page < 1) page = 1;
    const auto pages = std::max<std::int64_t>(1, (total + per_page - 1) / per_page);
    json contents = json::array();
    for (std::int64_t i = (page - 1) * per_page; i < total && i < page * per_page; ++i)
        contents.push_back(items[static_cast<std::size_t>(i)]);
    return {{"total_items", total},      {"total_pages", pages},
            {"page_number", page},       {"size", static_cast<std::int64_t>(contents.size())},
            {"first_page", page == 1},   {"last_page", page >= pages},
            {"empty", contents.empty()}, {"contents", contents}};
}

}  // namespace arrimage::interop
