#include "interop/hsds_tables.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/text.hpp"
#include "domain/directory.hpp"
#include "interop/uuid.hpp"
#include "store/directory_repo.hpp"
#include "store/identity_repo.hpp"

namespace arrimage::interop {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The second taxonomy: service fields HSDS has no column for, carried as attributes.
constexpr const char* fields_taxonomy = "arrimage-fields";
constexpr const char* intake_term = "intake_process";
constexpr const char* fls_term = "fls_designated";

struct Table {
    std::string name;
    std::vector<std::string> columns;
};

const std::vector<Table>& tables() {
    static const std::vector<Table> t = {
        {"organizations.csv", {"id", "name", "alternate_name", "description", "email", "website"}},
        {"services.csv", {"id", "organization_id", "name", "alternate_name", "description", "url", "email", "status",
                          "application_process", "fees_description", "wait_time", "eligibility_description",
                          "minimum_age", "maximum_age", "assured_date", "alert"}},
        {"locations.csv", {"id", "location_type", "organization_id", "name", "alternate_name"}},
        {"addresses.csv", {"id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type"}},
        {"phones.csv", {"id", "organization_id", "service_id", "location_id", "number", "type"}},
        {"schedules.csv", {"id", "location_id", "description"}},
        {"accessibility.csv", {"id", "location_id", "description", "details"}},
        {"service_at_locations.csv", {"id", "service_id", "location_id"}},
        {"languages.csv", {"id", "service_id", "code"}},
        {"service_areas.csv", {"id", "service_id", "name", "description"}},
        {"contacts.csv", {"id", "service_id", "name"}},
        {"taxonomies.csv", {"id", "name", "description", "version"}},
        {"taxonomy_terms.csv", {"id", "code", "name", "description", "taxonomy_id", "language"}},
        {"attributes.csv", {"id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value"}},
    };
    return t;
}

std::string fields_taxonomy_id() { return hsds_id("taxonomy", fields_taxonomy); }

}  // namespace

const std::string* CsvSet::find(const std::string& name) const {
    for (const auto& [n, text] : files)
        if (n == name) return &text;
    return nullptr;
}

