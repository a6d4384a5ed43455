#include "features/agreements/domain/agreements.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "domain/filters.hpp"
#include "domain/identity.hpp"
#include "domain/named.hpp"
#include "domain/people.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

constexpr Named<AgreementKind> kind_names[] = {
    {AgreementKind::csp_provider, "csp_provider"},
    {AgreementKind::csp_participant, "csp_participant"},
    {AgreementKind::partnership, "partnership"},
};
constexpr Named<AgreementScope> scope_names[] = {
    {AgreementScope::referral, "referral"},
    {AgreementScope::information_sharing, "information_sharing"},
    {AgreementScope::plan_contribution, "plan_contribution"},
    {AgreementScope::governance, "governance"},
    {AgreementScope::reporting, "reporting"},
    {AgreementScope::joint_training, "joint_training"},
    {AgreementScope::access_mechanisms, "access_mechanisms"},
};
constexpr Named<AgreementStatus> status_names[] = {
    {AgreementStatus::draft, "draft"},     {AgreementStatus::active, "active"},   {AgreementStatus::under_review, "under_review"},
    {AgreementStatus::renewed, "renewed"}, {AgreementStatus::expired, "expired"}, {AgreementStatus::terminated, "terminated"},
};
constexpr Named<AgreementEvent> event_names[] = {
    {AgreementEvent::activate, "activate"},
    {AgreementEvent::open_review, "open_review"},
    {AgreementEvent::conclude_review, "conclude_review"},
    {AgreementEvent::renew, "renew"},
    {AgreementEvent::expire, "expire"},
    {AgreementEvent::terminate, "terminate"},
};
constexpr Named<EvaluationOutcome> outcome_names[] = {
    {EvaluationOutcome::keep, "keep"},
    {EvaluationOutcome::strengthen, "strengthen"},
    {EvaluationOutcome::renegotiate, "renegotiate"},
    {EvaluationOutcome::new_agreement_needed, "new_agreement_needed"},
    {EvaluationOutcome::end, "end"},
};

constexpr Named<CoverageState> coverage_names[] = {
    {CoverageState::covered, "covered"}, {CoverageState::expiring, "expiring"}, {CoverageState::draft_only, "draft_only"},
    {CoverageState::lapsed, "lapsed"},   {CoverageState::missing, "missing"},
};

constexpr Named<DocumentKind> document_kind_names[] = {
    {DocumentKind::signed_copy, "signed_copy"},
    {DocumentKind::amendment, "amendment"},
    {DocumentKind::annex, "annex"},
    {DocumentKind::other, "other"},
};

bool before(const Date& a, const Date& b) {
    return days_between(a, b) > 0;
}

}  // namespace

const std::vector<AgreementKind>& all_agreement_kinds() {
    static const auto v = values_of(kind_names);
    return v;
}
std::string_view code(AgreementKind k) {
    return code_of(kind_names, k);
}
std::optional<AgreementKind> parse_agreement_kind(std::string_view s) {
    return parse_of(kind_names, s);
}
const std::vector<AgreementScope>& all_agreement_scopes() {
    static const auto v = values_of(scope_names);
    return v;
}
std::string_view code(AgreementScope s) {
    return code_of(scope_names, s);
}
std::optional<AgreementScope> parse_agreement_scope(std::string_view s) {
    return parse_of(scope_names, s);
}
const std::vector<AgreementStatus>& all_agreement_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
const std::vector<AgreementEvent>& all_agreement_events() {
    static const auto v = values_of(event_names);
    return v;
}
std::string_view code(AgreementStatus s) {
    return code_of(status_names, s);
}
std::string_view code(AgreementEvent e) {
    return code_of(event_names, e);
}
std::optional<AgreementStatus> parse_agreement_status(std::string_view s) {
    return parse_of(status_names, s);
}
std::optional<AgreementEvent> parse_agreement_event(std::string_view s) {
    return parse_of(event_names, s);
}
const std::vector<EvaluationOutcome>& all_evaluation_outcomes() {
    static const auto v = values_of(outcome_names);
    return v;
}
std::string_view code(EvaluationOutcome o) {
    return code_of(outcome_names, o);
}
std::optional<EvaluationOutcome> parse_evaluation_outcome(std::string_view s) {
    return parse_of(outcome_names, s);
}

