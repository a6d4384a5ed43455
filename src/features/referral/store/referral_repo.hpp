#pragma once
// Referrals and their closed loop (domain/referral.hpp), and the authorization boundary for the
// personal information they hold. A referral is routed by a referral pathway to the
// organisation that receives it; only that organisation works it.
//
// Policy (domain/privacy.hpp): a referral is identity and contact information under the
// referral purpose, before any file or consent directive exists. The receiving organisation
// stands to it as a coordinating agency stands to a file it takes in: its staff have the
// relationship coordinating_agency (profile "agency": read, list, search, create, update on the
// referral_intake basis, for ca_admin, coordinator and provider_manager; participant staff are
// refused), its privacy officer the relationship privacy_officer (oversight: read, list). Anyone
// else has no relationship and is refused. Every decision, permitted or denied, is audited in
// the same transaction with the referral's id (audit_events.referral_id).
//
// Writing a referral (the form, or a warm referral) rests on the agreement the form records:
// it is audited as a create permitted on the consent basis, by the signed-in user if any
// (a public self-referral has no user).
//
// Whoever sent a referral while signed in follows it (`sent`): its reference, the receiving
// organisation, its status and dates, never its content.
//
// A referral from a child's file (outbound, source `file`) is the same record on the same
// lifecycle. It is sent by the file's assigned coordinator or a team member (the policy's
// create on identity and contact under the referral purpose, on the family's consent, with
// the file and the referral named in the audit row) to an active service of another
// organisation of the file's area, and carries only what the family consented to share with
// that organisation (domain::shared_with): identity and contact must be among it, or nothing is
// sent. The receiving organisation works it as any referral; its decisions also weigh the
// file's deny directives and lockbox entries for that organisation. The sending side (the
// file's coordinator and team, relationships assigned_coordinator and team_member) reads it
// on the family's consent and may cancel it. Every state shows on the child's file (for_file).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/result.hpp"
#include "domain/privacy.hpp"
#include "features/referral/domain/referral.hpp"
#include "store/access.hpp"
#include "store/audit_repo.hpp"
#include "store/db.hpp"
#include "store/directory_repo.hpp"
#include "store/person_repo.hpp"
#include "store/privacy_office_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

// The person filling in the form when signed in: what the referral records as its referrer.
struct Referrer {
    std::string name, organisation_name, email;
};

struct SubmittedReferral {
    std::int64_t id = 0;
    std::string reference;
    std::string org_name_fr, org_name_en, service_name_fr, service_name_en;
    std::string mechanism;
};

struct ReferralSummary {
    std::int64_t id = 0;
    std::string reference, status, source, received_at;
    std::string given_name, family_name, date_of_birth;
    std::string need_fr, need_en;  // the pathway's need (or sector code in `sector`)
    std::string sector;
    std::string service_name_fr, service_name_en;
    std::optional<std::int64_t> person_id;
};

struct ReferralEventRow {
    std::string at, status, note, user_name;
};

struct ReferralDetail {
    std::int64_t id = 0;
    std::string reference, status, source, decline_reason, received_at, updated_at;
    domain::Relationship relationship = domain::Relationship::none;
    std::int64_t sda_id = 0;
    std::int64_t organisation_id = 0;
    std::string org_name_fr, org_name_en, service_name_fr, service_name_en;
    PathwayRow pathway;
    std::string referrer_name, referrer_organisation, referrer_phone, referrer_email;
    std::string given_name, family_name, date_of_birth, official_language, preferred_language;
    std::string contact_given_name, contact_family_name, contact_relationship, contact_phone, contact_email;
    std::string needs, consent_given_by, consent_method;
    // The declined referral this one continues, and the one it was sent on to when declined.
    std::optional<std::string> previous_reference, previous_org_fr, previous_org_en;
    std::optional<std::string> warm_reference, warm_org_fr, warm_org_en;
    std::vector<ReferralEventRow> events;  // oldest first
    // A referral from a file: what it carries, and the date the service expects to start while
    // it is waitlisted.
    bool outbound = false;
    std::vector<std::string> shared_categories;
    std::string expected_date;
    bool may_update = false;
    std::optional<std::int64_t> person_id;  // the file opened from it
};

// A referral on a child's file: sent from it, or received and linked to it.
struct FileReferral {
    std::int64_t id = 0;
    std::string reference, status, source, decline_reason, received_at, updated_at, expected_date;
    std::string org_name_fr, org_name_en, service_name_fr, service_name_en;
    bool outbound = false;
};
struct FileReferrals {
    std::int64_t sda_id = 0;
    std::vector<FileReferral> rows;  // newest first
    bool may_refer = false;          // the actor may send one from this file
};

// A service a referral from a file may go to (directory data, not personal information).
struct ReferralTarget {
    std::int64_t service_id = 0, organisation_id = 0;
    std::string name_fr, name_en, org_name_fr, org_name_en, waitlist_status;
    std::optional<std::int64_t> wait_weeks;
};

