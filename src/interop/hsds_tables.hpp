#pragma once
// The HSDS 3.0 tabular form (CSV files plus datapackage.json) of the service directory.
// Export writes the English set in DIR and the French set, with the same ids, in DIR/fr.
// Import reads DIR (and DIR/fr when present, for the French text), validates every row and
// field with the domain validators, and writes all of it or nothing: the caller commits only
// when the report has no issue.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "domain/identity.hpp"
#include "interop/csv.hpp"
#include "interop/hsds.hpp"
#include "store/db.hpp"

namespace arrimage::interop {

// file name -> CSV text, for one language. A table may be given under an older name Arrimage
// used to export (service_at_locations.csv); lookups by the HSDS name find it.
struct CsvSet {
    std::vector<std::pair<std::string, std::string>> files;
    const std::string* find(const std::string& name) const;
    // The (given name, text) of a table, by its HSDS name or an older name.
    const std::pair<std::string, std::string>* entry(const std::string& name) const;
};

CsvSet hsds_csv_export(const DirectorySnapshot& d, Lang lang);
std::string hsds_datapackage_json(const CsvSet& set);
// Writes DIR/*.csv, DIR/datapackage.json and DIR/fr/...; false with `error` on I/O failure.
bool write_hsds_export(const DirectorySnapshot& d, const std::string& dir, std::string& error);

struct ImportIssue {
    std::string file;
    std::size_t line = 0;  // 0: the whole file
    std::string field;
    std::string problem;  // a short code: "required", "invalid_utf8", "unknown_taxonomy_term", field.* keys...
    std::string value;    // the offending value, shortened
    // The {0}, {1}... of a field check's message ("field.too_long": the maximum length).
    std::vector<std::string> args;
};

struct ImportReport {
    std::vector<ImportIssue> issues;  // any issue: nothing is imported
    // Rows left out of a valid set (Arrimage keeps one address, phone, schedule... per record):
    // told to the user, the import goes on.
    std::vector<ImportIssue> notes;
    std::size_t organisations = 0, locations = 0, services = 0;
    bool ok() const { return issues.empty(); }
    std::string text() const;  // one line per issue
    std::string notes_text() const;

  private:
    static std::string lines(const std::vector<ImportIssue>& list);
};

struct ImportOptions {
    std::int64_t sda_id = 0;  // organisations are created in this SDA
    domain::Sector sector = domain::Sector::social_services;
    std::int64_t actor = 0;
    CsvLimits limits;
    std::size_t max_file_bytes = 64u * 1024u * 1024u;
};

// The CSV file names of the tabular form (organizations.csv, services.csv...), in order, as the
// official HSDS 3.0 datapackage names them.
const std::vector<std::string>& hsds_table_names();
// The HSDS name of a table file: itself, the HSDS name of an older name we accept, or nullopt.
std::optional<std::string> hsds_table_name(const std::string& file);
// Every short problem code an import report can carry (ImportIssue::problem) that is not
// itself a catalogue key; the web layer shows hsds.problem.<code>.
const std::vector<std::string>& hsds_problem_codes();

// Reads the files of DIR (and DIR/fr) into sets; missing optional files are empty.
bool read_hsds_dir(const std::string& dir, CsvSet& primary, CsvSet& french, ImportReport& report, std::size_t max_file_bytes);

// Validates both sets and, when everything is valid, writes the directory in `tx`. When the
// report has issues nothing was written (or the caller must roll back: it does not commit).
ImportReport hsds_import(store::Tx& tx, const Clock& clock, const CsvSet& primary, const CsvSet& french,
                         const ImportOptions& options);

}  // namespace arrimage::interop