CsvSet hsds_csv_export(const DirectorySnapshot& d, Lang lang) {
    const bool fr = lang == Lang::fr;
    auto L = [fr](const std::string& f, const std::string& e) -> const std::string& { return fr ? f : e; };
    auto O = [fr](const std::string& f, const std::string& e) -> const std::string& { return fr ? e : f; };
    std::map<std::string, std::string> out;
    for (const auto& t : tables()) out[t.name] = csv_record(t.columns);
    auto add = [&](const char* file, std::vector<std::string> row) { out[file] += csv_record(row); };
    auto opt = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); };

    for (const auto& o : d.organisations) {
        const auto id = hsds_id("organization", o.id);
        add("organizations.csv", {id, L(o.name_fr, o.name_en), O(o.name_fr, o.name_en), L(o.name_fr, o.name_en), o.email, o.website});
        if (!o.phone.empty()) add("phones.csv", {hsds_id("organization-phone", o.id), id, "", "", o.phone, "voice"});
    }
    for (const auto& l : d.locations) {
        const auto id = hsds_id("location", l.id);
        add("locations.csv", {id, "physical", hsds_id("organization", l.organisation_id), L(l.name_fr, l.name_en), O(l.name_fr, l.name_en)});
        add("addresses.csv", {hsds_id("address", l.id), id, l.address, l.city, "ON", l.postal_code, "CA", "physical"});
        if (!l.phone.empty()) add("phones.csv", {hsds_id("location-phone", l.id), "", "", id, l.phone, "voice"});
        if (!L(l.hours_fr, l.hours_en).empty()) add("schedules.csv", {hsds_id("schedule", l.id), id, L(l.hours_fr, l.hours_en)});
        if (!L(l.accessibility_fr, l.accessibility_en).empty() || l.step_free_access)
            add("accessibility.csv", {hsds_id("accessibility", l.id), id, L(l.accessibility_fr, l.accessibility_en),
                                      l.step_free_access ? "step_free_access" : ""});
    }
    for (const auto& s : d.services) {
        const auto id = hsds_id("service", s.id);
        std::string alert;
        if (s.waitlist_status == "closed")
            alert = fr ? "Liste d'attente fermée : aucune nouvelle demande pour le moment."
                       : "Waitlist closed: not accepting new referrals at this time.";
        add("services.csv", {id, hsds_id("organization", s.organisation_id), L(s.name_fr, s.name_en), O(s.name_fr, s.name_en),
                             L(s.description_fr, s.description_en), s.website, s.email, hsds_status(s),
                             L(s.access_fr, s.access_en), L(s.fees_fr, s.fees_en), hsds_wait_time(s, lang),
                             L(s.eligibility_fr, s.eligibility_en), opt(s.age_min), opt(s.age_max),
                             s.waitlist_updated_at.substr(0, std::min<std::size_t>(10, s.waitlist_updated_at.size())), alert});
        if (!s.phone.empty()) add("phones.csv", {hsds_id("service-phone", s.id), "", id, "", s.phone, "voice"});
        for (auto site : s.site_ids)
            add("service_at_locations.csv", {hsds_id("service_at_location", std::to_string(s.id) + ":" + std::to_string(site)), id,
                                             hsds_id("location", site)});
        for (const auto& code : s.languages)
            add("languages.csv", {hsds_id("language", std::to_string(s.id) + ":" + code), id, code});
        if (!L(s.area_served_fr, s.area_served_en).empty())
            add("service_areas.csv", {hsds_id("service_area", s.id), id, L(s.area_served_fr, s.area_served_en),
                                      L(s.area_served_fr, s.area_served_en)});
        if (!s.contact_name.empty()) add("contacts.csv", {hsds_id("contact", s.id), id, s.contact_name});
        for (const auto& code : s.categories)
            add("attributes.csv", {hsds_id("attribute", std::to_string(s.id) + ":" + code), id, "service", "service",
                                   hsds_id("taxonomy_term", code), ""});
        if (!L(s.intake_fr, s.intake_en).empty())
            add("attributes.csv", {hsds_id("attribute", std::to_string(s.id) + ":" + intake_term), id, "service", "service",
                                   hsds_id("taxonomy_term", std::string(intake_term)), L(s.intake_fr, s.intake_en)});
        if (s.fls_designated)
            add("attributes.csv", {hsds_id("attribute", std::to_string(s.id) + ":" + fls_term), id, "service", "service",
                                   hsds_id("taxonomy_term", std::string(fls_term)), "true"});
    }
    for (const auto& o : d.organisations)
        if (o.fls_designated)
            add("attributes.csv", {hsds_id("attribute", "organization:" + std::to_string(o.id) + ":" + fls_term),
                                   hsds_id("organization", o.id), "organization", "organization",
                                   hsds_id("taxonomy_term", std::string(fls_term)), "true"});
    add("taxonomies.csv", {category_taxonomy_id(), hsds_taxonomy_name,
                           fr ? "Catégories du répertoire des services d'Arrimage" : "Categories of the Arrimage service directory", "1"});
    add("taxonomies.csv", {fields_taxonomy_id(), fields_taxonomy,
                           fr ? "Champs d'Arrimage sans colonne HSDS" : "Arrimage fields without an HSDS column", "1"});
    for (const auto& t : d.terms)
        add("taxonomy_terms.csv", {hsds_id("taxonomy_term", t.code), t.code, L(t.name_fr, t.name_en), L(t.name_fr, t.name_en),
                                   category_taxonomy_id(), fr ? "fr" : "en"});
    add("taxonomy_terms.csv", {hsds_id("taxonomy_term", std::string(intake_term)), intake_term,
                               fr ? "Processus d'accueil" : "Intake process", fr ? "Processus d'accueil" : "Intake process",
                               fields_taxonomy_id(), fr ? "fr" : "en"});
    add("taxonomy_terms.csv", {hsds_id("taxonomy_term", std::string(fls_term)), fls_term,
                               fr ? "Désigné en vertu de la LSF" : "French Language Services designation",
                               fr ? "Désigné en vertu de la LSF" : "French Language Services designation", fields_taxonomy_id(),
                               fr ? "fr" : "en"});
    CsvSet set;
    for (const auto& t : tables()) set.files.emplace_back(t.name, std::move(out[t.name]));
    return set;
}

