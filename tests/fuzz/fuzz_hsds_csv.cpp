// libFuzzer target for the HSDS 3.0 CSV import path that runs without a database: the RFC 4180
// reader (interop::parse_csv) with tight and default limits, the writer (csv_record) as a
// round trip, and the per-row mapping and validation the importer does before it touches the
// store (valid_uuid, the status/wait_time rules, domain::validate for organisations, locations
// and services). hsds_import itself needs a store::Tx (it reads the active taxonomy terms and
// writes the rows), so this target mirrors its validation phase instead of calling it.
//
// The input is split on NUL bytes into the files of one CSV set, in this order:
//   organizations.csv, services.csv, locations.csv, addresses.csv, phones.csv, schedules.csv,
//   accessibility.csv, service_at_locations.csv, languages.csv, service_areas.csv,
//   contacts.csv, taxonomy_terms.csv, attributes.csv
// Built and run by scripts/fuzz-smoke. Any crash, sanitizer report or FUZZ_CHECK failure is a
// bug in the code under test.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "domain/directory.hpp"
#include "domain/identity.hpp"
#include "interop/csv.hpp"
#include "interop/uuid.hpp"

using namespace arrimage;
using namespace arrimage::interop;

#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                     \
        }                                                                                     \
    } while (0)

namespace {

constexpr const char* file_names[] = {
    "organizations.csv", "services.csv",     "locations.csv",     "addresses.csv", "phones.csv",
    "schedules.csv",     "accessibility.csv", "service_at_locations.csv", "languages.csv",
    "service_areas.csv", "contacts.csv",     "taxonomy_terms.csv", "attributes.csv"};
constexpr std::size_t file_count = sizeof(file_names) / sizeof(file_names[0]);

// An independent UTF-8 validator (Unicode 15, table 3-7), to cross-check the reader.
bool reference_utf8(std::string_view s) {
    std::size_t i = 0;
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    while (i < s.size()) {
        const unsigned char c = b(i);
        if (c <= 0x7F) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c == 0xE0) len = 3, lo = 0xA0;
        else if (c >= 0xE1 && c <= 0xEC) len = 3;
        else if (c == 0xED) len = 3, hi = 0x9F;
        else if (c >= 0xEE && c <= 0xEF) len = 3;
        else if (c == 0xF0) len = 4, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3) len = 4;
        else if (c == 0xF4) len = 4, hi = 0x8F;
        else return false;
        if (s.size() - i < len) return false;
        if (b(i + 1) < lo || b(i + 1) > hi) return false;
        for (std::size_t k = 2; k < len; ++k)
            if (b(i + k) < 0x80 || b(i + k) > 0xBF) return false;
        i += len;
    }
    return true;
}

const std::set<std::string>& error_codes() {
    static const std::set<std::string> codes = {"too_large",       "invalid_utf8",   "unterminated_quote",
                                                 "too_many_rows",   "too_many_fields", "field_too_long",
                                                 "ragged_row",      "empty",          "bad_quote"};
    return codes;
}

// parse_csv plus its invariants; returns the table when it parsed.
std::optional<CsvTable> checked_parse(std::string_view text, const CsvLimits& limits) {
    CsvError err;
    auto table = parse_csv(text, err, limits);
    std::string_view body = text;
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
    const bool utf8 = reference_utf8(body);
    if (!table) {
        FUZZ_CHECK(error_codes().count(err.code) == 1);
        FUZZ_CHECK(err.line <= text.size() + 1);
        if (text.size() <= limits.max_bytes) FUZZ_CHECK((err.code == "invalid_utf8") == !utf8);
        return table;
    }
    FUZZ_CHECK(utf8);  // invalid UTF-8 is always reported
    FUZZ_CHECK(!table->header.empty());
    FUZZ_CHECK(table->header.size() <= limits.max_fields);
    FUZZ_CHECK(table->rows.size() <= limits.max_rows);
    FUZZ_CHECK(table->rows.size() == table->lines.size());
    for (const auto& h : table->header) {
        FUZZ_CHECK(h == trim(h));
        FUZZ_CHECK(h.size() <= limits.max_field_bytes);
        FUZZ_CHECK(valid_utf8(h));
    }
    std::size_t prev = 1;
    for (std::size_t r = 0; r < table->rows.size(); ++r) {
        FUZZ_CHECK(table->rows[r].size() == table->header.size());
        FUZZ_CHECK(table->lines[r] > prev || (r == 0 && table->lines[r] >= 2));
        FUZZ_CHECK(table->lines[r] <= text.size() + 1);
        prev = table->lines[r];
        for (const auto& f : table->rows[r]) {
            FUZZ_CHECK(f.size() <= limits.max_field_bytes);
            FUZZ_CHECK(valid_utf8(f));
        }
    }
    for (std::size_t c = 0; c < table->header.size(); ++c) {
        auto col = table->column(table->header[c]);
        FUZZ_CHECK(col && *col <= c && table->header[*col] == table->header[c]);
    }
    return table;
}