std::vector<FieldError> validate(const AgreementTermsForm& in, AgreementTerms& out) {
    std::vector<FieldError> e;
    text(e, "title_fr", in.title_fr, max_agreement_title_length, true, out.title_fr);
    text(e, "title_en", in.title_en, max_agreement_title_length, true, out.title_en);
    choice(e, "kind", in.kind, &parse_agreement_kind, out.kind);

    out.scopes.clear();
    bool bad_scope = false;
    for (const auto& raw : in.scopes) {
        const std::string s = trim(raw);
        if (s.empty()) continue;
        auto v = parse_agreement_scope(s);
        if (!v)
            bad_scope = true;
        else if (std::find(out.scopes.begin(), out.scopes.end(), *v) == out.scopes.end())
            out.scopes.push_back(*v);
    }
    if (bad_scope)
        e.push_back({"scopes", "field.choose_from_list", {}});
    else if (out.scopes.empty())
        e.push_back({"scopes", "field.choose_at_least_one", {}});
    std::sort(out.scopes.begin(), out.scopes.end());

    out.parties.clear();
    bool bad_party = false;
    for (const auto& raw : in.parties) {
        const std::string s = trim(raw);
        if (s.empty()) continue;
        auto id = parse_id(s);
        if (!id)
            bad_party = true;
        else if (std::find(out.parties.begin(), out.parties.end(), *id) == out.parties.end())
            out.parties.push_back(*id);
    }
    std::sort(out.parties.begin(), out.parties.end());
    if (bad_party)
        e.push_back({"parties", "field.choose_from_list", {}});
    else if (out.parties.size() < 2)
        e.push_back({"parties", "agreement.two_parties", {}});
    else if (out.parties.size() > max_agreement_parties)
        e.push_back({"parties", "agreement.too_many_parties", {std::to_string(max_agreement_parties)}});

    std::optional<Date> effective, review;
    date_field(e, "effective_on", in.effective_on, true, effective);
    date_field(e, "expires_on", in.expires_on, false, out.expires_on);
    date_field(e, "review_due", in.review_due, true, review);
    if (effective) out.effective_on = *effective;
    if (review) out.review_due = *review;
    if (effective && out.expires_on && !before(*effective, *out.expires_on))
        e.push_back({"expires_on", "agreement.expiry_before_effective", {}});
    else if (effective && review && before(*review, *effective))
        e.push_back({"review_due", "agreement.review_before_effective", {}});
    else if (review && out.expires_on && before(*out.expires_on, *review))
        e.push_back({"review_due", "agreement.review_after_expiry", {}});
    long_text(e, "summary", in.summary, max_agreement_summary_length, false, out.summary);
    return e;
}

namespace {
bool is_past_expiry(const AgreementFacts& f) {
    return f.past_expiry;
}
}  // namespace

