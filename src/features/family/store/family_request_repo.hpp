#pragma once
// What a family raises on its own file (features/family/domain/family_requests.hpp,
// docs/FAMILY.md): concerns and complaints, and access and correction requests, which are rows of
// the privacy office's register (store/privacy_office_repo.hpp insert_request) with its 30-day
// clock. Every operation runs through the kernel's Guard, decided on the file's FileAccess
// (store::file_access), audited, refused as the guard refuses.
//
// Family side (a family account, relationship family_of or self, the policy's family profile):
//   - its page on a file is a list of identity and contact (the family's own words and requests;
//     a capable youth cannot keep that category from a family member), decided and audited;
//   - a concern or complaint is a create on the plan (C: the family's notes on the coordination);
//   - an access or correction request is a create of identity and contact, which the policy
//     refuses a parent of a capable youth (F3: the youth decides about their own records);
//   - a family member without authority, a youth not capable: refused on record (403); another
//     family's file, an ended access: not found, on record.
// Staff side (the file's assigned coordinator or its coordinating agency, as FamilyRepo keeps
// family access): the file's concerns as identity and contact under the purpose the kernel gives
// their relationship (list; update to acknowledge or close), decided and audited; the assigned
// coordinator sees only what is addressed to them, the agency everything. Anyone else is refused
// on record. Status changes go through domain::concern_lifecycle() and store::fire_transition.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "features/family/domain/family_requests.hpp"
#include "store/access.hpp"
#include "store/person_repo.hpp"

namespace arrimage::store {

struct FamilyConcernRow {
    std::int64_t id = 0;
    std::string kind, addressed_to, description, status, response;  // codes, and the words as typed
    std::string created_at, acknowledged_at, closed_at;             // ISO timestamps ("" when not yet)
    // Staff side: who raised it (the family account's name), as whom to the child (relation
    // family_of or self; relationship: the family member's, people.relationship.<code>), and who
    // answered.
    std::string raised_by, relation, relationship, acknowledged_by, closed_by;
    std::vector<domain::ConcernEvent> available;  // staff side: the moves the reader may make now
};

struct FamilyRecordsRequestRow {
    std::int64_t id = 0;
    std::string kind, status, description;  // privacy_office.kind.<code>, privacy_office.status.<code>
    Date received, due;
    std::optional<Date> closed_on;
};

// A family account's page on one file: what it raised there, newest first.
struct FamilyRequests {
    std::int64_t person_id = 0;
    std::vector<FamilyConcernRow> concerns;
    std::vector<FamilyRecordsRequestRow> records_requests;
    bool may_raise_concerns = false;   // the policy would permit a concern or complaint now
    bool may_request_records = false;  // ... an access or correction request (not a parent of a capable youth)
    std::string records_refusal;       // why not, when not (privacy.reason.<code>)
};

// What was raised. Whom to tell is the page's (domain::audience_of, with FamilyRepo::contacts).
struct RaisedRequest {
    std::int64_t id = 0;
    bool records_request = false;  // a row of the privacy office's register; else a concern or complaint
    Date due;                      // a records request's due date
};

// The file's concerns and complaints as one of its staff sees them.
struct FileConcerns {
    std::int64_t person_id = 0;
    domain::Relationship relationship = domain::Relationship::none;
    std::vector<FamilyConcernRow> concerns;  // newest first
};

class FamilyRequestRepo {
  public:
    explicit FamilyRequestRepo(AccessContext ctx);

    // ---- family
    Result<FamilyRequests> mine(std::int64_t person_id);
    // `r` as domain::validate made it. Received today: a concern or complaint in status received;
    // a records request open in the register, due in 30 days, with the requester the family
    // access says (domain::requester_for) and a link to that access.
    Result<RaisedRequest> raise(std::int64_t person_id, const domain::FamilyRequest& r);

    // ---- staff
    Result<FileConcerns> for_file(std::int64_t person_id);
    // `text` as typed (domain::validate_answer checks it here: field "response"). A concern the
    // reader may not see is not found; a move the table does not have from its status now is a
    // Conflict ("lifecycle.not_from_state"), nothing written.
    Result<void> answer(std::int64_t person_id, std::int64_t concern_id, domain::ConcernEvent event, std::string_view text);

  private:
    Result<FileAccess> family_file(std::int64_t person_id, domain::Category c, domain::Action a);
    Result<FileAccess> answerer(std::int64_t person_id, domain::Action a);
    std::vector<FamilyConcernRow> concerns(std::int64_t person_id, std::optional<std::int64_t> raised_by, bool all_addressees);
    std::string now() const;

    AccessContext ctx_;
    Guard guard_;
};

}  // namespace arrimage::store
