#pragma once
// The privacy office of a coordinating agency: search of the access audit, anomalies, the
// family's access report, access and correction requests, and the privacy breach register.
// Like PersonRepo it exists only with an AccessContext; the audit tools need a write
// transaction (they throw std::logic_error in a read transaction), the registers do not.
//
// Reading the audit is itself an access to personal information (category access_log): each
// search, anomaly review, export and report asks domain::decide() (purpose oversight for the
// agency-wide tools; for a report, the purpose of the actor's relationship to the file) and
// appends its own audit event, permitted or denied, in the same transaction. Only a privacy
// officer of an active coordinating agency is permitted (policy table B, profile oversight),
// and only over rows about that agency's files, filtered in SQL and read one page at a time.
// access_log is not consentable (consent.hpp): no directive, lockbox entry or break-the-glass
// grant changes a decision about it, so none are loaded.
//
// Requests and breaches are the privacy office's own records (category privacy_registers):
// every read, list and change asks domain::decide() (purpose oversight) and appends its audit
// event in the same transaction, with the request's file when there is one; only the agency's
// privacy officers are permitted (`Forbidden`, recorded, for anyone else). Each change is also
// written to admin_audit (who, what, which record; never the free text). Request and breach
// lists carry file numbers, not names. A refused call writes nothing but its audit event.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/privacy_office.hpp"
#include "store/person_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

struct AuditFilter {
    std::optional<std::int64_t> person_id, user_id, organisation_id;
    std::optional<Date> from, to;  // inclusive days (UTC)
    std::optional<domain::Action> action;
    std::optional<domain::Effect> decision;
    bool break_glass_only = false;
    // Categories whose rows are left out (what a capable youth keeps from a family member: not
    // even its accesses), in the query, so that a limit counts only the rows shown.
    domain::CategorySet hidden;
};

// An audit row with the names of who did it (staff, not the family).
struct AuditEntry {
    std::int64_t id = 0;
    std::string at;
    std::optional<std::int64_t> user_id, organisation_id, person_id;
    std::string user_name, org_name_fr, org_name_en;
    std::string action, category, purpose, decision, reason;
    bool break_glass = false;
};

// An audit row as the privacy office shows it, from a query whose columns are, in order: id, at,
// user_id, organisation_id, person_id, the user's display name, the organisation's names (fr,
// en), action, category, purpose, decision, reason, break_glass.
AuditEntry audit_entry_of(const Row& r);

struct AuditPage {
    std::vector<AuditEntry> rows;             // newest first
    std::optional<std::int64_t> next_before;  // pass as `before_id` for the next (older) page
};

struct BulkAccessEntry {
    domain::BulkAccessFlag flag;
    std::string user_name;
};

struct AccessReport {
    std::int64_t person_id = 0;
    std::string agency_name_fr, agency_name_en;
    std::vector<AuditEntry> rows;  // oldest first
    bool truncated = false;        // more than the limit: the report shows the most recent ones
    // When truncated: the `before_id` that gives the page of accesses just older than these.
    std::optional<std::int64_t> earlier_before;
};

struct RequestRow {
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    std::string requester, kind, description, status, extension_reason, outcome;
    Date received, due;
    int extension_days = 0;
    std::optional<Date> closed_on;
    bool overdue = false;
};

struct BreachRow {
    std::int64_t id = 0;
    domain::Breach breach;
    bool active = true;
};

// The register's row of an access or correction request, open, received on `r.received` and due
// 30 days later (domain::due_date), with its admin_audit row: the one way a request enters the
// register. Callers decide the access first: PrivacyOfficeRepo::create_request (the agency's
// privacy officer), and the family's own request on its file (features/family, the family's
// profile of the policy), which passes the family access it was made through so the family sees
// where it stands. The request's id.
std::int64_t insert_request(Tx& tx, const Clock& clock, std::int64_t organisation_id, const domain::NewRequest& r,
                            std::int64_t user_id, std::optional<std::int64_t> family_access_id = std::nullopt);

class PrivacyOfficeRepo {
  public:
    explicit PrivacyOfficeRepo(AccessContext ctx);

    // ---- the audit (each call decides and audits; Forbidden when the policy refuses)