struct SentReferral {
    std::int64_t id = 0;
    std::string reference, status, decline_reason, received_at, updated_at;
    std::string org_name_fr, org_name_en;
    std::optional<std::string> warm_org_fr, warm_org_en;  // where it was sent on, if declined so
};

// Where the emails about a referral go (store only; the web layer writes them to the outbox).
// None of them names the child: a reference, organisations and a status.
struct ReferralNotice {
    std::int64_t id = 0, organisation_id = 0;  // the referral, the receiving organisation
    bool outbound = false;                     // from a child's file
    std::string reference, status, decline_reason;
    std::string org_name_fr, org_name_en;
    std::optional<std::string> warm_org_fr, warm_org_en;
    std::string intake_email;  // the receiving service's email, else its organisation's (may be empty)
    // Whoever follows the referral: the signed-in referrer (in their language), else the
    // professional's email, else the family contact's (in the language of service).
    std::string follower_email;
    Lang follower_lang = Lang::en;
    bool follower_is_user = false;  // the referrer signed in: told through their notifications
};

class ReferralRepo {
  public:
    // Throws std::logic_error for a read transaction.
    explicit ReferralRepo(AccessContext ctx);

    // Records the referral along its pathway. Invalid (field pathway_id) when the pathway is not
    // an active one of an active organisation and service, or accepts only professionals.
    // `random_bits` make the public reference (retried on the rare collision).
    Result<SubmittedReferral> submit(const domain::Referral& r, const Referrer& referrer, std::uint64_t random_bits);

    // Referrals received by the actor's organisation, newest first, optionally of one status.
    // `query`: a reference (R-XXXXXXXX) or the start of name words (accents and case ignored);
    // decided and audited as a search rather than a list. Forbidden (audited) when the policy
    // refuses; each row shown is audited.
    Result<std::vector<ReferralSummary>> inbox(std::optional<domain::ReferralStatus> status, std::string_view query, int limit,
                                               int offset);

    // NotFound when it does not exist or the actor's organisation does not receive it (the deny is
    // audited); Forbidden when the policy refuses the relationship.
    Result<ReferralDetail> read(std::int64_t id);

    // received → accepted → completed, each with an optional note, as the lifecycle table
    // (domain::referral_lifecycle) allows. Conflict "lifecycle.not_from_state" when the
    // referral is no longer in a status the event moves from (it changed since it was read).
    Result<void> accept(std::int64_t id, const std::string& note);
    Result<void> complete(std::int64_t id, const std::string& note);
    // requested → received (the receiving organisation acknowledges it), accepted → in_progress.
    Result<void> receive(std::int64_t id, const std::string& note);
    Result<void> start(std::int64_t id, const std::string& note);
    // Puts the family on the receiving service's waitlist until the expected date, which also
    // becomes the service's published wait (DirectoryRepo::update_waitlist, in whole weeks).
    Result<void> waitlist(std::int64_t id, const domain::WaitlistAnswer& w);
    // The sending side withdraws a referral from a file, with its reason.
    Result<void> cancel(std::int64_t id, const std::string& reason);

    // Sends a referral from the child's file (see the header): NotFound without a relationship
    // to the file, Forbidden unless the actor is its assigned coordinator or on its team and the
    // policy permits; Invalid (field service_id) for a service that is not an active one of
    // another active organisation of the file's area, or when the family's consent does not
    // let identity and contact go to that organisation; Invalid (field needs) when the file has
    // no family contact to give.
    Result<SubmittedReferral> refer_from_file(std::int64_t person_id, const domain::Outbound& o, const Referrer& referrer,
                                              std::uint64_t random_bits);
    // The child's referrals, in and out, decided and audited as a list of the file's identity
    // and contact (NotFound without a relationship, Forbidden when the policy refuses).
    Result<FileReferrals> for_file(std::int64_t person_id);
    // Active services of the area's other active organisations, by organisation then name.
    std::vector<ReferralTarget> targets(std::int64_t sda_id);
    // Declines with its reason; with a warm pathway, sends the referral on along it (a new
    // referral, source warm_referral, linked both ways) and returns its id. Invalid (field
    // warm_pathway_id) when that pathway is not an active one of the referral's area, or leads
    // back to the declining organisation.
    Result<std::optional<std::int64_t>> decline(std::int64_t id, const domain::Decline& d, const Referrer& referrer,
                                                std::uint64_t random_bits);

    // Links the file the receiving organisation opened for the referral's child (registered in
    // the same transaction). Conflict unless the referral is accepted and has no file yet.
    // From then on its audit rows also name the file, so they appear in the family's report.
    Result<void> link_file(std::int64_t id, std::int64_t person_id);

    // Active pathways of the area a warm referral may follow from the actor's organisation.
    std::vector<PathwayRow> warm_choices(std::int64_t sda_id);

