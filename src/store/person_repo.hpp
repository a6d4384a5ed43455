#pragma once
// The children and youth registry, and the authorization boundary for their personal
// information. A PersonRepo exists only with an AccessContext (who asks, acting for which
// organisation in which role, in which transaction, for which request): there is no other way
// to read or write a person, a family member, a file team, a consent directive or a lockbox
// entry.
//
// Every operation
//   1. computes the actor's relationship to each file it touches (assigned_coordinator >
//      team_member > coordinating_agency > privacy_officer > none, domain/privacy.hpp table A)
//      from the file team and the file's coordinating agency,
//   2. loads the file's consent directives, lockbox entries and the actor's break-the-glass
//      grants, and asks domain::decide() for each information category it shows or changes,
//   3. records one audit event per decision, permitted or denied, through its Guard
//      (store/access.hpp), which writes them in the same transaction when the operation ends.
// Reads audit too, so the transaction must be a write transaction. Lists and searches are
// filtered in SQL to files the actor has a relationship to that could permit a list; a
// category withheld by the lockbox comes back as a "withheld" flag, never its content; a
// category denied otherwise is simply absent.
//
// The purpose of an access follows the relationship: the file team works under
// `coordination`, the coordinating agency's staff under `referral` (intake, before and
// besides consent), the agency's privacy officer under `oversight`.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "domain/consent.hpp"
#include "domain/people.hpp"
#include "domain/privacy.hpp"
#include "store/access.hpp"
#include "store/audit_repo.hpp"
#include "store/db.hpp"

