#include "interop/hsds_tables.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "core/text.hpp"
#include "core/time.hpp"
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

struct Column {
    std::string name, type, format;
    bool required = false;
};

struct Table {
    std::string name;      // file name
    std::string resource;  // datapackage resource name
    std::vector<Column> columns;
};

// The tables we write, with the name, type, format and "required" of each column as the
// official HSDS 3.0 datapackage gives them (tests/unit/test_hsds_csv.cpp compares the two).
const std::vector<Table>& tables() {
    static const std::vector<Table> t = {
        {"organizations.csv",
         "organization",
         {{"id", "string", "uuid", true},
          {"name", "string", "", true},
          {"alternate_name", "string", "", false},
          {"description", "string", "", true},
          {"email", "string", "email", false},
          {"website", "string", "uri", false}}},
        {"services.csv",
         "service",
         {{"id", "string", "uuid", true},
          {"organization_id", "string", "uuid", true},
          {"name", "string", "", true},
          {"alternate_name", "string", "", false},
          {"description", "string", "", false},
          {"url", "string", "uri", false},
          {"email", "string", "email", false},
          {"status", "string", "", true},
          {"application_process", "string", "", false},
          {"fees_description", "string", "", false},
          {"wait_time", "string", "", false},
          {"eligibility_description", "string", "", false},
          {"minimum_age", "number", "", false},
          {"maximum_age", "number", "", false},
          {"assured_date", "date", "", false},
          {"alert", "string", "", false}}},
        {"locations.csv",
         "location",
         {{"id", "string", "uuid", true},
          {"location_type", "string", "", true},
          {"organization_id", "string", "uuid", false},
          {"name", "string", "", false},
          {"alternate_name", "string", "", false}}},
        {"addresses.csv",
         "address",
         {{"id", "string", "uuid", true},
          {"location_id", "string", "uuid", false},
          {"address_1", "string", "", true},
          {"city", "string", "", true},
          {"state_province", "string", "", true},
          {"postal_code", "string", "", true},
          {"country", "string", "", true},
          {"address_type", "string", "", true}}},
        {"phones.csv",
         "phone",
         {{"id", "string", "uuid", true},
          {"organization_id", "string", "uuid", false},
          {"service_id", "string", "uuid", false},
          {"location_id", "string", "uuid", false},
          {"number", "string", "", true},
          {"type", "string", "", false}}},
        {"schedules.csv",
         "schedule",
         {{"id", "string", "uuid", true}, {"location_id", "string", "uuid", false}, {"description", "string", "", false}}},
        {"accessibility.csv",
         "accessibility",
         {{"id", "string", "uuid", true},
          {"location_id", "string", "uuid", false},
          {"description", "string", "", false},
          {"details", "string", "", false}}},
        {"service_at_location.csv",
         "service_at_location",
         {{"id", "string", "uuid", true}, {"service_id", "string", "uuid", true}, {"location_id", "string", "uuid", true}}},
        {"languages.csv",
         "language",
         {{"id", "string", "uuid", true}, {"service_id", "string", "uuid", false}, {"code", "string", "", false}}},
        {"service_areas.csv",
         "service_area",
         {{"id", "string", "uuid", true},
          {"service_id", "string", "uuid", false},
          {"name", "string", "", false},
          {"description", "string", "", false}}},
        {"contacts.csv",
         "contact",
         {{"id", "string", "uuid", true}, {"service_id", "string", "uuid", false}, {"name", "string", "", false}}},
        {"taxonomies.csv",
         "taxonomy",
         {{"id", "string", "uuid", true},
          {"name", "string", "", true},
          {"description", "string", "", true},
          {"version", "string", "", false}}},
        {"taxonomy_terms.csv",
         "taxonomy_term",
         {{"id", "string", "uuid", true},
          {"code", "string", "", false},
          {"name", "string", "", true},
          {"description", "string", "", true},
          {"taxonomy_id", "string", "uuid", false},
          {"language", "string", "", false}}},
        {"attributes.csv",
         "attribute",
         {{"id", "string", "uuid", true},
          {"link_id", "string", "uuid", true},
          {"link_type", "string", "", false},
          {"link_entity", "string", "", true},
          {"taxonomy_term_id", "string", "uuid", true},
          {"value", "string", "", false}}},
    };
    return t;
}

std::string fields_taxonomy_id() {
    return hsds_id("taxonomy", fields_taxonomy);
}

// Names earlier versions of Arrimage exported, accepted on import: older name -> HSDS name.
const std::vector<std::pair<std::string, std::string>>& older_names() {
    static const std::vector<std::pair<std::string, std::string>> n = {{"service_at_locations.csv", "service_at_location.csv"}};
    return n;
}

}  // namespace

