#include "features/referral/domain/referral.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "domain/identity.hpp"
#include "domain/named.hpp"

namespace arrimage::domain {

namespace {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

constexpr Named<ReferralSource> source_names[] = {
    {ReferralSource::youth, "youth"},
    {ReferralSource::family, "family"},
    {ReferralSource::professional, "professional"},
    {ReferralSource::warm_referral, "warm_referral"},
    {ReferralSource::file, "file"},
};
constexpr Named<ReferralStatus> status_names[] = {
    {ReferralStatus::requested, "requested"},   {ReferralStatus::received, "received"},
    {ReferralStatus::accepted, "accepted"},     {ReferralStatus::declined, "declined"},
    {ReferralStatus::waitlisted, "waitlisted"}, {ReferralStatus::in_progress, "in_progress"},
    {ReferralStatus::completed, "completed"},   {ReferralStatus::cancelled, "cancelled"},
};
constexpr Named<DeclineReason> decline_names[] = {
    {DeclineReason::not_eligible_age, "not_eligible_age"},
    {DeclineReason::not_eligible_needs, "not_eligible_needs"},
    {DeclineReason::outside_area, "outside_area"},
    {DeclineReason::no_capacity, "no_capacity"},
    {DeclineReason::family_declined, "family_declined"},
    {DeclineReason::duplicate, "duplicate"},
    {DeclineReason::other, "other"},
};

bool has_field(const std::vector<FieldError>& e, std::string_view field) {
    return std::any_of(e.begin(), e.end(), [&](const FieldError& f) { return f.field == field; });
}

constexpr std::string_view reference_alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 symbols, no 0 O 1 I L

}  // namespace

const std::vector<ReferralSource>& all_referral_sources() {
    static const auto v = values_of(source_names);
    return v;
}
const std::vector<ReferralStatus>& all_referral_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
const std::vector<DeclineReason>& all_decline_reasons() {
    static const auto v = values_of(decline_names);
    return v;
}
std::string_view code(ReferralSource s) {
    return code_of(source_names, s);
}
std::string_view code(ReferralStatus s) {
    return code_of(status_names, s);
}
std::string_view code(DeclineReason r) {
    return code_of(decline_names, r);
}
std::optional<ReferralSource> parse_referral_source(std::string_view s) {
    return parse_of(source_names, s);
}
std::optional<ReferralStatus> parse_referral_status(std::string_view s) {
    return parse_of(status_names, s);
}
std::optional<DeclineReason> parse_decline_reason(std::string_view s) {
    return parse_of(decline_names, s);
}

bool needs_warm_referral(DeclineReason r) {
    return r != DeclineReason::family_declined && r != DeclineReason::duplicate;
}
bool needs_warm_referral(DeclineReason r, ReferralSource source) {
    return source != ReferralSource::file && needs_warm_referral(r);
}

bool awaits_answer(ReferralStatus s) {
    return s == ReferralStatus::requested || s == ReferralStatus::received;
}
bool is_open(ReferralStatus s) {
    return s != ReferralStatus::declined && s != ReferralStatus::completed && s != ReferralStatus::cancelled;
}

namespace {
constexpr Named<ReferralEvent> event_names[] = {{ReferralEvent::receive, "receive"},   {ReferralEvent::accept, "accept"},
                                                {ReferralEvent::waitlist, "waitlist"}, {ReferralEvent::start, "start"},
                                                {ReferralEvent::complete, "complete"}, {ReferralEvent::decline, "decline"},
                                                {ReferralEvent::cancel, "cancel"}};
}  // namespace

const std::vector<ReferralEvent>& all_referral_events() {
    static const auto v = values_of(event_names);
    return v;
}
std::string_view code(ReferralEvent e) {
    return code_of(event_names, e);
}
std::optional<ReferralEvent> parse_referral_event(std::string_view s) {
    return parse_of(event_names, s);
}

const ReferralLifecycle& referral_lifecycle() {
    using S = ReferralStatus;
    using E = ReferralEvent;
    const std::vector<Relationship> receiver = {Relationship::coordinating_agency};
    const std::vector<Relationship> sender = {Relationship::assigned_coordinator, Relationship::team_member};
    static const ReferralLifecycle table(
        "referral",
        {
            {S::requested, E::receive, S::received, receiver},     {S::requested, E::accept, S::accepted, receiver},
            {S::received, E::accept, S::accepted, receiver},       {S::waitlisted, E::accept, S::accepted, receiver},
            {S::requested, E::waitlist, S::waitlisted, receiver},  {S::received, E::waitlist, S::waitlisted, receiver},
            {S::waitlisted, E::waitlist, S::waitlisted, receiver}, {S::accepted, E::start, S::in_progress, receiver},
            {S::accepted, E::complete, S::completed, receiver},    {S::in_progress, E::complete, S::completed, receiver},
            {S::requested, E::decline, S::declined, receiver},     {S::received, E::decline, S::declined, receiver},
            {S::waitlisted, E::decline, S::declined, receiver},    {S::accepted, E::decline, S::declined, receiver},
            {S::requested, E::cancel, S::cancelled, sender},       {S::received, E::cancel, S::cancelled, sender},
            {S::waitlisted, E::cancel, S::cancelled, sender},      {S::accepted, E::cancel, S::cancelled, sender},
            {S::in_progress, E::cancel, S::cancelled, sender},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

bool pathway_accepts(AccessMechanism m, ReferralSource s) {
    return m != AccessMechanism::professional_referral || s == ReferralSource::professional || s == ReferralSource::warm_referral;
}

std::vector<FieldError> validate(const ReferralForm& in, const Date& today, Referral& out) {
    std::vector<FieldError> e;
    out = Referral{};
    const std::string pathway = trim(in.pathway_id);
    if (auto id = parse_id(pathway))
        out.pathway_id = *id;
    else
        e.push_back({"pathway_id", pathway.empty() ? "referral.error.choose_pathway" : "referral.error.unknown_pathway", {}});

    const std::string source = trim(in.source);
    auto s = parse_referral_source(source);
    if (in.signed_in)
        out.source = ReferralSource::professional;
    else if (s && *s != ReferralSource::warm_referral)
        out.source = *s;
    else
        e.push_back({"source", "field.choose_one", {}});

    if (out.source == ReferralSource::professional && !in.signed_in) {
        text(e, "referrer_name", in.referrer_name, 100, true, out.referrer_name);
        check_name(e, "referrer_name", out.referrer_name);
        text(e, "referrer_organisation", in.referrer_organisation, 200, true, out.referrer_organisation);
        phone_email(e, "referrer_", in.referrer_phone, in.referrer_email, out.referrer_phone, out.referrer_email);
        if (!has_field(e, "referrer_phone") && !has_field(e, "referrer_email") && !out.referrer_phone && !out.referrer_email)
            e.push_back({"referrer_phone", "referral.error.referrer_contact", {}});
    }

    // The child or youth: as for a file, without what a referral does not ask.
    PersonForm pf;
    pf.given_name = in.given_name;
    pf.family_name = in.family_name;
    pf.date_of_birth = in.date_of_birth;
    pf.official_language = in.official_language;
    pf.preferred_language = in.preferred_language;
    pf.capable_of_consent = "no";
    Person person;
    for (auto& f : validate(pf, today, person)) e.push_back(std::move(f));
    out.given_name = person.given_name;
    out.family_name = person.family_name;
    out.date_of_birth = person.date_of_birth;
    out.official_language = person.official_language;
    out.preferred_language = person.preferred_language;

    for (auto& f : validate(FamilyMemberForm{in.contact_given_name, in.contact_family_name, in.contact_relationship, "",
                                             in.contact_phone, in.contact_email, ""},
                            "contact_", out.contact))
        e.push_back(std::move(f));

    long_text(e, "needs", in.needs, max_needs_length, true, out.needs);

    if (auto g = parse_given_by(trim(in.consent_given_by)))
        out.consent_given_by = *g;
    else
        e.push_back({"consent_given_by", "field.choose_one", {}});
    if (in.signed_in) {
        if (auto m = parse_consent_method(trim(in.consent_method)))
            out.consent_method = *m;
        else
            e.push_back({"consent_method", "field.choose_one", {}});
    } else {
        out.consent_method = ConsentMethod::electronic;
    }
    if (trim(in.consent) != "1") e.push_back({"consent", "referral.error.consent_required", {}});
    return e;
}

std::vector<FieldError> validate(const DeclineForm& in, Decline& out) {
    std::vector<FieldError> e;
    out = Decline{};
    const std::string reason = trim(in.reason);
    auto r = parse_decline_reason(reason);
    if (r)
        out.reason = *r;
    else
        e.push_back({"reason", "field.choose_one", {}});
    long_text(e, "note", in.note, 1000, r && *r == DeclineReason::other, out.note);
    const std::string warm = trim(in.warm_pathway_id);
    if (!warm.empty()) {
        if (auto id = parse_id(warm))
            out.warm_pathway_id = *id;
        else
            e.push_back({"warm_pathway_id", "referral.error.unknown_pathway", {}});
    }
    if (r && out.warm_pathway_id && trim(in.warm_consent) != "1")
        e.push_back({"warm_consent", "referral.error.warm_consent_required", {}});
    return e;
}

std::vector<FieldError> validate(const OutboundForm& in, Outbound& out) {
    std::vector<FieldError> e;
    out = Outbound{};
    if (auto id = parse_id(trim(in.service_id)))
        out.service_id = *id;
    else
        e.push_back({"service_id", "field.choose_one", {}});
    long_text(e, "needs", in.needs, max_needs_length, true, out.needs);
    return e;
}

std::vector<FieldError> validate(const WaitlistAnswerForm& in, const Date& today, WaitlistAnswer& out) {
    std::vector<FieldError> e;
    out = WaitlistAnswer{};
    std::optional<Date> expected;
    date_field(e, "expected_date", in.expected_date, true, expected);
    if (expected && (days_between(today, *expected) < 0 || days_between(add_years(today, 5), *expected) > 0))
        e.push_back({"expected_date", "referral.error.expected_date_range", {}});
    else if (expected)
        out.expected_date = *expected;
    long_text(e, "note", in.note, 1000, false, out.note);
    return e;
}

int wait_weeks_until(const Date& today, const Date& expected) {
    const int days = days_between(today, expected);
    return std::clamp((days + 6) / 7, 1, 260);
}

bool Sharing::covers(Category c) const {
    return std::find(categories.begin(), categories.end(), c) != categories.end();
}

Sharing shared_with(std::int64_t organisation_id, std::span<const ConsentDirective> directives,
                    std::span<const LockboxEntry> lockbox, TimePoint now) {
    Sharing out;
    for (auto c : consentable_categories()) {
        AccessRequest q;
        q.actor = Actor{0, organisation_id, Role::coordinator};
        q.relationship = Relationship::team_member;
        q.category = c;
        q.purpose = Purpose::referral;
        q.action = Action::read;
        q.directives = directives;
        q.lockbox = lockbox;
        const auto d = decide(q, now);
        if (!d.permitted()) continue;
        out.categories.push_back(c);
        if (c == Category::identity_contact) out.identity_directive_id = d.directive_id;
    }
    return out;
}

std::vector<FieldError> validate_cancel_reason(std::string_view raw, std::string& out) {
    std::vector<FieldError> e;
    long_text(e, "note", raw, 1000, true, out);
    return e;
}

std::vector<FieldError> validate_note(std::string_view raw, std::string& out) {
    std::vector<FieldError> e;
    long_text(e, "note", raw, 1000, false, out);
    return e;
}

std::string referral_reference(std::uint64_t bits) {
    std::string out = "R-";
    for (int i = 0; i < 8; ++i) {
        out.push_back(reference_alphabet[bits % reference_alphabet.size()]);
        bits /= reference_alphabet.size();
    }
    return out;
}

bool valid_referral_reference(std::string_view s) {
    if (s.size() != 10 || s.substr(0, 2) != "R-") return false;
    return std::all_of(s.begin() + 2, s.end(), [](char c) { return reference_alphabet.find(c) != std::string_view::npos; });
}

}  // namespace arrimage::domain