namespace arrimage::store {

struct PersonIdentity {
    std::string given_name, family_name, preferred_name, date_of_birth;  // YYYY-MM-DD
    std::string preferred_language, official_language;                   // official: fr | en
    std::string phone, email, address, postal_code;
    bool capable_of_consent = false;
};

struct FamilyMemberRow {
    std::int64_t id = 0;
    std::string given_name, family_name, relationship;
    bool is_substitute_decision_maker = false;
    std::string phone, email, preferred_language;
};

struct TeamMemberRow {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string display_name;
    std::int64_t organisation_id = 0;
    std::string org_name_fr, org_name_en;
    std::string kind;  // assigned_coordinator | team_member
    std::string from_at;
};

// What the file summary may show. `identity` covers names, birth date, languages, contact,
// family members and team (category identity_contact); `school` is education information.
struct PersonFile {
    std::int64_t id = 0;
    std::int64_t coordinating_agency_id = 0;
    std::int64_t sda_id = 0;
    std::string agency_name_fr, agency_name_en;
    domain::Relationship relationship = domain::Relationship::none;
    domain::Purpose purpose = domain::Purpose::coordination;
    bool break_glass = false;  // some of it was shown only through break-the-glass
    std::optional<PersonIdentity> identity;
    std::vector<FamilyMemberRow> family;
    std::vector<TeamMemberRow> team;
    std::optional<std::string> school;  // empty when withheld or not permitted
    // Categories kept from the actor's organisation at the family's request: the page says
    // so, without the content.
    std::vector<domain::Category> withheld;
};

// Staff who could be put on a file team: active coordinators, provider managers and
// participant staff of active organisations of a service delivery area. Not personal
// information about a child. An API client's service account (features/fhir) is listed too,
// marked, so that it can be placed on a team as a team member (add_to_team refuses it as the
// assigned coordinator: a system does not coordinate a child's services).
struct TeamChoice {
    std::int64_t user_id = 0;
    std::int64_t organisation_id = 0;
    std::string display_name, org_name_fr, org_name_en, role;
    bool service_account = false;
};

struct PersonSummary {
    std::int64_t id = 0;
    std::int64_t coordinating_agency_id = 0;
    domain::Relationship relationship = domain::Relationship::none;
    bool withheld = false;  // identity kept from the actor's organisation: no names below
    std::string given_name, family_name, preferred_name, date_of_birth;
};

struct DuplicateCandidate {
    std::int64_t id = 0;
    std::string given_name, family_name, date_of_birth;
};

// Probable duplicates of a person about to be registered: those the actor may see, and how
// many others of the actor's own agency exist that the actor may not see (nothing else about
// them is revealed; another agency's files are not even counted).
struct DuplicateCheck {
    std::vector<DuplicateCandidate> visible;
    int hidden = 0;
    bool any() const { return !visible.empty() || hidden > 0; }
};

struct Registration {
    domain::Person person;
    std::vector<domain::FamilyMember> family;  // at least one
    // The registering user looked at the probable duplicates and says this is another person.
    bool confirmed_distinct = false;
};

// person_id 0: not created because of probable duplicates the user has not yet dismissed.
struct RegisterOutcome {
    std::int64_t person_id = 0;
    DuplicateCheck duplicates;
};

// An organisation the family can name in its consent or lockbox: an active organisation of
// the file's service delivery area.
struct OrganisationChoice {
    std::int64_t id = 0;
    std::string name_fr, name_en;
    bool active = true;  // inactive ones are only named by older records
};

struct DecisionMaker {
    std::int64_t family_member_id = 0;
    std::string name;
};

// What the consent pages show: the child's name and capacity, who may consent for them, the
// directives (every version, newest first) and lockbox entries, and the organisations that
// can be named.
struct ConsentRecord {
    std::int64_t person_id = 0;
    domain::Relationship relationship = domain::Relationship::none;
    std::string given_name, family_name;
    bool capable_of_consent = false;
    std::string agency_name_fr, agency_name_en;
    std::vector<DecisionMaker> substitute_decision_makers;
    std::vector<domain::ConsentDirective> directives;
    std::vector<domain::LockboxEntry> lockbox;
    std::vector<OrganisationChoice> organisations;
    std::map<std::int64_t, std::int64_t> supersedes;  // directive id -> the directive it amended
    bool may_print = false;                           // whether the policy lets the actor print the consent form
    // Whether the policy lets the actor change the record (asked, not recorded), and when not, its
    // reason's catalogue key (privacy.reason.<code>).
    bool may_change = false;
    std::string change_refusal;
    const OrganisationChoice* organisation(std::int64_t id) const;
};

// A consent directive as typed: the form, and for a substitute decision-maker the family
// member chosen (`decision_maker`, an id among the file's family members flagged SDM); the
// child or youth's own name is taken from the file. `supersedes`: the directive amended.
struct ConsentSubmission {
    domain::ConsentForm form;
    std::string decision_maker;
    std::optional<std::int64_t> supersedes;
};

// A break-the-glass grant awaiting the privacy officer's review.
struct BreakGlassReviewRow {
    std::int64_t grant_id = 0;
    std::int64_t person_id = 0;
    std::string user_name;
    std::string org_name_fr, org_name_en;
    std::string reason, granted_at, expires_at;
    bool in_effect = false;
    std::int64_t flagged_accesses = 0;
    // Only when the policy lets the privacy officer list identity and contact (not withheld).
    std::optional<std::string> child_name;
};

// The consent record of one file as decisions need it: its directives and lockbox entries (all
// of them: domain::decide() checks which are in effect), and the actor's break-the-glass grants.
struct FileConsent {
    std::vector<domain::ConsentDirective> directives;
    std::vector<domain::LockboxEntry> lockbox;
    std::vector<domain::BreakGlassGrant> grants;
};

// The consent records of these files (no entry for a file that does not exist), with the
// break-the-glass grants `user_id` holds on them. One query per table whatever the count.
std::map<std::int64_t, FileConsent> load_consent(Tx& tx, const std::vector<std::int64_t>& ids, std::int64_t user_id);

// What a decision about one file rests on: the file's agency and area, the actor's relationship
// to it (a team place in effect, else the agency's staff or privacy officer), the purpose that
// relationship works under, and the consent record. One definition for PersonRepo and for every
// repository whose records belong to a file (an intake once its coordinator is assigned).
struct FileAccess {
    std::int64_t person_id = 0;
    std::int64_t agency_id = 0;
    std::int64_t sda_id = 0;
    domain::Relationship relationship = domain::Relationship::none;
    domain::Purpose purpose = domain::Purpose::coordination;
    FileConsent consent;
    // A family account's standing (relationship family_of or self) and its access row.
    domain::FamilyStanding family;
    std::int64_t family_access_id = 0;
    // The policy's question for doing `a` on category `c` of this file.
    domain::AccessRequest request(domain::Category c, domain::Action a) const;
};
// nullopt when there is no such file. A family account (Role::family) stands to the file through
// its active family access only (family_of or self, with its authority, the youth's capacity and
// what the youth keeps from that family member); staff through the file team or the agency.
std::optional<FileAccess> file_access(Tx& tx, const Clock& clock, const domain::Actor& actor, std::int64_t person_id);

class PersonRepo {
  public:
    // Throws std::logic_error without a signed-in actor.
    explicit PersonRepo(AccessContext ctx);

    // Opens a file whose coordinating agency is the actor's organisation (which must be an
    // active coordinating agency), on the referral_intake basis. Forbidden when the policy
    // denies; Invalid without a family member; duplicates reported as above unless confirmed.
    Result<RegisterOutcome> register_person(const Registration& in);