    // Rows about the agency's files matching `f`, newest first, `limit` per page, older than
    // `before_id` when given. With a file in the filter, the decision and its audit row are about
    // that file (Forbidden if it is not one of the agency's files).
    Result<AuditPage> search_audit(const AuditFilter& f, std::optional<std::int64_t> before_id, int limit);
    // The same rows for a CSV export (action export), at most `max_rows`, newest first.
    Result<std::vector<AuditEntry>> export_audit(const AuditFilter& f, int max_rows);
    // Refused accesses to the agency's files by users with no relationship to them (or one
    // their role may not use), newest first, one page; and users who opened unusually many
    // distinct files (domain::detect_bulk_access) over the rule's look-back period.
    struct Anomalies {
        AuditPage unrelated;
        std::vector<BulkAccessEntry> bulk;
    };
    Result<Anomalies> anomalies(const domain::BulkAccessRule& rule, std::optional<std::int64_t> before_id, int limit);

    // Who accessed one child's file (action print on access_log), from `from` to `to` (days,
    // inclusive) when given. NotFound without a relationship to the file (or no such file);
    // Forbidden when the policy refuses. The file's privacy officer prints it for the family; a
    // family account (domain::Role::family, features/family) reads its own under the family's
    // profile of the policy.
    // At most `max_rows` accesses, the most recent first of those older than `before_id` (a page
    // of a long report: AccessReport::earlier_before gives the next).
    Result<AccessReport> access_report(std::int64_t person_id, int max_rows = 5000, std::optional<Date> from = std::nullopt,
                                       std::optional<Date> to = std::nullopt,
                                       std::optional<std::int64_t> before_id = std::nullopt);

    // ---- requests and breaches (privacy officers of the agency only)

    // Whether the registers may be used for `a` at all, asked before a form is shown or read:
    // a refusal is decided and audited (Forbidden); a permission is not recorded here, the call
    // that reads or writes a record records it.
    Result<void> registers_allowed(domain::Action a);

    // The file must be one of the agency's: otherwise an Invalid error on person_id.
    Result<std::int64_t> create_request(const domain::NewRequest& r);
    // Open and extended first, by due date, then the closed ones, most recent first.
    Result<std::vector<RequestRow>> list_requests(int limit, int offset);
    Result<RequestRow> find_request(std::int64_t id);
    Result<void> extend_request(std::int64_t id, const domain::ExtensionForm& in);
    Result<void> close_request(std::int64_t id, const domain::ClosingForm& in);

    // ---- breaches

    Result<std::int64_t> create_breach(const domain::Breach& b);
    Result<void> update_breach(std::int64_t id, const domain::Breach& b);
    Result<void> set_breach_active(std::int64_t id, bool active);
    Result<std::vector<BreachRow>> list_breaches(bool include_inactive, int limit, int offset);
    Result<BreachRow> find_breach(std::int64_t id);

    // Whether the actor is a privacy officer of an active coordinating agency (the navigation
    // link and the audit pages' forms; every record read or written still asks the policy).
    bool keeps_registers();

  private:
    domain::Relationship agency_relationship();
    domain::Relationship file_relationship(std::int64_t person_id, std::int64_t agency_id);
    domain::Decision decide(domain::Relationship r, domain::Purpose purpose, domain::Action a,
                            std::optional<std::int64_t> person_id, domain::Category category = domain::Category::access_log,
                            Record how = Record::always);
    // Decides `a` on the registers (about `person_id`'s file when given), appends the event.
    Result<void> register_access(domain::Action a, std::optional<std::int64_t> person_id);
    std::optional<RequestRow> load_request(std::int64_t id);
    // A request's stored status; an unknown one is corrupt data (throws), never a default.
    static domain::RequestStatus stored_request_status(const RequestRow& r);
    // Fires `event` through the request's lifecycle table and the one status writer.
    Result<void> request_transition(std::int64_t id, domain::RequestStatus from, domain::RequestEvent event,
                                    const std::string& note, std::vector<std::pair<std::string_view, Value>> also);
    Result<void> check_audit(const AuditFilter& f, domain::Action a);
    // Rows about the files of `agency_id` (default: the actor's organisation).
    std::vector<AuditEntry> audit_rows(const AuditFilter& f, std::optional<std::int64_t> before_id, int limit,
                                       bool unrelated_only, std::optional<std::int64_t> agency_id = std::nullopt);
    void admin_audit(const std::string& action, const std::string& entity, std::int64_t id, const std::string& detail);
    Date today() const;

    AccessContext ctx_;
    Guard guard_;
    std::optional<domain::Relationship> agency_relationship_;
};

}  // namespace arrimage::store