// Writing the table with csv_record and reading it back gives the same table. (Not when the
// header is a single empty column: written out it is a blank line, which the reader skips; nor
// when the first header name starts with a byte-order mark, which the reader keeps when it is
// not the file's first bytes (after blank lines, or a second BOM) but drops when it is.)
void check_round_trip(const CsvTable& t) {
    if (t.header.size() == 1 && t.header[0].empty()) return;
    if (t.header[0].starts_with("\xEF\xBB\xBF")) return;
    std::string text = csv_record(t.header);
    for (const auto& r : t.rows) text += csv_record(r);
    CsvLimits big;
    big.max_bytes = text.size() + 1;
    big.max_field_bytes = 1u << 30;
    big.max_fields = t.header.size() + 1;
    big.max_rows = t.rows.size() + 1;
    CsvError err;
    auto back = parse_csv(text, err, big);
    if (!back) std::fprintf(stderr, "round trip failed: %s at line %zu\n", err.code.c_str(), err.line);
    FUZZ_CHECK(back.has_value());
    FUZZ_CHECK(back->header == t.header);
    FUZZ_CHECK(back->rows == t.rows);
}

using Row = std::map<std::string, std::string>;

std::vector<Row> as_rows(const std::optional<CsvTable>& t) {
    std::vector<Row> out;
    if (!t) return out;
    for (const auto& r : t->rows) {
        Row row;
        for (std::size_t c = 0; c < t->header.size(); ++c) row[t->header[c]] = r[c];
        out.push_back(std::move(row));
    }
    return out;
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

void check_errors(const std::vector<FieldError>& errors) {
    for (const auto& e : errors) {
        FUZZ_CHECK(!e.field.empty());
        FUZZ_CHECK(!e.message_key.empty());
    }
}

// The importer's validation phase, minus the store (the known taxonomy is a fixed list here).
void validate_set(const std::vector<std::optional<CsvTable>>& tables) {
    const auto orgs = as_rows(tables[0]), services = as_rows(tables[1]), locations = as_rows(tables[2]);
    const auto addresses = as_rows(tables[3]), phones = as_rows(tables[4]), schedules = as_rows(tables[5]);
    const auto access = as_rows(tables[6]), sal = as_rows(tables[7]), langs = as_rows(tables[8]);
    const auto areas = as_rows(tables[9]), contacts = as_rows(tables[10]), terms = as_rows(tables[11]);
    const auto attrs = as_rows(tables[12]);

    std::map<std::string, std::string> term_code;
    for (const auto& r : terms) term_code[get(r, "id")] = get(r, "code");
    std::map<std::string, std::vector<std::string>> categories;
    std::set<std::string> fls_links;
    for (const auto& r : attrs) {
        auto code = term_code.find(get(r, "taxonomy_term_id"));
        if (code == term_code.end()) continue;
        if (code->second == "french_language_services") fls_links.insert(get(r, "link_id"));
        else if (domain::valid_taxonomy_code(code->second)) categories[get(r, "link_id")].push_back(code->second);
    }

    std::set<std::string> org_ids;
    for (const auto& r : orgs) {
        const auto id = get(r, "id");
        if (valid_uuid(id)) {
            FUZZ_CHECK(id.size() == 36);
            org_ids.insert(id);
        }
        domain::OrganisationForm f;
        f.sda_id = "1";
        f.name_en = f.name_fr = get(r, "name");
        f.sector = std::string(domain::code(domain::Sector::social_services));
        f.email = get(r, "email");
        f.website = get(r, "website");
        for (const auto& p : phones)
            if (get(p, "organization_id") == id) f.phone = get(p, "number");
        f.csp_roles = {std::string(domain::code(domain::CspRole::broader_partner))};
        f.fls_designated = fls_links.count(id) > 0;
        domain::Organisation out;
        const auto errors = domain::validate(f, out);
        check_errors(errors);
        if (errors.empty()) FUZZ_CHECK(out.name_en.size() <= f.name_en.size());
    }

    std::map<std::string, const Row*> addr_by, sched_by, access_by, area_by;
    for (const auto& r : addresses) addr_by[get(r, "location_id")] = &r;
    for (const auto& r : schedules) sched_by[get(r, "location_id")] = &r;
    for (const auto& r : access) access_by[get(r, "location_id")] = &r;
    for (const auto& r : areas) area_by[get(r, "service_id")] = &r;
    for (const auto& r : locations) {
        const auto id = get(r, "id");
        (void)valid_uuid(id);
        domain::LocationForm f;
        f.name_en = f.name_fr = get(r, "name");
        if (auto a = addr_by.find(id); a != addr_by.end()) {
            f.address = get(*a->second, "address_1");
            f.city = get(*a->second, "city");
            f.postal_code = get(*a->second, "postal_code");
        }
        for (const auto& p : phones)
            if (get(p, "location_id") == id) f.phone = get(p, "number");
        if (auto s = sched_by.find(id); s != sched_by.end()) f.hours_en = f.hours_fr = get(*s->second, "description");
        if (auto a = access_by.find(id); a != access_by.end()) {
            f.accessibility_en = f.accessibility_fr = get(*a->second, "description");
            f.step_free_access = get(*a->second, "details") == "step_free_access";
        }
        domain::Location out;
        check_errors(domain::validate(f, out));
    }

    std::map<std::string, std::vector<std::string>> svc_langs;
    for (const auto& r : langs) svc_langs[get(r, "service_id")].push_back(get(r, "code"));
    std::map<std::string, std::string> svc_contact;
    for (const auto& r : contacts) svc_contact[get(r, "service_id")] = get(r, "name");
    (void)sal;
    for (const auto& r : services) {
        const auto id = get(r, "id");
        (void)valid_uuid(id);
        domain::ServiceForm f;
        f.name_en = f.name_fr = get(r, "name");
        f.description_en = f.description_fr = get(r, "description");
        f.eligibility_en = f.eligibility_fr = get(r, "eligibility_description");
        f.access_en = f.access_fr = get(r, "application_process");
        f.fees_en = f.fees_fr = get(r, "fees_description");
        if (auto a = area_by.find(id); a != area_by.end())
            f.area_served_en = f.area_served_fr = get(*a->second, "description");
        f.age_min = get(r, "minimum_age");
        f.age_max = get(r, "maximum_age");
        f.email = get(r, "email");
        f.website = get(r, "url");
        for (const auto& p : phones)
            if (get(p, "service_id") == id) f.phone = get(p, "number");
        f.contact_name = svc_contact[id];
        f.fls_designated = fls_links.count(id) > 0;
        f.categories = categories[id];
        f.languages = svc_langs[id];
        // Same status / wait_time mapping as hsds_import.
        const auto status = get(r, "status");
        const auto wait = get(r, "wait_time");
        if (status == "temporarily closed") {
            f.waitlist_status = "closed";
        } else if (status == "active" && !wait.empty()) {
            const auto space = wait.find(' ');
            auto n = parse_int(wait.substr(0, space));
            f.waitlist_status = "waitlist";
            f.wait_weeks = n ? std::to_string(*n) : "";
        } else {
            f.waitlist_status = "open";
        }
        domain::Service out;
        const auto errors = domain::validate(f, out, true);
        check_errors(errors);
        if (errors.empty()) {
            FUZZ_CHECK(out.waitlist.wait_weeks.has_value() == (out.waitlist.status == domain::WaitlistStatus::waitlist));
            if (out.waitlist.wait_weeks)
                FUZZ_CHECK(*out.waitlist.wait_weeks >= 1 && *out.waitlist.wait_weeks <= domain::max_wait_weeks);
            if (out.age_min && out.age_max) FUZZ_CHECK(*out.age_min <= *out.age_max);
        }
        // A round trip of the status through domain::validate(WaitlistForm).
        domain::WaitlistForm wf{f.waitlist_status, f.wait_weeks};
        domain::Waitlist wl;
        check_errors(domain::validate(wf, wl));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    // Tight limits reach every limit error with small inputs.
    CsvLimits tight;
    tight.max_bytes = 4096;
    tight.max_rows = 8;
    tight.max_fields = 6;
    tight.max_field_bytes = 64;
    (void)checked_parse(input, tight);

    std::vector<std::optional<CsvTable>> tables(file_count);
    std::size_t start = 0;
    for (std::size_t k = 0; k < file_count && start <= input.size(); ++k) {
        const auto end = k + 1 == file_count ? std::string_view::npos : input.find('\0', start);
        const auto piece = input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        auto t = checked_parse(piece, CsvLimits{});
        if (t) check_round_trip(*t);
        tables[k] = std::move(t);
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    validate_set(tables);
    return 0;
}
