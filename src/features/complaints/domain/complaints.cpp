#include "features/complaints/domain/complaints.hpp"

#include <cstdio>

#include "core/i18n.hpp"
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

constexpr Named<ComplaintKind> kind_names[] = {
    {ComplaintKind::complaint, "complaint"},
    {ComplaintKind::conflict, "conflict"},
};
// The public form's code is "public" (a keyword in C++, hence the enum's public_form).
constexpr Named<ComplaintSource> source_names[] = {
    {ComplaintSource::public_form, "public"},
    {ComplaintSource::family, "family"},
    {ComplaintSource::provider, "provider"},
};
constexpr Named<ComplaintCategory> category_names[] = {
    {ComplaintCategory::access, "access"},
    {ComplaintCategory::wait_times, "wait_times"},
    {ComplaintCategory::quality, "quality"},
    {ComplaintCategory::communication, "communication"},
    {ComplaintCategory::coordination, "coordination"},
    {ComplaintCategory::privacy, "privacy"},
    {ComplaintCategory::conduct, "conduct"},
    {ComplaintCategory::other, "other"},
};
constexpr Named<ComplaintSeverity> severity_names[] = {
    {ComplaintSeverity::low, "low"},
    {ComplaintSeverity::medium, "medium"},
    {ComplaintSeverity::high, "high"},
    {ComplaintSeverity::critical, "critical"},
};
constexpr Named<ComplainantRelation> relation_names[] = {
    {ComplainantRelation::parent, "parent"},       {ComplainantRelation::youth, "youth"},
    {ComplainantRelation::caregiver, "caregiver"}, {ComplainantRelation::professional, "professional"},
    {ComplainantRelation::other, "other"},
};
constexpr Named<ComplaintStatus> status_names[] = {
    {ComplaintStatus::received, "received"},         {ComplaintStatus::triaged, "triaged"},
    {ComplaintStatus::acknowledged, "acknowledged"}, {ComplaintStatus::resolved, "resolved"},
    {ComplaintStatus::appealed, "appealed"},         {ComplaintStatus::closed, "closed"},
    {ComplaintStatus::withdrawn, "withdrawn"},
};
constexpr Named<ComplaintEvent> event_names[] = {
    {ComplaintEvent::triage, "triage"},
    {ComplaintEvent::acknowledge, "acknowledge"},
    {ComplaintEvent::resolve, "resolve"},
    {ComplaintEvent::appeal, "appeal"},
    {ComplaintEvent::decide_appeal, "decide_appeal"},
    {ComplaintEvent::close, "close"},
    {ComplaintEvent::withdraw, "withdraw"},
};
constexpr Named<ComplaintDeadline> deadline_names[] = {
    {ComplaintDeadline::acknowledge, "acknowledge"},
    {ComplaintDeadline::resolve, "resolve"},
    {ComplaintDeadline::appeal, "appeal"},
};

// The settings' bounds, as the CHECK constraints of complaint_settings state them.
constexpr int min_days = 1;
constexpr int max_acknowledge_days = 60;
constexpr int max_resolve_days = 365;
constexpr int max_appeal_days = 365;

// A deadline within this many days (today included) is due soon: its owner is reminded.
constexpr int due_soon_days = 2;

bool before(const Date& a, const Date& b) {
    return days_between(a, b) > 0;
}

bool has_field(const std::vector<FieldError>& e, std::string_view field) {
    for (const auto& f : e)
        if (f.field == field) return true;
    return false;
}

}  // namespace

// ---------------------------------------------------------------- codes

