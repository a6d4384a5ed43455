#pragma once
// The community plans registry (features/network/domain/network.hpp, docs/NETWORK.md).
//
// Who: a plan involves one or more areas. The coordinating agency administrators (role ca_admin)
// of an area it involves record and change it and move it through
// domain::community_plan_lifecycle() (relationship coordinating_agency); a ca_admin records new
// plans that involve their own area (it must be among its areas), and on a change may not take
// off another area the plan involves ("network.plan.other_area_kept" on "areas"): that area's
// own administrators decide for it, and they would lose the plan. Provider managers and ca_admins
// read the plans that involve their organisation's area; a ministry analyst reads every plan.
// Anyone else is refused (Forbidden); a plan the reader may not see is not found.
//
// What: plans are about organisations and areas, never about a child or a family: no personal
// information, so the policy decision point is not asked; each write records who made it
// (created_by, updated_by, the events table).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/result.hpp"
#include "features/network/domain/network.hpp"
#include "store/access.hpp"

namespace arrimage::store {

struct PlanLink {
    std::int64_t id = 0;
    std::string name_fr, name_en;
};

struct CommunityPlanSummary {
    std::int64_t id = 0;
    std::string reference;  // "PLC-2026-0003"
    std::string title_fr, title_en;
    domain::CommunityPlanKind kind = domain::CommunityPlanKind::other;
    domain::CommunityPlanStatus status = domain::CommunityPlanStatus::in_development;
    std::string owner_fr, owner_en;  // the owner organisation's names, or the owner name twice
    domain::ReviewCycle cycle = domain::ReviewCycle::ongoing;
    std::string approved_on, next_review_on, next_progress_on;  // YYYY-MM-DD or ""; no review once retired
    domain::ReviewState review = domain::ReviewState::none;     // for the clock's today; none once retired
    std::vector<PlanLink> areas;                                // by name
};

struct CommunityPlanEventRow {
    std::string at;  // ISO timestamp
    std::string event, status, note, user_name;
};

struct CommunityPlanRecord {
    CommunityPlanSummary summary;
    domain::CommunityPlanTerms terms;     // as stored, for the edit form
    std::vector<PlanLink> organisations;  // by name
    int version = 1;
    std::vector<CommunityPlanEventRow> events;          // oldest first
    std::vector<domain::CommunityPlanEvent> available;  // what the reader may fire now
    bool may_edit = false;                              // the reader may change its terms
};

// The registry's filter (query parameters kind, status, area, review: "due_soon" or "overdue").
struct CommunityPlanQuery {
    std::string kind, status, area, review;
};

// What the form offers: active organisations (of every area: a health team or a ministry office
// may serve several) and active areas, by name.
struct CommunityPlanChoices {
    std::vector<PlanLink> organisations, areas;
};

class CommunityPlanRepo {
  public:
    explicit CommunityPlanRepo(AccessContext ctx) : ctx_(std::move(ctx)) {}

    // Whether the reader may record plans (a ca_admin with an area).
    bool may_manage() const;
    // The plans the reader may see (see above), filtered: unknown values of the filter are field
    // errors ("field.choose_from_list" on the parameter's name). Ordered by next review (those
    // without a date last), then reference.
    Result<std::vector<CommunityPlanSummary>> list(const CommunityPlanQuery& query) const;
    // Forbidden for anyone but a ca_admin.
    Result<CommunityPlanChoices> choices() const;

    // A new plan, in development: field errors of domain::validate(CommunityPlanForm); an
    // organisation or area that does not exist, or is inactive ("field.choose_from_list" on
    // "organisations", "owner_organisation" or "areas"); the administrator's own area not among
    // its areas ("network.plan.own_area" on "areas").
    Result<std::int64_t> create(const domain::CommunityPlanForm& form);
    Result<CommunityPlanRecord> plan(std::int64_t id) const;
    // Its terms changed, from the version the form was shown with; not once retired (Conflict
    // "network.plan.retired"). Another version is Conflict "network.plan.changed_meanwhile"
    // before anything in the form is looked at, field errors or not: the form was filled in over
    // terms that are no longer the plan's. The next review is computed again. Organisations it
    // already links and areas it already involves may have been deactivated since and stay
    // allowed. Field errors as create (a fixed review date before the current approval included),
    // and another area it involves taken off ("network.plan.other_area_kept" on "areas").
    Result<void> update(std::int64_t id, int version, const domain::CommunityPlanForm& form);
    // Moves it through domain::community_plan_lifecycle(); each move is a new version (an edit
    // form shown before it is then out of date). Approving and re-approving need the approval date
    // (`approved_on`, field errors of domain::validate_approval), written with the status together
    // with the next review it sets; retiring needs its reason (`note`, field "note":
    // "field.required") and clears the next review; the note is up to 2,000 characters
    // ("field.too_long").
    Result<domain::CommunityPlanStatus> fire(std::int64_t id, domain::CommunityPlanEvent event, const std::string& note,
                                             const std::string& approved_on = {});

  private:
    AccessContext ctx_;
};

// The reminder job's part (`arrimage reminders`, hourly in `serve`): to the coordinating agency
// administrators of every area a plan involves, a plan not retired whose review is within 90 days
// or overdue, and one whose yearly progress report is within 30 days; once per plan and date.
// Returns the notifications written (kind network). System processing over organisations and
// dates: no actor, no personal information.
int raise_community_plan_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                                   bool email = true);

}  // namespace arrimage::store