    // The file summary. NotFound for a file that does not exist or to which the actor has no
    // relationship (the same answer, so nothing is learnt); Forbidden when the actor has a
    // relationship but the policy denies identity and contact.
    Result<PersonFile> read_file(std::int64_t person_id);
    // Identity and contact alone, for the FHIR API's Patient and RelatedPerson reads
    // (features/fhir): the same relationship, refusals and withheld identity as read_file (a
    // withheld identity leaves `identity` and `family` empty, with identity_contact in
    // `withheld`), and the same decision on identity and contact, recorded; nothing else is
    // decided or recorded (no education), and neither the school nor the team is read.
    Result<PersonFile> read_identity(std::int64_t person_id);

    // Active files the actor may list, by family then given name; `query` matches the start of
    // any name word (accents and case ignored), and is decided and audited as a search rather
    // than a list. At most `limit` rows from `offset`.
    std::vector<PersonSummary> list(std::string_view query, int limit, int offset = 0);

    // The same list narrowed in SQL, for the FHIR API's Patient search (features/fhir): one file
    // number, a birth date or a bound on it, besides the name words. The files, relationships,
    // decisions and audit are list's; a birth date makes it a search, like a name, so a file
    // whose identity is withheld from the actor is not found by it (that would reveal the date).
    // Here `offset` and `limit` count the files listed (not the rows read, as list's do), so that
    // pages follow one another without gaps or repeats whatever the policy refuses on the way:
    // each file on the page is decided and recorded as list records it; the `offset` files
    // listed before the page are decided too (to know where the page starts) but neither shown
    // nor recorded. There is no total: a count of what the policy lets through, unrecorded, would
    // let a client learn names and birth dates letter by letter without a trace. Bounded: the
    // candidate rows are read in batches of `list_batch` in the list's order (keyset: after the
    // last row read, never an OFFSET), the consent records loaded batch by batch, and reading
    // stops once offset + limit files are listed. The caller keeps `offset` small (the API caps
    // it at 10000).
    enum class BirthDateBound { on, on_or_after, on_or_before };
    struct Filter {
        std::string query;  // as list's
        std::optional<std::int64_t> id;
        std::optional<std::string> birth_date;  // YYYY-MM-DD
        BirthDateBound birth_date_bound = BirthDateBound::on;
    };
    std::vector<PersonSummary> list(const Filter& filter, int limit, int offset = 0);
    static constexpr int list_batch = 200;

    // Probable duplicates of `p` across the registry.
    DuplicateCheck find_duplicates(const domain::Person& p);

    // Puts a user (active member of `organisation_id`) on the file. A new assigned coordinator
    // ends the previous one's assignment. An API client's service account goes on a team only as
    // a team member (Invalid on `kind`, people.team.service_account_not_coordinator). Only the
    // file's coordinating agency and its assigned coordinator keep the team, and they need update
    // on identity and contact.
    Result<std::int64_t> add_to_team(std::int64_t person_id, std::int64_t user_id, std::int64_t organisation_id,
                                     domain::TeamKind kind);
    Result<std::int64_t> add_family_member(std::int64_t person_id, const domain::FamilyMember& m);
    // Whether the actor may change category `c` of the file, asked before a form for it is
    // shown: a refusal is audited as a refused update; a permit is not (nothing of the file is
    // shown or changed yet: the change itself is decided and audited when it is posted).
    Result<void> may_update(std::int64_t person_id, domain::Category c);
    std::vector<TeamChoice> team_choices(std::int64_t sda_id);

    // The family's consent record, kept by the file's assigned coordinator or its coordinating
    // agency. A directive is stored as given (version 1, or the next version when `supersedes`
    // names the directive it amends, which is withdrawn at the same time).
    Result<std::int64_t> record_directive(std::int64_t person_id, const domain::ConsentDirective& d,
                                          std::optional<std::int64_t> supersedes = std::nullopt);
    Result<void> withdraw_directive(std::int64_t person_id, std::int64_t directive_id);
    Result<std::int64_t> add_lockbox(std::int64_t person_id, const domain::LockboxEntry& e);

    // The consent record for its keepers, decided as `action` (read, or print for the printable
    // form) on identity and contact: NotFound without a relationship, Forbidden for other
    // relationships or when the policy refuses.
    Result<ConsentRecord> consent_record(std::int64_t person_id, domain::Action action = domain::Action::read);
    // Validates the submission against the file (domain::validate: organisations of the area,
    // the file's other directives, its substitute decision-makers, the child's capacity) and
    // records it. Invalid with field errors, nothing written.
    Result<std::int64_t> record_consent(std::int64_t person_id, const ConsentSubmission& in);
    // Validated against the area's organisations and the entries in effect.
    Result<std::int64_t> add_lockbox(std::int64_t person_id, const domain::LockboxForm& in);
    Result<void> revoke_lockbox(std::int64_t person_id, std::int64_t entry_id);

