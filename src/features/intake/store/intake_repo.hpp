#pragma once
// Intakes (features/intake/domain/intake.hpp) and the rules of each area, and the authorization
// boundary for the personal information an intake holds.
//
// Policy (domain/privacy.hpp): an intake is the coordinating agency's assessment of a referral
// before any consent directive exists. The organisation that received the referral runs it:
// its staff stand to it as coordinating_agency (profile "agency": the child's identity and
// contact, and the intake's assessment, read, list, search, create, update on the
// referral_intake basis, for ca_admin, coordinator and provider_manager); its privacy officer
// as privacy_officer (who is refused the assessment: oversight reads the audit, not the story).
// Anyone else has no relationship and is refused (NotFound). Every decision is audited through
// the guard with the referral's id, and the file's once one is linked.
//
// Status changes go through the lifecycle table (domain::intake_lifecycle) and the one status
// writer (store/transitions.hpp). Every change of the story or status adds 1 to the intake's
// version: a form sent with an older version gets Conflict "intake.error.stale" and changes
// nothing (someone else changed the intake since the form was shown).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "features/intake/domain/intake.hpp"
#include "store/access.hpp"
#include "store/db.hpp"

namespace arrimage::store {

struct IntakeSummary {
    std::int64_t id = 0, referral_id = 0;
    std::string reference, status, opened_at, decided_at;
    std::string given_name, family_name, date_of_birth;
};

struct IntakeEventRow {
    std::string at, event, status, note, user_name;
};

struct IntakeRecord {
    std::int64_t id = 0, referral_id = 0, sda_id = 0, coordinating_agency_id = 0;
    std::optional<std::int64_t> person_id;  // the file, once one is linked to the referral
    std::string reference, referral_status, status, opened_at, decided_at, decided_by_name, decision_reason;
    std::string given_name, family_name, date_of_birth, official_language, preferred_language;
    std::string contact_name, contact_relationship, contact_phone, contact_email;
    std::string referral_needs;  // what the referral said, in the referrer's words
    domain::Story story;
    std::string story_recorded_at;  // empty: not recorded yet
    int version = 1;
    domain::AreaRules rules;             // the area's rules now
    std::vector<IntakeEventRow> events;  // oldest first
    domain::Relationship relationship = domain::Relationship::none;
    bool may_update = false;
};

// The rules of an area (configuration: no personal information, no audit). An area that has
// never saved its rules has the defaults of domain::AreaRules.
class AreaRulesRepo {
  public:
    AreaRulesRepo(Tx& tx, const Clock& clock) : tx_(tx), clock_(clock) {}
    domain::AreaRules rules(std::int64_t sda_id);
    void save(std::int64_t sda_id, const domain::AreaRules& rules, std::int64_t user_id);
    std::int64_t add_criterion(std::int64_t sda_id, const domain::AreaCriterion& c, std::int64_t user_id);
    // Retires a criterion (intakes keep their answers). false when it is not an active one of the area.
    bool retire_criterion(std::int64_t sda_id, std::int64_t criterion_id);

  private:
    Tx& tx_;
    const Clock& clock_;
};

class IntakeRepo {
  public:
    explicit IntakeRepo(AccessContext ctx);

    // Opens the intake of referral `referral_id`, or finds the one already open (the id either
    // way). Conflict "intake.error.referral_not_accepted" unless the referral is accepted; NotFound
    // or Forbidden as the policy answers for the referral.
    Result<std::int64_t> open(std::int64_t referral_id);

    // The intake of a referral the actor's organisation received, if one is open (asked, not
    // audited: an id, nothing about the child). nullopt otherwise.
    std::optional<std::int64_t> of_referral(std::int64_t referral_id);

    // The active criteria of the intake's area, which a story's answers may name, and the
    // referral it screens (configuration and an id: asked, not audited). Empty / nullopt unless
    // the actor's organisation runs the intake.
    std::vector<domain::AreaCriterion> criteria_for(std::int64_t id);
    struct Keys {
        std::int64_t referral_id = 0, sda_id = 0;
    };
    std::optional<Keys> keys_of(std::int64_t id);

    // The actor's organisation's intakes, oldest first (the longest waiting on top), optionally of
    // one status; each row shown is audited.
    Result<std::vector<IntakeSummary>> queue(std::optional<domain::IntakeStatus> status, int limit, int offset);

    Result<IntakeRecord> read(std::int64_t id);

    // Records the story and the screening answers. Conflict "intake.error.stale" (version) or
    // "intake.error.decided" (the intake is no longer in intake).
    Result<void> save_story(std::int64_t id, const domain::Story& story, int version);

    // Decides, through the lifecycle table: eligible needs the story recorded and every rule of
    // the area met now (Conflict "intake.refused.rules_not_met"); the reason is kept with it.
    Result<domain::IntakeStatus> decide(std::int64_t id, const domain::IntakeDecision& d, int version);

    // ineligible → in_intake, with a note (the family came back, or the decision was wrong).
    Result<void> reopen(std::int64_t id, const std::string& note, int version);

  private:
    struct Facts {
        std::int64_t id = 0, referral_id = 0, sda_id = 0, agency_id = 0;
        domain::IntakeStatus status = domain::IntakeStatus::in_intake;
        std::optional<std::int64_t> person_id;
        int version = 1;
        std::string date_of_birth;
    };
    std::optional<Facts> facts(std::int64_t id);
    domain::Relationship relationship(std::int64_t agency_id) const;
    domain::Decision decide_access(const Facts& f, domain::Action a, domain::Category c, Record how = Record::always);
    // The intake if the actor may do `a` on category `c` (decided and audited); NotFound or Forbidden.
    Result<Facts> allowed(std::int64_t id, domain::Action a, domain::Category c);
    Result<Facts> for_update(std::int64_t id, int version);
    domain::Story load_story(const Row& r, std::int64_t id);

    AccessContext ctx_;
    Guard guard_;
};

}  // namespace arrimage::store