std::string hsds_datapackage_json(const CsvSet& set) {
    json resources = json::array();
    for (const auto& t : tables()) {
        if (!set.find(t.name)) continue;
        json fields = json::array();
        for (const auto& c : t.columns) fields.push_back({{"name", c}, {"type", "string"}});
        resources.push_back({{"name", t.name.substr(0, t.name.size() - 4)},
                             {"path", t.name},
                             {"profile", "tabular-data-resource"},
                             {"format", "csv"},
                             {"encoding", "utf-8"},
                             {"schema", {{"fields", fields}}}});
    }
    json pkg = {{"name", "arrimage-hsds"},
                {"title", "Arrimage service directory (HSDS 3.0)"},
                {"profile", "tabular-data-package"},
                {"version", "3.0.0"},
                {"resources", resources}};
    return pkg.dump(2) + "\n";
}

bool write_hsds_export(const DirectorySnapshot& d, const std::string& dir, std::string& error) {
    std::error_code ec;
    for (auto lang : {Lang::en, Lang::fr}) {
        const fs::path base = lang == Lang::fr ? fs::path(dir) / "fr" : fs::path(dir);
        fs::create_directories(base, ec);
        if (ec) {
            error = base.string() + ": " + ec.message();
            return false;
        }
        auto set = hsds_csv_export(d, lang);
        set.files.emplace_back("datapackage.json", hsds_datapackage_json(set));
        for (const auto& [name, text] : set.files) {
            std::ofstream f(base / name, std::ios::binary | std::ios::trunc);
            f << text;
            if (!f) {
                error = (base / name).string() + ": write failed";
                return false;
            }
        }
    }
    return true;
}

// ---------------------------------------------------------------- import

std::string ImportReport::text() const {
    std::ostringstream out;
    for (const auto& i : issues) {
        out << i.file;
        if (i.line) out << ":" << i.line;
        if (!i.field.empty()) out << " [" << i.field << "]";
        out << " " << i.problem;
        if (!i.value.empty()) out << " (" << i.value << ")";
        out << "\n";
    }
    return out.str();
}

const std::vector<std::string>& hsds_table_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& t : tables()) out.push_back(t.name);
        return out;
    }();
    return names;
}

const std::vector<std::string>& hsds_problem_codes() {
    static const std::vector<std::string> codes = {
        "missing_file", "missing_column", "invalid_uuid", "duplicate_id", "unknown_taxonomy_term", "unknown_organization",
        "unknown_location", "location_of_another_organization", "invalid_wait_time", "wait_time_out_of_range",
        "unsupported_status", "required", "too_many_issues", "unreadable", "too_large", "csv.too_large", "csv.invalid_utf8",
        "csv.unterminated_quote", "csv.too_many_rows", "csv.too_many_fields", "csv.field_too_long", "csv.ragged_row",
        "csv.empty", "csv.bad_quote"};
    return codes;
}

bool read_hsds_dir(const std::string& dir, CsvSet& primary, CsvSet& french, ImportReport& report, std::size_t max_file_bytes) {
    bool ok = true;
    for (auto* set : {&primary, &french}) {
        const fs::path base = set == &french ? fs::path(dir) / "fr" : fs::path(dir);
        if (set == &french && !fs::exists(base)) continue;
        for (const auto& t : tables()) {
            const auto path = base / t.name;
            std::error_code ec;
            if (!fs::exists(path, ec)) continue;
            const auto size = fs::file_size(path, ec);
            const std::string shown = (set == &french ? "fr/" : "") + t.name;
            if (ec || size > max_file_bytes) {
                report.issues.push_back({shown, 0, "", ec ? "unreadable" : "too_large", ""});
                ok = false;
                continue;
            }
            std::ifstream f(path, std::ios::binary);
            std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
            set->files.emplace_back(t.name, std::move(text));
        }
    }
    return ok;
}

namespace {

// One parsed file: rows as column name -> value, with their lines.
struct Rows {
    std::string file;
    std::vector<std::map<std::string, std::string>> rows;
    std::vector<std::size_t> lines;
};

std::string shorten(std::string_view v) {
    if (v.size() <= 60) return std::string(v);
    std::size_t n = 60;
    while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0u) == 0x80u) --n;  // keep UTF-8 whole
    return std::string(v.substr(0, n)) + "…";
}

class Importer {
public:
    Importer(const ImportOptions& o, ImportReport& r) : opt_(o), report_(r) {}