const AgreementLifecycle& agreement_lifecycle() {
    using S = AgreementStatus;
    using E = AgreementEvent;
    const std::vector<Relationship> agency = {Relationship::coordinating_agency};
    static const AgreementLifecycle table(
        "agreement",
        {
            {S::draft, E::activate, S::active, agency},
            {S::active, E::open_review, S::under_review, agency},
            {S::renewed, E::open_review, S::under_review, agency},
            {S::under_review, E::conclude_review, S::active, agency},
            {S::under_review, E::renew, S::renewed, agency},
            {S::active, E::expire, S::expired, agency, &is_past_expiry, "its expiry date has come", "agreement.not_expired"},
            {S::under_review, E::expire, S::expired, agency, &is_past_expiry, "its expiry date has come",
             "agreement.not_expired"},
            {S::renewed, E::expire, S::expired, agency, &is_past_expiry, "its expiry date has come", "agreement.not_expired"},
            {S::draft, E::terminate, S::terminated, agency},
            {S::active, E::terminate, S::terminated, agency},
            {S::under_review, E::terminate, S::terminated, agency},
            {S::renewed, E::terminate, S::terminated, agency},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

AgreementFacts agreement_facts(const std::optional<Date>& expires_on, const Date& today) {
    return {expires_on && !before(today, *expires_on)};
}

std::vector<FieldError> validate(const RenewalForm& in, const std::optional<Date>& current_expiry, const Date& today,
                                 Renewal& out) {
    std::vector<FieldError> e;
    std::optional<Date> expiry, review;
    date_field(e, "expires_on", in.expires_on, true, expiry);
    date_field(e, "review_due", in.review_due, true, review);
    if (expiry) out.expires_on = *expiry;
    if (review) out.review_due = *review;
    if (expiry && (!before(today, *expiry) || (current_expiry && !before(*current_expiry, *expiry))))
        e.push_back({"expires_on", "agreement.renewal_expiry", {}});
    else if (review && before(*review, today))
        e.push_back({"review_due", "agreement.review_in_past", {}});
    else if (review && expiry && before(*expiry, *review))
        e.push_back({"review_due", "agreement.review_after_expiry", {}});
    return e;
}

std::vector<FieldError> validate(const EvaluationForm& in, const Date& today, Evaluation& out) {
    std::vector<FieldError> e;
    std::optional<Date> on;
    date_field(e, "evaluated_on", in.evaluated_on, true, on);
    if (on) {
        out.evaluated_on = *on;
        if (before(today, *on)) e.push_back({"evaluated_on", "agreement.evaluated_in_future", {}});
    }
    long_text(e, "expected_results", in.expected_results, max_evaluation_text_length, false, out.expected_results);
    long_text(e, "indicators", in.indicators, max_evaluation_text_length, false, out.indicators);
    long_text(e, "findings", in.findings, max_evaluation_text_length, true, out.findings);
    long_text(e, "adjustments", in.adjustments, max_evaluation_text_length, false, out.adjustments);
    choice(e, "outcome", in.outcome, &parse_evaluation_outcome, out.outcome);
    date_field(e, "next_review_due", in.next_review_due, false, out.next_review_due);
    if (on && out.next_review_due && !before(*on, *out.next_review_due))
        e.push_back({"next_review_due", "agreement.next_review_order", {}});
    else if (out.next_review_due && before(*out.next_review_due, today))
        e.push_back({"next_review_due", "agreement.review_in_past", {}});
    return e;
}

const std::vector<DocumentKind>& all_document_kinds() {
    static const auto v = values_of(document_kind_names);
    return v;
}
std::string_view code(DocumentKind k) {
    return code_of(document_kind_names, k);
}
std::optional<DocumentKind> parse_document_kind(std::string_view s) {
    return parse_of(document_kind_names, s);
}

const std::vector<DocumentType>& document_types() {
    static const std::vector<DocumentType> types = {
        {"pdf", "application/pdf"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"odt", "application/vnd.oasis.opendocument.text"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
    };
    return types;
}

namespace {

bool plain_name(std::string_view name) {
    if (name.empty() || !valid_utf8(name) || name.front() == '.') return false;
    const auto points = code_points(name);
    if (points.size() > max_document_name_length) return false;
    for (char32_t c : points) {
        if (c != U' ' && (is_bidi_control(c) || is_invisible(c))) return false;  // controls too; a space is plain
        if (c < 0x80 && std::string_view("/\\:*?\"<>|").find(static_cast<char>(c)) != std::string_view::npos) return false;
    }
    return true;
}

bool starts_with(std::string_view data, std::string_view prefix) {
    return data.substr(0, prefix.size()) == prefix;
}

// What the bytes are, as far as the extension's type is concerned.
bool content_matches(std::string_view extension, std::string_view data) {
    using namespace std::literals;
    if (extension == "pdf") return starts_with(data, "%PDF-");
    if (extension == "png") return starts_with(data, "\x89PNG\r\n\x1a\n"sv);
    if (extension == "jpg" || extension == "jpeg") return starts_with(data, "\xFF\xD8\xFF"sv);
    const bool zip = starts_with(data, "PK\x03\x04"sv);
    if (extension == "docx" || extension == "xlsx")
        return zip && data.find("[Content_Types].xml") != std::string_view::npos &&
               data.find(extension == "docx" ? "word/" : "xl/") != std::string_view::npos;
    // An OpenDocument package begins with its uncompressed "mimetype" entry (offset 30), the next
    // entry right after it (so not "...opendocument.text-template").
    if (extension == "odt")
        return zip && data.size() >= 81 && data.substr(30, 47) == "mimetypeapplication/vnd.oasis.opendocument.text" &&
               data.substr(77, 4) == "PK\x03\x04"sv;
    return false;
}

}  // namespace

std::vector<FieldError> validate(const DocumentUpload& in, DocumentCheck& out) {
    std::vector<FieldError> e;
    choice(e, "kind", in.kind, &parse_document_kind, out.kind);
    if (in.data.empty()) {
        e.push_back({"file", "agreement.document_missing", {}});
        return e;
    }
    if (in.data.size() > max_document_bytes) {
        e.push_back({"file", "agreement.document_too_large", {std::to_string(max_document_bytes / (1024 * 1024))}});
        return e;
    }
    if (!plain_name(in.filename)) {
        e.push_back({"file", "agreement.document_name", {}});
        return e;
    }
    const auto dot = in.filename.rfind('.');
    const std::string extension = dot == std::string::npos ? std::string() : ascii_lower(in.filename.substr(dot + 1));
    const auto& types = document_types();
    const auto type = std::find_if(types.begin(), types.end(), [&](const DocumentType& t) { return t.extension == extension; });
    if (type == types.end()) {
        e.push_back({"file", "agreement.document_type", {}});
        return e;
    }
    if (!content_matches(extension, in.data)) {
        e.push_back({"file", "agreement.document_content", {}});
        return e;
    }
    out.filename = in.filename;
    out.content_type = std::string(type->content_type);
    return e;
}

std::vector<FieldError> validate(const InventoryQuery& in, InventoryFilter& out) {
    std::vector<FieldError> e;
    optional_choice(e, "kind", in.kind, &parse_agreement_kind, out.kind);
    optional_choice(e, "status", in.status, &parse_agreement_status, out.status);
    optional_choice(e, "scope", in.scope, &parse_agreement_scope, out.scope);
    optional_id(e, "organisation", in.organisation, out.organisation);
    out.page = 1;
    if (!trim(in.page).empty()) whole_number(e, "page", in.page, 1, max_inventory_page, out.page);
    const std::string review = trim(in.review);
    out.review_due = review == "due";
    if (!review.empty() && review != "due") e.push_back({"review", "field.choose_from_list", {}});
    return e;
}

bool review_reminder_due(AgreementStatus s, const Date& review_due, const Date& today) {
    return in_force(s) && days_between(today, review_due) <= review_reminder_days;
}

bool expiry_reminder_due(AgreementStatus s, const std::optional<Date>& expires_on, const Date& today) {
    return in_force(s) && expires_on && days_between(today, *expires_on) <= expiry_reminder_days;
}

std::optional<AgreementKind> required_agreement(CspRole role) {
    switch (role) {
        case CspRole::csp_provider:
            return AgreementKind::csp_provider;
        case CspRole::csp_participant:
            return AgreementKind::csp_participant;
        default:
            return std::nullopt;
    }
}

const std::vector<CoverageState>& all_coverage_states() {
    static const auto v = values_of(coverage_names);
    return v;
}
std::string_view code(CoverageState s) {
    return code_of(coverage_names, s);
}

CoverageState coverage_state(const std::vector<CoverageInput>& agreements, const Date& today) {
    bool in_force_any = false, lasting = false, draft = false, ended = false;
    for (const auto& a : agreements) {
        if (in_force(a.status)) {
            in_force_any = true;
            if (!a.expires_on || days_between(today, *a.expires_on) > expiry_reminder_days) lasting = true;
        } else if (a.status == AgreementStatus::draft) {
            draft = true;
        } else {
            ended = true;
        }
    }
    if (lasting) return CoverageState::covered;
    if (in_force_any) return CoverageState::expiring;
    if (draft) return CoverageState::draft_only;
    if (ended) return CoverageState::lapsed;
    return CoverageState::missing;
}

}  // namespace arrimage::domain
