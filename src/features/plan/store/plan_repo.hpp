#pragma once
// The coordinated service plan of a child's file (features/plan/domain/plan.hpp, docs/PLAN.md),
// and the authorization boundary for it. The plan is personal information of category `plan`
// (domain/privacy.hpp): every read and write is decided on the file and audited through the
// guard, with the file named.
//
// Policy: the file's owner (its assigned coordinator) and its team read and write the plan
// under coordination, on the family's consent; the coordinating agency reads it where the
// family's consent names it (the agency stands to a file under the referral purpose for its
// intake work: for the plan it is asked under coordination); a privacy officer is refused
// (oversight reads the audit, not the plan); anyone else has no relationship (NotFound). A
// lockbox on `plan` for the actor's organisation gives the withheld notice, never the content.
//
// Who keeps the plan: only the assigned coordinator starts it and moves its status (the
// lifecycle table's "who"); anyone else's attempt is refused on record. Every saved change adds
// 1 to the plan's version (a form sent with an older one gets Conflict "plan.error.stale" and
// changes nothing) and writes one version row: who, when, what, why and the plan after it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "features/plan/domain/plan.hpp"
#include "store/access.hpp"
#include "store/db.hpp"
#include "store/person_repo.hpp"

namespace arrimage::store {

struct PlanGoalRow {
    std::int64_t id = 0;
    int priority = 1;
    std::string text, expressed_by, progress, updated_at, updated_by_name;
};
struct PlanVersionRow {
    int version = 0;
    std::string at, user_name, change, reason;
};
struct PlanEventRow {
    std::string at, event, status, note, user_name;
};

struct PlanRecord {
    std::int64_t person_id = 0;
    std::optional<std::int64_t> id;  // empty: no plan yet
    domain::Relationship relationship = domain::Relationship::none;
    bool withheld = false;  // a lockbox on `plan`: nothing below is filled
    std::string status, created_at, created_by_name;
    std::string source_reference;  // the referral whose intake story it started from
    domain::PlanSections sections;
    std::vector<PlanGoalRow> goals;        // by priority
    std::vector<PlanVersionRow> versions;  // newest first
    std::vector<PlanEventRow> events;      // oldest first
    int version = 0;
    bool keeper = false, may_create = false, may_update = false;  // asked, not audited
};

class PlanRepo {
  public:
    explicit PlanRepo(AccessContext ctx);

    // The file's plan, decided as a read of `plan` on the file (audited, also when there is no
    // plan yet). NotFound without a relationship, Forbidden when refused; withheld under a lockbox.
    Result<PlanRecord> read(std::int64_t person_id);
    // The keeper starts the plan, from the story of the file's latest recorded intake (empty
    // without one). Conflict "plan.error.exists" for a second one.
    Result<std::int64_t> create(std::int64_t person_id);
    // Conflict "plan.error.no_plan", "plan.error.closed" or "plan.error.stale": nothing written.
    Result<void> save_sections(std::int64_t person_id, const domain::PlanSections& s, const std::string& reason, int version);
    Result<std::int64_t> add_goal(std::int64_t person_id, const domain::NewGoal& g, int version);
    // NotFound for a goal that is not this plan's.
    Result<void> update_goal(std::int64_t person_id, std::int64_t goal_id, const domain::GoalProgressChange& c, int version);
    // Through plan_lifecycle() and fire_transition; the keeper only.
    Result<domain::PlanStatus> transition(std::int64_t person_id, const domain::PlanTransition& t, int version);

  private:
    struct Facts {
        FileAccess file;
        std::optional<std::int64_t> plan_id;
        domain::PlanStatus status = domain::PlanStatus::draft;
        int version = 0;
    };
    std::optional<Facts> facts(std::int64_t person_id);
    domain::AccessRequest request(const Facts& f, domain::Action a) const;
    Result<Facts> allowed(std::int64_t person_id, domain::Action a);
    Result<Facts> for_keeper(std::int64_t person_id, domain::Action a);
    Result<void> editable(const Facts& f, int version, bool closed_ok = false) const;
    // Adds 1 to the plan's version if it is still `version`; Conflict "plan.error.stale" otherwise.
    Result<void> bump(std::int64_t plan_id, int version);
    domain::PlanContent load(std::int64_t plan_id);
    void record_version(std::int64_t plan_id, int version, std::string_view change, const std::string& reason);
    std::string now() const;

    AccessContext ctx_;
    Guard guard_;
};

}  // namespace arrimage::store