const std::vector<ComplaintKind>& all_complaint_kinds() {
    static const auto v = values_of(kind_names);
    return v;
}
const std::vector<ComplaintSource>& all_complaint_sources() {
    static const auto v = values_of(source_names);
    return v;
}
const std::vector<ComplaintCategory>& all_complaint_categories() {
    static const auto v = values_of(category_names);
    return v;
}
const std::vector<ComplaintSeverity>& all_complaint_severities() {
    static const auto v = values_of(severity_names);
    return v;
}
const std::vector<ComplainantRelation>& all_complainant_relations() {
    static const auto v = values_of(relation_names);
    return v;
}
std::string_view code(ComplaintKind k) {
    return code_of(kind_names, k);
}
std::string_view code(ComplaintSource s) {
    return code_of(source_names, s);
}
std::string_view code(ComplaintCategory c) {
    return code_of(category_names, c);
}
std::string_view code(ComplaintSeverity s) {
    return code_of(severity_names, s);
}
std::string_view code(ComplainantRelation r) {
    return code_of(relation_names, r);
}
std::optional<ComplaintKind> parse_complaint_kind(std::string_view s) {
    return parse_of(kind_names, s);
}
std::optional<ComplaintSource> parse_complaint_source(std::string_view s) {
    return parse_of(source_names, s);
}
std::optional<ComplaintCategory> parse_complaint_category(std::string_view s) {
    return parse_of(category_names, s);
}
std::optional<ComplaintSeverity> parse_complaint_severity(std::string_view s) {
    return parse_of(severity_names, s);
}
std::optional<ComplainantRelation> parse_complainant_relation(std::string_view s) {
    return parse_of(relation_names, s);
}

const std::vector<ComplaintStatus>& all_complaint_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
const std::vector<ComplaintEvent>& all_complaint_events() {
    static const auto v = values_of(event_names);
    return v;
}
std::string_view code(ComplaintStatus s) {
    return code_of(status_names, s);
}
std::string_view code(ComplaintEvent e) {
    return code_of(event_names, e);
}
std::optional<ComplaintStatus> parse_complaint_status(std::string_view s) {
    return parse_of(status_names, s);
}
std::optional<ComplaintEvent> parse_complaint_event(std::string_view s) {
    return parse_of(event_names, s);
}

std::string_view code(ComplaintDeadline d) {
    return code_of(deadline_names, d);
}

// ---------------------------------------------------------------- the lifecycle

namespace {
bool has_owner(const ComplaintFacts& f) {
    return f.has_owner;
}
bool appeal_window_open(const ComplaintFacts& f) {
    return f.appeal_window_open;
}
bool appeal_window_over(const ComplaintFacts& f) {
    return f.appeal_window_over;
}
}  // namespace

