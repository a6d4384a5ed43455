#include "domain/privacy_office.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "core/text.hpp"
#include "domain/named.hpp"

namespace arrimage::domain {

namespace {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

constexpr Named<RequestKind> kind_names[] = {{RequestKind::access, "access"}, {RequestKind::correction, "correction"}};
constexpr Named<RequestStatus> status_names[] = {{RequestStatus::open, "open"},
                                                 {RequestStatus::extended, "extended"},
                                                 {RequestStatus::completed, "completed"},
                                                 {RequestStatus::refused, "refused"}};
constexpr Named<RequestEvent> event_names[] = {
    {RequestEvent::extend, "extend"}, {RequestEvent::complete, "complete"}, {RequestEvent::refuse, "refuse"}};
constexpr Named<Requester> requester_names[] = {{Requester::child_youth, "child_youth"},
                                                {Requester::parent, "parent"},
                                                {Requester::guardian, "guardian"},
                                                {Requester::substitute_decision_maker, "substitute_decision_maker"},
                                                {Requester::authorised_representative, "authorised_representative"}};
constexpr Named<BreachEvent> breach_event_names[] = {
    {BreachEvent::contain, "contain"}, {BreachEvent::close, "close"}, {BreachEvent::reopen, "reopen"}};
constexpr Named<BreachStatus> breach_names[] = {
    {BreachStatus::open, "open"}, {BreachStatus::contained, "contained"}, {BreachStatus::closed, "closed"}};

// Free text from a textarea: trimmed, valid UTF-8, no control characters but line breaks and
// tabs, at most max_note_length characters.
void note(std::vector<FieldError>& errors, const char* field, std::string_view raw, bool required, std::string& out) {
    out = trim(raw);
    const bool bad_control = std::any_of(out.begin(), out.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 && c != '\n' && c != '\r' && c != '\t';
    });
    if (!valid_utf8(out) || bad_control)
        errors.push_back({field, "field.invalid_text", {}});
    else if (out.empty() && required)
        errors.push_back({field, "field.required", {}});
    else if (utf8_length(out) > max_note_length)
        errors.push_back({field, "field.too_long", {std::to_string(max_note_length)}});
}

std::optional<int> parse_int(std::string_view raw) {
    const std::string s = trim(raw);
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// A required date, not after today (and not before `not_before` when given).
std::optional<Date> past_date(std::vector<FieldError>& errors, const char* field, std::string_view raw, const Date& today,
                              const std::optional<Date>& not_before = std::nullopt) {
    const std::string s = trim(raw);
    if (s.empty()) {
        errors.push_back({field, "field.required", {}});
        return std::nullopt;
    }
    auto d = parse_date(s);
    if (!d) {
        errors.push_back({field, "privacy_office.error.invalid_date", {}});
        return std::nullopt;
    }
    if (compare(*d, today) > 0) {
        errors.push_back({field, "privacy_office.error.date_in_future", {}});
        return std::nullopt;
    }
    if (not_before && compare(*d, *not_before) < 0) {
        errors.push_back({field, "privacy_office.error.date_too_early", {not_before->iso()}});
        return std::nullopt;
    }
    return d;
}

std::chrono::sys_days days_of(const Date& d) {
    return std::chrono::sys_days{std::chrono::year{d.year} / std::chrono::month{d.month} / std::chrono::day{d.day}};
}

}  // namespace

// ---------------------------------------------------------------- anomalies

std::vector<BulkAccessFlag> detect_bulk_access(std::span<const FileOpening> openings, const BulkAccessRule& rule, TimePoint now) {
    const TimePoint since = now - rule.lookback;
    std::vector<FileOpening> in;
    for (const auto& o : openings)
        if (o.at >= since && o.at <= now) in.push_back(o);
    std::sort(in.begin(), in.end(), [](const FileOpening& a, const FileOpening& b) {
        return a.user_id != b.user_id ? a.user_id < b.user_id : a.at < b.at;
    });
    std::vector<BulkAccessFlag> out;
    std::size_t begin = 0;
    while (begin < in.size()) {
        std::size_t end = begin;
        while (end < in.size() && in[end].user_id == in[begin].user_id) ++end;
        // Sliding window over this user's openings: [lo, hi] spans at most rule.window.
        std::map<std::int64_t, int> files;
        BulkAccessFlag best{in[begin].user_id, 0, {}, {}};
        std::size_t lo = begin;
        for (std::size_t hi = begin; hi < end; ++hi) {
            ++files[in[hi].person_id];
            while (in[hi].at - in[lo].at > rule.window) {
                if (--files[in[lo].person_id] == 0) files.erase(in[lo].person_id);
                ++lo;
            }
            const int distinct = static_cast<int>(files.size());
            if (distinct > best.distinct_files) best = {in[begin].user_id, distinct, in[lo].at, in[hi].at};
        }
        if (best.distinct_files > rule.max_distinct_files) out.push_back(best);
        begin = end;
    }
    std::sort(out.begin(), out.end(), [](const BulkAccessFlag& a, const BulkAccessFlag& b) {
        return a.distinct_files != b.distinct_files ? a.distinct_files > b.distinct_files : a.user_id < b.user_id;
    });
    return out;
}

bool opens_file(Action a) {
    return a == Action::read || a == Action::print || a == Action::export_;
}

bool unrelated_attempt(Reason r) {
    return r == Reason::no_relationship || r == Reason::role_relationship_not_permitted;
}

std::vector<FieldError> validate_bulk_rule(std::string_view threshold, std::string_view window_minutes,
                                           std::string_view lookback_days, BulkAccessRule& out) {
    std::vector<FieldError> e;
    out = BulkAccessRule{};
    auto number = [&](const char* field, std::string_view raw, int max, auto set) {
        if (trim(raw).empty()) return;
        auto v = parse_int(raw);
        if (!v || *v < 1 || *v > max)
            e.push_back({field, "privacy_office.error.number_between", {"1", std::to_string(max)}});
        else
            set(*v);
    };
    number("threshold", threshold, max_threshold, [&](int v) { out.max_distinct_files = v; });
    number("window", window_minutes, max_window_minutes, [&](int v) { out.window = std::chrono::minutes(v); });
    number("lookback", lookback_days, max_lookback_days, [&](int v) { out.lookback = std::chrono::hours(24 * v); });
    return e;
}

// ---------------------------------------------------------------- requests

const std::vector<RequestKind>& all_request_kinds() {
    static const auto v = values_of(kind_names);
    return v;
}
const std::vector<RequestStatus>& all_request_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
const std::vector<Requester>& all_requesters() {
    static const auto v = values_of(requester_names);
    return v;
}
std::string_view code(RequestKind k) {
    return code_of(kind_names, k);
}
std::string_view code(RequestStatus s) {
    return code_of(status_names, s);
}
std::string_view code(RequestEvent e) {
    return code_of(event_names, e);
}
std::string_view code(Requester r) {
    return code_of(requester_names, r);
}
std::optional<RequestKind> parse_request_kind(std::string_view s) {
    return parse_of(kind_names, s);
}
std::optional<RequestStatus> parse_request_status(std::string_view s) {
    return parse_of(status_names, s);
}
std::optional<Requester> parse_requester(std::string_view s) {
    return parse_of(requester_names, s);
}

const RequestLifecycle& request_lifecycle() {
    using S = RequestStatus;
    using E = RequestEvent;
    const std::vector<Relationship> officer = {Relationship::privacy_officer};
    static const RequestLifecycle table(
        "privacy_request",
        {
            {S::open, E::extend, S::extended, officer},
            {S::open, E::complete, S::completed, officer},
            {S::open, E::refuse, S::refused, officer},
            {S::extended, E::complete, S::completed, officer},
            {S::extended, E::refuse, S::refused, officer},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

std::optional<RequestStatus> next_status(RequestStatus from, RequestEvent event) {
    if (const auto* r = request_lifecycle().find(from, event)) return r->to;
    return std::nullopt;
}

bool closed(RequestStatus s) {
    return s == RequestStatus::completed || s == RequestStatus::refused;
}

int compare(const Date& a, const Date& b) {
    const auto x = days_of(a), y = days_of(b);
    return x < y ? -1 : (x > y ? 1 : 0);
}

Date due_date(const Date& received, int extension_days) {
    return add_days(received, statutory_days + extension_days);
}

bool overdue(RequestStatus status, const Date& due, const Date& today) {
    return !closed(status) && compare(today, due) > 0;
}

std::vector<FieldError> validate(const RequestForm& in, const Date& today, NewRequest& out) {
    std::vector<FieldError> e;
    if (auto id = parse_id(trim(in.person_id)))
        out.person_id = *id;
    else
        e.push_back({"person_id", "privacy_office.error.file_number", {}});
    if (auto r = parse_requester(trim(in.requester)))
        out.requester = *r;
    else
        e.push_back({"requester", "field.choose_from_list", {}});
    if (auto k = parse_request_kind(trim(in.kind)))
        out.kind = *k;
    else
        e.push_back({"kind", "field.choose_one", {}});
    if (auto d = past_date(e, "received_on", in.received_on, today)) out.received = *d;
    note(e, "description", in.description, true, out.description);
    return e;
}

std::vector<FieldError> validate_extension(const ExtensionForm& in, RequestStatus current, int& days, std::string& reason) {
    std::vector<FieldError> e;
    if (!next_status(current, RequestEvent::extend)) {
        e.push_back(
            {"days",
             current == RequestStatus::extended ? "privacy_office.error.already_extended" : "privacy_office.error.request_closed",
             {}});
        return e;
    }
    auto v = parse_int(in.days);
    if (!v || *v < 1 || *v > max_extension_days)
        e.push_back({"days", "privacy_office.error.extension_days", {std::to_string(max_extension_days)}});
    else
        days = *v;
    note(e, "reason", in.reason, true, reason);
    return e;
}

std::vector<FieldError> validate_closing(const ClosingForm& in, RequestStatus current, const Date& received, const Date& today,
                                         Closing& out) {
    std::vector<FieldError> e;
    if (closed(current)) {
        e.push_back({"result", "privacy_office.error.request_closed", {}});
        return e;
    }
    const std::string result = trim(in.result);
    if (result == "completed")
        out.event = RequestEvent::complete;
    else if (result == "refused")
        out.event = RequestEvent::refuse;
    else
        e.push_back({"result", "field.choose_one", {}});
    if (auto d = past_date(e, "closed_on", in.closed_on, today, received)) out.closed_on = *d;
    note(e, "outcome", in.outcome, false, out.outcome);
    if (out.outcome.empty() && std::none_of(e.begin(), e.end(), [](const FieldError& f) { return f.field == "outcome"; }))
        e.push_back({"outcome",
                     result == "refused" ? "privacy_office.error.refusal_reason" : "privacy_office.error.outcome_required",
                     {}});
    return e;
}

// ---------------------------------------------------------------- breaches

const std::vector<BreachStatus>& all_breach_statuses() {
    static const auto v = values_of(breach_names);
    return v;
}
std::string_view code(BreachStatus s) {
    return code_of(breach_names, s);
}
std::string_view code(BreachEvent e) {
    return code_of(breach_event_names, e);
}
const std::vector<BreachEvent>& all_breach_events() {
    static const auto v = values_of(breach_event_names);
    return v;
}

const BreachLifecycle& breach_lifecycle() {
    using S = BreachStatus;
    using E = BreachEvent;
    const std::vector<Relationship> officer = {Relationship::privacy_officer};
    static const BreachLifecycle table(
        "privacy_breach",
        {
            {S::open, E::contain, S::contained, officer},
            {S::open, E::close, S::closed, officer},
            {S::contained, E::close, S::closed, officer},
            {S::contained, E::reopen, S::open, officer},
            {S::closed, E::reopen, S::open, officer},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

std::optional<BreachStatus> parse_breach_status(std::string_view s) {
    return parse_of(breach_names, s);
}

std::vector<FieldError> validate(const BreachForm& in, const Date& today, Breach& out) {
    std::vector<FieldError> e;
    const auto discovered = past_date(e, "discovered_on", in.discovered_on, today);
    if (discovered) out.discovered_on = *discovered;
    note(e, "description", in.description, true, out.description);
    auto files = parse_int(in.files_affected);
    if (!files || *files < 0 || *files > max_files_affected)
        e.push_back({"files_affected", "privacy_office.error.number_between", {"0", std::to_string(max_files_affected)}});
    else
        out.files_affected = *files;
    note(e, "containment", in.containment, false, out.containment);
    out.ipc_notified_on.reset();
    out.families_notified_on.reset();
    if (!trim(in.ipc_notified_on).empty())
        out.ipc_notified_on = past_date(e, "ipc_notified_on", in.ipc_notified_on, today, discovered);
    if (!trim(in.families_notified_on).empty())
        out.families_notified_on = past_date(e, "families_notified_on", in.families_notified_on, today, discovered);
    if (auto s = parse_breach_status(trim(in.status)))
        out.status = *s;
    else
        e.push_back({"status", "field.choose_one", {}});
    return e;
}

}  // namespace arrimage::domain
