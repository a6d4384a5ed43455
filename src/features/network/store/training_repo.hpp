#pragma once
// Capacity building: the training catalogue, requirements, completions and compliance
// (features/network/domain/capacity.hpp, docs/NETWORK.md "Capacity building").
//
// Who: a training belongs to one area. The coordinating agency's administrators (role ca_admin)
// of that area record and change it, set its requirements and record completions for any staff
// of the area's organisations; a provider manager reads the area's catalogue, records completions
// for the staff of their own organisation and reads their organisation's compliance; a ministry
// analyst reads every area's catalogue and the per-organisation percentages (never per person).
// Everyone with a membership of a trainable role (coordinator, participant staff, provider
// manager, privacy officer) reads their own trainings (mine()). Anyone else is refused
// (Forbidden); a training or organisation the reader may not see is not found.
//
// Staff: the active memberships, of a trainable role, at active organisations of the training's
// area (a user with two such memberships counts at each organisation). API clients' service
// accounts (users without a password who hold an api client) are never staff.
//
// What: about staff and trainings, never about a child or family: no personal information of
// the file, so the policy decision point is not asked; each write records who made it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/result.hpp"
#include "features/network/domain/capacity.hpp"
#include "store/access.hpp"

namespace arrimage::store {

struct TrainingLink {
    std::int64_t id = 0;
    std::string name_fr, name_en;
};

struct TrainingSummary {
    std::int64_t id = 0;
    std::string title_fr, title_en;
    domain::TrainingFormat format = domain::TrainingFormat::in_person;
    int hours_tenths = 10;
    std::optional<int> validity_months;
    bool joint = false, retired = false;
    std::string area_fr, area_en;              // its area's names
    std::vector<domain::Role> required_roles;  // in trainable_roles() order
};

struct RequirementRow {
    domain::Role role = domain::Role::coordinator;
    int due_days = 90;
    std::string set_on;  // YYYY-MM-DD
};

struct CompletionRow {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string user_name;
    std::string organisation_fr, organisation_en;
    std::string completed_on, note, recorded_by_name;
};

struct TrainingRecord {
    TrainingSummary summary;
    domain::TrainingTerms terms;         // as stored, for the edit form
    std::vector<TrainingLink> partners;  // by name
    std::vector<RequirementRow> requirements;
    std::vector<CompletionRow> completions;  // newest first; only those the reader may see (a
                                             // provider manager: their organisation's; an analyst: none)
    int version = 1;
    bool may_edit = false;    // ca_admin of its area
    bool may_record = false;  // may record completions (ca_admin of its area, provider manager of the area), not retired
};

// One person's standing on one required training.
struct ObligationRow {
    std::int64_t user_id = 0;
    std::string user_name;
    std::int64_t organisation_id = 0;
    std::string organisation_fr, organisation_en;
    domain::Role role = domain::Role::coordinator;
    std::int64_t training_id = 0;
    std::string title_fr, title_en;
    std::string required_since, due_by, completed_on, expires_on;  // YYYY-MM-DD or ""
    domain::TrainingStanding standing = domain::TrainingStanding::due;
};

// A provider's standing: its staff's obligations counted by standing.
struct OrganisationCompliance {
    std::int64_t id = 0;
    std::string name_fr, name_en;
    std::string area_fr, area_en;
    int staff = 0;        // distinct people with at least one obligation
    int obligations = 0;  // people × required trainings
    int complete = 0, expiring_soon = 0, due = 0, overdue = 0, lapsed = 0;
    int percent = 100;  // domain::compliance_percent(complete + expiring_soon, obligations)
};

struct OrganisationComplianceDetail {
    OrganisationCompliance summary;
    std::vector<ObligationRow> rows;  // by person name, then training title (English)
};

// Someone the reader may record a completion for, at one organisation.
struct StaffChoice {
    std::int64_t user_id = 0;
    std::string name;
    std::int64_t organisation_id = 0;
    std::string organisation_fr, organisation_en;
};

class TrainingRepo {
  public:
    explicit TrainingRepo(AccessContext ctx) : ctx_(std::move(ctx)) {}

    // Whether the reader may record trainings (a ca_admin whose organisation has an area).
    bool may_manage() const;
    // The catalogue the reader may see (their area's; every area's for an analyst), by English
    // title; retired ones only when asked.
    Result<std::vector<TrainingSummary>> list(bool include_retired) const;
    // The active organisations of the administrator's area, by name: the partners a joint
    // training may name. Forbidden for anyone but a ca_admin.
    Result<std::vector<TrainingLink>> partner_choices() const;

    // A new training of the administrator's area: field errors of domain::validate(TrainingForm);
    // a partner that is not an active organisation of the area ("field.choose_from_list" on
    // "partners").
    Result<std::int64_t> create(const domain::TrainingForm& form);
    Result<TrainingRecord> training(std::int64_t id) const;
    // Its terms changed from the version the form was shown with: another version is Conflict
    // "network.training.changed_meanwhile" before the form's fields are checked. Field errors as
    // create. Each change (update, set_requirements, retire) is a new version.
    Result<void> update(std::int64_t id, int version, const domain::TrainingForm& form);
    // Which roles must complete it: field errors of domain::validate(requirements). A requirement
    // whose days did not change keeps its set_on; a new or changed one is set today. Conflict as update.
    Result<void> set_requirements(std::int64_t id, int version, const std::vector<domain::RequirementForm>& form);
    // Retires it (it leaves the catalogue and every obligation; its completions stay) or puts it
    // back (its requirements then count from today, as if set again). Conflict as update.
    Result<void> set_retired(std::int64_t id, int version, bool retired);

    // Whom the reader may record a completion of this training for: a ca_admin of its area, the
    // staff of the area's organisations; a provider manager, their own organisation's staff. By
    // name. Forbidden for others; NotFound as training().
    Result<std::vector<StaffChoice>> staff_choices(std::int64_t training_id) const;
    // A completion: field errors of domain::validate(CompletionForm) (the clock's today); a person
    // who is not among staff_choices() ("network.training.not_staff" on "user"); the same day
    // twice ("network.training.already_recorded" on "completed_on"); a retired training (Conflict
    // "network.training.retired"). Recorded under the person's organisation among the reader's
    // reach (the first by id when several).
    Result<std::int64_t> record_completion(std::int64_t training_id, const domain::CompletionForm& form);

    // Per organisation: a ca_admin, every active organisation of their area; a provider manager,
    // their own; an analyst, every active organisation of every area. By area, then name.
    Result<std::vector<OrganisationCompliance>> compliance() const;
    // One organisation's people and their standings: a ca_admin of its area or its own provider
    // manager; Forbidden for an analyst; NotFound otherwise.
    Result<OrganisationComplianceDetail> organisation(std::int64_t organisation_id) const;
    // The reader's own obligations (every membership of a trainable role), by training title;
    // Forbidden for a role that has none (ca_admin, system_admin, analyst, family).
    Result<std::vector<ObligationRow>> mine() const;

  private:
    AccessContext ctx_;
};

// The reminder job's part (`arrimage reminders`, hourly in `serve`): to each person, in their
// notifications (kind network, a link to /network/my-trainings), a required training due within
// 14 days, overdue, expiring within 30 days or lapsed; once per person, training and date (the due
// date or the expiry). Returns the notifications written. System processing over staff and
// trainings: no actor, no personal information of a file.
inline constexpr int training_due_notice_days = 14;
int raise_training_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                             bool email = true);

}  // namespace arrimage::store