    // Who accessed the referral, newest first (at most `limit` rows): the audit rows that name
    // it, for the receiving organisation's privacy officer (the access log under oversight;
    // before a file exists, the family's access report cannot show them). Decided and audited;
    // NotFound without a relationship, Forbidden for the organisation's other staff.
    Result<std::vector<AuditEntry>> access_log(std::int64_t id, int limit);

    // The public form's flood guard: how many sends from this (hashed) address since `since`,
    // and recording one (which also forgets sends older than `since`).
    std::int64_t public_sends(const std::string& address_hash, TimePoint since);
    void record_public_send(const std::string& address_hash, TimePoint since);

    // For the notices of a new referral or a change of status: the system's own processing of
    // what the form gave for that purpose, not an access by the actor (not audited). Only for a
    // referral this repository itself wrote or moved in this request (submit, a warm referral,
    // accept, complete, decline); nullopt for any other.
    std::optional<ReferralNotice> notice(std::int64_t id);

    // Referrals the actor sent while signed in, newest first (no personal information).
    std::vector<SentReferral> sent(int limit);

  private:
    struct Facts {
        std::int64_t id = 0, sda_id = 0, organisation_id = 0;
        domain::ReferralStatus status = domain::ReferralStatus::received;
        std::optional<std::int64_t> person_id;
        domain::ReferralSource source = domain::ReferralSource::family;
        std::optional<std::int64_t> service_id;
        bool outbound() const { return source == domain::ReferralSource::file && person_id.has_value(); }
    };
    Result<Facts> facts(std::int64_t id);
    // Fires `event` on the referral through its lifecycle table and the one status writer
    // (store/transitions.hpp): the new status, or Conflict / Forbidden with nothing written.
    Result<domain::ReferralStatus> transition(const Facts& f, domain::ReferralEvent event, const std::string& note,
                                              std::vector<std::pair<std::string_view, Value>> also = {});
    // The referral if the policy lets the actor do `a` on category `c` of it (the decision is
    // audited, with `person_id` when given, else the referral's file); NotFound (no
    // relationship, or no such referral) or Forbidden otherwise.
    Result<Facts> allowed(std::int64_t id, domain::Action a, domain::Category c = domain::Category::identity_contact,
                          std::optional<std::int64_t> person_id = std::nullopt);
    // allowed(update) for a signed-in actor; Forbidden (not audited) for the public form.
    Result<Facts> for_update(std::int64_t id, std::optional<std::int64_t> person_id = std::nullopt);
    // The receiving organisation's staff: coordinating_agency (privacy_officer for its privacy
    // officer); for a referral from a file, the file's coordinator and team: their place on it.
    domain::Relationship relationship(const Facts& f) const;
    domain::Relationship receiver_relationship(std::int64_t receiving_organisation_id) const;
    // `consent`: the file's consent record, weighed for a referral from a file.
    domain::Decision decide(domain::Relationship r, domain::Action a, std::optional<std::int64_t> referral_id,
                            std::optional<std::int64_t> person_id = std::nullopt,
                            domain::Category category = domain::Category::identity_contact, Record how = Record::always,
                            const FileConsent* consent = nullptr);
    std::optional<FileConsent> consent_of(const Facts& f);
    void audit_create(std::int64_t referral_id);
    // Where a new referral goes: along a pathway, or from a file to a service.
    struct Routing {
        std::int64_t sda_id = 0, organisation_id = 0;
        std::optional<std::int64_t> pathway_id, service_id, person_id;
        domain::ReferralStatus status = domain::ReferralStatus::received;
        std::string shared_categories;
        SubmittedReferral names;  // the receiver's names and the pathway's mechanism, returned
    };
    static Routing routing_of(const PathwayRow& p);
    Result<SubmittedReferral> insert(const domain::Referral& r, const Routing& to, const Referrer& referrer,
                                     std::optional<std::int64_t> previous_id, std::uint64_t random_bits);
    Result<void> move(std::int64_t id, domain::ReferralEvent event, const std::string& note);
    std::string now() const;

    AccessContext ctx_;
    Guard guard_;
    std::vector<std::int64_t> written_;  // referrals written or moved here (notice())
};

// ---- for notifications (features/notification): system processing, no actor. What these
// return names no child: references, organisations, users and dates.

// A referral still waiting for its receiver's answer (requested or received) that has not been
// reminded about yet.
struct AwaitingAnswer {
    std::int64_t id = 0, sda_id = 0, organisation_id = 0;
    std::string reference, received_at;
    std::string org_name_fr, org_name_en;  // the receiving organisation
};
std::vector<AwaitingAnswer> awaiting_answer(Tx& tx);
void mark_reminded(Tx& tx, std::int64_t referral_id, TimePoint at);

// The users who follow a referral on the sending side: the signed-in referrer, and for a
// referral from a file, the file's assigned coordinator now. Active users only, each once.
std::vector<std::int64_t> sending_side_users(Tx& tx, std::int64_t referral_id);

}  // namespace arrimage::store
