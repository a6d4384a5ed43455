// libFuzzer target for the HSDS 3.0 CSV import: the real interop::hsds_import, run against a
// SQLite database migrated once (in memory), each input in its own write transaction that is
// always rolled back. Checked on every input: a report with issues means nothing was written;
// a clean report imported exactly the rows of the set; every issue names a problem (and a file,
// unless it is the "too many issues" line). The RFC 4180 reader is also checked on its own
// (interop::parse_csv against an independent UTF-8 validator, with tight and default limits,
// and the writer csv_record as a round trip).
//
// The input is split on NUL bytes into the files of one CSV set, in this order:
//   organizations.csv, services.csv, locations.csv, addresses.csv, phones.csv, schedules.csv,
//   accessibility.csv, service_at_location.csv, languages.csv, service_areas.csv,
//   contacts.csv, taxonomy_terms.csv, attributes.csv,
// then the French files: fr/organizations.csv, fr/services.csv, fr/locations.csv,
//   fr/schedules.csv, fr/accessibility.csv, fr/service_areas.csv, fr/attributes.csv
// FUZZ_HSDS_REPORT=1 prints each import's report (useful when replaying an input).
// Built and run by scripts/fuzz-smoke. Any crash, sanitizer report, uncaught exception (a
// database error the validation should have prevented) or FUZZ_CHECK failure is a bug in the
// code under test.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/text.hpp"
#include "interop/csv.hpp"
#include "interop/hsds_tables.hpp"
#include "store/identity_repo.hpp"
#include "store/migrate.hpp"
#include "store/sqlite/sqlite_database.hpp"

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

constexpr const char* file_names[] = {"organizations.csv", "services.csv",      "locations.csv",     "addresses.csv",
                                      "phones.csv",        "schedules.csv",     "accessibility.csv", "service_at_location.csv",
                                      "languages.csv",     "service_areas.csv", "contacts.csv",      "taxonomy_terms.csv",
                                      "attributes.csv"};
constexpr const char* french_names[] = {"organizations.csv", "services.csv",      "locations.csv", "schedules.csv",
                                        "accessibility.csv", "service_areas.csv", "attributes.csv"};

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
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c == 0xE0)
            len = 3, lo = 0xA0;
        else if (c >= 0xE1 && c <= 0xEC)
            len = 3;
        else if (c == 0xED)
            len = 3, hi = 0x9F;
        else if (c >= 0xEE && c <= 0xEF)
            len = 3;
        else if (c == 0xF0)
            len = 4, lo = 0x90;
        else if (c >= 0xF1 && c <= 0xF3)
            len = 4;
        else if (c == 0xF4)
            len = 4, hi = 0x8F;
        else
            return false;
        if (s.size() - i < len) return false;
        if (b(i + 1) < lo || b(i + 1) > hi) return false;
        for (std::size_t k = 2; k < len; ++k)
            if (b(i + k) < 0x80 || b(i + k) > 0xBF) return false;
        i += len;
    }
    return true;
}

const std::set<std::string>& error_codes() {
    static const std::set<std::string> codes = {"too_large",     "invalid_utf8",    "unterminated_quote",
                                                "too_many_rows", "too_many_fields", "field_too_long",
                                                "ragged_row",    "empty",           "bad_quote"};
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

// Every table the import can write: counted before and after a refused import.
constexpr const char* written_tables[] = {"organisations",
                                          "organisation_csp_roles",
                                          "sites",
                                          "location_details",
                                          "services",
                                          "service_categories",
                                          "service_languages",
                                          "service_locations",
                                          "waitlist_updates",
                                          "admin_audit"};

std::vector<std::int64_t> counts(store::Tx& tx) {
    std::vector<std::int64_t> out;
    for (const auto* t : written_tables) out.push_back(tx.query_one(std::string("SELECT COUNT(*) FROM ") + t)->i64(0));
    return out;
}

// The database, migrated once, with one service delivery area to import into.
struct Fixture {
    std::unique_ptr<store::Database> db;
    ManualClock clock{std::chrono::sys_days{std::chrono::year{2026} / 11 / 30} + std::chrono::hours(12)};
    std::int64_t sda = 0;
    std::vector<std::int64_t> baseline;

    Fixture() {
        db = std::make_unique<store::SqliteDatabase>(":memory:", 1);
        store::migrate(*db);
        auto tx = db->begin(store::TxMode::write);
        sda = *store::IdentityRepo(*tx, clock).create_sda({"fuzz", "Fuzz FR", "Fuzz EN"}, 0);
        baseline = counts(*tx);
        tx->commit();
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

std::size_t data_rows(const CsvSet& set, const std::string& name) {
    const auto* text = set.find(name);
    if (!text) return 0;
    CsvError err;
    auto t = parse_csv(*text, err);
    return t ? t->rows.size() : 0;
}

void run_import(const CsvSet& primary, const CsvSet& french) {
    auto& f = fixture();
    auto tx = f.db->begin(store::TxMode::write);
    ImportOptions options;
    options.sda_id = f.sda;
    const auto report = hsds_import(*tx, f.clock, primary, french, options);
    static const bool show = std::getenv("FUZZ_HSDS_REPORT") != nullptr;
    if (show)
        std::fprintf(stderr, "%s: %zu issue(s), %zu organisation(s), %zu location(s), %zu service(s)\n%s",
                     report.ok() ? "imported" : "refused", report.issues.size(), report.organisations, report.locations,
                     report.services, report.text().c_str());
    for (const auto& i : report.issues) {
        FUZZ_CHECK(!i.problem.empty());
        FUZZ_CHECK(!i.file.empty() || i.problem == "too_many_issues");
        FUZZ_CHECK(valid_utf8(i.value));
    }
    if (!report.ok()) {
        FUZZ_CHECK(report.organisations == 0 && report.locations == 0 && report.services == 0);
        FUZZ_CHECK(counts(*tx) == f.baseline);  // nothing written
    } else {
        FUZZ_CHECK(report.organisations == data_rows(primary, "organizations.csv"));
        FUZZ_CHECK(report.locations == data_rows(primary, "locations.csv"));
        FUZZ_CHECK(report.services == data_rows(primary, "services.csv"));
        const auto after = counts(*tx);
        FUZZ_CHECK(after[0] == f.baseline[0] + static_cast<std::int64_t>(report.organisations));
        FUZZ_CHECK(after[2] == f.baseline[2] + static_cast<std::int64_t>(report.locations));
        FUZZ_CHECK(after[4] == f.baseline[4] + static_cast<std::int64_t>(report.services));
    }
    tx->rollback();
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

    CsvSet primary, french;
    constexpr std::size_t main_count = std::size(file_names);
    constexpr std::size_t all_count = main_count + std::size(french_names);
    std::size_t start = 0;
    for (std::size_t k = 0; k < all_count && start <= input.size(); ++k) {
        const auto end = k + 1 == all_count ? std::string_view::npos : input.find('\0', start);
        const auto piece = input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (auto t = checked_parse(piece, CsvLimits{})) check_round_trip(*t);
        auto& set = k < main_count ? primary : french;
        const char* name = k < main_count ? file_names[k] : french_names[k - main_count];
        if (!set.find(name)) set.files.emplace_back(name, std::string(piece));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    run_import(primary, french);
    return 0;
}
