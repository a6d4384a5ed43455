#pragma once
// The library of common tools and forms (features/network/domain/tools.hpp, docs/NETWORK.md "The
// library of common tools and forms").
//
// Who: a tool belongs to one area. The coordinating agency's administrators (role ca_admin) of
// that area record it, change it, retire it and upload its files. Provider managers,
// coordinators and participants' staff of the area read its library and download the files
// (they are the ones who must use them); a provider manager confirms that their own organisation
// uses the current version of a mandatory tool (adopt()). The ministry's analyst reads every
// area's library and the adoption matrix, never who adopted. Anyone else is refused (Forbidden);
// a tool the reader may not see is not found.
//
// Providers: the active organisations of the tool's area that hold the CSP role of provider or
// participant (csp_provider, csp_participant). They must use the mandatory tools; the
// coordinating agency that keeps them, and the area's other partners, are not counted.
//
// What: tools and organisations, never a child or family: the policy decision point is not asked;
// each write records who made it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.hpp"
#include "core/result.hpp"
#include "features/network/domain/tools.hpp"
#include "store/access.hpp"

namespace arrimage::store {

struct ToolSummary {
    std::int64_t id = 0;
    std::string title_fr, title_en;
    domain::ToolKind kind = domain::ToolKind::other;
    bool mandatory = false, retired = false;
    std::string version_label;
    std::string version_set_on;  // YYYY-MM-DD: when the current label was set
    std::string area_fr, area_en;
    bool file_fr = false, file_en = false;  // it has a file in that language
    // The reader's own organisation's standing, when the tool is mandatory and that organisation
    // is one of the providers of the tool's area.
    std::optional<domain::AdoptionStanding> own;
};

struct ToolFileInfo {
    Lang lang = Lang::fr;
    std::string filename, content_type;
    std::int64_t size = 0;
    std::string checksum;       // BLAKE2b-256 of the bytes, hex
    std::string version_label;  // the tool's when it was uploaded
    std::string uploaded_at;    // ISO timestamp
    std::string uploaded_by;    // a name; "" for the analyst
};

// A file's bytes, for its download.
struct ToolFileData {
    std::string filename, content_type, data;
};

// One provider's standing on one mandatory tool, with its latest adoption.
struct ToolAdoptionRow {
    std::int64_t organisation_id = 0;
    std::string name_fr, name_en;
    domain::AdoptionStanding standing = domain::AdoptionStanding::not_adopted;
    std::string adopted_label, adopted_on;  // the latest version adopted (by day, then label), "" when none
    std::string adopted_by;                 // a name; "" for the analyst
};

struct ToolRecord {
    ToolSummary summary;
    domain::ToolTerms terms;  // as stored, for the edit form
    int version = 1;
    std::vector<ToolFileInfo> files;  // French, then English; only those uploaded
    // A mandatory tool's providers and their standings, by name: every provider of its area for
    // the agency's administrator and the analyst; for anyone else, their own organisation's
    // only (when it is one of them). Empty when the tool is not mandatory.
    std::vector<ToolAdoptionRow> adoptions;
    bool may_edit = false;   // ca_admin of its area
    bool may_adopt = false;  // a provider manager of one of its providers, mandatory, not retired,
                             // the current version not yet adopted
};

// The adoption matrix of one area: its mandatory tools (not retired) × its providers.
struct AdoptionCell {
    std::int64_t tool_id = 0;
    domain::AdoptionStanding standing = domain::AdoptionStanding::not_adopted;
    std::string adopted_label;  // the latest version adopted, "" when none
};
struct ProviderAdoption {
    std::int64_t id = 0;
    std::string name_fr, name_en;
    std::vector<AdoptionCell> cells;  // in the order of AreaAdoption::tools
    int current = 0, older = 0, none = 0;
};
struct ToolAdoptionCount {
    ToolSummary tool;
    int current = 0, older = 0, none = 0;
};
struct AreaAdoption {
    std::int64_t id = 0;
    std::string name_fr, name_en;
    std::vector<ToolAdoptionCount> tools;     // by English title
    std::vector<ProviderAdoption> providers;  // by English name
    int current = 0, older = 0, none = 0;     // every cell
};

class ToolRepo {
  public:
    explicit ToolRepo(AccessContext ctx) : ctx_(std::move(ctx)) {}

    // Whether the reader keeps a library (a ca_admin whose organisation has an area).
    bool may_manage() const;
    // Whether the reader may read the adoption matrix (a ca_admin with an area, the analyst).
    bool may_read_adoption() const;
    // The library the reader may see (their area's; every area's for an analyst), filtered, by
    // English title; retired tools only when the filter asks.
    Result<std::vector<ToolSummary>> list(const domain::ToolFilter& filter) const;

    // A new tool of the administrator's area: field errors of domain::validate(ToolForm). Its
    // version label is set today.
    Result<std::int64_t> create(const domain::ToolForm& form);
    Result<ToolRecord> tool(std::int64_t id) const;
    // Its terms changed from the version the form was shown with: another version is Conflict
    // "network.tools.changed_meanwhile" before the form's fields are checked. Field errors as
    // create. A new version label is set today: no adoption is removed, but those of earlier
    // labels are no longer current. Each change (update, set_retired) is a new version.
    Result<void> update(std::int64_t id, int version, const domain::ToolForm& form);
    // Retires it (it leaves the library and the adoption matrix; its files and adoptions stay)
    // or puts it back. Conflict as update.
    Result<void> set_retired(std::int64_t id, int version, bool retired);

    // Replaces the tool's file in `lang` ("fr" or "en": else "field.choose_from_list" on
    // "lang"): the file's checks are the agreements' documents' (domain::validate(DocumentUpload):
    // not empty, at most domain::max_document_bytes, a plain name, an accepted type whose
    // content matches it), field errors on "file". The type stored is the one of its extension,
    // never the browser's. The administrator of its area only.
    Result<void> attach_file(std::int64_t id, std::string_view lang, const std::string& filename, std::string_view data);
    // A file's bytes, for whoever may read the tool; NotFound when it has none in `lang`.
    Result<ToolFileData> file(std::int64_t id, std::string_view lang) const;

    // The reader, a provider manager, confirms that their own organisation uses version
    // `version_label` of the tool, the current one: Forbidden for any other role, or when their
    // organisation is not one of the providers of the tool's area; NotFound outside their area;
    // Conflict "network.tools.not_mandatory", "network.tools.retired",
    // "network.tools.version_changed" (the label shown is no longer the current one) or
    // "network.tools.already_adopted".
    Result<void> adopt(std::int64_t id, const std::string& version_label);

    // The matrix: for a ca_admin their area (even without a mandatory tool), for the analyst every
    // area that has a mandatory tool in the library (by English name); four queries whatever the
    // number of tools and providers. Forbidden for anyone else.
    Result<std::vector<AreaAdoption>> adoption() const;

  private:
    AccessContext ctx_;
};

}  // namespace arrimage::store
