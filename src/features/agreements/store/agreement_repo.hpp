#pragma once
// The agreements registry of a service delivery area (features/agreements/domain/agreements.hpp,
// docs/AGREEMENTS.md).
//
// Who: the area's coordinating agency administrators (role ca_admin; their organisation's area)
// record, change, evaluate and move its agreements (relationship coordinating_agency in
// domain::agreement_lifecycle()). A provider manager reads the agreements their organisation is
// a party to; a ministry analyst reads every area's. Anyone else is refused (Forbidden); an
// agreement the reader may not see is not found.
//
// What: agreements are about organisations, never about a child or a family: no personal
// information is read or written here, so the policy decision point is not asked; each write
// records who made it (created_by, updated_by, the events and evaluations tables).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/result.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "store/access.hpp"

namespace arrimage::store {

struct AgreementParty {
    std::int64_t id = 0;
    std::string name_fr, name_en;
    bool agency = false;  // the area's coordinating agency
};

struct AgreementSummary {
    std::int64_t id = 0;
    std::int64_t sda_id = 0;
    std::string area_fr, area_en;
    std::string reference;  // "ENT-2026-0007"
    std::string title_fr, title_en;
    domain::AgreementKind kind = domain::AgreementKind::partnership;
    domain::AgreementStatus status = domain::AgreementStatus::draft;
    std::vector<domain::AgreementScope> scopes;
    std::vector<AgreementParty> parties;
    std::string effective_on, expires_on, review_due;  // YYYY-MM-DD ("" for no expiry)
    std::string last_evaluated_on;                     // "" when never
    bool review_late = false;                          // in force and its review date has passed
};

struct AgreementEventRow {
    std::string at;  // ISO timestamp
    std::string event, status, note, user_name;
};

struct AgreementDocument {
    std::int64_t id = 0;
    domain::DocumentKind kind = domain::DocumentKind::other;
    std::string filename, content_type;
    std::int64_t size = 0;
    std::string checksum;  // BLAKE2b-256 of the bytes, hex
    std::string uploaded_at, uploaded_by;
};
// A document's bytes, for its download.
struct DocumentFile {
    std::string filename, content_type, data;
};

struct AgreementRecord {
    AgreementSummary summary;
    std::string summary_text;  // what each party undertakes
    int version = 1;
    std::vector<AgreementEventRow> events;          // oldest first
    std::vector<domain::Evaluation> evaluations;    // newest first
    std::vector<AgreementDocument> documents;       // oldest first
    std::vector<domain::AgreementEvent> available;  // what the reader may fire now
    bool may_edit = false;                          // the reader may change its terms and evaluate it
};

// An organisation the form offers as a party: the area's active organisations.
struct PartyChoice {
    std::int64_t id = 0;
    std::string name_fr, name_en;
};

// An organisation whose CSP role asks for an agreement with the agency, and where it stands
// (domain::coverage_state over its agreements of that kind).
struct CoverageRow {
    std::int64_t organisation_id = 0;
    std::string name_fr, name_en, area_fr, area_en;
    domain::CspRole role = domain::CspRole::csp_provider;
    domain::AgreementKind required = domain::AgreementKind::csp_provider;
    domain::CoverageState state = domain::CoverageState::missing;
    struct Held {
        std::int64_t id = 0;
        std::string reference;
        domain::AgreementStatus status = domain::AgreementStatus::draft;
        std::string expires_on;
    };
    std::vector<Held> agreements;  // of that kind, the organisation a party, by reference
};
struct CoverageReport {
    std::vector<CoverageRow>
        rows;  // those needing action first (missing, lapsed, draft only, expiring), then covered; by area and name
    int covered = 0, gaps = 0;
    // Agreements in force whose latest evaluation concluded a new agreement is needed or the
    // agreement must be renegotiated.
    std::vector<AgreementSummary> flagged;
};

class AgreementRepo {
  public:
    explicit AgreementRepo(AccessContext ctx) : ctx_(std::move(ctx)) {}

