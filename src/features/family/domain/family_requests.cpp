#include "features/family/domain/family_requests.hpp"

#include "domain/named.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

constexpr Named<FamilyRequestKind> kind_names[] = {{FamilyRequestKind::concern, "concern"},
                                                   {FamilyRequestKind::complaint, "complaint"},
                                                   {FamilyRequestKind::correction, "correction"},
                                                   {FamilyRequestKind::access, "access"}};
constexpr Named<ConcernAddressee> addressee_names[] = {{ConcernAddressee::coordinator, "coordinator"},
                                                       {ConcernAddressee::agency, "agency"}};
constexpr Named<ConcernStatus> status_names[] = {
    {ConcernStatus::received, "received"}, {ConcernStatus::acknowledged, "acknowledged"}, {ConcernStatus::closed, "closed"}};
constexpr Named<ConcernEvent> event_names[] = {{ConcernEvent::acknowledge, "acknowledge"}, {ConcernEvent::close, "close"}};

}  // namespace

const std::vector<FamilyRequestKind>& all_family_request_kinds() {
    static const auto v = values_of(kind_names);
    return v;
}
std::string_view code(FamilyRequestKind k) {
    return code_of(kind_names, k);
}
std::optional<FamilyRequestKind> parse_family_request_kind(std::string_view s) {
    return parse_of(kind_names, s);
}
std::optional<RequestKind> privacy_request_kind(FamilyRequestKind k) {
    switch (k) {
        case FamilyRequestKind::correction:
            return RequestKind::correction;
        case FamilyRequestKind::access:
            return RequestKind::access;
        default:
            return std::nullopt;
    }
}

const std::vector<ConcernAddressee>& all_concern_addressees() {
    static const auto v = values_of(addressee_names);
    return v;
}
std::string_view code(ConcernAddressee a) {
    return code_of(addressee_names, a);
}
std::optional<ConcernAddressee> parse_concern_addressee(std::string_view s) {
    return parse_of(addressee_names, s);
}

const std::vector<ConcernStatus>& all_concern_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
const std::vector<ConcernEvent>& all_concern_events() {
    static const auto v = values_of(event_names);
    return v;
}
std::string_view code(ConcernStatus s) {
    return code_of(status_names, s);
}
std::string_view code(ConcernEvent e) {
    return code_of(event_names, e);
}
std::optional<ConcernStatus> parse_concern_status(std::string_view s) {
    return parse_of(status_names, s);
}
std::optional<ConcernEvent> parse_concern_event(std::string_view s) {
    return parse_of(event_names, s);
}

const ConcernLifecycle& concern_lifecycle() {
    using S = ConcernStatus;
    using E = ConcernEvent;
    const std::vector<Relationship> answerers = {Relationship::assigned_coordinator, Relationship::coordinating_agency};
    static const ConcernLifecycle table(
        "family_concern",
        {
            {S::received, E::acknowledge, S::acknowledged, answerers},
            {S::received, E::close, S::closed, answerers},
            {S::acknowledged, E::close, S::closed, answerers},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

bool answers_concerns(Relationship r) {
    return r == Relationship::assigned_coordinator || r == Relationship::coordinating_agency;
}

std::vector<FieldError> validate(const FamilyRequestForm& in, FamilyRequest& out) {
    std::vector<FieldError> e;
    out = FamilyRequest{};
    choice(e, "kind", in.kind, parse_family_request_kind, out.kind);
    const bool kind_ok = e.empty();
    // To whom matters for a concern or complaint only; with no kind chosen yet it is not asked.
    if (kind_ok && !privacy_request_kind(out.kind)) {
        ConcernAddressee to = ConcernAddressee::coordinator;
        const auto mark = e.size();
        choice(e, "addressed_to", in.addressed_to, parse_concern_addressee, to);
        if (e.size() == mark) out.addressed_to = to;
    }
    plain_long_text(e, "description", in.description, max_family_request_length, true, out.description);
    return e;
}

std::vector<FieldError> validate_answer(ConcernEvent event, std::string_view raw, std::string& out) {
    std::vector<FieldError> e;
    long_text(e, "response", raw, max_concern_answer_length, event == ConcernEvent::close, out);
    return e;
}

Requester requester_for(FamilyRelation relation, std::optional<FamilyRelationship> member) {
    if (relation == FamilyRelation::self) return Requester::child_youth;
    switch (member.value_or(FamilyRelationship::substitute_decision_maker)) {
        case FamilyRelationship::parent:
            return Requester::parent;
        case FamilyRelationship::guardian:
            return Requester::guardian;
        default:
            return Requester::substitute_decision_maker;
    }
}

Audience audience_of(const FamilyRequest& r, bool file_has_coordinator) {
    if (privacy_request_kind(r.kind)) return Audience::privacy_officers;
    if (r.addressed_to == ConcernAddressee::coordinator && file_has_coordinator) return Audience::assigned_coordinator;
    return Audience::agency_managers;
}

}  // namespace arrimage::domain