    // ---- the family's own consent pages (features/family): a family account keeps the file's
    // consent as the policy's family profile permits identity and contact (the youth capable of
    // deciding for themselves, else a family member with authority to act for the child; a
    // parent of a capable youth is refused, youth_decides). Staff are refused here, as a family
    // account is on the staff's consent pages. The family only restricts: it withdraws a permit
    // directive, narrows one to a part of what it names (its next version, given electronically
    // by the family account's person), and withholds a category from an organisation; widening
    // consent is done with the coordinator, on the staff's pages.
    Result<ConsentRecord> family_consent(std::int64_t person_id);
    Result<void> family_withdraw(std::int64_t person_id, std::int64_t directive_id);
    Result<std::int64_t> family_narrow(std::int64_t person_id, std::int64_t directive_id, const domain::NarrowForm& in);
    // `in.requested_by` is set here from the account's relationship.
    Result<std::int64_t> family_withhold(std::int64_t person_id, domain::LockboxForm in);

    // Opens emergency access to a file the actor has a relationship to (NotFound otherwise) for
    // the policy's duration. Forbidden for roles that may not break the glass; Invalid when the
    // reason is missing or too short (nothing audited). The opening is audited as a read flagged
    // break_glass; the refusals are audited too.
    Result<std::int64_t> open_break_glass(std::int64_t person_id, std::string_view reason,
                                          const domain::BreakGlassPolicy& policy);
    // The unreviewed grants on the files the actor's organisation coordinates, oldest first, for
    // its privacy officer (Forbidden for anyone else). Each row is decided as a list of the
    // access log (and of identity and contact for the child's name) under oversight.
    Result<std::vector<BreakGlassReviewRow>> break_glass_queue();
    Result<void> review_break_glass(std::int64_t grant_id, std::string_view note);

  private:
    using FileFacts = FileAccess;

    // Which pages ask: the staff's (a family account has no relationship there) or the family's
    // own (where only a family account's relationship counts).
    enum class Door { staff, family };
    std::optional<FileFacts> facts(std::int64_t person_id, Door door = Door::staff);
    // The file summary (Reading::file) or its identity alone (Reading::identity), as read_file
    // and read_identity say.
    enum class Reading { file, identity };
    Result<PersonFile> read(std::int64_t person_id, Reading what);
    // Both lists: the files `filter` selects that the actor may list, each on the page decided and
    // recorded. `limit` and `offset` count the rows read, in one query (list's), or the files
    // listed, read in keyset batches (list(Filter)'s).
    enum class Paging { rows_read, files_listed };
    std::vector<PersonSummary> listed(const Filter& filter, int limit, int offset, Paging paging);
    Result<ConsentRecord> consent_record_of(const FileFacts& f, std::int64_t person_id, domain::Action action);
    Result<void> withdraw(const FileFacts& f, std::int64_t person_id, std::int64_t directive_id);
    Result<std::int64_t> insert_lockbox(const FileFacts& f, std::int64_t person_id, const domain::LockboxForm& in);
    // The family account's own name as the consent record gives it (the youth's, or the family
    // member's).
    std::string family_signer(const FileFacts& f, std::int64_t person_id);
    static domain::GivenBy family_giver(const FileFacts& f);
    domain::Decision decide(const FileFacts& f, domain::Category c, domain::Action a, std::optional<std::int64_t> person_id,
                            Record how = Record::always);
    domain::Decision decide_consent_keeping(const FileFacts& f, std::int64_t person_id,
                                            domain::Action action = domain::Action::create, Record how = Record::always);
    Result<std::int64_t> insert_directive(std::int64_t person_id, const domain::ConsentDirective& d,
                                          std::optional<std::int64_t> supersedes);
    std::vector<OrganisationChoice> area_organisations(std::int64_t sda_id);
    bool is_agency_privacy_officer();
    std::string now() const;

    AccessContext ctx_;
    Guard guard_;
};

// The purpose an actor works under for a relationship (see above).
domain::Purpose purpose_for(domain::Relationship r);

// The actor's place on a file's team in effect now: assigned_coordinator, team_member or none.
// Only a place held for an organisation of the file's own area counts (add_to_team refuses any
// other; this keeps an older row from opening the file). One definition for every repository.
domain::Relationship team_relationship(Tx& tx, const Clock& clock, const domain::Actor& actor, std::int64_t person_id);

}  // namespace arrimage::store