    // The inventory: the reader's agreements (see above), filtered (field errors of
    // domain::validate(InventoryQuery)), by review date then reference.
    Result<std::vector<AgreementSummary>> inventory(const domain::InventoryQuery& query) const;
    // One page of it (domain::inventory_page_size rows, the query's page), with how many match.
    struct InventoryPage {
        std::vector<AgreementSummary> rows;
        std::int64_t total = 0;
        int page = 1;
    };
    Result<InventoryPage> inventory_page(const domain::InventoryQuery& query) const;
    // The organisations party to any agreement the reader may see (the inventory's filter).
    Result<std::vector<AgreementParty>> parties_seen() const;
    // Whether new agreements are needed: every active CSP provider and participant of the
    // reader's area (every area's for the ministry's analyst; Forbidden for anyone else) against
    // the agreement its role asks for, and the agreements evaluations flagged.
    Result<CoverageReport> coverage() const;
    // The organisations the form offers a ca_admin as parties (Forbidden for anyone else).
    Result<std::vector<PartyChoice>> party_choices() const;
    // Whether the reader may record agreements (a ca_admin with an area).
    bool may_manage() const;

    // A new agreement of the administrator's area, as a draft: field errors of
    // domain::validate(AgreementTermsForm), parties that are not active organisations
    // ("field.choose_from_list" on "parties"; on a change, parties it already has may have been
    // deactivated since), an organisation of another area ("agreement.party_other_area"), a CSP agreement without the area's
    // coordinating agency among its parties ("agreement.agency_party").
    Result<std::int64_t> create(const domain::AgreementTermsForm& form);
    Result<AgreementRecord> agreement(std::int64_t id) const;
    // Its terms changed, from the version the form was shown with (another version: Conflict
    // "agreement.changed_meanwhile"); not once expired or terminated (Conflict
    // "agreement.closed").
    Result<void> update(std::int64_t id, int version, const domain::AgreementTermsForm& form);
    // Moves it through domain::agreement_lifecycle(). Terminating needs its reason (`note`,
    // field "note": "field.required"); renewing needs its new dates (`renewal`, field errors of
    // domain::validate(RenewalForm)), written with the status.
    Result<domain::AgreementStatus> fire(std::int64_t id, domain::AgreementEvent event, const std::string& note,
                                         const domain::RenewalForm& renewal = {});
    // An evaluation of an agreement (field errors of domain::validate(EvaluationForm)); its next
    // review date, when given, becomes the agreement's review date. Not once expired or terminated.
    Result<std::int64_t> add_evaluation(std::int64_t id, const domain::EvaluationForm& form);

    // A file of the agreement's (field errors of domain::validate(DocumentUpload)); not once
    // expired or terminated (Conflict "agreement.closed").
    Result<std::int64_t> add_document(std::int64_t id, const domain::DocumentUpload& upload);
    // A document's bytes, for whoever may read the agreement (see above); another agreement's
    // document is not found.
    Result<DocumentFile> document(std::int64_t id, std::int64_t document_id) const;

  private:
    AccessContext ctx_;
    // The inventory's WHERE clause and its parameters for the reader and filter (refusals as above).
    Result<std::pair<std::string, Params>> inventory_where(const domain::InventoryFilter& f) const;
    // The agreement's row for the reader (summary_select), or the refusal: Forbidden for a role
    // that reads none, NotFound for one the reader may not see. `manager`: the reader may change it.
    Result<Row> readable(std::int64_t id, bool& manager) const;
    // The administrator's area, or Forbidden.
    Result<std::int64_t> admin_area() const;
    // `agreement`: the one being changed (its parties may have been deactivated since).
    Result<void> check_parties(std::int64_t area, const domain::AgreementTerms& terms,
                               std::optional<std::int64_t> agreement = std::nullopt) const;
    void write_terms(std::int64_t id, const domain::AgreementTerms& terms);
    // An agreement of the administrator's area that may still change (not expired or
    // terminated: Conflict "agreement.closed"): its area and status code.
    Result<std::pair<std::int64_t, std::string>> open_for_change(std::int64_t id) const;
    // Touches it if it is still in `status` (another request may have terminated it since it was
    // read): false when not.
    bool still_in(std::int64_t id, const std::string& status, const std::string& now);
    // An event row that is not a move (recorded, amended, evaluated, a document): its status stays.
    void record_event(std::int64_t id, const std::string& now, std::string_view event, const std::string& status,
                      const std::string& note);
};

// The reminder job's part (`arrimage reminders`, hourly in `serve`): to the area's coordinating
// agency administrators, an agreement in force whose review is due within 30 days or late, and
// one whose expiry is within 90 days; once per agreement and date. Returns the notifications
// written. System processing over organisations and dates: no actor, no personal information.
int raise_agreement_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                              bool email = true);

}  // namespace arrimage::store
