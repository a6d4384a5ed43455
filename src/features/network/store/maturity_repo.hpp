#pragma once
// Integration maturity assessments (features/network/domain/network.hpp, docs/NETWORK.md).
//
// Who: the area's coordinating agency administrators (role ca_admin; their organisation's area)
// record the assessments of their area and of its partnerships. A provider manager reads those of
// their organisation's area; a ministry analyst reads every area's. Anyone else is refused
// (Forbidden); an assessment the reader may not see is not found.
//
// What: assessments are about organisations and how they work together, never about a child or
// a family: no personal information is read or written here, so the policy decision point is not
// asked; each assessment records who recorded it (created_by). An assessment is kept as recorded:
// it is the history, and is never changed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "features/network/domain/network.hpp"
#include "store/access.hpp"

namespace arrimage::store {

// Whose assessment it is: an area, or one of its partnerships (an agreement of kind partnership).
struct MaturitySubject {
    std::int64_t sda_id = 0;
    std::string area_fr, area_en;
    std::optional<std::int64_t> agreement_id;  // none: the whole area
    std::string reference;                     // the agreement's ("ENT-2026-0007"), "" for the area
    std::string title_fr, title_en;            // the agreement's, "" for the area
};

struct AssessmentSummary {
    std::int64_t id = 0;
    MaturitySubject subject;
    std::string assessed_on;  // YYYY-MM-DD
    domain::MaturityScore score;
    std::vector<domain::MaturityLevel> levels;  // one per dimension, catalogue order
    std::string recorded_by;                    // the user's display name
};

struct AssessmentRecord {
    AssessmentSummary summary;
    domain::MaturityAssessment assessment;
    std::string created_at;                // ISO timestamp
    std::optional<std::int64_t> previous;  // the same subject's assessment just before it, if any
};

// A subject the reader may see, with how many assessments it has and its latest.
struct SubjectOverview {
    MaturitySubject subject;
    int assessments = 0;
    std::optional<AssessmentSummary> latest;
};

class MaturityRepo {
  public:
    explicit MaturityRepo(AccessContext ctx) : ctx_(std::move(ctx)) {}

    // Whether the reader may record assessments (a ca_admin with an area).
    bool may_manage() const;
    // The subjects the reader may see that have assessments, plus (for a ca_admin) their own
    // area even without any (its partnerships not yet assessed are subject_choices()): by area,
    // the area first, then by reference. Forbidden for a role that reads none.
    Result<std::vector<SubjectOverview>> subjects() const;
    // The subjects the form offers a ca_admin: their area, then its partnership agreements that
    // are not expired or terminated (Forbidden for anyone else).
    Result<std::vector<MaturitySubject>> subject_choices() const;

    // One subject's history, oldest first: sda_id with agreement_id (none: the area's own).
    // NotFound when the reader may not see that area or the agreement is not one of its
    // partnerships; an empty list when it has none yet.
    Result<std::vector<AssessmentSummary>> history(std::int64_t sda_id, std::optional<std::int64_t> agreement_id) const;

    // A new assessment of the administrator's area or of one of its partnerships: field errors of
    // domain::validate(AssessmentForm) with the clock's today, a subject that is not the area nor
    // one of its partnership agreements not expired or terminated ("field.choose_from_list" on
    // "subject", told with the form's other errors). Its score is computed (domain::score) and
    // kept with it.
    Result<std::int64_t> create(const domain::AssessmentForm& form);
    Result<AssessmentRecord> assessment(std::int64_t id) const;

  private:
    AccessContext ctx_;
};

}  // namespace arrimage::store