const ComplaintLifecycle& complaint_lifecycle() {
    using S = ComplaintStatus;
    using E = ComplaintEvent;
    using R = Relationship;
    const std::vector<R> agency = {R::coordinating_agency};
    // The owner works the complaint through to its resolution; the appeal is decided above them,
    // by an administrator of the area, so that nobody reviews their own resolution (the store
    // refuses it also to the administrator who owns or resolved it, which a table cannot see).
    const std::vector<R> agency_or_owner = {R::coordinating_agency, R::assigned_coordinator};
    // The complainant appeals and withdraws for themselves; the agency may record either on their
    // behalf (a telephone call, a letter).
    const std::vector<R> agency_or_raiser = {R::coordinating_agency, R::self};
    static const ComplaintLifecycle table(
        "complaint",
        {
            {S::received, E::triage, S::triaged, agency, &has_owner, "an owner is named", "complaint.owner_required"},
            {S::triaged, E::acknowledge, S::acknowledged, agency_or_owner},
            {S::acknowledged, E::resolve, S::resolved, agency_or_owner},
            {S::resolved, E::appeal, S::appealed, agency_or_raiser, &appeal_window_open, "within the window to appeal",
             "complaint.appeal_window_closed"},
            {S::appealed, E::decide_appeal, S::closed, agency},
            {S::resolved, E::close, S::closed, agency, &appeal_window_over, "the window to appeal is over",
             "complaint.appeal_window_open"},
            {S::received, E::withdraw, S::withdrawn, agency_or_raiser},
            {S::triaged, E::withdraw, S::withdrawn, agency_or_raiser},
            {S::acknowledged, E::withdraw, S::withdrawn, agency_or_raiser},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

ComplaintFacts complaint_facts(bool has_owner, const std::optional<Date>& appeal_due, const Date& today) {
    ComplaintFacts f;
    f.has_owner = has_owner;
    // The last day to appeal is a whole day: the window closes at its end.
    f.appeal_window_open = appeal_due && !before(*appeal_due, today);
    f.appeal_window_over = appeal_due && before(*appeal_due, today);
    return f;
}

// ---------------------------------------------------------------- the area's deadlines

namespace {
// A number of days within the bounds the database accepts.
void days(std::vector<FieldError>& e, const std::string& field, std::string_view raw, int hi, int& out) {
    std::vector<FieldError> own;
    whole_number(own, field, raw, min_days, hi, out);
    for (auto& f : own) {
        if (f.message_key == "field.number_between") f.message_key = "complaint.days_range";
        e.push_back(std::move(f));
    }
}
}  // namespace

std::vector<FieldError> validate(const ComplaintSettingsForm& in, ComplaintSettings& out) {
    std::vector<FieldError> e;
    days(e, "acknowledge_days", in.acknowledge_days, max_acknowledge_days, out.acknowledge_days);
    days(e, "resolve_days", in.resolve_days, max_resolve_days, out.resolve_days);
    days(e, "appeal_days", in.appeal_days, max_appeal_days, out.appeal_days);
    // A complaint is acknowledged on its way to being resolved, not after its resolution is due.
    if (!has_field(e, "acknowledge_days") && !has_field(e, "resolve_days") && out.acknowledge_days > out.resolve_days)
        e.push_back({"acknowledge_days", "complaint.acknowledge_after_resolve", {}});
    return e;
}

ComplaintDeadlines deadlines_for(const Date& received_on, const ComplaintSettings& s) {
    return {add_days(received_on, s.acknowledge_days), add_days(received_on, s.resolve_days)};
}

Date appeal_due_from(const Date& from, const ComplaintSettings& s) {
    return add_days(from, s.appeal_days);
}

std::optional<DeadlineState> deadline_state(ComplaintStatus status, const Date& acknowledge_due, const Date& resolve_due,
                                            const std::optional<Date>& appeal_due, const Date& today) {
    DeadlineState d;
    switch (status) {
        case ComplaintStatus::received:
        case ComplaintStatus::triaged:
            d.which = ComplaintDeadline::acknowledge;
            d.due = acknowledge_due;
            break;
        case ComplaintStatus::acknowledged:
            d.which = ComplaintDeadline::resolve;
            d.due = resolve_due;
            break;
        case ComplaintStatus::appealed:
            // An appeal always gets its decision day when it is made; none is a record to repair,
            // not a deadline to count from.
            if (!appeal_due) return std::nullopt;
            d.which = ComplaintDeadline::appeal;
            d.due = *appeal_due;
            break;
        case ComplaintStatus::resolved:
        case ComplaintStatus::closed:
        case ComplaintStatus::withdrawn:
            return std::nullopt;
    }
    d.overdue = before(d.due, today);
    d.due_soon = !d.overdue && days_between(today, d.due) <= due_soon_days;
    return d;
}

// ---------------------------------------------------------------- raising one

std::vector<FieldError> validate(const ComplaintForm& in, bool need_area, bool need_contact, std::string_view page_lang,
                                 ComplaintInput& out) {
    std::vector<FieldError> e;
    if (need_area) {
        // The area is chosen from a list on the public form: none chosen is one not in the list.
        if (auto id = parse_id(trim(in.area)))
            out.area = *id;
        else
            e.push_back({"area", "field.choose_from_list", {}});
    }

    choice(e, "kind", in.kind, &parse_complaint_kind, out.kind);
    if (trim(in.category).empty())
        e.push_back({"category", "complaint.category_required", {}});
    else
        choice(e, "category", in.category, &parse_complaint_category, out.category);
    optional_id(e, "about_organisation", in.about_organisation, out.about_organisation);

    text(e, "name", in.name, max_complaint_name_length, false, out.name);
    check_name(e, "name", out.name);
    optional_choice(e, "relation", in.relation, &parse_complainant_relation, out.relation);
    phone_email(e, "", in.phone, in.email, out.phone, out.email);
    // Someone who gives their name expects an answer; the public form has no account to answer
    // through, so it needs a way to reach them. Nameless and contactless is an anonymous
    // complaint, which the agency still handles.
    if (need_contact && !out.name.empty() && !out.email && !out.phone && !has_field(e, "email") && !has_field(e, "phone"))
        e.push_back({"email", "complaint.contact_required", {}});

    const std::string lang = trim(in.preferred_lang);
    if (lang.empty())
        out.preferred_lang = parse_lang(page_lang) ? std::string(page_lang) : std::string("fr");
    else if (parse_lang(lang))
        out.preferred_lang = lang;
    else
        e.push_back({"preferred_lang", "field.choose_from_list", {}});

    // The complainant's own words, shown back to them and to staff as typed.
    plain_long_text(e, "description", in.description, max_complaint_text_length, true, out.description);
    plain_long_text(e, "desired_outcome", in.desired_outcome, max_complaint_text_length, false, out.desired_outcome);
    return e;
}

// ---------------------------------------------------------------- handling it

std::vector<FieldError> validate(const TriageForm& in, Triage& out) {
    std::vector<FieldError> e;
    choice(e, "category", in.category, &parse_complaint_category, out.category);
    if (trim(in.severity).empty())
        e.push_back({"severity", "complaint.severity_required", {}});
    else
        choice(e, "severity", in.severity, &parse_complaint_severity, out.severity);
    const std::string owner = trim(in.owner);
    if (owner.empty())
        e.push_back({"owner", "complaint.owner_required", {}});
    else if (auto id = parse_id(owner))
        out.owner = *id;
    else
        e.push_back({"owner", "field.choose_from_list", {}});
    return e;
}

std::vector<FieldError> validate_note(std::optional<ComplaintEvent> event, std::string_view raw, std::string& out) {
    std::vector<FieldError> e;
    out.clear();
    // Triage carries its own form (category, severity, owner), no note.
    if (event == ComplaintEvent::triage) return e;
    // What the complainant reads (the resolution, the decision) or what explains a move that
    // ends or reopens the handling (the appeal's reason, why it was withdrawn) must be written;
    // a step (no event) is nothing but its note.
    const bool required = !event || *event == ComplaintEvent::resolve || *event == ComplaintEvent::appeal ||
                          *event == ComplaintEvent::decide_appeal || *event == ComplaintEvent::withdraw;
    plain_long_text(e, "note", raw, max_complaint_text_length, required, out);
    return e;
}

std::string complaint_reference(int year, int sequence) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "CMP-%04d-%04d", year, sequence);
    return buf;
}

std::vector<FieldError> validate(const ComplaintQueryForm& in, ComplaintQuery& out) {
    std::vector<FieldError> e;
    const std::string status = trim(in.status);
    out.open_only = status == "open";
    if (out.open_only)
        out.status.reset();
    else
        optional_choice(e, "status", status, &parse_complaint_status, out.status);
    optional_choice(e, "category", in.category, &parse_complaint_category, out.category);
    optional_choice(e, "severity", in.severity, &parse_complaint_severity, out.severity);
    optional_choice(e, "source", in.source, &parse_complaint_source, out.source);
    const std::string owner = trim(in.owner);
    out.mine = owner == "me";
    if (out.mine)
        out.owner.reset();
    else
        optional_id(e, "owner", owner, out.owner);
    const std::string overdue = trim(in.overdue);
    out.overdue_only = overdue == "1";
    if (!overdue.empty() && !out.overdue_only) e.push_back({"overdue", "field.choose_from_list", {}});
    return e;
}

}  // namespace arrimage::domain
