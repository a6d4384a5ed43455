#pragma once
// Outreach and knowledge sharing: the area's log of what its coordinating agency and providers did
// to make the network known and to share what they know (features/network/domain/outreach.hpp,
// docs/NETWORK.md "Outreach and knowledge sharing").
//
// Who: an activity belongs to one area and to the organisation its recorder acted for.
//   ca_admin          reads their area's log; records activities and changes any of their area's
//   provider_manager  reads their area's log; records activities of their own organisation (it
//                     must be among the organisations involved: "network.outreach.own_organisation"
//                     on "organisations"); changes those they recorded and those of their own
//                     organisation, keeping it among the organisations involved
//   ministry_analyst  reads every area's log, never who recorded or changed an activity
//   anyone else       Forbidden
// An activity or an organisation the reader may not see is not found.
//
// What: about organisations and what they did, never about a child or family: no personal
// information of the file, so the policy decision point is not asked; each write records who
// made it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "features/network/domain/outreach.hpp"
#include "store/access.hpp"

namespace arrimage::store {

struct OutreachOrganisation {
    std::int64_t id = 0;
    std::string name_fr, name_en;
};

// One activity as the log lists it.
struct OutreachRow {
    std::int64_t id = 0;
    domain::OutreachKind kind = domain::OutreachKind::other;
    std::vector<domain::OutreachAudience> audiences;  // in all_outreach_audiences() order
    std::string title;
    domain::OutreachLanguage language = domain::OutreachLanguage::both;
    std::string held_on;  // YYYY-MM-DD
    std::optional<int> people_reached;
    std::vector<OutreachOrganisation> organisations;  // involved, by English name
    std::string summary, follow_up;
    std::string area_fr, area_en;
};

// The filtered log in numbers.
struct OutreachKindTotal {
    domain::OutreachKind kind = domain::OutreachKind::other;
    int activities = 0;
    std::int64_t people_reached = 0;
};
struct OutreachTotals {
    int activities = 0;
    std::int64_t people_reached = 0;          // the sum of those counted
    int counted = 0;                          // activities whose people reached were counted
    std::vector<OutreachKindTotal> per_kind;  // every kind, in all_outreach_kinds() order
};

struct OutreachLog {
    std::vector<OutreachRow> rows;  // newest first (by the day held, then the latest recorded)
    OutreachTotals totals;
};

struct OutreachActivity {
    OutreachRow row;
    domain::OutreachTerms terms;        // as stored, for the edit form
    OutreachOrganisation recorded_for;  // whose activity it is
    // Who recorded and last changed it, and when (ISO timestamps). The names are empty for the
    // ministry's analyst, who never reads them.
    std::string created_at, updated_at, created_by_name, updated_by_name;
    int version = 1;
    bool may_edit = false;
};

class OutreachRepo {
  public:
    explicit OutreachRepo(AccessContext ctx) : ctx_(std::move(ctx)) {}

    // Whether the reader may record activities (a ca_admin or a provider manager whose
    // organisation has an area).
    bool may_record() const;

    // The log the reader may see (their area's; every area's for an analyst), filtered, with its
    // totals. Field errors of domain::validate(OutreachQuery); an organisation outside the
    // reader's area, or none at all, is "field.choose_from_list" on "organisation".
    Result<OutreachLog> list(const domain::OutreachQuery& query) const;
    // The organisations to filter the log by: those involved in an activity the reader may see,
    // by English name.
    Result<std::vector<OutreachOrganisation>> filter_choices() const;
    // The organisations an activity the reader records may involve: the active organisations of
    // their area, by English name. Forbidden for those who record none.
    Result<std::vector<OutreachOrganisation>> choices() const;

    // A new activity of the reader's area, for their organisation: field errors of
    // domain::validate(OutreachForm) (the clock's today); an organisation that is not an active
    // one of the area ("field.choose_from_list" on "organisations"); a provider manager's own
    // organisation missing ("network.outreach.own_organisation" on "organisations").
    Result<std::int64_t> create(const domain::OutreachForm& form);
    Result<OutreachActivity> activity(std::int64_t id) const;
    // Its terms changed from the version the form was shown with: another version is Conflict
    // "network.outreach.changed_meanwhile" before the form's fields are checked. Field errors as
    // create (an organisation it already involves stays allowed if deactivated since). NotFound
    // outside the reader's area; Forbidden for an activity the reader reads but may not change.
    Result<void> update(std::int64_t id, int version, const domain::OutreachForm& form);

  private:
    AccessContext ctx_;
};

}  // namespace arrimage::store