    Rows load(const CsvSet& set, const std::string& name, const std::string& prefix, bool required,
              const std::vector<std::string>& needed) {
        Rows out;
        out.file = prefix + name;
        const auto* text = set.find(name);
        if (!text) {
            if (required) issue(out.file, 0, "", "missing_file");
            return out;
        }
        CsvError err;
        auto table = parse_csv(*text, err, opt_.limits);
        if (!table) {
            issue(out.file, err.line, "", "csv." + err.code);
            return out;
        }
        for (const auto& c : needed)
            if (!table->column(c)) issue(out.file, 1, c, "missing_column");
        for (std::size_t r = 0; r < table->rows.size(); ++r) {
            std::map<std::string, std::string> row;
            for (std::size_t c = 0; c < table->header.size(); ++c) row[table->header[c]] = table->rows[r][c];
            out.rows.push_back(std::move(row));
            out.lines.push_back(table->lines[r]);
        }
        return out;
    }

    void issue(const std::string& file, std::size_t line, const std::string& field, const std::string& problem,
               std::string_view value = {}) {
        if (report_.issues.size() < 1000) report_.issues.push_back({file, line, field, problem, shorten(value)});
        else truncated_ = true;
    }
    bool truncated_ = false;

private:
    const ImportOptions& opt_;
    ImportReport& report_;
};

std::string get(const std::map<std::string, std::string>& row, const std::string& k) {
    auto it = row.find(k);
    return it == row.end() ? std::string() : trim(it->second);
}