const std::string* CsvSet::find(const std::string& name) const {
    const auto* e = entry(name);
    return e ? &e->second : nullptr;
}

const std::pair<std::string, std::string>* CsvSet::entry(const std::string& name) const {
    const auto official = hsds_table_name(name);
    for (const auto& f : files)
        if (f.first == name || (official && hsds_table_name(f.first) == official)) return &f;
    return nullptr;
}

std::optional<std::string> hsds_table_name(const std::string& file) {
    for (const auto& t : tables())
        if (t.name == file) return file;
    for (const auto& [older, official] : older_names())
        if (older == file) return official;
    return std::nullopt;
}

CsvSet hsds_csv_export(const DirectorySnapshot& d, Lang lang) {
    const bool fr = lang == Lang::fr;
    auto L = [fr](const std::string& f, const std::string& e) -> const std::string& { return fr ? f : e; };
    auto O = [fr](const std::string& f, const std::string& e) -> const std::string& { return fr ? e : f; };
    std::map<std::string, std::string> out;
    for (const auto& t : tables()) {
        std::vector<std::string> header;
        for (const auto& c : t.columns) header.push_back(c.name);
        out[t.name] = csv_record(header);
    }
    auto add = [&](const char* file, std::vector<std::string> row) { out[file] += csv_record(row); };
    auto opt = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string(); };

    for (const auto& o : d.organisations) {
        const auto id = hsds_id("organization", o.id);
        add("organizations.csv",
            {id, L(o.name_fr, o.name_en), O(o.name_fr, o.name_en), L(o.name_fr, o.name_en), o.email, o.website});
        if (!o.phone.empty()) add("phones.csv", {hsds_id("organization-phone", o.id), id, "", "", o.phone, "voice"});
    }
    for (const auto& l : d.locations) {
        const auto id = hsds_id("location", l.id);
        add("locations.csv",
            {id, "physical", hsds_id("organization", l.organisation_id), L(l.name_fr, l.name_en), O(l.name_fr, l.name_en)});
        if (!l.address.empty() || !l.city.empty())  // as in the JSON: address_1 and city are required
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
        add("services.csv",
            {id, hsds_id("organization", s.organisation_id), L(s.name_fr, s.name_en), O(s.name_fr, s.name_en),
             L(s.description_fr, s.description_en), s.website, s.email, hsds_status(s), L(s.access_fr, s.access_en),
             L(s.fees_fr, s.fees_en), hsds_wait_time(s, lang), L(s.eligibility_fr, s.eligibility_en), opt(s.age_min),
             opt(s.age_max), s.waitlist_updated_at.substr(0, std::min<std::size_t>(10, s.waitlist_updated_at.size())), alert});
        if (!s.phone.empty()) add("phones.csv", {hsds_id("service-phone", s.id), "", id, "", s.phone, "voice"});
        for (auto site : s.site_ids)
            add("service_at_location.csv", {hsds_id("service_at_location", std::to_string(s.id) + ":" + std::to_string(site)), id,
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
            add("attributes.csv",
                {hsds_id("attribute", "organization:" + std::to_string(o.id) + ":" + fls_term), hsds_id("organization", o.id),
                 "organization", "organization", hsds_id("taxonomy_term", std::string(fls_term)), "true"});
    add("taxonomies.csv",
        {category_taxonomy_id(), hsds_taxonomy_name,
         fr ? "Catégories du répertoire des services d'Arrimage" : "Categories of the Arrimage service directory", "1"});
    add("taxonomies.csv", {fields_taxonomy_id(), fields_taxonomy,
                           fr ? "Champs d'Arrimage sans colonne HSDS" : "Arrimage fields without an HSDS column", "1"});
    for (const auto& t : d.terms)
        add("taxonomy_terms.csv", {hsds_id("taxonomy_term", t.code), t.code, L(t.name_fr, t.name_en), L(t.name_fr, t.name_en),
                                   category_taxonomy_id(), fr ? "fr" : "en"});
    add("taxonomy_terms.csv",
        {hsds_id("taxonomy_term", std::string(intake_term)), intake_term, fr ? "Processus d'accueil" : "Intake process",
         fr ? "Processus d'accueil" : "Intake process", fields_taxonomy_id(), fr ? "fr" : "en"});
    add("taxonomy_terms.csv",
        {hsds_id("taxonomy_term", std::string(fls_term)), fls_term,
         fr ? "Désigné en vertu de la LSF" : "French Language Services designation",
         fr ? "Désigné en vertu de la LSF" : "French Language Services designation", fields_taxonomy_id(), fr ? "fr" : "en"});
    CsvSet set;
    for (const auto& t : tables()) set.files.emplace_back(t.name, std::move(out[t.name]));
    return set;
}

std::string hsds_datapackage_json(const CsvSet& set) {
    json resources = json::array();
    for (const auto& t : tables()) {
        if (!set.find(t.name)) continue;
        json fields = json::array();
        for (const auto& c : t.columns) {
            json f = {{"name", c.name}, {"type", c.type}, {"constraints", {{"required", c.required}}}};
            if (!c.format.empty()) f["format"] = c.format;
            fields.push_back(std::move(f));
        }
        resources.push_back({{"name", t.resource},
                             {"path", t.name},
                             {"profile", "tabular-data-resource"},
                             {"format", "csv"},
                             {"mediatype", "text/csv"},
                             {"encoding", "utf-8"},
                             {"schema", {{"fields", fields}, {"primaryKey", "id"}}}});
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
    return lines(issues);
}
std::string ImportReport::notes_text() const {
    return lines(notes);
}

std::string ImportReport::lines(const std::vector<ImportIssue>& list) {
    std::ostringstream out;
    for (const auto& i : list) {
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
    static const std::vector<std::string> codes = {"missing_file",
                                                   "missing_column",
                                                   "invalid_uuid",
                                                   "duplicate_id",
                                                   "unknown_taxonomy_term",
                                                   "unknown_organization",
                                                   "unknown_location",
                                                   "location_of_another_organization",
                                                   "invalid_wait_time",
                                                   "wait_time_out_of_range",
                                                   "unsupported_status",
                                                   "required",
                                                   "too_many_issues",
                                                   "unreadable",
                                                   "too_large",
                                                   "csv.too_large",
                                                   "csv.invalid_utf8",
                                                   "csv.unterminated_quote",
                                                   "csv.too_many_rows",
                                                   "csv.too_many_fields",
                                                   "csv.field_too_long",
                                                   "csv.ragged_row",
                                                   "csv.empty",
                                                   "csv.bad_quote",
                                                   "duplicate_file",
                                                   "unknown_service",
                                                   "unknown_link",
                                                   "no_owner",
                                                   "kept_first",
                                                   "duplicate_row",
                                                   "not_in_main_set",
                                                   "invalid_date",
                                                   "date_in_future"};
    return codes;
}

bool read_hsds_dir(const std::string& dir, CsvSet& primary, CsvSet& french, ImportReport& report, std::size_t max_file_bytes) {
    bool ok = true;
    for (auto* set : {&primary, &french}) {
        const fs::path base = set == &french ? fs::path(dir) / "fr" : fs::path(dir);
        if (set == &french && !fs::exists(base)) continue;
        std::vector<std::string> names;
        for (const auto& t : tables()) names.push_back(t.name);
        for (const auto& [older, official] : older_names()) names.push_back(older);
        for (const auto& name : names) {
            const auto path = base / name;
            std::error_code ec;
            if (!fs::exists(path, ec)) continue;
            const std::string shown = (set == &french ? "fr/" : "") + name;
            const auto size = fs::file_size(path, ec);
            if (ec || size > max_file_bytes) {
                report.issues.push_back({shown, 0, "", ec ? "unreadable" : "too_large", "", {}});
                ok = false;
                continue;
            }
            std::ifstream f(path, std::ios::binary);
            std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
            set->files.emplace_back(name, std::move(text));
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
using Row = std::map<std::string, std::string>;

std::string shorten(std::string_view v) {
    if (v.size() <= 60) return std::string(v);
    std::size_t n = 60;
    while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0u) == 0x80u) --n;  // keep UTF-8 whole
    return std::string(v.substr(0, n)) + "…";
}

std::string get(const Row& row, const std::string& k) {
    auto it = row.find(k);
    return it == row.end() ? std::string() : trim(it->second);
}

std::optional<std::int64_t> parse_int(const std::string& s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// Where a value came from: the file and line of its row, and its column.
struct Source {
    std::string file;
    std::size_t line = 0;
    std::string column;
};

class Importer {
  public:
    Importer(const ImportOptions& o, ImportReport& r) : opt_(o), report_(r) {}

    Rows load(const CsvSet& set, const std::string& name, const std::string& prefix, bool required,
              const std::vector<std::string>& needed) {
        Rows out;
        out.file = prefix + name;
        const auto* file = set.entry(name);
        if (!file) {
            if (required) issue(out.file, 0, "", "missing_file");
            return out;
        }
        out.file = prefix + file->first;  // the name it was given (an older name is accepted)
        CsvError err;
        auto table = parse_csv(file->second, err, opt_.limits);
        if (!table) {
            issue(out.file, err.line, "", "csv." + err.code);
            return out;
        }
        for (const auto& c : needed)
            if (!table->column(c)) issue(out.file, 1, c, "missing_column");
        for (std::size_t r = 0; r < table->rows.size(); ++r) {
            Row row;
            for (std::size_t c = 0; c < table->header.size(); ++c) row[table->header[c]] = table->rows[r][c];
            out.rows.push_back(std::move(row));
            out.lines.push_back(table->lines[r]);
        }
        return out;
    }

    void issue(const std::string& file, std::size_t line, const std::string& field, const std::string& problem,
               std::string_view value = {}, std::vector<std::string> args = {}) {
        if (report_.issues.size() < 1000)
            report_.issues.push_back({file, line, field, problem, shorten(value), std::move(args)});
        else
            truncated_ = true;
    }
    // A field check's error (its message key and the message's arguments).
    void issue(const std::string& file, std::size_t line, const std::string& field, const FieldError& e,
               std::string_view value = {}) {
        issue(file, line, field, e.message_key, value, e.args);
    }

    // A write refused at the end (a record the store would not take): its first field error
    // when it has one, else its summary, with their arguments.
    void issue_error(const std::string& file, const Error& e, std::string_view value) {
        if (!e.fields.empty())
            issue(file, 0, e.fields.front().field, e.fields.front(), value);
        else
            issue(file, 0, "", e.message_key, value, e.args);
    }

    // Ids of a file must be unique (and, for the main tables, UUIDs). Returns the ids.
    std::set<std::string> ids(const Rows& rows, bool uuids) {
        std::set<std::string> out;
        for (std::size_t i = 0; i < rows.rows.size(); ++i) {
            const auto id = get(rows.rows[i], "id");
            if (uuids && !valid_uuid(id))
                issue(rows.file, rows.lines[i], "id", "invalid_uuid", id);
            else if (!id.empty() && !out.insert(id).second)
                issue(rows.file, rows.lines[i], "id", "duplicate_id", id);
        }
        return out;
    }

    // The rows of a table from which Arrimage keeps one value per record (a location's address,
    // a service's contact...), by the id of that record in `column`. Every row must name a
    // record of the set (`unknown` otherwise). HSDS allows several (a physical and a postal
    // address, one schedule row per day): the first is kept — or the first whose
    // `prefer_column` is `prefer_value` — and each row left out is noted in the report, which
    // does not stop the import.
    std::map<std::string, std::size_t> one_per_record(const Rows& rows, const std::string& column,
                                                      const std::set<std::string>& known, const std::string& unknown,
                                                      const std::string& prefer_column = {},
                                                      const std::string& prefer_value = {}) {
        std::map<std::string, std::size_t> out;
        auto preferred = [&](std::size_t i) {
            return !prefer_column.empty() && get(rows.rows[i], prefer_column) == prefer_value;
        };
        for (std::size_t i = 0; i < rows.rows.size(); ++i) {
            const auto owner = get(rows.rows[i], column);
            if (owner.empty()) {
                issue(rows.file, rows.lines[i], column, "required");
                continue;
            }
            if (!known.count(owner)) {
                issue(rows.file, rows.lines[i], column, unknown, owner);
                continue;
            }
            auto [it, fresh] = out.emplace(owner, i);
            if (fresh) continue;
            std::size_t left_out = i;
            if (preferred(i) && !preferred(it->second)) {
                left_out = it->second;
                it->second = i;
            }
            note(rows.file, rows.lines[left_out], column, "kept_first", owner);
        }
        return out;
    }

    // Something left out that does not make the set invalid (see one_per_record).
    void note(const std::string& file, std::size_t line, const std::string& field, const std::string& problem,
              std::string_view value = {}) {
        if (report_.notes.size() < 1000) report_.notes.push_back({file, line, field, problem, shorten(value), {}});
    }

    bool truncated_ = false;

  private:
    const ImportOptions& opt_;
    ImportReport& report_;
};

// The main-set row of a French row, by key: a French row must translate a row of the main
// set, once — or, for a table Arrimage keeps one value of per record (`one_per_record`), the
// first French row of a record is used and the others are noted.
void check_french(Importer& in, const Rows& fr, const std::string& key, const std::set<std::string>& main_keys,
                  bool one_per_record = false) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < fr.rows.size(); ++i) {
        const auto k = get(fr.rows[i], key);
        if (!main_keys.count(k))
            in.issue(fr.file, fr.lines[i], key, "not_in_main_set", k);
        else if (seen.insert(k).second)
            continue;
        else if (one_per_record)
            in.note(fr.file, fr.lines[i], key, "kept_first", k);
        else
            in.issue(fr.file, fr.lines[i], key, "duplicate_id", k);
    }
}

}  // namespace

ImportReport hsds_import(store::Tx& tx, const Clock& clock, const CsvSet& primary, const CsvSet& french,
                         const ImportOptions& options) {
    ImportReport report;
    Importer in(options, report);
    const bool has_fr = !french.files.empty();
    store::plan_for_bulk_writes(tx);

    // A table given twice (under its HSDS name and an older one): which one to read is unclear.
    for (const auto* set : {&primary, &french})
        for (const auto& [name, text] : set->files) {
            const auto* first = set->entry(name);
            if (first && first->first != name)
                in.issue((set == &french ? "fr/" : "") + name, 0, "", "duplicate_file", first->first);
        }

    auto orgs = in.load(primary, "organizations.csv", "", true, {"id", "name"});
    auto services = in.load(primary, "services.csv", "", true, {"id", "organization_id", "name", "status"});
    auto locations = in.load(primary, "locations.csv", "", false, {"id", "organization_id", "name"});
    auto addresses = in.load(primary, "addresses.csv", "", false, {"location_id"});
    auto phones = in.load(primary, "phones.csv", "", false, {"number"});
    auto schedules = in.load(primary, "schedules.csv", "", false, {"location_id"});
    auto access = in.load(primary, "accessibility.csv", "", false, {"location_id"});
    auto sal = in.load(primary, "service_at_location.csv", "", false, {"service_id", "location_id"});
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
    if (!report.ok()) return report;

    // ---- ids and references between files: every row must land somewhere, once.
    const auto org_ids = in.ids(orgs, true);
    const auto loc_ids = in.ids(locations, true);
    const auto svc_ids = in.ids(services, true);
    for (const auto* rows : {&addresses, &phones, &schedules, &access, &sal, &langs, &areas, &contacts, &terms, &attrs})
        in.ids(*rows, false);
    const auto addr_by = in.one_per_record(addresses, "location_id", loc_ids, "unknown_location", "address_type", "physical");
    const auto sched_by = in.one_per_record(schedules, "location_id", loc_ids, "unknown_location");
    const auto access_by = in.one_per_record(access, "location_id", loc_ids, "unknown_location");
    const auto area_by = in.one_per_record(areas, "service_id", svc_ids, "unknown_service");
    const auto contact_by = in.one_per_record(contacts, "service_id", svc_ids, "unknown_service");
    // A phone belongs to an organisation, a service or a location: one number each.
    std::map<std::string, std::size_t> org_phone, svc_phone, loc_phone;
    for (std::size_t i = 0; i < phones.rows.size(); ++i) {
        const auto& r = phones.rows[i];
        const auto line = phones.lines[i];
        if (get(r, "number").empty()) in.issue(phones.file, line, "number", "required");
        bool owned = false;
        for (auto [column, known, unknown, by] : {std::tuple{"organization_id", &org_ids, "unknown_organization", &org_phone},
                                                  std::tuple{"service_id", &svc_ids, "unknown_service", &svc_phone},
                                                  std::tuple{"location_id", &loc_ids, "unknown_location", &loc_phone}}) {
            const auto owner = get(r, column);
            if (owner.empty()) continue;
            owned = true;
            if (!known->count(owner))
                in.issue(phones.file, line, column, unknown, owner);
            else if (!by->emplace(owner, i).second)
                in.note(phones.file, line, column, "kept_first", owner);
        }
        if (!owned) in.issue(phones.file, line, "", "no_owner");
    }
    std::map<std::string, std::vector<std::string>> svc_langs, svc_locs;
    std::set<std::pair<std::string, std::string>> pairs;
    for (std::size_t i = 0; i < langs.rows.size(); ++i) {
        const auto svc = get(langs.rows[i], "service_id");
        const auto code = get(langs.rows[i], "code");
        if (!svc_ids.count(svc))
            in.issue(langs.file, langs.lines[i], "service_id", "unknown_service", svc);
        else if (!pairs.emplace(svc, code).second)
            in.issue(langs.file, langs.lines[i], "code", "duplicate_row", code);
        else
            svc_langs[svc].push_back(code);
    }
    pairs.clear();
    for (std::size_t i = 0; i < sal.rows.size(); ++i) {
        const auto svc = get(sal.rows[i], "service_id");
        const auto loc = get(sal.rows[i], "location_id");
        if (!svc_ids.count(svc)) in.issue(sal.file, sal.lines[i], "service_id", "unknown_service", svc);
        if (!loc_ids.count(loc))
            in.issue(sal.file, sal.lines[i], "location_id", "unknown_location", loc);
        else if (!pairs.emplace(svc, loc).second)
            in.issue(sal.file, sal.lines[i], "location_id", "duplicate_row", loc);
        else
            svc_locs[svc].push_back(loc);
    }
    if (has_fr) {
        check_french(in, fr_orgs, "id", org_ids);
        check_french(in, fr_services, "id", svc_ids);
        check_french(in, fr_locations, "id", loc_ids);
        std::set<std::string> keys;
        for (const auto& [k, _] : sched_by) keys.insert(k);
        check_french(in, fr_schedules, "location_id", keys, true);
        keys.clear();
        for (const auto& [k, _] : access_by) keys.insert(k);
        check_french(in, fr_access, "location_id", keys, true);
        keys.clear();
        for (const auto& [k, _] : area_by) keys.insert(k);
        check_french(in, fr_areas, "service_id", keys, true);
        keys.clear();
        for (const auto& r : attrs.rows) keys.insert(get(r, "id"));
        check_french(in, fr_attrs, "id", keys);
    }

    // French rows by key (checked above: at most one per key).
    std::map<const Rows*, std::unordered_map<std::string, std::size_t>> fr_index;
    auto fr_row = [&](const Rows& rows, const std::string& key, const std::string& id) -> std::optional<std::size_t> {
        auto [it, fresh] = fr_index.try_emplace(&rows);
        if (fresh)
            for (std::size_t i = 0; i < rows.rows.size(); ++i) it->second.try_emplace(get(rows.rows[i], key), i);
        const auto row = it->second.find(id);
        if (row == it->second.end()) return std::nullopt;
        return row->second;
    };
    auto fr_value = [&](const Rows& rows, const std::string& key, const std::string& id, const std::string& field,
                        const std::string& fallback) {
        // No French row, or no such column in the French file: the main text.
        const auto i = fr_row(rows, key, id);
        if (!i || !rows.rows[*i].count(field)) return fallback;
        return get(rows.rows[*i], field);
    };
    // Where a translated value came from: the French row when it has the column (as fr_value
    // reads it), else the main row.
    auto fr_source = [&](const Rows& rows, const std::string& key, const std::string& id, const Source& main) {
        if (!has_fr) return main;
        const auto i = fr_row(rows, key, id);
        return i && rows.rows[*i].count(main.column) ? Source{rows.file, rows.lines[*i], main.column} : main;
    };
    // Reports validation errors at the row and column each value came from; fields without a
    // source are reported on `main` under the name `renamed` gives them. Two fields read from
    // the same cell (the French name is the English one when no French row gives it) fail the
    // same check there: that problem is reported once.
    auto report_errors = [&](const std::vector<FieldError>& errors, const Source& main,
                             const std::map<std::string, Source>& sources, const std::map<std::string, std::string>& renamed) {
        std::set<std::tuple<std::string, std::size_t, std::string, std::string>> reported;
        for (const auto& e : errors) {
            Source at;
            if (auto s = sources.find(e.field); s != sources.end()) {
                at = s->second;
            } else {
                auto n = renamed.find(e.field);
                at = {main.file, main.line, n == renamed.end() ? e.field : n->second};
            }
            if (reported.emplace(at.file, at.line, at.column, e.message_key).second) in.issue(at.file, at.line, at.column, e);
        }
    };
    auto at = [](const Rows& rows, std::size_t i, const std::string& column) { return Source{rows.file, rows.lines[i], column}; };

    // Taxonomy terms: the file's term ids -> codes; categories must exist in our taxonomy.
    std::map<std::string, std::string> term_code;
    for (const auto& r : terms.rows) term_code[get(r, "id")] = get(r, "code");
    std::set<std::string> known_categories;
    for (const auto& r : tx.query("SELECT code FROM taxonomy_terms WHERE active = 1")) known_categories.insert(r.str(0));

    std::set<std::string> fls_links;
    std::map<std::string, std::string> intake_en, intake_fr;
    std::map<std::string, Source> intake_at;
    std::map<std::string, std::vector<std::string>> categories;
    pairs.clear();
    for (std::size_t i = 0; i < attrs.rows.size(); ++i) {
        const auto& r = attrs.rows[i];
        const auto line = attrs.lines[i];
        const auto link = get(r, "link_id");
        const auto tid = get(r, "taxonomy_term_id");
        auto code = term_code.find(tid);
        if (code == term_code.end()) {
            in.issue(attrs.file, line, "taxonomy_term_id", "unknown_taxonomy_term", tid);
            continue;
        }
        // The organisation's designation is the only attribute of an organisation.
        const bool on_org = code->second == fls_term && org_ids.count(link);
        if (!on_org && !svc_ids.count(link)) {
            in.issue(attrs.file, line, "link_id", code->second == fls_term ? "unknown_link" : "unknown_service", link);
            continue;
        }
        if (!pairs.emplace(link, code->second).second) {
            in.issue(attrs.file, line, "taxonomy_term_id", "duplicate_row", code->second);
            continue;
        }
        if (code->second == fls_term)
            fls_links.insert(link);
        else if (code->second == intake_term) {
            intake_en[link] = get(r, "value");
            intake_fr[link] = has_fr ? fr_value(fr_attrs, "id", get(r, "id"), "value", get(r, "value")) : get(r, "value");
            intake_at[link] = at(attrs, i, "value");
        } else if (!known_categories.count(code->second)) {
            in.issue(attrs.file, line, "taxonomy_term_id", "unknown_taxonomy_term", code->second);
        } else {
            categories[link].push_back(code->second);
        }
    }

    // ---- organisations
    struct PendingOrg {
        std::string uuid;
        domain::Organisation org;
    };
    std::vector<PendingOrg> porgs;
    for (std::size_t i = 0; i < orgs.rows.size(); ++i) {
        const auto& r = orgs.rows[i];
        const auto id = get(r, "id");
        domain::OrganisationForm f;
        f.sda_id = std::to_string(options.sda_id);
        f.name_en = get(r, "name");
        f.name_fr = has_fr ? fr_value(fr_orgs, "id", id, "name", f.name_en) : f.name_en;
        f.sector = std::string(domain::code(options.sector));
        f.email = get(r, "email");
        f.website = get(r, "website");
        std::map<std::string, Source> sources = {{"name_fr", fr_source(fr_orgs, "id", id, at(orgs, i, "name"))}};
        if (auto p = org_phone.find(id); p != org_phone.end()) {
            f.phone = get(phones.rows[p->second], "number");
            sources["phone"] = at(phones, p->second, "number");
        }
        f.csp_roles = {std::string(domain::code(domain::CspRole::broader_partner))};  // no CSP agreement yet
        f.fls_designated = fls_links.count(id) > 0;
        PendingOrg p{id, {}};
        report_errors(domain::validate(f, p.org), at(orgs, i, ""), sources, {{"name_en", "name"}});
        porgs.push_back(std::move(p));
    }

    // ---- locations
    struct PendingLoc {
        std::string uuid, org_uuid;
        domain::Location loc;
    };
    std::vector<PendingLoc> plocs;
    std::map<std::string, std::string> loc_org;
    for (std::size_t i = 0; i < locations.rows.size(); ++i) {
        const auto& r = locations.rows[i];
        const auto id = get(r, "id");
        const auto org = get(r, "organization_id");
        if (!org_ids.count(org)) in.issue(locations.file, locations.lines[i], "organization_id", "unknown_organization", org);
        loc_org.try_emplace(id, org);
        domain::LocationForm f;
        f.name_en = get(r, "name");
        f.name_fr = has_fr ? fr_value(fr_locations, "id", id, "name", f.name_en) : f.name_en;
        std::map<std::string, Source> sources = {{"name_fr", fr_source(fr_locations, "id", id, at(locations, i, "name"))}};
        if (auto a = addr_by.find(id); a != addr_by.end()) {
            const auto& row = addresses.rows[a->second];
            f.address = get(row, "address_1");
            f.city = get(row, "city");
            f.postal_code = get(row, "postal_code");
            sources["address"] = at(addresses, a->second, "address_1");
            sources["city"] = at(addresses, a->second, "city");
            sources["postal_code"] = at(addresses, a->second, "postal_code");
        }
        if (auto p = loc_phone.find(id); p != loc_phone.end()) {
            f.phone = get(phones.rows[p->second], "number");
            sources["phone"] = at(phones, p->second, "number");
        }
        if (auto s = sched_by.find(id); s != sched_by.end()) {
            f.hours_en = get(schedules.rows[s->second], "description");
            f.hours_fr = has_fr ? fr_value(fr_schedules, "location_id", id, "description", f.hours_en) : f.hours_en;
            sources["hours_en"] = at(schedules, s->second, "description");
            sources["hours_fr"] = fr_source(fr_schedules, "location_id", id, sources["hours_en"]);
        }
        if (auto a = access_by.find(id); a != access_by.end()) {
            const auto& row = access.rows[a->second];
            f.accessibility_en = get(row, "description");
            f.accessibility_fr =
                has_fr ? fr_value(fr_access, "location_id", id, "description", f.accessibility_en) : f.accessibility_en;
            f.step_free_access = get(row, "details") == "step_free_access";
            sources["accessibility_en"] = at(access, a->second, "description");
            sources["accessibility_fr"] = fr_source(fr_access, "location_id", id, sources["accessibility_en"]);
        }
        PendingLoc p{id, org, {}};
        report_errors(domain::validate(f, p.loc), at(locations, i, ""), sources, {{"name_en", "name"}});
        plocs.push_back(std::move(p));
    }

    // ---- services
    struct PendingSvc {
        std::string uuid, org_uuid;
        domain::ServiceForm form;
        std::vector<std::string> loc_uuids;
        std::string assured;  // when the waitlist was last confirmed (ISO timestamp), or now
    };
    std::vector<PendingSvc> psvcs;
    const auto today = date_of(clock.now()).iso();
    for (std::size_t i = 0; i < services.rows.size(); ++i) {
        const auto& r = services.rows[i];
        const auto line = services.lines[i];
        const auto id = get(r, "id");
        const auto org = get(r, "organization_id");
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
        std::map<std::string, Source> sources;
        for (const auto& [field, column] :
             std::vector<std::pair<std::string, std::string>>{{"name_fr", "name"},
                                                              {"description_fr", "description"},
                                                              {"eligibility_fr", "eligibility_description"},
                                                              {"access_fr", "application_process"},
                                                              {"fees_fr", "fees_description"}})
            sources[field] = fr_source(fr_services, "id", id, at(services, i, column));
        if (auto a = intake_at.find(id); a != intake_at.end()) sources["intake_en"] = sources["intake_fr"] = a->second;
        if (auto a = area_by.find(id); a != area_by.end()) {
            f.area_served_en = get(areas.rows[a->second], "description");
            f.area_served_fr = has_fr ? fr_value(fr_areas, "service_id", id, "description", f.area_served_en) : f.area_served_en;
            sources["area_served_en"] = at(areas, a->second, "description");
            sources["area_served_fr"] = fr_source(fr_areas, "service_id", id, sources["area_served_en"]);
        }
        f.age_min = get(r, "minimum_age");
        f.age_max = get(r, "maximum_age");
        f.email = get(r, "email");
        f.website = get(r, "url");
        if (auto ph = svc_phone.find(id); ph != svc_phone.end()) {
            f.phone = get(phones.rows[ph->second], "number");
            sources["phone"] = at(phones, ph->second, "number");
        }
        if (auto c = contact_by.find(id); c != contact_by.end()) {
            f.contact_name = get(contacts.rows[c->second], "name");
            sources["contact_name"] = at(contacts, c->second, "name");
        }
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
        // assured_date: the day the waitlist was last confirmed, so stale waitlists stay stale.
        if (const auto assured = get(r, "assured_date"); !assured.empty()) {
            const auto date = parse_date(assured);
            if (!date)
                in.issue(services.file, line, "assured_date", "invalid_date", assured);
            else if (date->iso() > today)
                in.issue(services.file, line, "assured_date", "date_in_future", assured);
            else
                p.assured = date->iso() + "T00:00:00Z";
        }
        domain::Service out;
        f.locations.clear();  // site ids are known only after writing; checked above
        report_errors(domain::validate(f, out, true), at(services, i, ""), sources,
                      {{"name_en", "name"},
                       {"description_en", "description"},
                       {"eligibility_en", "eligibility_description"},
                       {"access_en", "application_process"},
                       {"fees_en", "fees_description"},
                       {"age_min", "minimum_age"},
                       {"age_max", "maximum_age"},
                       {"website", "url"},
                       {"wait_weeks", "wait_time"},
                       {"locations", "service_at_locations"}});
        psvcs.push_back(std::move(p));
    }
    if (in.truncated_) report.issues.push_back({"", 0, "", "too_many_issues", "", {}});
    if (!report.ok()) return report;

    // ---- write (the caller commits only when the report is clean)
    store::IdentityRepo identity(tx, clock);
    store::DirectoryRepo directory(tx, clock);
    std::map<std::string, std::int64_t> org_db, loc_db;
    for (const auto& p : porgs) {
        auto id = identity.create_organisation(p.org, options.actor);
        if (!id) {
            in.issue_error("organizations.csv", id.error(), p.uuid);
            return report;
        }
        org_db[p.uuid] = *id;
        ++report.organisations;
    }
    for (const auto& p : plocs) {
        auto id = directory.create_location(org_db[p.org_uuid], p.loc, options.actor);
        if (!id) {
            in.issue_error("locations.csv", id.error(), p.uuid);
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
            in.issue("services.csv", 0, errors.front().field, errors.front(), p.uuid);
            return report;
        }
        auto id = directory.create_service(org_db[p.org_uuid], s, options.actor);
        if (!id) {
            in.issue_error("services.csv", id.error(), p.uuid);
            return report;
        }
        if (!p.assured.empty()) {
            // The import is not a confirmation: the waitlist keeps the date it was last confirmed.
            tx.exec("UPDATE services SET waitlist_updated_at = ? WHERE id = ?", {p.assured, *id});
            tx.exec("UPDATE waitlist_updates SET recorded_at = ? WHERE service_id = ?", {p.assured, *id});
            directory.refresh_search_row(*id);  // "last updated" sorting reads the narrow row
        }
        ++report.services;
    }
    return report;
}

}  // namespace arrimage::interop
