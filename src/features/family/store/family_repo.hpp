#pragma once
// The family's access to a file (features/family/domain/family.hpp, docs/FAMILY.md), and the
// authorization boundary for it.
//
// Staff side: the file's assigned coordinator or its coordinating agency (relationship
// assigned_coordinator or coordinating_agency, and the policy permitting them to update the
// file's identity and contact information, which family access is part of) see who has family
// access, invite a family member or the youth, cancel an invitation, change a family member's
// authority to act for the child (a court order) and end an access. Anyone else is refused on
// record (NotFound without a relationship, Forbidden otherwise).
//
// Public side: joining with a code (no one is signed in yet). An unknown code is a field error;
// a used, cancelled or expired one is refused on record (an audit row naming the file, denied),
// and nothing is created.
//
// Family side: the family account's own files, each decided as a list of identity and contact
// (the policy's family steps: authority, capacity), audited.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "features/family/domain/family.hpp"
#include "store/access.hpp"
#include "store/db.hpp"
#include "store/person_repo.hpp"

namespace arrimage::store {

struct FamilyAccessRow {
    std::int64_t id = 0;
    std::string relation, name, relationship, login,
        created_at;  // relationship: the family member's (people.relationship.<code>)
    bool authority = true;
};
struct FamilyInvitationRow {
    std::int64_t id = 0;
    std::string relation, name, login, delivery, created_at, expires_at;
    std::string state;  // pending, used, expired, cancelled (label family.invitation_state.<code>)
};
struct FamilyMemberChoice {
    std::int64_t id = 0;
    std::string name, relationship, email;
};
// The family access of one file, for its coordinator.
struct FileFamily {
    std::int64_t person_id = 0;
    std::string youth_name;  // given name
    bool youth_capable = false;
    std::vector<FamilyAccessRow> accounts;         // active, oldest first
    std::vector<FamilyInvitationRow> invitations;  // newest first
    std::vector<FamilyMemberChoice> members;       // the file's active family members
};
struct IssuedInvitation {
    std::int64_t id = 0;
    std::string code, login, email, name;  // code: normalised; name: who is invited (given name)
    Lang lang = Lang::en;                  // the family member's official language, else the file's
};
// What the join page shows for a code before the family member chooses a password.
struct JoinInvitation {
    std::string login, name, relation;
    bool existing_account = false;  // the login is already a family account: sign in with its password
};
// One of the family account's files.
struct FamilyFileRow {
    std::int64_t person_id = 0;
    std::string given_name, relation;
    bool permitted = false;  // false: refused (no authority, not capable): the name is not shown
    std::string reason;      // the policy's reason when refused (privacy.reason.<code>)
};

// What a capable youth keeps from one family member with access to their file.
struct SharingRow {
    std::int64_t access_id = 0;
    std::string name, relationship;  // the family member's given name and relationship code
    domain::CategorySet withheld;
};
// The youth's choices of what each family member sees (relationship self only).
struct FileSharing {
    std::int64_t person_id = 0;
    std::vector<SharingRow> members;
};
// Whom to tell of what the family did on a file (its consent, a concern): the file's assigned
// coordinators in effect (when there is none, the coordinating agency's managers), and the
// file's public reference (a notification names no child).
struct FileContacts {
    std::string reference;
    std::vector<std::int64_t> coordinators;
    std::int64_t agency_id = 0;
};

class FamilyRepo {
  public:
    explicit FamilyRepo(AccessContext ctx);

    // ---- staff
    Result<FileFamily> for_file(std::int64_t person_id);
    // `code` and `login` are made by the caller from random bytes (domain::code_from_bytes,
    // sign_in_name_from_bytes); login is the email for delivery by email. Field errors:
    // "member" (not one of the file's active family members; the youth already has access),
    // an active access for the same person already.
    Result<IssuedInvitation> invite(std::int64_t person_id, const domain::Invite& in, const std::string& code,
                                    const std::string& login);
    Result<void> cancel_invitation(std::int64_t person_id, std::int64_t invitation_id);
    Result<void> set_authority(std::int64_t person_id, std::int64_t access_id, bool authority);
    Result<void> end_access(std::int64_t person_id, std::int64_t access_id);

    // ---- public (an anonymous context): joining with a code
    // Field error "code" ("family.error.code_unknown") for a code no invitation has; for a used,
    // cancelled or expired one, "family.error.code_used" / "code_expired", refused on record.
    Result<JoinInvitation> invitation(const std::string& code);
    // Creates the family account (or, for an existing family account with that login, checks
    // `password` against it) and its access to the file, and marks the invitation used: the
    // account's user id. `password_hash` is the new password's hash (unused for an existing
    // account). A login that is a staff account's: field error "code" ("family.error.login_taken").
    Result<std::int64_t> join(const domain::Join& j, const std::string& password, const std::string& password_hash);

    // ---- family
    std::vector<FamilyFileRow> my_files();
    // A capable youth's choices (relationship self, decided as an update of identity and
    // contact: the youth not capable is refused, not_capable); a family member asking is refused
    // on record, as is anyone else (the youth decides, never a parent).
    Result<FileSharing> sharing(std::int64_t person_id);
    // Keeps exactly `withheld` (of domain::withholdable_from_family) from the family member of
    // `access_id` from now on; what was withheld and is no longer is released. Field error
    // "categories" for a category that cannot be withheld; NotFound for an access that is not
    // an active family member's of this file.
    Result<void> set_withheld(std::int64_t person_id, std::int64_t access_id, domain::CategorySet withheld);
    // Not an access to the child's information (names and the reference only).
    FileContacts contacts(std::int64_t person_id);

  private:
    Result<FileAccess> keeper(std::int64_t person_id, domain::Action a);
    Result<FileAccess> youth(std::int64_t person_id, domain::Action a);
    void cancel_pending(std::int64_t person_id, std::int64_t access_id);
    std::string now() const;

    AccessContext ctx_;
    Guard guard_;
};

}  // namespace arrimage::store