std::optional<std::int64_t> parse_int(const std::string& s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

ImportReport hsds_import(store::Tx& tx, const Clock& clock, const CsvSet& primary, const CsvSet& french,
                         const ImportOptions& options) {
    ImportReport report;
    Importer in(options, report);
    const bool has_fr = !french.files.empty();

    auto orgs = in.load(primary, "organizations.csv", "", true, {"id", "name"});
    auto services = in.load(primary, "services.csv", "", true, {"id", "organization_id", "name", "status"});
    auto locations = in.load(primary, "locations.csv", "", false, {"id", "organization_id", "name"});
    auto addresses = in.load(primary, "addresses.csv", "", false, {"location_id"});
    auto phones = in.load(primary, "phones.csv", "", false, {"number"});
    auto schedules = in.load(primary, "schedules.csv", "", false, {"location_id"});
    auto access = in.load(primary, "accessibility.csv", "", false, {"location_id"});
    auto sal = in.load(primary, "service_at_locations.csv", "", false, {"service_id", "location_id"});
    auto langs = in.load(primary, "languages.csv", "", false, {"service_id", "code"});
    auto areas = in.load(primary, "service_areas.csv", "", false, {"service_id"});
    auto contacts = in.load(primary, "contacts.csv", "", false, {"service_id", "name"});
    auto terms = in.load(primary, "taxonomy_terms.csv", "", false, {"id"});
    auto attrs = in.load(primary, "attributes.csv", "", false, {"link_id", "taxonomy_term_id"});
    // French text, by id.
    Rows fr_orgs, fr_services, fr_locations, fr_schedules, fr_access, fr_areas, fr_attrs;
    if (has_fr) {
        fr_orgs = in.load(french, "organizations.csv", "fr/", true, {"id", "name"});
        fr_services = in.load(french, "services.csv", "fr/", true, {"id", "name"});
        fr_locations = in.load(french, "locations.csv", "fr/", false, {"id", "name"});
        fr_schedules = in.load(french, "schedules.csv", "fr/", false, {"location_id"});
        fr_access = in.load(french, "accessibility.csv", "fr/", false, {"location_id"});
        fr_areas = in.load(french, "service_areas.csv", "fr/", false, {"service_id"});
        fr_attrs = in.load(french, "attributes.csv", "fr/", false, {"link_id", "taxonomy_term_id"});
    }
    auto by = [](const Rows& rows, const std::string& key) {
        std::map<std::string, const std::map<std::string, std::string>*> m;
        for (const auto& r : rows.rows) m[get(r, key)] = &r;
        return m;
    };
    // French rows indexed once per (table, key column): the first row of an id wins, as a scan would.
    std::map<std::pair<const Rows*, std::string>, std::unordered_map<std::string, const std::map<std::string, std::string>*>>
        fr_index;
    auto fr_value = [&](const Rows& rows, const std::string& key, const std::string& id, const std::string& field,
                        const std::string& fallback) {
        auto [it, fresh] = fr_index.try_emplace({&rows, key});
        if (fresh)
            for (const auto& r : rows.rows) it->second.try_emplace(get(r, key), &r);
        const auto row = it->second.find(id);
        return row == it->second.end() ? fallback : get(*row->second, field);
    };
    if (!report.ok()) return report;

    // Taxonomy terms: the file's term ids -> codes; categories must exist in our taxonomy.
    std::map<std::string, std::string> term_code;
    for (const auto& r : terms.rows) term_code[get(r, "id")] = get(r, "code");
    std::set<std::string> known_categories;
    for (const auto& r : tx.query("SELECT code FROM taxonomy_terms WHERE active = 1")) known_categories.insert(r.str(0));

    // ---- organisations
    struct PendingOrg {
        std::string uuid;
        domain::Organisation org;
    };
    std::vector<PendingOrg> porgs;
    std::set<std::string> org_ids;
    std::map<std::string, std::string> org_phone;
    for (const auto& r : phones.rows)
        if (!get(r, "organization_id").empty()) org_phone[get(r, "organization_id")] = get(r, "number");
    std::set<std::string> fls_links;
    std::map<std::string, std::string> intake_en, intake_fr;
    std::map<std::string, std::vector<std::string>> categories;
    for (std::size_t i = 0; i < attrs.rows.size(); ++i) {
        const auto& r = attrs.rows[i];
        const auto link = get(r, "link_id");
        const auto tid = get(r, "taxonomy_term_id");
        auto code = term_code.find(tid);
        if (code == term_code.end()) {
            in.issue(attrs.file, attrs.lines[i], "taxonomy_term_id", "unknown_taxonomy_term", tid);
            continue;
        }
        if (code->second == fls_term) fls_links.insert(link);
        else if (code->second == intake_term) {
            intake_en[link] = get(r, "value");
            intake_fr[link] = has_fr ? fr_value(fr_attrs, "id", get(r, "id"), "value", get(r, "value")) : get(r, "value");
        } else if (!known_categories.count(code->second)) {
            in.issue(attrs.file, attrs.lines[i], "taxonomy_term_id", "unknown_taxonomy_term", code->second);
        } else {
            categories[link].push_back(code->second);
        }
    }
    for (std::size_t i = 0; i < orgs.rows.size(); ++i) {
        const auto& r = orgs.rows[i];
        const auto line = orgs.lines[i];
        const auto id = get(r, "id");
        if (!valid_uuid(id)) in.issue(orgs.file, line, "id", "invalid_uuid", id);
        else if (!org_ids.insert(id).second) in.issue(orgs.file, line, "id", "duplicate_id", id);
        domain::OrganisationForm f;
        f.sda_id = std::to_string(options.sda_id);
        f.name_en = get(r, "name");
        f.name_fr = has_fr ? fr_value(fr_orgs, "id", id, "name", f.name_en) : f.name_en;
        f.sector = std::string(domain::code(options.sector));
        f.email = get(r, "email");
        f.website = get(r, "website");
        f.phone = org_phone[id];
        f.csp_roles = {std::string(domain::code(domain::CspRole::broader_partner))};  // no CSP agreement yet
        f.fls_designated = fls_links.count(id) > 0;
        PendingOrg p{id, {}};
        for (const auto& e : domain::validate(f, p.org))
            in.issue(orgs.file, line, e.field == "name_en" ? "name" : e.field, e.message_key);
        porgs.push_back(std::move(p));
    }

    // ---- locations
    auto addr_by = by(addresses, "location_id");
    auto sched_by = by(schedules, "location_id");
    auto access_by = by(access, "location_id");
    std::map<std::string, std::string> loc_phone;
    for (const auto& r : phones.rows)
        if (!get(r, "location_id").empty()) loc_phone[get(r, "location_id")] = get(r, "number");
    struct PendingLoc {
        std::string uuid, org_uuid;
        domain::Location loc;
    };
    std::vector<PendingLoc> plocs;
    std::map<std::string, std::string> loc_org;
    for (std::size_t i = 0; i < locations.rows.size(); ++i) {
        const auto& r = locations.rows[i];
        const auto line = locations.lines[i];
        const auto id = get(r, "id");
        const auto org = get(r, "organization_id");
        if (!valid_uuid(id)) in.issue(locations.file, line, "id", "invalid_uuid", id);
        else if (loc_org.count(id)) in.issue(locations.file, line, "id", "duplicate_id", id);
        if (!org_ids.count(org)) in.issue(locations.file, line, "organization_id", "unknown_organization", org);
        loc_org[id] = org;
        domain::LocationForm f;
        f.name_en = get(r, "name");
        f.name_fr = has_fr ? fr_value(fr_locations, "id", id, "name", f.name_en) : f.name_en;
        if (auto a = addr_by.find(id); a != addr_by.end()) {
            f.address = get(*a->second, "address_1");
            f.city = get(*a->second, "city");
            f.postal_code = get(*a->second, "postal_code");
        }
        f.phone = loc_phone[id];
        if (auto s = sched_by.find(id); s != sched_by.end()) {
            f.hours_en = get(*s->second, "description");
            f.hours_fr = has_fr ? fr_value(fr_schedules, "location_id", id, "description", f.hours_en) : f.hours_en;
        }
        if (auto a = access_by.find(id); a != access_by.end()) {
            f.accessibility_en = get(*a->second, "description");
            f.accessibility_fr = has_fr ? fr_value(fr_access, "location_id", id, "description", f.accessibility_en) : f.accessibility_en;
            f.step_free_access = get(*a->second, "details") == "step_free_access";
        }
        PendingLoc p{id, org, {}};
        for (const auto& e : domain::validate(f, p.loc))
            in.issue(locations.file, line, e.field == "name_en" ? "name" : e.field, e.message_key);
        plocs.push_back(std::move(p));
    }

    // ---- services
    std::map<std::string, std::string> svc_phone, svc_contact;
    for (const auto& r : phones.rows)
        if (!get(r, "service_id").empty()) svc_phone[get(r, "service_id")] = get(r, "number");
    for (const auto& r : contacts.rows) svc_contact[get(r, "service_id")] = get(r, "name");
    std::map<std::string, std::vector<std::string>> svc_langs, svc_locs;
    for (const auto& r : langs.rows) svc_langs[get(r, "service_id")].push_back(get(r, "code"));
    for (std::size_t i = 0; i < sal.rows.size(); ++i) {
        const auto loc = get(sal.rows[i], "location_id");
        if (!loc_org.count(loc)) in.issue(sal.file, sal.lines[i], "location_id", "unknown_location", loc);
        else svc_locs[get(sal.rows[i], "service_id")].push_back(loc);
    }
    auto area_by = by(areas, "service_id");
    struct PendingSvc {
        std::string uuid, org_uuid;
        domain::ServiceForm form;
        std::vector<std::string> loc_uuids;
    };
    std::vector<PendingSvc> psvcs;
    std::set<std::string> svc_ids;
    for (std::size_t i = 0; i < services.rows.size(); ++i) {
        const auto& r = services.rows[i];
        const auto line = services.lines[i];
        const auto id = get(r, "id");
        const auto org = get(r, "organization_id");
        if (!valid_uuid(id)) in.issue(services.file, line, "id", "invalid_uuid", id);
        else if (!svc_ids.insert(id).second) in.issue(services.file, line, "id", "duplicate_id", id);
        if (!org_ids.count(org)) in.issue(services.file, line, "organization_id", "unknown_organization", org);
        auto fr = [&](const std::string& field, const std::string& en) {
            return has_fr ? fr_value(fr_services, "id", id, field, en) : en;
        };
        PendingSvc p;
        p.uuid = id;
        p.org_uuid = org;
        auto& f = p.form;
        f.name_en = get(r, "name");
        f.name_fr = fr("name", f.name_en);
        f.description_en = get(r, "description");
        f.description_fr = fr("description", f.description_en);
        f.eligibility_en = get(r, "eligibility_description");
        f.eligibility_fr = fr("eligibility_description", f.eligibility_en);
        f.access_en = get(r, "application_process");
        f.access_fr = fr("application_process", f.access_en);
        f.fees_en = get(r, "fees_description");
        f.fees_fr = fr("fees_description", f.fees_en);
        f.intake_en = intake_en[id];
        f.intake_fr = intake_fr[id];
        if (auto a = area_by.find(id); a != area_by.end()) {
            f.area_served_en = get(*a->second, "description");
            f.area_served_fr = has_fr ? fr_value(fr_areas, "service_id", id, "description", f.area_served_en) : f.area_served_en;
        }
        f.age_min = get(r, "minimum_age");
        f.age_max = get(r, "maximum_age");
        f.email = get(r, "email");
        f.website = get(r, "url");
        f.phone = svc_phone[id];
        f.contact_name = svc_contact[id];
        f.fls_designated = fls_links.count(id) > 0;
        f.categories = categories[id];
        f.languages = svc_langs[id];
        p.loc_uuids = svc_locs[id];
        for (const auto& l : p.loc_uuids)
            if (loc_org[l] != org) in.issue(services.file, line, "service_at_locations", "location_of_another_organization", l);
        // Waitlist: status + wait_time (see docs/HSDS.md).
        const auto status = get(r, "status");
        const auto wait = get(r, "wait_time");
        if (status == "temporarily closed") {
            f.waitlist_status = "closed";
        } else if (status == "active") {
            if (wait.empty()) {
                f.waitlist_status = "open";
            } else {
                const auto space = wait.find(' ');
                const auto unit = space == std::string::npos ? std::string() : wait.substr(space + 1);
                auto n = parse_int(wait.substr(0, space));
                if (!n || (unit != "weeks" && unit != "week" && unit != "semaines" && unit != "semaine"))
                    in.issue(services.file, line, "wait_time", "invalid_wait_time", wait);
                else if (*n < 1 || *n > domain::max_wait_weeks)
                    in.issue(services.file, line, "wait_time", "wait_time_out_of_range", wait);
                f.waitlist_status = "waitlist";
                f.wait_weeks = n ? std::to_string(*n) : "";
            }
        } else {
            in.issue(services.file, line, "status", status.empty() ? "required" : "unsupported_status", status);
            f.waitlist_status = "open";
        }
        domain::Service out;
        std::vector<std::string> locs;
        f.locations.clear();  // site ids are known only after writing; checked above
        for (const auto& e : domain::validate(f, out, true)) {
            static const std::map<std::string, std::string> names = {
                {"name_en", "name"}, {"description_en", "description"}, {"age_min", "minimum_age"},
                {"age_max", "maximum_age"}, {"website", "url"}, {"wait_weeks", "wait_time"}};
            auto n = names.find(e.field);
            in.issue(services.file, line, n == names.end() ? e.field : n->second, e.message_key);
        }
        psvcs.push_back(std::move(p));
    }
    if (in.truncated_) report.issues.push_back({"", 0, "", "too_many_issues", ""});
    if (!report.ok()) return report;

    // ---- write (the caller commits only when the report is clean)
    store::IdentityRepo identity(tx, clock);
    store::DirectoryRepo directory(tx, clock);
    std::map<std::string, std::int64_t> org_db, loc_db;
    for (const auto& p : porgs) {
        auto id = identity.create_organisation(p.org, options.actor);
        if (!id) {
            in.issue("organizations.csv", 0, "", id.error().message_key, p.uuid);
            return report;
        }
        org_db[p.uuid] = *id;
        ++report.organisations;
    }
    for (const auto& p : plocs) {
        auto id = directory.create_location(org_db[p.org_uuid], p.loc, options.actor);
        if (!id) {
            in.issue("locations.csv", 0, "", id.error().message_key, p.uuid);
            return report;
        }
        loc_db[p.uuid] = *id;
        ++report.locations;
    }
    for (auto& p : psvcs) {
        for (const auto& l : p.loc_uuids) p.form.locations.push_back(std::to_string(loc_db[l]));
        domain::Service s;
        auto errors = domain::validate(p.form, s, true);
        if (!errors.empty()) {
            in.issue("services.csv", 0, errors.front().field, errors.front().message_key, p.uuid);
            return report;
        }
        auto id = directory.create_service(org_db[p.org_uuid], s, options.actor);
        if (!id) {
            const auto& e = id.error();
            in.issue("services.csv", 0, e.fields.empty() ? "" : e.fields.front().field,
                     e.fields.empty() ? e.message_key : e.fields.front().message_key, p.uuid);
            return report;
        }
        ++report.services;
    }
    return report;
}

}  // namespace arrimage::interop
